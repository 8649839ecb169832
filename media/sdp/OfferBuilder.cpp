#include "media/sdp/OfferBuilder.hpp"

#include <algorithm>

#include "media/sdp/SdpError.hpp"
#include "media/sdp/SdpWriter.hpp"
#include "media/sdp/TransportChecks.hpp"

namespace diemcau::media::sdp {

namespace {

MediaSection offeredSection(const OfferSection& wanted, const LocalTransportParams& local) {
  MediaSection section;
  section.kind = wanted.kind;
  section.kindName = std::string(toString(wanted.kind));
  section.mid = wanted.mid;
  section.direction = wanted.direction;
  RtpCodec codec = wanted.codec;
  codec.rtxPayloadType = wanted.rtxPayloadType;
  section.codecs.push_back(codec);
  if (wanted.rtxPayloadType) {
    section.codecs.push_back(
        RtpCodec{*wanted.rtxPayloadType, "rtx", codec.clockRate, 0, "apt=" + std::to_string(codec.payloadType), {}, {}});
  }
  section.extensions = wanted.extensions;
  section.rtcpMux = true;
  section.rtcpRsize = true;
  writeLocalTransport(section, local, SetupRole::ActPass);
  if (wanted.stream) addSendStreamTo(section, *wanted.stream);
  return section;
}

[[noreturn]] void invalid(const std::string& sentence) { throw SdpError(SdpErrorCode::InvalidAnswer, sentence); }

// The agreed subset of an answered section: the first answered payload type we offered, its rtx,
// feedback both sides listed, and the answer's extension ids for URIs we offered with that id.
MediaSection agreedSection(const MediaSection& ours, const MediaSection& theirs) {
  MediaSection agreed;
  agreed.kind = ours.kind;
  agreed.mid = ours.mid;
  agreed.rtcpRsize = theirs.rtcpRsize;
  for (const auto& answered : theirs.codecs) {
    const RtpCodec* offered = ours.findCodec(answered.payloadType);
    if (offered == nullptr || offered->isRtx()) continue;
    RtpCodec chosen = *offered;
    chosen.rtcpFb.clear();
    for (const auto& feedback : answered.rtcpFb) {
      if (offered->hasFeedback(feedback) && !chosen.hasFeedback(feedback)) chosen.rtcpFb.push_back(feedback);
    }
    const bool rtxAnswered = offered->rtxPayloadType && theirs.findCodec(*offered->rtxPayloadType) != nullptr;
    if (!rtxAnswered) chosen.rtxPayloadType.reset();
    agreed.codecs.push_back(std::move(chosen));
    break;
  }
  if (agreed.codecs.empty()) {
    throw SdpError(SdpErrorCode::NoCommonCodec,
                   "the answer for mid " + ours.mid + " accepts none of the payload types offered");
  }
  for (const auto& extension : theirs.extensions) {
    const HeaderExtension* offered = ours.findExtension(extension.uri);
    if (offered != nullptr && offered->id == extension.id) agreed.extensions.push_back(extension);
  }
  return agreed;
}

}  // namespace

SessionDescription buildOffer(const std::vector<OfferSection>& sections, const LocalTransportParams& local) {
  if (sections.empty()) throw SdpError(SdpErrorCode::NoMedia, "an offer needs at least one section");
  SessionDescription offer;
  offer.sessionId = randomSessionId();
  offer.iceLite = local.iceLite;
  offer.iceOptions = {"trickle"};
  offer.msidSemantic = "WMS *";
  for (const auto& wanted : sections) {
    if (wanted.mid.empty() || offer.findMedia(wanted.mid) != nullptr) {
      throw SdpError(SdpErrorCode::NoBundle, "every offered section needs a distinct non-empty mid");
    }
    offer.media.push_back(offeredSection(wanted, local));
    offer.bundleMids.push_back(wanted.mid);
  }
  writeLocalCandidates(offer.media.front(), local);
  return offer;
}

std::string createOffer(const std::vector<OfferSection>& sections, const LocalTransportParams& local) {
  return writeSdp(buildOffer(sections, local));
}

std::vector<NegotiatedMedia> applyAnswer(const SessionDescription& localOffer, const SessionDescription& answer) {
  // RFC 3264 section 6: the answer has exactly the offer's m-lines, in the same order.
  if (answer.media.size() != localOffer.media.size()) {
    invalid("the answer has " + std::to_string(answer.media.size()) + " m-lines for " +
            std::to_string(localOffer.media.size()) + " offered");
  }
  std::vector<NegotiatedMedia> negotiated;
  for (size_t i = 0; i < answer.media.size(); ++i) {
    const MediaSection& ours = localOffer.media[i];
    const MediaSection& theirs = answer.media[i];
    if (theirs.kind != ours.kind || (!theirs.mid.empty() && theirs.mid != ours.mid)) {
      invalid("answer m-line " + std::to_string(i) + " does not match offered mid " + ours.mid);
    }
    if (theirs.isRejected()) continue;
    if (std::find(answer.bundleMids.begin(), answer.bundleMids.end(), ours.mid) == answer.bundleMids.end()) {
      throw SdpError(SdpErrorCode::NoBundle, "the answer does not bundle mid " + ours.mid);
    }
    checkRemoteTransport(answer, theirs);
    const auto setup = answer.effectiveSetup(theirs);
    if (setup && *setup == SetupRole::ActPass) invalid("an answer must choose a=setup:active or passive");
    const Direction ourDirection = reverse(theirs.direction);
    negotiated.push_back(summarizeNegotiated(agreedSection(ours, theirs), theirs, ourDirection));
  }
  if (negotiated.empty()) throw SdpError(SdpErrorCode::NoMedia, "the answer rejected every section");
  return negotiated;
}

}  // namespace diemcau::media::sdp
