#include "signaling/admin/AdminApi.hpp"

#include <gtest/gtest.h>

#include "signaling/admin/DemoSeed.hpp"
#include "signaling/store/SqliteStore.hpp"

namespace diemcau::signaling::admin {
namespace {

namespace http = boost::beast::http;
using namespace std::chrono_literals;
using nlohmann::json;

class FakeClock final : public scheduler::Clock {
 public:
  std::chrono::sys_seconds now() const override { return now_; }
  std::chrono::sys_seconds now_{std::chrono::sys_days{std::chrono::year{2026} / 11 / 28}};
};

constexpr const char* kKey = "0123456789abcdef0123456789abcdef";

class AdminApiTest : public ::testing::Test {
 protected:
  void SetUp() override {
    EXPECT_EQ(
        call(http::verb::post, "sites", R"({"id":"huyen","name":"Hội trường UBND huyện","kind":"hall"})"),
        201);
    EXPECT_EQ(call(http::verb::post, "sites", R"({"id":"lang-can","name":"Xã Lăng Can","kind":"commune"})"),
              201);
    EXPECT_EQ(call(http::verb::post, "sites", R"({"id":"bac-ha","name":"Xã Bắc Hà"})"), 201);
  }

  int call(http::verb verb, const std::string& path, const std::string& body = {}, const char* key = kKey) {
    AdminApi::Request request{verb, "/api/v1/" + path, 11};
    if (key) request.set(http::field::authorization, std::string("Bearer ") + key);
    request.body() = body;
    request.prepare_payload();
    auto response = api_.handle(request);
    last_ = response.body().empty() ? json() : json::parse(response.body());
    return response.result_int();
  }

  std::string errorField() const { return last_["error"].value("field", ""); }

