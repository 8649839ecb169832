#pragma once
// The one call the forwarding path makes into a recording: a decrypted RTP packet of one track.
#include <cstdint>
#include <span>

namespace diemcau::media::recorder {

/// Receives the decrypted RTP packets of one published track.
///
/// Called on the media worker that owns the track, on the hot path: an implementation copies what it
/// needs and returns at once. It never blocks, never allocates, never throws, and never calls back.
class RtpSink {
 public:
  virtual void onRtp(std::span<const uint8_t> packet) noexcept = 0;

 protected:
  ~RtpSink() = default;
};

}  // namespace diemcau::media::recorder
