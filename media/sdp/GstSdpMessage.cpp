#include "media/sdp/GstSdpMessage.hpp"

#include <glib.h>

#include "media/sdp/SdpError.hpp"

namespace diemcau::media::sdp {

GstSdpMessage::GstSdpMessage() {
  GstSDPMessage* message = nullptr;
  if (gst_sdp_message_new(&message) != GST_SDP_OK || message == nullptr) {
    throw SdpError(SdpErrorCode::ParseError, "GstSDP could not allocate a message");
  }
  message_.reset(message);
}

GstSdpMessage GstSdpMessage::fromText(std::string_view text) {
  // GstSDP reads a C string; the caller has already refused embedded NULs.
  const std::string copy(text);
  GstSDPMessage* message = nullptr;
  const GstSDPResult result = gst_sdp_message_new_from_text(copy.c_str(), &message);
  if (result != GST_SDP_OK || message == nullptr) {
    if (message != nullptr) gst_sdp_message_free(message);
    throw SdpError(SdpErrorCode::ParseError, "the SDP text could not be parsed");
  }
  return GstSdpMessage(message);
}

std::string GstSdpMessage::toText() const {
  gchar* raw = gst_sdp_message_as_text(message_.get());
  if (raw == nullptr) return {};
  std::string out(raw);
  g_free(raw);
  return out;
}

GstSdpMedia::GstSdpMedia() {
  GstSDPMedia* media = nullptr;
  if (gst_sdp_media_new(&media) != GST_SDP_OK || media == nullptr) {
    throw SdpError(SdpErrorCode::ParseError, "GstSDP could not allocate a media section");
  }
  media_.reset(media);
}

void GstSdpMedia::addAttribute(std::string_view key, std::string_view value) {
  const std::string k(key);
  const std::string v(value);
  gst_sdp_media_add_attribute(media_.get(), k.c_str(), value.empty() ? nullptr : v.c_str());
}

void GstSdpMedia::moveInto(GstSdpMessage& message) {
  // gst_sdp_message_add_media copies the struct and zeroes ours: only the empty shell is left to free.
  gst_sdp_message_add_media(message.get(), media_.get());
  g_free(media_.release());
}

}  // namespace diemcau::media::sdp
