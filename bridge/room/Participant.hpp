#pragma once
// One participant of a room and its two connections:
//
//   publish connection   (it offers, the bridge answers)  ─► PublishedTrack per audio/video section
//   subscribe connection (the bridge offers, it answers)  ◄─ DownTrack per track it receives
//
// Lives on the room's worker; every method and listener call runs there. The Room decides what
// the participant receives (setSubscriptions) and removes the downstream tracks of other
// participants before destroying their published tracks.
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "bridge/bwe/BandwidthAllocator.hpp"
#include "bridge/bwe/DownlinkEstimate.hpp"
#include "bridge/bwe/TwccRecorder.hpp"
#include "bridge/room/DownTrack.hpp"
#include "bridge/room/PublishedTrack.hpp"
#include "bridge/room/Room.hpp"
#include "bridge/room/SubscriberNegotiation.hpp"
#include "media/sdp/SessionDescription.hpp"
#include "media/transport/MediaEngine.hpp"
#include "media/transport/WebRtcTransport.hpp"

namespace diemcau::bridge {

class Participant {
 public:
  /// Called on the worker; may not destroy the participant synchronously.
  class Listener {
   public:
    virtual ~Listener() = default;
    virtual void onParticipantCandidate(Participant& participant, TransportKind transport,
                                        const std::string& candidate, const std::string& mid) = 0;
    virtual void onParticipantTransportFailed(Participant& participant, TransportKind transport,
                                              std::string_view reason) = 0;
    virtual void onParticipantSubscriberOffer(Participant& participant, uint32_t version,
                                              std::shared_ptr<const media::sdp::SessionDescription> offer) = 0;
    /// A connection that had failed is up again after an ICE restart.
    virtual void onParticipantTransportRecovered(Participant& /*participant*/, TransportKind /*transport*/) {}
  };
  /// The publish answer (and the tracks it created, in publishedTracks()), or an error.
  using PublishDone = std::function<void(std::string answerSdp, std::optional<Room::Error> error)>;

  /// `clock`: the room's, which outlives the participant.
  Participant(media::MediaEngine& engine, media::Worker& worker, ParticipantInfo info, Listener& listener,
              const Room::Clock& clock);
  ~Participant();
  Participant(const Participant&) = delete;
  Participant& operator=(const Participant&) = delete;

  const ParticipantInfo& info() const { return info_; }
  /// Gathers the subscribe connection's candidates; the first offer follows.
  void start();

  /// Replaces the publish connection and its tracks (the caller has unrouted the old tracks).
  void publish(const std::string& offerSdp, PublishDone done);
  const std::vector<std::unique_ptr<PublishedTrack>>& publishedTracks() const { return published_; }
  /// Destroys the published tracks (the caller has unrouted them); returns what they were.
  std::vector<TrackInfo> clearPublished();

  /// What this participant receives from now on; adds and removes downstream tracks and queues a
  /// renegotiation when that changes anything.
  void setSubscriptions(const std::vector<PublishedTrack*>& wanted);
  /// Adds these to what it receives (those it has already are skipped); as setSubscriptions()
  /// when nothing is to be removed, without looking at the other subscriptions.
  void addSubscriptions(const std::vector<PublishedTrack*>& more);
  std::optional<Room::Error> subscriberAnswer(uint32_t version, const std::string& sdp);
  std::optional<Room::Error> subscriberAnswer(uint32_t version, const media::sdp::SessionDescription& answer);
  std::optional<Room::Error> addRemoteCandidate(TransportKind transport, const std::string& candidate);

  /// A publish offer that only changes the ICE credentials of the live publish connection (same
  /// fingerprint, same sections): restarts its ICE, keeps the tracks, returns the answer. nullopt
  /// when the offer is anything else (the caller publishes it as new).
  std::optional<std::string> restartPublishIce(const std::string& offerSdp);
  /// Restarts the subscribe connection's ICE; a subscriber offer with the new credentials follows.
  std::optional<Room::Error> restartSubscribeIce();

  /// The height this participant shows track `trackId` at (0: no limit), for its layer choice.
  void setVideoSize(const std::string& trackId, uint16_t height);

  /// Periodic work: held-back keyframe requests; with `reports`, RR upstream and SR downstream.
  void onTick(int64_t nowUs, bool reports);
  /// Where the room's tick places this participant's periodic work (bridge/room/TickSchedule.hpp).
  void setTickSlot(unsigned slot) { tickSlot_ = slot; }
  unsigned tickSlot() const { return tickSlot_; }
  ParticipantStats stats() const;

