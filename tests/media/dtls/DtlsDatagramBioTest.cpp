#include "media/dtls/DtlsDatagramBio.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace diemcau::media {
namespace {

std::vector<std::size_t> cut(const std::vector<uint8_t>& records, std::size_t maxSize) {
  std::vector<std::size_t> sizes;
  DtlsDatagramBio::splitRecords(records, maxSize, [&](std::span<const uint8_t> datagram) {
    sizes.push_back(datagram.size());
  });
  return sizes;
}

// Three records: ChangeCipherSpec (14 bytes), a 20-byte handshake record, a 13-byte empty alert record.
const std::vector<uint8_t> kRecords = {
    0x14, 0xfe, 0xfd, 0x00,  // change_cipher_spec, DTLS 1.2, epoch (hi)
    0x00, 0x00, 0x00, 0x00,  // epoch (lo), sequence
    0x00, 0x00, 0x05, 0x00,  // sequence, length (hi)
    0x01, 0x01,              // length 1, CCS message
    0x16, 0xfe, 0xfd, 0x00,  // handshake, DTLS 1.2, epoch (hi)
    0x01, 0x00, 0x00, 0x00,  // epoch 1, sequence
    0x00, 0x00, 0x00, 0x00,  // sequence, length (hi)
    0x07, 0xaa, 0xbb, 0xcc,  // length 7, body
    0xdd, 0xee, 0xff, 0x11,  // body
    0x15, 0xfe, 0xfd, 0x00,  // alert, DTLS 1.2, epoch (hi)
    0x01, 0x00, 0x00, 0x00,  // epoch 1, sequence
    0x00, 0x00, 0x01, 0x00,  // sequence, length (hi)
    0x00,                    // length 0
};

TEST(DtlsDatagramBioTest, KeepsEverythingTogetherWhenItFits) {
  EXPECT_EQ(cut(kRecords, 1200), (std::vector<std::size_t>{47}));
}

TEST(DtlsDatagramBioTest, CutsAtRecordBoundaries) {
  EXPECT_EQ(cut(kRecords, 34), (std::vector<std::size_t>{34, 13}));
  EXPECT_EQ(cut(kRecords, 33), (std::vector<std::size_t>{14, 33}));
  EXPECT_EQ(cut(kRecords, 20), (std::vector<std::size_t>{14, 20, 13}));
}

TEST(DtlsDatagramBioTest, OversizedRecordGoesAlone) {
  EXPECT_EQ(cut(kRecords, 10), (std::vector<std::size_t>{14, 20, 13}));
}

TEST(DtlsDatagramBioTest, LengthPastTheEndIsBounded) {
  std::vector<uint8_t> truncated(kRecords.begin(), kRecords.begin() + 30);  // second record cut short
  EXPECT_EQ(cut(truncated, 14), (std::vector<std::size_t>{14, 16}));
  std::vector<uint8_t> tiny = {0x16, 0xfe};
  EXPECT_EQ(cut(tiny, 1200), (std::vector<std::size_t>{2}));
  EXPECT_TRUE(cut({}, 1200).empty());
}

}  // namespace
}  // namespace diemcau::media
