#pragma once
// One archive folder as a POSIX ustar stream (POSIX.1-2001 "pax" interchange format, ustar header
// layout), produced piece by piece so a folder of recordings is never held in memory.
//
//   [header 512][file bytes][zero pad to 512] ... [2 x 512 zero blocks]
//
// The file list and sizes are a snapshot taken at construction: a file that grows afterwards is cut
// at its snapshot size, one that shrinks is padded with zeros, so size() always holds.
#include <array>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <span>
#include <string>
#include <vector>

namespace diemcau::signaling::archive {

class TarStream {
 public:
  struct Entry {
    std::string name;  // file name inside the folder
    std::filesystem::path path;
    uint64_t size = 0;
    int64_t mtimeSeconds = 0;
  };

  /// Every regular file of `folder` (not "*.tmp"), sorted by name, stored as "<directory>/<name>".
  /// Throws std::invalid_argument when `directory` is longer than the ustar prefix field (155).
  TarStream(const std::filesystem::path& folder, std::string directory);

  const std::vector<Entry>& entries() const { return entries_; }
  /// The exact length of the stream.
  uint64_t size() const { return size_; }
  /// Fills `out` as far as the stream goes; produced is 0 at the end. False when a file cannot be
  /// opened (the stream is then unusable).
  bool read(std::span<char> out, std::size_t& produced);

  static constexpr size_t kBlock = 512;
  /// The 512-byte ustar header of one member (exposed for tests).
  static std::array<char, kBlock> header(const std::string& prefix, const std::string& name, uint64_t size,
                                         int64_t mtimeSeconds);

 private:
  enum class Phase { Header, Data, Padding, Trailer, Done };

  bool openCurrent();
  void advance();

  std::string directory_;
  std::vector<Entry> entries_;
  uint64_t size_ = 0;
  size_t index_ = 0;
  Phase phase_ = Phase::Header;
  uint64_t phaseOffset_ = 0;
  std::array<char, kBlock> headerBlock_{};
  std::ifstream file_;
  bool fileEnded_ = false;
};

}  // namespace diemcau::signaling::archive
