#pragma once
// What became of the packets one received stream lacked, as the receiver saw it: a packet found
// missing when a later one arrives is repaired if it arrives before the jitter buffer gives it up,
// given up if the jitter buffer declares it lost first (the decoder goes without it), and late if
// it arrives after that (of no use any more). A browser's stats say the same in other words
// (RTCInboundRtpStreamStats nackCount against packetsLost); here it is counted at the jitter
// buffer's input and from its lost events, so it holds whichever way the repair came (RTX or the
// packet resent as it was).
//
// Sequence numbers are unwrapped to 64 bits; at most kMaxPending packets wait for an outcome (a
// longer outage is not a case for repair: the oldest are dropped and counted as unresolved).
// No GStreamer here: tests/peers/RepairProbes feeds it from pad probes. Not thread-safe.
#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <vector>

namespace diemcau::peers {

class RepairMeter {
 public:
  static constexpr std::size_t kMaxPending = 2048;
  static constexpr std::int64_t kMaxGap = 1000;  // a jump this long is a restarted stream, not loss

  struct Counts {
    std::uint64_t packets = 0;     // distinct packets that arrived
    std::uint64_t missing = 0;     // found missing on arrival of a later one
    std::uint64_t repaired = 0;    // arrived before the jitter buffer gave them up
    std::uint64_t givenUp = 0;     // declared lost by the jitter buffer
    std::uint64_t late = 0;        // arrived after being given up
    std::uint64_t unresolved = 0;  // still waiting, or pushed out of the pending table
  };

  void onArrival(std::uint16_t sequence, std::int64_t nowUs);
  void onGivenUp(std::uint16_t sequence);

  /// `pending` ones (neither arrived nor given up yet) count as unresolved.
  Counts counts() const;
  /// {packets, missing, repaired, given_up, late, unresolved, repair_ms_median, repair_ms_max}.
  nlohmann::json toJson() const;

 private:
  struct Entry {
    std::int64_t detectedUs = 0;
    bool givenUp = false;
  };
  std::int64_t unwrap(std::uint16_t sequence) const;

  bool started_ = false;
  std::int64_t highest_ = 0;
  std::map<std::int64_t, Entry> pending_;  // missing, by unwrapped sequence
  std::vector<std::int64_t> repairUs_;     // arrival - detection of each repaired packet
  Counts counts_;
};

}  // namespace diemcau::peers
