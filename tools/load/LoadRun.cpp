#include "tools/load/LoadRun.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <exception>
#include <fstream>
#include <limits>
#include <thread>

#include "media/worker/InvokeAndWait.hpp"
#include "tools/load/MonotonicClock.hpp"

#include <spdlog/spdlog.h>

namespace diemcau::load {

namespace {

constexpr size_t kMaxFailuresListed = 10;
constexpr int64_t kPausedAtEndNs = 1'000'000'000;

double percentile(std::vector<double> values, double q) {
  if (values.empty()) return 0.0;
  std::sort(values.begin(), values.end());
  const auto rank = static_cast<size_t>(std::ceil(q * static_cast<double>(values.size())));
  return values[std::min(values.size() - 1, rank == 0 ? 0 : rank - 1)];
}

// Each subscriber's receiver report, as a browser sends about once a second.
constexpr auto kRtcpInterval = std::chrono::milliseconds(1000);

}  // namespace

LoadRun::LoadRun(const LoadOptions& options, SignalingFactory& signaling, media::MediaEngine& engine)
    : options_(options), signaling_(signaling), engine_(engine) {
  for (size_t i = 0; i < engine.workers().size(); ++i) {
    stats_.push_back(std::make_unique<WorkerStats>());
    if (!options.latencyTracePath.empty()) {
      stats_.back()->trace = std::make_unique<LatencyTrace>(options.latencyTraceRecords);
    }
  }
  try {
    for (size_t i = 0; i < engine.workers().size(); ++i) {
      auto& worker = engine.workers().at(i);
      rtcpRounds_.push_back(
          media::invokeAndWait(worker, [&] { return std::make_unique<RtcpRound>(worker, kRtcpInterval); }));
    }
    if (options.iceClient != IceClient::Libnice) {
      for (size_t i = 0; i < engine.workers().size(); ++i) {
        auto& worker = engine.workers().at(i);
        clientMuxes_.push_back(media::invokeAndWait(worker, [&] {
          auto mux = std::make_unique<media::ClientMux>(worker);
          if (options_.arrivalTimes) mux->recordArrivalTimes();
          shareSocket(*mux, i);
          return mux;
        }));
      }
    }
  } catch (...) {
    // No destructor runs for a constructor that throws: what was made on the workers goes there.
    destroyOnWorkers(rtcpRounds_);
    destroyOnWorkers(clientMuxes_);
    throw;
  }
}

template <typename T>
void LoadRun::destroyOnWorkers(std::vector<std::unique_ptr<T>>& byWorker) {
  for (size_t i = 0; i < byWorker.size(); ++i) {
    try {
      media::invokeAndWait(engine_.workers().at(i), [&] { byWorker[i].reset(); });
    } catch (const media::WorkerStoppedError&) {
      byWorker[i].reset();  // nothing runs on a stopped worker: no dispatch can race this
    }
  }
}

void LoadRun::shareSocket(media::ClientMux& mux, size_t workerIndex) {
  const bool wanted = options_.clientSockets == ClientSockets::Shared ||
                      (options_.clientSockets == ClientSockets::Auto && options_.mediaAddress == "127.0.0.1");
  if (!wanted) return;
  // One socket takes what a socket per connection took; the connections' buffers summed, within reason.
  const int bufferBytes = static_cast<int>(std::min<int64_t>(
      int64_t{std::max(options_.receiveBufferBytes, 0)} * kSharedBufferFactor, std::numeric_limits<int>::max()));
  try {
    mux.shareLoopbackSocket(static_cast<uint8_t>(kSharedNetworkBase + workerIndex), bufferBytes,
                            media::Timer::Duration(options_.receiveEveryMs));
    ++sharedSockets_;
  } catch (const std::exception& e) {
    if (options_.clientSockets == ClientSockets::Shared) throw;
    spdlog::warn("load: worker {} keeps a socket per connection: {}", workerIndex, e.what());
  }
}

LoadRun::~LoadRun() {
  for (auto& site : sites_) {
    if (!site) continue;
    try {
      media::invokeAndWait(site->worker(), [&] { site->leave(); });
    } catch (const media::WorkerStoppedError&) {
      // Nothing runs on a stopped worker any more, so its sites leave from here (their subscribers
      // leave their worker's round before the round goes).
      site->leave();
    }
  }
  // The sites' connections are closed: their links have left the muxes, their subscribers the rounds.
  destroyOnWorkers(rtcpRounds_);
  destroyOnWorkers(clientMuxes_);
}

double LoadRun::now() const { return static_cast<double>(monotonicNs() - startNs_) / 1e9; }

std::shared_ptr<SimulatedSite> LoadRun::launch(uint16_t slot, uint8_t generation) {
  const size_t workerIndex = nextWorker_++ % engine_.workers().size();
  SiteSpec spec;
  spec.id = signaling_.siteId(slot);
  spec.slot = slot;
  spec.generation = generation;
  const bool sitesPublish = options_.scenario == Scenario::Meeting || options_.scenario == Scenario::Churn;
  spec.media = slot == 0 ? options_.hallMedia : options_.siteMedia;
  if (slot != 0) spec.media.speaking = slot <= options_.speakers;
  if ((slot != 0 && !sitesPublish) || options_.scenario == Scenario::Idle) spec.media.audio = spec.media.video = false;
  spec.ledgerSlots = sitesPublish ? options_.sites + 1 : 1;
  if (!clientMuxes_.empty()) {
    spec.clientMux = clientMuxes_[workerIndex].get();
    spec.publishOnClientMux = options_.iceClient == IceClient::Lite;
  }
  spec.rtcpRound = rtcpRounds_[workerIndex].get();
  auto site = std::make_shared<SimulatedSite>(engine_, engine_.workers().at(workerIndex), *stats_[workerIndex],
                                              std::move(spec), signaling_.make(slot));
  site->start();
  return site;
}

bool LoadRun::ready(const SimulatedSite& site) const {
  if (options_.scenario == Scenario::Idle) return site.joined();
  // The fan-out hall receives nothing: it is ready once it publishes.
  if (site.spec().slot == 0) return site.publishing();
  return site.joinTimeNs().has_value();
}

size_t LoadRun::readyCount() const {
  return static_cast<size_t>(std::count_if(sites_.begin(), sites_.end(), [&](const auto& s) { return s && ready(*s); }));
}

size_t LoadRun::failedCount() const {
  return retiredFailed_ +
         static_cast<size_t>(std::count_if(sites_.begin(), sites_.end(), [](const auto& s) { return s && s->failed(); }));
}

void LoadRun::recordJoin(const SimulatedSite& site) {
  const uint16_t slot = site.spec().slot;
  if (slot == 0 || joinRecorded_[slot]) return;
  if (const auto ns = site.joinTimeNs()) {
    joinRecorded_[slot] = true;
    joinMs_.push_back(static_cast<double>(*ns) / 1e6);
  }
}

LoadRun::Totals LoadRun::totals() const {
  Totals t;
  for (const auto& stats : stats_) {
    for (size_t k = 0; k < 2; ++k) {
      t.sent[k] += stats->kinds[k].sent.load(std::memory_order_relaxed);
      t.received[k] += stats->kinds[k].received.load(std::memory_order_relaxed);
      t.duplicates[k] += stats->kinds[k].duplicates.load(std::memory_order_relaxed);
    }
  }
  return t;
}

LoadRun::Snapshot LoadRun::snapshot() const {
  Snapshot s;
  s.at = now();
  s.totals = totals();
  s.self = selfCpu();
  if (options_.serverPid) s.server = processCpu(*options_.serverPid);
  s.drops = receiveDrops();
  return s;
}

template <typename Fn>
void LoadRun::forEachMux(Fn&& fn) const {
  for (size_t i = 0; i < clientMuxes_.size(); ++i) {
    try {
      media::invokeAndWait(engine_.workers().at(i), [&] { fn(*clientMuxes_[i]); });
    } catch (const media::WorkerStoppedError&) {
      // A stopped worker reads nothing more.
    }
  }
}

std::optional<uint64_t> LoadRun::receiveDrops() const {
  if (clientMuxes_.empty()) return std::nullopt;
  uint64_t drops = 0;
  forEachMux([&](const media::ClientMux& mux) { drops += mux.receiveDrops(); });
  return drops;
}

void LoadRun::progress(const char* phase) {
  for (const auto& site : sites_) {
    if (site) recordJoin(*site);
  }
  const double t = now();
  if (!options_.progress || t - lastProgress_ < 1.0) return;
  lastProgress_ = t;
  const Totals total = totals();
  std::fprintf(stderr, "\r%-7s t=%5.1fs ready %zu/%zu failed %zu | sent a/v %llu/%llu | recv a/v %llu/%llu | dup %llu  ",
               phase, t, readyCount(), sites_.size(), failedCount(), static_cast<unsigned long long>(total.sent[0]),
               static_cast<unsigned long long>(total.sent[1]), static_cast<unsigned long long>(total.received[0]),
               static_cast<unsigned long long>(total.received[1]),
               static_cast<unsigned long long>(total.duplicates[0] + total.duplicates[1]));
  std::fflush(stderr);
}

void LoadRun::waitUntil(double seconds, const std::function<bool()>& done, const char* phase) {
  const double end = now() + seconds;
  while (now() < end && !(done && done())) {
    progress(phase);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

void LoadRun::retire(const std::shared_ptr<SimulatedSite>& site) {
  recordJoin(*site);
  if (site->failed()) {
    ++retiredFailed_;
    if (failures_.size() < kMaxFailuresListed) failures_.push_back(site->spec().id + ": " + site->failure());
  }
  // The sources keep sending while this receiver leaves: count gaps only.
  const auto totals = media::invokeAndWait(site->worker(), [&] {
    auto collected = site->collect([](uint16_t, StreamKind, uint8_t) { return std::nullopt; });
    site->leave();
    return collected;
  });
  for (size_t k = 0; k < 2; ++k) {
    retired_.unique[k] += totals.unique[k];
    retired_.duplicates[k] += totals.duplicates[k];
    retired_.lost[k] += totals.lost[k];
    retired_.skipped[k] += totals.skipped[k];
  }
}

nlohmann::json LoadRun::run() {
  startNs_ = monotonicNs();
  if (options_.serverPid) serverRssBefore_ = processRssKiB(*options_.serverPid);
  signaling_.prepare(options_.sites);
  sites_.assign(options_.sites + 1, nullptr);
  joinRecorded_.assign(options_.sites + 1, false);

  // The hall first: the sites find it publishing when they join.
  sites_[0] = launch(0, 0);
  waitUntil(options_.joinTimeoutSeconds, [&] { return ready(*sites_[0]) || sites_[0]->failed(); }, "hall");
  if (!ready(*sites_[0])) {
    throw std::runtime_error("the hall did not start publishing: " + sites_[0]->failure());
  }

  const double rampStart = now();
  for (size_t slot = 1; slot <= options_.sites; ++slot) {
    const double due = rampStart + static_cast<double>(slot - 1) / options_.rampPerSecond;
    waitUntil(due - now(), nullptr, "ramp");
    sites_[slot] = launch(static_cast<uint16_t>(slot), 0);
  }
  waitUntil(options_.joinTimeoutSeconds, [&] { return readyCount() + failedCount() >= sites_.size(); }, "joining");
  // A server near its limit may still be working off the backlog of the join storm: the window
  // is meant for the steady state.
  waitUntil(options_.settleSeconds, nullptr, "settle");

  // The measured window.
  for (size_t w = 0; w < stats_.size(); ++w) {
    media::invokeAndWait(engine_.workers().at(w), [&] {
      for (auto& histogram : stats_[w]->latency) histogram.reset();
      for (auto& histogram : stats_[w]->socketLatency) histogram.reset();
      stats_[w]->receiveDelay.reset();
      if (stats_[w]->trace) stats_[w]->trace->setRecording(true);
    });
  }
  // Always said, progress or not: a profiler driving the server starts collecting on this line.
  std::fprintf(stderr, "measuring: %.0f s window, %zu of %zu sites ready\n", options_.durationSeconds, readyCount(),
               sites_.size());
  std::fflush(stderr);
  const Snapshot begin = snapshot();
  const double windowEnd = now() + options_.durationSeconds;
  double nextChurn = now() + (options_.churnPerSecond > 0 ? 1.0 / options_.churnPerSecond : 1e9);
  size_t churnSlot = 1;
  while (now() < windowEnd) {
    if (options_.scenario == Scenario::Churn && now() >= nextChurn) {
      auto& site = sites_[churnSlot];
      const auto generation = static_cast<uint8_t>(site->spec().generation + 1);
      retire(site);
      joinRecorded_[churnSlot] = false;
      site = launch(static_cast<uint16_t>(churnSlot), generation);
      ++replaced_;
      churnSlot = churnSlot % options_.sites + 1;
      nextChurn += 1.0 / options_.churnPerSecond;
    }
    progress("run");
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  const Snapshot end = snapshot();
  for (size_t w = 0; w < stats_.size(); ++w) {
    if (stats_[w]->trace) media::invokeAndWait(engine_.workers().at(w), [&] { stats_[w]->trace->setRecording(false); });
  }

  // Stop the media, let what is in flight arrive, then settle every ledger against what was sent.
  // A stream silent for the last second before the sources stopped was paused by the bridge
  // (last-N), not cut off: what its source sent after its last packet was never due here.
  const int64_t pausedBeforeNs = monotonicNs() - kPausedAtEndNs;
  // Audio with levels is ranked by the bridge (audio last-N): a stream paused in the last second
  // looks exactly like one whose tail was lost, so only its gaps count.
  const bool audioMayPause = options_.siteMedia.audioLevels;
  for (auto& site : sites_) media::invokeAndWait(site->worker(), [&] { site->stopSending(); });
  waitUntil(options_.drainSeconds, nullptr, "drain");
  std::vector<SlotSent> sent(sites_.size());
  for (size_t slot = 0; slot < sites_.size(); ++slot) {
    auto& site = sites_[slot];
    media::invokeAndWait(site->worker(), [&] {
      sent[slot].alive = !site->failed();
      sent[slot].generation = site->spec().generation;
      sent[slot].last = {site->lastSequence(StreamKind::Audio), site->lastSequence(StreamKind::Video)};
    });
  }
  const auto lastSent = [&sent](uint16_t slot, StreamKind kind, uint8_t generation) -> std::optional<uint32_t> {
    if (slot >= sent.size() || !sent[slot].alive || sent[slot].generation != generation) return std::nullopt;
    return sent[slot].last[static_cast<size_t>(kind)];
  };
  ReceiveTotals received = retired_;
  for (auto& site : sites_) {
    recordJoin(*site);
    if (site->failed() && failures_.size() < kMaxFailuresListed) failures_.push_back(site->spec().id + ": " + site->failure());
    const auto t = media::invokeAndWait(site->worker(),
                                        [&] { return site->collect(lastSent, pausedBeforeNs, audioMayPause); });
    for (size_t k = 0; k < 2; ++k) {
      received.skipped[k] += t.skipped[k];
      received.unique[k] += t.unique[k];
      received.duplicates[k] += t.duplicates[k];
      received.lost[k] += t.lost[k];
    }
  }
  std::array<LatencyHistogram, 2> latency;
  LatencyHistogram socket, receiveDelay;
  for (size_t w = 0; w < stats_.size(); ++w) {
    media::invokeAndWait(engine_.workers().at(w), [&] {
      for (size_t k = 0; k < 2; ++k) {
        latency[k].merge(stats_[w]->latency[k]);
        socket.merge(stats_[w]->socketLatency[k]);
      }
      receiveDelay.merge(stats_[w]->receiveDelay);
    });
  }
  auto summary = summarize(begin, end, received, latency);
  if (options_.arrivalTimes) {
    // The same packets as latencyUs.all where they came through the minimal ICE client, split at the
    // moment the kernel queued them on the site's socket.
    for (const auto& [name, histogram] : {std::pair{"socket", &socket}, std::pair{"receiveDelay", &receiveDelay}}) {
      summary["latencyUs"][name] = {{"count", histogram->count()}, {"p50", histogram->percentileUs(0.50)},
                                    {"p99", histogram->percentileUs(0.99)}, {"max", histogram->maxUs()}};
    }
  }
  if (!options_.latencyTracePath.empty()) summary["latencyTrace"] = writeLatencyTrace();
  for (auto& site : sites_) media::invokeAndWait(site->worker(), [&] { site->leave(); });
  if (options_.progress) std::fprintf(stderr, "\n");
  // Let the leave messages and WebSocket close frames go out.
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  return summary;
}

nlohmann::json LoadRun::writeLatencyTrace() const {
  std::ofstream out(options_.latencyTracePath);
  uint64_t records = 0, dropped = 0;
  for (size_t w = 0; w < stats_.size(); ++w) {
    // The workers stopped recording at the end of the window: nothing writes the records now.
    stats_[w]->trace->writeCsv(out, w == 0);
    records += stats_[w]->trace->records().size();
    dropped += stats_[w]->trace->dropped();
  }
  out.flush();
  if (!out) throw std::runtime_error("cannot write the latency trace to " + options_.latencyTracePath);
  return {{"path", options_.latencyTracePath}, {"records", records}, {"dropped", dropped}};
}

nlohmann::json LoadRun::summarize(const Snapshot& begin, const Snapshot& end, const ReceiveTotals& received,
                                  const std::array<LatencyHistogram, 2>& latency) {
  const Totals total = totals();
  nlohmann::json summary;
  summary["target"] = options_.target == Target::Diemcau ? "diemcau" : "janus";
  summary["scenario"] = toString(options_.scenario);
  summary["sites"] = options_.sites;
  summary["workers"] = engine_.workers().size();
  summary["media"] = {{"hallVideoBitrate", options_.hallMedia.video ? options_.hallMedia.videoBitrate : 0},
                      {"siteVideoBitrate", options_.siteMedia.video ? options_.siteMedia.videoBitrate : 0},
                      {"videoPacketSize", options_.siteMedia.videoPacketSize},
                      {"audioPacketSize", options_.siteMedia.audioPacketSize},
                      {"audio", options_.siteMedia.audio},
                      {"fps", options_.siteMedia.framesPerSecond},
                      {"keyframeIntervalMs", options_.siteMedia.keyframeIntervalMs},
                      {"pacing", options_.siteMedia.pacingFactor}};
  const char* kinds[] = {"audio", "video"};
  uint64_t lostAll = 0, receivedAll = 0;
  for (size_t k = 0; k < 2; ++k) {
    const uint64_t lost = received.lost[k];
    const uint64_t got = received.unique[k];
    lostAll += lost;
    receivedAll += got;
    summary[kinds[k]] = {{"sent", total.sent[k]},
                         {"received", got},
                         {"lost", lost},
                         {"duplicates", received.duplicates[k]},
                         {"skipped", received.skipped[k]},
                         {"lossPercent", got + lost == 0 ? 0.0 : 100.0 * static_cast<double>(lost) / static_cast<double>(got + lost)}};
    summary["latencyUs"][kinds[k]] = {{"count", latency[k].count()},
                                      {"p50", latency[k].percentileUs(0.50)},
                                      {"p99", latency[k].percentileUs(0.99)},
                                      {"max", latency[k].maxUs()}};
  }
  LatencyHistogram all = latency[0];
  all.merge(latency[1]);
  summary["latencyUs"]["all"] = {{"count", all.count()}, {"p50", all.percentileUs(0.50)},
                                 {"p99", all.percentileUs(0.99)}, {"max", all.maxUs()}};
  const auto percentOf = [&](uint64_t lost) {
    return receivedAll + lostAll == 0
               ? 0.0
               : 100.0 * static_cast<double>(lost) / static_cast<double>(receivedAll + lostAll);
  };
  summary["lossPercent"] = percentOf(lostAll);
  // A datagram the kernel dropped on one of this generator's own sockets (its receive buffer full
  // while its core was busy, as in a join ramp that loads both signaling threads) reached the site
  // and is lost here, not in the server: the loss the server is charged with leaves them out.
  // They are datagrams, not only media (RTCP and STUN too, a few per site and second), so this is
  // at most the server's share.
  if (const auto drops = receiveDrops()) {
    summary["generatorDrops"] = {{"run", *drops}};
    if (begin.drops && end.drops) summary["generatorDrops"]["window"] = *end.drops - *begin.drops;
    summary["serverLossPercent"] = percentOf(lostAll > *drops ? lostAll - *drops : 0);
  } else {
    summary["serverLossPercent"] = summary["lossPercent"];
  }
  summary["joinMs"] = {{"count", joinMs_.size()}, {"p50", percentile(joinMs_, 0.50)},
                       {"p99", percentile(joinMs_, 0.99)},
                       {"max", joinMs_.empty() ? 0.0 : *std::max_element(joinMs_.begin(), joinMs_.end())}};
  uint64_t clientConnections = 0, clientLiteConnections = 0, libniceConnections = 0;
  for (const auto& stats : stats_) {
    clientConnections += stats->clientIceConnections.load(std::memory_order_relaxed);
    clientLiteConnections += stats->clientLiteConnections.load(std::memory_order_relaxed);
    libniceConnections += stats->libniceConnections.load(std::memory_order_relaxed);
  }
  summary["iceClient"] = {{"option", toString(options_.iceClient)},
                          {"clientConnections", clientConnections},
                          {"clientLiteConnections", clientLiteConnections},
                          {"sockets", toString(options_.clientSockets)},
                          {"receiveEveryMs", options_.receiveEveryMs},
                          {"sharedSockets", sharedSockets_},
                          {"libniceConnections", libniceConnections}};
  // How the minimal client's datagrams were read, over the whole run: datagrams per recvmmsg says
  // how much a wakeup batches (and how far the shared socket's look-ahead can reach).
  media::ClientMux::Stats mux;
  forEachMux([&](const media::ClientMux& one) {
    const auto& s = one.stats();
    mux.wakeups += s.wakeups;
    mux.recvCalls += s.recvCalls;
    mux.datagramsIn += s.datagramsIn;
    mux.unclaimed += s.unclaimed;
    mux.truncated += s.truncated;
  });
  summary["iceClient"]["reads"] = {{"wakeups", mux.wakeups},       {"recvmmsgCalls", mux.recvCalls},
                                   {"datagrams", mux.datagramsIn}, {"unclaimed", mux.unclaimed},
                                   {"truncated", mux.truncated}};
  summary["failedSites"] = failedCount();
  summary["replacedSites"] = replaced_;
  summary["failures"] = failures_;

  const double seconds = end.at - begin.at;
  uint64_t windowSent = 0, windowReceived = 0;
  for (size_t k = 0; k < 2; ++k) {
    windowSent += end.totals.sent[k] - begin.totals.sent[k];
    windowReceived += end.totals.received[k] - begin.totals.received[k];
  }
  nlohmann::json window = {{"seconds", seconds},
                           {"settleSeconds", options_.settleSeconds},
                           {"sent", windowSent},
                           {"received", windowReceived},
                           {"receivedPerSecond", seconds > 0 ? static_cast<double>(windowReceived) / seconds : 0.0},
                           {"loadCpuSeconds", end.self.total() - begin.self.total()}};
  // The load generator's own cost per received packet (sending included): when it approaches the
  // time between arrivals on its core, the run measures the generator, not the server.
  const double loadCpu = end.self.total() - begin.self.total();
  const double loadUser = end.self.user - begin.self.user;
  window["loadCpuUsPerReceivedPacket"] = windowReceived == 0 ? 0.0 : loadCpu * 1e6 / static_cast<double>(windowReceived);
  window["loadUserUsPerReceivedPacket"] = windowReceived == 0 ? 0.0 : loadUser * 1e6 / static_cast<double>(windowReceived);
  window["loadSystemUsPerReceivedPacket"] =
      windowReceived == 0 ? 0.0 : (loadCpu - loadUser) * 1e6 / static_cast<double>(windowReceived);
  if (begin.server && end.server) {
    const double serverCpu = end.server->total() - begin.server->total();
    window["serverCpuSeconds"] = serverCpu;
    window["serverCpuUsPerForwardedPacket"] =
        windowReceived == 0 ? 0.0 : serverCpu * 1e6 / static_cast<double>(windowReceived);
    // Split, because on loopback the kernel's share includes delivering each datagram to the
    // receiving socket (the sender's context runs the receive path), which a NIC would not charge.
    const double serverUser = end.server->user - begin.server->user;
    window["serverUserUsPerForwardedPacket"] =
        windowReceived == 0 ? 0.0 : serverUser * 1e6 / static_cast<double>(windowReceived);
    window["serverSystemUsPerForwardedPacket"] =
        windowReceived == 0 ? 0.0 : (serverCpu - serverUser) * 1e6 / static_cast<double>(windowReceived);
    if (const auto rss = processRssKiB(*options_.serverPid)) window["serverRssKiB"] = *rss;
    if (serverRssBefore_) window["serverRssKiBBefore"] = *serverRssBefore_;
  }
  summary["window"] = window;
  uint64_t keyframeRequests = 0, plis = 0, unknown = 0, sendFailures = 0, offers = 0, offerBytes = 0;
  for (const auto& stats : stats_) {
    offers += stats->subscribeOffers.load();
    offerBytes += stats->subscribeOfferBytes.load();
    keyframeRequests += stats->keyframeRequests.load();
    plis += stats->plisSent.load();
    unknown += stats->unknownPackets.load();
    sendFailures += stats->sendFailures.load();
  }
  summary["keyframeRequestsReceived"] = keyframeRequests;
  summary["plisSent"] = plis;
  summary["unstampedPackets"] = unknown;
  summary["sendFailures"] = sendFailures;
  // The whole run, ramp-up included: how much renegotiation the joins cost.
  summary["subscribeOffers"] = {{"count", offers}, {"bytes", offerBytes}};
  const CpuTimes self = selfCpu();
  summary["loadCpuSeconds"] = {{"user", self.user}, {"system", self.system}};
  summary["wallSeconds"] = now();
  return summary;
}

}  // namespace diemcau::load
