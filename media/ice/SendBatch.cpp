#include "media/ice/SendBatch.hpp"

#include <sys/uio.h>

#include <cerrno>
#include <cstring>

namespace diemcau::media {

struct SendBatch::Slot {
  int fd = -1;
  bool done = false;
  socklen_t toLength = 0;
  size_t length = 0;
  sockaddr_storage to{};
  uint8_t data[kSlotBytes];
};

SendBatch::SendBatch()
    : slots_(std::make_unique<Slot[]>(kSlots)),
      headers_(std::make_unique<mmsghdr[]>(kSlots)),
      vectors_(std::make_unique<iovec[]>(kSlots)) {}

SendBatch::~SendBatch() = default;

bool SendBatch::queue(int fd, const sockaddr* to, socklen_t toLength, const uint8_t* data, size_t len) {
  if (count_ == kSlots || len > kSlotBytes || toLength > static_cast<socklen_t>(sizeof(sockaddr_storage))) {
    return false;
  }
  reserved_ = false;
  Slot& slot = slots_[count_++];
  slot.fd = fd;
  slot.done = false;
  slot.toLength = toLength;
  slot.length = len;
  std::memcpy(&slot.to, to, toLength);
  std::memcpy(slot.data, data, len);
  return true;
}

std::span<uint8_t> SendBatch::reserve(int fd, const sockaddr* to, socklen_t toLength, size_t capacity) {
  if (count_ == kSlots || capacity > kSlotBytes || toLength > static_cast<socklen_t>(sizeof(sockaddr_storage))) {
    reserved_ = false;
    return {};
  }
  Slot& slot = slots_[count_];
  slot.fd = fd;
  slot.done = false;
  slot.toLength = toLength;
  std::memcpy(&slot.to, to, toLength);
  reserved_ = true;
  return {slot.data, kSlotBytes};
}

bool SendBatch::commit(size_t len) {
  if (!reserved_ || count_ == kSlots || len > kSlotBytes) return false;
  reserved_ = false;
  slots_[count_++].length = len;
  return true;
}

SendBatch::Counters SendBatch::flush() {
  Counters counters;
  // Usually one socket; with several local addresses each gets its own sendmmsg, in queue order.
  for (size_t i = 0; i < count_; ++i) {
    if (!slots_[i].done) sendRun(slots_[i].fd, i, counters);
  }
  count_ = 0;
  reserved_ = false;
  return counters;
}

void SendBatch::sendRun(int fd, size_t first, Counters& counters) {
  unsigned n = 0;
  for (size_t i = first; i < count_; ++i) {
    Slot& slot = slots_[i];
    if (slot.done || slot.fd != fd) continue;
    slot.done = true;
    vectors_[n] = {slot.data, slot.length};
    msghdr& header = headers_[n].msg_hdr;
    header = {};
    header.msg_name = &slot.to;
    header.msg_namelen = slot.toLength;
    header.msg_iov = &vectors_[n];
    header.msg_iovlen = 1;
    headers_[n].msg_len = 0;
    ++n;
  }
  unsigned sent = 0;
  while (sent < n) {
    ++counters.calls;
    const int result = ::sendmmsg(fd, &headers_[sent], n - sent, MSG_NOSIGNAL | MSG_DONTWAIT);
    if (result > 0) {
      sent += static_cast<unsigned>(result);
      counters.datagrams += static_cast<unsigned>(result);
      continue;
    }
    if (result < 0 && errno == EINTR) continue;
    if (result < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      // The socket buffer is full: what is left is lost, as it would be on the wire.
      counters.errors += n - sent;
      return;
    }
    // The first datagram left is refused (e.g. EMSGSIZE, no route): drop it, go on after it.
    ++counters.errors;
    ++sent;
  }
}

}  // namespace diemcau::media
