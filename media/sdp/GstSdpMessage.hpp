#pragma once

#include <gst/sdp/sdp.h>

#include <memory>
#include <string>
#include <string_view>

namespace diemcau::media::sdp {

/// Owns a GstSDPMessage (gst_sdp_message_free on destruction).
class GstSdpMessage {
 public:
  /// An empty message to fill in.
  GstSdpMessage();
  /// Parses text with gst_sdp_message_new_from_text; throws SdpError(parse_error) if GstSDP refuses it.
  static GstSdpMessage fromText(std::string_view text);

  GstSDPMessage* get() const noexcept { return message_.get(); }
  /// gst_sdp_message_as_text: CRLF-terminated lines in RFC 8866 field order.
  std::string toText() const;

 private:
  struct Deleter {
    void operator()(GstSDPMessage* message) const noexcept { gst_sdp_message_free(message); }
  };
  explicit GstSdpMessage(GstSDPMessage* message) : message_(message) {}

  std::unique_ptr<GstSDPMessage, Deleter> message_;
};

/// Owns a GstSDPMedia until it is moved into a message.
class GstSdpMedia {
 public:
  GstSdpMedia();
  GstSDPMedia* get() const noexcept { return media_.get(); }
  void addAttribute(std::string_view key, std::string_view value = {});
  /// Hands the contents to `message` (gst_sdp_message_add_media moves them) and keeps nothing.
  void moveInto(GstSdpMessage& message);

 private:
  struct Deleter {
    void operator()(GstSDPMedia* media) const noexcept { gst_sdp_media_free(media); }
  };
  std::unique_ptr<GstSDPMedia, Deleter> media_;
};

}  // namespace diemcau::media::sdp
