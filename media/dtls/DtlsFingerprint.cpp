#include "media/dtls/DtlsFingerprint.hpp"

#include <openssl/evp.h>

#include <algorithm>
#include <cctype>

namespace diemcau::media {

namespace {

bool equalsIgnoreCase(std::string_view a, std::string_view b) noexcept {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

const EVP_MD* digestFor(std::string_view algorithm) noexcept {
  if (equalsIgnoreCase(algorithm, "sha-256")) return EVP_sha256();
  if (equalsIgnoreCase(algorithm, "sha-1")) return EVP_sha1();
  if (equalsIgnoreCase(algorithm, "sha-384")) return EVP_sha384();
  if (equalsIgnoreCase(algorithm, "sha-512")) return EVP_sha512();
  return nullptr;
}

}  // namespace

std::optional<std::string> computeFingerprint(X509* certificate, std::string_view algorithm) {
  const EVP_MD* digest = digestFor(algorithm);
  if (certificate == nullptr || digest == nullptr) return std::nullopt;

  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  if (X509_digest(certificate, digest, md, &length) != 1) return std::nullopt;

  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string text;
  text.reserve(length * 3);
  for (unsigned int i = 0; i < length; ++i) {
    if (i != 0) text.push_back(':');
    text.push_back(kHex[md[i] >> 4]);
    text.push_back(kHex[md[i] & 0x0f]);
  }
  return text;
}

bool fingerprintsEqual(std::string_view a, std::string_view b) noexcept { return equalsIgnoreCase(a, b); }

}  // namespace diemcau::media
