#include "media/transport/WebRtcTransport.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <stdexcept>

#include "media/dtls/DtlsContext.hpp"
#include "media/ice/IceTransport.hpp"
#include "media/ice/LiteIceTransport.hpp"
#include "media/worker/Worker.hpp"

namespace diemcau::media {

namespace {
// RFC 7983 §7: the first byte tells the protocol of a datagram on a multiplexed 5-tuple.
bool isDtlsByte(uint8_t b) { return b >= 20 && b <= 63; }
bool isRtpByte(uint8_t b) { return b >= 128 && b <= 191; }

std::unique_ptr<IceLink> makeIceLink(Worker& worker, const IceConfig& ice, UdpMux* mux, IceLink::Listener& listener) {
  if (mux != nullptr) return std::make_unique<LiteIceTransport>(*mux, ice, listener);
  return std::make_unique<IceTransport>(worker, ice, listener);
}
}  // namespace

WebRtcTransport::WebRtcTransport(Worker& worker, DtlsContext& dtls, const IceConfig& ice, Listener& listener,
                                 UdpMux* mux)
    : WebRtcTransport(makeIceLink(worker, ice, mux, *this), worker, dtls, listener) {}

WebRtcTransport::WebRtcTransport(Worker& worker, DtlsContext& dtls, Listener& listener, const IceLinkFactory& makeLink)
    : WebRtcTransport(makeLink(*this), worker, dtls, listener) {}

WebRtcTransport::WebRtcTransport(std::unique_ptr<IceLink> link, Worker& worker, DtlsContext& dtls,
                                 Listener& listener)
    : worker_(worker),
      listener_(listener),
      ice_(std::move(link)),
      dtls_(dtls, *this),
      dtlsTimer_(worker, [this] {
        dtls_.handleTimeout();
        armDtlsTimer();
      }) {
  if (!ice_) throw std::invalid_argument("transport: the ICE link factory made no link");
}

bool WebRtcTransport::iceControlling() const { return ice_->controlling(); }

WebRtcTransport::~WebRtcTransport() {
  // Silent: closing ICE reports IceState::Closed, which must not reach a listener that is usually
  // being destroyed itself (its owner is what destroys us).
  state_ = TransportState::Closed;
  dtlsTimer_.stop();
  ice_->close();
}

void WebRtcTransport::gather(std::function<void()> done) {
  gatheringDone_ = std::move(done);
  ice_->gather();
}

void WebRtcTransport::setRemote(const RemoteParams& remote) {
  remote_ = remote;
  remoteSet_ = true;
  // RFC 8445 §6.1.1: with a lite peer the full agent controls, even when it answered the peer's
  // offer. libnice takes the change only before gathering starts its checks, so an answerer gives
  // the offer before gather() (the load tool does); an offerer is controlling from the start.
  if (remote.iceLite) ice_->setControlling(true);
  ice_->setRemoteCredentials(remote.iceUfrag, remote.icePwd);
  if (state_ == TransportState::New) state_ = TransportState::Connecting;
  // The peer may already be talking: as the DTLS client of a connection we offered, it sends its
  // ClientHello as soon as its own ICE check succeeds, which can be before its answer reaches us.
  if (iceConnected_ || earlyDtlsLen_ > 0) startDtls();
  if (earlyDtlsLen_ > 0) {
    const size_t len = std::exchange(earlyDtlsLen_, 0);
    dtls_.receive({earlyDtls_.data(), len});
    armDtlsTimer();
  }
}

void WebRtcTransport::startDtls() {
  if (dtlsStarted_ || !remoteSet_) return;
  dtlsStarted_ = true;
  dtls_.start(remote_.localDtlsRole, remote_.fingerprintAlgorithm, remote_.fingerprint);
  armDtlsTimer();
}

void WebRtcTransport::close(std::string_view reason) {
  if (state_ == TransportState::Closed) return;
  if (dtlsStarted_) dtls_.close();
  dtlsTimer_.stop();
  state_ = TransportState::Closed;
  ice_->close();
  spdlog::debug("transport {} closed: {} (dtls {}, rtp in/out {}/{}, send failures {}, srtp errors {}, malformed {})",
                ice_->localUfrag(), reason, dtlsStarted_ ? "started" : "not started", stats_.rtpReceived,
                stats_.rtpSent, stats_.sendFailures, stats_.srtpErrors, stats_.malformed);
}

void WebRtcTransport::restartIce() {
  if (state_ == TransportState::Closed) return;
  iceConnected_ = false;
  ice_->restart();
  if (state_ == TransportState::Connected) state_ = TransportState::Disconnected;
  spdlog::debug("transport: ICE restarted, new local ufrag {}", ice_->localUfrag());
}

bool WebRtcTransport::setRemoteIceCredentials(const std::string& ufrag, const std::string& pwd) {
  if (state_ == TransportState::Closed || (ufrag == remote_.iceUfrag && pwd == remote_.icePwd)) return false;
  remote_.iceUfrag = ufrag;
  remote_.icePwd = pwd;
  ice_->setRemoteCredentials(ufrag, pwd);
  return true;
}

void WebRtcTransport::onIceCandidate(const std::string& sdpCandidate) {
  listener_.onTransportCandidate(sdpCandidate);
}

void WebRtcTransport::onIceGatheringDone() {
  if (gatheringDone_) std::exchange(gatheringDone_, nullptr)();
}

void WebRtcTransport::onIceStateChanged(IceState state) {
  if (state_ == TransportState::Closed) return;
  switch (state) {
    case IceState::Connected:
      iceConnected_ = true;
      if (dtlsDone_) {
        // Back after an ICE restart: the SRTP contexts carried over, media flows at once.
        if (state_ != TransportState::Connected) {
          state_ = TransportState::Connected;
          listener_.onTransportRecovered();
        }
        break;
      }
      if (state_ == TransportState::Disconnected) {
        // ICE failed during the handshake and a restart found a path: go on with the handshake.
        state_ = TransportState::Connecting;
        armDtlsTimer();
      }
      // The DTLS client speaks first once a path exists (RFC 5763 §5); a server waits for ClientHello.
      startDtls();
      break;
    case IceState::Failed:
      iceConnected_ = false;
      if (state_ == TransportState::Disconnected) break;
      state_ = TransportState::Disconnected;
      dtlsTimer_.stop();
      listener_.onTransportDisconnected("ICE failed: the peer stopped answering connectivity checks");
      break;
    case IceState::Closed:
      fail("ICE closed");
      break;
    default:
      break;
  }
}

void WebRtcTransport::onIcePacket(uint8_t* data, size_t len) {
  if (len == 0 || state_ == TransportState::Closed) return;
  stats_.bytesReceived += len;
  const uint8_t first = data[0];
  if (isRtpByte(first)) {
    onSrtpPacket(data, len);
  } else if (isDtlsByte(first)) {
    if (!remoteSet_) {
      // Before the remote description there is no fingerprint to check the peer against: keep the
      // latest flight (a ClientHello fits one datagram) and replay it when the description arrives.
      if (len <= earlyDtls_.size()) {
        std::copy(data, data + len, earlyDtls_.data());
        earlyDtlsLen_ = len;
      }
      return;
    }
    // A ClientHello can overtake our own view of ICE completion: start the server role now.
    startDtls();
    dtls_.receive({data, len});
    armDtlsTimer();
  } else {
    ++stats_.malformed;
  }
}

void WebRtcTransport::onSrtpPacket(uint8_t* data, size_t len) {
  if (!srtpIn_) {
    ++stats_.malformed;  // media before the handshake finished: nothing can decrypt it
    return;
  }
  if (rtp::isRtcp(data, len)) {
    if (srtpIn_->unprotectRtcp(data, len) != SrtpResult::Ok) {
      ++stats_.srtpErrors;
      return;
    }
    ice_->noteAuthenticated();  // RFC 7675 consent: only what proves the peer holds the keys
    ++stats_.rtcpReceived;
    listener_.onRtcp(data, len);
    return;
  }
  if (srtpIn_->unprotectRtp(data, len) != SrtpResult::Ok) {
    ++stats_.srtpErrors;
    return;
  }
  ice_->noteAuthenticated();
  auto packet = rtp::RtpPacket::parse(data, len);
  if (!packet) {
    ++stats_.malformed;
    return;
  }
  ++stats_.rtpReceived;
  listener_.onRtp(*packet);
}

void WebRtcTransport::onDtlsSend(std::span<const uint8_t> datagram) {
  if (ice_->send(datagram.data(), datagram.size()) < 0) ++stats_.sendFailures;
}

void WebRtcTransport::onDtlsConnected(const SrtpKeyMaterial& keys) {
  try {
    srtpIn_ = std::make_unique<SrtpSession>(keys.profile, keys.remoteKeySalt, SrtpSession::Direction::Inbound);
    srtpOut_ = std::make_unique<SrtpSession>(keys.profile, keys.localKeySalt, SrtpSession::Direction::Outbound);
  } catch (const std::exception& e) {
    fail(std::string("SRTP setup failed: ") + e.what());
    return;
  }
  // The flight that completed the handshake is the DTLS that counts for consent: its Finished
  // authenticates the whole handshake and the peer's certificate matched the fingerprint. Records
  // before it prove nothing (a ClientHello is plaintext anyone can send), and OpenSSL does not say
  // per record whether one after it authenticated (SRTP and SRTCP carry consent from then on).
  ice_->noteAuthenticated();
  dtlsTimer_.stop();
  dtlsDone_ = true;
  state_ = TransportState::Connected;
  listener_.onTransportConnected();
}

void WebRtcTransport::onDtlsFailed(std::string_view reason) { fail(std::string("DTLS failed: ").append(reason)); }

void WebRtcTransport::onDtlsClosed() { fail("the peer closed DTLS"); }

void WebRtcTransport::fail(std::string_view reason) {
  if (state_ == TransportState::Closed) return;
  state_ = TransportState::Closed;
  dtlsTimer_.stop();
  listener_.onTransportClosed(reason);
}

void WebRtcTransport::armDtlsTimer() {
  if (state_ == TransportState::Connected || state_ == TransportState::Closed) return;
  if (auto timeout = dtls_.timeout()) {
    dtlsTimer_.start(std::max(*timeout, std::chrono::milliseconds(1)));
  }
}

bool WebRtcTransport::readyToSend(size_t len) {
  if (state_ != TransportState::Connected || !srtpOut_ || len > kMaxPacket) {
    ++stats_.sendFailures;
    return false;
  }
  return true;
}

bool WebRtcTransport::sendRtcp(const uint8_t* data, size_t len) {
  if (!readyToSend(len)) return false;
  const std::span<uint8_t> out = sendSpace(len);
  std::copy(data, data + len, out.data());
  return protectAndSend(out, len, /*rtcp=*/true);
}

void WebRtcTransport::addReceiveLines(CacheLines& lines) const noexcept {
  lines.add(static_cast<const IceLink::Listener*>(this));  // the table onIcePacket is called through
  lines.addMembers(ice_, srtpIn_);  // ice_ to srtpIn_, declared together; listener_ just before
  if (srtpIn_) srtpIn_->addUnprotectLines(lines);
  listener_.addReceiveLines(lines);
}

void WebRtcTransport::addSendLines(CacheLines& lines) const noexcept {
  lines.addMembers(ice_, stats_);  // ice_, srtpOut_, state_ and stats_, declared together
  ice_->addSendLines(lines);
  if (srtpOut_) srtpOut_->addProtectLines(lines);
}

std::span<uint8_t> WebRtcTransport::sendSpace(size_t len) {
  const std::span<uint8_t> slot = ice_->reserveSend(len + kSrtpMaxTrailer);
  return slot.empty() ? std::span<uint8_t>(sendBuffer_) : slot;
}

bool WebRtcTransport::protectAndSend(std::span<uint8_t> buffer, size_t len, bool rtcp) {
  const SrtpResult result = rtcp ? srtpOut_->protectRtcp(buffer.data(), len, buffer.size())
                                 : srtpOut_->protectRtp(buffer.data(), len, buffer.size());
  const bool inSlot = buffer.data() != sendBuffer_.data();
  if (result != SrtpResult::Ok || (inSlot ? ice_->commitSend(len) : ice_->send(buffer.data(), len)) < 0) {
    ++stats_.sendFailures;
    return false;
  }
  rtcp ? ++stats_.rtcpSent : ++stats_.rtpSent;
  stats_.bytesSent += len;
  return true;
}

}  // namespace diemcau::media
