#pragma once

#include "signaling/http/HttpTypes.hpp"

namespace diemcau::signaling::http {

/// Adds the headers every response carries (unless a handler set them already): no sniffing, no
/// framing, no referrer, a same-origin Content-Security-Policy, and HSTS when served over TLS.
void applySecurityHeaders(beast_http::fields& fields, bool tls);
inline void applySecurityHeaders(Response& response, bool tls) { applySecurityHeaders(response.base(), tls); }

}  // namespace diemcau::signaling::http
