#include "signaling/meeting/InvitedSites.hpp"

#include <set>
#include <string>

namespace diemcau::signaling::meeting {

nlohmann::json invitedSitesJson(const store::Store& store, const store::Meeting& meeting) {
  nlohmann::json out = nlohmann::json::array();
  std::set<std::string> seen;
  const auto add = [&](const std::string& siteId, const char* role) {
    if (siteId.empty() || !seen.insert(siteId).second) return;
    const auto site = store.findSite(siteId);
    out.push_back({{"site", siteId}, {"displayName", site ? site->name : siteId}, {"role", role}});
  };
  add(meeting.hostSiteId, "host");
  for (const auto& siteId : meeting.invitedSiteIds) add(siteId, "site");
  return out;
}

}  // namespace diemcau::signaling::meeting
