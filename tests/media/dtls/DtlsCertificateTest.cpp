#include "media/dtls/DtlsCertificate.hpp"

#include <gtest/gtest.h>
#include <openssl/ec.h>
#include <openssl/x509.h>

#include <ctime>
#include <filesystem>
#include <fstream>
#include <regex>

#include "media/dtls/DtlsContext.hpp"
#include "media/dtls/DtlsError.hpp"
#include "media/dtls/DtlsFingerprint.hpp"

namespace diemcau::media {
namespace {

int daysFromNow(const ASN1_TIME* time) {
  int days = 0;
  int seconds = 0;
  EXPECT_EQ(ASN1_TIME_diff(&days, &seconds, nullptr, time), 1);
  return days;
}

TEST(DtlsCertificateTest, GeneratedCertificateIsEcdsaP256SelfSignedForDiemcau) {
  const auto cert = DtlsCertificate::generate();
  ASSERT_NE(cert, nullptr);

  EXPECT_EQ(EVP_PKEY_get_base_id(cert->privateKey()), EVP_PKEY_EC);
  char group[64] = {};
  size_t groupLength = 0;
  ASSERT_EQ(EVP_PKEY_get_group_name(cert->privateKey(), group, sizeof(group), &groupLength), 1);
  EXPECT_STREQ(group, "prime256v1");

  char commonName[64] = {};
  X509_NAME_get_text_by_NID(X509_get_subject_name(cert->x509()), NID_commonName, commonName, sizeof(commonName));
  EXPECT_STREQ(commonName, "diemcau");
  EXPECT_EQ(X509_NAME_cmp(X509_get_subject_name(cert->x509()), X509_get_issuer_name(cert->x509())), 0);

  // Self-signed: the certificate verifies with its own key.
  EXPECT_EQ(X509_verify(cert->x509(), cert->privateKey()), 1);

  // Backdated by a day against clock skew, valid for about 30 days.
  EXPECT_EQ(daysFromNow(X509_get0_notBefore(cert->x509())), -1);
  const int validDays = daysFromNow(X509_get0_notAfter(cert->x509()));
  EXPECT_GE(validDays, DtlsCertificate::kValidityDays - 1);
  EXPECT_LE(validDays, DtlsCertificate::kValidityDays);
}

TEST(DtlsCertificateTest, FingerprintIsUppercaseColonHexSha256) {
  const auto cert = DtlsCertificate::generate();
  EXPECT_EQ(DtlsCertificate::fingerprintAlgorithm(), "sha-256");
  EXPECT_TRUE(std::regex_match(cert->fingerprint(), std::regex("^([0-9A-F]{2}:){31}[0-9A-F]{2}$")))
      << cert->fingerprint();

  // Matches an independent digest of the DER encoding.
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int length = 0;
  ASSERT_EQ(X509_digest(cert->x509(), EVP_sha256(), md, &length), 1);
  char firstByte[3];
  std::snprintf(firstByte, sizeof(firstByte), "%02X", md[0]);
  EXPECT_EQ(cert->fingerprint().substr(0, 2), firstByte);
}

TEST(DtlsCertificateTest, EachGenerationHasItsOwnKeyAndSerial) {
  const auto a = DtlsCertificate::generate();
  const auto b = DtlsCertificate::generate();
  EXPECT_NE(a->fingerprint(), b->fingerprint());
  EXPECT_NE(ASN1_INTEGER_cmp(X509_get0_serialNumber(a->x509()), X509_get0_serialNumber(b->x509())), 0);
}

TEST(DtlsCertificateTest, PemRoundTripKeepsFingerprint) {
  const auto original = DtlsCertificate::generate();
  const auto loaded = DtlsCertificate::fromPem(original->certificatePem(), original->privateKeyPem());
  EXPECT_EQ(loaded->fingerprint(), original->fingerprint());
}

TEST(DtlsCertificateTest, LoadsPemFiles) {
  const auto original = DtlsCertificate::generate();
  const auto dir = std::filesystem::temp_directory_path() / ("diemcau-dtls-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::ofstream(dir / "cert.pem") << original->certificatePem();
  std::ofstream(dir / "key.pem") << original->privateKeyPem();

  const auto loaded = DtlsCertificate::loadPemFiles(dir / "cert.pem", dir / "key.pem");
  EXPECT_EQ(loaded->fingerprint(), original->fingerprint());
  EXPECT_THROW(DtlsCertificate::loadPemFiles(dir / "missing.pem", dir / "key.pem"), DtlsError);
  std::filesystem::remove_all(dir);
}

TEST(DtlsCertificateTest, RejectsMismatchedKeyAndGarbage) {
  const auto a = DtlsCertificate::generate();
  const auto b = DtlsCertificate::generate();
  EXPECT_THROW(DtlsCertificate::fromPem(a->certificatePem(), b->privateKeyPem()), DtlsError);
  EXPECT_THROW(DtlsCertificate::fromPem("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
                                        a->privateKeyPem()),
               DtlsError);
  EXPECT_THROW(DtlsCertificate::fromPem(a->certificatePem(), ""), DtlsError);
}

TEST(DtlsFingerprintTest, ComparesCaseInsensitivelyAndKnowsSdpHashNames) {
  const auto cert = DtlsCertificate::generate();
  EXPECT_TRUE(fingerprintsEqual("AB:CD:0F", "ab:cd:0f"));
  EXPECT_FALSE(fingerprintsEqual("AB:CD:0F", "AB:CD:0E"));
  EXPECT_FALSE(fingerprintsEqual("AB:CD", "AB:CD:0F"));
  EXPECT_EQ(computeFingerprint(cert->x509(), "SHA-256"), cert->fingerprint());
  EXPECT_EQ(computeFingerprint(cert->x509(), "sha-1")->size(), 20u * 3 - 1);
  EXPECT_EQ(computeFingerprint(cert->x509(), "sha-512")->size(), 64u * 3 - 1);
  EXPECT_FALSE(computeFingerprint(cert->x509(), "md5").has_value());
}

TEST(DtlsContextTest, PinsDtls12) {
  DtlsContext context(DtlsCertificate::generate());
  EXPECT_EQ(SSL_CTX_get_min_proto_version(context.native()), DTLS1_2_VERSION);
  EXPECT_EQ(SSL_CTX_get_max_proto_version(context.native()), DTLS1_2_VERSION);
}

TEST(DtlsContextTest, RejectsUnknownSrtpProfileList) {
  DtlsContextOptions options;
  options.srtpProfiles = "SRTP_NOT_A_PROFILE";
  EXPECT_THROW(DtlsContext(DtlsCertificate::generate(), options), DtlsError);
}

}  // namespace
}  // namespace diemcau::media
