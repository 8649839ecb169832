// Participant: the RTCP it terminates and originates (RFC 3550 section 6, RFC 4585 section 6).
//   publish leg:   SR from the publisher → LSR/DLSR of our RR; our RR + SDES every report interval;
//                  PLI/FIR/NACK from the published tracks.
//   subscribe leg: RR on our SRs → RTT; PLI/FIR → the source's keyframe request; NACK → translated to
//                  the source's sequence numbers, answered from its history, what it lacks sent
//                  upstream; our SR + SDES per downstream track.
//                  REMB → the downlink estimate's ceiling, once confirmed (BandwidthEstimator).
// TWCC, SDES, BYE and XR from peers end here.
#include <algorithm>
#include <array>

#include "bridge/room/NtpTime.hpp"
#include "bridge/room/Participant.hpp"
#include "bridge/room/RtcpReports.hpp"
#include "media/rtp/Fir.hpp"
#include "media/rtp/GenericNack.hpp"
#include "media/rtp/Pli.hpp"
#include "media/rtp/ReceiverReport.hpp"
#include "media/rtp/Remb.hpp"
#include "media/rtp/RtcpFeedback.hpp"
#include "media/rtp/SenderReport.hpp"

namespace diemcau::bridge {

namespace rtp = media::rtp;

void Participant::onPublishRtcp(const uint8_t* data, size_t len) {
  const int64_t now = clock_();
  rtp::RtcpCompound compound(data, len);
  while (auto packet = compound.next()) {
    if (packet->packetType() != rtp::rtcp_type::kSr) continue;
    const auto report = rtp::SenderReport::parse(*packet);
    if (!report) continue;
    for (auto& track : published_) {
      for (PublishedTrack* layer : track->layers()) {
        if (layer->mediaSsrc() == report->ssrc()) layer->onSenderReport(*report, now);
      }
    }
  }
}

DownTrack* Participant::findDownTrack(uint32_t ssrc) const {
  for (const auto& subscription : subscriptions_) {
    if (subscription.down->ssrc() == ssrc) return subscription.down.get();
  }
  return nullptr;
}

void Participant::onSubscribeRtcp(const uint8_t* data, size_t len) {
  const int64_t now = clock_();
  const uint32_t compactNow = compactNtp(toNtp(std::chrono::system_clock::now()));
  rtp::RtcpCompound compound(data, len);
  while (auto packet = compound.next()) {
    switch (packet->packetType()) {
      case rtp::rtcp_type::kRr: {
        const auto report = rtp::ReceiverReport::parse(*packet);
        DownTrack::LossDelta loss;
        bool ours = false;
        for (size_t i = 0; report && i < report->reportCount(); ++i) {
          const auto block = report->reportBlock(i);
          if (DownTrack* down = findDownTrack(block.ssrc)) {
            ours = true;
            const auto delta = down->lossSince(block);
            loss.expected += delta.expected;
            loss.lost += delta.lost;
            if (auto rtt = down->onReportBlock(block, compactNow)) rttMs_ = *rtt;
            // Per report, the worst of its blocks: one lossy stream is what the site sees.
            downFractionLost_ = i == 0 ? block.fractionLost : std::max(downFractionLost_, block.fractionLost);
          }
        }
        // Feedback-only compounds (an RR without blocks before a NACK) say nothing about loss.
        if (loss.expected > 0) {
          onReportedLoss(loss, now);
        } else if (ours) {
          downlink_.onBaselineReport();
        }
        break;
      }
      case rtp::rtcp_type::kPsfb: {
        if (auto remb = rtp::Remb::parse(*packet)) {
          // The receiver's delay-based estimate of this whole connection. It only limits the
          // downlink once loss has confirmed it (BandwidthEstimator): without padding probes from
          // the bridge it cannot grow much past what is already sent, and taken as is it pulled a
          // good link's video down to paused. A REMB naming none of this connection's streams is
          // about something else.
          bool covers = remb->ssrcCount() == 0;
          for (size_t i = 0; !covers && i < remb->ssrcCount(); ++i) covers = findDownTrack(remb->ssrc(i)) != nullptr;
          if (covers) downlink_.onRemb(remb->bitrate(), now);
        } else if (auto pli = rtp::Pli::parse(*packet)) {
          if (DownTrack* down = findDownTrack(pli->mediaSsrc())) down->onKeyframeRequest(now);
        } else if (auto fir = rtp::Fir::parse(*packet)) {
          for (size_t i = 0; i < fir->entryCount(); ++i) {
            if (DownTrack* down = findDownTrack(fir->entry(i).ssrc)) down->onKeyframeRequest(now);
          }
        }
        break;
      }
      case rtp::rtcp_type::kRtpfb: {
        if (auto nack = rtp::GenericNack::parse(*packet)) {
          if (DownTrack* down = findDownTrack(nack->mediaSsrc())) down->onNack(*nack, now);
        }
        break;
      }
      default:
        break;
    }
  }
}

void Participant::onTick(int64_t nowUs, bool reports) {
  if (offerDeferred_) maybeOffer();
  for (auto& track : published_) {
    for (PublishedTrack* layer : track->layers()) layer->onTick(nowUs);
  }
  // A layer switch in progress keeps asking its layer for the keyframe it waits for.
  for (auto& subscription : subscriptions_) subscription.down->onTick(nowUs);
  sampleNackLoss(nowUs);
  allocateBandwidth(nowUs);
  sendTransportFeedback();
  if (!reports) return;
  // A receiver still waiting for a keyframe after a report interval: the request or its keyframe
  // was lost, ask again.
  for (auto& subscription : subscriptions_) {
    DownTrack& down = *subscription.down;
    if (down.waitingKeyframe() && down.source() != nullptr && subscribe_ &&
        subscribe_->state() == media::TransportState::Connected) {
      down.source()->requestKeyframe(nowUs);
    }
  }
  sendReports(nowUs);
}

void Participant::sendReports(int64_t nowUs) {
  std::array<uint8_t, 1200> buffer{};
  if (publish_ && publish_->state() == media::TransportState::Connected) {
    std::array<rtp::ReportBlock, 8> blocks{};  // audio and up to four video layers
    size_t count = 0;
    for (auto& track : published_) {
      for (PublishedTrack* layer : track->layers()) {
        if (layer->hasReport() && count < blocks.size()) blocks[count++] = layer->report(nowUs);
      }
    }
    if (count > 0) {
      const size_t len = writeReceiverReportCompound(buffer, publishRtcpSsrc_, std::span(blocks.data(), count), info_.id);
      if (len != 0) publish_->sendRtcp(buffer.data(), len);
    }
  }
  if (subscribe_ && subscribe_->state() == media::TransportState::Connected) {
    const uint64_t ntpNow = toNtp(std::chrono::system_clock::now());
    for (auto& subscription : subscriptions_) {
      const DownTrack& down = *subscription.down;
      if (!down.negotiated()) continue;
      // CNAME of the publisher, as announced with the track's a=ssrc: its audio and video stay in sync.
      const std::string_view cname = down.source() != nullptr ? std::string_view(down.source()->info().participantId)
                                                              : std::string_view(info_.id);
      const size_t len = down.writeSenderReport(buffer, nowUs, ntpNow, cname);
      if (len != 0) subscribe_->sendRtcp(buffer.data(), len);
    }
  }
}

ParticipantStats Participant::stats() const {
  ParticipantStats stats;
  stats.participantId = info_.id;
  for (const auto* transport : {publish_.get(), subscribe_.get()}) {
    if (transport == nullptr) continue;
    stats.packetsReceived += transport->stats().rtpReceived;
    stats.packetsSent += transport->stats().rtpSent;
    stats.bytesReceived += transport->stats().bytesReceived;
    stats.bytesSent += transport->stats().bytesSent;
  }
  uint8_t worst = 0;
  for (const auto& track : published_) worst = std::max(worst, track->lastFractionLost());
  stats.fractionLost = worst / 256.0;
  stats.fractionLostDown = downFractionLost_ / 256.0;
  stats.rttMs = rttMs_;
  for (const auto& track : published_) {
    stats.nacksSentUpstream += track->counters().nackedUpstream;
    stats.packetsRecovered += track->counters().recovered;
  }
  for (const auto& subscription : subscriptions_) {
    const auto& counters = subscription.down->counters();
    stats.nacksReceived += counters.nackedPackets;
    stats.packetsRetransmitted += counters.retransmissionsSent;
    stats.retransmitTooOld += counters.retransmitTooOld;
  }
  stats.connected = (publish_ && publish_->state() == media::TransportState::Connected) ||
                    (subscribe_ && subscribe_->state() == media::TransportState::Connected);
  return stats;
}

}  // namespace diemcau::bridge
