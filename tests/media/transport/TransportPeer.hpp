#pragma once
// One side of a real WebRTC transport in a test: a WebRtcTransport and its own DtlsContext on one
// worker, whose listener trickles candidates to the other side through that side's worker, as
// signaling would, and records what arrives for the test thread to check.
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "media/dtls/DtlsCertificate.hpp"
#include "media/dtls/DtlsContext.hpp"
#include "media/transport/WebRtcTransport.hpp"
#include "media/worker/Worker.hpp"

namespace diemcau::media::test {

class TransportPeer : public WebRtcTransport::Listener {
 public:
  struct ReceivedRtp {
    uint32_t ssrc = 0;
    uint16_t sequence = 0;
    uint8_t payloadType = 0;
    std::vector<uint8_t> payload;
  };

  TransportPeer(Worker& worker, std::shared_ptr<const DtlsCertificate> certificate, IceConfig ice);
  ~TransportPeer() override;

  /// Creates both transports, gives each the other's ICE credentials and the fingerprint it is to
  /// expect (the real one unless overridden), `client` as DTLS client, then gathers on both sides.
  static void connectPair(TransportPeer& client, TransportPeer& server, std::string clientExpects = {},
                          std::string serverExpects = {});

  /// ICE restart on both sides, as two re-offers would do it: new credentials each way, and each
  /// side's (kept) local candidates given to the other again.
  static void restartPair(TransportPeer& a, TransportPeer& b);

  /// Restarts this side's ICE only and tells the other side nothing.
  void restartIceAlone();

  void create();
  /// Destroys the transport on its worker (no close_notify: the peer must notice by itself).
  void destroy();
  /// Closes the transport on its worker (close_notify is sent).
  void close();

  bool waitConnected(std::chrono::milliseconds timeout);
  bool waitClosed(std::chrono::milliseconds timeout);
  bool waitRecovered(std::chrono::milliseconds timeout);
  int recoveredCount();
  bool waitRtp(size_t count, std::chrono::milliseconds timeout);
  bool waitRtcp(size_t count, std::chrono::milliseconds timeout);

  /// Sends a plain RTP packet through the transport with its SSRC rewritten to `ssrc`.
  bool sendRtp(const std::vector<uint8_t>& packet, uint32_t ssrc);
  bool sendRtcp(const std::vector<uint8_t>& compound);

  TransportState state();
  TransportStats stats();
  int connectedCount();
  std::vector<std::string> closedReasons();
  std::vector<ReceivedRtp> rtp();
  std::vector<std::vector<uint8_t>> rtcp();
  const DtlsCertificate& certificate() const { return *certificate_; }

  // WebRtcTransport::Listener, on the worker thread.
  void onTransportCandidate(const std::string& sdpCandidate) override;
  void onTransportConnected() override;
  void onTransportClosed(std::string_view reason) override;
  void onTransportRecovered() override;
  void onRtp(rtp::RtpPacket& packet) override;
  void onRtcp(uint8_t* data, size_t len) override;

 private:
  bool waitFor(std::chrono::milliseconds timeout, const std::function<bool()>& ready);
  void onGatheringDone();

  Worker& worker_;
  std::shared_ptr<const DtlsCertificate> certificate_;
  IceConfig ice_;
  TransportPeer* remote_ = nullptr;
  std::unique_ptr<DtlsContext> dtls_;            // worker thread only
  std::unique_ptr<WebRtcTransport> transport_;   // worker thread only

  std::mutex mutex_;
  std::condition_variable changed_;
  int connected_ = 0;
  int recovered_ = 0;
  std::vector<std::string> closed_;
  std::vector<ReceivedRtp> rtp_;
  std::vector<std::vector<uint8_t>> rtcp_;
};

}  // namespace diemcau::media::test
