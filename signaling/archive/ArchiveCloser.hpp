#pragma once
// Closes the archive of a meeting that has ended without stalling the signaling thread:
//
//   signaling thread: minutes.json, minutes.md (they need the store; the event log is small)
//   worker thread:    SHA256 of every file (the recordings: up to gigabytes), SHA256SUMS written
//   signaling thread: done(result), through the owner's post
//
// Until SHA256SUMS is written the archive lists as "open", as it is. A server stopped before the worker
// got to it finishes the hashing while shutting down (ArchiveWorker drains); a crash leaves the folder
// without SHA256SUMS, which MeetingArchive::recover() closes at the next start.
#include <cstddef>
#include <filesystem>
#include <functional>
#include <string>

#include "signaling/archive/ArchiveWorker.hpp"
#include "signaling/archive/MinutesText.hpp"
#include "signaling/store/Store.hpp"

namespace diemcau::signaling::archive {

class ArchiveCloser {
 public:
  /// Runs a function on the signaling thread (the io_context's post).
  using Post = std::function<void(std::function<void()>)>;

  struct Closed {
    std::string meetingId;
    std::size_t recordings = 0;
    bool ok = false;
    std::string error;  // why SHA256SUMS could not be written
  };

  ArchiveCloser(std::filesystem::path dataDir, store::Store& store, Post post);

  /// Signaling thread. Writes the minutes now and queues the hashing; `done` runs through `post` once
  /// SHA256SUMS is written (or could not be). Throws std::runtime_error when the minutes cannot be
  /// written (no event log): then nothing is queued.
  void close(const std::string& meetingId, std::function<void(const Closed&)> done = {},
             MinutesLanguage language = MinutesLanguage::Vietnamese);

  ArchiveWorker& worker() { return worker_; }

 private:
  std::filesystem::path dataDir_;
  store::Store& store_;
  Post post_;
  ArchiveWorker worker_;  // last: drained and joined before the rest goes
};

}  // namespace diemcau::signaling::archive
