#include "media/sdp/SdpWriter.hpp"

#include "media/sdp/GstSdpMessage.hpp"

namespace diemcau::media::sdp {

namespace {

std::string fingerprintText(const Fingerprint& fingerprint) { return fingerprint.algorithm + " " + fingerprint.value; }

std::string joined(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

void writeSessionAttributes(GstSDPMessage* message, const SessionDescription& session) {
  auto add = [message](const char* key, const std::string& value) {
    gst_sdp_message_add_attribute(message, key, value.empty() ? nullptr : value.c_str());
  };
  if (session.iceLite) add("ice-lite", {});
  if (!session.bundleMids.empty()) add("group", "BUNDLE " + joined(session.bundleMids, " "));
  if (session.extmapAllowMixed) add("extmap-allow-mixed", {});
  if (!session.msidSemantic.empty()) add("msid-semantic", session.msidSemantic);
  if (!session.iceUfrag.empty()) add("ice-ufrag", session.iceUfrag);
  if (!session.icePwd.empty()) add("ice-pwd", session.icePwd);
  if (!session.iceOptions.empty()) add("ice-options", joined(session.iceOptions, " "));
  if (session.fingerprint) add("fingerprint", fingerprintText(*session.fingerprint));
  if (session.setup) add("setup", std::string(toString(*session.setup)));
}

void writeCodecs(GstSdpMedia& media, const MediaSection& section) {
  for (const auto& codec : section.codecs) {
    const std::string pt = std::to_string(codec.payloadType);
    if (!codec.name.empty()) {
      std::string rtpmap = pt + " " + codec.name + "/" + std::to_string(codec.clockRate);
      if (codec.channels != 0) rtpmap += "/" + std::to_string(codec.channels);
      media.addAttribute("rtpmap", rtpmap);
    }
    for (const auto& feedback : codec.rtcpFb) media.addAttribute("rtcp-fb", pt + " " + feedback);
    if (!codec.fmtp.empty()) media.addAttribute("fmtp", pt + " " + codec.fmtp);
  }
}

void writeStreams(GstSdpMedia& media, const MediaSection& section) {
  for (const auto& rid : section.rids) {
    std::string value = rid.id + (rid.direction == Direction::RecvOnly ? " recv" : " send");
    if (!rid.params.empty()) value += " " + rid.params;
    media.addAttribute("rid", value);
  }
  if (!section.simulcast.empty()) media.addAttribute("simulcast", section.simulcast);
  for (const auto& group : section.ssrcGroups) {
    std::string value = group.semantics;
    for (uint32_t ssrc : group.ssrcs) value += " " + std::to_string(ssrc);
    media.addAttribute("ssrc-group", value);
  }
  for (const auto& info : section.ssrcs) {
    const std::string ssrc = std::to_string(info.ssrc);
    if (!info.cname.empty()) media.addAttribute("ssrc", ssrc + " cname:" + info.cname);
    if (!info.msid.empty()) media.addAttribute("ssrc", ssrc + " msid:" + info.msid);
    if (info.cname.empty() && info.msid.empty()) media.addAttribute("ssrc", ssrc);
  }
}

void writeMedia(GstSdpMessage& message, const MediaSection& section) {
  GstSdpMedia media;
  GstSDPMedia* raw = media.get();
  const std::string kind = section.kindName.empty() ? std::string(toString(section.kind)) : section.kindName;
  gst_sdp_media_set_media(raw, kind.c_str());
  gst_sdp_media_set_port_info(raw, section.port, 1);
  gst_sdp_media_set_proto(raw, section.protocol.c_str());
  const bool rtp = section.protocol.find("RTP/") != std::string::npos;
  if (rtp && !section.codecs.empty()) {
    for (const auto& codec : section.codecs) gst_sdp_media_add_format(raw, std::to_string(codec.payloadType).c_str());
  } else {
    for (const auto& format : section.formats) gst_sdp_media_add_format(raw, format.c_str());
  }
  gst_sdp_media_add_connection(raw, "IN", "IP4", "0.0.0.0", 0, 0);

  if (!section.mid.empty()) media.addAttribute("mid", section.mid);
  if (!section.iceUfrag.empty()) media.addAttribute("ice-ufrag", section.iceUfrag);
  if (!section.icePwd.empty()) media.addAttribute("ice-pwd", section.icePwd);
  if (section.fingerprint) media.addAttribute("fingerprint", fingerprintText(*section.fingerprint));
  if (section.setup) media.addAttribute("setup", toString(*section.setup));
  if (section.bundleOnly) media.addAttribute("bundle-only");
  for (const auto& extension : section.extensions) {
    std::string id = std::to_string(extension.id);
    if (extension.direction) id += "/" + std::string(toString(*extension.direction));
    media.addAttribute("extmap", id + " " + extension.uri);
  }
  media.addAttribute(toString(section.direction));
  if (!section.msid.empty()) media.addAttribute("msid", section.msid);
  if (section.rtcpMux) media.addAttribute("rtcp-mux");
  if (section.rtcpMuxOnly) media.addAttribute("rtcp-mux-only");
  if (section.rtcpRsize) media.addAttribute("rtcp-rsize");
  if (!section.sctpPort.empty()) media.addAttribute("sctp-port", section.sctpPort);
  writeCodecs(media, section);
  writeStreams(media, section);
  for (const auto& candidate : section.candidates) media.addAttribute("candidate", candidate);
  if (section.endOfCandidates) media.addAttribute("end-of-candidates");
  media.moveInto(message);
}

}  // namespace

std::string writeSdp(const SessionDescription& session) {
  GstSdpMessage message;
  GstSDPMessage* raw = message.get();
  gst_sdp_message_set_version(raw, "0");
  gst_sdp_message_set_origin(raw, "-", session.sessionId.c_str(), session.sessionVersion.c_str(), "IN", "IP4",
                             "127.0.0.1");
  gst_sdp_message_set_session_name(raw, "-");
  gst_sdp_message_add_time(raw, "0", "0", nullptr);
  writeSessionAttributes(raw, session);
  for (const auto& section : session.media) writeMedia(message, section);
  return message.toText();
}

}  // namespace diemcau::media::sdp
