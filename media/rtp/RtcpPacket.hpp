#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace diemcau::media::rtp {

/// RTCP packet types (RFC 3550 §12.1, RFC 4585 §6.1, RFC 3611).
namespace rtcp_type {
inline constexpr uint8_t kSr = 200;
inline constexpr uint8_t kRr = 201;
inline constexpr uint8_t kSdes = 202;
inline constexpr uint8_t kBye = 203;
inline constexpr uint8_t kApp = 204;
inline constexpr uint8_t kRtpfb = 205;  ///< transport layer feedback
inline constexpr uint8_t kPsfb = 206;   ///< payload-specific feedback
inline constexpr uint8_t kXr = 207;
}  // namespace rtcp_type

/**
 * One RTCP packet inside a compound (RFC 3550 §6.4.1 common header): a read-only view whose size
 * is the header's length field, already checked against the buffer by parse().
 */
class RtcpPacket {
 public:
  static constexpr size_t kHeaderSize = 4;

  /// Parses the packet at the start of [data, data + len). The buffer may hold more packets after it.
  static std::optional<RtcpPacket> parse(const uint8_t* data, size_t len);

  /// Writes a common header for a packet of `size` bytes (a multiple of 4, >= 4, <= 262144).
  static void writeHeader(uint8_t* out, uint8_t count, uint8_t packetType, size_t size);

  /// Report count, source count or feedback message type (FMT), depending on the packet type.
  uint8_t count() const { return data_[0] & 0x1F; }
  uint8_t packetType() const { return data_[1]; }
  bool hasPadding() const { return (data_[0] & 0x20) != 0; }
  /// Whole packet, header and padding included.
  size_t size() const { return size_; }
  const uint8_t* data() const { return data_; }
  /// Everything after the 4-byte header, padding excluded.
  std::span<const uint8_t> body() const { return {data_ + kHeaderSize, size_ - kHeaderSize - padding_}; }

 private:
  RtcpPacket(const uint8_t* data, size_t size, size_t padding) : data_(data), size_(size), padding_(padding) {}

  const uint8_t* data_;
  size_t size_;
  size_t padding_;
};

/**
 * Iterates the packets of a compound RTCP datagram. Stops at the first packet whose header is bad
 * or whose length reaches past the datagram, and reports it through malformed(); the packets
 * returned before that are intact.
 *
 *   RtcpCompound compound(buf, len);
 *   while (auto packet = compound.next()) { ... }
 *   if (compound.malformed()) { count a drop }
 */
class RtcpCompound {
 public:
  RtcpCompound(const uint8_t* data, size_t len) : data_(data), len_(data == nullptr ? 0 : len) {}

  std::optional<RtcpPacket> next();
  bool malformed() const { return malformed_; }
  /// True once every byte has been consumed by well-formed packets.
  bool complete() const { return !malformed_ && offset_ == len_; }

 private:
  const uint8_t* data_;
  size_t len_;
  size_t offset_ = 0;
  bool malformed_ = false;
};

}  // namespace diemcau::media::rtp
