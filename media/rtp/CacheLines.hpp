#pragma once
// The cache lines one send to one receiver is about to touch, remembered so that a fan-out can
// prefetch them while it still works on the receiver before.
//
// Why: forwarding one packet to hundreds of receivers walks, per receiver, its track, transport,
// ICE path, SRTP session, stream table and cipher context: a dozen lines in half a dozen heap
// objects. Once hundreds of receivers no longer fit in the core's own caches each object is a
// miss, and each is found through a pointer in the one before, so the misses come one after
// another. Addresses taken while those lines were hot (at an earlier send) let all of them be
// requested at once, one receiver ahead, with no pointer to follow.
//
// An address that went stale (its object replaced since) costs one useless prefetch: a prefetch
// never faults. No allocation; a fixed number of lines, the rest ignored.
#include <array>
#include <cstddef>
#include <cstdint>

namespace diemcau::media {

class CacheLines {
 public:
  static constexpr std::size_t kLineSize = 64;
  // A lite transport's send path takes up to 14. The load generator's receive path reports 22-28
  // (link, transport, SRTP stream, subscriber, ledger); the subscriber's, last, are cut off, and
  // room for all of them measured no better (docs/PERFORMANCE.md).
  static constexpr std::size_t kMaxLines = 16;

  void clear() noexcept { count_ = 0; }

  /// The lines holding [object, object + size); nothing for a null object.
  void add(const void* object, std::size_t size = 1) noexcept {
    if (object == nullptr) return;
    const auto begin = reinterpret_cast<std::uintptr_t>(object);
    const std::uintptr_t end = begin + (size == 0 ? 1 : size);
    for (std::uintptr_t line = begin & ~std::uintptr_t{kLineSize - 1}; line < end && count_ < kMaxLines;
         line += kLineSize) {
      if (!contains(line)) lines_[count_++] = line;
    }
  }
  /// The lines of one member or object, by its type's size.
  template <typename T>
  void addObject(const T& object) noexcept {
    add(&object, sizeof(T));
  }
  /// The lines from member `first` to the end of member `last` (declared together, in that order).
  /// Neither may be a reference member: its address is that of the object it refers to.
  template <typename First, typename Last>
  void addMembers(const First& first, const Last& last) noexcept {
    add(&first, span(first, last));
  }

  /// Asks for every line, into all cache levels.
  void prefetch() const noexcept {
    for (std::size_t i = 0; i < count_; ++i) prefetchLine(lines_[i]);
  }

  std::size_t size() const noexcept { return count_; }
  std::uintptr_t line(std::size_t i) const noexcept { return lines_[i]; }

  /// The lines from member `first` to the end of member `last` asked for at once, without keeping them.
  template <typename First, typename Last>
  static void prefetchMembers(const First& first, const Last& last) noexcept {
    const auto begin = reinterpret_cast<std::uintptr_t>(&first);
    const std::uintptr_t end = begin + span(first, last);
    for (std::uintptr_t line = begin & ~std::uintptr_t{kLineSize - 1}; line < end; line += kLineSize) {
      prefetchLine(line);
    }
  }

 private:
  // GCC counts __builtin_prefetch as free of side effects: a small inline function made of nothing
  // else is judged pure, and a call to it whose (void) result goes unused is deleted whole, so the
  // prefetches silently vanish from some callers. An asm statement marked volatile stays.
  static void prefetchLine(std::uintptr_t line) noexcept {
#if defined(__x86_64__) || defined(__i386__)
    asm volatile("prefetcht0 %0" : : "m"(*reinterpret_cast<const char*>(line)));
#else
    __builtin_prefetch(reinterpret_cast<const void*>(line), 1, 3);
#endif
  }

  template <typename First, typename Last>
  static std::size_t span(const First& first, const Last& last) noexcept {
    return static_cast<std::size_t>(reinterpret_cast<const char*>(&last + 1) - reinterpret_cast<const char*>(&first));
  }
  bool contains(std::uintptr_t line) const noexcept {
    for (std::size_t i = 0; i < count_; ++i) {
      if (lines_[i] == line) return true;
    }
    return false;
  }

  std::array<std::uintptr_t, kMaxLines> lines_{};
  std::size_t count_ = 0;
};

}  // namespace diemcau::media
