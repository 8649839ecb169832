#include "media/dtls/DtlsContext.hpp"

#include "media/dtls/DtlsDatagramBio.hpp"
#include "media/dtls/DtlsError.hpp"

namespace diemcau::media {

namespace {

// Forward-secret suites only, AEAD first, CBC-SHA for old stacks. The RSA suites matter when we are the
// client of a peer with an RSA certificate (GStreamer webrtcbin makes RSA keys); as a server only the ECDSA
// suites can match our own certificate.
constexpr const char* kCipherList =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-CHACHA20-POLY1305:"
    "ECDHE-RSA-CHACHA20-POLY1305:ECDHE-ECDSA-AES256-GCM-SHA384:ECDHE-RSA-AES256-GCM-SHA384:"
    "ECDHE-ECDSA-AES128-SHA:ECDHE-RSA-AES128-SHA";

}  // namespace

DtlsContext::DtlsContext(std::shared_ptr<const DtlsCertificate> certificate, DtlsContextOptions options)
    : certificate_(std::move(certificate)),
      options_(std::move(options)),
      bioMethod_(DtlsDatagramBio::createMethod()) {
  if (!certificate_) throw DtlsError("DtlsContext needs a certificate");

  ctx_.reset(SSL_CTX_new(DTLS_method()));
  if (!ctx_) throwDtlsError("SSL_CTX_new failed");
  SSL_CTX* ctx = ctx_.get();

  // RFC 8827 §6.5: DTLS 1.2 is what every WebRTC peer speaks; 1.0 is obsolete (RFC 8996).
  if (SSL_CTX_set_min_proto_version(ctx, DTLS1_2_VERSION) != 1 ||
      SSL_CTX_set_max_proto_version(ctx, DTLS1_2_VERSION) != 1) {
    throwDtlsError("cannot pin DTLS 1.2");
  }
  if (SSL_CTX_use_certificate(ctx, certificate_->x509()) != 1 ||
      SSL_CTX_use_PrivateKey(ctx, certificate_->privateKey()) != 1 || SSL_CTX_check_private_key(ctx) != 1) {
    throwDtlsError("cannot install DTLS certificate");
  }
  if (SSL_CTX_set_cipher_list(ctx, kCipherList) != 1) throwDtlsError("cannot set DTLS cipher list");
  if (SSL_CTX_set1_groups_list(ctx, "P-256") != 1) throwDtlsError("cannot set ECDHE groups");
  // Note the inverted convention: SSL_CTX_set_tlsext_use_srtp returns 0 on success.
  if (SSL_CTX_set_tlsext_use_srtp(ctx, options_.srtpProfiles.c_str()) != 0) {
    throwDtlsError("cannot set use_srtp profiles '" + options_.srtpProfiles + "'");
  }

  // RFC 5763 §5: both sides present a (self-signed) certificate; its fingerprint is checked against the SDP
  // after the handshake, so chain validation is skipped here but a certificate is still required.
  SSL_CTX_set_verify(ctx, SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT, &DtlsContext::onVerify);
  // One datagram is fed at a time through a memory BIO; read-ahead would merge them.
  SSL_CTX_set_read_ahead(ctx, 0);
  // The MTU is set per connection; there is no socket to ask.
  SSL_CTX_set_options(ctx, SSL_OP_NO_QUERY_MTU | SSL_OP_NO_TICKET | SSL_OP_NO_RENEGOTIATION);
  SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
}

int DtlsContext::onVerify(int /*preverifyOk*/, X509_STORE_CTX* /*store*/) noexcept {
  // Accept any certificate, self-signed included: trust comes from the SDP fingerprint (RFC 8122 §5).
  return 1;
}

}  // namespace diemcau::media