  FakeClock clock_;
  store::SqliteStore store_{":memory:"};
  tokens::TokenService tokens_{tokens::SigningKeys::generate(),
                               [this](const std::string& id) { return store_.isTokenRevoked(id); }};
  AdminApi api_{store_, tokens_, clock_, AdminApiOptions{kKey, "https://hop.huyen.gov.vn"}};
  json last_;
};

const std::string kMeeting =
    R"({"title":"Giao ban tuần","host":"huyen","sites":["lang-can","bac-ha"],"start":"2026-12-01 08:00","duration":"90m"})";

TEST_F(AdminApiTest, RefusesMissingAndWrongKey) {
  EXPECT_EQ(call(http::verb::get, "sites", "", nullptr), 401);
  EXPECT_EQ(last_["error"]["code"], "unauthorized");
  EXPECT_EQ(call(http::verb::get, "sites", "", "0123456789abcdef0123456789abcdeX"), 401);
  EXPECT_EQ(call(http::verb::get, "sites", "", "short"), 401);
  EXPECT_EQ(call(http::verb::get, "sites"), 200);
  EXPECT_EQ(last_.size(), 3u);
}

TEST_F(AdminApiTest, SiteLifecycle) {
  EXPECT_EQ(call(http::verb::get, "sites/lang-can"), 200);
  EXPECT_EQ(last_["name"], "Xã Lăng Can");
  EXPECT_EQ(call(http::verb::post, "sites", R"({"id":"lang-can","name":"X"})"), 409);
  EXPECT_EQ(errorField(), "id");
  EXPECT_EQ(call(http::verb::post, "sites", R"({"id":"Lăng Cán","name":"X"})"), 422);
  EXPECT_EQ(errorField(), "id");
  EXPECT_EQ(call(http::verb::post, "sites", R"({"id":"x","name":"X","kind":"castle"})"), 422);
  EXPECT_EQ(errorField(), "kind");
  EXPECT_EQ(call(http::verb::patch, "sites/bac-ha", R"({"contact":"0912 345 678"})"), 200);
  EXPECT_EQ(last_["contact"], "0912 345 678");
  EXPECT_EQ(call(http::verb::delete_, "sites/bac-ha"), 204);
  EXPECT_EQ(call(http::verb::get, "sites/bac-ha"), 404);
}

TEST_F(AdminApiTest, SchedulesAMeetingInHoChiMinhTime) {
  ASSERT_EQ(call(http::verb::post, "meetings", kMeeting), 201) << last_.dump();
  EXPECT_EQ(last_["start"], "2026-12-01T01:00:00Z");
  EXPECT_EQ(last_["end"], "2026-12-01T02:30:00Z");
  EXPECT_EQ(last_["state"], "scheduled");
  auto id = last_["id"].get<std::string>();
  EXPECT_EQ(call(http::verb::get, "meetings/" + id), 200);
  EXPECT_EQ(last_["sites"], json::array({"lang-can", "bac-ha"}));
  EXPECT_EQ(call(http::verb::delete_, "sites/lang-can"), 409) << "a site named by a meeting stays";
  EXPECT_EQ(store_.listAudit(10).front().action, "meeting.schedule");
}

TEST_F(AdminApiTest, BadMeetingsNameTheFieldAndStoreNothing) {
  struct Case {
    std::string body;
    int status;
    std::string field;
  };
  const std::vector<Case> cases{
      {R"({"title":"T","host":"huyen","start":"2026-12-01 08:00","end":"2026-12-01 07:00"})", 422, "end"},
      {R"({"title":"T","host":"huyen","sites":["ghost"],"start":"2026-12-01 08:00","duration":"1h"})", 422,
       "sites"},
      {R"({"title":"T","host":"lang-can","start":"2026-12-01 08:00","duration":"1h"})", 422, "host"},
      {R"({"title":"T","host":"nowhere","start":"2026-12-01 08:00","duration":"1h"})", 422, "host"},
      {R"({"title":")" + std::string(10240, 'x') +
           R"(","host":"huyen","start":"2026-12-01 08:00","duration":"1h"})",
       422, "title"},
      {R"({"title":"T","host":"huyen","start":"tomorrow","duration":"1h"})", 422, "start"},
      {R"({"title":"T","host":"huyen","start":"2026-12-01 08:00","duration":"2x"})", 422, "duration"},
      {R"({"title":"T","host":"huyen","start":"2026-12-01 08:00","duration":"1h","timeZone":"Mars/Base"})",
       422, "timeZone"},
      {R"({"title":"T","host":"huyen","start":"2026-12-01 08:00","duration":"1h","recurrence":{"kind":"weekly"}})",
       422, "recurrence.days"},
      {R"({"host":"huyen","start":"2026-12-01 08:00","duration":"1h"})", 422, "title"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(call(http::verb::post, "meetings", c.body), c.status) << c.body.substr(0, 120);
    EXPECT_EQ(errorField(), c.field) << c.body.substr(0, 120);
  }
  // Invalid UTF-8 never reaches a handler.
  EXPECT_EQ(call(http::verb::post, "meetings", "{\"title\":\"X\xff\",\"host\":\"huyen\"}"), 400);
  EXPECT_EQ(call(http::verb::post, "meetings", "not json"), 400);
  EXPECT_TRUE(store_.listMeetings({}).empty());
}

TEST_F(AdminApiTest, OverlapForTheSameHostIsRefusedUnlessAllowed) {
  ASSERT_EQ(call(http::verb::post, "meetings", kMeeting), 201);
  const std::string clash =
      R"({"title":"Họp khác","host":"huyen","start":"2026-12-01 09:00","duration":"1h")";
  EXPECT_EQ(call(http::verb::post, "meetings", clash + "}"), 409);
  EXPECT_EQ(errorField(), "start");
  EXPECT_EQ(store_.listMeetings({}).size(), 1u);
  EXPECT_EQ(call(http::verb::post, "meetings", clash + R"(,"allowOverlap":true})"), 201);
  EXPECT_EQ(store_.listMeetings({}).size(), 2u);
}

