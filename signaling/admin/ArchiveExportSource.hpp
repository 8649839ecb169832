#pragma once
// The body of GET /api/v1/archives/<id>/export: the folder's TarStream, read ahead on the archive's
// worker thread so the signaling thread never waits for the disk.
//
//   worker:    TarStream.read ──► [ up to kDepth pieces of kPiece bytes ] ──► read(): memcpy only
//   signaling: available() false while empty ──► the session parks ──► notifyWhenAvailable fires
//
// Memory per export is bounded: at most kDepth pieces buffered (the worker stops filling while the
// buffer is full and read() restarts it), plus the HTTP writer's own 64 KiB buffer.
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "signaling/archive/ArchiveWorker.hpp"
#include "signaling/archive/TarStream.hpp"
#include "signaling/http/ByteSource.hpp"

namespace diemcau::signaling::admin {

class ArchiveExportSource final : public diemcau::signaling::http::ByteSource {
 public:
  static constexpr std::size_t kPiece = 64 * 1024;
  static constexpr std::size_t kDepth = 4;

  /// Lists the folder now (a snapshot, see TarStream) and starts reading ahead on `worker`.
  ArchiveExportSource(const std::filesystem::path& folder, const std::string& directory,
                      std::shared_ptr<archive::ArchiveWorker> worker);
  ~ArchiveExportSource() override;

  std::uint64_t size() const override { return size_; }
  bool read(std::span<char> out, std::size_t& produced) override;
  bool available() const override;
  void notifyWhenAvailable(std::function<void()> ready) override;

  /// Bytes read from the disk and not yet taken by read() (tests check the bound).
  std::size_t buffered() const;

 private:
  /// What the worker's jobs share with the source; they hold it, never the source itself.
  struct State {
    explicit State(archive::TarStream stream) : tar(std::move(stream)) {}
    archive::TarStream tar;  // touched by the worker only, one fill job at a time
    mutable std::mutex mutex;
    std::condition_variable filled;
    std::deque<std::vector<char>> pieces;
    std::size_t frontOffset = 0;  // bytes of pieces.front() already taken
    bool filling = false;         // a fill job is queued or running
    bool ended = false;           // the tar stream is exhausted
    bool failed = false;          // a file could not be read
    bool cancelled = false;       // the source is gone: stop reading
    std::function<void()> waiter;
  };

  static void fill(const std::shared_ptr<State>& state);
  /// With the lock held: queues a fill job unless one is pending or the buffer is full or done.
  void scheduleFill(std::unique_lock<std::mutex>& lock);
  static bool readyLocked(const State& state) { return !state.pieces.empty() || state.ended || state.failed; }

  std::shared_ptr<State> state_;
  std::shared_ptr<archive::ArchiveWorker> worker_;
  std::uint64_t size_ = 0;
};

}  // namespace diemcau::signaling::admin
