#include <algorithm>
#include <cstdint>
#include <cstring>

#include "media/rtp/ByteOrder.hpp"
#include "media/rtp/TransportCc.hpp"

namespace diemcau::media::rtp {

namespace {

constexpr size_t kFixedFciSize = 8;
constexpr size_t kMaxRunLength = 0x1FFF;

uint8_t symbolOf(const TwccPacketStatus& status) {
  if (!status.received) {
    return 0;
  }
  return status.deltaTicks >= 0 && status.deltaTicks <= 0xFF ? 1 : 2;
}

// Picks the next chunk greedily: a run when 14 or more statuses repeat, else a one-bit vector
// when the next 14 need no large delta, else a run of 7+, else a two-bit vector of 7.
// Returns the chunk and sets `covered` to the statuses it encodes.
uint16_t nextChunk(std::span<const TwccPacketStatus> packets, size_t i, size_t& covered) {
  const size_t left = packets.size() - i;
  const uint8_t first = symbolOf(packets[i]);
  size_t run = 1;
  while (run < left && run < kMaxRunLength && symbolOf(packets[i + run]) == first) {
    ++run;
  }
  auto runChunk = [&]() {
    covered = run;
    return static_cast<uint16_t>((first << 13) | run);
  };
  if (run >= 14) {
    return runChunk();
  }
  const size_t window = std::min<size_t>(14, left);
  bool smallOnly = true;
  for (size_t k = 0; k < window; ++k) {
    smallOnly = smallOnly && symbolOf(packets[i + k]) <= 1;
  }
  if (smallOnly) {
    uint16_t chunk = 0x8000;
    for (size_t k = 0; k < window; ++k) {
      chunk = static_cast<uint16_t>(chunk | (symbolOf(packets[i + k]) << (13 - k)));
    }
    covered = window;
    return chunk;
  }
  if (run >= 7) {
    return runChunk();
  }
  const size_t n = std::min<size_t>(7, left);
  uint16_t chunk = 0xC000;
  for (size_t k = 0; k < n; ++k) {
    chunk = static_cast<uint16_t>(chunk | (symbolOf(packets[i + k]) << (12 - 2 * k)));
  }
  covered = n;
  return chunk;
}

}  // namespace

size_t TransportCcWriter::write(std::span<uint8_t> out, uint32_t senderSsrc, uint32_t mediaSsrc,
                                uint16_t baseSequence, int32_t referenceTime, uint8_t feedbackCount,
                                std::span<const TwccPacketStatus> packets) {
  if (packets.empty() || packets.size() > 0xFFFF) {
    return 0;
  }
  for (size_t i = 0; i < packets.size(); ++i) {
    const auto& p = packets[i];
    if (p.sequence != static_cast<uint16_t>(baseSequence + i)) {
      return 0;
    }
    if (p.received && (p.deltaTicks < INT16_MIN || p.deltaTicks > INT16_MAX)) {
      return 0;
    }
  }
  const size_t fciStart = RtcpFeedback::kHeaderSize;
  if (out.size() < fciStart + kFixedFciSize) {
    return 0;
  }
  uint8_t* fci = out.data() + fciStart;
  const size_t room = out.size() - fciStart;
  writeU16(fci, baseSequence);
  writeU16(fci + 2, static_cast<uint16_t>(packets.size()));
  writeU24(fci + 4, static_cast<uint32_t>(referenceTime) & 0xFFFFFFu);
  fci[7] = feedbackCount;

  size_t pos = kFixedFciSize;
  for (size_t i = 0; i < packets.size();) {
    if (room - pos < 2) {
      return 0;
    }
    size_t covered = 0;
    writeU16(fci + pos, nextChunk(packets, i, covered));
    pos += 2;
    i += covered;
  }
  for (const auto& p : packets) {
    const uint8_t symbol = symbolOf(p);
    if (symbol == 1) {
      if (room - pos < 1) {
        return 0;
      }
      fci[pos++] = static_cast<uint8_t>(p.deltaTicks);
    } else if (symbol == 2) {
      if (room - pos < 2) {
        return 0;
      }
      writeU16(fci + pos, static_cast<uint16_t>(static_cast<int16_t>(p.deltaTicks)));
      pos += 2;
    }
  }
  // RFC 3550 §6.4.1 padding: zero octets, the last one holding the count, and the P bit set.
  const size_t padding = (4 - pos % 4) % 4;
  if (room - pos < padding) {
    return 0;
  }
  if (padding > 0) {
    std::memset(fci + pos, 0, padding);
    pos += padding;
    fci[pos - 1] = static_cast<uint8_t>(padding);
  }
  const size_t size = RtcpFeedback::writeHeader(out, rtcp_type::kRtpfb, fb_fmt::kTransportCc, senderSsrc,
                                                mediaSsrc, pos);
  if (size != 0 && padding > 0) {
    out[0] = static_cast<uint8_t>(out[0] | 0x20);
  }
  return size;
}

}  // namespace diemcau::media::rtp
