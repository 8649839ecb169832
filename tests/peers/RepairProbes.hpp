#pragma once
// A receiver's view of repair, per received SSRC: pad probes on each rtpjitterbuffer of the
// subscribe webrtcbin feed a RepairMeter (packets in at its sink pad, GstRTPPacketLost events out
// at its source pad), and the peer's report carries the result (`repairs` in MeetingMode's report).
//
// Also makes the receiver's RTCP carry its NACKs as promptly as a browser's (promptFeedback,
// with the peer's --prompt-feedback).
#include "tests/peers/RepairMeter.hpp"

#include <gst/gst.h>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace diemcau::peers {

class RepairProbes {
 public:
  /// From rtpbin's new-jitterbuffer (a streaming thread): watches `jitterbuffer`, made for `ssrc`.
  void watch(GstElement* jitterbuffer, std::uint32_t ssrc);
  /// Learns each payload type's media from an offer's m= lines ("m=video 9 UDP/TLS/RTP/SAVPF 96 97"):
  /// the jitter buffer's caps do not say, its payload map is rtpbin's.
  void notePayloadTypes(const std::string& sdp);
  /// [{ssrc, payload_type, media, packets, missing, repaired, given_up, late, unresolved,
  ///   repair_ms_median, repair_ms_max}, ...].
  nlohmann::json toJson() const;

 private:
  struct Stream {
    RepairProbes* owner;
    std::uint32_t ssrc;
    int payloadType;  // of the first packet, -1 before it
    RepairMeter meter;
  };
  static GstPadProbeReturn onPacket(GstPad* pad, GstPadProbeInfo* info, gpointer stream);
  static GstPadProbeReturn onEvent(GstPad* pad, GstPadProbeInfo* info, gpointer stream);

  mutable std::mutex mutex_;  // the jitter buffers' streaming threads and the report
  std::map<std::uint32_t, std::unique_ptr<Stream>> streams_;
  std::map<int, std::string> mediaByPayloadType_;
};

/// GStreamer's RTP session sends feedback by RFC 4585's early-RTCP rule: once an early packet has
/// gone, the next NACK waits for the regular report interval, which webrtcbin derives from 5 % of
/// the media rate (0.3 to 1 s for a 150 kbit/s call). A browser sends each NACK at once (libwebrtc
/// does not pace feedback by RTCP bandwidth). Across a 200 ms round trip that wait alone made most
/// repairs miss the jitter buffer's deadline, so the subscribe session here gets RTCP bandwidth
/// for a report interval of about 50 ms; its NACKs then leave within that.
void promptFeedback(GstElement* rtpbin, unsigned session);

}  // namespace diemcau::peers
