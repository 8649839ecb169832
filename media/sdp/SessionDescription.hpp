#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "media/sdp/SdpTypes.hpp"

namespace diemcau::media::sdp {

/// One payload type of an m-line: rtpmap + fmtp + rtcp-fb (RFC 8866 section 6.6, RFC 4585 section 4.2).
struct RtpCodec {
  uint8_t payloadType = 0;
  std::string name;  // as written ("opus", "OPUS", "VP8"); compare case-insensitively
  uint32_t clockRate = 0;
  uint8_t channels = 0;  // 0 when the rtpmap has no channel count
  std::string fmtp;      // raw fmtp value ("minptime=10;useinbandfec=1"), empty when none
  std::vector<std::string> rtcpFb;  // "nack", "nack pli", "ccm fir", "goog-remb", "transport-cc"
  std::optional<uint8_t> rtxPayloadType;  // for a media codec: the rtx payload type whose apt= names it

  /// fmtp parameters split on ';' and '='; a part without '=' maps to an empty value.
  std::map<std::string, std::string> fmtpParams() const;
  std::optional<std::string> fmtpParam(std::string_view key) const;
  bool hasFeedback(std::string_view feedback) const;
  bool isRtx() const;
};

/// RFC 8285 section 8 a=extmap.
struct HeaderExtension {
  uint16_t id = 0;
  std::string uri;
  std::optional<Direction> direction;
};

/// a=ssrc lines of one SSRC (RFC 5576 section 4.1).
struct SsrcInfo {
  uint32_t ssrc = 0;
  std::string cname;
  std::string msid;  // "stream track" as written after "msid:"
};

/// a=ssrc-group (RFC 5576 section 4.2): FID pairs media+rtx, SIM lists simulcast layers.
struct SsrcGroup {
  std::string semantics;
  std::vector<uint32_t> ssrcs;
};

/// a=rid (RFC 8851 section 4).
struct Rid {
  std::string id;
  Direction direction = Direction::SendOnly;  // only SendOnly ("send") or RecvOnly ("recv")
  std::string params;  // restrictions after the direction, as written ("pt=96;max-width=640")
};

struct Fingerprint {
  std::string algorithm;  // lower case ("sha-256")
  std::string value;      // colon-separated upper-case hex
};

struct MediaSection {
  MediaKind kind = MediaKind::Unknown;
  std::string kindName;  // the m-line media token, kept for unknown kinds
  uint16_t port = 9;     // 0 = rejected, unless bundleOnly (RFC 8843 section 7.3.1)
  std::string protocol = "UDP/TLS/RTP/SAVPF";
  std::vector<std::string> formats;  // m-line formats as written
  std::string mid;
  Direction direction = Direction::SendRecv;
  std::vector<RtpCodec> codecs;  // m-line order
  std::vector<HeaderExtension> extensions;
  std::vector<SsrcInfo> ssrcs;
  std::vector<SsrcGroup> ssrcGroups;
  std::vector<Rid> rids;
  std::string simulcast;  // a=simulcast value as written ("send q;h;f"), empty when absent
  std::string msid;       // a=msid value ("stream track")
  std::vector<std::string> candidates;  // a=candidate values, without the "candidate:" prefix
  bool endOfCandidates = false;
  std::string iceUfrag;
  std::string icePwd;
  std::optional<Fingerprint> fingerprint;
  std::optional<SetupRole> setup;
  bool rtcpMux = false;
  bool rtcpMuxOnly = false;
  bool rtcpRsize = false;
  bool bundleOnly = false;
  std::string sctpPort;  // a=sctp-port for data channels, kept so a rejection can echo the section

  bool isRejected() const { return port == 0 && !bundleOnly; }
  const RtpCodec* findCodec(uint8_t payloadType) const;
  RtpCodec* findCodec(uint8_t payloadType);
  const HeaderExtension* findExtension(std::string_view uri) const;
  const SsrcInfo* findSsrc(uint32_t ssrc) const;
};

struct SessionDescription {
  std::string sessionId = "1";
  std::string sessionVersion = "1";
  std::string iceUfrag;
  std::string icePwd;
  std::vector<std::string> iceOptions;  // "trickle"
  bool iceLite = false;
  std::optional<Fingerprint> fingerprint;
  std::optional<SetupRole> setup;
  std::vector<std::string> bundleMids;  // a=group:BUNDLE
  std::string msidSemantic;             // a=msid-semantic value as written (" WMS", "WMS *")
  bool extmapAllowMixed = false;
  std::vector<MediaSection> media;

  const MediaSection* findMedia(std::string_view mid) const;
  /// Section values win over session values (RFC 8839 section 5.4, RFC 8122 section 5).
  std::string_view effectiveUfrag(const MediaSection& section) const;
  std::string_view effectivePwd(const MediaSection& section) const;
  const Fingerprint* effectiveFingerprint(const MediaSection& section) const;
  std::optional<SetupRole> effectiveSetup(const MediaSection& section) const;
};

/// A fresh o= session id for a description we write: a random number below 2^62, so it stays a
/// positive 63-bit value as RFC 8829 section 5.2.1 asks (RFC 8866 section 5.2).
std::string randomSessionId();

}  // namespace diemcau::media::sdp
