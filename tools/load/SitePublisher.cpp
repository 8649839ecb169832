#include "tools/load/SitePublisher.hpp"

#include <algorithm>
#include <cstdint>

#include "media/ice/ClientIceTransport.hpp"
#include "media/rtp/RtcpPacket.hpp"
#include "media/sdp/HeaderExtensionUri.hpp"
#include "media/sdp/OfferBuilder.hpp"
#include "media/sdp/SdpError.hpp"
#include "media/sdp/SdpParser.hpp"
#include "media/sdp/SdpWriter.hpp"
#include "media/transport/SdpTransport.hpp"
#include "tools/load/MonotonicClock.hpp"
#include "tools/load/RandomSsrc.hpp"

namespace diemcau::load {

namespace sdp = media::sdp;

namespace {

constexpr uint8_t kOpusPayloadType = 111;
constexpr uint8_t kVp8PayloadType = 96;
constexpr uint16_t kAudioLevelId = 1;
// What a talking site's levels look like: -30 dBov with voice activity; a quiet one is silent
// (-127 dBov, no voice), as a browser's microphone in an empty commune office would not be, but
// then the bridge only ranks speech (bridge/room/AudioLevelMeter).
constexpr uint8_t kSpeechLevel = 30;
constexpr uint8_t kSilenceLevel = 127;
// RTCP payload-specific feedback (RFC 4585 section 6.1): FMT 1 is PLI; FMT 4 is FIR (RFC 5104 section 4.3.1).
constexpr uint8_t kPsfb = 206;
constexpr uint8_t kPliFmt = 1;

// A steady-clock time in ns as the timer's microseconds, rounded up: a wake-up never comes early.
int64_t wakeUs(int64_t ns) { return ns <= 0 ? 0 : (ns + 999) / 1000; }
constexpr uint8_t kFirFmt = 4;

media::IceConfig controlling(media::IceConfig config) {
  // The offerer of the publish connection is the controlling agent (RFC 8445 section 6.1.1).
  config.controlling = true;
  return config;
}

}  // namespace

SitePublisher::SitePublisher(media::MediaEngine& engine, media::Worker& worker, WorkerStats& stats, std::string siteId,
                             uint16_t slot, uint8_t generation, const MediaProfile& profile,
                             media::ClientMux* clientMux, Listener& listener)
    : engine_(engine),
      stats_(stats),
      siteId_(std::move(siteId)),
      profile_(profile),
      listener_(listener),
      pacer_(VideoPacer::Params{profile.videoBitrate, profile.videoPacketSize, profile.framesPerSecond,
                                profile.pacingFactor}),
      tick_(worker, [this] { tick(); }) {
  if (profile.audio) {
    audio_.emplace(SyntheticStream::Params{StreamKind::Audio, kOpusPayloadType, randomSsrc(), 48000, slot, generation,
                                           profile.audioPacketSize});
  }
  if (profile.video) {
    video_.emplace(SyntheticStream::Params{StreamKind::Video, kVp8PayloadType, randomSsrc(), 90000, slot, generation,
                                           profile.videoPacketSize});
  }
  auto& transportListener = static_cast<media::WebRtcTransport::Listener&>(*this);
  clientIce_ = clientMux != nullptr;
  if (clientIce_) {
    WorkerStats::bump(stats.clientIceConnections);
    transport_ = std::make_unique<media::WebRtcTransport>(
        worker, engine.dtlsContext(worker), transportListener, [&](media::IceLink::Listener& iceListener) {
          return std::make_unique<media::ClientIceTransport>(*clientMux, engine.iceConfig(), iceListener);
        });
  } else {
    WorkerStats::bump(stats.libniceConnections);
    transport_ = std::make_unique<media::WebRtcTransport>(worker, engine.dtlsContext(worker),
                                                          controlling(engine.iceConfig()), transportListener);
  }
}

SitePublisher::~SitePublisher() {
  if (transport_) transport_->close("site left");
}

void SitePublisher::start() {
  transport_->gather([this] { offer(); });
}

void SitePublisher::offer() {
  std::vector<sdp::OfferSection> sections;
  if (audio_) {
    sdp::OfferSection section;
    section.kind = sdp::MediaKind::Audio;
    section.mid = std::to_string(sections.size());
    section.codec = sdp::RtpCodec{kOpusPayloadType, "opus", 48000, 2, "minptime=10;useinbandfec=1", {}, {}};
    section.stream = sdp::SendStream{audio_->ssrc(), std::nullopt, siteId_, siteId_, siteId_ + "-audio"};
    if (profile_.audioLevels) section.extensions.push_back({kAudioLevelId, std::string(sdp::uri::kAudioLevel), {}});
    sections.push_back(std::move(section));
  }
  if (video_) {
    sdp::OfferSection section;
    section.kind = sdp::MediaKind::Video;
    section.mid = std::to_string(sections.size());
    section.codec = sdp::RtpCodec{kVp8PayloadType, "VP8", 90000, 0, "", {"nack", "nack pli", "ccm fir"}, {}};
    section.stream = sdp::SendStream{video_->ssrc(), std::nullopt, siteId_, siteId_, siteId_ + "-video"};
    sections.push_back(std::move(section));
  }
  auto local = media::localTransportParams(*transport_, engine_.certificate());
  local.endOfCandidates = true;
  offer_ = sdp::buildOffer(sections, local);
  listener_.onPublishOffer(sdp::writeSdp(offer_));
}

void SitePublisher::onAnswer(const std::string& text) {
  try {
    const auto answer = sdp::parseSdp(text);
    const auto negotiated = sdp::applyAnswer(offer_, answer);
    for (const auto& media : negotiated) {
      if (media.kind != sdp::MediaKind::Audio || !audio_) continue;
      // RFC 8285 section 6: the answerer keeps the offered ID, or leaves the extension out.
      if (media.extensionId(sdp::uri::kAudioLevel) == kAudioLevelId) {
        audio_->setAudioLevel(kAudioLevelId, profile_.speaking ? kSpeechLevel : kSilenceLevel, profile_.speaking);
      }
    }
    const auto remote = media::remoteTransportParams(answer, /*remoteIsOffer=*/false);
    if (clientIce_ && !remote.iceLite) {
      // The minimal client answers no checks: a full-ICE bridge would never connect to it.
      listener_.onPublishFailed("publish answer: --ice-client lite needs a bridge in ICE-lite mode");
      return;
    }
    transport_->setRemote(remote);
    for (const auto& section : answer.media) {
      if (section.isRejected()) continue;
      for (const auto& candidate : section.candidates) transport_->addRemoteCandidate("candidate:" + candidate);
      if (section.endOfCandidates) transport_->remoteGatheringDone();
      break;
    }
  } catch (const sdp::SdpError& e) {
    listener_.onPublishFailed(std::string("publish answer: ") + e.what());
  }
}

void SitePublisher::addRemoteCandidate(const std::string& candidate) {
  if (candidate.empty()) {
    transport_->remoteGatheringDone();
  } else {
    transport_->addRemoteCandidate(candidate);
  }
}

void SitePublisher::onTransportConnected() {
  if (stopped_) return;
  sending_ = true;
  const int64_t now = monotonicNs();
  nextAudioNs_ = now;
  nextKeyframeNs_ = now;
  pacer_.start(now);
  tick_.startAt(wakeUs(now));
  listener_.onPublishConnected();
}

void SitePublisher::onTransportClosed(std::string_view reason) {
  sending_ = false;
  tick_.stop();
  if (!stopped_) listener_.onPublishFailed("publish connection closed: " + std::string(reason));
}

void SitePublisher::onRtcp(uint8_t* data, size_t len) {
  media::rtp::RtcpCompound compound(data, len);
  while (auto packet = compound.next()) {
    if (packet->packetType() == kPsfb && (packet->count() == kPliFmt || packet->count() == kFirFmt)) {
      keyframeWanted_ = true;
      WorkerStats::bump(stats_.keyframeRequests);
    }
  }
}

void SitePublisher::stopSending() {
  stopped_ = true;
  sending_ = false;
  tick_.stop();
}

uint32_t SitePublisher::lastSequence(StreamKind kind) const {
  const auto& stream = kind == StreamKind::Audio ? audio_ : video_;
  return stream ? stream->lastSequence() : 0;
}

void SitePublisher::tick() {
  if (!sending_) return;
  const int64_t now = monotonicNs();
  // Catch up on missed ticks, but never burst more than a few frames after a stall (the pacer
  // bounds video the same way). Each packet is stamped when it is handed to the transport, so
  // latency runs from the moment it left, not from when it was due.
  if (audio_) {
    if (now - nextAudioNs_ > 5 * kAudioFrameNs) nextAudioNs_ = now - 5 * kAudioFrameNs;
    while (nextAudioNs_ <= now) {
      send(audio_->nextAudio(buffer_, monotonicNs()), StreamKind::Audio);
      nextAudioNs_ += kAudioFrameNs;
    }
  }
  if (video_) {
    while (const auto packet = pacer_.poll(now)) sendVideo(*packet);
  }
  if (!sending_) return;
  // Wake when the next packet is due rather than on a fixed grid: every wake-up of the worker's
  // loop walks each source of every site on that worker (GLib prepare and check), which at a few
  // hundred sites costs more than the packets sent. Paced video wakes once per packet; a packet
  // due together with audio or another packet shares the wake-up.
  int64_t nextNs = INT64_MAX;
  if (audio_) nextNs = std::min(nextNs, nextAudioNs_);
  if (video_) nextNs = std::min(nextNs, pacer_.nextDueNs());
  if (nextNs != INT64_MAX) tick_.startAt(wakeUs(nextNs));
}

void SitePublisher::sendVideo(const VideoPacer::Packet& packet) {
  if (packet.index == 0) {
    keyframe_ = keyframeWanted_ || packet.frameNs >= nextKeyframeNs_;
    if (keyframe_) {
      keyframeWanted_ = false;
      nextKeyframeNs_ = packet.frameNs + int64_t{profile_.keyframeIntervalMs} * 1'000'000;
    }
  }
  send(video_->nextVideo(buffer_, packet.index, packet.count, keyframe_, monotonicNs()), StreamKind::Video);
  if (packet.index + 1 == packet.count) video_->endFrame(1000 / std::max<uint32_t>(profile_.framesPerSecond, 1));
}

void SitePublisher::send(size_t len, StreamKind kind) {
  if (len == 0) return;
  if (transport_->sendRtp(buffer_.data(), len, [](media::rtp::RtpPacket&) {})) {
    WorkerStats::bump(stats_.of(kind).sent);
  } else {
    WorkerStats::bump(stats_.sendFailures);
  }
}

}  // namespace diemcau::load
