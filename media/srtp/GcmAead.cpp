#include "media/srtp/GcmAead.hpp"

#include "media/srtp/SrtpError.hpp"

#include <openssl/core_dispatch.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <openssl/provider.h>

#include <cstring>
#include <string_view>

namespace diemcau::media::gcm {

/// The provider's AES-128-GCM functions. Made once per process and never changed; the fetched
/// cipher is kept so that its provider stays loaded.
struct GcmDispatch {
  EVP_CIPHER* cipher = nullptr;
  void* providerContext = nullptr;
  OSSL_FUNC_cipher_newctx_fn* newctx = nullptr;
  OSSL_FUNC_cipher_freectx_fn* freectx = nullptr;
  OSSL_FUNC_cipher_encrypt_init_fn* encryptInit = nullptr;
  OSSL_FUNC_cipher_decrypt_init_fn* decryptInit = nullptr;
  OSSL_FUNC_cipher_update_fn* update = nullptr;
  OSSL_FUNC_cipher_final_fn* final = nullptr;
  OSSL_FUNC_cipher_get_ctx_params_fn* getParams = nullptr;
  OSSL_FUNC_cipher_set_ctx_params_fn* setParams = nullptr;

  bool complete() const {
    return providerContext != nullptr && newctx != nullptr && freectx != nullptr && encryptInit != nullptr &&
           decryptInit != nullptr && update != nullptr && final != nullptr && getParams != nullptr &&
           setParams != nullptr;
  }
};

namespace {

constexpr std::string_view kName = "AES-128-GCM";

// An algorithm's names are one string, separated by colons ("AES-128-GCM:id-aes128-GCM:2.16...").
bool namesInclude(const char* names, std::string_view name) {
  std::string_view rest(names);
  while (!rest.empty()) {
    const auto colon = rest.find(':');
    const auto one = rest.substr(0, colon);
    if (one.size() == name.size() && ::strncasecmp(one.data(), name.data(), name.size()) == 0) return true;
    if (colon == std::string_view::npos) break;
    rest.remove_prefix(colon + 1);
  }
  return false;
}

GcmDispatch loadDispatch() {
  GcmDispatch fns;
  fns.cipher = EVP_CIPHER_fetch(nullptr, kName.data(), nullptr);
  const OSSL_PROVIDER* provider = fns.cipher != nullptr ? EVP_CIPHER_get0_provider(fns.cipher) : nullptr;
  if (provider == nullptr) throw SrtpError("OpenSSL offers no AES-128-GCM", 0);
  fns.providerContext = OSSL_PROVIDER_get0_provider_ctx(provider);
  int noCache = 0;
  const OSSL_ALGORITHM* algorithms = OSSL_PROVIDER_query_operation(provider, OSSL_OP_CIPHER, &noCache);
  for (const OSSL_ALGORITHM* a = algorithms; a != nullptr && a->algorithm_names != nullptr; ++a) {
    if (!namesInclude(a->algorithm_names, kName)) continue;
    for (const OSSL_DISPATCH* f = a->implementation; f->function_id != 0; ++f) {
      switch (f->function_id) {
        case OSSL_FUNC_CIPHER_NEWCTX:
          fns.newctx = OSSL_FUNC_cipher_newctx(f);
          break;
        case OSSL_FUNC_CIPHER_FREECTX:
          fns.freectx = OSSL_FUNC_cipher_freectx(f);
          break;
        case OSSL_FUNC_CIPHER_ENCRYPT_INIT:
          fns.encryptInit = OSSL_FUNC_cipher_encrypt_init(f);
          break;
        case OSSL_FUNC_CIPHER_DECRYPT_INIT:
          fns.decryptInit = OSSL_FUNC_cipher_decrypt_init(f);
          break;
        case OSSL_FUNC_CIPHER_UPDATE:
          fns.update = OSSL_FUNC_cipher_update(f);
          break;
        case OSSL_FUNC_CIPHER_FINAL:
          fns.final = OSSL_FUNC_cipher_final(f);
          break;
        case OSSL_FUNC_CIPHER_GET_CTX_PARAMS:
          fns.getParams = OSSL_FUNC_cipher_get_ctx_params(f);
          break;
        case OSSL_FUNC_CIPHER_SET_CTX_PARAMS:
          fns.setParams = OSSL_FUNC_cipher_set_ctx_params(f);
          break;
        default:
          break;
      }
    }
    break;
  }
  if (algorithms != nullptr) OSSL_PROVIDER_unquery_operation(provider, OSSL_OP_CIPHER, algorithms);
  if (!fns.complete()) throw SrtpError("OpenSSL's provider of AES-128-GCM lacks a cipher function", 0);
  return fns;
}

const GcmDispatch& dispatch() {
  static const GcmDispatch fns = loadDispatch();  // a throw leaves it for the next caller to retry
  return fns;
}

}  // namespace

GcmAead::GcmAead(const std::array<uint8_t, kKeyLength>& key, bool encrypt)
    : fns_(&dispatch()), encrypt_(encrypt) {
  ctx_ = fns_->newctx(fns_->providerContext);
  // The provider's default IV length for GCM is 12 bytes, RFC 7714's; the key schedule is made here.
  auto init = encrypt ? fns_->encryptInit : fns_->decryptInit;
  if (ctx_ == nullptr || init(ctx_, key.data(), key.size(), nullptr, 0, nullptr) != 1) {
    if (ctx_ != nullptr) fns_->freectx(ctx_);
    throw SrtpError("AES-128-GCM set-up failed in OpenSSL", 0);
  }
}

GcmAead::~GcmAead() {
  fns_->freectx(ctx_);
}

bool GcmAead::start(const uint8_t* iv) noexcept {
  auto init = encrypt_ ? fns_->encryptInit : fns_->decryptInit;
  return init(ctx_, nullptr, 0, iv, kIvLength, nullptr) == 1;
}

bool GcmAead::addAad(const uint8_t* data, std::size_t len) noexcept {
  std::size_t written = 0;
  // The provider refuses an output size below the input's even when, for AAD, it writes nothing.
  return len == 0 || fns_->update(ctx_, nullptr, &written, len, data, len) == 1;
}

bool GcmAead::crypt(uint8_t* out, const uint8_t* in, std::size_t len) noexcept {
  std::size_t written = 0;
  return len == 0 || (fns_->update(ctx_, out, &written, len, in, len) == 1 && written == len);
}

bool GcmAead::seal(uint8_t* tag) noexcept {
  if (!encrypt_) return false;
  std::size_t written = 0;
  if (fns_->final(ctx_, nullptr, &written, 0) != 1) return false;
  OSSL_PARAM params[] = {OSSL_PARAM_construct_octet_string(OSSL_CIPHER_PARAM_AEAD_TAG, tag, kTagLength),
                         OSSL_PARAM_construct_end()};
  return fns_->getParams(ctx_, params) == 1;
}

bool GcmAead::open(const uint8_t* tag) noexcept {
  if (encrypt_) return false;
  // OSSL_PARAM holds a non-const pointer; the provider only reads a tag it is given.
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_octet_string(OSSL_CIPHER_PARAM_AEAD_TAG, const_cast<uint8_t*>(tag), kTagLength),
      OSSL_PARAM_construct_end()};
  std::size_t written = 0;
  return fns_->setParams(ctx_, params) == 1 && fns_->final(ctx_, nullptr, &written, 0) == 1;
}

}  // namespace diemcau::media::gcm
