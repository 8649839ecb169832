#include "tests/peers/PeerOptions.hpp"

#include <boost/program_options.hpp>

#include <iostream>
#include <stdexcept>

namespace diemcau::peers {

namespace po = boost::program_options;

std::optional<PeerOptions> parsePeerOptions(int argc, char** argv) {
  PeerOptions opts;
  std::string codec = "vp8";
  std::string publishVideo = "on";
  std::string publishAudio = "on";
  std::string icePorts;
  std::string audioLevels = "off";
  po::options_description desc(
      "diemcau-webrtc-peer: an independent WebRTC peer (GStreamer webrtcbin) for end-to-end tests.\n"
      "Prints one JSON line with what it decoded and exits 0 when the minimums are met");
  desc.add_options()
      ("help,h", "show this help")
      ("url", po::value(&opts.url)->default_value(opts.url), "signaling WebSocket URL (ws:// only)")
      ("mode", po::value(&opts.mode)->default_value(opts.mode),
       "what to do on the server: echo, or join (a meeting, with --token)")
      ("duration", po::value(&opts.durationSeconds)->default_value(opts.durationSeconds),
       "seconds to run before reporting")
      ("video-codec", po::value(&codec)->default_value(codec), "vp8 or h264")
      ("min-video-frames", po::value(&opts.minVideoFrames)->default_value(opts.minVideoFrames),
       "decoded video frames needed to pass")
      ("min-audio-ms", po::value(&opts.minAudioMs)->default_value(opts.minAudioMs),
       "milliseconds of decoded audio needed to pass")
      ("save-offer", po::value(&opts.saveOfferPath), "write the SDP offer to this file")
      ("log-level", po::value(&opts.logLevel)->default_value(opts.logLevel),
       "trace, debug, info, warn, error (logs go to stderr)")
      ("token", po::value(&opts.token), "join: the join token (meeting, site and role come from it)")
      ("role-hint", po::value(&opts.roleHint), "join: host, site or viewer; fail when the server says otherwise")
      ("display-name", po::value(&opts.displayName), "join: the name shown to others")
      ("publish-video", po::value(&publishVideo)->default_value(publishVideo), "join: on or off")
      ("publish-audio", po::value(&publishAudio)->default_value(publishAudio), "join: on or off")
      ("audio-freq", po::value(&opts.audioFrequencyHz)->default_value(opts.audioFrequencyHz),
       "join: frequency of the sine sent as audio (Hz)")
      ("audio-volume", po::value(&opts.audioVolume)->default_value(opts.audioVolume),
       "join: amplitude of the sine sent as audio, 0..1")
      ("audio-level", po::value(&audioLevels)->default_value(audioLevels),
       "join: on: measure the audio and send RFC 6464 levels in every packet")
      ("video-fps", po::value(&opts.videoFps)->default_value(opts.videoFps), "join: frames per second sent")
      ("actions", po::value(&opts.actionsPath),
       "join: file of timed requests, e.g. '4 mute lang-can true' (seconds after the join reply)")
      ("ice-ports", po::value(&icePorts), "join: local UDP port range MIN-MAX of both connections")
      ("certificate-first", po::bool_switch(&opts.certificateFirst),
       "join: make the DTLS certificate before opening the WebSocket, as a browser has it before signaling")
      ("reconnect", po::bool_switch(&opts.reconnect),
       "join: after media.lost or a dropped WebSocket, join again with resume:true on new connections")
      ("ice-address", po::value(&opts.iceAddress)->default_value(opts.iceAddress),
       "join: the local IP address both connections gather ICE candidates on")
      ("jitter-latency", po::value(&opts.jitterLatencyMs)->default_value(opts.jitterLatencyMs),
       "join: jitter buffer latency of the received streams (ms), webrtcbin's 'latency'")
      ("render-at-playout", po::bool_switch(&opts.renderAtPlayout),
       "join: count video frames at their playout time (timestamp + latency) instead of when decoded")
      ("prompt-feedback", po::bool_switch(&opts.promptFeedback),
       "join: send the subscribe session's NACKs within ~50 ms, as a browser does, not at the RTCP report interval")
      ("keyframe-watchdog", po::bool_switch(&opts.keyframeWatchdog),
       "join: a received video stuck while its packets arrive asks for a keyframe again, as a browser does");

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
  const auto onOff = [](const std::string& value, const char* option) {
    if (value != "on" && value != "off") {
      throw std::invalid_argument(std::string("--") + option + " must be on or off, not '" + value + "'");
    }
    return value == "on";
  };
  opts.publishVideo = onOff(publishVideo, "publish-video");
  opts.publishAudio = onOff(publishAudio, "publish-audio");
  opts.audioLevels = onOff(audioLevels, "audio-level");
  if (!(opts.audioVolume >= 0.0 && opts.audioVolume <= 1.0)) {
    throw std::invalid_argument("--audio-volume must be between 0 and 1");
  }
  if (opts.mode == "join" && opts.token.empty()) {
    throw std::invalid_argument("--mode join needs --token");
  }
  if (!opts.roleHint.empty() && opts.roleHint != "host" && opts.roleHint != "site" && opts.roleHint != "viewer") {
    throw std::invalid_argument("--role-hint must be host, site or viewer");
  }
  if (opts.audioFrequencyHz < 20 || opts.audioFrequencyHz > 20000) {
    throw std::invalid_argument("--audio-freq must be between 20 and 20000 Hz");
  }
  if (opts.videoFps < 1 || opts.videoFps > 60) {
    throw std::invalid_argument("--video-fps must be between 1 and 60");
  }
  if (opts.jitterLatencyMs > 2000) {
    throw std::invalid_argument("--jitter-latency must be at most 2000 ms");
  }
  if (!(opts.durationSeconds > 0.0) || opts.durationSeconds > 3600.0) {
    throw std::invalid_argument("--duration must be between 0 and 3600 seconds");
  }
  if (!icePorts.empty()) {
    const auto dash = icePorts.find('-');
    try {
      opts.icePortMin = dash == std::string::npos ? -1 : std::stoi(icePorts.substr(0, dash));
      opts.icePortMax = dash == std::string::npos ? -1 : std::stoi(icePorts.substr(dash + 1));
    } catch (const std::exception&) {
      opts.icePortMin = -1;
    }
    if (opts.icePortMin < 1024 || opts.icePortMax > 65535 || opts.icePortMin > opts.icePortMax) {
      throw std::invalid_argument("--ice-ports must be MIN-MAX within 1024-65535, not '" + icePorts + "'");
    }
  }
  if (opts.url.rfind("ws://", 0) != 0) {
    throw std::invalid_argument("--url must start with ws:// (tests run on loopback)");
  }
  return opts;
}

}  // namespace diemcau::peers
