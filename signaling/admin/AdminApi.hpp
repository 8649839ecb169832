#pragma once

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "signaling/admin/LiveStatusSource.hpp"
#include "signaling/http/HttpTypes.hpp"
#include "signaling/scheduler/Clock.hpp"
#include "signaling/scheduler/MeetingScheduler.hpp"
#include "signaling/store/Store.hpp"
#include "signaling/tokens/TokenService.hpp"

namespace diemcau::signaling::archive {
class MeetingArchive;
}

namespace diemcau::signaling::admin {

namespace http_stream = diemcau::signaling::http;

struct AdminApiOptions {
  std::string adminKey;
  std::string publicUrl = "http://127.0.0.1:8080";
  /// Join tokens are valid from this long before the lobby opens, for early arrivals and clock skew...
  std::chrono::minutes tokenEarly{30};
  /// ...until this long after the scheduled end (the grace period plus overrun).
  std::chrono::minutes tokenLate{60};
  /// Tokens of a recurring series without an end date last this long.
  std::chrono::hours seriesTokenLifetime{24 * 90};
  /// The most sites one meeting may invite (server option meeting-max-sites).
  std::size_t maxInvited = 500;
};

/**
 * The admin REST API under /api/v1/: sites, meetings, tokens, status, audit. JSON in and out, bearer admin
 * key. handle() is the whole entry point, so it runs in-process in tests and behind HttpServer::addRoute in
 * the server. Signaling thread only. Errors are {"error":{"code","message","field"}} with 400 (bad JSON),
 * 401 (no or wrong key), 404, 405, 409 (clash with stored state), 422 (a field is invalid).
 */
class AdminApi {
 public:
  using Request = boost::beast::http::request<boost::beast::http::string_body>;
  using Response = boost::beast::http::response<boost::beast::http::string_body>;

  /// scheduler may be null (then cancel only writes the state); onMeetingsChanged re-arms the scheduler
  /// timer.
  AdminApi(store::Store& store, tokens::TokenService& tokens, const scheduler::Clock& clock,
           AdminApiOptions options, scheduler::MeetingScheduler* scheduler = nullptr,
           std::function<void()> onMeetingsChanged = {}, const LiveStatusSource* live = nullptr);

  Response handle(const Request& request);
  /// handle(), except GET /api/v1/archives/<id>/export, which answers with the folder as a tar stream.
  http_stream::RoutedResponse handleRouted(const Request& request);

  static constexpr std::string_view kPrefix = "/api/v1/";
  static constexpr std::size_t kMaxBody = 64 * 1024;

  /// The live view is made after the API (the meeting service needs the API's store); set it once,
  /// before serving.
  void setLiveStatusSource(const LiveStatusSource* live) { live_ = live; }
  /// The archive folders behind /archives; without one the list is empty. Set once, before serving.
  void setArchive(archive::MeetingArchive* archive) { archive_ = archive; }

 private:
  using Query = std::map<std::string, std::string>;
  struct Call {
    boost::beast::http::verb method;
    std::vector<std::string> path;  // segments after /api/v1/
    Query query;
    nlohmann::json body;
  };

  nlohmann::json dispatch(const Call& call, int& status);
  nlohmann::json sites(const Call& call, int& status);
  nlohmann::json meetings(const Call& call, int& status);
  nlohmann::json tokens(const Call& call, int& status);
  nlohmann::json status(const Call& call);
  nlohmann::json archives(const Call& call, int& status);
  std::filesystem::path requireArchive(const std::string& id) const;

  nlohmann::json createMeeting(const nlohmann::json& body);
  nlohmann::json editMeeting(const std::string& id, const nlohmann::json& body);
  /// Reads the fields present in body onto meeting; throws ApiError naming the field.
  void applyMeetingFields(store::Meeting& meeting, const nlohmann::json& body, bool creating);
  void checkMeetingRules(const store::Meeting& meeting, bool allowOverlap);
  nlohmann::json links(const store::Meeting& meeting);
  nlohmann::json issueToken(const store::Meeting& meeting, const std::string& siteId, tokens::Role role,
                            std::optional<std::chrono::sys_seconds> validFrom,
                            std::optional<std::chrono::sys_seconds> validUntil);
  store::Meeting requireMeeting(const std::string& id, const char* field = nullptr) const;
  store::Site requireSite(const std::string& id, const char* field = nullptr) const;
  void audit(const std::string& action, const std::string& target, const std::string& detail = {});

  store::Store& store_;
  tokens::TokenService& tokens_;
  const scheduler::Clock& clock_;
  AdminApiOptions options_;
  scheduler::MeetingScheduler* scheduler_;
  std::function<void()> onMeetingsChanged_;
  const LiveStatusSource* live_;
  archive::MeetingArchive* archive_ = nullptr;
  struct Verified {
    bool ok = false;
    std::string at;
  };
  /// The last verification of each archive since the server started (hashing is too slow for every list).
  std::map<std::string, Verified> verified_;
};

/// "<publicUrl>/?token=<token>": the link a commune opens.
std::string joinLink(const std::string& publicUrl, const std::string& token);

}  // namespace diemcau::signaling::admin
