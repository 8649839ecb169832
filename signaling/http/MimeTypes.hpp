#pragma once

#include <string_view>

namespace diemcau::signaling::http {

/// Content-Type for a file name by extension; application/octet-stream when unknown.
std::string_view mimeTypeFor(std::string_view fileName);

}  // namespace diemcau::signaling::http