TEST_F(AdminApiTest, WeeklySeriesClashingOnALaterDateIsRefusedNamingTheDate) {
  // A one-off on Tuesday 22 December; the weekly Tuesday series first meets on 1 December.
  ASSERT_EQ(call(http::verb::post, "meetings",
                 R"({"title":"Tiếp dân","host":"huyen","start":"2026-12-22 09:00","duration":"1h"})"),
            201);
  auto oneOff = last_["id"].get<std::string>();
  const std::string series =
      R"({"title":"Giao ban tuần","host":"huyen","start":"2026-12-01 08:00","duration":"90m",)"
      R"("recurrence":{"kind":"weekly","days":["tue"]})";
  EXPECT_EQ(call(http::verb::post, "meetings", series + "}"), 409);
  EXPECT_EQ(errorField(), "start");
  auto message = last_["error"]["message"].get<std::string>();
  EXPECT_NE(message.find(oneOff), std::string::npos) << message;
  EXPECT_NE(message.find("2026-12-22 08:00"), std::string::npos) << message;
  // A series that ends before that Tuesday is fine.
  EXPECT_EQ(call(http::verb::post, "meetings",
                 R"({"title":"Giao ban ngắn","host":"huyen","start":"2026-12-01 08:00","duration":"90m",)"
                 R"("recurrence":{"kind":"weekly","days":["tue"],"until":"2026-12-16 00:00"}})"),
            201);
  auto shortSeries = last_["id"].get<std::string>();
  // A one-off on a later Tuesday now clashes with that series, named with its date.
  EXPECT_EQ(call(http::verb::post, "meetings",
                 R"({"title":"Họp","host":"huyen","start":"2026-12-15 08:30","duration":"30m"})"),
            409);
  message = last_["error"]["message"].get<std::string>();
  EXPECT_NE(message.find(shortSeries), std::string::npos) << message;
  EXPECT_NE(message.find("2026-12-15 08:30"), std::string::npos) << message;
  // Another series on Wednesdays does not clash; one on Tuesdays does, unless allowed.
  EXPECT_EQ(call(http::verb::post, "meetings",
                 R"({"title":"Thứ tư","host":"huyen","start":"2026-12-02 08:00","duration":"1h",)"
                 R"("recurrence":{"kind":"weekly","days":["wed"]}})"),
            201);
  EXPECT_EQ(call(http::verb::post, "meetings", series + R"(,"allowOverlap":true})"), 201);
  EXPECT_EQ(store_.listMeetings({}).size(), 4u);
}

TEST_F(AdminApiTest, LinksCarryVerifiableTokensAndRevocationWorks) {
  ASSERT_EQ(call(http::verb::post, "meetings", kMeeting), 201);
  auto id = last_["id"].get<std::string>();
  ASSERT_EQ(call(http::verb::get, "meetings/" + id + "/links"), 200);
  ASSERT_EQ(last_.size(), 3u);
  EXPECT_EQ(last_[0]["role"], "host");
  EXPECT_EQ(last_[1]["siteName"], "Xã Lăng Can");
  auto token = last_[1]["token"].get<std::string>();
  EXPECT_EQ(last_[1]["link"], "https://hop.huyen.gov.vn/join#token=" + token);
  auto during = std::chrono::sys_days{std::chrono::year{2026} / 12 / 1} + 1h + 10min;
  auto verified = tokens_.verifyJoinToken(token, during);
  ASSERT_TRUE(verified.ok());
  EXPECT_EQ(verified.claims().meetingId, id);
  EXPECT_EQ(verified.claims().siteId, "lang-can");
  EXPECT_EQ(verified.claims().role, tokens::Role::Site);
  EXPECT_EQ(call(http::verb::post, "tokens/revoke", json{{"token", token}}.dump()), 200);
  EXPECT_EQ(tokens_.verifyJoinToken(token, during).error(), tokens::TokenError::Revoked);

  EXPECT_EQ(
      call(http::verb::post, "tokens", json{{"meeting", id}, {"site", "bac-ha"}, {"role", "host"}}.dump()),
      422);
  EXPECT_EQ(errorField(), "role");
  EXPECT_EQ(
      call(http::verb::post, "tokens", json{{"meeting", id}, {"site", "bac-ha"}, {"role", "viewer"}}.dump()),
      201);
  EXPECT_EQ(call(http::verb::post, "tokens", json{{"meeting", "nope"}, {"site", "bac-ha"}}.dump()), 404);
  EXPECT_EQ(errorField(), "meeting");
}

