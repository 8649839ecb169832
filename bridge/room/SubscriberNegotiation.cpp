#include "bridge/room/SubscriberNegotiation.hpp"

#include "media/sdp/OfferBuilder.hpp"
#include "media/sdp/SdpError.hpp"
#include "media/sdp/SdpWriter.hpp"

namespace diemcau::bridge {

namespace sdp = media::sdp;

std::string SubscriberNegotiation::assign(const std::string& trackId, const BridgeCodec& codec,
                                          const sdp::SendStream& stream) {
  dirty_ = true;
  for (auto& slot : slots_) {
    const bool reusable = !slot.trackId && slot.codec.kind == codec.kind && slot.inactiveSince != 0 &&
                          slot.inactiveSince <= answeredVersion_;
    if (!reusable) continue;
    slot.codec = codec;
    slot.trackId = trackId;
    slot.stream = stream;
    slot.inactiveSince = 0;
    return slot.mid;
  }
  slots_.push_back(Slot{std::to_string(nextMid_++), codec, trackId, stream, 0});
  return slots_.back().mid;
}

void SubscriberNegotiation::release(const std::string& trackId) {
  for (auto& slot : slots_) {
    if (slot.trackId != trackId) continue;
    slot.trackId.reset();
    dirty_ = true;
  }
}

std::optional<std::string> SubscriberNegotiation::midOf(const std::string& trackId) const {
  for (const auto& slot : slots_) {
    if (slot.trackId == trackId) return slot.mid;
  }
  return std::nullopt;
}

std::string SubscriberNegotiation::createOffer(const sdp::LocalTransportParams& local) {
  return sdp::writeSdp(*createOfferDescription(local));
}

std::shared_ptr<const sdp::SessionDescription> SubscriberNegotiation::createOfferDescription(
    const sdp::LocalTransportParams& local) {
  // An offer needs one section; before anything is routed an inactive audio section holds the
  // transport, and the first audio track reuses it.
  if (slots_.empty()) slots_.push_back(Slot{std::to_string(nextMid_++), *bridgeCodec("opus"), std::nullopt, {}, 0});
  const uint32_t version = version_ + 1;
  std::vector<sdp::OfferSection> sections;
  for (auto& slot : slots_) {
    sdp::OfferSection section;
    section.kind = slot.codec.kind == TrackKind::Audio ? sdp::MediaKind::Audio : sdp::MediaKind::Video;
    section.mid = slot.mid;
    section.codec = toRtpCodec(slot.codec);
    section.rtxPayloadType = slot.codec.rtxPayloadType;
    if (slot.trackId) {
      section.stream = slot.stream;
      section.direction = sdp::Direction::SendOnly;
    } else {
      section.direction = sdp::Direction::Inactive;
      if (slot.inactiveSince == 0) slot.inactiveSince = version;
    }
    sections.push_back(std::move(section));
  }
  auto offer = std::make_shared<sdp::SessionDescription>(sdp::buildOffer(sections, local));
  // RFC 3264 section 8: the same origin session id, a higher version for every new offer.
  offer->sessionId = sessionId_;
  offer->sessionVersion = std::to_string(version);
  offer_ = offer;
  version_ = version;
  dirty_ = false;
  outstanding_ = true;
  return offer_;
}

std::vector<sdp::NegotiatedMedia> SubscriberNegotiation::applyAnswer(uint32_t version,
                                                                     const sdp::SessionDescription& answer) {
  if (!outstanding_ || version != version_) {
    throw sdp::SdpError(sdp::SdpErrorCode::InvalidAnswer,
                        "no offer " + std::to_string(version) + " is waiting for an answer (current offer " +
                            std::to_string(version_) + (outstanding_ ? ")" : ", already answered)"));
  }
  auto negotiated = sdp::applyAnswer(*offer_, answer);
  outstanding_ = false;
  answeredVersion_ = version;
  return negotiated;
}

}  // namespace diemcau::bridge
