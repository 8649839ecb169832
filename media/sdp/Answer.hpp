#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "media/sdp/NegotiatedMedia.hpp"
#include "media/sdp/SessionDescription.hpp"

namespace diemcau::media::sdp {

/// A stream the bridge sends on a section: announced with a=ssrc (cname, msid) and, with RTX,
/// an a=ssrc-group:FID pair (RFC 5576 section 4.2, RFC 4588 section 8.7).
struct SendStream {
  uint32_t ssrc = 0;
  std::optional<uint32_t> rtxSsrc;
  std::string cname;
  std::string streamId;  // msid stream id ("-" for none)
  std::string trackId;
};

/// The answer to a remote offer: the description to send back plus, per accepted mid, what the
/// media layer needs. Rejected sections are in the description (port 0) but not in negotiated().
class Answer {
 public:
  Answer(SessionDescription description, std::vector<NegotiatedMedia> negotiated);

  const SessionDescription& description() const noexcept { return description_; }
  const std::vector<NegotiatedMedia>& negotiated() const noexcept { return negotiated_; }
  const NegotiatedMedia* find(std::string_view mid) const;

  /// Announces a stream the bridge sends on accepted section `mid`; throws SdpError(unknown_mid).
  void addSendStream(std::string_view mid, const SendStream& stream);

  /// The answer as SDP text (CRLF lines).
  std::string toSdp() const;

 private:
  SessionDescription description_;
  std::vector<NegotiatedMedia> negotiated_;
};

/// Writes `stream` into `section`: a=msid, a=ssrc cname/msid lines and the FID group.
void addSendStreamTo(MediaSection& section, const SendStream& stream);

}  // namespace diemcau::media::sdp
