#include "signaling/http/TlsContext.hpp"

#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>
#include <sys/stat.h>

#include <cstdio>
#include <stdexcept>

namespace diemcau::signaling::http {

namespace {

struct PkeyFree { void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); } };
struct X509Free { void operator()(X509* p) const { X509_free(p); } };
struct ExtFree { void operator()(X509_EXTENSION* p) const { X509_EXTENSION_free(p); } };
struct FileClose { void operator()(std::FILE* p) const { std::fclose(p); } };

using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
using X509Ptr = std::unique_ptr<X509, X509Free>;
using FilePtr = std::unique_ptr<std::FILE, FileClose>;

[[noreturn]] void fail(const std::string& what) { throw std::runtime_error("self-signed certificate: " + what); }

std::string subjectAltNames(const std::vector<std::string>& extraHosts) {
  std::string names = "DNS:localhost,IP:127.0.0.1,IP:::1";
  for (const auto& host : extraHosts) {
    const bool ip = host.find_first_not_of("0123456789.:abcdefABCDEF") == std::string::npos &&
                    host.find_first_of(".:") != std::string::npos;
    names += (ip ? ",IP:" : ",DNS:") + host;
  }
  return names;
}

void addExtension(X509* cert, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  std::unique_ptr<X509_EXTENSION, ExtFree> ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str()));
  if (!ext || X509_add_ext(cert, ext.get(), -1) != 1) fail("cannot add extension " + value);
}

X509Ptr makeCertificate(EVP_PKEY* key, const std::vector<std::string>& extraHosts) {
  X509Ptr cert(X509_new());
  if (!cert) fail("X509_new failed");
  X509_set_version(cert.get(), 2);
  unsigned char serial[16];
  if (RAND_bytes(serial, sizeof serial) != 1) fail("no randomness for the serial number");
  serial[0] &= 0x7f;  // a positive INTEGER (RFC 5280 section 4.1.2.2)
  std::unique_ptr<BIGNUM, decltype(&BN_free)> bn(BN_bin2bn(serial, sizeof serial, nullptr), BN_free);
  BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(cert.get()));
  X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert.get()), 365L * 24 * 3600);
  X509_set_pubkey(cert.get(), key);
  X509_NAME* name = X509_get_subject_name(cert.get());
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("diemcau"), -1, -1, 0);
  X509_set_issuer_name(cert.get(), name);
  addExtension(cert.get(), NID_subject_alt_name, subjectAltNames(extraHosts));
  addExtension(cert.get(), NID_basic_constraints, "critical,CA:FALSE");
  addExtension(cert.get(), NID_ext_key_usage, "serverAuth");
  if (X509_sign(cert.get(), key, EVP_sha256()) == 0) fail("signing failed");
  return cert;
}

FilePtr openForWrite(const std::filesystem::path& path, mode_t mode) {
  const mode_t old = ::umask(0777 & ~mode);
  FilePtr file(std::fopen(path.c_str(), "wb"));
  ::umask(old);
  if (!file) fail("cannot write " + path.string());
  return file;
}

}  // namespace

CertificateFiles ensureSelfSignedCertificate(const std::filesystem::path& dir,
                                             const std::vector<std::string>& extraHosts) {
  CertificateFiles files{dir / "tls-cert.pem", dir / "tls-key.pem"};
  std::error_code ec;
  if (std::filesystem::exists(files.certificate, ec) && std::filesystem::exists(files.privateKey, ec)) return files;

  PkeyPtr key(EVP_EC_gen("P-256"));
  if (!key) fail("cannot generate a P-256 key");
  X509Ptr cert = makeCertificate(key.get(), extraHosts);
  {
    FilePtr out = openForWrite(files.privateKey, 0600);
    if (PEM_write_PrivateKey(out.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) fail("cannot write key");
  }
  FilePtr out = openForWrite(files.certificate, 0644);
  if (PEM_write_X509(out.get(), cert.get()) != 1) fail("cannot write certificate");
  return files;
}

std::shared_ptr<boost::asio::ssl::context> makeServerTlsContext(const CertificateFiles& files) {
  namespace ssl = boost::asio::ssl;
  auto context = std::make_shared<ssl::context>(ssl::context::tls_server);
  context->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                       ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1 | ssl::context::single_dh_use |
                       ssl::context::no_compression);
  boost::system::error_code ec;
  context->use_certificate_chain_file(files.certificate.string(), ec);
  if (ec) throw std::runtime_error("cannot load TLS certificate " + files.certificate.string() + ": " + ec.message());
  context->use_private_key_file(files.privateKey.string(), ssl::context::pem, ec);
  if (ec) throw std::runtime_error("cannot load TLS key " + files.privateKey.string() + ": " + ec.message());
  return context;
}

}  // namespace diemcau::signaling::http
