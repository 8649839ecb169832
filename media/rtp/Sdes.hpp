#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

#include "media/rtp/RtcpPacket.hpp"

namespace diemcau::media::rtp {

/// One SDES chunk; only the CNAME item matters to the bridge (it ties a participant's streams together).
struct SdesChunk {
  uint32_t ssrc = 0;
  std::string_view cname;  ///< empty if the chunk has no CNAME item
};

/// Read-only view of a source description packet (PT 202, RFC 3550 §6.5).
class Sdes {
 public:
  static constexpr uint8_t kCname = 1;

  /// Walks the chunks one by one; stops with malformed() on an item or chunk that overruns the packet.
  class Reader {
   public:
    std::optional<SdesChunk> next();
    bool malformed() const { return malformed_; }

   private:
    friend class Sdes;
    Reader(std::span<const uint8_t> body, size_t chunkCount) : body_(body), remaining_(chunkCount) {}

    std::span<const uint8_t> body_;
    size_t remaining_;
    size_t offset_ = 0;
    bool malformed_ = false;
  };

  static std::optional<Sdes> parse(const RtcpPacket& packet);
  /// Writes an SDES with one chunk holding one CNAME (at most 255 bytes); returns bytes written or 0.
  static size_t writeCname(std::span<uint8_t> out, uint32_t ssrc, std::string_view cname);

  size_t chunkCount() const { return chunkCount_; }
  Reader chunks() const { return Reader(body_, chunkCount_); }

 private:
  Sdes(std::span<const uint8_t> body, size_t chunkCount) : body_(body), chunkCount_(chunkCount) {}

  std::span<const uint8_t> body_;
  size_t chunkCount_;
};

}  // namespace diemcau::media::rtp
