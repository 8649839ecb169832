#include "media/dtls/DtlsDatagramBio.hpp"

#include <algorithm>

#include "media/dtls/DtlsError.hpp"

namespace diemcau::media {

namespace {

// RFC 6347 §4.1: type(1) version(2) epoch(2) sequence_number(6) length(2).
constexpr std::size_t kRecordHeaderLength = 13;
constexpr std::size_t kRecordLengthOffset = 11;

}  // namespace

void DtlsDatagramBio::splitRecords(std::span<const uint8_t> records, std::size_t maxSize,
                                   const std::function<void(std::span<const uint8_t>)>& emit) {
  std::size_t start = 0;
  std::size_t position = 0;
  while (position < records.size()) {
    const std::size_t left = records.size() - position;
    std::size_t recordLength = left;
    if (left >= kRecordHeaderLength) {
      const std::size_t declared = (std::size_t{records[position + kRecordLengthOffset]} << 8) |
                                   records[position + kRecordLengthOffset + 1];
      recordLength = std::min(kRecordHeaderLength + declared, left);
    }
    if (position > start && position + recordLength - start > maxSize) {
      emit(records.subspan(start, position - start));
      start = position;
    }
    position += recordLength;
  }
  if (position > start) emit(records.subspan(start, position - start));
}

BioMethodPtr DtlsDatagramBio::createMethod() {
  const int index = BIO_get_new_index();
  if (index == -1) throwDtlsError("no BIO type index left");
  BioMethodPtr method(BIO_meth_new(index | BIO_TYPE_SOURCE_SINK, "diemcau-dtls-datagram"));
  if (!method || BIO_meth_set_create(method.get(), &DtlsDatagramBio::onCreate) != 1 ||
      BIO_meth_set_destroy(method.get(), &DtlsDatagramBio::onDestroy) != 1 ||
      BIO_meth_set_write(method.get(), &DtlsDatagramBio::onWrite) != 1 ||
      BIO_meth_set_ctrl(method.get(), &DtlsDatagramBio::onControl) != 1) {
    throwDtlsError("cannot create DTLS datagram BIO method");
  }
  return method;
}

BIO* DtlsDatagramBio::create(const BIO_METHOD* method, Sink& sink) noexcept {
  BIO* bio = BIO_new(method);
  if (bio != nullptr) BIO_set_data(bio, &sink);
  return bio;
}

int DtlsDatagramBio::onCreate(BIO* bio) noexcept {
  // BIO_write refuses a BIO that is not marked initialised.
  BIO_set_init(bio, 1);
  BIO_set_data(bio, nullptr);
  return 1;
}

int DtlsDatagramBio::onDestroy(BIO* bio) noexcept {
  if (bio == nullptr) return 0;
  BIO_set_data(bio, nullptr);
  BIO_set_init(bio, 0);
  return 1;
}

int DtlsDatagramBio::onWrite(BIO* bio, const char* data, int length) noexcept {
  auto* sink = static_cast<Sink*>(BIO_get_data(bio));
  if (sink == nullptr || data == nullptr || length <= 0) return length <= 0 ? 0 : -1;
  const std::span<const uint8_t> records(reinterpret_cast<const uint8_t*>(data), static_cast<std::size_t>(length));
  if (records.size() <= sink->maxDatagramSize()) {
    sink->onDatagram(records);
    return length;
  }
  try {
    splitRecords(records, sink->maxDatagramSize(), [sink](std::span<const uint8_t> datagram) {
      sink->onDatagram(datagram);
    });
  } catch (...) {
    return -1;
  }
  return length;
}

long DtlsDatagramBio::onControl(BIO* /*bio*/, int command, long /*number*/, void* /*pointer*/) noexcept {
  switch (command) {
    case BIO_CTRL_FLUSH:
      // Each datagram already left in onWrite.
      return 1;
    case BIO_CTRL_WPENDING:
    case BIO_CTRL_PENDING:
      return 0;
    case BIO_CTRL_DGRAM_GET_MTU_OVERHEAD:
      // The MTU given to SSL_set_mtu is already the DTLS payload budget (ICE adds UDP/IP itself).
      return 0;
    default:
      // Not a socket: peer address, timeouts and MTU discovery do not apply.
      return 0;
  }
}

}  // namespace diemcau::media
