#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>

namespace diemcau::media::rtp {

/// RFC 6464 client-to-mixer audio level.
struct AudioLevel {
  bool voice = false;  ///< V flag: the encoder believes the frame contains speech.
  uint8_t level = 127; ///< -dBov, 0 (loudest) .. 127 (silence).
};

/**
 * A mutable, non-owning view of one RTP packet (RFC 3550 §5.1) over a caller-owned buffer.
 *
 * parse() validates every length once (CSRC list, extension block, padding), so the accessors
 * never read outside [data, data + size). Setters rewrite the header in place; nothing here
 * allocates, throws or logs: this is the per-packet hot path of the bridge.
 */
class RtpPacket {
 public:
  static constexpr size_t kFixedHeaderSize = 12;
  static constexpr uint16_t kOneByteProfile = 0xBEDE;
  static constexpr uint16_t kTwoByteProfileMask = 0xFFF0;
  static constexpr uint16_t kTwoByteProfile = 0x1000;

  /// Returns a view if the buffer holds a well-formed RTP packet, std::nullopt otherwise.
  static std::optional<RtpPacket> parse(uint8_t* data, size_t len);

  uint8_t payloadType() const { return data_[1] & 0x7F; }
  bool marker() const { return (data_[1] & 0x80) != 0; }
  uint16_t sequence() const;
  uint32_t timestamp() const;
  uint32_t ssrc() const;
  uint8_t csrcCount() const { return data_[0] & 0x0F; }
  /// The i-th contributing source; 0 when i >= csrcCount().
  uint32_t csrc(size_t i) const;

  bool hasExtension() const { return extensionSize_ != 0; }
  /// "defined by profile" field of the extension block (0xBEDE, 0x100X, or anything else).
  uint16_t extensionProfile() const;
  /// The extension elements, without the 4-byte extension block header.
  std::span<const uint8_t> extensionBlock() const;

  size_t headerSize() const { return headerSize_; }
  size_t paddingSize() const { return paddingSize_; }
  size_t size() const { return size_; }
  uint8_t* data() const { return data_; }
  /// Media payload, padding excluded.
  std::span<uint8_t> payload() const;

  void setPayloadType(uint8_t pt);
  void setMarker(bool marker);
  void setSequence(uint16_t seq);
  void setTimestamp(uint32_t ts);
  void setSsrc(uint32_t ssrc);

  // RFC 8285 header extensions (one-byte 0xBEDE and two-byte 0x100X forms). Each lookup walks the
  // extension block, which is bounded by headerSize(); ids are those negotiated in SDP extmap.

  /// True if element `id` is present (a two-byte form element may be present with an empty value).
  bool hasExtension(uint8_t id) const { return findExtension(id).has_value(); }
  /// Value of extension `id`, empty if absent (or if the block is in an unknown profile).
  std::span<const uint8_t> extension(uint8_t id) const;
  /// Overwrites the value of extension `id` in place; false unless present with exactly value.size() bytes.
  bool setExtension(uint8_t id, std::span<const uint8_t> value);
  /// Turns extension `id` (header and value) into padding bytes (RFC 8285 §4.2 / §4.3: id 0 is padding),
  /// so receivers skip it without the packet changing size. False if absent.
  bool removeExtension(uint8_t id);

  std::optional<AudioLevel> audioLevel(uint8_t id) const;
  std::string_view mid(uint8_t id) const;
  std::string_view rid(uint8_t id) const;
  std::optional<uint16_t> transportSequence(uint8_t id) const;
  bool setTransportSequence(uint8_t id, uint16_t seq);
  /// 24-bit abs-send-time, 6.18 fixed-point seconds.
  std::optional<uint32_t> absSendTime(uint8_t id) const;

 private:
  struct ExtensionElement {
    size_t headerOffset = 0;  // of the element's id byte, from data_
    size_t headerLength = 0;  // 1 (one-byte form) or 2 (two-byte form)
    size_t valueLength = 0;
  };

  RtpPacket(uint8_t* data, size_t size, size_t headerSize, size_t extensionSize, size_t paddingSize)
      : data_(data), size_(size), headerSize_(headerSize), extensionSize_(extensionSize),
        paddingSize_(paddingSize) {}

  std::optional<ExtensionElement> findExtension(uint8_t id) const;

  uint8_t* data_;
  size_t size_;
  size_t headerSize_;
  size_t extensionSize_;  // extension block including its 4-byte header, 0 if X is clear
  size_t paddingSize_;
};

}  // namespace diemcau::media::rtp
