#include "media/sdp/NegotiatedMedia.hpp"

namespace diemcau::media::sdp {

std::optional<uint16_t> NegotiatedMedia::extensionId(std::string_view uri) const {
  const auto it = extensionIds.find(uri);
  if (it == extensionIds.end()) return std::nullopt;
  return it->second;
}

NegotiatedMedia summarizeNegotiated(const MediaSection& agreed, const MediaSection& remote, Direction ourDirection) {
  NegotiatedMedia out;
  out.mid = agreed.mid;
  out.kind = agreed.kind;
  out.direction = ourDirection;
  if (!agreed.codecs.empty()) {
    const RtpCodec& codec = agreed.codecs.front();
    out.payloadType = codec.payloadType;
    out.codecName = codec.name;
    out.clockRate = codec.clockRate;
    out.channels = codec.channels;
    out.fmtp = codec.fmtp;
    out.rtxPayloadType = codec.rtxPayloadType;
    out.feedback.nack = codec.hasFeedback("nack");
    out.feedback.pli = codec.hasFeedback("nack pli");
    out.feedback.fir = codec.hasFeedback("ccm fir");
    out.feedback.remb = codec.hasFeedback("goog-remb");
    out.feedback.transportCc = codec.hasFeedback("transport-cc");
  }
  for (const auto& extension : agreed.extensions) out.extensionIds.emplace(extension.uri, extension.id);
  for (const auto& info : remote.ssrcs) out.remoteSsrcs.push_back(info.ssrc);
  out.remoteSsrcGroups = remote.ssrcGroups;
  out.rids = remote.rids;
  out.rtcpRsize = agreed.rtcpRsize;
  return out;
}

}  // namespace diemcau::media::sdp
