#pragma once

#include <string>
#include <string_view>

#include "media/sdp/LocalTransportParams.hpp"

namespace diemcau::media::sdp::test {

/// Contents of tests/data/sdp/<name>; fails the calling test if missing.
std::string readSdpFile(std::string_view name);

/// Replaces every occurrence of `from` in `text` with `to`; `from` must occur at least once.
std::string replaceAll(std::string text, std::string_view from, std::string_view to);

/// Drops every line that contains `needle`.
std::string dropLines(const std::string& text, std::string_view needle);

/// Bridge transport parameters used throughout the tests.
LocalTransportParams bridgeTransport();

}  // namespace diemcau::media::sdp::test
