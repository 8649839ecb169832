// libFuzzer target: RTCP compound iteration, every typed view, and writer round trips.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <vector>

#include "media/rtp/Bye.hpp"
#include "media/rtp/Fir.hpp"
#include "media/rtp/GenericNack.hpp"
#include "media/rtp/Pli.hpp"
#include "media/rtp/ReceiverReport.hpp"
#include "media/rtp/Remb.hpp"
#include "media/rtp/RtcpPacket.hpp"
#include "media/rtp/Sdes.hpp"
#include "media/rtp/SenderReport.hpp"
#include "media/rtp/TransportCc.hpp"

using namespace diemcau::media::rtp;

namespace {

volatile uint64_t gSink;

void check(bool condition) {
  if (!condition) {
    __builtin_trap();
  }
}

uint64_t exerciseTransportCc(const TransportCc& twcc) {
  std::vector<TwccPacketStatus> statuses;
  twcc.forEachPacket([&](const TwccPacketStatus& s) { statuses.push_back(s); });
  check(statuses.size() == twcc.statusCount());
  // What was decoded must encode back to the same statuses.
  // Worst case for the writer: a chunk per 7 statuses (plus one) and a 2-byte delta each.
  std::vector<uint8_t> out(32 + 3 * statuses.size());
  const size_t size = TransportCcWriter::write(out, twcc.senderSsrc(), twcc.mediaSsrc(), twcc.baseSequence(),
                                               twcc.referenceTime(), twcc.feedbackCount(), statuses);
  check(size > 0);
  const auto packet = RtcpPacket::parse(out.data(), size);
  check(packet.has_value());
  const auto again = TransportCc::parse(*packet);
  check(again.has_value());
  std::vector<TwccPacketStatus> decoded(statuses.size());
  check(again->decode(decoded) == statuses.size());
  check(decoded == statuses);
  return statuses.size();
}

uint64_t exerciseNack(const GenericNack& nack) {
  std::vector<uint16_t> lost;
  nack.forEachLost([&](uint16_t seq) { lost.push_back(seq); });
  std::vector<uint8_t> out(12 + 4 * lost.size());
  const size_t size = GenericNack::write(out, nack.senderSsrc(), nack.mediaSsrc(), lost);
  check(size > 0);
  const auto again = GenericNack::parse(*RtcpPacket::parse(out.data(), size));
  check(again.has_value());
  std::vector<uint16_t> relost;
  again->forEachLost([&](uint16_t seq) { relost.push_back(seq); });
  std::sort(lost.begin(), lost.end());
  lost.erase(std::unique(lost.begin(), lost.end()), lost.end());
  std::sort(relost.begin(), relost.end());
  relost.erase(std::unique(relost.begin(), relost.end()), relost.end());
  check(lost == relost);
  return lost.size();
}

uint64_t exercise(const RtcpPacket& packet) {
  uint64_t acc = packet.count() + packet.packetType() + packet.body().size();
  if (const auto sr = SenderReport::parse(packet)) {
    acc += sr->ssrc() + sr->ntpTimestamp() + sr->compactNtp() + sr->rtpTimestamp() + sr->packetCount() +
           sr->octetCount();
    for (size_t i = 0; i <= sr->reportCount(); ++i) {
      acc += static_cast<uint64_t>(sr->reportBlock(i).cumulativeLost) + sr->reportBlock(i).jitter;
    }
  }
  if (const auto rr = ReceiverReport::parse(packet)) {
    for (size_t i = 0; i <= rr->reportCount(); ++i) {
      const ReportBlock block = rr->reportBlock(i);
      acc += block.ssrc + block.fractionLost + block.highestSeq + block.lastSr + block.delaySinceLastSr;
    }
  }
  if (const auto sdes = Sdes::parse(packet)) {
    auto reader = sdes->chunks();
    while (const auto chunk = reader.next()) {
      acc += chunk->ssrc;
      for (const char c : chunk->cname) {
        acc += static_cast<uint8_t>(c);
      }
    }
    acc += reader.malformed();
  }
  if (const auto bye = Bye::parse(packet)) {
    for (size_t i = 0; i <= bye->ssrcCount(); ++i) {
      acc += bye->ssrc(i);
    }
    for (const char c : bye->reason()) {
      acc += static_cast<uint8_t>(c);
    }
  }
  if (const auto pli = Pli::parse(packet)) {
    acc += pli->senderSsrc() + pli->mediaSsrc();
  }
  if (const auto fir = Fir::parse(packet)) {
    for (size_t i = 0; i <= fir->entryCount(); ++i) {
      acc += fir->entry(i).ssrc + fir->entry(i).seqNr;
    }
  }
  if (const auto nack = GenericNack::parse(packet)) {
    acc += exerciseNack(*nack);
  }
  if (const auto remb = Remb::parse(packet)) {
    acc += remb->bitrate();
    for (size_t i = 0; i <= remb->ssrcCount(); ++i) {
      acc += remb->ssrc(i);
    }
  }
  if (const auto twcc = TransportCc::parse(packet)) {
    acc += exerciseTransportCc(*twcc);
  }
  return acc;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // An exact-size heap copy so ASan sees any read past the datagram.
  const std::vector<uint8_t> buf(data, data + size);
  RtcpCompound compound(buf.data(), buf.size());
  uint64_t acc = 0;
  size_t consumed = 0;
  while (const auto packet = compound.next()) {
    check(packet->size() >= RtcpPacket::kHeaderSize && packet->size() <= buf.size() - consumed);
    consumed += packet->size();
    acc += exercise(*packet);
  }
  check(compound.malformed() || consumed == buf.size());
  gSink = acc;
  return 0;
}
