#include "media/sdp/Negotiator.hpp"

#include <algorithm>
#include <string>

#include "media/sdp/SdpError.hpp"
#include "media/sdp/SdpText.hpp"
#include "media/sdp/TransportChecks.hpp"

namespace diemcau::media::sdp {

namespace {

std::string describeOffered(const MediaSection& section) {
  std::string list;
  for (const auto& codec : section.codecs) {
    if (codec.isRtx() || codec.name.empty()) continue;
    if (!list.empty()) list += ", ";
    list += codec.name + "/" + std::to_string(codec.clockRate);
    if (list.size() > 200) break;
  }
  return list.empty() ? std::string("no codecs") : list;
}

// RFC 8829 section 5.3.1: a rejected section keeps its media type, mid and formats with port 0.
MediaSection rejectedSection(const MediaSection& offered) {
  MediaSection section;
  section.kind = offered.kind;
  section.kindName = offered.kindName;
  section.port = 0;
  section.protocol = offered.protocol;
  section.formats = offered.formats;
  if (section.formats.empty()) section.formats.push_back("0");
  section.mid = offered.mid;
  section.direction = Direction::Inactive;
  return section;
}

// The first offered codec we support decides (RFC 3264 section 6.1: the offerer lists in
// preference order); its payload type is kept so the offerer's packets need no mapping.
std::vector<RtpCodec> answerCodecs(const MediaSection& offered, const MediaCapabilities& caps) {
  for (const auto& codec : offered.codecs) {
    if (codec.isRtx()) continue;
    const CodecCapability* capability = caps.match(offered.kind, codec);
    if (capability == nullptr) continue;
    RtpCodec chosen = codec;
    chosen.fmtp = capability->fmtp.empty() ? codec.fmtp : capability->fmtp;
    chosen.rtcpFb.clear();
    for (const auto& feedback : codec.rtcpFb) {
      const bool supported =
          std::find(capability->rtcpFb.begin(), capability->rtcpFb.end(), feedback) != capability->rtcpFb.end();
      if (supported && !chosen.hasFeedback(feedback)) chosen.rtcpFb.push_back(feedback);
    }
    std::vector<RtpCodec> codecs{chosen};
    if (!capability->rtx || !codec.rtxPayloadType) {
      codecs.front().rtxPayloadType.reset();
      return codecs;
    }
    const RtpCodec* offeredRtx = offered.findCodec(*codec.rtxPayloadType);
    RtpCodec rtx;
    rtx.payloadType = *codec.rtxPayloadType;
    rtx.name = offeredRtx != nullptr && !offeredRtx->name.empty() ? offeredRtx->name : "rtx";
    rtx.clockRate = codec.clockRate;
    rtx.fmtp = "apt=" + std::to_string(codec.payloadType);
    codecs.push_back(rtx);
    return codecs;
  }
  throw SdpError(SdpErrorCode::NoCommonCodec, "section mid " + offered.mid.substr(0, 32) + " (" +
                                                  offered.kindName.substr(0, 16) + ") offers " +
                                                  describeOffered(offered) + ", none of which the bridge supports");
}

std::vector<HeaderExtension> answerExtensions(const MediaSection& offered, const MediaCapabilities& caps) {
  std::vector<HeaderExtension> extensions;
  for (const auto& extension : offered.extensions) {
    if (!caps.supportsExtension(offered.kind, extension.uri)) continue;
    HeaderExtension answered = extension;
    if (answered.direction) answered.direction = reverse(*answered.direction);
    extensions.push_back(std::move(answered));
  }
  return extensions;
}

// RFC 8853 section 5.3: the answer's a=simulcast swaps send and recv of the offer.
std::string mirrorSimulcast(std::string_view value) {
  std::string out;
  for (auto token : text::splitWhitespace(value)) {
    if (!out.empty()) out += ' ';
    if (token == "send") {
      out += "recv";
    } else if (token == "recv") {
      out += "send";
    } else {
      out += token;
    }
  }
  return out;
}

bool inBundle(const SessionDescription& offer, const std::string& mid) {
  return std::find(offer.bundleMids.begin(), offer.bundleMids.end(), mid) != offer.bundleMids.end();
}

bool servable(const MediaSection& section) {
  const bool rtpKind = section.kind == MediaKind::Audio || section.kind == MediaKind::Video;
  return rtpKind && !section.isRejected() && section.protocol.find("RTP/SAVPF") != std::string::npos;
}

MediaSection acceptedSection(const SessionDescription& offer, const MediaSection& offered,
                             const MediaCapabilities& caps, const LocalTransportParams& local) {
  checkRemoteTransport(offer, offered);
  MediaSection section;
  section.kind = offered.kind;
  section.kindName = offered.kindName;
  section.port = 9;  // the port is meaningless with ICE (RFC 8839 section 4.2.1.1)
  section.protocol = offered.protocol;
  section.mid = offered.mid;
  section.direction = reverse(offered.direction);
  section.codecs = answerCodecs(offered, caps);
  section.extensions = answerExtensions(offered, caps);
  for (const auto& rid : offered.rids) {
    section.rids.push_back(Rid{rid.id, reverse(rid.direction), {}});
  }
  if (!offered.simulcast.empty()) section.simulcast = mirrorSimulcast(offered.simulcast);
  section.rtcpMux = true;
  section.rtcpRsize = offered.rtcpRsize;
  writeLocalTransport(section, local, answerRole(offer.effectiveSetup(offered).value_or(SetupRole::Active)));
  return section;
}

}  // namespace

Answer negotiateAnswer(const SessionDescription& offer, const LocalTransportParams& local,
                       const MediaCapabilities& caps) {
  if (offer.media.empty()) throw SdpError(SdpErrorCode::NoMedia, "the offer has no m-lines");
  if (offer.bundleMids.empty()) {
    throw SdpError(SdpErrorCode::NoBundle, "the offer has no a=group:BUNDLE; the bridge needs one transport");
  }
  SessionDescription answer;
  answer.sessionId = randomSessionId();
  answer.sessionVersion = "1";
  answer.iceLite = local.iceLite;
  answer.iceOptions = {"trickle"};
  answer.msidSemantic = "WMS *";
  answer.extmapAllowMixed = offer.extmapAllowMixed;
  std::vector<NegotiatedMedia> negotiated;
  for (const auto& offered : offer.media) {
    if (!servable(offered)) {
      answer.media.push_back(rejectedSection(offered));
      continue;
    }
    if (offered.mid.empty() || !inBundle(offer, offered.mid)) {
      throw SdpError(SdpErrorCode::NoBundle, "section mid " + offered.mid.substr(0, 32) +
                                                 " is not in the offer's BUNDLE group (or has no a=mid)");
    }
    MediaSection section = acceptedSection(offer, offered, caps, local);
    if (negotiated.empty()) writeLocalCandidates(section, local);
    negotiated.push_back(summarizeNegotiated(section, offered, section.direction));
    answer.bundleMids.push_back(section.mid);
    answer.media.push_back(std::move(section));
  }
  if (negotiated.empty()) {
    throw SdpError(SdpErrorCode::NoMedia, "the offer has no audio or video section the bridge can serve");
  }
  return Answer(std::move(answer), std::move(negotiated));
}

}  // namespace diemcau::media::sdp
