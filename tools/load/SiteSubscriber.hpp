#pragma once
// The subscribe connection of a simulated site: answers the server's offers (the first creates
// the transport; later ones renegotiate it), counts every stamped packet it receives in a ledger
// per source stream, records one-way latency, and sends RTCP as a browser would: a receiver
// report every second and a PLI for a video stream that stays silent after an offer.
//
// Worker thread only.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "media/ice/ClientMux.hpp"
#include "media/sdp/SessionDescription.hpp"
#include "media/transport/MediaEngine.hpp"
#include "media/transport/WebRtcTransport.hpp"
#include "tools/load/SsrcTable.hpp"
#include "tools/load/RtcpRound.hpp"
#include "tools/load/StreamLedger.hpp"
#include "tools/load/WorkerStats.hpp"

namespace diemcau::load {

class SiteSubscriber final : private media::WebRtcTransport::Listener, private RtcpRound::Member {
 public:
  class Listener {
   public:
    virtual ~Listener() = default;
    virtual void onSubscribeAnswer(uint32_t version, std::string sdp) = 0;
    virtual void onSubscribeFailed(std::string reason) = 0;
    /// The first stamped media packet arrived.
    virtual void onFirstMedia(int64_t nowNs) = 0;
  };

  /// `ledgerSlots`: source slots [0, ledgerSlots) that may publish; packets of other slots count
  /// as received but have no ledger.
  /// `clientMux` (may be null): the worker's minimal ICE client, which the connection uses when there
  /// is one (checking a lite peer, or answering a full peer's checks as ICE-lite); libnice otherwise.
  /// `rtcpRound`: the worker's, which has the receiver reports sent while the connection is up.
  /// `slot`: the receiving site's, for the latency trace.
  SiteSubscriber(media::MediaEngine& engine, media::Worker& worker, WorkerStats& stats, uint16_t slot,
                 size_t ledgerSlots, media::ClientMux* clientMux, RtcpRound& rtcpRound, Listener& listener);
  ~SiteSubscriber() override;

  void onOffer(uint32_t version, const std::string& sdp);
  void addRemoteCandidate(const std::string& candidate);
  void close();

  /// By slot * 2 + kind.
  const std::vector<StreamLedger>& ledgers() const { return ledgers_; }
  bool connected() const { return connected_; }

 private:
  void onTransportCandidate(const std::string&) override {}
  void onTransportConnected() override;
  void onTransportClosed(std::string_view reason) override;
  void onRtp(media::rtp::RtpPacket& packet) override;
  void onRtcp(uint8_t*, size_t) override {}
  void addReceiveLines(media::CacheLines& lines) const noexcept override;

  void answer();
  std::unique_ptr<media::WebRtcTransport> makeTransport(bool remoteLite);
  void sendRtcp();
  void onRtcpDue() override { sendRtcp(); }
  void leaveRound();

  media::MediaEngine& engine_;
  media::Worker& worker_;
  WorkerStats& stats_;
  uint16_t slot_;
  media::ClientMux* clientMux_;
  Listener& listener_;
  std::unique_ptr<media::WebRtcTransport> transport_;
  bool gathered_ = false;
  bool connected_ = false;
  bool closed_ = false;
  bool gotMedia_ = false;
  std::optional<std::pair<uint32_t, media::sdp::SessionDescription>> pending_;
  std::vector<std::string> earlyCandidates_;
  SsrcTable ssrcs_;
  int64_t offerAppliedNs_ = 0;
  std::vector<StreamLedger> ledgers_;
  size_t lastLedger_ = 0;  // the ledger of the last packet (addReceiveLines)
  RtcpRound& rtcpRound_;
  bool inRound_ = false;
  uint32_t rtcpSsrc_;
};

}  // namespace diemcau::load
