// Participant: simulcast layers of what it publishes, and the share of its downlink each track it
// receives gets (docs/ARCHITECTURE.md, "Weak links: simulcast and bandwidth").
//
//   receiver's NACKs ────────┐
//   its receiver reports ────┼► DownlinkEstimate ─► budget ─► BandwidthAllocator ─► DownTrack layer
//   its REMB (a ceiling) ────┘                                (importance, layer bitrates)
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <string>
#include <vector>

#include "bridge/bwe/BandwidthAllocator.hpp"
#include "bridge/room/Participant.hpp"
#include "media/sdp/HeaderExtensionUri.hpp"

namespace diemcau::bridge {

namespace {

// Often enough to follow a report (about every second) quickly, seldom enough for the layer
// bitrates (one-second windows) to have moved.
constexpr int64_t kAllocationIntervalUs = 500'000;

}  // namespace

void Participant::addSimulcastLayers(PublishedTrack& primary, const TrackInfo& info,
                                     const media::sdp::NegotiatedMedia& media) {
  if (media.kind != media::sdp::MediaKind::Video) return;
  std::vector<std::string> rids;
  for (const auto& rid : media.rids) {
    // RFC 8851 section 4: the offerer's "send" rids are the streams it will send.
    if (rid.direction == media::sdp::Direction::SendOnly) rids.push_back(rid.id);
  }
  if (rids.size() < 2) return;  // one stream: no simulcast
  rids.resize(std::min<size_t>(rids.size(), LayerSelector::kMaxLayers));
  // The routed track (whose packets the recorder takes) is the last rid: browsers list layers
  // smallest first, so that is the full-size one. The allocator itself goes by measured bitrate.
  primary.setRid(rids.back(), 0);
  for (size_t i = 0; i + 1 < rids.size(); ++i) {
    auto layer = std::make_unique<PublishedTrack>(info, media, *publish_, publishRtcpSsrc_);
    layer->setRid(rids[i], static_cast<int>(i + 1));
    if (engine_.retransmission()) layer->enableRetransmission();
    primary.adoptLayer(std::move(layer));
  }
  spdlog::info("room participant {}: video in {} simulcast layers", info_.id, primary.layers().size());
}

void Participant::startTransportFeedback(const std::vector<media::sdp::NegotiatedMedia>& negotiated) {
  // A new publish connection numbers its packets afresh.
  twcc_ = std::make_unique<TwccRecorder>();
  twccExtensionId_ = 0;
  for (const auto& media : negotiated) {
    // One BUNDLE transport: the answer kept the offer's id, the same in every section.
    const auto id = media.extensionId(media::sdp::uri::kTransportWideCc);
    if (id && *id >= 1 && *id <= 255 && media.feedback.transportCc) {
      twccExtensionId_ = static_cast<uint8_t>(*id);
      return;
    }
  }
}

void Participant::sendTransportFeedback() {
  if (twccExtensionId_ == 0 || !publish_ || publish_->state() != media::TransportState::Connected) return;
  // The feedback names a media SSRC of the connection (the publisher ignores it); any will do.
  uint32_t mediaSsrc = 0;
  for (const auto& track : published_) mediaSsrc = mediaSsrc != 0 ? mediaSsrc : track->mediaSsrc();
  std::array<uint8_t, 1200> buffer{};
  // A tick covers ~100 ms: a few feedback packets at most, even at several Mbit/s.
  for (int i = 0; i < 4 && twcc_->pending(); ++i) {
    const size_t len = twcc_->writeFeedback(buffer, publishRtcpSsrc_, mediaSsrc);
    if (len == 0) break;
    publish_->sendRtcp(buffer.data(), len);
  }
}

void Participant::onReportedLoss(const DownTrack::LossDelta& loss, int64_t nowUs) {
  if (!subscribe_) return;
  logDownlinkLoss(downlink_.onReceiverReport(loss.expected, loss.lost, subscribe_->stats().bytesSent, nowUs),
                  "receiver reports", nowUs);
}

void Participant::logDownlinkLoss(const DownlinkEstimate::Loss& loss, const char* source, int64_t nowUs) const {
  spdlog::debug(
      "room participant {}: downlink loss ({}): {} of {} lost, sent {} kbit/s, estimate {} kbit/s, NACKs "
      "taken at {:.2f}",
      info_.id, source, loss.lost, loss.expected, loss.sentBps / 1000, downlink_.estimateBps(nowUs) / 1000,
      downlink_.nackFactorFor(loss.sentBps, nowUs));
}

void Participant::sampleNackLoss(int64_t nowUs) {
  if (!subscribe_ || subscribe_->state() != media::TransportState::Connected) return;
  // Loss from the video this receiver NACKs (audio sections negotiate no NACK, docs/ARCHITECTURE.md);
  // the send rate from every track, since the audio shares the link. Every down track settles on
  // the same bucket clock, so their totals add up over one interval.
  SendTotals totals;
  bool any = false;
  for (const auto& subscription : subscriptions_) {
    DownTrack& down = *subscription.down;
    if (!down.negotiated()) continue;
    const SendTotals track = down.nackTotals(nowUs);
    totals.bytes += track.bytes;
    totals.untilUs = std::max(totals.untilUs, track.untilUs);
    if (!down.nacksLoss()) continue;
    totals.packets += track.packets;
    totals.lost += track.lost;
    any = true;
  }
  if (!any) return;
  // Receiver reports go on feeding the estimator too: a receiver that negotiated NACK but sends
  // none would look lossless here, and its reports still show the loss. The send rate (repairs
  // included) is over the sampled interval: the loss and the rate describe the same packets.
  // NACKs of packets that were only late are discounted once the receiver's reports show it, and
  // before that a single heavy sample is held (DownlinkEstimate).
  if (const auto sample = downlink_.onNackTotals(totals, nowUs)) logDownlinkLoss(*sample, "NACKs", nowUs);
}

void Participant::setVideoSize(const std::string& trackId, uint16_t height) {
  if (height == 0) {
    videoHeights_.erase(trackId);
  } else {
    videoHeights_[trackId] = height;
  }
  lastAllocationUs_ = 0;  // decide again at the next tick
}

int Participant::maxRankFor(const PublishedTrack& source, const BandwidthAllocator::Track& track) const {
  const auto wanted = videoHeights_.find(source.info().id);
  if (wanted == videoHeights_.end()) return static_cast<int>(BandwidthAllocator::kMaxLayers);
  std::array<uint16_t, BandwidthAllocator::kMaxLayers> heights{};
  const auto& layers = source.layers();
  for (size_t i = 0; i < track.layerCount; ++i) heights[i] = layers[i]->frameHeight();
  return BandwidthAllocator::maxRankFor(track, heights, wanted->second);
}

void Participant::allocateBandwidth(int64_t nowUs) {
  if (nowUs - lastAllocationUs_ < kAllocationIntervalUs) return;
  lastAllocationUs_ = nowUs;
  // Member scratch: cleared, not freed, so a tick allocates only when the subscriptions outgrow it.
  std::vector<BandwidthAllocator::Track>& tracks = allocationTracks_;
  std::vector<DownTrack*>& downs = allocationDowns_;
  std::vector<int>& chosen = allocationChosen_;
  tracks.clear();
  downs.clear();
  for (auto& subscription : subscriptions_) {
    DownTrack& down = *subscription.down;
    const PublishedTrack* source = down.source();
    if (source == nullptr || !down.negotiated()) continue;
    BandwidthAllocator::Track track;
    track.audio = !source->isVideo();
    track.priority = source->importance();
    const auto& layers = source->layers();
    track.layerCount = std::min(layers.size(), BandwidthAllocator::kMaxLayers);
    for (size_t i = 0; i < track.layerCount; ++i) track.layerBps[i] = layers[i]->bitrate(nowUs);
    track.currentLayer = down.layerSelector().current();
    if (!track.audio) track.maxRank = maxRankFor(*source, track);
    // The hall's picture is what a site follows the meeting by: with simulcast its lowest layer
    // is small by design, so it is kept even on a link that cannot quite carry it.
    track.keep = !track.audio && track.priority == 0 && track.layerCount > 1;
    tracks.push_back(track);
    downs.push_back(&down);
  }
  if (tracks.empty()) return;
  chosen.assign(tracks.size(), BandwidthAllocator::kPaused);
  const uint64_t budget = downlink_.estimateBps(nowUs);
  BandwidthAllocator::allocate(budget, tracks, chosen);
  for (size_t i = 0; i < tracks.size(); ++i) {
    if (tracks[i].audio) continue;
    const bool arriving = std::any_of(tracks[i].layerBps.begin(), tracks[i].layerBps.end(),
                                      [](uint64_t bps) { return bps > 0; });
    // Nothing arriving yet (or the publisher paused): nothing to decide, keep the target.
    if (!arriving) continue;
    DownTrack& down = *downs[i];
    const int before = down.layerSelector().target();
    if (before == chosen[i]) continue;
    down.setTargetLayer(chosen[i]);
    if (chosen[i] != LayerSelector::kNone) down.onTick(nowUs);  // ask for the keyframe at once
    // Layers by rid ("q:98 h:301 f:702"); a track without simulcast is layer "0".
    const auto& all = down.source()->layers();
    const auto name = [&](int layer) {
      if (layer < 0 || static_cast<size_t>(layer) >= all.size()) return std::string("none");
      const std::string& rid = all[static_cast<size_t>(layer)]->rid();
      return rid.empty() ? std::to_string(layer) : rid;
    };
    std::string layers;
    for (size_t l = 0; l < tracks[i].layerCount; ++l) {
      layers += (l == 0 ? "" : " ") + name(static_cast<int>(l)) + ":" + std::to_string(tracks[i].layerBps[l] / 1000);
    }
    spdlog::info("room participant {}: {} layer {} -> {} (estimate {} kbit/s{}, loss {:.1f} %, layers {} kbit/s)",
                 info_.id, down.source()->info().id, name(before), name(chosen[i]), budget / 1000,
                 downlink_.estimator().usingRemb(nowUs) ? ", REMB ceiling" : "", downlink_.estimator().lastLoss() * 100, layers);
  }
}

}  // namespace diemcau::bridge
