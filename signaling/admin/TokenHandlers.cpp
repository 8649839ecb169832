#include "signaling/admin/AdminApi.hpp"
#include "signaling/admin/ApiError.hpp"
#include "signaling/admin/InputRules.hpp"
#include "signaling/scheduler/TimeText.hpp"

namespace diemcau::signaling::admin {

namespace http = boost::beast::http;
using nlohmann::json;
using std::chrono::sys_seconds;

json AdminApi::issueToken(const store::Meeting& m, const std::string& siteId, tokens::Role role,
                          std::optional<sys_seconds> validFrom, std::optional<sys_seconds> validUntil) {
  // A series token covers every occurrence: the join protocol maps it to the occurrence that is open.
  sys_seconds until = m.end + options_.tokenLate;
  if (m.isSeries()) {
    until = m.recurrence.until ? *m.recurrence.until + (m.end - m.start) + options_.tokenLate
                               : clock_.now() + options_.seriesTokenLifetime;
  }
  tokens::JoinClaims claims{m.id,
                            siteId,
                            role,
                            validFrom.value_or(m.start - m.lobbyLead - options_.tokenEarly),
                            validUntil.value_or(until),
                            ""};
  if (claims.expiry <= claims.notBefore)
    throw ApiError::invalid("validUntil", "validUntil must be after validFrom");
  auto token = tokens_.issue(claims, clock_.now());
  auto site = store_.findSite(siteId);
  return json{{"meeting", m.id},
              {"site", siteId},
              {"siteName", site ? site->name : siteId},
              {"role", tokens::toString(role)},
              {"notBefore", scheduler::formatUtc(claims.notBefore)},
              {"expiry", scheduler::formatUtc(claims.expiry)},
              {"tokenId", tokens_.readSigned(token)->tokenId},
              {"token", token},
              {"link", joinLink(options_.publicUrl, token)}};
}

json AdminApi::links(const store::Meeting& m) {
  json out = json::array();
  out.push_back(issueToken(m, m.hostSiteId, tokens::Role::Host, std::nullopt, std::nullopt));
  for (const auto& s : m.invitedSiteIds)
    out.push_back(issueToken(m, s, tokens::Role::Site, std::nullopt, std::nullopt));
  audit("meeting.links", m.id, std::to_string(out.size()) + " tokens");
  return out;
}

// POST /tokens, POST /tokens/revoke, POST /keys/rotate
json AdminApi::tokens(const Call& call, int& status) {
  if (call.method != http::verb::post) throw ApiError(405, "method_not_allowed", "use POST");
  auto now = clock_.now();
  if (call.path[0] == "keys") {
    if (call.path.size() != 2 || call.path[1] != "rotate") throw ApiError::notFound("no such endpoint");
    tokens_.rotateKey();
    audit("keys.rotate", tokens_.keys().current().id);
    return json{{"keyId", tokens_.keys().current().id}};
  }
  if (call.path.size() == 1) {
    auto m = requireMeeting(requiredText(call.body, "meeting", 64), "meeting");
    if (store::isFinal(m.state)) throw ApiError::conflict("meeting '" + m.id + "' has ended", "meeting");
    auto siteId = requiredText(call.body, "site", 63);
    bool invited =
        std::find(m.invitedSiteIds.begin(), m.invitedSiteIds.end(), siteId) != m.invitedSiteIds.end();
    if (siteId != m.hostSiteId && !invited) {
      throw ApiError::invalid("site", "site '" + siteId + "' is not invited to meeting '" + m.id + "'");
    }
    auto role = siteId == m.hostSiteId ? tokens::Role::Host : tokens::Role::Site;
    if (auto roleText = optionalText(call.body, "role", 16)) {
      auto parsed = tokens::parseRole(*roleText);
      if (!parsed) throw ApiError::invalid("role", "role must be host, site or viewer");
      if (*parsed == tokens::Role::Host && siteId != m.hostSiteId) {
        throw ApiError::invalid("role", "only the host site gets the host role");
      }
      role = *parsed;
    }
    auto zone = scheduler::TimeZone::load(m.timeZone).value_or(scheduler::TimeZone::utc());
    auto instant = [&](const char* name) -> std::optional<sys_seconds> {
      auto text = optionalText(call.body, name, 40);
      if (!text) return std::nullopt;
      auto t = scheduler::parseInstant(*text, zone, now);
      if (!t) throw ApiError::invalid(name, std::string(name) + " must be ISO 8601 or 'YYYY-MM-DD HH:MM'");
      return t;
    };
    auto out = issueToken(m, siteId, role, instant("validFrom"), instant("validUntil"));
    audit("token.issue", out["tokenId"], m.id + "/" + siteId);
    status = 201;
    return out;
  }
  if (call.path.size() == 2 && call.path[1] == "revoke") {
    std::string tokenId;
    sys_seconds expiry = now + std::chrono::hours{24 * 400};
    if (auto token = optionalText(call.body, "token", tokens::TokenService::kMaxTokenSize)) {
      auto claims = tokens_.readSigned(*token);
      if (!claims) throw ApiError::invalid("token", "not a token signed by this server");
      tokenId = claims->tokenId;
      expiry = claims->expiry;
    } else if (auto id = optionalText(call.body, "tokenId", 64)) {
      tokenId = *id;
    } else {
      throw ApiError::invalid("token", "token or tokenId is required");
    }
    store_.runInTransaction([&] {
      store_.revokeToken(tokenId, expiry, now);
      audit("token.revoke", tokenId);
    });
    return json{{"revoked", tokenId}};
  }
  throw ApiError::notFound("no such endpoint");
}

}  // namespace diemcau::signaling::admin