TEST_F(AdminApiTest, CancelAndEdit) {
  ASSERT_EQ(call(http::verb::post, "meetings", kMeeting), 201);
  auto id = last_["id"].get<std::string>();
  EXPECT_EQ(call(http::verb::patch, "meetings/" + id, R"({"title":"Giao ban tháng","duration":"2h"})"), 200);
  EXPECT_EQ(last_["title"], "Giao ban tháng");
  EXPECT_EQ(last_["end"], "2026-12-01T03:00:00Z");
  EXPECT_EQ(call(http::verb::patch, "meetings/" + id, R"({"end":"2026-12-01 07:00"})"), 422);
  EXPECT_EQ(errorField(), "end");
  EXPECT_EQ(call(http::verb::post, "meetings/" + id + "/cancel"), 200);
  EXPECT_EQ(last_["state"], "cancelled");
  EXPECT_EQ(call(http::verb::post, "meetings/" + id + "/cancel"), 409);
  EXPECT_EQ(call(http::verb::patch, "meetings/" + id, R"({"title":"x"})"), 409);
  EXPECT_EQ(call(http::verb::get, "meetings/" + id + "/links"), 409);
}

TEST_F(AdminApiTest, StatusListsRunningMeetingsWithSiteNames) {
  ASSERT_EQ(call(http::verb::post, "meetings", kMeeting), 201);
  auto id = last_["id"].get<std::string>();
  store_.setMeetingState(id, store::MeetingState::Live);
  ASSERT_EQ(call(http::verb::get, "status"), 200);
  ASSERT_EQ(last_["meetings"].size(), 1u);
  EXPECT_EQ(last_["meetings"][0]["siteDetails"][0]["name"], "Hội trường UBND huyện");
  EXPECT_EQ(call(http::verb::get, "nothing-here"), 404);
}

TEST(DemoSeedTest, SeedsOnlyAnEmptyStore) {
  store::SqliteStore store(":memory:");
  auto now = std::chrono::sys_seconds{std::chrono::seconds{1'796'000'000}};
  EXPECT_EQ(seedDemo(store, now), "demo");
  EXPECT_EQ(store.listSites().size(), 9u);
  EXPECT_EQ(store.findSite("huyen")->name, "Hội trường UBND huyện");
  EXPECT_EQ(store.findMeeting("demo")->invitedSiteIds.size(), 8u);
  EXPECT_EQ(store.findMeeting("demo")->start, now);
  EXPECT_EQ(seedDemo(store, now), "");
}


TEST(AdminApiLimits, TheInvitedSiteBoundComesFromTheOptions) {
  FakeClock clock;
  store::SqliteStore store{":memory:"};
  tokens::TokenService tokens{tokens::SigningKeys::generate(),
                              [&store](const std::string& id) { return store.isTokenRevoked(id); }};
  AdminApiOptions options{kKey, "https://hop.huyen.gov.vn"};
  options.maxInvited = 1;
  AdminApi api{store, tokens, clock, options};
  auto call = [&](const std::string& path, const std::string& body) {
    AdminApi::Request request{http::verb::post, "/api/v1/" + path, 11};
    request.set(http::field::authorization, std::string("Bearer ") + kKey);
    request.body() = body;
    request.prepare_payload();
    return api.handle(request);
  };
  ASSERT_EQ(call("sites", R"({"id":"huyen","name":"Huyện","kind":"hall"})").result_int(), 201);
  ASSERT_EQ(call("sites", R"({"id":"lang-can","name":"Xã Lăng Can"})").result_int(), 201);
  ASSERT_EQ(call("sites", R"({"id":"bac-ha","name":"Xã Bắc Hà"})").result_int(), 201);
  auto refused = call("meetings", kMeeting);  // invites two sites
  EXPECT_EQ(refused.result_int(), 422);
  auto error = json::parse(refused.body())["error"];
  EXPECT_EQ(error["field"], "sites");
  EXPECT_NE(error["message"].get<std::string>().find("at most 1 site"), std::string::npos) << error.dump();
  EXPECT_EQ(call("meetings",
                 R"({"title":"T","host":"huyen","sites":["bac-ha"],"start":"2026-12-01 08:00","duration":"1h"})")
                .result_int(),
            201);
}

}  // namespace
}  // namespace diemcau::signaling::admin
