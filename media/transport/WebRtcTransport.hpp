#pragma once
// One WebRTC connection of a participant: ICE + DTLS + SRTP over one BUNDLEd, rtcp-muxed 5-tuple.
//
//   network ── IceLink (libnice agent, or the worker's UdpMux) ──► demux by first byte (RFC 7983 §7)
//                                          ├─ 20..63   ► DtlsTransport (handshake only) ──► SRTP keys
//                                          └─ 128..191 ► SrtpSession (decrypt in place)
//                                                          ├─ RTCP (RFC 5761 §4) ► Listener::onRtcp
//                                                          └─ RTP                ► Listener::onRtp
//   send: copy into the ICE-lite mux's send slot (IceLink::reserveSend, during a receive batch) or
//         else this transport's scratch buffer ─► rewrite ─► SRTP protect in place ─► commit / send
//
// Lives on one media worker: every method and every listener call happens on that worker's thread.
#include <array>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "media/dtls/DtlsTransport.hpp"
#include "media/ice/IceLink.hpp"
#include "media/ice/IceConfig.hpp"
#include "media/rtp/RtpDemux.hpp"
#include "media/rtp/RtpPacket.hpp"
#include "media/srtp/SrtpSession.hpp"
#include "media/transport/TransportStats.hpp"
#include "media/worker/Timer.hpp"

namespace diemcau::media {

class Worker;
class DtlsContext;
class UdpMux;

/// Disconnected: ICE failed or consent was lost after the connection had been set up; the DTLS
/// session and SRTP keys are kept, and restartIce() can bring the connection back.
enum class TransportState { New, Connecting, Connected, Disconnected, Closed };

class WebRtcTransport final : private IceLink::Listener, private DtlsTransport::Listener {
 public:
  /// Called on the worker thread. A listener may destroy the transport only from onTransportClosed
  /// by posting the destruction, never synchronously inside the callback.
  class Listener {
   public:
    virtual ~Listener() = default;
    virtual void onTransportCandidate(const std::string& sdpCandidate) = 0;
    virtual void onTransportConnected() = 0;
    /// ICE failed (consent lost), DTLS failed, or the peer closed. No more packets will arrive.
    virtual void onTransportClosed(std::string_view reason) = 0;
    /// ICE failed or consent was lost (RFC 7675). No packet arrives until restartIce() succeeds; a
    /// listener that does not restart treats this as closed, which is what the default does.
    virtual void onTransportDisconnected(std::string_view reason) { onTransportClosed(reason); }
    /// A restarted ICE found a path again; the DTLS session and SRTP keys carried over.
    virtual void onTransportRecovered() {}
    /// A decrypted RTP packet; the view points into a buffer valid only during the call.
    virtual void onRtp(rtp::RtpPacket& packet) = 0;
    /// A decrypted RTCP compound packet, valid only during the call.
    virtual void onRtcp(uint8_t* data, size_t len) = 0;
    /// Adds the lines onRtp() touches (CacheLines; see IceLink::Listener::addReceiveLines); by
    /// default none.
    virtual void addReceiveLines(CacheLines& lines) const noexcept { (void)lines; }
  };

  struct RemoteParams {
    std::string iceUfrag;
    std::string icePwd;
    std::string fingerprintAlgorithm;
    std::string fingerprint;
    DtlsRole localDtlsRole = DtlsRole::Server;
    /// The remote description carries a=ice-lite (RFC 8839 §5.3): the peer never checks, so a
    /// full-ICE transport takes the controlling role (RFC 8445 §6.1.1) whichever side offered.
    bool iceLite = false;
  };

  /// `mux` null: full ICE on the transport's own libnice agent (IceTransport). Otherwise ICE-lite
  /// on that worker's shared UDP socket (LiteIceTransport); `mux` must belong to `worker`.
  WebRtcTransport(Worker& worker, DtlsContext& dtls, const IceConfig& ice, Listener& listener,
                  UdpMux* mux = nullptr);
  /// Any other ICE link, made by `makeLink` for this transport (e.g. a ClientIceTransport on the
  /// worker's ClientMux). The link must live on `worker`.
  using IceLinkFactory = std::function<std::unique_ptr<IceLink>(IceLink::Listener&)>;
  WebRtcTransport(Worker& worker, DtlsContext& dtls, Listener& listener, const IceLinkFactory& makeLink);
  ~WebRtcTransport() override;
  WebRtcTransport(const WebRtcTransport&) = delete;
  WebRtcTransport& operator=(const WebRtcTransport&) = delete;

  const std::string& localUfrag() const { return ice_->localUfrag(); }
  const std::string& localPwd() const { return ice_->localPwd(); }
  std::vector<std::string> localCandidates() const { return ice_->localCandidates(); }
  /// True when ICE is ICE-lite on the worker's shared socket: descriptions carry a=ice-lite.
  bool iceLite() const { return ice_->lite(); }
  /// The ICE role asked for: true when this side nominates (RFC 8445 §6.1.1); a lite transport
  /// never does. A remote description with a=ice-lite makes a full transport controlling; give it
  /// before gather(), as libnice changes the role only until its checks start.
  bool iceControlling() const;

