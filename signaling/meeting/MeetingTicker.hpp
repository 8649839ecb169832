#pragma once
// Calls MeetingService::tick() every second on the signaling thread (resume windows), for as long
// as both the ticker and the service exist.
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <memory>

#include "signaling/meeting/MeetingService.hpp"

namespace diemcau::signaling::meeting {

class MeetingTicker {
 public:
  MeetingTicker(boost::asio::io_context& io, std::weak_ptr<MeetingService> service)
      : timer_(io), service_(std::move(service)) {}
  ~MeetingTicker() { stop(); }
  MeetingTicker(const MeetingTicker&) = delete;
  MeetingTicker& operator=(const MeetingTicker&) = delete;

  void start() {
    running_ = true;
    arm();
  }
  void stop() {
    running_ = false;
    timer_.cancel();
  }

 private:
  void arm() {
    timer_.expires_after(std::chrono::seconds(1));
    timer_.async_wait([this](const boost::system::error_code& ec) {
      if (ec || !running_) return;
      if (auto service = service_.lock()) service->tick();
      arm();
    });
  }

  boost::asio::steady_timer timer_;
  std::weak_ptr<MeetingService> service_;
  bool running_ = false;
};

}  // namespace diemcau::signaling::meeting
