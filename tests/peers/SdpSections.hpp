#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace diemcau::peers {

/// The few facts a test peer needs from each m-section of an SDP, in m-line order.
struct SdpSection {
  std::string kind;       // "audio", "video", ...
  std::string mid;        // a=mid (RFC 8843 section 7.1); empty when absent
  std::string streamId;   // first word of a=msid (RFC 8830 section 2); empty when absent
  std::string direction;  // sendrecv, sendonly, recvonly or inactive (RFC 3264 section 5.1)
  bool rejected = false;  // port 0 (RFC 3264 section 6)
  std::vector<std::uint32_t> ssrcs;  // a=ssrc (RFC 5576 section 4.1), each once, in order
};

/// Reads m=, a=mid, a=msid, a=ssrc and direction lines. Lines it does not know are skipped; a broken
/// line yields an empty field rather than an error (the peer reports what webrtcbin refuses).
std::vector<SdpSection> readSdpSections(const std::string& sdp);

/// Each media payload type with its RTX payload type, from a=fmtp:<rtx> apt=<media> lines
/// (RFC 4588 section 8.1) anywhere in the SDP: the direction GStreamer's rtprtxsend and
/// rtprtxreceive both take as payload-type-map. Broken lines are skipped.
std::map<int, int> rtxPayloadTypes(const std::string& sdp);

}  // namespace diemcau::peers
