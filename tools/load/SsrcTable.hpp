#pragma once
// The SSRCs a subscribe offer announces, sorted for a binary search per received packet, with
// what the receiver needs for its RTCP: whether a stream delivered since the offer (to ask for a
// key frame when a video stream stays silent) and the extended highest RTP sequence (for RR).
#include <cstdint>
#include <span>
#include <vector>

#include "media/rtp/ReportBlock.hpp"
#include "media/sdp/SessionDescription.hpp"

namespace diemcau::load {

class SsrcTable {
 public:
  struct Entry {
    uint32_t ssrc = 0;
    bool video = false;
    bool seen = false;
    uint32_t cycles = 0;
    uint16_t highest = 0;
    uint64_t received = 0;
  };

  /// Replaces the table with the media SSRCs (not RTX) of the offer's sending sections, keeping
  /// the state of SSRCs that stay.
  void reset(const media::sdp::SessionDescription& offer);
  /// Marks a packet; unknown SSRCs (RTX, or a stream not yet announced) are ignored.
  void onPacket(uint32_t ssrc, uint16_t sequence);
  /// Up to `out.size()` report blocks of streams that delivered something.
  size_t reportBlocks(std::span<media::rtp::ReportBlock> out) const;
  const std::vector<Entry>& entries() const { return entries_; }

 private:
  std::vector<Entry> entries_;  // sorted by ssrc
};

}  // namespace diemcau::load
