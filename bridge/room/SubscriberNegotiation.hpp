#pragma once
// The m-sections of one subscriber connection and the offer/answer exchange that keeps them in
// step with what the participant receives. The bridge is the offerer (RFC 3264 section 8):
//   - a section, once offered, stays for the life of the connection (unified plan never removes
//     one, JSEP section 5.2.2); a section whose track is gone becomes `inactive`, and is reused for a
//     later track of the same kind once the receiver has answered an offer showing it inactive (so
//     the receiver sees the old track end before a new one begins in that section);
//   - at most one offer is outstanding; changes made meanwhile produce one new offer after the
//     answer.
// Plain SDP work, no transport: testable on its own.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bridge/room/BridgeCodecs.hpp"
#include "media/sdp/Answer.hpp"
#include "media/sdp/LocalTransportParams.hpp"
#include "media/sdp/NegotiatedMedia.hpp"

namespace diemcau::bridge {

class SubscriberNegotiation {
 public:
  explicit SubscriberNegotiation(std::string sessionId) : sessionId_(std::move(sessionId)) {}

  /// Places `trackId` in a section (a free one of the same kind, or a new one) and returns its mid.
  std::string assign(const std::string& trackId, const BridgeCodec& codec, const media::sdp::SendStream& stream);
  /// The track's section becomes inactive in the next offer.
  void release(const std::string& trackId);

  /// True when the sections changed since the last offer and no offer is outstanding.
  bool needsOffer() const { return dirty_ && !outstanding_; }
  /// True once some section carries a track.
  bool hasTracks() const {
    for (const auto& slot : slots_) {
      if (slot.trackId) return true;
    }
    return false;
  }
  bool outstanding() const { return outstanding_; }
  /// The transport changed (an ICE restart): the next offer is due even with the same sections.
  void requestOffer() { dirty_ = true; }
  uint32_t version() const { return version_; }

  /// The next offer (version() + 1), with `local`'s credentials and candidates. Shared and never
  /// changed afterwards, so its text can be written on another thread (a large meeting's offer
  /// holds a section per track: writing it was the room worker's largest cost while sites joined).
  std::shared_ptr<const media::sdp::SessionDescription> createOfferDescription(const media::sdp::LocalTransportParams& local);
  /// The same, written out.
  std::string createOffer(const media::sdp::LocalTransportParams& local);
  /// Applies the answer to the outstanding offer `version`. Throws media::sdp::SdpError
  /// (invalid_answer for a stale version or no outstanding offer).
  std::vector<media::sdp::NegotiatedMedia> applyAnswer(uint32_t version, const media::sdp::SessionDescription& answer);

  /// The mid a track is in, if any.
  std::optional<std::string> midOf(const std::string& trackId) const;
  size_t sectionCount() const { return slots_.size(); }

 private:
  struct Slot {
    std::string mid;
    BridgeCodec codec;
    std::optional<std::string> trackId;
    media::sdp::SendStream stream;
    uint32_t inactiveSince = 0;  // version of the first offer that showed it free; 0: not yet offered
  };

  std::string sessionId_;
  std::vector<Slot> slots_;
  uint32_t nextMid_ = 0;
  uint32_t version_ = 0;
  uint32_t answeredVersion_ = 0;
  bool dirty_ = true;  // the first offer is always due
  bool outstanding_ = false;
  std::shared_ptr<const media::sdp::SessionDescription> offer_;  // the last one created
};

}  // namespace diemcau::bridge
