// The export body reads the disk on the archive worker, a bounded number of pieces ahead, and gives
// exactly the bytes TarStream gives; the caller's thread only copies what is buffered.
#include "signaling/admin/ArchiveExportSource.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <future>
#include <random>
#include <thread>

namespace diemcau::signaling::admin {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

class ArchiveExportSourceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::remove_all(dir_);
    fs::create_directories(folder_);
    std::mt19937 random(7);
    std::string bytes(1'500'000, '\0');  // about 23 pieces, not a whole number of them
    for (char& c : bytes) c = static_cast<char>(random());
    std::ofstream(folder_ / "huyen.mkv", std::ios::binary) << bytes;
    std::ofstream(folder_ / "events.jsonl") << R"({"type":"room.created"})" << '\n';
  }
  void TearDown() override { fs::remove_all(dir_); }

  /// Holds the worker until the returned promise is set.
  static std::promise<void> block(archive::ArchiveWorker& worker) {
    std::promise<void> gate;
    worker.post([opened = gate.get_future().share()] { opened.wait(); });
    return gate;
  }
  /// Reads the whole source the way the HTTP writer does: wait for available(), then read.
  static bool drain(ArchiveExportSource& source, std::string& out) {
    std::vector<char> buffer(64 * 1024);
    for (;;) {
      if (!source.available()) {
        std::promise<void> ready;
        source.notifyWhenAvailable([&] { ready.set_value(); });
        if (ready.get_future().wait_for(10s) != std::future_status::ready) return false;
      }
      size_t produced = 0;
      if (!source.read(std::span<char>(buffer.data(), buffer.size()), produced)) return false;
      if (produced == 0) return true;
      out.append(buffer.data(), produced);
    }
  }
  std::string expected() const {
    archive::TarStream tar(folder_, "giao-ban");
    std::string all(tar.size(), '\0');
    size_t at = 0, produced = 0;
    while (tar.read(std::span<char>(all.data() + at, all.size() - at), produced) && produced > 0) at += produced;
    return all;
  }

  fs::path dir_ = fs::temp_directory_path() / ("diemcau-export-" + std::to_string(::getpid()));
  fs::path folder_ = dir_ / "giao-ban";
  std::shared_ptr<archive::ArchiveWorker> worker_ = std::make_shared<archive::ArchiveWorker>();
};

TEST_F(ArchiveExportSourceTest, ReadsOnTheWorkerAndWakesTheWriter) {
  auto gate = block(*worker_);
  ArchiveExportSource source(folder_, "giao-ban", worker_);
  EXPECT_EQ(source.size(), expected().size());
  // The worker is held: nothing can have been read, and nobody reads on this thread.
  EXPECT_FALSE(source.available());
  EXPECT_EQ(source.buffered(), 0u);
  std::promise<std::thread::id> woken;
  source.notifyWhenAvailable([&] { woken.set_value(std::this_thread::get_id()); });
  gate.set_value();
  auto wokenOn = woken.get_future();
  ASSERT_EQ(wokenOn.wait_for(10s), std::future_status::ready);
  EXPECT_NE(wokenOn.get(), std::this_thread::get_id()) << "the wake-up comes from the worker";
  EXPECT_TRUE(source.available());

  std::string all;
  ASSERT_TRUE(drain(source, all));
  EXPECT_EQ(all, expected());
}

TEST_F(ArchiveExportSourceTest, ReadsAheadOnlyABoundedAmount) {
  ArchiveExportSource source(folder_, "giao-ban", worker_);
  constexpr size_t kBound = ArchiveExportSource::kDepth * ArchiveExportSource::kPiece;
  // Nobody takes anything: the worker fills the buffer and stops there.
  for (int i = 0; i < 1000 && source.buffered() < kBound; ++i) std::this_thread::sleep_for(5ms);
  EXPECT_EQ(source.buffered(), kBound);
  std::promise<void> idle;
  worker_->post([&] { idle.set_value(); });  // runs after any fill job still queued
  ASSERT_EQ(idle.get_future().wait_for(10s), std::future_status::ready);
  EXPECT_EQ(source.buffered(), kBound) << "read on past the bound while nothing was taken";

  // Taking one piece lets the worker read one more, never more than the bound.
  std::vector<char> piece(ArchiveExportSource::kPiece);
  size_t produced = 0;
  ASSERT_TRUE(source.read(std::span<char>(piece.data(), piece.size()), produced));
  EXPECT_EQ(produced, piece.size());
  for (int i = 0; i < 1000 && source.buffered() < kBound; ++i) std::this_thread::sleep_for(5ms);
  EXPECT_EQ(source.buffered(), kBound);

  std::string rest;
  ASSERT_TRUE(drain(source, rest));
  EXPECT_EQ(std::string(piece.data(), produced) + rest, expected());
}

TEST_F(ArchiveExportSourceTest, AFileGoneBeforeItIsReadFailsTheStream) {
  auto gate = block(*worker_);
  ArchiveExportSource source(folder_, "giao-ban", worker_);
  fs::remove(folder_ / "huyen.mkv");  // in the snapshot, not on the disk any more
  gate.set_value();
  std::string some;
  EXPECT_FALSE(drain(source, some));
  EXPECT_LT(some.size(), source.size());
}

TEST_F(ArchiveExportSourceTest, ASourceDroppedMidwayLeavesTheWorkerUsable) {
  {
    ArchiveExportSource source(folder_, "giao-ban", worker_);
    source.notifyWhenAvailable([] {});
  }
  ArchiveExportSource again(folder_, "giao-ban", worker_);
  std::string all;
  ASSERT_TRUE(drain(again, all));
  EXPECT_EQ(all, expected());
}

}  // namespace
}  // namespace diemcau::signaling::admin
