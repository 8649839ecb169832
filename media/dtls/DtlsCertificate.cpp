#include "media/dtls/DtlsCertificate.hpp"

#include <openssl/bn.h>
#include <openssl/pem.h>
#include <openssl/rand.h>

#include <fstream>
#include <sstream>

#include "media/dtls/DtlsError.hpp"
#include "media/dtls/DtlsFingerprint.hpp"

namespace diemcau::media {

namespace {

constexpr long kSecondsPerDay = 24 * 60 * 60;

struct BnDeleter {
  void operator()(BIGNUM* bn) const noexcept { BN_free(bn); }
};

EvpPkeyPtr generateP256Key() {
  EvpPkeyPtr key(EVP_EC_gen("P-256"));
  if (!key) throwDtlsError("cannot generate ECDSA P-256 key");
  return key;
}

void setRandomSerial(X509* cert) {
  // RFC 5280 §4.1.2.2: positive, at most 20 octets; 64 random bits is what browsers use.
  std::unique_ptr<BIGNUM, BnDeleter> serial(BN_new());
  if (!serial || BN_rand(serial.get(), 64, BN_RAND_TOP_ANY, BN_RAND_BOTTOM_ANY) != 1 ||
      BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert)) == nullptr) {
    throwDtlsError("cannot set certificate serial");
  }
}

void setSubjectAndIssuer(X509* cert) {
  X509NamePtr name(X509_NAME_new());
  if (!name ||
      X509_NAME_add_entry_by_txt(name.get(), "CN", MBSTRING_ASC,
                                 reinterpret_cast<const unsigned char*>("diemcau"), -1, -1, 0) != 1 ||
      X509_set_subject_name(cert, name.get()) != 1 || X509_set_issuer_name(cert, name.get()) != 1) {
    throwDtlsError("cannot set certificate name");
  }
}

std::string readFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw DtlsError("cannot open " + path.string());
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

BioPtr memoryBioFrom(std::string_view text) {
  BioPtr bio(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
  if (!bio) throwDtlsError("cannot allocate BIO");
  return bio;
}

std::string drainToString(BIO* bio) {
  char* data = nullptr;
  const long length = BIO_get_mem_data(bio, &data);
  return length > 0 ? std::string(data, static_cast<std::size_t>(length)) : std::string();
}

}  // namespace

std::shared_ptr<const DtlsCertificate> DtlsCertificate::generate() {
  EvpPkeyPtr key = generateP256Key();
  X509Ptr cert(X509_new());
  if (!cert) throwDtlsError("cannot allocate certificate");

  setRandomSerial(cert.get());
  setSubjectAndIssuer(cert.get());
  if (X509_set_version(cert.get(), 2) != 1 ||  // X.509 v3
      X509_gmtime_adj(X509_getm_notBefore(cert.get()), -kSecondsPerDay) == nullptr ||
      X509_gmtime_adj(X509_getm_notAfter(cert.get()), kValidityDays * kSecondsPerDay) == nullptr ||
      X509_set_pubkey(cert.get(), key.get()) != 1 || X509_sign(cert.get(), key.get(), EVP_sha256()) <= 0) {
    throwDtlsError("cannot build self-signed certificate");
  }
  return std::make_shared<const DtlsCertificate>(std::move(cert), std::move(key));
}

std::shared_ptr<const DtlsCertificate> DtlsCertificate::fromPem(std::string_view certificatePem,
                                                                std::string_view privateKeyPem) {
  BioPtr certBio = memoryBioFrom(certificatePem);
  X509Ptr cert(PEM_read_bio_X509(certBio.get(), nullptr, nullptr, nullptr));
  if (!cert) throwDtlsError("cannot parse PEM certificate");

  BioPtr keyBio = memoryBioFrom(privateKeyPem);
  EvpPkeyPtr key(PEM_read_bio_PrivateKey(keyBio.get(), nullptr, nullptr, nullptr));
  if (!key) throwDtlsError("cannot parse PEM private key");
  if (X509_check_private_key(cert.get(), key.get()) != 1) {
    throwDtlsError("private key does not match certificate");
  }
  return std::make_shared<const DtlsCertificate>(std::move(cert), std::move(key));
}

std::shared_ptr<const DtlsCertificate> DtlsCertificate::loadPemFiles(const std::filesystem::path& certificateFile,
                                                                     const std::filesystem::path& privateKeyFile) {
  return fromPem(readFile(certificateFile), readFile(privateKeyFile));
}

DtlsCertificate::DtlsCertificate(X509Ptr certificate, EvpPkeyPtr privateKey)
    : certificate_(std::move(certificate)), privateKey_(std::move(privateKey)) {
  if (!certificate_ || !privateKey_) throw DtlsError("certificate and private key are required");
  auto fingerprint = computeFingerprint(certificate_.get(), fingerprintAlgorithm());
  if (!fingerprint) throwDtlsError("cannot compute certificate fingerprint");
  fingerprint_ = std::move(*fingerprint);
}

std::string DtlsCertificate::certificatePem() const {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_X509(bio.get(), certificate_.get()) != 1) throwDtlsError("cannot write certificate");
  return drainToString(bio.get());
}

std::string DtlsCertificate::privateKeyPem() const {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PrivateKey(bio.get(), privateKey_.get(), nullptr, nullptr, 0, nullptr, nullptr) != 1) {
    throwDtlsError("cannot write private key");
  }
  return drainToString(bio.get());
}

}  // namespace diemcau::media
