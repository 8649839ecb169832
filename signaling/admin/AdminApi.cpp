#include "signaling/admin/AdminApi.hpp"

#include <openssl/crypto.h>
#include <spdlog/spdlog.h>
#include <algorithm>

#include "signaling/admin/ApiError.hpp"
#include "signaling/admin/JsonCodec.hpp"
#include "signaling/store/StoreError.hpp"

namespace diemcau::signaling::admin {

namespace http = boost::beast::http;
using nlohmann::json;

namespace {

std::vector<std::string> splitPath(std::string_view path) {
  std::vector<std::string> parts;
  std::size_t pos = 0;
  while (pos < path.size()) {
    auto next = path.find('/', pos);
    if (next == std::string_view::npos) next = path.size();
    if (next > pos) parts.emplace_back(path.substr(pos, next - pos));
    pos = next + 1;
  }
  return parts;
}

int hexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string percentDecode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hexValue(s[i + 1]) >= 0 && hexValue(s[i + 2]) >= 0) {
      out += static_cast<char>(hexValue(s[i + 1]) * 16 + hexValue(s[i + 2]));
      i += 2;
    } else {
      out += s[i] == '+' ? ' ' : s[i];
    }
  }
  return out;
}

std::map<std::string, std::string> parseQuery(std::string_view q) {
  std::map<std::string, std::string> out;
  std::size_t pos = 0;
  while (pos < q.size()) {
    auto amp = q.find('&', pos);
    if (amp == std::string_view::npos) amp = q.size();
    auto item = q.substr(pos, amp - pos);
    auto eq = item.find('=');
    if (!item.empty()) {
      out[percentDecode(item.substr(0, eq))] =
          eq == std::string_view::npos ? "" : percentDecode(item.substr(eq + 1));
    }
    pos = amp + 1;
  }
  return out;
}

bool keyMatches(std::string_view given, const std::string& expected) {
  return given.size() == expected.size() && CRYPTO_memcmp(given.data(), expected.data(), given.size()) == 0;
}

}  // namespace

std::string joinLink(const std::string& publicUrl, const std::string& token) {
  std::string base = publicUrl;
  while (!base.empty() && base.back() == '/') base.pop_back();
  // The token travels in the fragment, so it never reaches a server log or a proxy.
  return base + "/join#token=" + token;
}

AdminApi::AdminApi(store::Store& store, tokens::TokenService& tokens, const scheduler::Clock& clock,
                   AdminApiOptions options, scheduler::MeetingScheduler* scheduler,
                   std::function<void()> onMeetingsChanged, const LiveStatusSource* live)
    : store_(store),
      tokens_(tokens),
      clock_(clock),
      options_(std::move(options)),
      scheduler_(scheduler),
      onMeetingsChanged_(std::move(onMeetingsChanged)),
      live_(live) {}

