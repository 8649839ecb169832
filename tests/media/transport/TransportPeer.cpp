#include "TransportPeer.hpp"

#include "media/worker/InvokeAndWait.hpp"

namespace diemcau::media::test {

TransportPeer::TransportPeer(Worker& worker, std::shared_ptr<const DtlsCertificate> certificate, IceConfig ice)
    : worker_(worker), certificate_(std::move(certificate)), ice_(std::move(ice)) {}

TransportPeer::~TransportPeer() { destroy(); }

void TransportPeer::connectPair(TransportPeer& client, TransportPeer& server, std::string clientExpects,
                                std::string serverExpects) {
  client.remote_ = &server;
  server.remote_ = &client;
  client.create();
  server.create();
  auto remoteOf = [](TransportPeer& peer, DtlsRole role, std::string fingerprint) {
    return invokeAndWait(peer.worker_, [&] {
      WebRtcTransport::RemoteParams params;
      params.iceUfrag = peer.transport_->localUfrag();
      params.icePwd = peer.transport_->localPwd();
      params.fingerprintAlgorithm = std::string(DtlsCertificate::fingerprintAlgorithm());
      params.fingerprint = fingerprint.empty() ? peer.certificate_->fingerprint() : fingerprint;
      params.localDtlsRole = role;  // the role the *other* side plays
      return params;
    });
  };
  const auto forClient = remoteOf(server, DtlsRole::Client, std::move(clientExpects));
  const auto forServer = remoteOf(client, DtlsRole::Server, std::move(serverExpects));
  invokeAndWait(client.worker_, [&] { client.transport_->setRemote(forClient); });
  invokeAndWait(server.worker_, [&] { server.transport_->setRemote(forServer); });
  invokeAndWait(client.worker_, [&] { client.transport_->gather([&client] { client.onGatheringDone(); }); });
  invokeAndWait(server.worker_, [&] { server.transport_->gather([&server] { server.onGatheringDone(); }); });
}

void TransportPeer::restartPair(TransportPeer& a, TransportPeer& b) {
  struct Credentials {
    std::string ufrag, pwd;
    std::vector<std::string> candidates;
  };
  auto restart = [](TransportPeer& peer) {
    return invokeAndWait(peer.worker_, [&] {
      peer.transport_->restartIce();
      return Credentials{peer.transport_->localUfrag(), peer.transport_->localPwd(),
                         peer.transport_->localCandidates()};
    });
  };
  const Credentials fromA = restart(a);
  const Credentials fromB = restart(b);
  auto give = [](TransportPeer& peer, const Credentials& remote) {
    invokeAndWait(peer.worker_, [&] {
      peer.transport_->setRemoteIceCredentials(remote.ufrag, remote.pwd);
      for (const auto& candidate : remote.candidates) peer.transport_->addRemoteCandidate(candidate);
      peer.transport_->remoteGatheringDone();
    });
  };
  give(a, fromB);
  give(b, fromA);
}

void TransportPeer::restartIceAlone() {
  invokeAndWait(worker_, [this] { transport_->restartIce(); });
}

void TransportPeer::create() {
  invokeAndWait(worker_, [this] {
    dtls_ = std::make_unique<DtlsContext>(certificate_);
    transport_ = std::make_unique<WebRtcTransport>(worker_, *dtls_, ice_, *this);
  });
}

void TransportPeer::destroy() {
  invokeAndWait(worker_, [this] {
    transport_.reset();
    dtls_.reset();
  });
}

void TransportPeer::close() {
  invokeAndWait(worker_, [this] {
    if (transport_) transport_->close("test closed it");
  });
}

bool TransportPeer::waitFor(std::chrono::milliseconds timeout, const std::function<bool()>& ready) {
  std::unique_lock lock(mutex_);
  return changed_.wait_for(lock, timeout, ready);
}

bool TransportPeer::waitConnected(std::chrono::milliseconds timeout) {
  return waitFor(timeout, [this] { return connected_ > 0; });
}

bool TransportPeer::waitClosed(std::chrono::milliseconds timeout) {
  return waitFor(timeout, [this] { return !closed_.empty(); });
}

bool TransportPeer::waitRecovered(std::chrono::milliseconds timeout) {
  return waitFor(timeout, [this] { return recovered_ > 0; });
}

int TransportPeer::recoveredCount() {
  std::lock_guard lock(mutex_);
  return recovered_;
}

bool TransportPeer::waitRtp(size_t count, std::chrono::milliseconds timeout) {
  return waitFor(timeout, [this, count] { return rtp_.size() >= count; });
}

bool TransportPeer::waitRtcp(size_t count, std::chrono::milliseconds timeout) {
  return waitFor(timeout, [this, count] { return rtcp_.size() >= count; });
}

bool TransportPeer::sendRtp(const std::vector<uint8_t>& packet, uint32_t ssrc) {
  return invokeAndWait(worker_, [&] {
    return transport_ && transport_->sendRtp(packet.data(), packet.size(),
                                             [ssrc](rtp::RtpPacket& copy) { copy.setSsrc(ssrc); });
  });
}

bool TransportPeer::sendRtcp(const std::vector<uint8_t>& compound) {
  return invokeAndWait(worker_, [&] { return transport_ && transport_->sendRtcp(compound.data(), compound.size()); });
}

TransportState TransportPeer::state() {
  return invokeAndWait(worker_, [this] { return transport_ ? transport_->state() : TransportState::Closed; });
}

TransportStats TransportPeer::stats() {
  return invokeAndWait(worker_, [this] { return transport_ ? transport_->stats() : TransportStats{}; });
}

int TransportPeer::connectedCount() {
  std::lock_guard lock(mutex_);
  return connected_;
}

std::vector<std::string> TransportPeer::closedReasons() {
  std::lock_guard lock(mutex_);
  return closed_;
}

std::vector<TransportPeer::ReceivedRtp> TransportPeer::rtp() {
  std::lock_guard lock(mutex_);
  return rtp_;
}

std::vector<std::vector<uint8_t>> TransportPeer::rtcp() {
  std::lock_guard lock(mutex_);
  return rtcp_;
}

void TransportPeer::onTransportCandidate(const std::string& sdpCandidate) {
  TransportPeer* remote = remote_;
  if (remote == nullptr) return;
  remote->worker_.post([remote, sdpCandidate] {
    if (remote->transport_) remote->transport_->addRemoteCandidate(sdpCandidate);
  });
}

void TransportPeer::onGatheringDone() {
  TransportPeer* remote = remote_;
  if (remote == nullptr) return;
  remote->worker_.post([remote] {
    if (remote->transport_) remote->transport_->remoteGatheringDone();
  });
}

void TransportPeer::onTransportConnected() {
  std::lock_guard lock(mutex_);
  ++connected_;
  changed_.notify_all();
}

void TransportPeer::onTransportRecovered() {
  std::lock_guard lock(mutex_);
  ++recovered_;
  changed_.notify_all();
}

void TransportPeer::onTransportClosed(std::string_view reason) {
  std::lock_guard lock(mutex_);
  closed_.emplace_back(reason);
  changed_.notify_all();
}

void TransportPeer::onRtp(rtp::RtpPacket& packet) {
  ReceivedRtp received;
  received.ssrc = packet.ssrc();
  received.sequence = packet.sequence();
  received.payloadType = packet.payloadType();
  const auto payload = packet.payload();
  received.payload.assign(payload.begin(), payload.end());
  std::lock_guard lock(mutex_);
  rtp_.push_back(std::move(received));
  changed_.notify_all();
}

void TransportPeer::onRtcp(uint8_t* data, size_t len) {
  std::lock_guard lock(mutex_);
  rtcp_.emplace_back(data, data + len);
  changed_.notify_all();
}

}  // namespace diemcau::media::test
