#pragma once

#include <string>

#include "signaling/store/SqliteDatabase.hpp"
#include "signaling/store/Store.hpp"

namespace diemcau::signaling::store {

/// The embedded Store: one SQLite file in the data directory, migrated when opened.
class SqliteStore final : public Store {
 public:
  /// path ":memory:" for tests; otherwise e.g. "<data-dir>/diemcau.db".
  explicit SqliteStore(const std::string& path);

  void addSite(const Site& site) override;
  void updateSite(const Site& site) override;
  void removeSite(const std::string& id) override;
  std::optional<Site> findSite(const std::string& id) const override;
  std::vector<Site> listSites() const override;

  void addMeeting(const Meeting& meeting) override;
  void updateMeeting(const Meeting& meeting) override;
  void setMeetingState(const std::string& id, MeetingState state) override;
  std::optional<Meeting> findMeeting(const std::string& id) const override;
  std::vector<Meeting> listMeetings(const MeetingFilter& filter) const override;

  void revokeToken(const std::string& tokenId, std::chrono::sys_seconds expiry,
                   std::chrono::sys_seconds at) override;
  bool isTokenRevoked(const std::string& tokenId) const override;
  std::size_t pruneRevokedTokens(std::chrono::sys_seconds now) override;

  void appendAudit(const AuditEntry& entry) override;
  std::vector<AuditEntry> listAudit(std::size_t limit) const override;

  void runInTransaction(const std::function<void()>& work) override;
  int schemaVersion() const override { return schemaVersion_; }

 private:
  void writeInvitedSites(const Meeting& meeting);
  std::vector<std::string> readInvitedSites(const std::string& meetingId) const;

  SqliteDatabase db_;
  int schemaVersion_ = 0;
};

}  // namespace diemcau::signaling::store
