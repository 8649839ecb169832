#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace diemcau::peers {

enum class VideoCodec { kVp8, kH264 };

/// Command line of diemcau-webrtc-peer, parsed once and passed by const reference.
struct PeerOptions {
  std::string url = "ws://127.0.0.1:8080/ws";
  std::string mode = "echo";
  double durationSeconds = 6.0;
  VideoCodec videoCodec = VideoCodec::kVp8;
  std::uint64_t minVideoFrames = 0;
  double minAudioMs = 0.0;
  std::string saveOfferPath;  // empty: do not save
  std::string logLevel = "info";

  // --mode join (the meeting protocol)
  std::string token;
  std::string roleHint;      // host, site or viewer; empty: whatever the token says
  std::string displayName;   // empty: the site's name from the store
  bool publishVideo = true;
  bool publishAudio = true;
  int audioFrequencyHz = 440;
  double audioVolume = 0.3;   // amplitude of the sine, 0..1
  bool audioLevels = false;   // send RFC 6464 audio levels (ssrc-audio-level header extension)
  int videoFps = 15;
  std::string actionsPath;   // empty: no scripted actions
  // Local UDP ports of both connections' ICE agents, so a test can impair exactly this peer's
  // traffic (nftables on the ports); 0: any port.
  int icePortMin = 0;
  int icePortMax = 0;
  // The one local address ICE gathers on (join mode): a peer in a test's own network namespace
  // reaches the bridge over a veth pair, not loopback.
  std::string iceAddress = "127.0.0.1";
  // Jitter buffer latency of the subscribe webrtcbin (join mode): how long a missing packet is
  // waited for. It no longer delays a stream's start (faststart, SubscribePipeline).
  unsigned jitterLatencyMs = 200;
  // Join: count a video frame when it would be shown (its timestamp plus the latency on the
  // pipeline clock) rather than when decoded: a repair that arrives within the latency then shows
  // no freeze, as in a browser, which renders at its playout delay.
  bool renderAtPlayout = false;
  // Join: the subscribe session's NACKs leave within ~50 ms, as a browser's do, instead of at
  // GStreamer's RTCP report interval (RepairProbes.hpp, promptFeedback). Off by default: the
  // bridge then also gets a receiver report every ~50 ms, which the other tests were not made for.
  bool promptFeedback = false;
  // Join: a received video stuck for 400 ms while its packets arrive asks for a keyframe again
  // every 300 ms, as a browser does (KeyframeWatchdog); webrtcbin's depayloader asks once.
  bool keyframeWatchdog = false;
  // Join: make the DTLS certificate before the WebSocket opens, as a browser has its certificate
  // before it signals (docs/PERFORMANCE.md, "Join time"). Off, the peer joins at once and
  // webrtcbin makes the certificate while it negotiates, which keeps the meeting scenarios'
  // timing (a site in the meeting seconds after its process starts) on a loaded machine.
  bool certificateFirst = false;
  bool reconnect = false;  // join: rejoin (resume) after media.lost or a dropped WebSocket
};

/// Parses argv. Returns std::nullopt after printing --help; throws std::invalid_argument
/// (with a sentence naming the option) on a bad command line.
std::optional<PeerOptions> parsePeerOptions(int argc, char** argv);

}  // namespace diemcau::peers
