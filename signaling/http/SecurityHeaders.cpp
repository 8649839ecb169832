#include "signaling/http/SecurityHeaders.hpp"

namespace diemcau::signaling::http {

namespace {

using BeastView = boost::beast::string_view;

void setIfAbsent(beast_http::fields& response, beast_http::field field, BeastView value) {
  if (response.find(field) == response.end()) response.set(field, value);
}

void setIfAbsent(beast_http::fields& response, BeastView name, BeastView value) {
  if (response.find(name) == response.end()) response.set(name, value);
}

}  // namespace

void applySecurityHeaders(beast_http::fields& response, bool tls) {
  response.set(beast_http::field::server, "diemcau");
  setIfAbsent(response, "X-Content-Type-Options", "nosniff");
  setIfAbsent(response, "X-Frame-Options", "DENY");
  setIfAbsent(response, "Referrer-Policy", "no-referrer");
  setIfAbsent(response, "Cross-Origin-Opener-Policy", "same-origin");
  setIfAbsent(response, "Permissions-Policy", "camera=(self), microphone=(self), display-capture=(self)");
  // connect-src 'self' covers ws:/wss: to the same host (CSP Level 3, section 6.7.2.4).
  setIfAbsent(response, "Content-Security-Policy",
              "default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; "
              "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'");
  if (tls) setIfAbsent(response, beast_http::field::strict_transport_security, "max-age=31536000");
}

}  // namespace diemcau::signaling::http
