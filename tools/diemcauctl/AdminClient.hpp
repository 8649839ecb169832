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

/// A synchronous HTTP/1.1 client for the admin API (Boost.Beast), one connection per request. http:// only:
/// put TLS in front of a remote server and reach it through a tunnel or on the same host.
class AdminClient {
 public:
  /// url like "http://127.0.0.1:8080"; throws TransportError when it is not http://host[:port][/].
  AdminClient(const std::string& url, std::string key);

  ApiReply request(const std::string& method, const std::string& path,
                   const nlohmann::json* body = nullptr) const;

  /// GETs `path` into `file` as it arrives (through "<file>.part", renamed once complete), for large
  /// bodies such as archive exports. Returns the status and, when it is not 2xx, the JSON error body;
  /// on success reply.body holds {"bytes": N}.
  ApiReply download(const std::string& path, const std::string& file) const;

 private:
  std::string host_;
  std::string port_;
  std::string key_;
};

}  // namespace diemcau::tools::ctl
