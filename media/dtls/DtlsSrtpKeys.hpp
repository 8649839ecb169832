#pragma once

#include <openssl/ssl.h>

#include <optional>

#include "media/dtls/DtlsRole.hpp"
#include "media/dtls/SrtpKeyMaterial.hpp"
#include "media/srtp/SrtpProfile.hpp"

namespace diemcau::media {

/** The use_srtp profile both sides agreed on (RFC 5764 §4.1.2); nullopt if none or one we do not support. */
std::optional<SrtpProfile> selectedSrtpProfile(SSL* ssl) noexcept;

/**
 * Exports the SRTP master keys of a finished DTLS handshake (RFC 5764 §4.2) and assigns them to local/remote
 * by our role. nullopt if the export fails.
 */
std::optional<SrtpKeyMaterial> exportSrtpKeys(SSL* ssl, SrtpProfile profile, DtlsRole role);

}  // namespace diemcau::media
