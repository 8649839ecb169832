#pragma once
// One audio or video stream a participant publishes: the bridge is its receiver (statistics,
// receiver reports, keyframe requests, NACK upstream) and fans it out to the downstream tracks.
//
// Lives on the room's worker. The downstream tracks attached here are owned by the subscribers;
// each detaches itself before it dies, and this track tells the remaining ones before it dies.
#include <array>
#include <cstdint>
#include <memory>
#include <span>
#include <vector>

#include "bridge/room/AudioLevelMeter.hpp"
#include "bridge/bwe/BitrateMeter.hpp"
#include "bridge/room/KeyframeRequester.hpp"
#include "bridge/room/NackGenerator.hpp"
#include "bridge/room/ReceiveStats.hpp"
#include "bridge/room/RoomTypes.hpp"
#include "bridge/room/RtpPacketHistory.hpp"
#include "media/recorder/RtpSink.hpp"
#include "media/rtp/RtpPacket.hpp"
#include "media/rtp/SenderReport.hpp"
#include "media/sdp/NegotiatedMedia.hpp"
#include "media/transport/WebRtcTransport.hpp"

namespace diemcau::bridge {

class DownTrack;

class PublishedTrack {
 public:
  /// How often receivers' own keyframe requests reach the publisher. A receiver on a lossy link
  /// asks for one every few hundred milliseconds while its decoder waits; a browser's VP8 simulcast
  /// encoder answers a request for any layer with keyframes on all of them, and a keyframe costs
  /// several times a delta frame, so at the layer switch's 300 ms the top layer carried keyframes
  /// nearly all the time, fell to a few frames a second and spiked over what the sites with good
  /// links could take: one weak site degraded every other. Layer switches and new connections keep
  /// the shorter interval (keyframes_): they are rare and a receiver waits on them.
  /// A receiver still asking after the last keyframe arrived (that keyframe did not repair it) may
  /// get one request out after the shorter interval, on the credit KeyframeRequester describes:
  /// held for the rest of the second, its freeze grows by that wait (docs/PERFORMANCE.md, "With a
  /// 200 ms round trip"), and the credit keeps the long-run rate at one a second however often a
  /// weak receiver asks.
  static constexpr int64_t kReceiverKeyframeIntervalUs = 1'000'000;

  struct Counters {
    uint64_t packets = 0;
    uint64_t bytes = 0;
    uint64_t retransmissions = 0;
    uint64_t droppedMuted = 0;
    uint64_t keyframes = 0;
    uint64_t plisSent = 0;
    uint64_t firsSent = 0;
    uint64_t nacksSent = 0;
    // Retransmission (docs/ARCHITECTURE.md, "Retransmission on weak links").
    uint64_t nackedUpstream = 0;        // sequence numbers asked of the publisher
    uint64_t recovered = 0;             // lost packets that arrived after all (RTX or late)
    uint64_t duplicateRepairs = 0;      // RTX of packets already held (probes, repeated answers)
    uint64_t keyframeFallbacks = 0;     // too much lost to repair: keyframe asked instead
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

  /// True if `packet` belongs to this track (by SSRC, or by payload type while the SSRC is unknown;
  /// a simulcast layer by its rid).
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
  /// A receiver's own PLI/FIR: as requestKeyframe, but at most one per kReceiverKeyframeIntervalUs
  /// (a keyframe that arrives meanwhile, for whatever reason, serves it).
  void requestKeyframeForReceiver(int64_t nowUs);
  /// A receiver's connection just came up: as requestKeyframe, but a keyframe that passed before
  /// it could be received does not count (KeyframeRequester::requestForNewConnection).
  void requestKeyframeForNewConnection(int64_t nowUs);
  /// Sends a held-back keyframe request once the rate limit allows; re-asks while a downstream
  /// track still waits.
  void onTick(int64_t nowUs);
  /// Asks the publisher to retransmit `sequences` (its own numbers) that the bridge does not
  /// already chase itself.
  void sendNack(std::span<const uint16_t> sequences);