 private:
  class TransportEvents final : public media::WebRtcTransport::Listener {
   public:
    TransportEvents(Participant& owner, TransportKind kind) : owner_(owner), kind_(kind) {}
    void onTransportCandidate(const std::string& candidate) override;
    void onTransportConnected() override;
    void onTransportClosed(std::string_view reason) override;
    void onTransportDisconnected(std::string_view reason) override;
    void onTransportRecovered() override;
    void onRtp(media::rtp::RtpPacket& packet) override;
    void onRtcp(uint8_t* data, size_t len) override;

   private:
    Participant& owner_;
    TransportKind kind_;
  };
  /// The least time between two subscriber offers (the first excepted): per section of the
  /// offer, within these bounds (a 150-site meeting: about 0.6 s for a site, 1 s for the hall).
  static constexpr int64_t kOfferSpacingPerSectionUs = 4'000;
  static constexpr int64_t kMinOfferSpacingUs = 200'000;
  static constexpr int64_t kMaxOfferSpacingUs = 1'000'000;

  /// A downstream track for `track`, negotiated in the next offer; false when none can be made.
  bool subscribe(PublishedTrack& track);

  struct Subscription {
    std::string trackId;
    std::unique_ptr<DownTrack> down;
  };

  void answerPublish();
  void failPublish(std::string code, std::string message);
  void maybeOffer();
  uint32_t newSsrc();
  void onConnected(TransportKind kind);
  void onPublishRtp(media::rtp::RtpPacket& packet);
  void onPublishRtcp(const uint8_t* data, size_t len);
  void onSubscribeRtcp(const uint8_t* data, size_t len);
  DownTrack* findDownTrack(uint32_t ssrc) const;
  void sendReports(int64_t nowUs);
  // Simulcast and bandwidth (ParticipantBandwidth.cpp).
  void addSimulcastLayers(PublishedTrack& primary, const TrackInfo& info, const media::sdp::NegotiatedMedia& media);
  void logDownlinkLoss(const DownlinkEstimate::Loss& loss, const char* source, int64_t nowUs) const;
  void onReportedLoss(const DownTrack::LossDelta& loss, int64_t nowUs);
  void sampleNackLoss(int64_t nowUs);
  void allocateBandwidth(int64_t nowUs);
  int maxRankFor(const PublishedTrack& source, const BandwidthAllocator::Track& track) const;
  void startTransportFeedback(const std::vector<media::sdp::NegotiatedMedia>& negotiated);
  void sendTransportFeedback();

  media::MediaEngine& engine_;
  media::Worker& worker_;
  ParticipantInfo info_;
  Listener& listener_;
  const Room::Clock& clock_;
  // Before the SSRCs: the constructor draws them through newSsrc().
  std::mt19937 random_;
  std::vector<uint32_t> usedSsrcs_;
  uint32_t publishRtcpSsrc_;
  uint32_t subscribeRtcpSsrc_;
  TransportEvents publishEvents_{*this, TransportKind::Publish};
  TransportEvents subscribeEvents_{*this, TransportKind::Subscribe};
  // Transports before tracks: the tracks, destroyed first, refer to them.
  std::unique_ptr<media::WebRtcTransport> publish_;
  std::unique_ptr<media::WebRtcTransport> subscribe_;
  media::sdp::SessionDescription publishOffer_;
  PublishDone publishDone_;
  std::string publishMid_;
  bool publishAnswered_ = false;
  bool subscribeGathered_ = false;
  bool subscribeOffered_ = false;
  bool subscribeRemoteSet_ = false;
  std::string subscribeMid_;
  SubscriberNegotiation negotiation_;
  int64_t lastOfferUs_ = 0;
  bool offerDeferred_ = false;  // a renegotiation waits for onTick (the offer spacing)
  unsigned tickSlot_ = 0;
  std::vector<std::unique_ptr<PublishedTrack>> published_;
  std::vector<Subscription> subscriptions_;
  uint32_t rttMs_ = 0;
  uint8_t downFractionLost_ = 0;  // RFC 3550 §6.4.1 fraction lost, 1/256 units
  uint64_t unknownPackets_ = 0;
  DownlinkEstimate downlink_;
  std::unique_ptr<TwccRecorder> twcc_ = std::make_unique<TwccRecorder>();
  uint8_t twccExtensionId_ = 0;  // 0: the publish connection negotiated no transport-wide CC
  std::map<std::string, uint16_t, std::less<>> videoHeights_;  // track id → displayed height
  int64_t lastAllocationUs_ = 0;
  // allocateBandwidth()'s working storage, kept between ticks.
  std::vector<BandwidthAllocator::Track> allocationTracks_;
  std::vector<DownTrack*> allocationDowns_;
  std::vector<int> allocationChosen_;
};

}  // namespace diemcau::bridge
