#include "tools/diemcauctl/AdminClient.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>

#include <filesystem>
#include <fstream>
#include <limits>
#include <vector>

namespace diemcau::tools::ctl {

namespace beast = boost::beast;
namespace http = beast::http;
using tcp = boost::asio::ip::tcp;

AdminClient::AdminClient(const std::string& url, std::string key) : key_(std::move(key)) {
  const std::string scheme = "http://";
  if (url.rfind(scheme, 0) != 0) throw TransportError("--url must start with http:// (got '" + url + "')");
  auto rest = url.substr(scheme.size());
  rest = rest.substr(0, rest.find('/'));
  auto colon = rest.rfind(':');
  host_ = colon == std::string::npos ? rest : rest.substr(0, colon);
  port_ = colon == std::string::npos ? "80" : rest.substr(colon + 1);
  if (host_.empty() || port_.empty()) throw TransportError("cannot read host and port from '" + url + "'");
}

ApiReply AdminClient::request(const std::string& method, const std::string& path,
                              const nlohmann::json* body) const {
  try {
    boost::asio::io_context io;
    tcp::resolver resolver(io);
    beast::tcp_stream stream(io);
    stream.expires_after(std::chrono::seconds(15));
    stream.connect(resolver.resolve(host_, port_));
    http::request<http::string_body> req{http::string_to_verb(method), "/api/v1/" + path, 11};
    req.set(http::field::host, host_);
    req.set(http::field::user_agent, "diemcauctl");
    req.set(http::field::authorization, "Bearer " + key_);
    req.set(http::field::accept, "application/json");
    if (body) {
      req.set(http::field::content_type, "application/json");
      req.body() = body->dump();
    }
    req.prepare_payload();
    http::write(stream, req);
    beast::flat_buffer buffer;
    http::response_parser<http::string_body> parser;
    parser.body_limit(16 * 1024 * 1024);
    http::read(stream, buffer, parser);
    auto res = parser.release();
    beast::error_code ec;
    stream.socket().shutdown(tcp::socket::shutdown_both, ec);
    ApiReply reply{static_cast<int>(res.result_int()), nullptr};
    if (!res.body().empty()) {
      reply.body = nlohmann::json::parse(res.body(), nullptr, false);
      if (reply.body.is_discarded()) {
        throw TransportError("server answered " + std::to_string(reply.status) +
                             " with a body that is not JSON");
      }
    }
    return reply;
  } catch (const boost::system::system_error& e) {
    throw TransportError("cannot reach " + host_ + ":" + port_ + ": " + e.code().message());
  }
}

ApiReply AdminClient::download(const std::string& path, const std::string& file) const {
  try {
    boost::asio::io_context io;
    tcp::resolver resolver(io);
    beast::tcp_stream stream(io);
    stream.expires_after(std::chrono::seconds(15));
    stream.connect(resolver.resolve(host_, port_));
    http::request<http::string_body> req{http::verb::get, "/api/v1/" + path, 11};
    req.set(http::field::host, host_);
    req.set(http::field::user_agent, "diemcauctl");
    req.set(http::field::authorization, "Bearer " + key_);
    req.prepare_payload();
    http::write(stream, req);
    beast::flat_buffer buffer;
    // buffer_body: the body passes through a fixed buffer to its destination, never whole in memory.
    http::response_parser<http::buffer_body> parser;
    // A number, not boost::none: Boost 1.74 compares the length against an empty optional as larger.
    parser.body_limit(std::numeric_limits<std::uint64_t>::max());
    stream.expires_after(std::chrono::seconds(30));
    http::read_header(stream, buffer, parser);
    const int status = static_cast<int>(parser.get().result_int());
    const std::string partial = file + ".part";
    std::ofstream out;
    if (status == 200) {
      out.open(partial, std::ios::binary | std::ios::trunc);
      if (!out) throw TransportError("cannot write " + partial);
    }
    std::string errorBody;
    std::vector<char> chunk(64 * 1024);
    uint64_t bytes = 0;
    beast::error_code ec;
    // Each read has its own deadline, so a long download over a healthy connection never times out.
    while (!parser.is_done()) {
      parser.get().body().data = chunk.data();
      parser.get().body().size = chunk.size();
      stream.expires_after(std::chrono::seconds(30));
      http::read(stream, buffer, parser, ec);
      if (ec == http::error::need_buffer) ec = {};
      if (ec) {
        out.close();
        std::filesystem::remove(partial);
        throw TransportError("download of " + path + " broke off: " + ec.message());
      }
      const size_t got = chunk.size() - parser.get().body().size;
      bytes += got;
      if (status == 200) {
        out.write(chunk.data(), static_cast<std::streamsize>(got));
        if (!out) throw TransportError("cannot write " + partial);
      } else if (errorBody.size() < 1024 * 1024) {
        errorBody.append(chunk.data(), got);
      }
    }
    stream.socket().shutdown(tcp::socket::shutdown_both, ec);
    if (status != 200) {
      ApiReply reply{status, nlohmann::json::parse(errorBody, nullptr, false)};
      if (reply.body.is_discarded()) reply.body = nullptr;
      return reply;
    }
    out.close();
    if (!out) throw TransportError("cannot write " + partial);
    std::filesystem::rename(partial, file);
    return ApiReply{status, {{"bytes", bytes}}};
  } catch (const boost::system::system_error& e) {
    throw TransportError("cannot reach " + host_ + ":" + port_ + ": " + e.code().message());
  }
}

}  // namespace diemcau::tools::ctl
