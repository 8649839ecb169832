#pragma once

#include <optional>
#include <string>
#include <vector>

#include "media/sdp/Answer.hpp"
#include "media/sdp/LocalTransportParams.hpp"
#include "media/sdp/NegotiatedMedia.hpp"
#include "media/sdp/SessionDescription.hpp"

namespace diemcau::media::sdp {

/// One m-section of a bridge-initiated offer (a subscriber connection): what the bridge sends.
struct OfferSection {
  MediaKind kind = MediaKind::Video;
  std::string mid;
  RtpCodec codec;  // payload type, name, clock rate, channels, fmtp, rtcp-fb
  std::optional<uint8_t> rtxPayloadType;
  std::vector<HeaderExtension> extensions;
  std::optional<SendStream> stream;
  Direction direction = Direction::SendOnly;
};

/// The description of an offer: BUNDLE over every section, rtcp-mux, setup:actpass (RFC 8842
/// section 5.2), our ICE credentials and fingerprint, candidates in the first section.
SessionDescription buildOffer(const std::vector<OfferSection>& sections, const LocalTransportParams& local);

/// buildOffer written as SDP text.
std::string createOffer(const std::vector<OfferSection>& sections, const LocalTransportParams& local);

/// Checks the remote answer to `localOffer` and returns the negotiated parameters per accepted mid.
/// Throws SdpError: invalid_answer when the answer does not fit the offer, no_bundle, no_rtcp_mux,
/// no_fingerprint, unsupported_fingerprint, no_ice_credentials, no_common_codec, no_media.
std::vector<NegotiatedMedia> applyAnswer(const SessionDescription& localOffer, const SessionDescription& answer);

}  // namespace diemcau::media::sdp
