// ClientMux's kernel arrival times, as diemcau-load --arrival-times uses them to split its
// latency: real sockets on loopback, the mux on a real worker.
#include "media/ice/ClientMux.hpp"
#include "media/worker/InvokeAndWait.hpp"
#include "media/worker/Worker.hpp"
#include "tools/load/MonotonicClock.hpp"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <thread>

namespace diemcau::load {
namespace {

using namespace std::chrono_literals;

class Socket {
 public:
  Socket() : fd_(::socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0)) {
    sockaddr_in local{};
    local.sin_family = AF_INET;
    local.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    EXPECT_EQ(::bind(fd_, reinterpret_cast<sockaddr*>(&local), sizeof(local)), 0);
    socklen_t len = sizeof(address_);
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&address_), &len);
  }
  ~Socket() { ::close(fd_); }
  Socket(const Socket&) = delete;
  Socket& operator=(const Socket&) = delete;
  int fd() const { return fd_; }
  const sockaddr_in& address() const { return address_; }

 private:
  int fd_;
  sockaddr_in address_{};
};

// Records what the mux said about the datagram while it was being dispatched.
class Endpoint final : public media::ClientMux::Endpoint {
 public:
  explicit Endpoint(media::ClientMux& mux) : mux_(mux) {}
  int fd() const override { return socket_.fd(); }
  void onDatagram(uint8_t*, size_t, const sockaddr_storage&, socklen_t) override {
    arrivalNs = mux_.arrivalNs();
    handledNs = monotonicNs();
    ++datagrams;
  }
  void onTick(gint64) override {}
  void onMuxGone() override {}
  const Socket& socket() const { return socket_; }

  std::atomic<int64_t> arrivalNs{-1};
  std::atomic<int64_t> handledNs{0};
  std::atomic<int> datagrams{0};

 private:
  media::ClientMux& mux_;
  Socket socket_;
};

void sendTo(const Socket& from, const Socket& to) {
  const uint8_t datagram[] = {0x80, 0x60, 0x00, 0x01};
  ASSERT_EQ(::sendto(from.fd(), datagram, sizeof(datagram), 0, reinterpret_cast<const sockaddr*>(&to.address()),
                     sizeof(to.address())),
            static_cast<ssize_t>(sizeof(datagram)));
}

bool waitFor(const std::atomic<int>& count, int value) {
  const auto deadline = std::chrono::steady_clock::now() + 3s;
  while (count.load() < value) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(1ms);
  }
  return true;
}

struct MuxOnWorker {
  media::Worker worker{"arrival-test"};
  std::unique_ptr<media::ClientMux> mux;
  std::unique_ptr<Endpoint> endpoint;
  Socket sender;

  explicit MuxOnWorker(bool arrivalTimes) {
    media::invokeAndWait(worker, [&] {
      mux = std::make_unique<media::ClientMux>(worker);
      if (arrivalTimes) mux->recordArrivalTimes();
      endpoint = std::make_unique<Endpoint>(*mux);
      mux->add(*endpoint);
    });
  }
  ~MuxOnWorker() {
    media::invokeAndWait(worker, [&] {
      mux->remove(*endpoint);
      endpoint.reset();
      mux.reset();
    });
  }
};

TEST(ClientMuxArrival, KernelTimeOfTheDatagramOnTheSteadyClock) {
  MuxOnWorker run(true);
  // The worker is held up for 30 ms after the datagram reached the socket: the arrival time must
  // say when it arrived, not when the mux read it.
  const int64_t beforeSend = monotonicNs();
  media::invokeAndWait(run.worker, [&] {
    sendTo(run.sender, run.endpoint->socket());
    std::this_thread::sleep_for(30ms);
  });
  ASSERT_TRUE(waitFor(run.endpoint->datagrams, 1));
  const int64_t arrival = run.endpoint->arrivalNs.load();
  EXPECT_GE(arrival, beforeSend - 1'000'000);  // the clocks' offset is read per batch: allow 1 ms
  EXPECT_LT(arrival, beforeSend + 20'000'000);
  EXPECT_GE(run.endpoint->handledNs.load() - arrival, 25'000'000);
  // Outside a dispatch there is no current datagram.
  EXPECT_EQ(media::invokeAndWait(run.worker, [&] { return run.mux->arrivalNs(); }), 0);
}

TEST(ClientMuxArrival, ZeroWhenNotAsked) {
  MuxOnWorker run(false);
  sendTo(run.sender, run.endpoint->socket());
  ASSERT_TRUE(waitFor(run.endpoint->datagrams, 1));
  EXPECT_EQ(run.endpoint->arrivalNs.load(), 0);
}

}  // namespace
}  // namespace diemcau::load
