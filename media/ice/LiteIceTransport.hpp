#pragma once

#include "media/ice/IceConfig.hpp"
#include "media/ice/IceLink.hpp"

#include <string>
#include <vector>

namespace diemcau::media {

class UdpMux;

/**
 * ICE-lite (RFC 8445 §2.5) on the worker's shared UDP socket: host candidates only (the mux's
 * addresses and port, or the announced address), always the controlled agent, answers the
 * peer's checks and takes the nominated (USE-CANDIDATE) pair as selected; consent (RFC 7675) is
 * the peer's own checks and traffic, expiring after config.consentTimeout of silence.
 *
 * Created, used and destroyed on the mux's worker thread.
 */
class LiteIceTransport final : public IceLink {
 public:
  LiteIceTransport(UdpMux& mux, const IceConfig& config, Listener& listener);
  ~LiteIceTransport() override;
  LiteIceTransport(const LiteIceTransport&) = delete;
  LiteIceTransport& operator=(const LiteIceTransport&) = delete;

  const std::string& localUfrag() const override { return localUfrag_; }
  const std::string& localPwd() const override { return localPwd_; }
  IceState state() const override { return state_; }
  bool lite() const override { return true; }

  void gather() override;
  std::vector<std::string> localCandidates() const override;
  void setRemoteCredentials(const std::string& ufrag, const std::string& pwd) override;
  bool addRemoteCandidate(const std::string& sdpCandidate) override;
  void remoteGatheringDone() override;
  int send(const uint8_t* data, size_t len) override;
  void restart() override;
  void close() override;

 private:
  UdpMux& mux_;
  Listener& listener_;
  std::string localUfrag_;
  std::string localPwd_;
  IceState state_ = IceState::New;
};

}  // namespace diemcau::media
