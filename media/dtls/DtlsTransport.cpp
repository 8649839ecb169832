#include "media/dtls/DtlsTransport.hpp"

#include <openssl/err.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <array>
#include <exception>
#include <limits>

#include "media/dtls/DtlsError.hpp"
#include "media/dtls/DtlsFingerprint.hpp"
#include "media/dtls/DtlsSrtpKeys.hpp"

namespace diemcau::media {

namespace {

// Largest datagram accepted from the wire: anything bigger is not a DTLS record we could have asked for.
constexpr std::size_t kMaxDatagram = 65535;

}  // namespace

DtlsTransport::DtlsTransport(DtlsContext& context, Listener& listener) : context_(context), listener_(listener) {}

DtlsTransport::~DtlsTransport() = default;

void DtlsTransport::start(DtlsRole role, std::string remoteFingerprintAlgorithm, std::string remoteFingerprint) {
  if (state_ != DtlsState::New) {
    spdlog::warn("dtls: start() in state {} ignored", toString(state_));
    return;
  }
  role_ = role;
  remoteFingerprintAlgorithm_ = std::move(remoteFingerprintAlgorithm);
  remoteFingerprint_ = std::move(remoteFingerprint);
  state_ = DtlsState::Connecting;
  handshakeDeadline_ = std::chrono::steady_clock::now() + context_.options().handshakeTimeout;

  ERR_clear_error();
  ssl_.reset(SSL_new(context_.native()));
  if (!ssl_) return fail("SSL_new failed");
  // Per-connection pointer for the C callbacks (timer), kept in the SSL's own ex_data.
  SSL_set_app_data(ssl_.get(), this);

  BIO* readBio = BIO_new(BIO_s_mem());
  BIO* writeBio = DtlsDatagramBio::create(context_.datagramBioMethod(), *this);
  if (readBio == nullptr || writeBio == nullptr) {
    BIO_free(readBio);
    BIO_free(writeBio);
    return fail("cannot allocate DTLS BIOs");
  }
  // An empty memory BIO must read as "retry later", not as end of file.
  BIO_set_mem_eof_return(readBio, -1);
  SSL_set_bio(ssl_.get(), readBio, writeBio);
  readBio_ = readBio;

  if (SSL_set_mtu(ssl_.get(), context_.options().mtu) <= 0) return fail("DTLS MTU below the protocol minimum");
  DTLS_set_timer_cb(ssl_.get(), &DtlsTransport::onTimer);

  if (role == DtlsRole::Client) {
    SSL_set_connect_state(ssl_.get());
    continueHandshake();
  } else {
    SSL_set_accept_state(ssl_.get());
  }
}

void DtlsTransport::receive(std::span<const uint8_t> datagram) noexcept {
  if (!ssl_ || (state_ != DtlsState::Connecting && state_ != DtlsState::Connected)) return;
  if (datagram.empty() || datagram.size() > kMaxDatagram) return;

  // Exactly one datagram sits in the read BIO while OpenSSL runs: DTLS record boundaries are per datagram.
  (void)BIO_reset(readBio_);
  if (BIO_write(readBio_, datagram.data(), static_cast<int>(datagram.size())) != static_cast<int>(datagram.size())) {
    return fail("cannot buffer incoming datagram");
  }
  if (state_ == DtlsState::Connecting) {
    continueHandshake();
  }
  // Records that followed the last handshake message in the same datagram, or post-handshake traffic
  // (close_notify, alerts, a retransmitted peer flight that needs our last flight again).
  if (state_ == DtlsState::Connected) readApplicationData();
  if (readBio_ != nullptr && ssl_) (void)BIO_reset(readBio_);
}

std::optional<std::chrono::milliseconds> DtlsTransport::timeout() const noexcept {
  using std::chrono::milliseconds;
  if (!ssl_ || (state_ != DtlsState::Connecting && state_ != DtlsState::Connected)) return std::nullopt;

  std::optional<milliseconds> result;
  timeval remaining{};
  if (DTLSv1_get_timeout(ssl_.get(), &remaining) == 1) {
    // Round up so a caller sleeping exactly this long finds the timer expired.
    const long long micros = static_cast<long long>(remaining.tv_sec) * 1000000 + remaining.tv_usec;
    result = milliseconds((micros + 999) / 1000);
  }
  if (state_ == DtlsState::Connecting) {
    // A server whose client never speaks has no DTLS timer; the deadline still applies.
    const auto untilDeadline = std::chrono::ceil<milliseconds>(handshakeDeadline_ - std::chrono::steady_clock::now());
    const milliseconds deadline = std::max(untilDeadline, milliseconds(0));
    result = result ? std::min(*result, deadline) : deadline;
  }
  return result;
}

void DtlsTransport::handleTimeout() noexcept {
  if (!ssl_ || (state_ != DtlsState::Connecting && state_ != DtlsState::Connected)) return;
  if (state_ == DtlsState::Connecting && std::chrono::steady_clock::now() >= handshakeDeadline_) {
    return fail("DTLS handshake timed out");
  }
  ERR_clear_error();
  // Returns 0 when no timer has expired yet, 1 after a retransmission, -1 after too many (peer gone).
  if (DTLSv1_handle_timeout(ssl_.get()) < 0) {
    return fail("DTLS retransmission limit reached: " + takeOpenSslErrors());
  }
}

void DtlsTransport::close() noexcept {
  if (state_ == DtlsState::Closed || state_ == DtlsState::Failed) return;
  if (ssl_ && state_ == DtlsState::Connected) {
    ERR_clear_error();
    // RFC 5246 §7.2.1: tell the peer, so it can tear down at once rather than wait for ICE consent to fail.
    (void)SSL_shutdown(ssl_.get());
  }
  state_ = DtlsState::Closed;
}

void DtlsTransport::onDatagram(std::span<const uint8_t> datagram) noexcept {
  try {
    listener_.onDtlsSend(datagram);
  } catch (const std::exception& error) {
    spdlog::error("dtls: onDtlsSend threw: {}", error.what());
  } catch (...) {
    spdlog::error("dtls: onDtlsSend threw");
  }
}

unsigned int DtlsTransport::onTimer(SSL* ssl, unsigned int previousUs) noexcept {
  const auto* self = static_cast<const DtlsTransport*>(SSL_get_app_data(ssl));
  if (self == nullptr) return 1000000;
  const auto& options = self->context_.options();
  const auto toMicros = [](std::chrono::milliseconds value) {
    const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(value).count();
    return static_cast<uint64_t>(std::clamp<int64_t>(micros, 1000, std::numeric_limits<unsigned int>::max()));
  };
  const uint64_t initialUs = toMicros(options.initialRetransmit);
  const uint64_t maxUs = std::max(initialUs, toMicros(options.maxRetransmit));
  // RFC 6347 §4.2.4.1: start at the initial value and double on each retransmission, up to the cap.
  if (previousUs == 0) return static_cast<unsigned int>(initialUs);
  return static_cast<unsigned int>(std::min(uint64_t{previousUs} * 2, maxUs));
}

void DtlsTransport::continueHandshake() noexcept {
  ERR_clear_error();
  const int result = SSL_do_handshake(ssl_.get());
  if (result == 1) return completeHandshake();

  const int error = SSL_get_error(ssl_.get(), result);
  if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) return;
  if (error == SSL_ERROR_ZERO_RETURN) return fail("peer closed during DTLS handshake");
  std::string details = takeOpenSslErrors();
  fail("DTLS handshake failed" + (details.empty() ? std::string() : ": " + details));
}

