#pragma once

#include "media/ice/IceConfig.hpp"
#include "media/ice/IceLink.hpp"
#include "media/ice/MuxAddress.hpp"
#include "media/worker/Timer.hpp"

#include <glib.h>
#include <sys/socket.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace diemcau::media {

class UdpMux;

/**
 * ICE-lite (RFC 8445 §2.5) on the worker's shared UDP socket: host candidates only (the mux's
 * addresses and port, or the announced address), always the controlled agent, answers the
 * peer's checks and takes the nominated (USE-CANDIDATE) pair of highest priority as selected;
 * consent (RFC 7675) is what proves the peer holds the keys — its checks that passed
 * MESSAGE-INTEGRITY and, through noteAuthenticated(), the SRTP/SRTCP/DTLS its listener
 * authenticated — and expires after config.consentTimeout without any. Other datagrams from the
 * selected address are delivered but do not count.
 *
 * States as IceTransport: New → Connected (first valid check) → Failed (consent lost; only
 * restart() recovers) → New (restart) → Connected; Closed last, once. After a restart the old
 * path keeps carrying traffic both ways until a check with the new credentials arrives.
 *
 * Created, used and destroyed on the mux's worker thread; the mux must outlive it.
 */
class LiteIceTransport final : public IceLink {
 public:
  /// Candidate lines are "candidate:<foundation> 1 udp <priority> <ip> <port> typ host".
  static constexpr size_t kUfragLength = 8;  // RFC 8445 §5.3: at least 4 ice-chars
  static constexpr size_t kPwdLength = 24;   // at least 22 (128 bits of randomness)

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
  /// A lite agent runs no checks: well-formed candidates are accepted and not used.
  bool addRemoteCandidate(const std::string& sdpCandidate) override;
  void remoteGatheringDone() override;
  int send(const uint8_t* data, size_t len) override;
  std::span<uint8_t> reserveSend(size_t capacity) override;
  int commitSend(size_t len) override;
  void addSendLines(CacheLines& lines) const noexcept override;
  /// Dated with the mux's receive-batch clock: no clock read per packet.
  void noteAuthenticated() noexcept override;
  bool controlling() const override { return false; }
  void restart() override;
  void close() override;

  /// A lower-priority nomination moves the selected pair only once the selected one has carried no
  /// authenticated traffic for this long (or half the consent timeout, when that is shorter).
  static constexpr std::chrono::seconds kPathQuiet{2};

  /// The selected remote address (nullopt before the first valid check or after consent loss).
  std::optional<MuxAddress> selectedAddress() const;
  bool nominated() const { return nominated_; }

 private:
  friend class UdpMux;
  // From the mux, on its worker thread.
  void onCheck(size_t socketIndex, const MuxAddress& source, bool useCandidate, uint32_t remotePriority);
  void onDatagram(uint8_t* data, size_t len);
  void checkConsent(gint64 nowUs);
  void onPathTaken(const MuxAddress& address);
  void detachFromMux();
  /// False once consent is lost: answering the peer's checks would tell it the path is fine while
  /// we drop its media; the 401 it gets instead leads it to an ICE restart (new credentials).
  bool answersChecks() const { return !consentExpired_ && state_ != IceState::Closed; }
  /// A path to send on: Connected, or New after a restart while the old path still has consent.
  bool canSend() const;

  void select(size_t socketIndex, const MuxAddress& source);
  bool mayMoveTo(uint64_t pairPriority) const;
  void dropPath();
  void newCredentials();
  void emitCandidates();
  void setState(IceState state);
  void teardown();

  UdpMux* mux_;
  // What a send reads, together (addSendLines).
  IceState state_ = IceState::New;
  bool hasPath_ = false;
  bool consentExpired_ = false;   // RFC 7675 §5.1: no traffic either way until restart()
  socklen_t selectedToLength_ = 0;
  size_t socketIndex_ = 0;
  sockaddr_storage selectedTo_{};
  Listener& listener_;
  gint64 consentTimeoutUs_;
  gint64 connectTimeoutUs_;  // remote credentials given, no valid check yet: Failed after this
  gint64 pathQuietUs_;
  std::optional<std::string> announced_;
  int announcedFamily_ = 0;
  std::string localUfrag_;
  std::string localPwd_;
  std::string remoteUfrag_;
  std::string remotePwd_;
  Timer gatherTimer_;

  bool nominated_ = false;
  bool restarted_ = false;        // the next valid check (new credentials) selects afresh
  MuxAddress selected_;
  uint64_t selectedPriority_ = 0;  // RFC 8445 §6.1.2.3 pair priority of the selected pair
  gint64 lastHeardUs_ = 0;         // consent: the last valid check or authenticated packet on the path
  gint64 lastMediaUs_ = 0;         // the last authenticated packet on the path (or its selection)
  gint64 awaitingChecksSinceUs_ = 0;  // when the remote credentials came while not Connected; 0 = not waiting
};

}  // namespace diemcau::media
