#include "tools/load/LoadOptions.hpp"

#include <boost/program_options.hpp>

#include <fstream>
#include <iostream>
#include <cstddef>
#include <stdexcept>
#include <string_view>
#include <utility>
#include <unistd.h>

namespace diemcau::load {

namespace po = boost::program_options;

namespace {

std::string readKeyFile(const std::string& path) {
  std::ifstream in(path);
  std::string key;
  if (!(in >> key)) throw std::invalid_argument("cannot read the admin key from " + path);
  return key;
}

// Each enumerated option once, with its command-line words: parsing and toString read the same table.
template <typename E>
using Choice = std::pair<std::string_view, E>;

constexpr Choice<Target> kTargets[] = {{"diemcau", Target::Diemcau}, {"janus", Target::Janus}};
constexpr Choice<Scenario> kScenarios[] = {
    {"fanout", Scenario::Fanout}, {"meeting", Scenario::Meeting}, {"churn", Scenario::Churn}, {"idle", Scenario::Idle}};
constexpr Choice<IceClient> kIceClients[] = {
    {"auto", IceClient::Auto}, {"lite", IceClient::Lite}, {"libnice", IceClient::Libnice}};
constexpr Choice<ClientSockets> kClientSockets[] = {
    {"auto", ClientSockets::Auto}, {"shared", ClientSockets::Shared}, {"own", ClientSockets::Own}};

template <typename E, std::size_t N>
E choose(const std::string& value, const Choice<E> (&choices)[N], const char* option) {
  std::string words;
  for (const auto& [word, choice] : choices) {
    if (word == value) return choice;
    words += (words.empty() ? "" : ", ") + std::string(word);
  }
  throw std::invalid_argument(std::string(option) + " must be one of " + words);
}

template <typename E, std::size_t N>
std::string wordOf(E choice, const Choice<E> (&choices)[N]) {
  for (const auto& [word, candidate] : choices) {
    if (candidate == choice) return std::string(word);
  }
  return "?";
}

}  // namespace

std::string toString(Scenario scenario) { return wordOf(scenario, kScenarios); }
std::string toString(IceClient client) { return wordOf(client, kIceClients); }
std::string toString(ClientSockets sockets) { return wordOf(sockets, kClientSockets); }

LoadOptions parseLoadOptions(int argc, char** argv) {
  LoadOptions o;
  std::string target = "diemcau", scenario = "fanout", server = "127.0.0.1:8080", dataDir, iceClient = "auto",
              clientSockets = "auto";
  int serverPid = 0;
  bool noProgress = false, noAudio = false, noVideo = false, noAudioLevels = false;
  po::options_description table("diemcau-load: simulated sites over real ICE/DTLS/SRTP against a bridge");
  // clang-format off
  table.add_options()
    ("help,h", "print this help")
    ("target", po::value(&target)->default_value(target), "diemcau or janus (videoroom plugin over WebSocket)")
    ("scenario", po::value(&scenario)->default_value(scenario),
       "fanout (the hall publishes, N sites receive), meeting (hall + N publishing sites), "
       "churn (a meeting whose sites keep leaving and joining again), "
       "idle (everyone joins, nobody publishes: for the server's memory per participant)")
    ("server", po::value(&server)->default_value(server), "HOST:PORT of the bridge (HTTP+/ws) or Janus (WebSocket)")
    ("admin-key", po::value(&o.adminKey), "admin API key (default: <data-dir>/admin.key)")
    ("data-dir", po::value(&dataDir), "the bridge's data directory, to read admin.key")
    ("token-file", po::value(&o.tokenFile), "join tokens instead of the admin API: 'site-id token' lines, the hall first")
    ("id-prefix", po::value(&o.idPrefix), "prefix of the site ids made through the admin API (default load<pid>)")
    ("sites", po::value(&o.sites)->default_value(o.sites), "simulated sites besides the hall")
    ("ramp", po::value(&o.rampPerSecond)->default_value(o.rampPerSecond), "joins per second during ramp-up")
    ("duration", po::value(&o.durationSeconds)->default_value(o.durationSeconds), "measured seconds after ramp-up")
    ("settle", po::value(&o.settleSeconds)->default_value(o.settleSeconds),
       "seconds between the last site ready and the window (a server drains what the ramp left)")
    ("churn-rate", po::value(&o.churnPerSecond)->default_value(o.churnPerSecond), "churn: sites replaced per second")
    ("drain", po::value(&o.drainSeconds)->default_value(o.drainSeconds), "seconds to wait for packets in flight at the end")
    ("join-timeout", po::value(&o.joinTimeoutSeconds)->default_value(o.joinTimeoutSeconds),
       "seconds after the last join to wait for every site's first media")
    ("workers", po::value(&o.workers)->default_value(o.workers), "media worker threads of the load generator")
    ("receive-buffer", po::value(&o.receiveBufferBytes)->default_value(o.receiveBufferBytes),
       "SO_RCVBUF of each connection's socket, bytes (0: the system default; capped at net.core.rmem_max): "
       "a simulated site must not lose what arrives while the scheduler holds the load generator off")
    ("media-address", po::value(&o.mediaAddress)->default_value(o.mediaAddress), "local address ICE gathers on")
    ("ice-client", po::value(&iceClient)->default_value(iceClient),
       "auto: the subscribe connections use the load tool's minimal ICE client (on the worker's client mux), which "
       "checks a lite peer (the bridge with --media-ice-lite true) and answers a full-ICE peer's checks as an "
       "ICE-lite agent (Janus, a full-ICE bridge); the publish connections use libnice; "
       "lite: the publish connections too (the bridge must run with --media-ice-lite true); libnice: libnice only")
    ("client-sockets", po::value(&clientSockets)->default_value(clientSockets),
       "sockets of the minimal ICE client's connections: shared (one per worker on loopback, bound to the device lo, "
       "each connection sending and receiving on an address of its own, 127.<64+worker>.x.y, so one recvmmsg reads "
       "many connections' datagrams; before Linux 5.7 it needs CAP_NET_RAW), own (one socket per connection), auto (shared when "
       "--media-address is 127.0.0.1 and the socket can be made, else own)")
    ("receive-every", po::value(&o.receiveEveryMs)->default_value(o.receiveEveryMs),
       "milliseconds: read each worker's shared loopback socket on this period instead of when it becomes "
       "readable (0). Nobody then waits on the socket, so the server under test does not pay to wake the load "
       "generator for its datagrams, which on loopback it otherwise does (docs/PERFORMANCE.md); the datagrams wait "
       "up to the period in the socket, which --arrival-times leaves out of latencyUs.socket")
    ("arrival-times", po::bool_switch(&o.arrivalTimes),
       "kernel receive timestamps (SO_TIMESTAMPNS) on the connections of the minimal ICE client: the summary "
       "then splits the one-way latency into the time until the datagram was queued on the site's socket "
       "(latencyUs.socket) and the time it waited there for the load generator (latencyUs.receiveDelay)")
    ("latency-trace", po::value(&o.latencyTracePath),
       "CSV file: one line per stamped packet received in the measured window (receiving and sending site, kind, "
       "sequence; sent, queued on the socket (with --arrival-times) and handled, steady-clock ns), for "
       "tools/bench/latency-trace.py")
    ("latency-trace-records", po::value(&o.latencyTraceRecords)->default_value(o.latencyTraceRecords),
       "records kept per media worker (preallocated, 40 bytes each); later ones are counted, not kept")
    ("hall-video-bitrate", po::value(&o.hallMedia.videoBitrate)->default_value(1'500'000), "hall video, bit/s")
    ("video-bitrate", po::value(&o.siteMedia.videoBitrate)->default_value(300'000), "site video, bit/s")
    ("video-packet-size", po::value(&o.siteMedia.videoPacketSize)->default_value(1'000), "video RTP payload bytes")
    ("audio-packet-size", po::value(&o.siteMedia.audioPacketSize)->default_value(100), "audio RTP payload bytes (20 ms)")
    ("fps", po::value(&o.siteMedia.framesPerSecond)->default_value(30), "video frames per second")
    ("keyframe-interval", po::value(&o.siteMedia.keyframeIntervalMs)->default_value(2'000), "ms between key frames")
    ("pacing", po::value(&o.siteMedia.pacingFactor)->default_value(o.siteMedia.pacingFactor, "2.5"),
       "video pacing rate as a multiple of the video bitrate, like a browser's pacer (libwebrtc: 2.5): packet i of "
       "a frame leaves i x packet-bits / (FACTOR x bitrate) after the frame, a frame never overlaps the next, each "
       "packet is stamped when it leaves; 0: every packet of a frame back to back (the old burst, for stress runs). "
       "Audio is never paced")
    ("no-audio", po::bool_switch(&noAudio), "publish no audio")
    ("no-video", po::bool_switch(&noVideo), "publish no video")
    ("speakers", po::value(&o.speakers)->default_value(o.speakers),
       "sites (besides the hall, which always talks) whose audio levels say speech; the others send silence")
    ("no-audio-levels", po::bool_switch(&noAudioLevels),
       "audio without RFC 6464 levels: the bridge cannot rank speakers and forwards every site's audio")
    ("server-pid", po::value(&serverPid), "server process whose CPU time the summary reports for the measured window")
    ("json", po::value(&o.jsonPath), "write the JSON summary here (default: stdout)")
    ("no-progress", po::bool_switch(&noProgress), "no progress line on stderr")
    ("janus-room", po::value(&o.janusRoom)->default_value(0), "Janus videoroom to use (0: create one)");
  // clang-format on
  po::variables_map vm;
  po::store(po::parse_command_line(argc, argv, table), vm);
  if (vm.count("help")) {
    std::cout << table << "\n";
    std::exit(0);
  }
  po::notify(vm);

  o.target = choose(target, kTargets, "--target");
  o.scenario = choose(scenario, kScenarios, "--scenario");
  o.iceClient = choose(iceClient, kIceClients, "--ice-client");
  o.clientSockets = choose(clientSockets, kClientSockets, "--client-sockets");
  const auto colon = server.rfind(':');
  if (colon == std::string::npos) throw std::invalid_argument("--server must be HOST:PORT");
  o.host = server.substr(0, colon);
  o.port = server.substr(colon + 1);
  if (o.adminKey.empty() && !dataDir.empty()) o.adminKey = readKeyFile(dataDir + "/admin.key");
  if (o.target == Target::Diemcau && o.adminKey.empty() && o.tokenFile.empty()) {
    throw std::invalid_argument("give --admin-key, --data-dir or --token-file");
  }
  if (o.idPrefix.empty()) o.idPrefix = "load" + std::to_string(::getpid());
  if (o.sites == 0 || o.sites > 4000) throw std::invalid_argument("--sites must be 1..4000");
  if (!(o.siteMedia.pacingFactor >= 0.0 && o.siteMedia.pacingFactor <= 100.0)) {
    throw std::invalid_argument("--pacing must be 0 (off) or a factor up to 100");
  }
  if (o.settleSeconds < 0 || o.settleSeconds > 600) throw std::invalid_argument("bad --settle");
  if (o.receiveEveryMs > 100) throw std::invalid_argument("--receive-every must be 0..100 ms");
  if (o.rampPerSecond <= 0 || o.workers == 0 || o.workers > 64) throw std::invalid_argument("bad --ramp or --workers");
  const auto hallBitrate = o.hallMedia.videoBitrate;
  o.hallMedia = o.siteMedia;
  o.hallMedia.videoBitrate = hallBitrate;
  o.siteMedia.audio = o.hallMedia.audio = !noAudio;
  o.siteMedia.video = o.hallMedia.video = !noVideo;
  o.siteMedia.audioLevels = o.hallMedia.audioLevels = !noAudioLevels;
  o.hallMedia.speaking = true;
  if (serverPid > 0) o.serverPid = serverPid;
  o.progress = !noProgress;
  return o;
}

}  // namespace diemcau::load
