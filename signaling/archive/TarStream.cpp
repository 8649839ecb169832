#include "signaling/archive/TarStream.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <stdexcept>

namespace diemcau::signaling::archive {

namespace fs = std::filesystem;

namespace {

uint64_t padded(uint64_t size) { return (size + TarStream::kBlock - 1) / TarStream::kBlock * TarStream::kBlock; }

/// An octal field of `width` bytes: width-1 digits and a NUL (POSIX ustar, "size" and friends).
void octal(char* field, size_t width, uint64_t value) {
  std::memset(field, '0', width - 1);
  field[width - 1] = '\0';
  for (size_t i = width - 1; i > 0 && value > 0; --i) {
    field[i - 1] = static_cast<char>('0' + (value & 7));
    value >>= 3;
  }
}

/// Sizes beyond 8 GiB do not fit 11 octal digits: GNU tar and libarchive read the base-256 form, the
/// top bit of the first byte set and the value big-endian in the rest.
void sizeField(char* field, uint64_t value) {
  if (value < (uint64_t{1} << 33)) return octal(field, 12, value);
  std::memset(field, 0, 12);
  field[0] = static_cast<char>(0x80);
  for (int i = 11; i >= 4; --i) {
    field[i] = static_cast<char>(value & 0xff);
    value >>= 8;
  }
}

}  // namespace

TarStream::TarStream(const fs::path& folder, std::string directory) : directory_(std::move(directory)) {
  if (directory_.empty() || directory_.size() > 155) throw std::invalid_argument("tar directory name too long");
  for (const auto& item : fs::directory_iterator(folder)) {
    const std::string name = item.path().filename().string();
    if (!item.is_regular_file() || name.ends_with(".tmp")) continue;
    if (name.size() > 100) {
      spdlog::warn("archive export: '{}' has a name longer than ustar allows; left out", name);
      continue;
    }
    Entry entry;
    entry.name = name;
    entry.path = item.path();
    entry.size = item.file_size();
    const auto written = fs::last_write_time(item.path());
    entry.mtimeSeconds = std::chrono::duration_cast<std::chrono::seconds>(
                             std::chrono::file_clock::to_sys(written).time_since_epoch())
                             .count();
    entries_.push_back(std::move(entry));
  }
  std::sort(entries_.begin(), entries_.end(), [](const Entry& a, const Entry& b) { return a.name < b.name; });
  for (const Entry& e : entries_) size_ += kBlock + padded(e.size);
  size_ += 2 * kBlock;
  phase_ = entries_.empty() ? Phase::Trailer : Phase::Header;
  if (!entries_.empty()) headerBlock_ = header(directory_, entries_[0].name, entries_[0].size, entries_[0].mtimeSeconds);
}

std::array<char, TarStream::kBlock> TarStream::header(const std::string& prefix, const std::string& name,
                                                      uint64_t size, int64_t mtimeSeconds) {
  std::array<char, kBlock> h{};
  std::memcpy(h.data(), name.data(), std::min<size_t>(name.size(), 100));  // name[100] at 0
  octal(h.data() + 100, 8, 0644);                                          // mode
  octal(h.data() + 108, 8, 0);                                             // uid
  octal(h.data() + 116, 8, 0);                                             // gid
  sizeField(h.data() + 124, size);                                         // size[12]
  octal(h.data() + 136, 12, static_cast<uint64_t>(std::max<int64_t>(0, mtimeSeconds)));
  std::memset(h.data() + 148, ' ', 8);  // the checksum counts its own field as spaces
  h[156] = '0';                         // typeflag: regular file
  std::memcpy(h.data() + 257, "ustar", 6);
  std::memcpy(h.data() + 263, "00", 2);
  std::memcpy(h.data() + 265, "diemcau", 7);  // uname
  std::memcpy(h.data() + 297, "diemcau", 7);  // gname
  std::memcpy(h.data() + 345, prefix.data(), std::min<size_t>(prefix.size(), 155));
  unsigned sum = 0;
  for (char c : h) sum += static_cast<unsigned char>(c);
  octal(h.data() + 148, 7, sum);  // six digits and a NUL, then the space already there
  return h;
}

bool TarStream::openCurrent() {
  file_.close();
  file_.clear();
  file_.open(entries_[index_].path, std::ios::binary);
  fileEnded_ = false;
  if (!file_) {
    spdlog::error("archive export: cannot open {}", entries_[index_].path.string());
    return false;
  }
  return true;
}

void TarStream::advance() {
  phaseOffset_ = 0;
  switch (phase_) {
    case Phase::Header:
      phase_ = Phase::Data;
      break;
    case Phase::Data:
      phase_ = Phase::Padding;
      break;
    case Phase::Padding:
      file_.close();
      if (++index_ < entries_.size()) {
        phase_ = Phase::Header;
        const Entry& e = entries_[index_];
        headerBlock_ = header(directory_, e.name, e.size, e.mtimeSeconds);
      } else {
        phase_ = Phase::Trailer;
      }
      break;
    case Phase::Trailer:
    case Phase::Done:
      phase_ = Phase::Done;
      break;
  }
}

bool TarStream::read(std::span<char> out, std::size_t& produced) {
  produced = 0;
  while (produced < out.size() && phase_ != Phase::Done) {
    char* at = out.data() + produced;
    const size_t room = out.size() - produced;
    if (phase_ == Phase::Header) {
      const size_t n = std::min<uint64_t>(room, kBlock - phaseOffset_);
      std::memcpy(at, headerBlock_.data() + phaseOffset_, n);
      produced += n;
      phaseOffset_ += n;
      if (phaseOffset_ == kBlock) {
        advance();
        if (!openCurrent()) return false;
      }
    } else if (phase_ == Phase::Data) {
      const uint64_t size = entries_[index_].size;
      const size_t n = std::min<uint64_t>(room, size - phaseOffset_);
      size_t got = 0;
      if (!fileEnded_ && n > 0) {
        file_.read(at, static_cast<std::streamsize>(n));
        got = static_cast<size_t>(file_.gcount());
        if (file_.bad()) return false;
        if (got < n) {
          fileEnded_ = true;
          spdlog::warn("archive export: {} shrank while exported; padded with zeros",
                       entries_[index_].path.string());
        }
      }
      std::memset(at + got, 0, n - got);
      produced += n;
      phaseOffset_ += n;
      if (phaseOffset_ == size) advance();
    } else {
      const uint64_t length =
          phase_ == Phase::Padding ? padded(entries_[index_].size) - entries_[index_].size : 2 * kBlock;
      const size_t n = std::min<uint64_t>(room, length - phaseOffset_);
      std::memset(at, 0, n);
      produced += n;
      phaseOffset_ += n;
      if (phaseOffset_ == length) advance();
    }
  }
  return true;
}

}  // namespace diemcau::signaling::archive
