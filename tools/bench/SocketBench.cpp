// The kernel's share of a forwarded packet: a worker's SendBatch flushing video-sized datagrams with
// sendmmsg over loopback, each to a receiver at an address of its own (127.0.1.x, 127.0.2.x ...), as a
// fan-out sends them to sites behind different addresses. On loopback the sender's CPU also runs the
// receiving side (IP and UDP input, the receiver's queue); nobody is woken (no one waits on the
// receivers), and the queues are drained with the timer paused.
//
//   BM_SendBatch/dont_fragment:D/receivers:N   D = 0: the kernel's default (IP_PMTUDISC_WANT: no DF on
//                                              a datagram, its IP ID from the shared per-destination
//                                              counters); D = 1: what MuxSocket sets (DF, IP ID 0)
//
// CPU time is the process's, system time included: per datagram, what the server pays the kernel.
#include <benchmark/benchmark.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <array>
#include <string>
#include <vector>

#include "media/ice/MuxSocket.hpp"
#include "media/ice/SendBatch.hpp"

namespace diemcau::tools::bench {
namespace {

constexpr size_t kDatagramBytes = 1044;  // a 1000-byte VP8 payload, RTP header, GCM tag
constexpr size_t kPerFlush = 64;

std::string receiverAddress(size_t i) {
  return "127.0." + std::to_string(1 + i / 250) + "." + std::to_string(1 + i % 250);
}

void BM_SendBatch(benchmark::State& state) {
  const bool dontFragment = state.range(0) != 0;
  const auto count = static_cast<size_t>(state.range(1));
  std::vector<media::MuxSocket> receivers;
  std::vector<sockaddr_in> to(count);
  receivers.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    const std::string address = receiverAddress(i);
    receivers.push_back(media::MuxSocket::bind(address, 0, 1 << 20));
    to[i].sin_family = AF_INET;
    to[i].sin_port = htons(receivers.back().port());
    ::inet_pton(AF_INET, address.c_str(), &to[i].sin_addr);
  }
  media::MuxSocket sender = media::MuxSocket::bind("127.0.0.1", 0, 8 << 20);
  if (!dontFragment) {
    const int want = IP_PMTUDISC_WANT;
    ::setsockopt(sender.fd(), IPPROTO_IP, IP_MTU_DISCOVER, &want, sizeof want);
  }
  media::SendBatch batch;
  const std::vector<uint8_t> payload(kDatagramBytes, 0x5a);
  std::array<uint8_t, 2048> sink{};
  size_t next = 0;
  for (auto _ : state) {
    const size_t first = next;
    for (size_t i = 0; i < kPerFlush; ++i) {
      batch.queue(sender.fd(), reinterpret_cast<const sockaddr*>(&to[next]), sizeof(sockaddr_in),
                  payload.data(), payload.size());
      next = (next + 1) % count;
    }
    if (batch.flush().datagrams != kPerFlush) {
      state.SkipWithError("sendmmsg refused datagrams");
      break;
    }
    state.PauseTiming();
    for (size_t i = 0, r = first; i < kPerFlush; ++i, r = (r + 1) % count) {
      while (::recv(receivers[r].fd(), sink.data(), sink.size(), MSG_DONTWAIT) > 0) {
      }
    }
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * static_cast<int64_t>(kPerFlush));
  state.SetBytesProcessed(state.iterations() * static_cast<int64_t>(kPerFlush * kDatagramBytes));
  state.counters["per_datagram"] =
      benchmark::Counter(static_cast<double>(state.iterations() * kPerFlush),
                         benchmark::Counter::kIsRate | benchmark::Counter::kInvert);
}

BENCHMARK(BM_SendBatch)->ArgNames({"dont_fragment", "receivers"})->ArgsProduct({{0, 1}, {1, 330}});

}  // namespace
}  // namespace diemcau::tools::bench
