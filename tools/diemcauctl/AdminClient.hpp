#pragma once

#include <nlohmann/json.hpp>

#include <stdexcept>
#include <string>

namespace diemcau::tools::ctl {

/// The server could not be reached or answered garbage.
class TransportError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct ApiReply {
  int status = 0;
  nlohmann::json body;
  bool ok() const { return status >= 200 && status < 300; }
};

/// How an https:// server is trusted. By default its certificate must chain to the system's CAs (or
/// to caFile) and name the URL's host (DNS name or IP address); insecure skips both, explicitly.
struct TlsOptions {
  std::string caFile;     ///< PEM file of trusted certificates (e.g. the server's self-signed one)
  bool insecure = false;  ///< no verification at all
};

/// A synchronous HTTP/1.1 client for the admin API (Boost.Beast), one connection per request, over
/// http:// or https:// (TLS 1.2+, OpenSSL).
class AdminClient {
 public:
  /// url like "https://hall.example.vn:8443" or "http://127.0.0.1:8080" (IPv6 as [::1]); throws
  /// TransportError when it is neither scheme or has no host.
  AdminClient(const std::string& url, std::string key, TlsOptions tls = {});

  ApiReply request(const std::string& method, const std::string& path,
                   const nlohmann::json* body = nullptr) const;

  /// GETs `path` into `file` as it arrives (through "<file>.part", renamed once complete), for large
  /// bodies such as archive exports. Returns the status and, when it is not 2xx, the JSON error body;
  /// on success reply.body holds {"bytes": N}.
  ApiReply download(const std::string& path, const std::string& file) const;

  bool tls() const { return tls_; }

 private:
  /// Connects (and for https:// verifies the server), then runs `exchange` over the stream.
  template <class Exchange>
  ApiReply withConnection(Exchange&& exchange) const;

  std::string host_;
  std::string port_;
  std::string key_;
  bool tls_ = false;
  TlsOptions tlsOptions_;
};

}  // namespace diemcau::tools::ctl
