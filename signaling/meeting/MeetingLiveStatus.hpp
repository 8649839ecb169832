#pragma once
// The admin API's live view of meetings (`diemcauctl status`), read from the meeting service on the
// signaling thread: who is connected, who has the floor, the spotlight and the lock.
#include <memory>

#include "signaling/admin/LiveStatusSource.hpp"
#include "signaling/meeting/MeetingService.hpp"

namespace diemcau::signaling::meeting {

class MeetingLiveStatus final : public admin::LiveStatusSource {
 public:
  explicit MeetingLiveStatus(std::weak_ptr<const MeetingService> meetings) : meetings_(std::move(meetings)) {}
  /// {"floor":id|null,"spotlight":id|null,"locked":bool,"sites":[{"id","connected","reconnecting","hand",
  /// "audioMuted","quality"?,"link"?}]}: `quality` is LinkQuality's one-line summary, `link` its numbers.
  nlohmann::json liveStatus(const std::string& meetingId) const override;

 private:
  std::weak_ptr<const MeetingService> meetings_;
};

}  // namespace diemcau::signaling::meeting
