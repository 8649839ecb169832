#pragma once

#include <array>
#include <cstddef>
#include <cstdint>

namespace diemcau::media::gcm {

struct GcmDispatch;

/**
 * AES-128-GCM with a 12-byte IV and a 16-byte tag, on OpenSSL's provider (the one `EVP_CIPHER_fetch`
 * picks for "AES-128-GCM") called through its dispatch table rather than through EVP.
 *
 * Why not EVP: OpenSSL 3.0's EVP answers a new IV by first asking the provider for the IV length,
 * and the tag by a control that becomes an OSSL_PARAM request, each a walk of parameter names: about
 * a third of the instructions of protecting a packet (docs/PERFORMANCE.md, "Where the time goes now"). The provider's own functions take the IV with its length and need one
 * parameter only for the tag. The cipher, key schedule and GHASH are OpenSSL's, as before.
 *
 * One message at a time: start(iv), addAad() and crypt() in order, then seal() (encrypting) or open()
 * (decrypting). Nothing allocates or throws after construction.
 */
class GcmAead {
 public:
  static constexpr std::size_t kKeyLength = 16;
  static constexpr std::size_t kIvLength = 12;
  static constexpr std::size_t kTagLength = 16;

  /// @throws SrtpError when OpenSSL has no AES-128-GCM or refuses the key (control plane).
  GcmAead(const std::array<uint8_t, kKeyLength>& key, bool encrypt);
  ~GcmAead();
  GcmAead(const GcmAead&) = delete;
  GcmAead& operator=(const GcmAead&) = delete;

  bool start(const uint8_t* iv) noexcept;
  bool addAad(const uint8_t* data, std::size_t len) noexcept;
  /// len bytes from in to out (they may be the same buffer).
  bool crypt(uint8_t* out, const uint8_t* in, std::size_t len) noexcept;
  /// Encrypting: ends the message and writes its kTagLength-byte tag.
  bool seal(uint8_t* tag) noexcept;
  /// Decrypting: ends the message; true only when the tag matches.
  bool open(const uint8_t* tag) noexcept;

 private:
  const GcmDispatch* fns_;
  void* ctx_ = nullptr;
  bool encrypt_;
};

}  // namespace diemcau::media::gcm
