#include "media/dtls/DtlsSrtpKeys.hpp"

#include <openssl/crypto.h>
#include <openssl/srtp.h>

#include <cstring>
#include <vector>

namespace diemcau::media {

namespace {

constexpr char kExporterLabel[] = "EXTRACTOR-dtls_srtp";  // RFC 5764 §4.2

}  // namespace

std::optional<SrtpProfile> selectedSrtpProfile(SSL* ssl) noexcept {
  const SRTP_PROTECTION_PROFILE* selected = SSL_get_selected_srtp_profile(ssl);
  if (selected == nullptr) return std::nullopt;
  switch (selected->id) {
    case SRTP_AEAD_AES_128_GCM: return SrtpProfile::AeadAes128Gcm;
    case SRTP_AES128_CM_SHA1_80: return SrtpProfile::Aes128CmSha1_80;
    default: return std::nullopt;
  }
}

std::optional<SrtpKeyMaterial> exportSrtpKeys(SSL* ssl, SrtpProfile profile, DtlsRole role) {
  const std::size_t keyLength = srtpMasterKeyLength(profile);
  const std::size_t saltLength = srtpMasterSaltLength(profile);
  std::vector<uint8_t> material(2 * (keyLength + saltLength));
  if (SSL_export_keying_material(ssl, material.data(), material.size(), kExporterLabel, sizeof(kExporterLabel) - 1,
                                 nullptr, 0, 0) != 1) {
    return std::nullopt;
  }

  // RFC 5764 §4.2: client_write_SRTP_master_key | server_write_SRTP_master_key |
  //                client_write_SRTP_master_salt | server_write_SRTP_master_salt
  const uint8_t* clientKey = material.data();
  const uint8_t* serverKey = clientKey + keyLength;
  const uint8_t* clientSalt = serverKey + keyLength;
  const uint8_t* serverSalt = clientSalt + saltLength;

  auto assemble = [&](const uint8_t* key, const uint8_t* salt) {
    std::vector<uint8_t> keySalt(key, key + keyLength);
    keySalt.insert(keySalt.end(), salt, salt + saltLength);
    return keySalt;
  };

  SrtpKeyMaterial keys;
  keys.profile = profile;
  std::vector<uint8_t> client = assemble(clientKey, clientSalt);
  std::vector<uint8_t> server = assemble(serverKey, serverSalt);
  // Each side protects what it sends with its own write key (RFC 5764 §4.2).
  keys.localKeySalt = role == DtlsRole::Client ? std::move(client) : std::move(server);
  keys.remoteKeySalt = role == DtlsRole::Client ? std::move(server) : std::move(client);
  OPENSSL_cleanse(material.data(), material.size());
  return keys;
}

}  // namespace diemcau::media