void DtlsTransport::completeHandshake() noexcept {
  // RFC 5763 §5: the certificate must match the fingerprint from the peer's SDP, else the media could be
  // going to someone else.
  X509* peerCertificate = SSL_get0_peer_certificate(ssl_.get());
  if (peerCertificate == nullptr) return fail("peer sent no certificate");
  const auto fingerprint = computeFingerprint(peerCertificate, remoteFingerprintAlgorithm_);
  if (!fingerprint) return fail("unsupported fingerprint algorithm '" + remoteFingerprintAlgorithm_ + "'");
  if (!fingerprintsEqual(*fingerprint, remoteFingerprint_)) {
    return fail("peer certificate fingerprint " + *fingerprint + " does not match the SDP");
  }

  const auto profile = selectedSrtpProfile(ssl_.get());
  if (!profile) return fail("no SRTP protection profile negotiated");
  const auto keys = exportSrtpKeys(ssl_.get(), *profile, *role_);
  if (!keys) return fail("cannot export SRTP keys: " + takeOpenSslErrors());

  state_ = DtlsState::Connected;
  spdlog::debug("dtls: connected as {}, {}", *role_ == DtlsRole::Client ? "client" : "server",
                srtpProfileName(*profile));
  try {
    listener_.onDtlsConnected(*keys);
  } catch (const std::exception& error) {
    spdlog::error("dtls: onDtlsConnected threw: {}", error.what());
  } catch (...) {
    spdlog::error("dtls: onDtlsConnected threw");
  }
}

void DtlsTransport::readApplicationData() noexcept {
  std::array<uint8_t, 2048> buffer;
  while (state_ == DtlsState::Connected) {
    ERR_clear_error();
    const int result = SSL_read(ssl_.get(), buffer.data(), static_cast<int>(buffer.size()));
    if (result > 0) {
      // No SCTP data channels on this transport: application data has no consumer.
      spdlog::debug("dtls: dropped {} bytes of application data", result);
      continue;
    }
    const int error = SSL_get_error(ssl_.get(), result);
    if (error == SSL_ERROR_WANT_READ || error == SSL_ERROR_WANT_WRITE) return;
    if (error == SSL_ERROR_ZERO_RETURN) return onPeerClosed();
    std::string details = takeOpenSslErrors();
    return fail("DTLS error after handshake" + (details.empty() ? std::string() : ": " + details));
  }
}

void DtlsTransport::onPeerClosed() noexcept {
  // RFC 5246 §7.2.1: answer close_notify with our own.
  (void)SSL_shutdown(ssl_.get());
  state_ = DtlsState::Closed;
  spdlog::debug("dtls: peer sent close_notify");
  try {
    listener_.onDtlsClosed();
  } catch (const std::exception& error) {
    spdlog::error("dtls: onDtlsClosed threw: {}", error.what());
  } catch (...) {
    spdlog::error("dtls: onDtlsClosed threw");
  }
}

void DtlsTransport::fail(std::string_view reason) noexcept {
  if (state_ == DtlsState::Failed || state_ == DtlsState::Closed) return;
  state_ = DtlsState::Failed;
  spdlog::warn("dtls: failed: {}", reason);
  try {
    listener_.onDtlsFailed(reason);
  } catch (const std::exception& error) {
    spdlog::error("dtls: onDtlsFailed threw: {}", error.what());
  } catch (...) {
    spdlog::error("dtls: onDtlsFailed threw");
  }
}

}  // namespace diemcau::media
