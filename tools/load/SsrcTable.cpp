#include "tools/load/SsrcTable.hpp"

#include <algorithm>

namespace diemcau::load {

namespace sdp = media::sdp;

void SsrcTable::reset(const sdp::SessionDescription& offer) {
  std::vector<Entry> next;
  for (const auto& section : offer.media) {
    if (section.isRejected() || section.direction != sdp::Direction::SendOnly) continue;
    std::vector<uint32_t> rtx;
    for (const auto& group : section.ssrcGroups) {
      if (group.semantics == "FID" && group.ssrcs.size() == 2) rtx.push_back(group.ssrcs[1]);
    }
    for (const auto& info : section.ssrcs) {
      if (std::find(rtx.begin(), rtx.end(), info.ssrc) != rtx.end()) continue;
      if (std::any_of(next.begin(), next.end(), [&](const Entry& e) { return e.ssrc == info.ssrc; })) continue;
      Entry entry;
      entry.ssrc = info.ssrc;
      entry.video = section.kind == sdp::MediaKind::Video;
      next.push_back(entry);
    }
  }
  std::sort(next.begin(), next.end(), [](const Entry& a, const Entry& b) { return a.ssrc < b.ssrc; });
  for (auto& entry : next) {
    auto old = std::lower_bound(entries_.begin(), entries_.end(), entry.ssrc,
                                [](const Entry& e, uint32_t ssrc) { return e.ssrc < ssrc; });
    if (old != entries_.end() && old->ssrc == entry.ssrc) entry = *old;
  }
  entries_ = std::move(next);
}

void SsrcTable::onPacket(uint32_t ssrc, uint16_t sequence) {
  auto it = std::lower_bound(entries_.begin(), entries_.end(), ssrc,
                             [](const Entry& e, uint32_t s) { return e.ssrc < s; });
  if (it == entries_.end() || it->ssrc != ssrc) return;
  if (!it->seen) {
    it->seen = true;
    it->highest = sequence;
  } else if (static_cast<int16_t>(sequence - it->highest) > 0) {
    if (sequence < it->highest) ++it->cycles;
    it->highest = sequence;
  }
  ++it->received;
}

size_t SsrcTable::reportBlocks(std::span<media::rtp::ReportBlock> out) const {
  size_t n = 0;
  for (const auto& entry : entries_) {
    if (n == out.size()) break;
    if (!entry.seen) continue;
    media::rtp::ReportBlock block;
    block.ssrc = entry.ssrc;
    block.highestSeq = (entry.cycles << 16) | entry.highest;
    out[n++] = block;
  }
  return n;
}

}  // namespace diemcau::load
