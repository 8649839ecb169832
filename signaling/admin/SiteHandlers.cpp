#include "signaling/admin/AdminApi.hpp"
#include "signaling/admin/ApiError.hpp"
#include "signaling/admin/InputRules.hpp"
#include "signaling/admin/JsonCodec.hpp"
#include "signaling/store/StoreError.hpp"

namespace diemcau::signaling::admin {

namespace http = boost::beast::http;
using nlohmann::json;

namespace {

constexpr std::size_t kMaxName = 120;
constexpr std::size_t kMaxContact = 200;

store::SiteKind readKind(const json& body, store::SiteKind fallback) {
  auto text = optionalText(body, "kind", 16);
  if (!text) return fallback;
  auto kind = store::parseSiteKind(*text);
  if (!kind) throw ApiError::invalid("kind", "kind must be hall, commune or other");
  return *kind;
}

}  // namespace

// GET /sites, POST /sites, GET|PATCH|DELETE /sites/{id}
json AdminApi::sites(const Call& call, int& status) {
  if (call.path.size() == 1) {
    if (call.method == http::verb::get) {
      json out = json::array();
      for (const auto& s : store_.listSites()) out.push_back(toJson(s));
      return out;
    }
    if (call.method != http::verb::post) throw ApiError(405, "method_not_allowed", "use GET or POST");
    store::Site site;
    site.id = requiredText(call.body, "id", 63);
    if (!isSlug(site.id)) {
      throw ApiError::invalid("id", "id must be 1-63 of a-z, 0-9 and '-' (e.g. lang-can)");
    }
    site.name = requiredText(call.body, "name", kMaxName);
    site.kind = readKind(call.body, store::SiteKind::Commune);
    site.contact = optionalText(call.body, "contact", kMaxContact, false, true).value_or("");
    site.createdAt = clock_.now();
    if (store_.findSite(site.id)) throw ApiError::conflict("site '" + site.id + "' already exists", "id");
    store_.runInTransaction([&] {
      store_.addSite(site);
      audit("site.add", site.id, site.name);
    });
    status = 201;
    return toJson(site);
  }
  if (call.path.size() != 2) throw ApiError::notFound("no such endpoint");
  auto site = requireSite(call.path[1]);
  switch (call.method) {
    case http::verb::get:
      return toJson(site);
    case http::verb::patch: {
      if (call.body.contains("id")) throw ApiError::invalid("id", "a site's id cannot change");
      if (auto name = optionalText(call.body, "name", kMaxName)) site.name = *name;
      site.kind = readKind(call.body, site.kind);
      if (auto contact = optionalText(call.body, "contact", kMaxContact, false, true))
        site.contact = *contact;
      if (site.kind != store::SiteKind::Hall) {
        store::MeetingFilter hosted;
        hosted.hostSiteId = site.id;
        hosted.states = {store::MeetingState::Scheduled, store::MeetingState::Open,
                         store::MeetingState::Live};
        if (!store_.listMeetings(hosted).empty()) {
          throw ApiError::conflict(
              "site '" + site.id + "' hosts meetings that have not ended; it must stay a hall", "kind");
        }
      }
      store_.runInTransaction([&] {
        store_.updateSite(site);
        audit("site.edit", site.id, site.name);
      });
      return toJson(site);
    }
    case http::verb::delete_: {
      try {
        store_.runInTransaction([&] {
          store_.removeSite(site.id);
          audit("site.remove", site.id, site.name);
        });
      } catch (const store::ConflictError&) {
        throw ApiError::conflict("site '" + site.id +
                                 "' is still named by a meeting; cancel or edit it first");
      }
      status = 204;
      return nullptr;
    }
    default:
      throw ApiError(405, "method_not_allowed", "use GET, PATCH or DELETE");
  }
}

}  // namespace diemcau::signaling::admin
