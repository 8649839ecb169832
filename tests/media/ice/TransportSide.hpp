#pragma once
// One side of a WebRtcTransport pair over loopback, for the transport-level ICE tests: the worker,
// the ICE configuration, a certificate, the transport and its DTLS context, the other side (to which
// candidates are relayed), and a condition the listener callbacks signal. A test's own side derives
// from it and records what its test needs.
#include <chrono>
#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "media/dtls/DtlsCertificate.hpp"
#include "media/dtls/DtlsContext.hpp"
#include "media/transport/WebRtcTransport.hpp"
#include "media/worker/InvokeAndWait.hpp"

namespace diemcau::media::test {

struct TransportSide : WebRtcTransport::Listener {
  TransportSide(Worker& w, IceConfig c) : worker(w), ice(std::move(c)), certificate(DtlsCertificate::generate()) {}

  Worker& worker;
  IceConfig ice;
  std::shared_ptr<const DtlsCertificate> certificate;
  TransportSide* remote = nullptr;
  std::unique_ptr<DtlsContext> dtls;           // worker thread only
  std::unique_ptr<WebRtcTransport> transport;  // worker thread only

  std::mutex mutex;
  std::condition_variable changed;
  int connected = 0;

  bool waitFor(std::chrono::milliseconds timeout, const std::function<bool()>& ready) {
    std::unique_lock lock(mutex);
    return changed.wait_for(lock, timeout, ready);
  }

  /// What the other side passes to setRemote(): this side's credentials and fingerprint.
  WebRtcTransport::RemoteParams paramsForRemote(DtlsRole otherRole, bool lite) {
    return invokeAndWait(worker, [&] {
      WebRtcTransport::RemoteParams params;
      params.iceUfrag = transport->localUfrag();
      params.icePwd = transport->localPwd();
      params.fingerprintAlgorithm = std::string(DtlsCertificate::fingerprintAlgorithm());
      params.fingerprint = certificate->fingerprint();
      params.localDtlsRole = otherRole;
      params.iceLite = lite;
      return params;
    });
  }

  void onTransportCandidate(const std::string& candidate) override {
    TransportSide* other = remote;
    other->worker.post([other, candidate] {
      if (other->transport) other->transport->addRemoteCandidate(candidate);
    });
  }
  void onTransportConnected() override {
    std::lock_guard lock(mutex);
    ++connected;
    changed.notify_all();
  }
  void onRtcp(uint8_t*, size_t) override {}
};

}  // namespace diemcau::media::test
