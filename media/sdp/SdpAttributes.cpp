#include "media/sdp/SdpAttributes.hpp"

#include <string>

#include "media/sdp/SdpError.hpp"
#include "media/sdp/SdpText.hpp"

namespace diemcau::media::sdp {

namespace {

constexpr uint32_t kMaxPayloadType = 127;
constexpr uint32_t kMaxExtensionId = 255;

[[noreturn]] void malformed(std::string_view key, std::string_view value) {
  std::string shown(value.substr(0, 80));
  throw SdpError(SdpErrorCode::ParseError, "malformed a=" + std::string(key.substr(0, 40)) + ":" + shown);
}

uint32_t number(std::string_view token, uint32_t max, std::string_view key, std::string_view value) {
  const auto parsed = text::parseUint(token, max);
  if (!parsed) malformed(key, value);
  return *parsed;
}

RtpCodec* codecFor(MediaSection& section, std::string_view token, std::string_view key, std::string_view value) {
  return section.findCodec(static_cast<uint8_t>(number(token, kMaxPayloadType, key, value)));
}

// a=rtpmap:<pt> <name>/<clock>[/<channels>]  (RFC 8866 section 6.6)
void applyRtpmap(MediaSection& section, std::string_view value) {
  const size_t space = value.find(' ');
  if (space == std::string_view::npos) malformed("rtpmap", value);
  RtpCodec* codec = codecFor(section, value.substr(0, space), "rtpmap", value);
  const auto parts = text::split(text::trim(value.substr(space + 1)), '/');
  if (parts.size() < 2 || parts.size() > 3 || parts[0].empty()) malformed("rtpmap", value);
  const uint32_t clock = number(parts[1], 10'000'000, "rtpmap", value);
  const uint32_t channels = parts.size() == 3 ? number(parts[2], 255, "rtpmap", value) : 0;
  if (codec == nullptr) return;  // an rtpmap for a format not on the m-line says nothing
  codec->name = std::string(parts[0]);
  codec->clockRate = clock;
  codec->channels = static_cast<uint8_t>(channels);
}

void applyFmtp(MediaSection& section, std::string_view value) {
  const size_t space = value.find(' ');
  if (space == std::string_view::npos) malformed("fmtp", value);
  if (RtpCodec* codec = codecFor(section, value.substr(0, space), "fmtp", value)) {
    codec->fmtp = std::string(text::trim(value.substr(space + 1)));
  }
}

// a=rtcp-fb:<pt|*> <type> [<subtype>]  (RFC 4585 section 4.2)
void applyRtcpFb(MediaSection& section, std::string_view value) {
  const size_t space = value.find(' ');
  if (space == std::string_view::npos) malformed("rtcp-fb", value);
  const std::string feedback(text::trim(value.substr(space + 1)));
  if (feedback.empty()) malformed("rtcp-fb", value);
  const std::string_view target = value.substr(0, space);
  if (target == "*") {
    for (auto& codec : section.codecs) codec.rtcpFb.push_back(feedback);
  } else if (RtpCodec* codec = codecFor(section, target, "rtcp-fb", value)) {
    codec->rtcpFb.push_back(feedback);
  }
}

// a=extmap:<id>[/<direction>] <uri> [<attributes>]  (RFC 8285 section 8)
void applyExtmap(MediaSection& section, std::string_view value) {
  const auto tokens = text::splitWhitespace(value);
  if (tokens.size() < 2) malformed("extmap", value);
  HeaderExtension extension;
  const size_t slash = tokens[0].find('/');
  const uint32_t id = number(tokens[0].substr(0, slash), kMaxExtensionId, "extmap", value);
  // Id 0 is padding and 15 is reserved in the one-byte form (RFC 8285 section 4.2).
  if (id == 0 || id == 15) malformed("extmap", value);
  extension.id = static_cast<uint16_t>(id);
  if (slash != std::string_view::npos) {
    extension.direction = directionFromString(tokens[0].substr(slash + 1));
    if (!extension.direction) malformed("extmap", value);
  }
  extension.uri = std::string(tokens[1]);
  section.extensions.push_back(std::move(extension));
}

SsrcInfo& ssrcEntry(MediaSection& section, uint32_t ssrc) {
  for (auto& info : section.ssrcs) {
    if (info.ssrc == ssrc) return info;
  }
  section.ssrcs.push_back(SsrcInfo{ssrc, {}, {}});
  return section.ssrcs.back();
}

// a=ssrc:<ssrc> <attribute>[:<value>]  (RFC 5576 section 4.1)
void applySsrc(MediaSection& section, std::string_view value) {
  const size_t space = value.find(' ');
  const uint32_t ssrc = number(value.substr(0, space), UINT32_MAX, "ssrc", value);
  SsrcInfo& info = ssrcEntry(section, ssrc);
  if (space == std::string_view::npos) return;
  const std::string_view rest = value.substr(space + 1);
  const size_t colon = rest.find(':');
  const std::string_view name = rest.substr(0, colon);
  const std::string_view attribute = colon == std::string_view::npos ? std::string_view{} : rest.substr(colon + 1);
  if (name == "cname") info.cname = std::string(attribute);
  if (name == "msid") info.msid = std::string(attribute);
}

void applySsrcGroup(MediaSection& section, std::string_view value) {
  const auto tokens = text::splitWhitespace(value);
  if (tokens.size() < 2) malformed("ssrc-group", value);
  SsrcGroup group{std::string(tokens[0]), {}};
  for (size_t i = 1; i < tokens.size(); ++i) group.ssrcs.push_back(number(tokens[i], UINT32_MAX, "ssrc-group", value));
  section.ssrcGroups.push_back(std::move(group));
}

// a=rid:<id> <send|recv> [<restrictions>]  (RFC 8851 section 10)
void applyRid(MediaSection& section, std::string_view value) {
  const auto tokens = text::splitWhitespace(value);
  if (tokens.size() < 2 || tokens.size() > 3) malformed("rid", value);
  Rid rid;
  rid.id = std::string(tokens[0]);
  if (tokens[1] == "send") {
    rid.direction = Direction::SendOnly;
  } else if (tokens[1] == "recv") {
    rid.direction = Direction::RecvOnly;
  } else {
    malformed("rid", value);
  }
  if (tokens.size() == 3) rid.params = std::string(tokens[2]);
  section.rids.push_back(std::move(rid));
}

// RFC 8122 section 5 allows several a=fingerprint lines; keep a sha-256 one if any is given,
// since that is the only digest the bridge checks.
void applyFingerprint(std::optional<Fingerprint>& fingerprint, std::string_view value) {
  Fingerprint parsed = parseFingerprint(value);
  if (fingerprint && fingerprint->algorithm == "sha-256" && parsed.algorithm != "sha-256") return;
  fingerprint = std::move(parsed);
}

void applySetup(std::optional<SetupRole>& setup, std::string_view value) {
  setup = setupRoleFromString(text::trim(value));
  if (!setup) malformed("setup", value);
}

}  // namespace

Fingerprint parseFingerprint(std::string_view value) {
  const auto tokens = text::splitWhitespace(value);
  if (tokens.size() != 2) malformed("fingerprint", value);
  Fingerprint fingerprint{text::toLower(tokens[0]), std::string(tokens[1])};
  for (char& c : fingerprint.value) {
    const bool hex = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    if (!hex && c != ':') malformed("fingerprint", value);
    if (c >= 'a' && c <= 'f') c = static_cast<char>(c - 'a' + 'A');
  }
  return fingerprint;
}

void applySessionAttribute(SessionDescription& session, std::string_view key, std::string_view value) {
  if (key == "ice-ufrag") {
    session.iceUfrag = std::string(text::trim(value));
  } else if (key == "ice-pwd") {
    session.icePwd = std::string(text::trim(value));
  } else if (key == "ice-options") {
    for (auto option : text::splitWhitespace(value)) session.iceOptions.emplace_back(option);
  } else if (key == "ice-lite") {
    session.iceLite = true;
  } else if (key == "fingerprint") {
    applyFingerprint(session.fingerprint, value);
  } else if (key == "setup") {
    applySetup(session.setup, value);
  } else if (key == "group") {
    const auto tokens = text::splitWhitespace(value);
    if (!tokens.empty() && tokens[0] == "BUNDLE") {
      for (size_t i = 1; i < tokens.size(); ++i) session.bundleMids.emplace_back(tokens[i]);
    }
  } else if (key == "msid-semantic") {
    session.msidSemantic = std::string(value);
  } else if (key == "extmap-allow-mixed") {
    session.extmapAllowMixed = true;
  }
}

void applyMediaAttribute(MediaSection& section, std::string_view key, std::string_view value) {
  if (auto direction = directionFromString(key)) {
    section.direction = *direction;
  } else if (key == "mid") {
    section.mid = std::string(text::trim(value));
  } else if (key == "rtpmap") {
    applyRtpmap(section, value);
  } else if (key == "fmtp") {
    applyFmtp(section, value);
  } else if (key == "rtcp-fb") {
    applyRtcpFb(section, value);
  } else if (key == "extmap") {
    applyExtmap(section, value);
  } else if (key == "ssrc") {
    applySsrc(section, value);
  } else if (key == "ssrc-group") {
    applySsrcGroup(section, value);
  } else if (key == "rid") {
    applyRid(section, value);
  } else if (key == "simulcast") {
    section.simulcast = std::string(text::trim(value));
  } else if (key == "msid") {
    section.msid = std::string(text::trim(value));
  } else if (key == "candidate") {
    section.candidates.emplace_back(text::trim(value));
  } else if (key == "end-of-candidates") {
    section.endOfCandidates = true;
  } else if (key == "ice-ufrag") {
    section.iceUfrag = std::string(text::trim(value));
  } else if (key == "ice-pwd") {
    section.icePwd = std::string(text::trim(value));
  } else if (key == "fingerprint") {
    applyFingerprint(section.fingerprint, value);
  } else if (key == "setup") {
    applySetup(section.setup, value);
  } else if (key == "rtcp-mux") {
    section.rtcpMux = true;
  } else if (key == "rtcp-mux-only") {
    section.rtcpMuxOnly = true;
  } else if (key == "rtcp-rsize") {
    section.rtcpRsize = true;
  } else if (key == "bundle-only") {
    section.bundleOnly = true;
  } else if (key == "sctp-port") {
    section.sctpPort = std::string(text::trim(value));
  }
}

void linkRtxCodecs(MediaSection& section) {
  for (const auto& rtx : section.codecs) {
    if (!rtx.isRtx()) continue;
    const auto apt = rtx.fmtpParam("apt");
    if (!apt) continue;
    const auto target = text::parseUint(*apt, kMaxPayloadType);
    if (!target) continue;
    for (auto& codec : section.codecs) {
      if (codec.payloadType == *target && !codec.isRtx() && !codec.rtxPayloadType) {
        codec.rtxPayloadType = rtx.payloadType;
      }
    }
  }
}

}  // namespace diemcau::media::sdp
