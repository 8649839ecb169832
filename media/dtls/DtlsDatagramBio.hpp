#pragma once

#include <openssl/bio.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>

#include "media/dtls/OpenSslHandles.hpp"

namespace diemcau::media {

/**
 * The write side of a DtlsTransport: a BIO whose every BIO_write is one complete datagram.
 *
 * During a handshake OpenSSL buffers a flight's records and flushes them as one BIO_write, aiming at the
 * configured MTU; its budget is a few bytes off when the epoch changes inside a flight (ChangeCipherSpec then
 * an encrypted Finished), so each write is re-cut at record boundaries into datagrams that respect the MTU.
 * Forwarding writes one by one keeps datagram boundaries that a memory BIO (a byte stream) would lose.
 * The BIO_METHOD is made once per DtlsContext (per worker), never as a global.
 */
class DtlsDatagramBio {
 public:
  /** Receives each datagram as OpenSSL writes it, synchronously, on the thread calling into OpenSSL. */
  class Sink {
   public:
    virtual ~Sink() = default;
    virtual void onDatagram(std::span<const uint8_t> datagram) noexcept = 0;
    /** Largest datagram the sink accepts. */
    virtual std::size_t maxDatagramSize() const noexcept = 0;
  };

  /**
   * Cuts `records` (whole DTLS records back to back, RFC 6347 §4.1) into runs of at most `maxSize` bytes,
   * never splitting a record; a record larger than maxSize goes alone. Bounded: a record length pointing past
   * the end ends the run at the end of the data.
   */
  static void splitRecords(std::span<const uint8_t> records, std::size_t maxSize,
                           const std::function<void(std::span<const uint8_t>)>& emit);

  /** Creates the method table; throws DtlsError on allocation failure. */
  static BioMethodPtr createMethod();

  /** A new BIO of `method` writing to `sink`; nullptr on failure. The caller (SSL_set_bio) takes ownership. */
  static BIO* create(const BIO_METHOD* method, Sink& sink) noexcept;

 private:
  static int onCreate(BIO* bio) noexcept;
  static int onDestroy(BIO* bio) noexcept;
  static int onWrite(BIO* bio, const char* data, int length) noexcept;
  static long onControl(BIO* bio, int command, long number, void* pointer) noexcept;
};

}  // namespace diemcau::media