AdminApi::Response AdminApi::handle(const Request& request) {
  Response response;
  response.version(request.version());
  response.keep_alive(request.keep_alive());
  response.set(http::field::content_type, "application/json; charset=utf-8");
  response.set(http::field::cache_control, "no-store");
  int status = 200;
  json body;
  try {
    auto authField = request[http::field::authorization];
    std::string_view auth(authField.data(), authField.size());
    constexpr std::string_view kBearer = "Bearer ";
    if (auth.empty()) {
      response.set(http::field::www_authenticate, "Bearer realm=\"diemcau-admin\"");
      throw ApiError(401, "unauthorized", "an admin key is required (Authorization: Bearer <key>)");
    }
    if (auth.size() <= kBearer.size() || auth.substr(0, kBearer.size()) != kBearer ||
        !keyMatches(std::string_view(auth.data() + kBearer.size(), auth.size() - kBearer.size()),
                    options_.adminKey)) {
      response.set(http::field::www_authenticate, "Bearer realm=\"diemcau-admin\", error=\"invalid_token\"");
      throw ApiError(401, "unauthorized", "the admin key is wrong");
    }
    std::string_view target(request.target().data(), request.target().size());
    auto question = target.find('?');
    auto path = target.substr(0, question);
    if (path.substr(0, kPrefix.size()) != kPrefix && path != kPrefix.substr(0, kPrefix.size() - 1)) {
      throw ApiError::notFound("no such endpoint");
    }
    Call call{
        request.method(), splitPath(path.substr(std::min(path.size(), kPrefix.size()))), {}, json::object()};
    for (auto& segment : call.path) segment = percentDecode(segment);
    if (question != std::string_view::npos) call.query = parseQuery(target.substr(question + 1));
    if (request.body().size() > kMaxBody) throw ApiError(413, "too_large", "request body is too large");
    if (!request.body().empty()) {
      call.body = json::parse(request.body(), nullptr, false);
      if (call.body.is_discarded()) {
        throw ApiError(400, "bad_json", "request body is not valid JSON (text must be UTF-8)");
      }
      if (!call.body.is_object()) throw ApiError(400, "bad_json", "request body must be a JSON object");
    }
    body = dispatch(call, status);
  } catch (const ApiError& e) {
    status = e.status();
    body = {{"error", {{"code", e.code()}, {"message", e.what()}}}};
    if (!e.field().empty()) body["error"]["field"] = e.field();
  } catch (const store::NotFoundError& e) {
    status = 404;
    body = {{"error", {{"code", "not_found"}, {"message", e.what()}}}};
  } catch (const store::ConflictError& e) {
    status = 409;
    body = {{"error", {{"code", "conflict"}, {"message", e.what()}}}};
  } catch (const std::exception& e) {
    spdlog::error("admin: {} {}: {}", std::string(request.method_string()), std::string(request.target()),
                  e.what());
    status = 500;
    body = {{"error", {{"code", "internal"}, {"message", "internal error; see the server log"}}}};
  }
  response.result(static_cast<http::status>(status));
  if (status != 204) response.body() = body.dump(-1, ' ', false, json::error_handler_t::replace) + "\n";
  response.prepare_payload();
  return response;
}

json AdminApi::dispatch(const Call& call, int& status) {
  if (call.path.empty()) throw ApiError::notFound("no such endpoint");
  const auto& root = call.path[0];
  if (root == "sites") return sites(call, status);
  if (root == "meetings") return meetings(call, status);
  if (root == "tokens" || root == "keys") return tokens(call, status);
  if (root == "status" && call.path.size() == 1) {
    if (call.method != http::verb::get) throw ApiError(405, "method_not_allowed", "use GET");
    return this->status(call);
  }
  if (root == "archives") return archives(call, status);
  if (root == "audit" && call.path.size() == 1) {
    std::size_t limit = 100;
    if (auto it = call.query.find("limit"); it != call.query.end()) {
      try {
        limit = std::clamp<std::size_t>(std::stoul(it->second), 1, 1000);
      } catch (const std::exception&) {
        throw ApiError::invalid("limit", "limit must be a number");
      }
    }
    json out = json::array();
    for (const auto& e : store_.listAudit(limit)) out.push_back(toJson(e));
    return out;
  }
  throw ApiError::notFound("no such endpoint");
}

void AdminApi::audit(const std::string& action, const std::string& target, const std::string& detail) {
  store_.appendAudit(store::AuditEntry{0, clock_.now(), "admin-key", action, target, detail});
}

store::Meeting AdminApi::requireMeeting(const std::string& id, const char* field) const {
  auto m = store_.findMeeting(id);
  if (!m) throw ApiError::notFound("meeting '" + id + "' not found", field ? field : "");
  return *m;
}

store::Site AdminApi::requireSite(const std::string& id, const char* field) const {
  auto s = store_.findSite(id);
  if (!s) throw ApiError::notFound("site '" + id + "' not found", field ? field : "");
  return *s;
}

}  // namespace diemcau::signaling::admin
