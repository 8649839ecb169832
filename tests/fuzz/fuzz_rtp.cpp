// libFuzzer target: RTP packet view, header extensions, RTX restore/write, in-place rewriting and codec
// helpers.
#include <cstddef>
#include <cstdint>
#include <vector>

#include "media/rtp/H264Payload.hpp"
#include "media/rtp/RtpDemux.hpp"
#include "media/rtp/RtpPacket.hpp"
#include "media/rtp/Rtx.hpp"
#include "media/rtp/Vp8PayloadDescriptor.hpp"

using namespace diemcau::media::rtp;

namespace {

// Keeps results observable so the reads are not optimised away.
volatile uint64_t gSink;

void check(bool condition) {
  if (!condition) {
    __builtin_trap();
  }
}

void exerciseCodecs(std::span<uint8_t> payload) {
  uint64_t acc = 0;
  acc += isVp8Keyframe(payload);
  acc += isH264Keyframe(payload);
  if (const auto d = Vp8PayloadDescriptor::parse(payload)) {
    check(d->size < payload.size());
    if (d->pictureId) {
      check(setVp8PictureId(payload, static_cast<uint16_t>(*d->pictureId + 1)));
      const uint16_t mask = d->pictureId15Bit ? 0x7FFF : 0x7F;
      check(vp8PictureId(payload) == ((*d->pictureId + 1) & mask));
    }
    if (d->tl0PicIdx) {
      check(setVp8Tl0PicIdx(payload, static_cast<uint8_t>(*d->tl0PicIdx + 1)));
      check(vp8Tl0PicIdx(payload) == static_cast<uint8_t>(*d->tl0PicIdx + 1));
    }
  }
  gSink = acc;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  // Parse in a copy: the view rewrites in place, and an exact-size heap buffer lets ASan catch overreads.
  std::vector<uint8_t> buf(data, data + size);
  uint64_t acc = isRtcp(buf.data(), buf.size()) + isRtp(buf.data(), buf.size());

  auto packet = RtpPacket::parse(buf.data(), buf.size());
  if (!packet) {
    gSink = acc;
    exerciseCodecs(buf);
    return 0;
  }
  check(packet->headerSize() + packet->paddingSize() <= packet->size());
  acc += packet->payloadType() + packet->marker() + packet->sequence() + packet->timestamp() + packet->ssrc();
  for (size_t i = 0; i <= packet->csrcCount(); ++i) {
    acc += packet->csrc(i);
  }
  acc += packet->extensionProfile() + packet->extensionBlock().size();
  for (unsigned id = 0; id < 256; ++id) {
    const auto value = packet->extension(static_cast<uint8_t>(id));
    for (const uint8_t b : value) {
      acc += b;
    }
    if (const auto level = packet->audioLevel(static_cast<uint8_t>(id))) {
      acc += level->level + level->voice;
    }
    acc += packet->mid(static_cast<uint8_t>(id)).size() + packet->rid(static_cast<uint8_t>(id)).size();
    acc += packet->transportSequence(static_cast<uint8_t>(id)).value_or(0);
    acc += packet->absSendTime(static_cast<uint8_t>(id)).value_or(0);
  }
  // As an RTX packet (RFC 4588): the restored original must parse, and wrapping it again must fit the
  // space the input took plus the OSN (exact-size outputs let ASan catch an overrun).
  {
    std::vector<uint8_t> restored(packet->size());
    const size_t n = restoreFromRtx(restored, *packet, 0x11223344, 96);
    check(n <= restored.size());
    if (n > 0) {
      const auto original = RtpPacket::parse(restored.data(), n);
      check(original && original->ssrc() == 0x11223344 && original->payloadType() == 96);
      std::vector<uint8_t> wrapped(n + 2);
      RtxHeader header{0x55667788, 97, 7, original->timestamp(), original->sequence()};
      const size_t w = writeRtx(wrapped, *original, header);
      check(w <= wrapped.size());
      acc += n + w;
    }
  }
  // Rewrites must keep the packet parseable with the same layout.
  const size_t header = packet->headerSize();
  packet->setPayloadType(static_cast<uint8_t>(packet->payloadType() + 1));
  packet->setMarker(!packet->marker());
  packet->setSequence(static_cast<uint16_t>(packet->sequence() + 1));
  packet->setTimestamp(packet->timestamp() + 3000);
  packet->setSsrc(~packet->ssrc());
  const uint8_t id = data[size - 1] % 16;
  if (packet->extension(id).size() == 2) {
    check(packet->setTransportSequence(id, 0xABCD));
    check(packet->transportSequence(id) == 0xABCD);
  }
  const bool present = packet->hasExtension(id);
  check(packet->removeExtension(id) == present);
  const auto again = RtpPacket::parse(buf.data(), buf.size());
  check(again && again->headerSize() == header);
  exerciseCodecs(packet->payload());
  gSink = acc;
  return 0;
}
