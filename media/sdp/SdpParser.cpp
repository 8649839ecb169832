#include "media/sdp/SdpParser.hpp"

#include <string>

#include "media/sdp/GstSdpMessage.hpp"
#include "media/sdp/SdpAttributes.hpp"
#include "media/sdp/SdpError.hpp"
#include "media/sdp/SdpText.hpp"

namespace diemcau::media::sdp {

namespace {

constexpr size_t kMaxFormats = 128;

std::string_view orEmpty(const gchar* text) { return text == nullptr ? std::string_view{} : std::string_view(text); }

// GstSDP accepts nearly any text, so the line grammar of RFC 8866 section 5 (<type>=<value>, one
// lower-case letter, v=0 first) is checked here, before GstSDP sees it.
void checkLines(std::string_view text) {
  if (text.size() > kMaxSdpBytes) {
    throw SdpError(SdpErrorCode::TooLarge,
                   "the SDP is " + std::to_string(text.size()) + " bytes, more than the " +
                       std::to_string(kMaxSdpBytes) + " accepted");
  }
  if (text.find('\0') != std::string_view::npos) {
    throw SdpError(SdpErrorCode::ParseError, "the SDP contains a NUL byte");
  }
  size_t mediaLines = 0;
  size_t lineNumber = 0;
  for (std::string_view line : text::split(text, '\n')) {
    ++lineNumber;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    if (line.size() < 2 || line[1] != '=' || line[0] < 'a' || line[0] > 'z') {
      throw SdpError(SdpErrorCode::ParseError,
                     "line " + std::to_string(lineNumber) + " is not of the form <letter>=<value>");
    }
    if (lineNumber == 1 && line != "v=0") {
      throw SdpError(SdpErrorCode::ParseError, "the SDP must start with v=0");
    }
    if (line[0] == 'm' && ++mediaLines > kMaxMediaSections) {
      throw SdpError(SdpErrorCode::TooLarge,
                     "the SDP has more than " + std::to_string(kMaxMediaSections) + " m-lines");
    }
  }
  if (lineNumber == 0 || text.substr(0, 3) != "v=0") {
    throw SdpError(SdpErrorCode::ParseError, "the SDP must start with v=0");
  }
}

MediaSection parseMedia(const GstSDPMedia* media, size_t index) {
  MediaSection section;
  section.kindName = std::string(orEmpty(gst_sdp_media_get_media(media)));
  section.kind = mediaKindFromString(section.kindName);
  const guint port = gst_sdp_media_get_port(media);
  if (port > 65535) {
    throw SdpError(SdpErrorCode::ParseError, "m-line " + std::to_string(index) + " has an invalid port");
  }
  section.port = static_cast<uint16_t>(port);
  section.protocol = std::string(orEmpty(gst_sdp_media_get_proto(media)));
  const guint formats = gst_sdp_media_formats_len(media);
  if (formats > kMaxFormats) {
    throw SdpError(SdpErrorCode::TooLarge, "m-line " + std::to_string(index) + " lists too many formats");
  }
  const bool rtp = section.protocol.find("RTP/") != std::string::npos;
  for (guint i = 0; i < formats; ++i) {
    const std::string_view format = orEmpty(gst_sdp_media_get_format(media, i));
    section.formats.emplace_back(format);
    if (!rtp) continue;
    const auto pt = text::parseUint(format, 127);
    if (!pt) {
      throw SdpError(SdpErrorCode::ParseError,
                     "m-line " + std::to_string(index) + " has a payload type that is not 0-127");
    }
    if (section.findCodec(static_cast<uint8_t>(*pt)) == nullptr) {
      section.codecs.push_back(RtpCodec{static_cast<uint8_t>(*pt), {}, 0, 0, {}, {}, {}});
    }
  }
  const guint attributes = gst_sdp_media_attributes_len(media);
  for (guint i = 0; i < attributes; ++i) {
    const GstSDPAttribute* attribute = gst_sdp_media_get_attribute(media, i);
    if (attribute == nullptr) continue;
    applyMediaAttribute(section, orEmpty(attribute->key), orEmpty(attribute->value));
  }
  linkRtxCodecs(section);
  return section;
}

}  // namespace

SessionDescription parseSdp(std::string_view text) {
  checkLines(text);
  const GstSdpMessage message = GstSdpMessage::fromText(text);
  const GstSDPMessage* raw = message.get();
  if (orEmpty(gst_sdp_message_get_version(raw)) != "0") {
    throw SdpError(SdpErrorCode::ParseError, "the SDP version is not 0");
  }
  SessionDescription session;
  if (const GstSDPOrigin* origin = gst_sdp_message_get_origin(raw)) {
    if (origin->sess_id != nullptr) session.sessionId = origin->sess_id;
    if (origin->sess_version != nullptr) session.sessionVersion = origin->sess_version;
  }
  const guint attributes = gst_sdp_message_attributes_len(raw);
  for (guint i = 0; i < attributes; ++i) {
    const GstSDPAttribute* attribute = gst_sdp_message_get_attribute(raw, i);
    if (attribute == nullptr) continue;
    applySessionAttribute(session, orEmpty(attribute->key), orEmpty(attribute->value));
  }
  const guint medias = gst_sdp_message_medias_len(raw);
  for (guint i = 0; i < medias; ++i) {
    session.media.push_back(parseMedia(gst_sdp_message_get_media(raw, i), i));
  }
  return session;
}

}  // namespace diemcau::media::sdp
