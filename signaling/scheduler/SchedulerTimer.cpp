#include "signaling/scheduler/SchedulerTimer.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>

namespace diemcau::signaling::scheduler {

SchedulerTimer::SchedulerTimer(boost::asio::io_context& io, MeetingScheduler& scheduler, const Clock& clock)
    : timer_(io), scheduler_(scheduler), clock_(clock) {}

void SchedulerTimer::start() {
  arm(scheduler_.recover(clock_.now()));
}

void SchedulerTimer::poke() {
  if (stopped_) return;
  arm(scheduler_.runDue(clock_.now()));
}

void SchedulerTimer::stop() {
  stopped_ = true;
  timer_.cancel();
}

void SchedulerTimer::arm(std::optional<std::chrono::sys_seconds> wake) {
  auto now = clock_.now();
  auto sleep = kMaxSleep;
  if (wake)
    sleep = std::clamp(std::chrono::duration_cast<std::chrono::seconds>(*wake - now), std::chrono::seconds{0},
                       kMaxSleep);
  timer_.expires_after(sleep);
  timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec || stopped_) return;
    try {
      arm(scheduler_.runDue(clock_.now()));
    } catch (const std::exception& e) {
      // A store error must not stop the clock for every other meeting.
      spdlog::error("scheduler: {}", e.what());
      arm(std::nullopt);
    }
  });
}

}  // namespace diemcau::signaling::scheduler
