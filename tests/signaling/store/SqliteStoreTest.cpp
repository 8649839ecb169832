#include "signaling/store/SqliteStore.hpp"

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <filesystem>
#include <stdexcept>

#include "signaling/store/SqliteMigrations.hpp"
#include "signaling/store/StoreError.hpp"

namespace diemcau::signaling::store {
namespace {

using namespace std::chrono_literals;
using std::chrono::sys_days;
using std::chrono::sys_seconds;

sys_seconds at(int y, unsigned mo, unsigned d, int h, int mi) {
  return sys_seconds{sys_days{std::chrono::year{y} / mo / d}} + std::chrono::hours{h} +
         std::chrono::minutes{mi};
}

Site site(std::string id, std::string name, SiteKind kind) {
  return Site{std::move(id), std::move(name), kind, "", {}};
}

Meeting meeting(std::string id) {
  Meeting m;
  m.id = std::move(id);
  m.title = "Giao ban tuần";
  m.agenda = "1. Tình hình\n2. Kế hoạch";
  m.hostSiteId = "huyen";
  m.invitedSiteIds = {"lang-can", "bac-ha"};
  m.start = at(2026, 12, 1, 1, 0);
  m.end = at(2026, 12, 1, 2, 30);
  return m;
}

class SqliteStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_.addSite(site("huyen", "Hội trường UBND huyện", SiteKind::Hall));
    store_.addSite(site("lang-can", "Xã Lăng Can", SiteKind::Commune));
    store_.addSite(site("bac-ha", "Xã Bắc Hà", SiteKind::Commune));
  }
  SqliteStore store_{":memory:"};
};

TEST_F(SqliteStoreTest, MigratesToLatestVersion) {
  EXPECT_EQ(store_.schemaVersion(), latestSchemaVersion());
}

TEST_F(SqliteStoreTest, SiteRoundTripKeepsDiacritics) {
  auto found = store_.findSite("lang-can");
  ASSERT_TRUE(found);
  EXPECT_EQ(found->name, "Xã Lăng Can");
  EXPECT_EQ(found->kind, SiteKind::Commune);
  // Halls first, then communes by id.
  auto all = store_.listSites();
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].id, "huyen");
  EXPECT_EQ(all[1].id, "bac-ha");
}

TEST_F(SqliteStoreTest, DuplicateSiteIsConflict) {
  EXPECT_THROW(store_.addSite(site("huyen", "x", SiteKind::Hall)), ConflictError);
}

TEST_F(SqliteStoreTest, UpdateAndRemoveSite) {
  auto s = *store_.findSite("bac-ha");
  s.name = "Thị trấn Bắc Hà";
  s.contact = "0912 345 678";
  store_.updateSite(s);
  EXPECT_EQ(store_.findSite("bac-ha")->contact, "0912 345 678");
  EXPECT_THROW(store_.updateSite(site("nowhere", "x", SiteKind::Other)), NotFoundError);
  store_.removeSite("bac-ha");
  EXPECT_FALSE(store_.findSite("bac-ha"));
  EXPECT_THROW(store_.removeSite("bac-ha"), NotFoundError);
}

TEST_F(SqliteStoreTest, SiteNamedByMeetingCannotBeRemoved) {
  store_.addMeeting(meeting("m1"));
  EXPECT_THROW(store_.removeSite("lang-can"), ConflictError);
  EXPECT_THROW(store_.removeSite("huyen"), ConflictError);
  EXPECT_TRUE(store_.findSite("lang-can"));
}

TEST_F(SqliteStoreTest, MeetingRoundTrip) {
  auto m = meeting("m1");
  m.recurrence = Recurrence{RecurrenceKind::Weekly, 0b0000101, at(2027, 6, 30, 0, 0)};
  m.recording = RecordingPolicy::All;
  m.lobbyLead = 15min;
  store_.addMeeting(m);
  auto back = store_.findMeeting("m1");
  ASSERT_TRUE(back);
  EXPECT_EQ(back->title, m.title);
  EXPECT_EQ(back->agenda, m.agenda);
  EXPECT_EQ(back->invitedSiteIds, m.invitedSiteIds);
  EXPECT_EQ(back->start, m.start);
  EXPECT_EQ(back->end, m.end);
  EXPECT_EQ(back->timeZone, "Asia/Ho_Chi_Minh");
  EXPECT_EQ(back->recurrence, m.recurrence);
  EXPECT_EQ(back->recording, RecordingPolicy::All);
  EXPECT_EQ(back->lobbyLead, 15min);
  EXPECT_EQ(back->state, MeetingState::Scheduled);
}

TEST_F(SqliteStoreTest, MeetingWithUnknownSiteStoresNothing) {
  auto m = meeting("m1");
  m.invitedSiteIds = {"lang-can", "ghost"};
  EXPECT_THROW(store_.addMeeting(m), ConflictError);
  // The meeting row went in before the bad invitation: the transaction must have taken it back out.
  EXPECT_FALSE(store_.findMeeting("m1"));
}

TEST_F(SqliteStoreTest, EndBeforeStartIsRefusedByTheSchema) {
  auto m = meeting("m1");
  m.end = m.start - 1h;
  EXPECT_THROW(store_.addMeeting(m), ConflictError);
  EXPECT_FALSE(store_.findMeeting("m1"));
}

