#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "media/sdp/SessionDescription.hpp"

namespace diemcau::media::sdp {

/// RTCP feedback both sides agreed on for the chosen codec.
struct NegotiatedFeedback {
  bool nack = false;
  bool pli = false;
  bool fir = false;
  bool remb = false;
  bool transportCc = false;
};

/// What the media layer needs to run one accepted m-section.
struct NegotiatedMedia {
  std::string mid;
  MediaKind kind = MediaKind::Audio;
  Direction direction = Direction::SendRecv;  // the bridge's direction for this section
  uint8_t payloadType = 0;
  std::string codecName;
  uint32_t clockRate = 0;
  uint8_t channels = 0;
  std::string fmtp;
  std::optional<uint8_t> rtxPayloadType;
  std::map<std::string, uint16_t, std::less<>> extensionIds;  // by URI
  std::vector<uint32_t> remoteSsrcs;
  std::vector<SsrcGroup> remoteSsrcGroups;
  std::vector<Rid> rids;  // as the remote wrote them
  NegotiatedFeedback feedback;
  bool rtcpRsize = false;

  std::optional<uint16_t> extensionId(std::string_view uri) const;
};

/// Summarises an agreed section: `agreed` holds the chosen codec first (then its rtx) with the
/// agreed feedback and extensions; `remote` supplies the peer's SSRCs and rids.
NegotiatedMedia summarizeNegotiated(const MediaSection& agreed, const MediaSection& remote, Direction ourDirection);

}  // namespace diemcau::media::sdp
