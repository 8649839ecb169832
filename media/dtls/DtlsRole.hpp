#pragma once

namespace diemcau::media {

/**
 * Which side of the DTLS handshake we play. In SDP terms (RFC 5763 §5, RFC 8842 §5.3):
 * `a=setup:active` makes us the DTLS client, `a=setup:passive` the DTLS server.
 */
enum class DtlsRole {
  Client,  ///< setup:active — sends the ClientHello
  Server,  ///< setup:passive — waits for the ClientHello
};

}  // namespace diemcau::media
