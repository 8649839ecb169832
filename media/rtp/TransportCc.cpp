#include "media/rtp/TransportCc.hpp"

#include <algorithm>

#include "media/rtp/ByteOrder.hpp"

namespace diemcau::media::rtp {

namespace {

constexpr size_t kFixedFciSize = 8;

// Status symbols (draft §3.1.1). 3 is reserved and makes the packet malformed.
constexpr uint8_t kNotReceived = 0;
constexpr uint8_t kSmallDelta = 1;
constexpr uint8_t kLargeDelta = 2;

// Calls emit(symbol) for each status a chunk carries, at most `limit` of them; returns how many.
template <typename Emit>
size_t expandChunk(uint16_t chunk, size_t limit, Emit&& emit) {
  if ((chunk & 0x8000) == 0) {
    // Run length chunk: T=0, S (2 bits), run length (13 bits).
    const auto symbol = static_cast<uint8_t>((chunk >> 13) & 0x03);
    const size_t n = std::min<size_t>(chunk & 0x1FFF, limit);
    for (size_t i = 0; i < n; ++i) {
      emit(symbol);
    }
    return n;
  }
  if ((chunk & 0x4000) == 0) {
    // Status vector chunk, 14 one-bit symbols.
    const size_t n = std::min<size_t>(14, limit);
    for (size_t i = 0; i < n; ++i) {
      emit(static_cast<uint8_t>((chunk >> (13 - i)) & 0x01));
    }
    return n;
  }
  // Status vector chunk, 7 two-bit symbols.
  const size_t n = std::min<size_t>(7, limit);
  for (size_t i = 0; i < n; ++i) {
    emit(static_cast<uint8_t>((chunk >> (12 - 2 * i)) & 0x03));
  }
  return n;
}

}  // namespace

std::optional<TransportCc> TransportCc::parse(const RtcpPacket& packet) {
  const auto fb = RtcpFeedback::parse(packet, rtcp_type::kRtpfb, fb_fmt::kTransportCc);
  if (!fb || fb->fci.size() < kFixedFciSize) {
    return std::nullopt;
  }
  if (!walk(fb->fci, nullptr, nullptr)) {
    return std::nullopt;
  }
  return TransportCc(fb->senderSsrc, fb->mediaSsrc, fb->fci);
}

uint16_t TransportCc::baseSequence() const { return readU16(fci_.data()); }
uint16_t TransportCc::statusCount() const { return readU16(fci_.data() + 2); }
int32_t TransportCc::referenceTime() const { return readS24(fci_.data() + 4); }

size_t TransportCc::decode(std::span<TwccPacketStatus> out) const {
  size_t written = 0;
  forEachPacket([&](const TwccPacketStatus& status) {
    if (written < out.size()) {
      out[written++] = status;
    }
  });
  return written;
}

bool TransportCc::walk(std::span<const uint8_t> fci, Visitor visitor, void* ctx) {
  const size_t statusCount = readU16(fci.data() + 2);
  if (statusCount == 0) {
    return false;
  }
  // Pass 1: find where the chunks end and how many delta bytes they announce.
  size_t pos = kFixedFciSize;
  size_t remaining = statusCount;
  size_t deltaBytes = 0;
  bool reserved = false;
  while (remaining > 0) {
    if (fci.size() - pos < 2) {
      return false;  // the status count promises more than the chunks carry
    }
    remaining -= expandChunk(readU16(fci.data() + pos), remaining, [&](uint8_t symbol) {
      deltaBytes += symbol == kSmallDelta ? 1 : symbol == kLargeDelta ? 2 : 0;
      reserved = reserved || symbol > kLargeDelta;
    });
    pos += 2;
  }
  const size_t deltaStart = pos;
  if (reserved || deltaBytes > fci.size() - deltaStart) {
    return false;
  }
  if (visitor == nullptr) {
    return true;
  }
  // Pass 2: pair each status with its delta, now known to be in bounds.
  size_t chunkPos = kFixedFciSize;
  size_t deltaPos = deltaStart;
  remaining = statusCount;
  TwccPacketStatus status;
  status.sequence = readU16(fci.data());
  while (remaining > 0) {
    remaining -= expandChunk(readU16(fci.data() + chunkPos), remaining, [&](uint8_t symbol) {
      status.received = symbol != kNotReceived;
      status.deltaTicks = 0;
      if (symbol == kSmallDelta) {
        status.deltaTicks = fci[deltaPos];
        deltaPos += 1;
      } else if (symbol == kLargeDelta) {
        status.deltaTicks = static_cast<int16_t>(readU16(fci.data() + deltaPos));
        deltaPos += 2;
      }
      visitor(ctx, status);
      ++status.sequence;
    });
    chunkPos += 2;
  }
  return true;
}

}  // namespace diemcau::media::rtp
