#pragma once
// One simulated site: its signaling, its publish connection (when it publishes) and its subscribe
// connection, all on one media worker. Signaling events arrive on the io thread and are posted to
// the worker; the media objects are created, used and destroyed on the worker only.
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>

#include "media/ice/ClientMux.hpp"
#include "media/transport/MediaEngine.hpp"
#include "media/worker/Worker.hpp"
#include "tools/load/SitePublisher.hpp"
#include "tools/load/SiteSignaling.hpp"
#include "tools/load/SiteSubscriber.hpp"
#include "tools/load/WorkerStats.hpp"

namespace diemcau::load {

struct SiteSpec {
  std::string id;
  uint16_t slot = 0;
  uint8_t generation = 0;
  MediaProfile media;         // audio/video both off: the site publishes nothing
  size_t ledgerSlots = 1;     // slots that may publish, for the subscriber's ledgers
  /// The worker's minimal ICE client mux: subscribe connections answering an ICE-lite offer use
  /// it; null = libnice only.
  media::ClientMux* clientMux = nullptr;
  RtcpRound* rtcpRound = nullptr;  // the worker's; required
  bool publishOnClientMux = false;  // the publish connection too (the bridge must be ICE-lite)
};

/// What one receiver got, summed over its source streams, per StreamKind.
struct ReceiveTotals {
  std::array<uint64_t, 2> unique{};
  std::array<uint64_t, 2> duplicates{};
  std::array<uint64_t, 2> lost{};
  std::array<uint64_t, 2> skipped{};  // stream sequences the bridge paused over (StreamLedger)
};

class SimulatedSite final : public SiteSignaling::Listener,
                            private SitePublisher::Listener,
                            private SiteSubscriber::Listener,
                            public std::enable_shared_from_this<SimulatedSite> {
 public:
  /// The last stream sequence a source sent, for the slot/kind/generation of a ledger; nullopt
  /// when that source is gone (its loss then counts gaps only).
  using LastSent = std::function<std::optional<uint32_t>(uint16_t slot, StreamKind kind, uint8_t generation)>;

  SimulatedSite(media::MediaEngine& engine, media::Worker& worker, WorkerStats& stats, SiteSpec spec,
                std::shared_ptr<SiteSignaling> signaling);

  /// Any thread: connects and joins; the join time runs from here.
  void start();
  /// Worker thread: stops the synthetic media (the connections stay up).
  void stopSending();
  /// Worker thread: closes both connections (dropping the ledgers: collect first) and leaves.
  void leave();
  /// Worker thread: the receive totals of this site's ledgers. A stream whose last packet arrived
  /// before `pausedBeforeNs` (steady clock) was paused by the bridge when the sources stopped, so
  /// what its source sent after that is not counted as lost (its gaps still are). With
  /// `audioMayPause` (audio carries levels, so the bridge's audio last-N pauses and resumes streams at
  /// any moment, the last second included) an audio stream's tail after its last arrival is never
  /// counted either: only its gaps are.
  ReceiveTotals collect(const LastSent& lastSent, int64_t pausedBeforeNs = 0, bool audioMayPause = false) const;
  /// Worker thread: the last stream sequence sent of `kind` (0 if none).
  uint32_t lastSequence(StreamKind kind) const;

  media::Worker& worker() { return worker_; }
  const SiteSpec& spec() const { return spec_; }
  bool publishing() const { return publishConnected_.load(); }
  /// The server admitted the site (join reply).
  bool joined() const { return joined_.load(); }
  /// Nanoseconds from start() to the first media packet received; nullopt before.
  std::optional<int64_t> joinTimeNs() const;
  bool failed() const { return failed_.load(); }
  std::string failure() const;

 private:
  // SiteSignaling::Listener (io thread)
  void onJoined() override;
  void onPublishAnswer(std::string sdp) override;
  void onSubscribeOffer(uint32_t version, std::string sdp) override;
  void onRemoteCandidate(ConnectionKind connection, std::string candidate) override;
  void onSignalingFailed(std::string reason) override;
  // SitePublisher::Listener / SiteSubscriber::Listener (worker thread)
  void onPublishOffer(std::string sdp) override;
  void onPublishFailed(std::string reason) override;
  void onPublishConnected() override;
  void onSubscribeAnswer(uint32_t version, std::string sdp) override;
  void onSubscribeFailed(std::string reason) override;
  void onFirstMedia(int64_t nowNs) override;

  SiteSubscriber& subscriber();  // made at the first offer or candidate; worker thread

  template <typename Fn>
  void onWorker(Fn&& fn) {
    worker_.post([self = shared_from_this(), fn = std::forward<Fn>(fn)]() mutable {
      if (!self->left_) fn(*self);
    });
  }
  void fail(std::string reason);

  media::MediaEngine& engine_;
  media::Worker& worker_;
  WorkerStats& stats_;
  SiteSpec spec_;
  std::shared_ptr<SiteSignaling> signaling_;
  std::unique_ptr<SitePublisher> publisher_;    // worker thread
  std::unique_ptr<SiteSubscriber> subscriber_;  // worker thread
  bool left_ = false;                           // worker thread
  std::atomic<int64_t> startNs_{0};
  std::atomic<int64_t> firstMediaNs_{0};
  std::atomic<bool> publishConnected_{false};
  std::atomic<bool> joined_{false};
  std::atomic<bool> failed_{false};
  mutable std::mutex failureMutex_;
  std::string failure_;
};

}  // namespace diemcau::load