  /// Starts gathering; `done` runs (on the worker) once host candidates are known.
  void gather(std::function<void()> done);
  void setRemote(const RemoteParams& remote);
  bool addRemoteCandidate(const std::string& sdpCandidate) { return ice_->addRemoteCandidate(sdpCandidate); }
  void remoteGatheringDone() { ice_->remoteGatheringDone(); }
  void close(std::string_view reason);

  /// ICE restart (RFC 8445 §9, RFC 8839 §4.4.1.1.1): new local ufrag/pwd, the peer's candidates
  /// forgotten. Local candidates are kept, so a description written right after holds them. The
  /// DTLS association and the SRTP keys stay (RFC 8842 §4: only a new fingerprint or setup would
  /// renegotiate them). Then give the peer's new credentials with setRemoteIceCredentials().
  void restartIce();
  /// The peer's credentials after a restart (either side's). Returns false when they are unchanged.
  bool setRemoteIceCredentials(const std::string& ufrag, const std::string& pwd);
  const std::string& remoteIceUfrag() const { return remote_.iceUfrag; }
  const std::string& remoteFingerprint() const { return remote_.fingerprint; }

  /// Copies `len` bytes of a plain RTP packet into the send buffer, lets `rewrite` change the copy
  /// (SSRC, sequence number, timestamp...), protects it and sends it. Never throws, never allocates.
  template <typename Rewrite>
  bool sendRtp(const uint8_t* data, size_t len, Rewrite&& rewrite) {
    if (!readyToSend(len)) return false;
    const std::span<uint8_t> out = sendSpace(len);
    std::copy(data, data + len, out.data());
    auto packet = rtp::RtpPacket::parse(out.data(), len);
    if (!packet) return false;
    rewrite(*packet);
    return protectAndSend(out, len, /*rtcp=*/false);
  }
  /// Protects and sends one RTCP compound packet built by the caller (copied, so `data` may be const).
  bool sendRtcp(const uint8_t* data, size_t len);

  TransportState state() const { return state_; }
  const TransportStats& stats() const { return stats_; }

  /// Adds the lines a sendRtp() touches (this transport's, its ICE path's, its SRTP sender's) to
  /// `lines`, for a fan-out to prefetch ahead of the send (CacheLines).
  void addSendLines(CacheLines& lines) const noexcept;

 private:
  // IceLink::Listener
  void onIceCandidate(const std::string& sdpCandidate) override;
  void onIceGatheringDone() override;
  void onIceStateChanged(IceState state) override;
  void onIcePacket(uint8_t* data, size_t len) override;
  void addReceiveLines(CacheLines& lines) const noexcept override;
  // DtlsTransport::Listener
  void onDtlsSend(std::span<const uint8_t> datagram) override;
  void onDtlsConnected(const SrtpKeyMaterial& keys) override;
  void onDtlsFailed(std::string_view reason) override;
  void onDtlsClosed() override;

  /// What both public constructors build on.
  WebRtcTransport(std::unique_ptr<IceLink> link, Worker& worker, DtlsContext& dtls, Listener& listener);

  void onSrtpPacket(uint8_t* data, size_t len);
  bool readyToSend(size_t len);
  /// Where the next outgoing packet is built and protected: a send slot of the ICE link when it
  /// has one free (no copy after protection), else sendBuffer_.
  std::span<uint8_t> sendSpace(size_t len);
  /// Protects `buffer`'s first `len` bytes in place and sends them (commits them when `buffer` is
  /// the link's slot).
  bool protectAndSend(std::span<uint8_t> buffer, size_t len, bool rtcp);
  void startDtls();
  void armDtlsTimer();
  void fail(std::string_view reason);

  static constexpr size_t kMaxPacket = 1500;

  Worker& worker_;
  Listener& listener_;
  std::unique_ptr<IceLink> ice_;
  // What every sent packet touches, together (addSendLines).
  std::unique_ptr<SrtpSession> srtpOut_;
  TransportState state_ = TransportState::New;
  TransportStats stats_;
  std::unique_ptr<SrtpSession> srtpIn_;
  DtlsTransport dtls_;
  Timer dtlsTimer_;
  bool iceConnected_ = false;
  bool dtlsDone_ = false;  // SRTP keys derived: an ICE restart resumes, it does not handshake again
  bool dtlsStarted_ = false;
  bool remoteSet_ = false;
  RemoteParams remote_;
  std::function<void()> gatheringDone_;
  std::array<uint8_t, kMaxPacket + kSrtpMaxTrailer> sendBuffer_{};
  std::array<uint8_t, kMaxPacket> earlyDtls_{};  // a DTLS flight that arrived before setRemote()
  size_t earlyDtlsLen_ = 0;
};

}  // namespace diemcau::media