TEST_F(SqliteStoreTest, UpdateReplacesInvitedSitesAndState) {
  store_.addMeeting(meeting("m1"));
  auto m = *store_.findMeeting("m1");
  m.invitedSiteIds = {"bac-ha"};
  m.title = "Đổi tên";
  store_.updateMeeting(m);
  store_.setMeetingState("m1", MeetingState::Live);
  auto back = *store_.findMeeting("m1");
  EXPECT_EQ(back.invitedSiteIds, std::vector<std::string>{"bac-ha"});
  EXPECT_EQ(back.title, "Đổi tên");
  EXPECT_EQ(back.state, MeetingState::Live);
  EXPECT_THROW(store_.setMeetingState("nope", MeetingState::Live), NotFoundError);
}

TEST_F(SqliteStoreTest, ListFiltersByStateAndWindow) {
  auto a = meeting("a");
  auto b = meeting("b");
  b.start = at(2026, 12, 2, 1, 0);
  b.end = at(2026, 12, 2, 2, 0);
  b.state = MeetingState::Cancelled;
  store_.addMeeting(b);
  store_.addMeeting(a);
  EXPECT_EQ(store_.listMeetings({}).size(), 2u);
  EXPECT_EQ(store_.listMeetings({}).front().id, "a");  // by start time
  MeetingFilter scheduled;
  scheduled.states = {MeetingState::Scheduled, MeetingState::Live};
  auto s = store_.listMeetings(scheduled);
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].id, "a");
  EXPECT_EQ(s[0].invitedSiteIds.size(), 2u);
  MeetingFilter window;
  window.endsAfter = at(2026, 12, 1, 3, 0);
  window.startsBefore = at(2026, 12, 3, 0, 0);
  auto w = store_.listMeetings(window);
  ASSERT_EQ(w.size(), 1u);
  EXPECT_EQ(w[0].id, "b");
}

TEST_F(SqliteStoreTest, TransactionRollsBackEveryWrite) {
  EXPECT_THROW(store_.runInTransaction([&] {
    store_.addMeeting(meeting("m1"));
    store_.appendAudit(AuditEntry{0, at(2026, 1, 1, 0, 0), "admin", "meeting.add", "m1", ""});
    throw std::runtime_error("crash halfway");
  }),
               std::runtime_error);
  EXPECT_FALSE(store_.findMeeting("m1"));
  EXPECT_TRUE(store_.listAudit(10).empty());
  store_.runInTransaction([&] {
    store_.addMeeting(meeting("m1"));
    store_.appendAudit(AuditEntry{0, at(2026, 1, 1, 0, 0), "admin", "meeting.add", "m1", ""});
  });
  EXPECT_TRUE(store_.findMeeting("m1"));
  ASSERT_EQ(store_.listAudit(10).size(), 1u);
  EXPECT_EQ(store_.listAudit(10)[0].action, "meeting.add");
}

TEST_F(SqliteStoreTest, RevokedTokensArePrunedAfterExpiry) {
  store_.revokeToken("t1", at(2026, 1, 2, 0, 0), at(2026, 1, 1, 0, 0));
  store_.revokeToken("t2", at(2026, 3, 1, 0, 0), at(2026, 1, 1, 0, 0));
  EXPECT_TRUE(store_.isTokenRevoked("t1"));
  EXPECT_FALSE(store_.isTokenRevoked("t3"));
  EXPECT_EQ(store_.pruneRevokedTokens(at(2026, 2, 1, 0, 0)), 1u);
  EXPECT_FALSE(store_.isTokenRevoked("t1"));
  EXPECT_TRUE(store_.isTokenRevoked("t2"));
}

TEST(SqliteStoreFileTest, SurvivesReopenInWalMode) {
  auto dir = std::filesystem::temp_directory_path() / ("diemcau-store-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto path = (dir / "diemcau.db").string();
  {
    SqliteStore store(path);
    store.addSite(Site{"huyen", "Hội trường UBND huyện", SiteKind::Hall, "", {}});
  }
  {
    SqliteStore store(path);
    EXPECT_EQ(store.findSite("huyen")->name, "Hội trường UBND huyện");
    EXPECT_EQ(store.schemaVersion(), latestSchemaVersion());
  }
  SqliteDatabase raw(path);
  auto mode = raw.prepare("PRAGMA journal_mode;");
  ASSERT_TRUE(mode.step());
  EXPECT_EQ(mode.text(0), "wal");
  auto fk = raw.prepare("PRAGMA foreign_keys;");
  ASSERT_TRUE(fk.step());
  EXPECT_EQ(fk.integer(0), 1);
  std::filesystem::remove_all(dir);
}

TEST(SqliteStoreFileTest, RefusesNewerSchema) {
  auto dir = std::filesystem::temp_directory_path() / ("diemcau-store-new-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto path = (dir / "diemcau.db").string();
  { SqliteStore store(path); }
  {
    SqliteDatabase raw(path);
    raw.exec("INSERT INTO schema_version(version, applied_at) VALUES (999, 0);");
  }
  EXPECT_THROW(SqliteStore store(path), StoreError);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace diemcau::signaling::store
