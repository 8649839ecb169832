#include "signaling/archive/TarStream.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

namespace diemcau::signaling::archive {
namespace {

namespace fs = std::filesystem;

std::string slurp(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

class TarStreamTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::remove_all(dir_);
    fs::create_directories(folder_);
    std::string binary(70000, '\0');
    for (size_t i = 0; i < binary.size(); ++i) binary[i] = static_cast<char>((i * 131) ^ (i >> 7));
    write("hall-20261201T010000Z.mkv", binary);
    write("events.jsonl", std::string(513, 'e'));  // one byte past a block: 511 bytes of padding
    write("empty.md", "");
    write("SHA256SUMS.tmp", "left over by a crash");
  }
  void TearDown() override { fs::remove_all(dir_); }

  void write(const std::string& name, const std::string& bytes) {
    std::ofstream(folder_ / name, std::ios::binary) << bytes;
  }

  /// Reads the whole stream in pieces of `piece` bytes.
  static std::string drain(TarStream& tar, size_t piece) {
    std::string out;
    std::vector<char> buffer(piece);
    for (;;) {
      size_t produced = 0;
      EXPECT_TRUE(tar.read(buffer, produced));
      if (produced == 0) break;
      out.append(buffer.data(), produced);
    }
    return out;
  }

  fs::path dir_ = fs::temp_directory_path() / ("diemcau-tar-" + std::to_string(::getpid()) + "-" +
                                               ::testing::UnitTest::GetInstance()->current_test_info()->name());
  fs::path folder_ = dir_ / "giao-ban";
};

TEST_F(TarStreamTest, SizeIsExactAndTarExtractsTheSameBytes) {
  TarStream tar(folder_, "giao-ban");
  ASSERT_EQ(tar.entries().size(), 3u);  // the .tmp file is not part of an archive
  // 3 headers + 70000 -> 70144 + 513 -> 1024 + 0 + two trailer blocks.
  EXPECT_EQ(tar.size(), 3u * 512 + 70144 + 1024 + 0 + 1024);
  const std::string bytes = drain(tar, 777);  // a piece size that never lines up with a block
  ASSERT_EQ(bytes.size(), tar.size());
  std::ofstream(dir_ / "out.tar", std::ios::binary) << bytes;

  fs::create_directories(dir_ / "x");
  const std::string command = "tar -xf '" + (dir_ / "out.tar").string() + "' -C '" + (dir_ / "x").string() + "'";
  ASSERT_EQ(std::system(command.c_str()), 0);
  for (const char* name : {"hall-20261201T010000Z.mkv", "events.jsonl", "empty.md"}) {
    EXPECT_EQ(slurp(dir_ / "x/giao-ban" / name), slurp(folder_ / name)) << name;
  }
  EXPECT_FALSE(fs::exists(dir_ / "x/giao-ban/SHA256SUMS.tmp"));
}

TEST_F(TarStreamTest, HeaderFieldsAndChecksum) {
  const auto h = TarStream::header("giao-ban", "events.jsonl", 513, 1796086800);
  EXPECT_EQ(std::string(h.data()), "events.jsonl");
  EXPECT_EQ(std::string(h.data() + 124, 11), "00000001001");  // 513 in octal
  EXPECT_EQ(h[156], '0');
  EXPECT_EQ(std::string(h.data() + 257, 5), "ustar");
  EXPECT_EQ(std::string(h.data() + 345), "giao-ban");
  // The checksum: the sum of all bytes with its own field read as eight spaces.
  unsigned sum = 0;
  for (size_t i = 0; i < h.size(); ++i) sum += (i >= 148 && i < 156) ? ' ' : static_cast<unsigned char>(h[i]);
  EXPECT_EQ(std::stoul(std::string(h.data() + 148, 6), nullptr, 8), sum);
  EXPECT_EQ(h[154], '\0');
  EXPECT_EQ(h[155], ' ');
}

TEST_F(TarStreamTest, SizesPastEightGibibytesUseBase256) {
  const auto h = TarStream::header("m", "big.mkv", (uint64_t{9} << 30), 0);
  EXPECT_EQ(static_cast<unsigned char>(h[124]), 0x80u);
  uint64_t value = 0;
  for (int i = 128; i < 136; ++i) value = (value << 8) | static_cast<unsigned char>(h[i]);
  EXPECT_EQ(value, uint64_t{9} << 30);
}

TEST_F(TarStreamTest, AFileThatShrinksIsPaddedSoTheLengthHolds) {
  TarStream tar(folder_, "giao-ban");
  fs::resize_file(folder_ / "hall-20261201T010000Z.mkv", 100);
  const std::string bytes = drain(tar, 4096);
  EXPECT_EQ(bytes.size(), tar.size());
}

TEST_F(TarStreamTest, AnEmptyFolderIsJustTheTrailer) {
  fs::create_directories(dir_ / "none");
  TarStream tar(dir_ / "none", "none");
  EXPECT_EQ(tar.size(), 1024u);
  EXPECT_EQ(drain(tar, 100), std::string(1024, '\0'));
}

}  // namespace
}  // namespace diemcau::signaling::archive
