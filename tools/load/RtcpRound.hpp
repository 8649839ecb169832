#pragma once
// One timer per load-generator worker for the receiver reports of every subscriber on it.
//
// A periodic timer per subscriber keeps one GSource per site attached to the worker's context,
// and GLib walks every attached source on each iteration of the loop (prepare and check): with
// hundreds of sites per worker and an iteration per burst of datagrams, that walk was 8 % of the
// generator's CPU (perf: g_source_ref, g_main_context_prepare), which caps the fan-out one core
// of generator can receive. Here one periodic timer wakes every interval / kSlices and reports for
// the next share of its members in turn, so each still reports about once per interval.
//
// Worker thread only. A member that leaves (remove) during a round may make the round skip one
// other member once: the reports are receiver statistics, not a schedule anyone checks.
#include <chrono>
#include <cstddef>
#include <vector>

#include "media/worker/Timer.hpp"
#include "media/worker/Worker.hpp"

namespace diemcau::load {

class RtcpRound {
 public:
  class Member {
   public:
    virtual void onRtcpDue() = 0;

   protected:
    ~Member() = default;
  };

  static constexpr unsigned kSlices = 10;

  RtcpRound(media::Worker& worker, std::chrono::milliseconds interval);
  RtcpRound(const RtcpRound&) = delete;
  RtcpRound& operator=(const RtcpRound&) = delete;

  void add(Member& member);
  /// Nothing if `member` is not in the round.
  void remove(Member& member);
  std::size_t size() const { return members_.size(); }

 private:
  void onSlice();

  std::vector<Member*> members_;
  std::size_t next_ = 0;   // round-robin position in members_
  std::size_t slice_ = 0;  // which slice of the round comes next
  media::Timer timer_;
};

}  // namespace diemcau::load
