#pragma once

#include <memory>

#include "signaling/meeting/MeetingService.hpp"

namespace diemcau::signaling::meeting {

/// The scheduler's listener for a MeetingService made after the scheduler: the admin bundle owns the store
/// and token keys the meeting service needs, and wants its listener when it is built. Forwards while the
/// service exists, drops transitions before setTarget and after the service is gone. Signaling thread only.
class SchedulerRelay final : public scheduler::MeetingScheduler::Listener {
 public:
  void setTarget(std::weak_ptr<MeetingService> target) { target_ = std::move(target); }

  void onMeetingOpen(const store::Meeting& m) override {
    if (auto t = target_.lock()) t->onMeetingOpen(m);
  }
  void onMeetingLive(const store::Meeting& m) override {
    if (auto t = target_.lock()) t->onMeetingLive(m);
  }
  void onMeetingEndingSoon(const store::Meeting& m) override {
    if (auto t = target_.lock()) t->onMeetingEndingSoon(m);
  }
  void onMeetingEnded(const store::Meeting& m) override {
    if (auto t = target_.lock()) t->onMeetingEnded(m);
  }

 private:
  std::weak_ptr<MeetingService> target_;
};

}  // namespace diemcau::signaling::meeting
