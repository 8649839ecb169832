#include "signaling/http/StaticFiles.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "signaling/http/MimeTypes.hpp"

namespace diemcau::signaling::http {
namespace {

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = std::filesystem::temp_directory_path() / ("diemcau-static-" + std::to_string(::getpid()));
    std::filesystem::create_directories(base_ / "web" / "js");
    std::ofstream(base_ / "web" / "index.html") << "<h1>index</h1>";
    std::ofstream(base_ / "web" / "js" / "app.mjs") << "export {}";
    std::ofstream(base_ / "web" / ".env") << "secret";
    std::ofstream(base_ / "secret.txt") << "secret";
    std::filesystem::create_symlink(base_ / "secret.txt", base_ / "web" / "leak.txt");
  }
  void TearDown() override { std::filesystem::remove_all(base_); }
  std::filesystem::path base_;
};

TEST_F(StaticFilesTest, ResolvesInsideRoot) {
  const StaticFiles files(base_ / "web");
  EXPECT_EQ(files.resolve("/")->filename(), "index.html");
  EXPECT_EQ(files.resolve("/js/app.mjs")->filename(), "app.mjs");
  EXPECT_EQ(files.resolve("/js/%61pp.mjs")->filename(), "app.mjs");
  EXPECT_EQ(files.resolve("//js/./app.mjs")->filename(), "app.mjs");
}

TEST_F(StaticFilesTest, RefusesEscapes) {
  const StaticFiles files(base_ / "web");
  for (const char* path : {"/../secret.txt", "/js/../../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt",
                           "/leak.txt", "/.env", "/js%5c..%5c..%5csecret.txt", "/index.html%00.png", "/missing",
                           "relative", "/%", "/%zz"}) {
    EXPECT_FALSE(files.resolve(path)) << path;
  }
}

TEST(MimeTypes, KnownAndUnknown) {
  EXPECT_EQ(mimeTypeFor("a.HTML"), "text/html; charset=utf-8");
  EXPECT_EQ(mimeTypeFor("a.mjs"), "text/javascript; charset=utf-8");
  EXPECT_EQ(mimeTypeFor("a.css"), "text/css; charset=utf-8");
  EXPECT_EQ(mimeTypeFor("a.svg"), "image/svg+xml");
  EXPECT_EQ(mimeTypeFor("a.woff2"), "font/woff2");
  EXPECT_EQ(mimeTypeFor("a.ico"), "image/x-icon");
  EXPECT_EQ(mimeTypeFor("Makefile"), "application/octet-stream");
}

}  // namespace
}  // namespace diemcau::signaling::http
