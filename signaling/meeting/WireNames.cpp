#include "signaling/meeting/WireNames.hpp"

#include <cstdint>

namespace diemcau::signaling::meeting {

std::string_view trackKindName(bridge::TrackKind kind) {
  return kind == bridge::TrackKind::Audio ? "audio" : "video";
}

std::string_view transportName(bridge::TransportKind kind) {
  return kind == bridge::TransportKind::Publish ? "publish" : "subscribe";
}

std::optional<bridge::TransportKind> parseTransport(std::string_view text) {
  if (text == "publish") return bridge::TransportKind::Publish;
  if (text == "subscribe") return bridge::TransportKind::Subscribe;
  return std::nullopt;
}

bridge::Role bridgeRole(tokens::Role role) {
  switch (role) {
    case tokens::Role::Host: return bridge::Role::Host;
    case tokens::Role::Site: return bridge::Role::Site;
    case tokens::Role::Viewer: return bridge::Role::Viewer;
  }
  return bridge::Role::Viewer;
}

std::optional<size_t> countUtf8(std::string_view text) {
  size_t count = 0;
  size_t i = 0;
  while (i < text.size()) {
    const auto lead = static_cast<uint8_t>(text[i]);
    size_t length = 0;
    uint32_t min = 0;
    uint32_t cp = 0;
    if (lead < 0x80) {
      length = 1;
      cp = lead;
    } else if ((lead & 0xE0) == 0xC0) {
      length = 2;
      cp = lead & 0x1F;
      min = 0x80;
    } else if ((lead & 0xF0) == 0xE0) {
      length = 3;
      cp = lead & 0x0F;
      min = 0x800;
    } else if ((lead & 0xF8) == 0xF0) {
      length = 4;
      cp = lead & 0x07;
      min = 0x10000;
    } else {
      return std::nullopt;
    }
    if (text.size() - i < length) return std::nullopt;
    for (size_t k = 1; k < length; ++k) {
      const auto next = static_cast<uint8_t>(text[i + k]);
      if ((next & 0xC0) != 0x80) return std::nullopt;
      cp = (cp << 6) | (next & 0x3F);
    }
    if (length > 1 && cp < min) return std::nullopt;          // overlong
    if (cp >= 0xD800 && cp <= 0xDFFF) return std::nullopt;    // surrogate
    if (cp > 0x10FFFF) return std::nullopt;
    i += length;
    ++count;
  }
  return count;
}

uint8_t transportBit(bridge::TransportKind transport) {
  return transport == bridge::TransportKind::Publish ? 1 : 2;
}

}  // namespace diemcau::signaling::meeting
