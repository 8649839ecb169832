#pragma once
// One audio or video stream a participant publishes: the bridge is its receiver (statistics,
// receiver reports, keyframe requests, NACK upstream) and fans it out to the downstream tracks.
//
// Lives on the room's worker. The downstream tracks attached here are owned by the subscribers;
// each detaches itself before it dies, and this track tells the remaining ones before it dies.
#include <cstdint>
#include <span>
#include <vector>

#include "bridge/room/AudioLevelMeter.hpp"
#include "bridge/room/KeyframeRequester.hpp"
#include "bridge/room/ReceiveStats.hpp"
#include "bridge/room/RoomTypes.hpp"
#include "media/recorder/RtpSink.hpp"
#include "media/rtp/RtpPacket.hpp"
#include "media/rtp/SenderReport.hpp"
#include "media/sdp/NegotiatedMedia.hpp"
#include "media/transport/WebRtcTransport.hpp"

namespace diemcau::bridge {

class DownTrack;

class PublishedTrack {
 public:
  struct Counters {
    uint64_t packets = 0;
    uint64_t bytes = 0;
    uint64_t retransmissions = 0;
    uint64_t droppedMuted = 0;
    uint64_t keyframes = 0;
    uint64_t plisSent = 0;
    uint64_t firsSent = 0;
    uint64_t nacksSent = 0;
    uint64_t droppedLastN = 0;  // audio last-N: not among the forwarded speakers
  };

  /// `upstream` is the publisher's connection, where feedback goes, from `bridgeSsrc`.
  PublishedTrack(TrackInfo info, const media::sdp::NegotiatedMedia& media, media::WebRtcTransport& upstream,
                 uint32_t bridgeSsrc);
  ~PublishedTrack();
  PublishedTrack(const PublishedTrack&) = delete;
  PublishedTrack& operator=(const PublishedTrack&) = delete;

  const TrackInfo& info() const { return info_; }
  const std::string& mid() const { return mid_; }
  uint32_t clockRate() const { return clockRate_; }
  bool isVideo() const { return info_.kind == TrackKind::Video; }
  /// The publisher's media SSRC, learnt from a=ssrc or the first packet (0 until known).
  uint32_t mediaSsrc() const { return mediaSsrc_; }

  /// True if `packet` belongs to this track (by SSRC, or by payload type while the SSRC is unknown).
  bool accepts(const media::rtp::RtpPacket& packet);
  /// Hot path: statistics, keyframe detection, fan-out. No allocation.
  void onRtp(media::rtp::RtpPacket& packet, int64_t nowUs);
  void onSenderReport(const media::rtp::SenderReport& report, int64_t nowUs);

  void attach(DownTrack& down);
  void detach(DownTrack& down);
  const std::vector<DownTrack*>& downTracks() const { return downTracks_; }

  /// While set, every packet that is forwarded (not chair-muted, not a retransmission) is also handed
  /// to `sink`; nullptr stops. The sink must outlive the track or be cleared first. Worker thread.
  void setRecorderSink(media::recorder::RtpSink* sink) { recorderSink_ = sink; }
  media::recorder::RtpSink* recorderSink() const { return recorderSink_; }

  /// Chair mute: packets are counted and dropped; the downstream tracks pause and resume seamlessly.
  void setMuted(bool muted);
  bool muted() const { return muted_; }
  /// Audio last-N: while set, packets are measured and recorded but not forwarded; the downstream
  /// tracks pause and resume seamlessly, as for a chair mute.
  void setSuppressed(bool suppressed);
  bool suppressed() const { return suppressed_; }

  /// True if the publisher sends RFC 6464 audio levels on this track.
  bool hasAudioLevels() const { return audioLevelId_ != 0; }
  /// The levels received since the previous call (the room's speaker detection reads it).
  LevelWindow takeLevels() { return levels_.take(); }

  /// A keyframe is needed; sends PLI (FIR if only that was negotiated) subject to the rate limit.
  void requestKeyframe(int64_t nowUs);
  /// Sends a held-back keyframe request once the rate limit allows; re-asks while a downstream
  /// track still waits.
  void onTick(int64_t nowUs);
  /// Asks the publisher to retransmit `sequences` (its own numbers).
  void sendNack(std::span<const uint16_t> sequences);

  /// Our report block about this stream (RFC 3550 section 6.4.2), if a packet arrived.
  bool hasReport() const { return mediaSsrc_ != 0 && stats_.hasPackets(); }
  media::rtp::ReportBlock report(int64_t nowUs) { return stats_.report(mediaSsrc_, nowUs); }
  uint8_t lastFractionLost() const { return stats_.lastFractionLost(); }
  const Counters& counters() const { return counters_; }

 private:
  bool isKeyframe(const media::rtp::RtpPacket& packet) const;
  void forwardRetransmission(const media::rtp::RtpPacket& packet, int64_t nowUs);

  TrackInfo info_;
  std::string mid_;
  uint8_t payloadType_;
  int rtxPayloadType_;  // -1: none
  uint32_t clockRate_;
  bool h264_;
  bool pli_;
  bool fir_;
  media::WebRtcTransport& upstream_;
  uint32_t bridgeSsrc_;
  uint32_t mediaSsrc_ = 0;
  uint32_t rtxSsrc_ = 0;
  uint8_t firSequence_ = 0;
  bool muted_ = false;
  bool suppressed_ = false;
  uint8_t audioLevelId_ = 0;  // 0: not negotiated
  AudioLevelMeter levels_;
  ReceiveStats stats_;
  KeyframeRequester keyframes_;
  std::vector<DownTrack*> downTracks_;
  media::recorder::RtpSink* recorderSink_ = nullptr;
  Counters counters_;
};

}  // namespace diemcau::bridge
