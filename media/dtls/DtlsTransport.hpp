#pragma once

#include <openssl/ssl.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "media/dtls/DtlsContext.hpp"
#include "media/dtls/DtlsDatagramBio.hpp"
#include "media/dtls/DtlsRole.hpp"
#include "media/dtls/DtlsState.hpp"
#include "media/dtls/OpenSslHandles.hpp"
#include "media/dtls/SrtpKeyMaterial.hpp"

namespace diemcau::media {

/**
 * DTLS-SRTP handshake for one WebRTC transport (RFC 5764, RFC 5763), over memory BIOs: no socket, no thread.
 *
 *     ICE (wire) --receive()--> [rbio: memory] --> SSL --> [wbio: DtlsDatagramBio] --onDtlsSend()--> ICE
 *                                                   |
 *                                  handshake done, fingerprint ok --onDtlsConnected(keys)--> SrtpSession x2
 *
 * The owner feeds DTLS records (RFC 7983 demux already done), sends what onDtlsSend() hands out, and drives
 * retransmissions: after every call, arm a timer for timeout() and call handleTimeout() when it fires.
 * Everything runs on the owning worker thread; the data-plane methods never throw.
 */
class DtlsTransport : private DtlsDatagramBio::Sink {
 public:
  /**
   * Called synchronously from inside DtlsTransport methods, on the owning worker thread. The listener must not
   * call back into this transport from onDtlsSend, and must not destroy it from any callback (defer it).
   */
  class Listener {
   public:
    virtual ~Listener() = default;
    /** Put this datagram on the wire (ICE); the span is valid only during the call. */
    virtual void onDtlsSend(std::span<const uint8_t> datagram) = 0;
    /** Handshake done and the peer certificate matches the SDP fingerprint. */
    virtual void onDtlsConnected(const SrtpKeyMaterial& keys) = 0;
    virtual void onDtlsFailed(std::string_view reason) = 0;
    /** The peer sent close_notify. */
    virtual void onDtlsClosed() = 0;
  };

  DtlsTransport(DtlsContext& context, Listener& listener);
  ~DtlsTransport() override;

  DtlsTransport(const DtlsTransport&) = delete;
  DtlsTransport& operator=(const DtlsTransport&) = delete;

  /**
   * Starts the handshake: as Client sends the ClientHello at once, as Server waits for one.
   * `remoteFingerprint` is the SDP `a=fingerprint` of the peer, checked once the handshake completes.
   * Only valid in state New; otherwise ignored.
   */
  void start(DtlsRole role, std::string remoteFingerprintAlgorithm, std::string remoteFingerprint);

  /** Feeds one datagram of DTLS records from the wire; coalesced records are all processed. */
  void receive(std::span<const uint8_t> datagram) noexcept;

  /** How long until handleTimeout() must be called; nullopt when no timer is needed. */
  std::optional<std::chrono::milliseconds> timeout() const noexcept;

  /** Retransmits a lost flight, or fails the handshake once it has taken too long. */
  void handleTimeout() noexcept;

  /** Sends close_notify and moves to Closed (no onDtlsClosed: that reports the peer closing). */
  void close() noexcept;

  DtlsState state() const noexcept { return state_; }
  std::optional<DtlsRole> role() const noexcept { return role_; }

 private:
  void onDatagram(std::span<const uint8_t> datagram) noexcept override;
  std::size_t maxDatagramSize() const noexcept override { return context_.options().mtu; }
  static unsigned int onTimer(SSL* ssl, unsigned int previousUs) noexcept;

  void continueHandshake() noexcept;
  void completeHandshake() noexcept;
  void readApplicationData() noexcept;
  void onPeerClosed() noexcept;
  void fail(std::string_view reason) noexcept;

  DtlsContext& context_;
  Listener& listener_;
  SslPtr ssl_;
  BIO* readBio_ = nullptr;  // owned by ssl_
  DtlsState state_ = DtlsState::New;
  std::optional<DtlsRole> role_;
  std::string remoteFingerprintAlgorithm_;
  std::string remoteFingerprint_;
  std::chrono::steady_clock::time_point handshakeDeadline_{};
};

}  // namespace diemcau::media
