#pragma once

#include <openssl/ssl.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include "media/dtls/DtlsCertificate.hpp"
#include "media/dtls/OpenSslHandles.hpp"

namespace diemcau::media {

/** Tunables of a DtlsContext; the defaults are what WebRTC peers expect. */
struct DtlsContextOptions {
  /**
   * use_srtp profiles in preference order (RFC 5764 §4.1.1). AEAD_AES_128_GCM first: with Debian's libsrtp2
   * (NSS crypto) AES-CM + HMAC-SHA1 costs about 5x more CPU per packet; SHA1_80 is the universal fallback.
   */
  std::string srtpProfiles = "SRTP_AEAD_AES_128_GCM:SRTP_AES128_CM_SHA1_80";
  /** Largest datagram the handshake may produce; 1200 fits every path ICE/TURN can give us. */
  uint16_t mtu = 1200;
  /** First retransmission timer; doubles up to maxRetransmit (RFC 6347 §4.2.4.1). */
  std::chrono::milliseconds initialRetransmit{500};
  /** Cap on the retransmission timer: short, because weak commune links lose whole flights. */
  std::chrono::milliseconds maxRetransmit{3000};
  /** A handshake not finished after this long fails. */
  std::chrono::milliseconds handshakeTimeout{30000};
};

/**
 * One OpenSSL `SSL_CTX` for DTLS 1.2 with our certificate, shared by every DtlsTransport of one media worker.
 * Create and use it on that worker's thread only. Throws DtlsError (control plane) when OpenSSL refuses any
 * part of the configuration.
 */
class DtlsContext {
 public:
  explicit DtlsContext(std::shared_ptr<const DtlsCertificate> certificate, DtlsContextOptions options = {});

  DtlsContext(const DtlsContext&) = delete;
  DtlsContext& operator=(const DtlsContext&) = delete;

  SSL_CTX* native() const noexcept { return ctx_.get(); }
  const BIO_METHOD* datagramBioMethod() const noexcept { return bioMethod_.get(); }
  const DtlsContextOptions& options() const noexcept { return options_; }
  const DtlsCertificate& certificate() const noexcept { return *certificate_; }

 private:
  static int onVerify(int preverifyOk, X509_STORE_CTX* store) noexcept;

  std::shared_ptr<const DtlsCertificate> certificate_;
  DtlsContextOptions options_;
  BioMethodPtr bioMethod_;
  SslCtxPtr ctx_;
};

}  // namespace diemcau::media
