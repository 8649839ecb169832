#pragma once
// Asks again for a keyframe while a received video is stuck, as a browser does.
//
// After a loss no repair saved, webrtcbin's VP8 depayloader drops frames until a keyframe and asks
// for one (a PLI) once; if that PLI or the keyframe is lost too (5 % each way on nack_delay's link),
// the video stays frozen until the encoder's next periodic keyframe, seconds later. A browser's
// receiver re-requests while it has packets but nothing to decode (libwebrtc: every 200 ms or so).
// Here, a video stream whose last shown frame is older than kStallUs while its packets still
// arrive gets a force-key-unit request upstream (rtpsession turns it into a PLI) at most every
// kRetryUs. Only for streams that have shown a frame: the first keyframe is the bridge's business.
#include <gst/gst.h>

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>

namespace diemcau::peers {

class KeyframeWatchdog {
 public:
  static constexpr std::int64_t kStallUs = 400'000;
  static constexpr std::int64_t kRetryUs = 300'000;

  /// Watches the packets leaving webrtcbin on `pad` (a received video section `mid`).
  void watch(GstPad* pad, const std::string& mid);
  /// A frame of section `mid` was shown (streaming thread).
  void onFrameShown(const std::string& mid);
  std::uint64_t requests() const;

 private:
  struct Stream {
    KeyframeWatchdog* owner;
    std::int64_t lastShownUs = 0;
    std::int64_t lastRequestUs = 0;
  };
  static GstPadProbeReturn onPacket(GstPad* pad, GstPadProbeInfo* info, gpointer stream);
  Stream& streamOf(const std::string& mid);

  mutable std::mutex mutex_;  // the streams' streaming threads
  std::map<std::string, std::unique_ptr<Stream>> streams_;
  std::uint64_t requests_ = 0;
};

}  // namespace diemcau::peers
