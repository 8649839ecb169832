#pragma once
// One published track as one subscriber receives it, in one section of the subscriber's
// connection: the bridge's own SSRC, the bridge payload type, the numbering of RtpRewriter and,
// for VP8, the picture numbering of Vp8Continuity.
//
// Lives on the room's worker, owned by the subscribing Participant. Attaches to its source at
// construction and detaches in its destructor; a source that dies first calls onSourceGone().
#include <cstdint>
#include <optional>
#include <span>
#include <vector>
#include <string>

#include "bridge/bwe/LayerSelector.hpp"
#include "bridge/bwe/NackLossMeter.hpp"
#include "bridge/bwe/Vp8Continuity.hpp"
#include "bridge/room/ResendGuard.hpp"
#include "bridge/room/RtpRewriter.hpp"
#include "media/rtp/GenericNack.hpp"
#include "media/rtp/ReportBlock.hpp"
#include "media/rtp/RtpPacket.hpp"
#include "media/rtp/Vp8PayloadDescriptor.hpp"
#include "media/sdp/NegotiatedMedia.hpp"
#include "media/transport/WebRtcTransport.hpp"

namespace diemcau::bridge {

class PublishedTrack;

class DownTrack {
 public:
  struct Counters {
    uint64_t packetsSent = 0;
    uint64_t bytesSent = 0;     // payload octets, as SR counts them
    uint64_t retransmissionsSent = 0;
    uint64_t droppedNotReady = 0;  // section not answered yet or connection not up
    uint64_t droppedPaused = 0;
    uint64_t droppedWaitingKeyframe = 0;
    uint64_t droppedStale = 0;
    uint64_t sendFailures = 0;
    uint64_t keyframeRequests = 0;  // the receiver's PLI/FIR
    uint64_t nackedPackets = 0;          // sequence numbers the receiver NACKed
    uint64_t retransmitTooOld = 0;       // held, but the repair would arrive too late to help
    uint64_t retransmitSuppressed = 0;   // resent to this receiver less than an RTT ago
    uint64_t retransmitUnavailable = 0;  // not held (the bridge lost it too, or not this segment)
    uint64_t droppedLayer = 0;  // another simulcast layer, or video paused for bandwidth
  };

  DownTrack(PublishedTrack& source, media::WebRtcTransport& transport, std::string mid, uint32_t ssrc,
            uint32_t rtxSsrc, uint16_t initialSequence, uint32_t initialTimestamp);
  ~DownTrack();
  DownTrack(const DownTrack&) = delete;
  DownTrack& operator=(const DownTrack&) = delete;

  const std::string& mid() const { return mid_; }
  uint32_t ssrc() const { return ssrc_; }
  uint32_t rtxSsrc() const { return rtxSsrc_; }
  /// Null once the source is gone.
  PublishedTrack* source() const { return source_; }

  /// The receiver answered the section: payload types and feedback to use.
  void setNegotiated(const media::sdp::NegotiatedMedia& media);
  bool negotiated() const { return negotiated_; }

  /// Hot path: rewrites and sends one source packet. No allocation. `vp8` is the packet's VP8
  /// payload descriptor as the source parsed it once for all its receivers (used by VP8 tracks only).
  void forward(const media::rtp::RtpPacket& packet, bool keyframe, int64_t nowUs,
               const std::optional<media::rtp::Vp8PayloadDescriptor>& vp8);

  void setSourceMuted(bool muted);
  void onSourceGone();
  /// True if what is sent now began at `packet` (the keyframe that opened the current segment).
  bool segmentStartsAt(const media::rtp::RtpPacket& packet) const {
    return rewriter_.segmentStartsAt(packet.ssrc(), packet.sequence());
  }
  bool waitingKeyframe() const { return negotiated_ && rewriter_.waitingKeyframe() && !rewriter_.paused(); }

