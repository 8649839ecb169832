#include "tools/load/SimulatedSite.hpp"

#include <spdlog/spdlog.h>

#include "tools/load/MonotonicClock.hpp"

namespace diemcau::load {

SimulatedSite::SimulatedSite(media::MediaEngine& engine, media::Worker& worker, WorkerStats& stats, SiteSpec spec,
                             std::shared_ptr<SiteSignaling> signaling)
    : engine_(engine), worker_(worker), stats_(stats), spec_(std::move(spec)), signaling_(std::move(signaling)) {}

void SimulatedSite::start() {
  startNs_ = monotonicNs();
  signaling_->start(weak_from_this());
}

void SimulatedSite::stopSending() {
  if (publisher_) publisher_->stopSending();
}

void SimulatedSite::leave() {
  if (left_) return;
  left_ = true;
  // Media objects live and die on this worker; collect() must have run before.
  publisher_.reset();
  subscriber_.reset();
  signaling_->leave();
}

ReceiveTotals SimulatedSite::collect(const LastSent& lastSent, int64_t pausedBeforeNs, bool audioMayPause) const {
  ReceiveTotals totals;
  if (!subscriber_) return totals;
  const auto& ledgers = subscriber_->ledgers();
  for (size_t i = 0; i < ledgers.size(); ++i) {
    const auto& ledger = ledgers[i];
    const size_t kind = i % 2;
    totals.unique[kind] += ledger.closedUnique() + ledger.unique();
    totals.duplicates[kind] += ledger.duplicates();
    totals.lost[kind] += ledger.closedLost();
    if (!ledger.started()) continue;
    totals.skipped[kind] += ledger.skipped();
    const auto last = lastSent(static_cast<uint16_t>(i / 2), static_cast<StreamKind>(kind), ledger.generation());
    const bool pausedAtEnd = (ledger.lastArrivalNs() != 0 && ledger.lastArrivalNs() < pausedBeforeNs) ||
                             (audioMayPause && kind == static_cast<size_t>(StreamKind::Audio));
    totals.lost[kind] += last && !pausedAtEnd ? ledger.lostUpTo(*last) : ledger.gaps();
  }
  return totals;
}

uint32_t SimulatedSite::lastSequence(StreamKind kind) const {
  return publisher_ ? publisher_->lastSequence(kind) : 0;
}

std::optional<int64_t> SimulatedSite::joinTimeNs() const {
  const int64_t first = firstMediaNs_.load();
  if (first == 0) return std::nullopt;
  return first - startNs_.load();
}

std::string SimulatedSite::failure() const {
  std::lock_guard lock(failureMutex_);
  return failure_;
}

void SimulatedSite::fail(std::string reason) {
  {
    std::lock_guard lock(failureMutex_);
    if (!failure_.empty()) return;
    failure_ = reason;
  }
  failed_ = true;
  spdlog::warn("site {}: {}", spec_.id, reason);
}

// --- signaling (io thread) ------------------------------------------------------------------------

void SimulatedSite::onJoined() {
  joined_ = true;
  onWorker([](SimulatedSite& self) {
    if (!self.spec_.media.audio && !self.spec_.media.video) return;
    self.publisher_ = std::make_unique<SitePublisher>(self.engine_, self.worker_, self.stats_, self.spec_.id,
                                                      self.spec_.slot, self.spec_.generation, self.spec_.media,
                                                      self.spec_.publishOnClientMux ? self.spec_.clientMux : nullptr,
                                                      static_cast<SitePublisher::Listener&>(self));
    self.publisher_->start();
  });
}

void SimulatedSite::onPublishAnswer(std::string sdp) {
  onWorker([sdp = std::move(sdp)](SimulatedSite& self) {
    if (self.publisher_) self.publisher_->onAnswer(sdp);
  });
}

void SimulatedSite::onSubscribeOffer(uint32_t version, std::string sdp) {
  onWorker([version, sdp = std::move(sdp)](SimulatedSite& self) {
    WorkerStats::bump(self.stats_.subscribeOffers);
    WorkerStats::bump(self.stats_.subscribeOfferBytes, sdp.size());
    self.subscriber().onOffer(version, sdp);
  });
}

void SimulatedSite::onRemoteCandidate(ConnectionKind connection, std::string candidate) {
  onWorker([connection, candidate = std::move(candidate)](SimulatedSite& self) {
    if (connection == ConnectionKind::Publish) {
      if (self.publisher_) self.publisher_->addRemoteCandidate(candidate);
    } else {
      self.subscriber().addRemoteCandidate(candidate);
    }
  });
}

SiteSubscriber& SimulatedSite::subscriber() {
  if (!subscriber_) {
    subscriber_ = std::make_unique<SiteSubscriber>(engine_, worker_, stats_, spec_.slot, spec_.ledgerSlots,
                                                   spec_.clientMux, *spec_.rtcpRound,
                                                   static_cast<SiteSubscriber::Listener&>(*this));
  }
  return *subscriber_;
}

void SimulatedSite::onSignalingFailed(std::string reason) { fail("signaling: " + reason); }

// --- media (worker thread) ------------------------------------------------------------------------

void SimulatedSite::onPublishOffer(std::string sdp) { signaling_->publish(sdp); }

void SimulatedSite::onPublishFailed(std::string reason) {
  if (!left_) fail(std::move(reason));
}

void SimulatedSite::onPublishConnected() { publishConnected_ = true; }

void SimulatedSite::onSubscribeAnswer(uint32_t version, std::string sdp) { signaling_->answerSubscribe(version, sdp); }

void SimulatedSite::onSubscribeFailed(std::string reason) {
  if (!left_) fail(std::move(reason));
}

void SimulatedSite::onFirstMedia(int64_t nowNs) { firstMediaNs_ = nowNs; }

}  // namespace diemcau::load
