#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>

namespace diemcau::signaling::http {

/// A response body produced piece by piece (an archive export), so a large body never sits in memory.
/// The source announces its exact size up front (Content-Length) and must then produce exactly that
/// many bytes. Read on the signaling thread, one piece per socket write.
///
/// A source whose bytes come from the disk reads them ahead on its own thread (an archive export), so
/// the signaling thread never waits for the disk: while it has nothing buffered, available() is false
/// and the writer parks the response until the source calls back through notifyWhenAvailable().
class ByteSource {
 public:
  virtual ~ByteSource() = default;

  /// False while read() would have to wait for the next piece.
  virtual bool available() const { return true; }
  /// Calls `ready` once, from any thread, when available() has become true (at once when it is).
  virtual void notifyWhenAvailable(std::function<void()> ready) { ready(); }

  virtual std::uint64_t size() const = 0;
  /// Fills up to out.size() bytes and sets `produced`; 0 only at the end. False on an I/O failure,
  /// which aborts the response (the connection is closed, the client sees a short body).
  virtual bool read(std::span<char> out, std::size_t& produced) = 0;
};

}  // namespace diemcau::signaling::http
