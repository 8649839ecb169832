#include "tests/peers/RepairProbes.hpp"

#include "tests/peers/SteadyNow.hpp"

#include <array>
#include <chrono>
#include <cstdlib>
#include <sstream>

namespace diemcau::peers {

namespace {

// RTCP bandwidth of the receiving session (rtpsession's rtcp-fraction, absolute when at least 1).
// Its documentation says bytes per second, but GStreamer's interval is 8 x the average report
// size x the members over it (rtpstats.c), so it acts as bits per second: reports of ~150 bytes
// with UDP/IP and two members give a regular interval near 50 ms, about 24 kbit/s of reports.
// A browser sends fewer (a report a second, a NACK whenever a gap shows), at the price of nothing
// waiting: the point here is that no NACK waits more than a few tens of milliseconds.
constexpr double kFeedbackRtcpBitsPerSecond = 48000.0;

}  // namespace

void RepairProbes::watch(GstElement* jitterbuffer, std::uint32_t ssrc) {
  Stream* stream = nullptr;
  {
    std::lock_guard lock(mutex_);
    auto& slot = streams_[ssrc];
    if (slot) return;  // one jitter buffer per SSRC for the session's life
    slot = std::make_unique<Stream>(Stream{this, ssrc, -1, {}});
    stream = slot.get();
  }
  if (GstPad* sink = gst_element_get_static_pad(jitterbuffer, "sink")) {
    gst_pad_add_probe(sink, GST_PAD_PROBE_TYPE_BUFFER, onPacket, stream, nullptr);
    gst_object_unref(sink);
  }
  if (GstPad* src = gst_element_get_static_pad(jitterbuffer, "src")) {
    gst_pad_add_probe(src, GST_PAD_PROBE_TYPE_EVENT_DOWNSTREAM, onEvent, stream, nullptr);
    gst_object_unref(src);
  }
}

GstPadProbeReturn RepairProbes::onPacket(GstPad*, GstPadProbeInfo* info, gpointer data) {
  auto* stream = static_cast<Stream*>(data);
  std::array<guint8, 4> header{};
  // The RTP fixed header (RFC 3550 section 5.1): version 2, sequence number in bytes 2-3.
  if (gst_buffer_extract(GST_PAD_PROBE_INFO_BUFFER(info), 0, header.data(), header.size()) != header.size() ||
      (header[0] >> 6) != 2) {
    return GST_PAD_PROBE_OK;
  }
  const auto sequence = static_cast<std::uint16_t>((header[2] << 8) | header[3]);
  std::lock_guard lock(stream->owner->mutex_);
  if (stream->payloadType < 0) stream->payloadType = header[1] & 0x7f;
  stream->meter.onArrival(sequence, steadyNowUs());
  return GST_PAD_PROBE_OK;
}

GstPadProbeReturn RepairProbes::onEvent(GstPad*, GstPadProbeInfo* info, gpointer data) {
  GstEvent* event = GST_PAD_PROBE_INFO_EVENT(info);
  if (GST_EVENT_TYPE(event) != GST_EVENT_CUSTOM_DOWNSTREAM) return GST_PAD_PROBE_OK;
  const GstStructure* s = gst_event_get_structure(event);
  guint sequence = 0;
  if (s == nullptr || !gst_structure_has_name(s, "GstRTPPacketLost") ||
      !gst_structure_get_uint(s, "seqnum", &sequence)) {
    return GST_PAD_PROBE_OK;
  }
  auto* stream = static_cast<Stream*>(data);
  std::lock_guard lock(stream->owner->mutex_);
  stream->meter.onGivenUp(static_cast<std::uint16_t>(sequence));
  return GST_PAD_PROBE_OK;
}

void RepairProbes::notePayloadTypes(const std::string& sdp) {
  std::istringstream lines(sdp);
  std::string line;
  std::lock_guard lock(mutex_);
  while (std::getline(lines, line)) {
    if (line.rfind("m=", 0) != 0) continue;
    std::istringstream words(line.substr(2));
    std::string media, port, protocol, format;
    words >> media >> port >> protocol;
    while (words >> format) {
      char* end = nullptr;
      const long pt = std::strtol(format.c_str(), &end, 10);
      if (end != format.c_str() && pt >= 0 && pt < 128) mediaByPayloadType_[static_cast<int>(pt)] = media;
    }
  }
}

nlohmann::json RepairProbes::toJson() const {
  auto out = nlohmann::json::array();
  std::lock_guard lock(mutex_);
  for (const auto& [ssrc, stream] : streams_) {
    nlohmann::json entry = stream->meter.toJson();
    entry["ssrc"] = ssrc;
    entry["payload_type"] = stream->payloadType;
    const auto media = mediaByPayloadType_.find(stream->payloadType);
    entry["media"] = media != mediaByPayloadType_.end() ? media->second : "unknown";
    out.push_back(std::move(entry));
  }
  return out;
}

void promptFeedback(GstElement* rtpbin, unsigned session) {
  GstElement* rtpSession = nullptr;
  g_signal_emit_by_name(rtpbin, "get-session", session, &rtpSession);
  if (rtpSession == nullptr) return;
  g_object_set(rtpSession, "rtcp-fraction", kFeedbackRtcpBitsPerSecond, nullptr);
  gst_object_unref(rtpSession);
}

}  // namespace diemcau::peers
