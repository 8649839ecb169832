#pragma once
// The command line of diemcau-load (see --help and docs/PERFORMANCE.md).
#include <cstdint>
#include <optional>
#include <string>

#include "tools/load/SitePublisher.hpp"

namespace diemcau::load {

enum class Scenario { Fanout, Meeting, Churn, Idle };
enum class Target { Diemcau, Janus };
/// The ICE agent of a site's connections: Auto = the minimal client (media::ClientIceTransport on
/// the worker's ClientMux) for every connection whose remote description is ICE-lite (the
/// subscribe connection, offered by the bridge), libnice for the publish connection (offered
/// before the load tool can know); Lite = the minimal client for both (a full-ICE bridge then
/// fails the run); Libnice = libnice everywhere.
enum class IceClient { Auto, Lite, Libnice };
/// The sockets of the minimal ICE client's connections: Shared = one per load worker on loopback,
/// each connection with an address of its own (media::LoopbackClientSocket; before Linux 5.7 needs CAP_NET_RAW for
/// SO_BINDTODEVICE); Own = one per connection; Auto = Shared when the media address is 127.0.0.1
/// and the socket can be made, Own otherwise.
enum class ClientSockets { Auto, Shared, Own };

struct LoadOptions {
  Target target = Target::Diemcau;
  Scenario scenario = Scenario::Fanout;
  std::string host = "127.0.0.1";
  std::string port = "8080";
  std::string adminKey;   // from --admin-key or <data-dir>/admin.key
  std::string tokenFile;  // "site token" lines, the hall first
  std::string idPrefix;   // site ids are <prefix>-hall, <prefix>-s001, ...
  size_t sites = 10;      // besides the hall
  double rampPerSecond = 10.0;
  double durationSeconds = 10.0;
  double settleSeconds = 0.0;  // after the last join, before the window
  double churnPerSecond = 1.0;
  double drainSeconds = 1.0;
  double joinTimeoutSeconds = 30.0;
  size_t workers = 1;
  int receiveBufferBytes = 1 << 20;  // SO_RCVBUF of each connection's socket
  std::string mediaAddress = "127.0.0.1";
  IceClient iceClient = IceClient::Auto;
  ClientSockets clientSockets = ClientSockets::Auto;
  bool arrivalTimes = false;  // kernel receive timestamps on the minimal ICE client's sockets
  std::string latencyTracePath;  // "" = no trace
  size_t latencyTraceRecords = 4'000'000;  // per worker, preallocated
  unsigned receiveEveryMs = 0;  // the shared socket read on this period (0: when it is readable)
  MediaProfile hallMedia;   // the hall (fan-out publisher)
  MediaProfile siteMedia;   // the sites (meeting, churn)
  size_t speakers = 2;      // sites 1..speakers send speech levels (the hall always does)
  std::optional<int> serverPid;
  std::string jsonPath;  // "" = stdout
  bool progress = true;
  uint64_t janusRoom = 0;  // 0: create one
};

/// Parses argv; prints help and exits 0 on --help, throws std::invalid_argument on a bad value.
LoadOptions parseLoadOptions(int argc, char** argv);

std::string toString(Scenario scenario);
std::string toString(IceClient client);
std::string toString(ClientSockets sockets);

}  // namespace diemcau::load
