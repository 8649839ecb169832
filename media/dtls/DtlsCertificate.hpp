#pragma once

#include <openssl/evp.h>
#include <openssl/x509.h>

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "media/dtls/OpenSslHandles.hpp"

namespace diemcau::media {

/**
 * The bridge's DTLS identity: an ECDSA P-256 certificate and its private key (RFC 8827 §6.5 requires
 * ECDSA P-256 support from every WebRTC endpoint). Made once at start-up and shared read-only by every media
 * worker as `std::shared_ptr<const DtlsCertificate>`; nothing in it changes after construction.
 */
class DtlsCertificate {
 public:
  /** Validity of a generated certificate; short-lived because it is regenerated at each start. */
  static constexpr long kValidityDays = 30;

  /** Self-signed, random serial, CN "diemcau", valid from one day ago (clock skew) for kValidityDays. */
  static std::shared_ptr<const DtlsCertificate> generate();

  /** From PEM text; throws DtlsError if either part does not parse or the key does not match the certificate. */
  static std::shared_ptr<const DtlsCertificate> fromPem(std::string_view certificatePem,
                                                        std::string_view privateKeyPem);

  /** From PEM files (e.g. a certificate kept across restarts); throws DtlsError. */
  static std::shared_ptr<const DtlsCertificate> loadPemFiles(const std::filesystem::path& certificateFile,
                                                             const std::filesystem::path& privateKeyFile);

  DtlsCertificate(X509Ptr certificate, EvpPkeyPtr privateKey);

  /** Hash algorithm named in SDP for fingerprint(). */
  static constexpr std::string_view fingerprintAlgorithm() noexcept { return "sha-256"; }
  /** SHA-256 fingerprint, uppercase colon hex, for `a=fingerprint:sha-256 ...`. */
  const std::string& fingerprint() const noexcept { return fingerprint_; }

  std::string certificatePem() const;
  std::string privateKeyPem() const;

  /** Borrowed handles for SSL_CTX set-up; OpenSSL takes its own references. */
  X509* x509() const noexcept { return certificate_.get(); }
  EVP_PKEY* privateKey() const noexcept { return privateKey_.get(); }

 private:
  X509Ptr certificate_;
  EvpPkeyPtr privateKey_;
  std::string fingerprint_;
};

}  // namespace diemcau::media
