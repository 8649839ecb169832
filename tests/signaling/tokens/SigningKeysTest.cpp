#include "signaling/tokens/SigningKeys.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "signaling/tokens/SecretFile.hpp"

namespace diemcau::signaling::tokens {
namespace {

class SigningKeysTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("diemcau-keys-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::filesystem::path dir_;
};

TEST_F(SigningKeysTest, CreatedAtFirstStartWithMode0600AndReloaded) {
  auto path = dir_ / "token.keys";
  auto first = SigningKeys::loadOrCreate(path);
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  auto again = SigningKeys::loadOrCreate(path);
  EXPECT_EQ(again.current().id, first.current().id);
  EXPECT_EQ(again.current().secret, first.current().secret);
  EXPECT_EQ(again.current().secret.size(), 32u);
}

TEST_F(SigningKeysTest, RotationIsPersisted) {
  auto path = dir_ / "token.keys";
  auto keys = SigningKeys::loadOrCreate(path);
  auto oldId = keys.current().id;
  keys.rotate();
  auto reloaded = SigningKeys::loadOrCreate(path);
  EXPECT_EQ(reloaded.current().id, keys.current().id);
  ASSERT_TRUE(reloaded.previous());
  EXPECT_EQ(reloaded.previous()->id, oldId);
  EXPECT_NE(reloaded.find(oldId), nullptr);
  EXPECT_EQ(reloaded.find("nope"), nullptr);
}

TEST_F(SigningKeysTest, WorldReadableKeyFileIsRefused) {
  auto path = dir_ / "loose.keys";
  std::ofstream(path) << "abcd1234 " << std::string(64, 'a') << "\n";
  ::chmod(path.c_str(), 0644);
  EXPECT_THROW(SigningKeys::loadOrCreate(path), SecretFileError);
}

TEST_F(SigningKeysTest, CorruptKeyFileIsRefused) {
  auto path = dir_ / "bad.keys";
  writeSecretFile(path, "abcd1234 not-hex");
  EXPECT_THROW(SigningKeys::loadOrCreate(path), SecretFileError);
}

}  // namespace
}  // namespace diemcau::signaling::tokens
