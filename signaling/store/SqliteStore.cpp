#include "signaling/store/SqliteStore.hpp"

#include "signaling/store/SqliteMigrations.hpp"
#include "signaling/store/StoreError.hpp"

namespace diemcau::signaling::store {

namespace {

using std::chrono::sys_seconds;

std::int64_t toUnix(sys_seconds t) {
  return t.time_since_epoch().count();
}
sys_seconds fromUnix(std::int64_t s) {
  return sys_seconds{std::chrono::seconds{s}};
}

constexpr const char* kMeetingColumns =
    "id, title, agenda, host_site_id, start_at, end_at, time_zone, recurrence, recurrence_days, "
    "recurrence_until, recording, lobby_lead_s, state, series_id, created_at";

Site readSite(const SqliteStatement& row) {
  Site site;
  site.id = row.text(0);
  site.name = row.text(1);
  site.kind = parseSiteKind(row.text(2)).value_or(SiteKind::Other);
  site.contact = row.text(3);
  site.createdAt = fromUnix(row.integer(4));
  return site;
}

Meeting readMeeting(const SqliteStatement& row) {
  Meeting m;
  m.id = row.text(0);
  m.title = row.text(1);
  m.agenda = row.text(2);
  m.hostSiteId = row.text(3);
  m.start = fromUnix(row.integer(4));
  m.end = fromUnix(row.integer(5));
  m.timeZone = row.text(6);
  m.recurrence.kind = parseRecurrenceKind(row.text(7)).value_or(RecurrenceKind::None);
  m.recurrence.weekdays = static_cast<std::uint8_t>(row.integer(8) & 0x7f);
  if (!row.isNull(9)) m.recurrence.until = fromUnix(row.integer(9));
  m.recording = parseRecordingPolicy(row.text(10)).value_or(RecordingPolicy::None);
  m.lobbyLead = std::chrono::duration_cast<std::chrono::minutes>(std::chrono::seconds{row.integer(11)});
  m.state = parseMeetingState(row.text(12)).value_or(MeetingState::Scheduled);
  if (!row.isNull(13)) m.seriesId = row.text(13);
  m.createdAt = fromUnix(row.integer(14));
  return m;
}

// Binds the 15 meeting columns in kMeetingColumns order, starting at parameter 1.
void bindMeeting(SqliteStatement& stmt, const Meeting& m) {
  stmt.bind(1, m.id).bind(2, m.title).bind(3, m.agenda).bind(4, m.hostSiteId);
  stmt.bind(5, toUnix(m.start)).bind(6, toUnix(m.end)).bind(7, m.timeZone);
  stmt.bind(8, toString(m.recurrence.kind)).bind(9, std::int64_t{m.recurrence.weekdays});
  stmt.bind(10, m.recurrence.until ? std::optional<std::int64_t>(toUnix(*m.recurrence.until)) : std::nullopt);
  stmt.bind(11, toString(m.recording));
  stmt.bind(12, static_cast<std::int64_t>(std::chrono::seconds(m.lobbyLead).count()));
  stmt.bind(13, toString(m.state));
  if (m.seriesId.empty()) {
    stmt.bindNull(14);
  } else {
    stmt.bind(14, m.seriesId);
  }
  stmt.bind(15, toUnix(m.createdAt));
}

}  // namespace

SqliteStore::SqliteStore(const std::string& path) : db_(path) {
  schemaVersion_ = migrate(db_);
}

void SqliteStore::addSite(const Site& site) {
  if (findSite(site.id)) throw ConflictError("site '" + site.id + "' already exists");
  db_.prepare("INSERT INTO sites(id, name, kind, contact, created_at) VALUES (?, ?, ?, ?, ?);")
      .bind(1, site.id)
      .bind(2, site.name)
      .bind(3, toString(site.kind))
      .bind(4, site.contact)
      .bind(5, toUnix(site.createdAt))
      .run();
}

void SqliteStore::updateSite(const Site& site) {
  db_.prepare("UPDATE sites SET name = ?, kind = ?, contact = ? WHERE id = ?;")
      .bind(1, site.name)
      .bind(2, toString(site.kind))
      .bind(3, site.contact)
      .bind(4, site.id)
      .run();
  if (db_.changes() == 0) throw NotFoundError("site '" + site.id + "' not found");
}

void SqliteStore::removeSite(const std::string& id) {
  if (!findSite(id)) throw NotFoundError("site '" + id + "' not found");
  try {
    db_.prepare("DELETE FROM sites WHERE id = ?;").bind(1, id).run();
  } catch (const ConflictError&) {
    throw ConflictError("site '" + id + "' is still named by a meeting");
  }
}

std::optional<Site> SqliteStore::findSite(const std::string& id) const {
  auto stmt = db_.prepare("SELECT id, name, kind, contact, created_at FROM sites WHERE id = ?;");
  stmt.bind(1, id);
  if (!stmt.step()) return std::nullopt;
  return readSite(stmt);
}

std::vector<Site> SqliteStore::listSites() const {
  auto stmt = db_.prepare(
      "SELECT id, name, kind, contact, created_at FROM sites "
      "ORDER BY CASE kind WHEN 'hall' THEN 0 WHEN 'commune' THEN 1 ELSE 2 END, id;");
  std::vector<Site> sites;
  while (stmt.step()) sites.push_back(readSite(stmt));
  return sites;
}

void SqliteStore::writeInvitedSites(const Meeting& meeting) {
  db_.prepare("DELETE FROM meeting_sites WHERE meeting_id = ?;").bind(1, meeting.id).run();
  std::int64_t position = 0;
  for (const auto& siteId : meeting.invitedSiteIds) {
    db_.prepare("INSERT INTO meeting_sites(meeting_id, site_id, position) VALUES (?, ?, ?);")
        .bind(1, meeting.id)
        .bind(2, siteId)
        .bind(3, position++)
        .run();
  }
}

std::vector<std::string> SqliteStore::readInvitedSites(const std::string& meetingId) const {
  auto stmt = db_.prepare("SELECT site_id FROM meeting_sites WHERE meeting_id = ? ORDER BY position;");
  stmt.bind(1, meetingId);
  std::vector<std::string> ids;
  while (stmt.step()) ids.push_back(stmt.text(0));
  return ids;
}

void SqliteStore::addMeeting(const Meeting& meeting) {
  if (findMeeting(meeting.id)) throw ConflictError("meeting '" + meeting.id + "' already exists");
  SqliteTransaction tx(db_);
  auto stmt = db_.prepare(std::string("INSERT INTO meetings(") + kMeetingColumns +
                          ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?);");
  bindMeeting(stmt, meeting);
  stmt.run();
  writeInvitedSites(meeting);
  tx.commit();
}

void SqliteStore::updateMeeting(const Meeting& meeting) {
  SqliteTransaction tx(db_);
  auto stmt = db_.prepare(
      "UPDATE meetings SET id = ?1, title = ?2, agenda = ?3, host_site_id = ?4, start_at = ?5, end_at = ?6, "
      "time_zone = ?7, recurrence = ?8, recurrence_days = ?9, recurrence_until = ?10, recording = ?11, "
      "lobby_lead_s = ?12, state = ?13, series_id = ?14, created_at = ?15 WHERE id = ?1;");
  bindMeeting(stmt, meeting);
  stmt.run();
  if (db_.changes() == 0) throw NotFoundError("meeting '" + meeting.id + "' not found");
  writeInvitedSites(meeting);
  tx.commit();
}

void SqliteStore::setMeetingState(const std::string& id, MeetingState state) {
  db_.prepare("UPDATE meetings SET state = ? WHERE id = ?;").bind(1, toString(state)).bind(2, id).run();
  if (db_.changes() == 0) throw NotFoundError("meeting '" + id + "' not found");
}

std::optional<Meeting> SqliteStore::findMeeting(const std::string& id) const {
  auto stmt = db_.prepare(std::string("SELECT ") + kMeetingColumns + " FROM meetings WHERE id = ?;");
  stmt.bind(1, id);
  if (!stmt.step()) return std::nullopt;
  Meeting m = readMeeting(stmt);
  m.invitedSiteIds = readInvitedSites(m.id);
  return m;
}

std::vector<Meeting> SqliteStore::listMeetings(const MeetingFilter& filter) const {
  // Every condition is optional: a NULL parameter switches it off, so the statement text never varies.
  std::string states;
  for (auto s : filter.states) states += std::string(",") + std::string(toString(s));
  auto stmt = db_.prepare(std::string("SELECT ") + kMeetingColumns +
                          " FROM meetings WHERE (?1 IS NULL OR instr(?1, ',' || state) > 0)"
                          " AND (?2 IS NULL OR end_at > ?2) AND (?3 IS NULL OR start_at < ?3)"
                          " AND (?4 IS NULL OR host_site_id = ?4) AND (?5 IS NULL OR series_id = ?5)"
                          " ORDER BY start_at, id;");
  if (states.empty()) {
    stmt.bindNull(1);
  } else {
    stmt.bind(1, states + ",");
  }
  stmt.bind(2, filter.endsAfter ? std::optional<std::int64_t>(toUnix(*filter.endsAfter)) : std::nullopt);
  stmt.bind(3,
            filter.startsBefore ? std::optional<std::int64_t>(toUnix(*filter.startsBefore)) : std::nullopt);
  if (filter.hostSiteId) {
    stmt.bind(4, *filter.hostSiteId);
  } else {
    stmt.bindNull(4);
  }
  if (filter.seriesId) {
    stmt.bind(5, *filter.seriesId);
  } else {
    stmt.bindNull(5);
  }
  std::vector<Meeting> meetings;
  while (stmt.step()) meetings.push_back(readMeeting(stmt));
  for (auto& m : meetings) m.invitedSiteIds = readInvitedSites(m.id);
  return meetings;
}

void SqliteStore::revokeToken(const std::string& tokenId, sys_seconds expiry, sys_seconds at) {
  db_.prepare("INSERT OR REPLACE INTO revoked_tokens(token_id, expires_at, revoked_at) VALUES (?, ?, ?);")
      .bind(1, tokenId)
      .bind(2, toUnix(expiry))
      .bind(3, toUnix(at))
      .run();
}

bool SqliteStore::isTokenRevoked(const std::string& tokenId) const {
  auto stmt = db_.prepare("SELECT 1 FROM revoked_tokens WHERE token_id = ?;");
  stmt.bind(1, tokenId);
  return stmt.step();
}

std::size_t SqliteStore::pruneRevokedTokens(sys_seconds now) {
  db_.prepare("DELETE FROM revoked_tokens WHERE expires_at < ?;").bind(1, toUnix(now)).run();
  return static_cast<std::size_t>(db_.changes());
}

void SqliteStore::appendAudit(const AuditEntry& entry) {
  db_.prepare("INSERT INTO audit_log(at, actor, action, target, detail) VALUES (?, ?, ?, ?, ?);")
      .bind(1, toUnix(entry.at))
      .bind(2, entry.actor)
      .bind(3, entry.action)
      .bind(4, entry.target)
      .bind(5, entry.detail)
      .run();
}

std::vector<AuditEntry> SqliteStore::listAudit(std::size_t limit) const {
  auto stmt =
      db_.prepare("SELECT id, at, actor, action, target, detail FROM audit_log ORDER BY id DESC LIMIT ?;");
  stmt.bind(1, static_cast<std::int64_t>(limit));
  std::vector<AuditEntry> entries;
  while (stmt.step()) {
    entries.push_back(AuditEntry{stmt.integer(0), fromUnix(stmt.integer(1)), stmt.text(2), stmt.text(3),
                                 stmt.text(4), stmt.text(5)});
  }
  return entries;
}

void SqliteStore::runInTransaction(const std::function<void()>& work) {
  SqliteTransaction tx(db_);
  work();
  tx.commit();
}

}  // namespace diemcau::signaling::store
