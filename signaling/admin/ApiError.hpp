#pragma once

#include <stdexcept>
#include <string>

namespace diemcau::signaling::admin {

/// A refused admin request: HTTP status, a stable code, a sentence, and the request field at fault if any.
/// Thrown by handlers, caught once in AdminApi::handle and turned into {"error":{...}}.
class ApiError : public std::runtime_error {
 public:
  ApiError(int status, std::string code, const std::string& message, std::string field = {})
      : std::runtime_error(message), status_(status), code_(std::move(code)), field_(std::move(field)) {}

  int status() const { return status_; }
  const std::string& code() const { return code_; }
  const std::string& field() const { return field_; }

  static ApiError invalid(std::string field, const std::string& message) {
    return ApiError(422, "invalid", message, std::move(field));
  }
  static ApiError notFound(const std::string& message, std::string field = {}) {
    return ApiError(404, "not_found", message, std::move(field));
  }
  static ApiError conflict(const std::string& message, std::string field = {}) {
    return ApiError(409, "conflict", message, std::move(field));
  }

 private:
  int status_;
  std::string code_;
  std::string field_;
};

}  // namespace diemcau::signaling::admin
