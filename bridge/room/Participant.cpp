#include "bridge/room/Participant.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "bridge/room/BridgeCodecs.hpp"
#include "bridge/room/NtpTime.hpp"
#include "media/sdp/HeaderExtensionUri.hpp"
#include "media/sdp/MediaCapabilities.hpp"
#include "media/sdp/Negotiator.hpp"
#include "media/sdp/SdpError.hpp"
#include "media/sdp/SdpParser.hpp"
#include "media/transport/SdpTransport.hpp"

namespace diemcau::bridge {

namespace sdp = media::sdp;

namespace {

// Everything the bridge supports, transport-wide congestion control included: the bridge answers
// it with TWCC feedback (ParticipantBandwidth.cpp), so a browser publisher sizes its encoders with
// its delay-based estimator and probing.
sdp::MediaCapabilities publishCapabilities() { return sdp::MediaCapabilities::defaults(); }

media::IceConfig subscribeIce(media::IceConfig config) {
  // The bridge offers the subscribe connection, so it is the controlling agent (RFC 8445 section
  // 6.1.1) -- unless it runs ICE-lite: a lite agent is always controlled, and the full peer takes
  // the controlling role even as the answerer.
  config.controlling = !config.lite;
  return config;
}

bool bridgeReceives(sdp::Direction direction) {
  return direction == sdp::Direction::RecvOnly || direction == sdp::Direction::SendRecv;
}

bool bridgeSends(sdp::Direction direction) {
  return direction == sdp::Direction::SendOnly || direction == sdp::Direction::SendRecv;
}

// Candidates written in the description itself (a client that gathered before sending it): the
// BUNDLE transport's are in its first accepted section (RFC 8843 section 7.1).
void addDescribedCandidates(media::WebRtcTransport& transport, const sdp::SessionDescription& description) {
  for (const auto& section : description.media) {
    if (section.isRejected()) continue;
    for (const auto& candidate : section.candidates) transport.addRemoteCandidate("candidate:" + candidate);
    if (section.endOfCandidates) transport.remoteGatheringDone();
    return;
  }
}

}  // namespace

Participant::Participant(media::MediaEngine& engine, media::Worker& worker, ParticipantInfo info, Listener& listener,
                         const Room::Clock& clock)
    : engine_(engine),
      worker_(worker),
      info_(std::move(info)),
      listener_(listener),
      clock_(clock),
      random_(std::random_device{}()),
      publishRtcpSsrc_(newSsrc()),
      subscribeRtcpSsrc_(newSsrc()),
      negotiation_(std::to_string(std::uniform_int_distribution<uint64_t>(1, (uint64_t{1} << 62))(random_))) {}

Participant::~Participant() {
  // Once per participant, so a weak link's repairs can be read from the log afterwards.
  if (const auto s = stats(); s.nacksReceived > 0) {
    spdlog::info("room participant {}: retransmission to it: it NACKed {}, resent {}, too old {}", info_.id,
                 s.nacksReceived, s.packetsRetransmitted, s.retransmitTooOld);
  }
  subscriptions_.clear();
  published_.clear();
  if (publishDone_) std::exchange(publishDone_, nullptr)("", Room::Error{"not_found", "the participant left"});
  if (publish_) publish_->close("participant left");
  if (subscribe_) subscribe_->close("participant left");
}

uint32_t Participant::newSsrc() {
  std::uniform_int_distribution<uint32_t> distribution(1, 0xFFFFFFFFu);
  uint32_t ssrc = 0;
  do {
    ssrc = distribution(random_);
  } while (std::find(usedSsrcs_.begin(), usedSsrcs_.end(), ssrc) != usedSsrcs_.end());
  usedSsrcs_.push_back(ssrc);
  return ssrc;
}

void Participant::start() {
  subscribe_ = std::make_unique<media::WebRtcTransport>(worker_, engine_.dtlsContext(worker_),
                                                        subscribeIce(engine_.iceConfig()), subscribeEvents_,
                                                        engine_.udpMux(worker_));
  subscribe_->gather([this] {
    subscribeGathered_ = true;
    maybeOffer();
  });
}

// --- publish -------------------------------------------------------------------------------------

void Participant::publish(const std::string& offerSdp, PublishDone done) {
  if (publishDone_) std::exchange(publishDone_, nullptr)("", Room::Error{"sdp_rejected", "a newer offer replaced this one"});
  published_.clear();
  sdp::SessionDescription offer;
  media::WebRtcTransport::RemoteParams remote;
  try {
    offer = sdp::parseSdp(offerSdp);
    remote = media::remoteTransportParams(offer, /*remoteIsOffer=*/true);
  } catch (const sdp::SdpError& e) {
    done("", Room::Error{"sdp_rejected", e.what()});
    return;
  }
  if (publish_) publish_->close("replaced by a new publish offer");
  publish_ = std::make_unique<media::WebRtcTransport>(worker_, engine_.dtlsContext(worker_), engine_.iceConfig(),
                                                      publishEvents_, engine_.udpMux(worker_));
  publish_->setRemote(remote);
  addDescribedCandidates(*publish_, offer);
  publishOffer_ = std::move(offer);
  publishDone_ = std::move(done);
  publishAnswered_ = false;
  publish_->gather([this] { answerPublish(); });
}

void Participant::answerPublish() {
  try {
    const auto local = media::localTransportParams(*publish_, engine_.certificate());
    const sdp::Answer answer = sdp::negotiateAnswer(publishOffer_, local, publishCapabilities());
    for (const auto& media : answer.negotiated()) {
      if (!bridgeReceives(media.direction)) continue;
      const TrackKind kind = media.kind == sdp::MediaKind::Audio ? TrackKind::Audio : TrackKind::Video;
      if (media.kind != sdp::MediaKind::Audio && media.kind != sdp::MediaKind::Video) continue;
      const bool taken = std::any_of(published_.begin(), published_.end(),
                                     [kind](const auto& track) { return track->info().kind == kind; });
      if (taken) continue;  // one audio and one video track per participant
      TrackInfo info{info_.id + "." + std::string(toString(kind)), info_.id, kind, media.codecName,
                     media.payloadType, media.clockRate};
      published_.push_back(std::make_unique<PublishedTrack>(info, media, *publish_, publishRtcpSsrc_));
      if (engine_.retransmission()) published_.back()->enableRetransmission();
      addSimulcastLayers(*published_.back(), info, media);
    }
    publishMid_ = answer.negotiated().empty() ? "0" : answer.negotiated().front().mid;
    startTransportFeedback(answer.negotiated());
    publishAnswered_ = true;
    std::exchange(publishDone_, nullptr)(answer.toSdp(), std::nullopt);
  } catch (const sdp::SdpError& e) {
    published_.clear();
    std::exchange(publishDone_, nullptr)("", Room::Error{"sdp_rejected", e.what()});
  }
}

std::vector<TrackInfo> Participant::clearPublished() {
  if (const auto s = stats(); s.nacksSentUpstream > 0) {
    spdlog::info("room participant {}: retransmission from it: NACKed of it {}, recovered {}", info_.id,
                 s.nacksSentUpstream, s.packetsRecovered);
  }
  std::vector<TrackInfo> removed;
  for (const auto& track : published_) removed.push_back(track->info());
  published_.clear();
  return removed;
}

// --- subscribe -----------------------------------------------------------------------------------

void Participant::setSubscriptions(const std::vector<PublishedTrack*>& wanted) {
  // The room calls this for every participant on every change of membership, tracks or speaker,
  // with one entry per track in the meeting: sorted lookups keep a call O(n log n), where a search
  // of `wanted` per subscription made a 150-site meeting's rebuild O(n^3) over the room.
  std::vector<PublishedTrack*> sortedWanted(wanted);
  std::sort(sortedWanted.begin(), sortedWanted.end());
  bool changed = false;
  std::erase_if(subscriptions_, [&](Subscription& subscription) {
    PublishedTrack* source = subscription.down->source();
    const bool keep = source != nullptr && std::binary_search(sortedWanted.begin(), sortedWanted.end(), source);
    if (!keep) {
      negotiation_.release(subscription.trackId);
      changed = true;
    }
    return !keep;
  });
  std::vector<PublishedTrack*> subscribed;
  subscribed.reserve(subscriptions_.size());
  for (const auto& subscription : subscriptions_) subscribed.push_back(subscription.down->source());
  std::sort(subscribed.begin(), subscribed.end());
  for (PublishedTrack* track : wanted) {
    if (std::binary_search(subscribed.begin(), subscribed.end(), track)) continue;
    if (subscribe(*track)) changed = true;
  }
  if (changed) maybeOffer();
}

void Participant::addSubscriptions(const std::vector<PublishedTrack*>& more) {
  bool changed = false;
  for (PublishedTrack* track : more) {
    const bool has = std::any_of(subscriptions_.begin(), subscriptions_.end(),
                                 [&](const Subscription& held) { return held.down->source() == track; });
    if (!has && subscribe(*track)) changed = true;
  }
  if (changed) maybeOffer();
}

bool Participant::subscribe(PublishedTrack& track) {
  const auto codec = bridgeCodec(track.info().codec);
  if (!codec || !subscribe_) return false;
  const uint32_t ssrc = newSsrc();
  const uint32_t rtxSsrc = codec->rtxPayloadType ? newSsrc() : 0;
  sdp::SendStream stream{ssrc, rtxSsrc != 0 ? std::optional(rtxSsrc) : std::nullopt, track.info().participantId,
                         track.info().participantId, track.info().id};
  const std::string mid = negotiation_.assign(track.info().id, *codec, stream);
  auto down = std::make_unique<DownTrack>(track, *subscribe_, mid, ssrc, rtxSsrc, static_cast<uint16_t>(random_()),
                                          static_cast<uint32_t>(random_()));
  subscriptions_.push_back(Subscription{track.info().id, std::move(down)});
  return true;
}

void Participant::maybeOffer() {
  if (!subscribeGathered_ || !negotiation_.needsOffer()) return;
  // The first offer waits for something to send: a description holding only an inactive section
  // makes some peers (GStreamer webrtcbin 1.22) set up a DTLS transport that later never completes.
  if (negotiation_.version() == 0 && !negotiation_.hasTracks()) return;
  // A renegotiation soon after the previous offer waits for a later tick and then carries every
  // change made meanwhile: while a large meeting fills up, each join would otherwise cost every
  // subscriber an offer of one section per track (O(n^2) SDP over the ramp-up, O(n^3) bytes). The
  // spacing grows with the offer's size, so a small meeting still renegotiates within a tick or
  // two. The first offer, which a joining site waits for, always goes at once.
  const int64_t now = clock_();
  const int64_t spacing = std::clamp(static_cast<int64_t>(negotiation_.sectionCount()) * kOfferSpacingPerSectionUs,
                                     kMinOfferSpacingUs, kMaxOfferSpacingUs);
  if (negotiation_.version() > 0 && now - lastOfferUs_ < spacing) {
    offerDeferred_ = true;
    return;
  }
  offerDeferred_ = false;
  lastOfferUs_ = now;
  try {
    auto offer = negotiation_.createOfferDescription(media::localTransportParams(*subscribe_, engine_.certificate()));
    if (subscribeMid_.empty()) subscribeMid_ = "0";
    subscribeOffered_ = true;
    listener_.onParticipantSubscriberOffer(*this, negotiation_.version(), std::move(offer));
  } catch (const sdp::SdpError& e) {
    spdlog::error("room participant {}: cannot build a subscriber offer: {}", info_.id, e.what());
  }
}

std::optional<Room::Error> Participant::subscriberAnswer(uint32_t version, const std::string& sdpText) {
  try {
    return subscriberAnswer(version, sdp::parseSdp(sdpText));
  } catch (const sdp::SdpError& e) {
    return Room::Error{"sdp_rejected", e.what()};
  }
}

std::optional<Room::Error> Participant::subscriberAnswer(uint32_t version, const sdp::SessionDescription& answer) {
  std::vector<sdp::NegotiatedMedia> negotiated;
  try {
    negotiated = negotiation_.applyAnswer(version, answer);
    const auto remote = media::remoteTransportParams(answer, /*remoteIsOffer=*/false);
    if (!subscribeRemoteSet_) {
      subscribe_->setRemote(remote);
      addDescribedCandidates(*subscribe_, answer);
      subscribeRemoteSet_ = true;
    } else if (subscribe_->setRemoteIceCredentials(remote.iceUfrag, remote.icePwd)) {
      // The answer to an offer after an ICE restart (RFC 8839 §4.4.1.1.1): the peer's new
      // credentials, and the candidates it gathered for them.
      addDescribedCandidates(*subscribe_, answer);
    }
  } catch (const sdp::SdpError& e) {
    return Room::Error{"sdp_rejected", e.what()};
  }
  const int64_t now = clock_();
  for (auto& subscription : subscriptions_) {
    DownTrack& down = *subscription.down;
    if (down.negotiated()) continue;
    const auto it = std::find_if(negotiated.begin(), negotiated.end(),
                                 [&](const auto& media) { return media.mid == down.mid(); });
    if (it == negotiated.end() || !bridgeSends(it->direction)) continue;
    down.setNegotiated(*it);
    // Before the connection is up a keyframe could not reach this subscriber, and asking now
    // would make the publisher's rate limit hold back the request onConnected makes when it
    // can (docs/PERFORMANCE.md, "Join time").
    if (down.source() != nullptr && subscribe_->state() == media::TransportState::Connected) {
      down.source()->requestKeyframe(now);
    }
  }
  maybeOffer();
  return std::nullopt;
}

std::optional<Room::Error> Participant::restartSubscribeIce() {
  if (!subscribe_ || subscribe_->state() == media::TransportState::Closed) {
    return Room::Error{"not_found", "no subscribe connection to restart"};
  }
  subscribe_->restartIce();
  negotiation_.requestOffer();
  maybeOffer();
  return std::nullopt;
}

std::optional<std::string> Participant::restartPublishIce(const std::string& offerSdp) {
  if (!publish_ || !publishAnswered_ || publish_->state() == media::TransportState::Closed) return std::nullopt;
  sdp::SessionDescription offer;
  media::WebRtcTransport::RemoteParams remote;
  try {
    offer = sdp::parseSdp(offerSdp);
    remote = media::remoteTransportParams(offer, /*remoteIsOffer=*/true);
  } catch (const sdp::SdpError&) {
    return std::nullopt;  // the normal path reports it
  }
  // RFC 8839 §4.4.1.1.1: new ufrag and pwd mean an ICE restart. A new fingerprint, or other
  // sections, is a new connection.
  if (remote.iceUfrag == publish_->remoteIceUfrag() || remote.fingerprint != publish_->remoteFingerprint() ||
      offer.media.size() != publishOffer_.media.size()) {
    return std::nullopt;
  }
  for (size_t i = 0; i < offer.media.size(); ++i) {
    if (offer.media[i].mid != publishOffer_.media[i].mid || offer.media[i].kind != publishOffer_.media[i].kind) {
      return std::nullopt;
    }
  }
  try {
    publish_->restartIce();
    publish_->setRemoteIceCredentials(remote.iceUfrag, remote.icePwd);
    addDescribedCandidates(*publish_, offer);
    const auto local = media::localTransportParams(*publish_, engine_.certificate());
    const sdp::Answer answer = sdp::negotiateAnswer(offer, local, publishCapabilities());
    publishOffer_ = std::move(offer);
    spdlog::info("room participant {}: publish connection ICE restarted", info_.id);
    return answer.toSdp();
  } catch (const sdp::SdpError& e) {
    spdlog::warn("room participant {}: ICE restart offer not answered: {}", info_.id, e.what());
    return std::nullopt;
  }
}

std::optional<Room::Error> Participant::addRemoteCandidate(TransportKind transport, const std::string& candidate) {
  media::WebRtcTransport* target = transport == TransportKind::Publish ? publish_.get() : subscribe_.get();
  if (target == nullptr) return Room::Error{"not_found", "no " + std::string(toString(transport)) + " connection yet"};
  if (candidate.empty()) {
    target->remoteGatheringDone();
    return std::nullopt;
  }
  if (!target->addRemoteCandidate(candidate)) return Room::Error{"bad_candidate", "the candidate could not be parsed"};
  return std::nullopt;
}

// --- transport events ----------------------------------------------------------------------------

void Participant::TransportEvents::onTransportCandidate(const std::string& candidate) {
  // Candidates found before the description was written are in it already.
  if (kind_ == TransportKind::Publish && owner_.publishAnswered_) {
    owner_.listener_.onParticipantCandidate(owner_, kind_, candidate, owner_.publishMid_);
  } else if (kind_ == TransportKind::Subscribe && owner_.subscribeOffered_) {
    owner_.listener_.onParticipantCandidate(owner_, kind_, candidate, owner_.subscribeMid_);
  }
}

void Participant::TransportEvents::onTransportConnected() { owner_.onConnected(kind_); }

void Participant::TransportEvents::onTransportClosed(std::string_view reason) {
  owner_.listener_.onParticipantTransportFailed(owner_, kind_, reason);
}

// The connection stays, with its DTLS session: the signaling side decides whether the participant
// waits for an ICE restart or leaves.
void Participant::TransportEvents::onTransportDisconnected(std::string_view reason) {
  owner_.listener_.onParticipantTransportFailed(owner_, kind_, reason);
}

void Participant::TransportEvents::onTransportRecovered() {
  owner_.onConnected(kind_);
  owner_.listener_.onParticipantTransportRecovered(owner_, kind_);
}

void Participant::TransportEvents::onRtp(media::rtp::RtpPacket& packet) {
  if (kind_ == TransportKind::Publish) owner_.onPublishRtp(packet);
}

void Participant::TransportEvents::onRtcp(uint8_t* data, size_t len) {
  kind_ == TransportKind::Publish ? owner_.onPublishRtcp(data, len) : owner_.onSubscribeRtcp(data, len);
}

void Participant::onConnected(TransportKind kind) {
  spdlog::info("room participant {}: {} connection up", info_.id, toString(kind));
  const int64_t now = clock_();
  if (kind == TransportKind::Subscribe) {
    // Up for the first time, or again after an ICE restart, possibly over another network: the
    // NACK sampling, its calibration and the REMB described the old path.
    downlink_.onNewPath();
    // Whatever was forwarded before the connection came up never arrived: start on a keyframe,
    // at once even if another subscriber's keyframe has just gone by.
    for (auto& subscription : subscriptions_) {
      if (subscription.down->source() != nullptr) subscription.down->source()->requestKeyframeForNewConnection(now);
    }
  }
}

void Participant::onPublishRtp(media::rtp::RtpPacket& packet) {
  const int64_t nowUs = clock_();  // once per packet: the room's clock is a call through std::function
  if (twccExtensionId_ != 0) {
    // Every packet of the connection counts, padding probes on an RTX stream included.
    if (const auto sequence = packet.transportSequence(twccExtensionId_)) twcc_->onPacket(*sequence, nowUs);
  }
  for (auto& track : published_) {
    for (PublishedTrack* layer : track->layers()) {
      if (layer->accepts(packet)) {
        layer->onRtp(packet, nowUs);
        return;
      }
    }
  }
  ++unknownPackets_;
}

}  // namespace diemcau::bridge
