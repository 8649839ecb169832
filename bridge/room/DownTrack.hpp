#pragma once
// One published track as one subscriber receives it, in one section of the subscriber's
// connection: the bridge's own SSRC, the bridge payload type, and the numbering of RtpRewriter.
//
// Lives on the room's worker, owned by the subscribing Participant. Attaches to its source at
// construction and detaches in its destructor; a source that dies first calls onSourceGone().
#include <cstdint>
#include <span>
#include <string>

#include "bridge/room/RtpRewriter.hpp"
#include "media/rtp/GenericNack.hpp"
#include "media/rtp/ReportBlock.hpp"
#include "media/rtp/RtpPacket.hpp"
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
    uint64_t nackedPackets = 0;
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

  /// Hot path: rewrites and sends one source packet. No allocation.
  void forward(const media::rtp::RtpPacket& packet, bool keyframe, int64_t nowUs);
  /// An RTX packet of the source repairing source packet `originalSequence`.
  void forwardRetransmission(const media::rtp::RtpPacket& packet, uint16_t originalSequence, int64_t nowUs);

  void setSourceMuted(bool muted);
  void onSourceGone() { source_ = nullptr; }
  bool waitingKeyframe() const { return negotiated_ && rewriter_.waitingKeyframe() && !rewriter_.paused(); }

  /// The receiver's PLI or FIR for this track: forwarded to the source as a keyframe request.
  void onKeyframeRequest(int64_t nowUs);
  /// The receiver's NACK: its sequence numbers translated to the source's and asked upstream.
  void onNack(const media::rtp::GenericNack& nack);
  /// A report block about this track from the receiver: returns the RTT it measures.
  std::optional<uint32_t> onReportBlock(const media::rtp::ReportBlock& block, uint32_t compactNow);

  /// Writes SR + SDES for this track (nothing before the first packet). Returns bytes or 0.
  size_t writeSenderReport(std::span<uint8_t> out, int64_t nowUs, uint64_t ntpNow, std::string_view cname) const;

  const Counters& counters() const { return counters_; }
  const RtpRewriter& rewriter() const { return rewriter_; }

 private:
  bool ready() const;

  PublishedTrack* source_;
  media::WebRtcTransport& transport_;
  std::string mid_;
  uint32_t ssrc_;
  uint32_t rtxSsrc_;
  uint8_t payloadType_ = 0;
  int rtxPayloadType_ = -1;
  bool negotiated_ = false;
  bool sourceMuted_ = false;
  uint16_t rtxSequence_;
  RtpRewriter rewriter_;
  Counters counters_;
};

}  // namespace diemcau::bridge
