#pragma once

#include <openssl/x509.h>

#include <optional>
#include <string>
#include <string_view>

namespace diemcau::media {

/**
 * Certificate fingerprint as written in SDP `a=fingerprint` (RFC 8122 §5): uppercase hex bytes joined by ':'.
 * `algorithm` is the SDP hash name ("sha-256", "sha-1", "sha-384", "sha-512"; case-insensitive).
 * Returns nullopt for an unknown algorithm or a digest failure.
 */
std::optional<std::string> computeFingerprint(X509* certificate, std::string_view algorithm);

/** Compares two fingerprints case-insensitively (RFC 8122 §5 allows either case in SDP). */
bool fingerprintsEqual(std::string_view a, std::string_view b) noexcept;

}  // namespace diemcau::media
