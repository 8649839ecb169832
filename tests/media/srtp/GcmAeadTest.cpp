#include "media/srtp/GcmAead.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace diemcau::media::gcm {
namespace {

std::vector<uint8_t> hex(const std::string& text) {
  std::vector<uint8_t> out;
  for (std::size_t i = 0; i + 1 < text.size(); i += 2)
    out.push_back(static_cast<uint8_t>(std::stoi(text.substr(i, 2), nullptr, 16)));
  return out;
}

// Test case 4 of McGrew and Viega's GCM specification (AES-128, 96-bit IV, 20 bytes of AAD, 60 of text).
struct Vector {
  std::array<uint8_t, GcmAead::kKeyLength> key{};
  std::vector<uint8_t> iv = hex("cafebabefacedbaddecaf888");
  std::vector<uint8_t> aad = hex("feedfacedeadbeeffeedfacedeadbeefabaddad2");
  std::vector<uint8_t> plain =
      hex("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
          "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39");
  std::vector<uint8_t> cipher =
      hex("42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
          "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091");
  std::vector<uint8_t> tag = hex("5bc94fbc3221a5db94fae95ae7121a47");
  Vector() {
    const auto k = hex("feffe9928665731c6d6a8f9467308308");
    std::copy(k.begin(), k.end(), key.begin());
  }
};

TEST(GcmAeadTest, EncryptsTheSpecificationsVectorAndAgainOnTheSameContext) {
  const Vector v;
  GcmAead aead(v.key, /*encrypt=*/true);
  for (int round = 0; round < 2; ++round) {  // the second message reuses the key schedule
    std::vector<uint8_t> data = v.plain;
    std::array<uint8_t, GcmAead::kTagLength> tag{};
    ASSERT_TRUE(aead.start(v.iv.data()));
    // The associated data in two parts is the same as in one.
    ASSERT_TRUE(aead.addAad(v.aad.data(), 7));
    ASSERT_TRUE(aead.addAad(v.aad.data() + 7, v.aad.size() - 7));
    ASSERT_TRUE(aead.crypt(data.data(), data.data(), data.size()));
    ASSERT_TRUE(aead.seal(tag.data()));
    EXPECT_EQ(data, v.cipher) << "round " << round;
    EXPECT_EQ(std::vector<uint8_t>(tag.begin(), tag.end()), v.tag) << "round " << round;
    EXPECT_FALSE(aead.open(tag.data())) << "an encrypting context checks no tag";
  }
}

TEST(GcmAeadTest, DecryptsTheVectorAndRefusesAChangedTagOrText) {
  const Vector v;
  GcmAead aead(v.key, /*encrypt=*/false);
  auto decrypt = [&](std::vector<uint8_t> data, std::vector<uint8_t> tag) {
    const bool ok = aead.start(v.iv.data()) && aead.addAad(v.aad.data(), v.aad.size()) &&
                    aead.crypt(data.data(), data.data(), data.size()) && aead.open(tag.data());
    return std::pair(ok, data);
  };
  const auto [ok, plain] = decrypt(v.cipher, v.tag);
  EXPECT_TRUE(ok);
  EXPECT_EQ(plain, v.plain);

  auto badTag = v.tag;
  badTag[15] ^= 1;
  EXPECT_FALSE(decrypt(v.cipher, badTag).first);
  auto badText = v.cipher;
  badText[0] ^= 0x80;
  EXPECT_FALSE(decrypt(badText, v.tag).first);
  // A failed message leaves the context usable for the next.
  EXPECT_TRUE(decrypt(v.cipher, v.tag).first);
  std::array<uint8_t, GcmAead::kTagLength> tag{};
  EXPECT_FALSE(aead.seal(tag.data())) << "a decrypting context makes no tag";
}

TEST(GcmAeadTest, AnEmptyMessageHasTheSpecificationsTag) {
  // Test case 1: the zero key, the zero IV, nothing to encrypt or authenticate.
  const std::array<uint8_t, GcmAead::kKeyLength> key{};
  const std::array<uint8_t, GcmAead::kIvLength> iv{};
  GcmAead aead(key, /*encrypt=*/true);
  std::array<uint8_t, GcmAead::kTagLength> tag{};
  ASSERT_TRUE(aead.start(iv.data()));
  ASSERT_TRUE(aead.addAad(nullptr, 0));
  ASSERT_TRUE(aead.crypt(nullptr, nullptr, 0));
  ASSERT_TRUE(aead.seal(tag.data()));
  EXPECT_EQ(std::vector<uint8_t>(tag.begin(), tag.end()), hex("58e2fccefa7e3061367f1d57a4e7455a"));
}

}  // namespace
}  // namespace diemcau::media::gcm