  /// A fan-out's look-ahead (PublishedTrack::fanOut), in two steps a receiver apart: first the
  /// lines of this track's own state, then (now that they are in cache) the lines of its send path
  /// remembered at a recent send and of the packet slot forward() will write. Only prefetches.
  void prefetchState() const noexcept;
  void prefetchSendPath(int64_t nowUs) const noexcept;

  /// The receiver's PLI or FIR for this track: forwarded to the source as a keyframe request.
  void onKeyframeRequest(int64_t nowUs);
  /// The receiver's NACK: each sequence number is translated to the source's and answered from the
  /// source's history (as RTX where negotiated, else as the packet again); what the bridge lacks
  /// too is asked of the publisher. Ignored while the source keeps no history.
  void onNack(const media::rtp::GenericNack& nack, int64_t nowUs);
  /// A report block about this track from the receiver: returns the RTT it measures.
  std::optional<uint32_t> onReportBlock(const media::rtp::ReportBlock& block, uint32_t compactNow);

  /// Writes SR + SDES for this track (nothing before the first packet). Returns bytes or 0.
  size_t writeSenderReport(std::span<uint8_t> out, int64_t nowUs, uint64_t ntpNow, std::string_view cname) const;

  const Counters& counters() const { return counters_; }

  /// Video only: the layer of the source to forward (its index in source()->layers()), or
  /// LayerSelector::kNone to pause for bandwidth. Takes effect at the next keyframe of that layer;
  /// a pause at once.
  void setTargetLayer(int layer) { selector_.setTarget(layer); }
  const LayerSelector& layerSelector() const { return selector_; }
  /// The layer forwarded now (the source itself before the first switch).
  PublishedTrack* forwarding() const;
  /// While a layer switch waits for its keyframe, keeps asking that layer for one.
  void onTick(int64_t nowUs);
  /// Packets the receiver expected and lost since its previous report block about this track.
  struct LossDelta {
    uint64_t expected = 0;
    uint64_t lost = 0;
  };
  LossDelta lossSince(const media::rtp::ReportBlock& block);
  /// Whether the receiver NACKs this video track (the section negotiated it, or it has sent a NACK:
  /// GStreamer 1.22's webrtcbin answers without the rtcp-fb line and NACKs all the same): its NACKs
  /// are then an early loss signal for its downlink.
  bool nacksLoss() const { return negotiated_ && video_ && (nackNegotiated_ || nackReceived_); }
  /// What was sent to the receiver and how much of it it NACKed, settled up to about a second ago
  /// (NackLossMeter). A NACK for a packet the bridge never had (lost upstream) is not the downlink's.
  SendTotals nackTotals(int64_t nowUs) { return nackLoss_.settle(nowUs); }
  const RtpRewriter& rewriter() const { return rewriter_; }

 private:
  bool ready() const;
  void retransmit(const media::rtp::RtpPacket& original, uint16_t outputSequence, int64_t nowUs);

  // What forward() touches comes first, together: prefetchState() asks for all of it at once.
  PublishedTrack* source_;
  media::WebRtcTransport& transport_;
  uint32_t ssrc_;
  uint8_t payloadType_ = 0;
  bool negotiated_ = false;
  bool video_;
  bool vp8_ = false;
  RtpRewriter rewriter_;
  Vp8Continuity vp8Numbering_;
  LayerSelector selector_;
  std::vector<PublishedTrack*> layers_;  // source()->layers(), attached to each
  media::CacheLines sendLines_;          // the transport's, at a recent send (prefetchSendPath)
  Counters counters_;
  NackLossMeter nackLoss_;
  // Retransmission, reports, negotiation.
  std::string mid_;
  uint32_t rtxSsrc_;
  int rtxPayloadType_ = -1;
  bool nackNegotiated_ = false;
  bool nackReceived_ = false;
  bool sourceMuted_ = false;
  uint16_t rtxSequence_;
  int64_t rttUs_ = 100'000;  // until the receiver's first report block measures it
  bool reported_ = false;
  uint32_t reportedHighest_ = 0;
  int32_t reportedLost_ = 0;
  ResendGuard resent_;
};

}  // namespace diemcau::bridge