  /// Keeps recent packets to answer receivers' NACKs and NACKs the publisher for what the bridge
  /// lost. Without it the bridge does no retransmission at all. Video only (audio sections
  /// negotiate no NACK); call before the first packet.
  void enableRetransmission();
  bool retransmission() const { return history_ != nullptr; }
  /// The stored packet with the publisher's `sequence` for a receiver `oneWayUs` away.
  RtpPacketHistory::Lookup findForRetransmission(uint16_t sequence, int64_t nowUs, int64_t oneWayUs,
                                                 std::optional<media::rtp::RtpPacket>& out);
  /// What the bridge's own NACKing of the publisher does (null without retransmission).
  const NackGenerator* nackGenerator() const { return nackGenerator_.get(); }

  /// Our report block about this stream (RFC 3550 section 6.4.2), if a packet arrived.
  bool hasReport() const { return mediaSsrc_ != 0 && stats_.hasPackets(); }
  media::rtp::ReportBlock report(int64_t nowUs) { return stats_.report(mediaSsrc_, nowUs); }
  uint8_t lastFractionLost() const { return stats_.lastFractionLost(); }
  const Counters& counters() const { return counters_; }

  /// Simulcast (RFC 8853): the publisher sends this video as several streams told apart by their
  /// rid (RFC 8852). The routed track is layer 0 and owns the others; every layer is a
  /// PublishedTrack of its own (statistics, reports, keyframe requests, retransmission) that
  /// learns its SSRCs from the rid and repaired-rid header extensions.
  void setRid(std::string rid, int layer);
  void adoptLayer(std::unique_ptr<PublishedTrack> layer);
  const std::string& rid() const { return rid_; }
  int layer() const { return layer_; }
  /// Every layer, this one first ({this} without simulcast).
  const std::vector<PublishedTrack*>& layers() const { return layers_; }
  /// How much this video matters to its receivers when bandwidth is short: 0 the hall (a host),
  /// 1 the speaker (floor, spotlight), 2 the others. Set by the room's routing.
  void setImportance(int importance) { importance_ = importance; }
  int importance() const { return importance_; }
  /// What the publisher sends on this layer: the busiest second of the last five.
  uint64_t bitrate(int64_t nowUs) const { return bitrate_.peakBitsPerSecond(nowUs); }
  /// Picture height of the last keyframe (VP8 only; 0 until known).
  uint16_t frameHeight() const { return frameHeight_; }

 private:
  bool isKeyframe(const media::rtp::RtpPacket& packet) const;
  void onRetransmission(const media::rtp::RtpPacket& rtx, int64_t nowUs);
  void forwardRecovered(media::rtp::RtpPacket& packet, int64_t nowUs);
  void onKeyframePacket(const media::rtp::RtpPacket& packet);
  void fanOut(const media::rtp::RtpPacket& packet, bool keyframe, int64_t nowUs);
  void replayFrame(DownTrack& down, const media::rtp::RtpPacket& start, int64_t nowUs);
  void sendDueNacks(int64_t nowUs);
  void writeNack(std::span<const uint16_t> sequences);

  TrackInfo info_;
  std::string mid_;
  uint8_t payloadType_;
  int rtxPayloadType_;  // -1: none
  uint32_t clockRate_;
  bool h264_;
  bool vp8_;  // VP8 video: receivers rewrite the payload descriptor's picture numbering
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
  KeyframeRequester receiverKeyframes_{kReceiverKeyframeIntervalUs, KeyframeRequester::kDefaultIntervalUs};
  std::vector<DownTrack*> downTracks_;
  media::recorder::RtpSink* recorderSink_ = nullptr;
  Counters counters_;
  std::string rid_;
  int layer_ = 0;
  uint8_t ridExtensionId_ = 0;
  uint8_t repairedRidExtensionId_ = 0;
  std::vector<PublishedTrack*> layers_{this};
  std::vector<std::unique_ptr<PublishedTrack>> ownedLayers_;
  BitrateMeter bitrate_;
  int importance_ = 2;
  uint16_t frameHeight_ = 0;
  // Retransmission: one history and one generator per incoming media SSRC (a simulcast layer
  // would get its own pair).
  bool publisherNacks_;
  std::unique_ptr<RtpPacketHistory> history_;
  std::unique_ptr<NackGenerator> nackGenerator_;
  std::array<uint8_t, RtpPacketHistory::kSlotSize> restoreBuffer_{};
};

}  // namespace diemcau::bridge
