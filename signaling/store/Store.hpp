#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "signaling/store/AuditEntry.hpp"
#include "signaling/store/Meeting.hpp"
#include "signaling/store/Site.hpp"

namespace diemcau::signaling::store {

/// Selects meetings; empty fields select everything.
struct MeetingFilter {
  std::vector<MeetingState> states;
  std::optional<std::chrono::sys_seconds> endsAfter;
  std::optional<std::chrono::sys_seconds> startsBefore;
  std::optional<std::string> hostSiteId;
  std::optional<std::string> seriesId;
};

/**
 * The repository every caller uses; the only place SQL lives is behind it (SqliteStore today, a PostgreSQL
 * backend for clusters later). Called on the signaling thread only. Each write is atomic; runInTransaction
 * groups several writes (a change and its audit entry) so that either all or none is stored.
 * Errors: NotFoundError, ConflictError, StoreError.
 */
class Store {
 public:
  virtual ~Store() = default;

  virtual void addSite(const Site& site) = 0;
  virtual void updateSite(const Site& site) = 0;
  /// ConflictError while a meeting still names the site.
  virtual void removeSite(const std::string& id) = 0;
  virtual std::optional<Site> findSite(const std::string& id) const = 0;
  virtual std::vector<Site> listSites() const = 0;

  virtual void addMeeting(const Meeting& meeting) = 0;
  /// Replaces every field, invited sites included.
  virtual void updateMeeting(const Meeting& meeting) = 0;
  virtual void setMeetingState(const std::string& id, MeetingState state) = 0;
  virtual std::optional<Meeting> findMeeting(const std::string& id) const = 0;
  /// Ordered by start time.
  virtual std::vector<Meeting> listMeetings(const MeetingFilter& filter) const = 0;

  virtual void revokeToken(const std::string& tokenId, std::chrono::sys_seconds expiry,
                           std::chrono::sys_seconds at) = 0;
  virtual bool isTokenRevoked(const std::string& tokenId) const = 0;
  /// Forgets revocations of tokens that have expired anyway; returns how many.
  virtual std::size_t pruneRevokedTokens(std::chrono::sys_seconds now) = 0;

  virtual void appendAudit(const AuditEntry& entry) = 0;
  /// Newest first.
  virtual std::vector<AuditEntry> listAudit(std::size_t limit) const = 0;

  /// Runs work atomically; an exception from work rolls everything back and is rethrown.
  virtual void runInTransaction(const std::function<void()>& work) = 0;

  virtual int schemaVersion() const = 0;
};

}  // namespace diemcau::signaling::store
