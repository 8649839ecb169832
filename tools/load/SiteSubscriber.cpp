#include "tools/load/SiteSubscriber.hpp"

#include <array>

#include "media/ice/ClientIceTransport.hpp"
#include "media/rtp/Pli.hpp"
#include "media/rtp/ReceiverReport.hpp"
#include "media/sdp/MediaCapabilities.hpp"
#include "media/sdp/Negotiator.hpp"
#include "media/sdp/SdpError.hpp"
#include "media/sdp/SdpParser.hpp"
#include "media/transport/SdpTransport.hpp"
#include "tools/load/MonotonicClock.hpp"
#include "tools/load/PayloadStamp.hpp"
#include "tools/load/RandomSsrc.hpp"

namespace diemcau::load {

namespace sdp = media::sdp;

namespace {

constexpr int64_t kSilentVideoNs = 1'000'000'000;

media::IceConfig controlled(media::IceConfig config) {
  // The server offers the subscribe connection and controls ICE (RFC 8445 section 6.1.1), unless
  // its offer says a=ice-lite: then setRemote() makes this side the controlling one.
  config.controlling = false;
  return config;
}

}  // namespace

SiteSubscriber::SiteSubscriber(media::MediaEngine& engine, media::Worker& worker, WorkerStats& stats, uint16_t slot,
                               size_t ledgerSlots, media::ClientMux* clientMux, RtcpRound& rtcpRound,
                               Listener& listener)
    : engine_(engine),
      worker_(worker),
      stats_(stats),
      slot_(slot),
      clientMux_(clientMux),
      listener_(listener),
      ledgers_(ledgerSlots * 2),
      rtcpRound_(rtcpRound),
      rtcpSsrc_(randomSsrc()) {}

SiteSubscriber::~SiteSubscriber() { close(); }

void SiteSubscriber::close() {
  closed_ = true;
  leaveRound();
  if (transport_) transport_->close("site left");
}

void SiteSubscriber::onOffer(uint32_t version, const std::string& text) {
  if (closed_) return;
  sdp::SessionDescription offer;
  try {
    offer = sdp::parseSdp(text);
    if (!transport_) {
      const auto remote = media::remoteTransportParams(offer, /*remoteIsOffer=*/true);
      transport_ = makeTransport(remote.iceLite);
      transport_->setRemote(remote);
      for (const auto& section : offer.media) {
        if (section.isRejected()) continue;
        for (const auto& candidate : section.candidates) transport_->addRemoteCandidate("candidate:" + candidate);
        if (section.endOfCandidates) transport_->remoteGatheringDone();
        break;
      }
      for (const auto& candidate : earlyCandidates_) addRemoteCandidate(candidate);
      earlyCandidates_.clear();
      pending_.emplace(version, std::move(offer));
      transport_->gather([this] {
        gathered_ = true;
        answer();
      });
      return;
    }
  } catch (const sdp::SdpError& e) {
    listener_.onSubscribeFailed(std::string("subscribe offer: ") + e.what());
    return;
  }
  pending_.emplace(version, std::move(offer));
  if (gathered_) answer();
}

std::unique_ptr<media::WebRtcTransport> SiteSubscriber::makeTransport(bool remoteLite) {
  auto& listener = static_cast<media::WebRtcTransport::Listener&>(*this);
  if (clientMux_ != nullptr) {
    // A lite bridge never checks: a minimal controlling agent checks it. A full-ICE peer that
    // offered (Janus, the bridge in full-ICE mode) controls and checks: the connection answers as
    // an ICE-lite agent. Either way it costs a fraction of a libnice agent per received packet
    // (docs/PERFORMANCE.md).
    WorkerStats::bump(stats_.clientIceConnections);
    if (!remoteLite) WorkerStats::bump(stats_.clientLiteConnections);
    const auto role = remoteLite ? media::ClientIceTransport::Role::Controlling : media::ClientIceTransport::Role::Lite;
    return std::make_unique<media::WebRtcTransport>(
        worker_, engine_.dtlsContext(worker_), listener, [this, role](media::IceLink::Listener& iceListener) {
          return std::make_unique<media::ClientIceTransport>(*clientMux_, engine_.iceConfig(), iceListener, role);
        });
  }
  WorkerStats::bump(stats_.libniceConnections);
  return std::make_unique<media::WebRtcTransport>(worker_, engine_.dtlsContext(worker_),
                                                  controlled(engine_.iceConfig()), listener);
}

void SiteSubscriber::answer() {
  if (!pending_ || closed_) return;
  auto [version, offer] = std::move(*pending_);
  pending_.reset();
  try {
    auto local = media::localTransportParams(*transport_, engine_.certificate());
    local.endOfCandidates = true;
    const sdp::Answer answer = sdp::negotiateAnswer(offer, local, sdp::MediaCapabilities::defaults());
    ssrcs_.reset(offer);
    offerAppliedNs_ = monotonicNs();
    listener_.onSubscribeAnswer(version, answer.toSdp());
  } catch (const sdp::SdpError& e) {
    listener_.onSubscribeFailed(std::string("subscribe answer: ") + e.what());
  }
}

void SiteSubscriber::addRemoteCandidate(const std::string& candidate) {
  if (!transport_) {
    earlyCandidates_.push_back(candidate);
  } else if (candidate.empty()) {
    transport_->remoteGatheringDone();
  } else {
    transport_->addRemoteCandidate(candidate);
  }
}

void SiteSubscriber::onTransportConnected() {
  connected_ = true;
  if (!inRound_) rtcpRound_.add(*this);
  inRound_ = true;
}

void SiteSubscriber::onTransportClosed(std::string_view reason) {
  connected_ = false;
  leaveRound();
  if (!closed_) listener_.onSubscribeFailed("subscribe connection closed: " + std::string(reason));
}

void SiteSubscriber::addReceiveLines(media::CacheLines& lines) const noexcept {
  lines.add(static_cast<const media::WebRtcTransport::Listener*>(this));  // the table onRtp is called through
  lines.addMembers(clientMux_, gotMedia_);  // the references before it share its line
  lines.add(ssrcs_.entries().data(), ssrcs_.entries().size() * sizeof(SsrcTable::Entry));
  lines.addObject(ssrcs_);
  if (lastLedger_ < ledgers_.size()) ledgers_[lastLedger_].addCacheLines(lines);
}

void SiteSubscriber::onRtp(media::rtp::RtpPacket& packet) {
  const int64_t now = monotonicNs();
  ssrcs_.onPacket(packet.ssrc(), packet.sequence());
  const auto stamp = PayloadStamp::readFrom(packet.payload());
  if (!stamp) {
    WorkerStats::bump(stats_.unknownPackets);
    return;
  }
  const size_t index = size_t{stamp->sourceSlot} * 2 + static_cast<size_t>(stamp->kind);
  lastLedger_ = index;
  auto& counters = stats_.of(stamp->kind);
  if (index < ledgers_.size() && ledgers_[index].onPacket(stamp->generation, stamp->sequence,
                                                            {packet.ssrc(), packet.sequence(), now}) ==
                                     StreamLedger::Result::Duplicate) {
    WorkerStats::bump(counters.duplicates);
    return;
  }
  WorkerStats::bump(counters.received);
  stats_.latency[static_cast<size_t>(stamp->kind)].record(now - stamp->sentNs);
  // Non-zero only while the client mux dispatches a datagram it read with a kernel timestamp.
  const int64_t arrival = clientMux_ != nullptr ? clientMux_->arrivalNs() : 0;
  if (arrival != 0) {
    stats_.socketLatency[static_cast<size_t>(stamp->kind)].record(arrival - stamp->sentNs);
    stats_.receiveDelay.record(now - arrival);
  }
  if (stats_.trace) {
    stats_.trace->record({stamp->sentNs, arrival, now, stamp->sequence, slot_, stamp->sourceSlot, stamp->kind});
  }
  if (!gotMedia_) {
    gotMedia_ = true;
    listener_.onFirstMedia(now);
  }
}

void SiteSubscriber::leaveRound() {
  if (inRound_) rtcpRound_.remove(*this);
  inRound_ = false;
}

void SiteSubscriber::sendRtcp() {
  if (!transport_ || !connected_) return;
  std::array<uint8_t, 1200> buffer{};
  std::array<media::rtp::ReportBlock, 31> blocks{};
  const size_t count = ssrcs_.reportBlocks(blocks);
  size_t len = media::rtp::ReceiverReport::write(buffer, rtcpSsrc_, std::span(blocks.data(), count));
  const int64_t now = monotonicNs();
  if (now - offerAppliedNs_ > kSilentVideoNs) {
    for (const auto& entry : ssrcs_.entries()) {
      if (!entry.video || entry.seen) continue;
      const size_t written = media::rtp::Pli::write(std::span(buffer).subspan(len), rtcpSsrc_, entry.ssrc);
      if (written == 0) break;
      len += written;
      WorkerStats::bump(stats_.plisSent);
    }
  }
  if (len > 0) transport_->sendRtcp(buffer.data(), len);
}

}  // namespace diemcau::load
