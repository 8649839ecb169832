#include "tools/diemcauctl/AdminClient.hpp"

#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <filesystem>
#include <fstream>
#include <limits>
#include <vector>

namespace diemcau::tools::ctl {

namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = boost::asio::ssl;
using tcp = boost::asio::ip::tcp;

namespace {

bool isIpAddress(const std::string& host) {
  boost::system::error_code ec;
  boost::asio::ip::make_address(host, ec);
  return !ec;
}

/// Ends the exchange politely; the answer is already read, so failures here do not matter.
void finish(beast::tcp_stream& stream) {
  beast::error_code ec;
  stream.socket().shutdown(tcp::socket::shutdown_both, ec);
}
void finish(beast::ssl_stream<beast::tcp_stream>& stream) {
  beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(2));
  beast::error_code ec;
  stream.shutdown(ec);  // close_notify; a server that just closes gives "stream truncated", harmless here
}

http::request<http::string_body> makeRequest(http::verb verb, const std::string& path, const std::string& host,
                                             const std::string& key) {
  http::request<http::string_body> req{verb, "/api/v1/" + path, 11};
  req.set(http::field::host, host);
  req.set(http::field::user_agent, "diemcauctl");
  req.set(http::field::authorization, "Bearer " + key);
  return req;
}

}  // namespace

AdminClient::AdminClient(const std::string& url, std::string key, TlsOptions tls)
    : key_(std::move(key)), tlsOptions_(std::move(tls)) {
  std::string rest;
  if (url.rfind("https://", 0) == 0) {
    tls_ = true;
    rest = url.substr(8);
  } else if (url.rfind("http://", 0) == 0) {
    rest = url.substr(7);
  } else {
    throw TransportError("--url must start with http:// or https:// (got '" + url + "')");
  }
  rest = rest.substr(0, rest.find('/'));
  std::string portText;
  if (!rest.empty() && rest[0] == '[') {  // [v6]:port (RFC 3986 section 3.2.2)
    const auto close = rest.find(']');
    if (close == std::string::npos) throw TransportError("cannot read host and port from '" + url + "'");
    host_ = rest.substr(1, close - 1);
    if (close + 1 < rest.size() && rest[close + 1] == ':') portText = rest.substr(close + 2);
  } else {
    const auto colon = rest.rfind(':');
    host_ = colon == std::string::npos ? rest : rest.substr(0, colon);
    if (colon != std::string::npos) portText = rest.substr(colon + 1);
  }
  port_ = !portText.empty() ? portText : tls_ ? "443" : "80";
  if (host_.empty() || port_.find_first_not_of("0123456789") != std::string::npos) {
    throw TransportError("cannot read host and port from '" + url + "'");
  }
}

template <class Exchange>
ApiReply AdminClient::withConnection(Exchange&& exchange) const {
  const std::string where = host_ + ":" + port_;
  try {
    boost::asio::io_context io;
    tcp::resolver resolver(io);
    beast::tcp_stream tcpStream(io);
    tcpStream.expires_after(std::chrono::seconds(15));
    tcpStream.connect(resolver.resolve(host_, port_));
    if (!tls_) return exchange(tcpStream);

    ssl::context context(ssl::context::tls_client);
    context.set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                        ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
    if (tlsOptions_.insecure) {
      context.set_verify_mode(ssl::verify_none);
    } else {
      context.set_verify_mode(ssl::verify_peer);
      if (!tlsOptions_.caFile.empty()) {
        beast::error_code ec;
        context.load_verify_file(tlsOptions_.caFile, ec);
        if (ec) throw TransportError("cannot use --ca " + tlsOptions_.caFile + ": " + ec.message());
      } else {
        context.set_default_verify_paths();
      }
    }
    beast::ssl_stream<beast::tcp_stream> stream(std::move(tcpStream), context);
    SSL* handle = stream.native_handle();
    const bool ip = isIpAddress(host_);
    // SNI carries DNS names only (RFC 6066 section 3).
    if (!ip) SSL_set_tlsext_host_name(handle, host_.c_str());
    if (!tlsOptions_.insecure) {
      // OpenSSL checks the name during the handshake (RFC 6125: subjectAltName DNS or IP entries), so a
      // failure reports why through the verify result.
      X509_VERIFY_PARAM* param = SSL_get0_param(handle);
      X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
      const int set = ip ? X509_VERIFY_PARAM_set1_ip_asc(param, host_.c_str())
                         : X509_VERIFY_PARAM_set1_host(param, host_.c_str(), host_.size());
      if (set != 1) throw TransportError("cannot check the certificate against '" + host_ + "'");
    }
    beast::error_code ec;
    stream.handshake(ssl::stream_base::client, ec);
    if (ec) {
      const long verify = SSL_get_verify_result(handle);
      if (verify != X509_V_OK) {
        std::string hint;
        if (verify == X509_V_ERR_HOSTNAME_MISMATCH || verify == X509_V_ERR_IP_ADDRESS_MISMATCH) {
          hint = " (the certificate does not name '" + host_ + "'; use a URL with a name it has)";
        } else if (tlsOptions_.caFile.empty()) {
          hint = " (a self-signed server: --ca <data-dir>/tls-cert.pem trusts its certificate)";
        }
        throw TransportError("TLS: the certificate of " + where + " is not trusted: " +
                             X509_verify_cert_error_string(verify) + hint);
      }
      throw TransportError("TLS handshake with " + where + " failed: " + ec.message());
    }
    return exchange(stream);
  } catch (const boost::system::system_error& e) {
    throw TransportError("cannot reach " + where + ": " + e.code().message());
  }
}

ApiReply AdminClient::request(const std::string& method, const std::string& path,
                              const nlohmann::json* body) const {
  return withConnection([&](auto& stream) {
    auto req = makeRequest(http::string_to_verb(method), path, host_, key_);
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
    finish(stream);
    ApiReply reply{static_cast<int>(res.result_int()), nullptr};
    if (!res.body().empty()) {
      reply.body = nlohmann::json::parse(res.body(), nullptr, false);
      if (reply.body.is_discarded()) {
        throw TransportError("server answered " + std::to_string(reply.status) + " with a body that is not JSON");
      }
    }
    return reply;
  });
}

ApiReply AdminClient::download(const std::string& path, const std::string& file) const {
  return withConnection([&](auto& stream) {
    auto req = makeRequest(http::verb::get, path, host_, key_);
    req.prepare_payload();
    http::write(stream, req);
    beast::flat_buffer buffer;
    // buffer_body: the body passes through a fixed buffer to its destination, never whole in memory.
    http::response_parser<http::buffer_body> parser;
    // A number, not boost::none: Boost 1.74 compares the length against an empty optional as larger.
    parser.body_limit(std::numeric_limits<std::uint64_t>::max());
    beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(30));
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
      beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(30));
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
    finish(stream);
    if (status != 200) {
      ApiReply reply{status, nlohmann::json::parse(errorBody, nullptr, false)};
      if (reply.body.is_discarded()) reply.body = nullptr;
      return reply;
    }
    out.close();
    if (!out) throw TransportError("cannot write " + partial);
    std::filesystem::rename(partial, file);
    return ApiReply{status, {{"bytes", bytes}}};
  });
}

}  // namespace diemcau::tools::ctl
