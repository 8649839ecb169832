#include "tests/peers/PeerOptions.hpp"

#include <boost/program_options.hpp>

#include <iostream>
#include <stdexcept>

namespace diemcau::peers {

namespace po = boost::program_options;

std::optional<PeerOptions> parsePeerOptions(int argc, char** argv) {
  PeerOptions opts;
  std::string codec = "vp8";
  po::options_description desc(
      "diemcau-webrtc-peer: an independent WebRTC peer (GStreamer webrtcbin) for end-to-end tests.\n"
      "Prints one JSON line with what it decoded and exits 0 when the minimums are met");
  desc.add_options()
      ("help,h", "show this help")
      ("url", po::value(&opts.url)->default_value(opts.url), "signaling WebSocket URL (ws:// only)")
      ("mode", po::value(&opts.mode)->default_value(opts.mode), "what to do on the server: echo")
      ("duration", po::value(&opts.durationSeconds)->default_value(opts.durationSeconds),
       "seconds to run before reporting")
      ("video-codec", po::value(&codec)->default_value(codec), "vp8 or h264")
      ("min-video-frames", po::value(&opts.minVideoFrames)->default_value(opts.minVideoFrames),
       "decoded video frames needed to pass")
      ("min-audio-ms", po::value(&opts.minAudioMs)->default_value(opts.minAudioMs),
       "milliseconds of decoded audio needed to pass")
      ("save-offer", po::value(&opts.saveOfferPath), "write the SDP offer to this file")
      ("log-level", po::value(&opts.logLevel)->default_value(opts.logLevel),
       "trace, debug, info, warn, error (logs go to stderr)");

  po::variables_map vm;
  try {
    po::store(po::parse_command_line(argc, argv, desc), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    throw std::invalid_argument(e.what());
  }
  if (vm.count("help") != 0) {
    std::cout << desc << "\n";
    return std::nullopt;
  }
  if (codec == "vp8") {
    opts.videoCodec = VideoCodec::kVp8;
  } else if (codec == "h264") {
    opts.videoCodec = VideoCodec::kH264;
  } else {
    throw std::invalid_argument("--video-codec must be vp8 or h264, not '" + codec + "'");
  }
  if (!(opts.durationSeconds > 0.0) || opts.durationSeconds > 3600.0) {
    throw std::invalid_argument("--duration must be between 0 and 3600 seconds");
  }
  if (opts.url.rfind("ws://", 0) != 0) {
    throw std::invalid_argument("--url must start with ws:// (tests run on loopback)");
  }
  return opts;
}

}  // namespace diemcau::peers
