#pragma once
// The stamp every synthetic packet carries in the last bytes of its RTP payload, so a receiver in
// the same process can tell exactly which packet of which stream arrived and how long it took.
// The bridge forwards payloads untouched (it rewrites headers and, for VP8, the picture id at the
// start of the payload), so the end of the payload survives the trip.
//
//   0                   1                   2                   3
//   |  magic "DCLD" (32)                                             |
//   |  source slot (16)               | kind (8)     | generation (8) |
//   |  stream sequence (32), never wraps within a run                |
//   |  send time, steady clock nanoseconds (64)                      |
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace diemcau::load {

enum class StreamKind : uint8_t { Audio = 0, Video = 1 };

struct PayloadStamp {
  static constexpr size_t kSize = 20;
  static constexpr uint32_t kMagic = 0x44434C44;  // "DCLD"

  uint16_t sourceSlot = 0;
  StreamKind kind = StreamKind::Audio;
  uint8_t generation = 0;
  uint32_t sequence = 0;
  int64_t sentNs = 0;

  /// Writes the stamp into the last kSize bytes of `payload`; false if the payload is shorter.
  bool writeTo(std::span<uint8_t> payload) const;
  /// Reads the stamp from the last kSize bytes; nullopt for a short payload or a wrong magic.
  static std::optional<PayloadStamp> readFrom(std::span<const uint8_t> payload);
};

}  // namespace diemcau::load
