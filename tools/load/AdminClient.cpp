#include "tools/load/AdminClient.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

#include <chrono>
#include <ctime>
#include <stdexcept>
#include <thread>

namespace diemcau::load {

namespace beast = boost::beast;
namespace http = beast::http;

AdminClient::AdminClient(std::string host, std::string port, std::string key)
    : host_(std::move(host)), port_(std::move(port)), key_(std::move(key)) {}

AdminClient::Response AdminClient::call(const std::string& method, const std::string& path,
                                        const nlohmann::json* body) {
  boost::asio::io_context io;
  boost::asio::ip::tcp::resolver resolver(io);
  beast::tcp_stream stream(io);
  stream.expires_after(std::chrono::seconds(15));
  stream.connect(resolver.resolve(host_, port_));
  http::request<http::string_body> request{http::string_to_verb(method), "/api/v1/" + path, 11};
  request.set(http::field::host, host_ + ":" + port_);
  request.set(http::field::authorization, "Bearer " + key_);
  if (body != nullptr) {
    request.set(http::field::content_type, "application/json");
    request.body() = body->dump();
  }
  request.prepare_payload();
  http::write(stream, request);
  beast::flat_buffer buffer;
  http::response<http::string_body> response;
  http::read(stream, buffer, response);
  beast::error_code ignored;
  stream.socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
  return Response{response.result_int(), response.body()};
}

nlohmann::json AdminClient::callOk(const std::string& method, const std::string& path, const nlohmann::json* body) {
  const Response response = call(method, path, body);
  if (response.status / 100 != 2) {
    throw std::runtime_error("admin API " + method + " " + path + " answered " + std::to_string(response.status) +
                             ": " + response.body);
  }
  return response.body.empty() ? nlohmann::json() : nlohmann::json::parse(response.body);
}

void AdminClient::addSite(const std::string& id, const std::string& name, const std::string& kind) {
  const nlohmann::json body{{"id", id}, {"name", name}, {"kind", kind}};
  const Response response = call("POST", "sites", &body);
  if (response.status / 100 != 2 && response.status != 409) {
    throw std::runtime_error("admin API POST sites answered " + std::to_string(response.status) + ": " +
                             response.body);
  }
}

std::string AdminClient::openMeeting(const std::string& title, const std::string& host,
                                     const std::vector<std::string>& sites, int hours) {
  const std::time_t start = std::time(nullptr) - 60;
  std::tm utc{};
  gmtime_r(&start, &utc);
  char startText[32];
  std::strftime(startText, sizeof startText, "%Y-%m-%dT%H:%M:%SZ", &utc);
  const nlohmann::json body{{"title", title},       {"host", host},
                            {"sites", sites},       {"timeZone", "UTC"},
                            {"start", startText},   {"duration", std::to_string(hours) + "h"},
                            {"lobbyMinutes", 5}};
  nlohmann::json meeting = callOk("POST", "meetings", &body);
  const std::string id = meeting.at("id").get<std::string>();
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (meeting.value("state", "") != "open" && meeting.value("state", "") != "live") {
    if (std::chrono::steady_clock::now() > deadline) {
      throw std::runtime_error("meeting " + id + " stayed " + meeting.value("state", "?"));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    meeting = callOk("GET", "meetings/" + id, nullptr);
  }
  return id;
}

std::map<std::string, std::string> AdminClient::links(const std::string& meetingId) {
  std::map<std::string, std::string> tokens;
  for (const auto& entry : callOk("GET", "meetings/" + meetingId + "/links", nullptr)) {
    tokens[entry.at("site").get<std::string>()] = entry.at("token").get<std::string>();
  }
  return tokens;
}

}  // namespace diemcau::load
