#include "media/sdp/Answer.hpp"

#include <utility>

#include "media/sdp/SdpError.hpp"
#include "media/sdp/SdpWriter.hpp"

namespace diemcau::media::sdp {

Answer::Answer(SessionDescription description, std::vector<NegotiatedMedia> negotiated)
    : description_(std::move(description)), negotiated_(std::move(negotiated)) {}

const NegotiatedMedia* Answer::find(std::string_view mid) const {
  for (const auto& media : negotiated_) {
    if (media.mid == mid) return &media;
  }
  return nullptr;
}

void Answer::addSendStream(std::string_view mid, const SendStream& stream) {
  for (auto& section : description_.media) {
    if (section.mid == mid && !section.isRejected()) {
      addSendStreamTo(section, stream);
      return;
    }
  }
  throw SdpError(SdpErrorCode::UnknownMid, "the answer has no accepted section with mid " + std::string(mid));
}

std::string Answer::toSdp() const { return writeSdp(description_); }

void addSendStreamTo(MediaSection& section, const SendStream& stream) {
  const std::string msid = (stream.streamId.empty() ? std::string("-") : stream.streamId) + " " + stream.trackId;
  section.msid = msid;
  section.ssrcs.push_back(SsrcInfo{stream.ssrc, stream.cname, msid});
  if (stream.rtxSsrc) {
    section.ssrcs.push_back(SsrcInfo{*stream.rtxSsrc, stream.cname, msid});
    section.ssrcGroups.push_back(SsrcGroup{"FID", {stream.ssrc, *stream.rtxSsrc}});
  }
}

}  // namespace diemcau::media::sdp
