#pragma once

#include <cstddef>
#include <cstdint>

namespace diemcau::media::rtp {

/**
 * RFC 5761 §4: with rtcp-mux, a packet whose first byte is 128..191 (RTP/RTCP version 2, the
 * range RFC 7983 assigns after DTLS/STUN) is RTCP if its second byte is 192..223, which covers
 * every RTCP type in use (SR 200 .. XR 207, and FIR/NACK 192/193 of RFC 2032).
 */
bool isRtcp(const uint8_t* data, size_t len);

/// The counterpart of isRtcp(): an RTP packet under the same rtcp-mux rule.
bool isRtp(const uint8_t* data, size_t len);

}  // namespace diemcau::media::rtp
