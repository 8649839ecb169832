#include "signaling/scheduler/TimeZone.hpp"

#include <algorithm>
#include <fstream>
#include <iterator>

namespace diemcau::signaling::scheduler {

namespace {

constexpr std::size_t kMaxTzifSize = 1 << 20;
constexpr std::int32_t kMaxOffset = 26 * 3600;  // RFC 8536 section 3.2: utoff within [-89999, 93599]

class Reader {
 public:
  explicit Reader(std::string_view data) : data_(data) {}
  bool has(std::size_t n) const { return data_.size() - pos_ >= n; }
  std::uint64_t be(std::size_t n) {
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < n; ++i) v = (v << 8) | static_cast<std::uint8_t>(data_[pos_ + i]);
    pos_ += n;
    return v;
  }
  void skip(std::size_t n) { pos_ += n; }
  std::size_t pos() const { return pos_; }

 private:
  std::string_view data_;
  std::size_t pos_ = 0;
};

struct Header {
  char version;
  std::uint64_t isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt;
};

std::optional<Header> readHeader(Reader& r, std::string_view data) {
  if (!r.has(44) || data.substr(r.pos(), 4) != "TZif") return std::nullopt;
  Header h{};
  h.version = data[r.pos() + 4];
  r.skip(20);
  h.isutcnt = r.be(4);
  h.isstdcnt = r.be(4);
  h.leapcnt = r.be(4);
  h.timecnt = r.be(4);
  h.typecnt = r.be(4);
  h.charcnt = r.be(4);
  if (h.typecnt == 0 || h.typecnt > 256 || h.timecnt > 100000 || h.leapcnt > 10000 || h.charcnt > 10000) {
    return std::nullopt;
  }
  if ((h.isutcnt != 0 && h.isutcnt != h.typecnt) || (h.isstdcnt != 0 && h.isstdcnt != h.typecnt))
    return std::nullopt;
  return h;
}

std::size_t blockSize(const Header& h, std::size_t timeSize) {
  return h.timecnt * timeSize + h.timecnt + h.typecnt * 6 + h.charcnt + h.leapcnt * (timeSize + 4) +
         h.isstdcnt + h.isutcnt;
}

bool safeName(std::string_view name) {
  if (name.empty() || name.size() > 64 || name.front() == '/' || name.find("..") != std::string_view::npos) {
    return false;
  }
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
           c == '-' || c == '+' || c == '/';
  });
}

}  // namespace

TimeZone TimeZone::utc() {
  TimeZone tz;
  tz.name_ = "UTC";
  return tz;
}

std::optional<TimeZone> TimeZone::load(std::string_view name, const std::filesystem::path& root) {
  if (!safeName(name)) return std::nullopt;
  std::ifstream in(root / std::string(name), std::ios::binary);
  if (!in) return std::nullopt;
  std::string data;
  data.resize(kMaxTzifSize + 1);
  in.read(data.data(), static_cast<std::streamsize>(data.size()));
  data.resize(static_cast<std::size_t>(in.gcount()));
  if (data.size() > kMaxTzifSize) return std::nullopt;
  return parse(name, data);
}

std::optional<TimeZone> TimeZone::parse(std::string_view name, std::string_view data) {
  Reader r(data);
  auto h = readHeader(r, data);
  if (!h) return std::nullopt;
  std::size_t timeSize = 4;
  if (h->version >= '2') {
    // Version 2+: skip the 32-bit block, use the 64-bit one that follows (RFC 8536 section 3.1).
    if (!r.has(blockSize(*h, 4))) return std::nullopt;
    r.skip(blockSize(*h, 4));
    h = readHeader(r, data);
    if (!h) return std::nullopt;
    timeSize = 8;
  }
  if (!r.has(blockSize(*h, timeSize))) return std::nullopt;
  std::vector<std::int64_t> times(h->timecnt);
  for (auto& t : times) {
    auto raw = r.be(timeSize);
    t = timeSize == 4 ? static_cast<std::int32_t>(static_cast<std::uint32_t>(raw))
                      : static_cast<std::int64_t>(raw);
  }
  std::vector<std::uint8_t> indices(h->timecnt);
  for (auto& i : indices) i = static_cast<std::uint8_t>(r.be(1));
  std::vector<std::int32_t> offsets(h->typecnt);
  std::vector<bool> dst(h->typecnt);
  for (std::size_t i = 0; i < h->typecnt; ++i) {
    offsets[i] = static_cast<std::int32_t>(static_cast<std::uint32_t>(r.be(4)));
    dst[i] = r.be(1) != 0;
    r.skip(1);
    if (offsets[i] < -kMaxOffset || offsets[i] > kMaxOffset) return std::nullopt;
  }
  TimeZone tz;
  tz.name_ = std::string(name);
  // RFC 8536 section 3.2: before the first transition, local time type 0 applies.
  tz.initialOffset_ = offsets[0];
  for (std::size_t i = 0; i < times.size(); ++i) {
    if (indices[i] >= h->typecnt) return std::nullopt;
    if (i > 0 && times[i] <= times[i - 1]) return std::nullopt;
    tz.transitions_.push_back({times[i], offsets[indices[i]]});
  }
  return tz;
}

std::chrono::seconds TimeZone::offsetAt(std::chrono::sys_seconds utc) const {
  auto t = utc.time_since_epoch().count();
  auto it = std::upper_bound(transitions_.begin(), transitions_.end(), t,
                             [](std::int64_t value, const Transition& tr) { return value < tr.at; });
  if (it == transitions_.begin()) return std::chrono::seconds{initialOffset_};
  return std::chrono::seconds{std::prev(it)->offset};
}

std::chrono::local_seconds TimeZone::toLocal(std::chrono::sys_seconds utc) const {
  return std::chrono::local_seconds{utc.time_since_epoch() + offsetAt(utc)};
}

std::chrono::sys_seconds TimeZone::toUtc(std::chrono::local_seconds local) const {
  std::chrono::sys_seconds guess{local.time_since_epoch()};
  auto first = offsetAt(guess - offsetAt(guess));
  std::chrono::sys_seconds candidate{local.time_since_epoch() - first};
  auto second = offsetAt(candidate);
  if (second == first) return candidate;
  return std::chrono::sys_seconds{local.time_since_epoch() - std::max(first, second)};
}

std::vector<TimeZone::OffsetChange> TimeZone::changesBetween(std::chrono::sys_seconds from,
                                                             std::chrono::sys_seconds to,
                                                             std::size_t limit) const {
  std::vector<OffsetChange> changes;
  auto previous = offsetAt(from);
  auto it = std::upper_bound(transitions_.begin(), transitions_.end(), from.time_since_epoch().count(),
                             [](std::int64_t value, const Transition& tr) { return value < tr.at; });
  for (; it != transitions_.end() && it->at <= to.time_since_epoch().count() && changes.size() < limit;
       ++it) {
    std::chrono::seconds offset{it->offset};
    if (offset == previous) continue;
    changes.push_back({std::chrono::sys_seconds{std::chrono::seconds{it->at}}, previous, offset});
    previous = offset;
  }
  return changes;
}

}  // namespace diemcau::signaling::scheduler
