#pragma once
// The few calls of the bridge's admin API (/api/v1, bearer key) the load generator needs to make
// sites, a meeting that is open now, and the join tokens of its links. Synchronous HTTP/1.1 over
// Boost.Beast; used once before the run, never on the media path. Throws std::runtime_error.
#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace diemcau::load {

class AdminClient {
 public:
  AdminClient(std::string host, std::string port, std::string key);

  /// Creates the site; an already existing site (HTTP 409) is fine.
  void addSite(const std::string& id, const std::string& name, const std::string& kind);
  /// A meeting that started a minute ago and lasts `hours`, hosted by `host`, inviting `sites`;
  /// waits until the store says open or live. Returns its id.
  std::string openMeeting(const std::string& title, const std::string& host, const std::vector<std::string>& sites,
                          int hours);
  /// {site id: token} of the meeting's links.
  std::map<std::string, std::string> links(const std::string& meetingId);

 private:
  struct Response {
    unsigned status = 0;
    std::string body;
  };
  Response call(const std::string& method, const std::string& path, const nlohmann::json* body);
  nlohmann::json callOk(const std::string& method, const std::string& path, const nlohmann::json* body);

  std::string host_;
  std::string port_;
  std::string key_;
};

}  // namespace diemcau::load
