#pragma once

#include <boost/asio/io_context.hpp>
#include <boost/asio/system_timer.hpp>

#include "signaling/scheduler/Clock.hpp"
#include "signaling/scheduler/MeetingScheduler.hpp"

namespace diemcau::signaling::scheduler {

/// Runs a MeetingScheduler on the signaling io_context: one system_timer armed for the next due time, and
/// never longer than kMaxSleep so a wall-clock step (NTP) is noticed within a minute.
class SchedulerTimer {
 public:
  static constexpr std::chrono::seconds kMaxSleep{60};

  SchedulerTimer(boost::asio::io_context& io, MeetingScheduler& scheduler, const Clock& clock);

  /// recover() and arm; call once at start-up.
  void start();
  /// A meeting was added, edited or cancelled: run now and re-arm.
  void poke();
  void stop();

 private:
  void arm(std::optional<std::chrono::sys_seconds> wake);

  boost::asio::system_timer timer_;
  MeetingScheduler& scheduler_;
  const Clock& clock_;
  bool stopped_ = false;
};

}  // namespace diemcau::signaling::scheduler
