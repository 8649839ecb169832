#pragma once
// When each packet of a synthetic video stream leaves: the frame clock (one frame every
// 1/fps, a frame's packet count from the bitrate) and, within a frame, a browser-like pacer.
//
// A browser does not hand a frame's packets to the socket back to back: its pacer releases them
// at a multiple of the target bitrate (libwebrtc paces video at 2.5x the estimate), so a frame is
// spread over a good part of the frame interval. Here packet i of a frame captured at F leaves at
// F + i * s, where s = packetBytes * 8 / (factor * bitrate): the frame takes
// bytes * 8 / (factor * bitrate) to leave. A frame larger than the pacing rate can carry in one
// frame interval (a key frame at a low bitrate) is squeezed so its last packet still leaves
// before the next frame is due. Factor 0 turns pacing off: every packet of a frame is due at F
// (the burst a stress run wants).
//
// After a stall (the worker held off longer than a frame), the frame clock catches up at most
// kMaxFramesBehind frames: those frames' packets are all overdue and leave at once, frames
// further behind are not sent, so the burst after any stall is bounded.
//
// Pure arithmetic on the caller's clock: no allocation, no clock reads.
#include <cstddef>
#include <cstdint>
#include <optional>

namespace diemcau::load {

class VideoPacer {
 public:
  struct Params {
    uint32_t bitrate = 300'000;  // bit/s, counted on RTP payload bytes
    size_t packetBytes = 1'000;  // RTP payload bytes of each packet
    uint32_t framesPerSecond = 30;
    double factor = 2.5;  // pacing rate = factor x bitrate; 0: no pacing
  };
  struct Packet {
    uint32_t index = 0;   // within its frame
    uint32_t count = 0;   // packets of its frame
    int64_t frameNs = 0;  // when its frame was due (its capture time)
    int64_t dueNs = 0;    // when this packet was due to leave
  };

  static constexpr int64_t kMaxFramesBehind = 3;

  explicit VideoPacer(const Params& params);

  /// The first frame is due at `nowNs`.
  void start(int64_t nowNs);
  /// The next packet due at or before `nowNs`, taken as sent; nullopt when nothing is due yet.
  /// A frame's packets all leave before the next frame's first.
  std::optional<Packet> poll(int64_t nowNs);
  /// When the next packet is due: the current frame's next one, else the next frame's first.
  int64_t nextDueNs() const;

  int64_t frameIntervalNs() const { return frameIntervalNs_; }
  /// Time between two packets of a frame of `count` packets (0 without pacing).
  int64_t spacingNs(uint32_t count) const;

 private:
  void beginFrame(int64_t nowNs);

  Params params_;
  int64_t frameIntervalNs_;
  double packetsPerFrame_;
  int64_t pacedSpacingNs_;  // packetBytes at factor x bitrate; 0 without pacing
  double carry_ = 0.0;
  int64_t nextFrameNs_ = 0;
  int64_t frameNs_ = 0;
  int64_t spacing_ = 0;
  uint32_t index_ = 0;
  uint32_t count_ = 0;
};

}  // namespace diemcau::load
