#pragma once

#include "media/ice/ClientMux.hpp"
#include "media/ice/IceConfig.hpp"
#include "media/ice/IceLink.hpp"
#include "media/ice/MuxAddress.hpp"
#include "media/ice/MuxSocket.hpp"
#include "media/worker/Timer.hpp"

#include <glib.h>
#include <stun/stunagent.h>
#include <sys/socket.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace diemcau::media {

/**
 * The client side of ICE for a load generator, on the worker's ClientMux instead of a libnice agent
 * and its GLib sources: UDP host candidates only, one address of its own (a socket, or a slot of the
 * mux's shared loopback socket). It plays one of two roles, chosen when it is made:
 *
 * Controlling (the peer is ICE-lite, as the bridge in lite mode): RFC 8445 with a lite peer. The
 * peer never checks, so this side checks the peer's best UDP candidate (host or srflx) with
 * USE-CANDIDATE on every check — aggressive nomination, which §8.1.1 leaves to a controlling agent
 * whose lite peer has one candidate per component: the first success response selects the pair.
 * Checks go out every 50 ms, backing off to 500 ms, and fail the link after kChecksTimeout without
 * a success. RFC 7675 consent: a check every 4–6 s (randomized; a third of the consent timeout when
 * that is shorter) while Connected; no success response for the consent timeout
 * (config.consentTimeout, 30 s when 0) fails the link. Requests from the peer are not answered.
 *
 * Lite (the peer is a full agent that offered, as Janus or the bridge in full-ICE mode): this side
 * is ICE-lite (RFC 8445 §2.5; the answer says a=ice-lite) and always controlled. It sends no checks
 * and answers the peer's with the mux's StunResponder. The first valid check selects its source
 * address (the peer may start DTLS before it nominates); a check with USE-CANDIDATE from another
 * address moves the path there (one local candidate: the nominated pair is the peer's choice).
 * Consent is the peer's valid checks and, through noteAuthenticated(), its authenticated SRTP,
 * SRTCP and DTLS; none for the consent timeout fails the link, as does no valid check within
 * kChecksTimeout of the remote credentials.
 *
 * Datagrams that are not STUN reach the listener only from the selected address.
 *
 * States: New → Checking (controlling only) → Connected → Failed (only restart() recovers) → New;
 * Closed last, once, and nothing after it. Created, used and destroyed on the mux's worker thread;
 * the mux must outlive it.
 */
class ClientIceTransport final : public IceLink, private ClientMux::Endpoint {
 public:
  static constexpr std::chrono::seconds kChecksTimeout{10};
  static constexpr std::chrono::milliseconds kFirstRetransmit{50};
  static constexpr std::chrono::milliseconds kLastRetransmit{500};
  /// Retransmissions at kFirstRetransmit before the interval starts doubling.
  static constexpr int kFastRetransmits = 10;
  static constexpr size_t kMaxRemoteCandidates = 8;

  enum class Role : uint8_t {
    Controlling,  // checks a lite peer
    Lite,         // answers a full peer's checks
  };

  /// Binds nothing yet: gather() binds the socket on config.localAddresses[0], port 0, or, when
  /// the mux has a shared socket, takes an address of that one instead.
  ClientIceTransport(ClientMux& mux, const IceConfig& config, Listener& listener, Role role = Role::Controlling);
  ~ClientIceTransport() override;
  ClientIceTransport(const ClientIceTransport&) = delete;
  ClientIceTransport& operator=(const ClientIceTransport&) = delete;

  const std::string& localUfrag() const override { return localUfrag_; }
  const std::string& localPwd() const override { return localPwd_; }
  IceState state() const override { return state_; }
  bool lite() const override { return role_ == Role::Lite; }

  void gather() override;
  std::vector<std::string> localCandidates() const override;
  void setRemoteCredentials(const std::string& ufrag, const std::string& pwd) override;
  /// Keeps UDP host/srflx candidates with a numeric address; others are well formed but unused.
  bool addRemoteCandidate(const std::string& sdpCandidate) override;
  void remoteGatheringDone() override {}
  int send(const uint8_t* data, size_t len) override;
  /// Lite role: consent, taken at the next tick (no clock read per packet). Controlling role:
  /// ignored, as consent is the answers to this side's own checks (RFC 7675 §5.1), which carry the
  /// transaction ID it chose, so no received packet, authenticated or not, stands in.
  void noteAuthenticated() noexcept override { heard_ = true; }
  /// RFC 8445 §6.1.1: the full agent facing a lite one controls; a lite agent never does.
  bool controlling() const override { return role_ == Role::Controlling; }
  void restart() override;
  void close() override;

  std::optional<MuxAddress> selectedAddress() const;
  /// Check transactions started (retransmissions not counted) and success responses taken; in the
  /// lite role, none started and the peer's valid checks answered.
  uint64_t checksStarted() const { return checksStarted_; }
  uint64_t checkSuccesses() const { return checkSuccesses_; }
  /// Datagrams dropped: STUN not for us, or media from another address than the selected one.
  uint64_t dropped() const { return dropped_; }

 private:
  struct Remote {
    MuxAddress address;
    uint32_t priority = 0;
  };

  // ClientMux::Endpoint
  int fd() const override { return socket_ ? socket_->fd() : -1; }
  /// Gathered: it has its own socket or a slot of the mux's shared one.
  bool bound() const { return socket_.has_value() || sharedSlot_.has_value(); }
  /// One datagram to `to` from this link's address.
  ssize_t sendTo(const uint8_t* data, size_t len, const sockaddr_storage& to, socklen_t toLength) const;
  void onDatagram(uint8_t* data, size_t len, const sockaddr_storage& from, socklen_t fromLength) override;
  void onTick(gint64 nowUs) override;
  void onMuxGone() override { mux_ = nullptr; }
  void addReceiveLines(CacheLines& lines) const noexcept override;

  void onStun(const uint8_t* data, size_t len, const MuxAddress& source);
  /// Lite role: answers a check from the peer and takes its path.
  void answerCheck(const uint8_t* data, size_t len, const sockaddr_storage& from, socklen_t fromLength,
                   const MuxAddress& source);
  static StunResponder::Credentials credentialsFor(void* self, std::string_view localUfrag);
  void liteTick(gint64 nowUs);
  /// Starts a new check transaction towards the best remote candidate, if there is one to check.
  void startCheck(gint64 nowUs);
  void retransmit(gint64 nowUs);
  void forgetTransaction();
  gint64 consentIntervalUs();
  void fail(const char* why);
  void newCredentials();
  void emitCandidates();
  void setState(IceState state);
  void teardown();

  ClientMux* mux_;
  Listener& listener_;
  const Role role_;
  bool heard_ = false;  // lite role: authenticated traffic since the last tick
  // What a media datagram reads, together (addReceiveLines).
  IceState state_ = IceState::New;
  bool hasPath_ = false;
  MuxAddress selected_;
  std::string bindAddress_;
  int receiveBufferBytes_;
  gint64 consentTimeoutUs_;
  std::optional<MuxSocket> socket_;
  std::optional<uint32_t> sharedSlot_;  // the address taken on the mux's shared socket instead
  std::string localAddress_;            // of the host candidate
  uint16_t localPort_ = 0;
  std::string localUfrag_;
  std::string localPwd_;
  std::string remoteUfrag_;
  std::string remotePwd_;  // the key of the pending transaction: stable while it is pending
  std::string username_;   // "remoteUfrag:localUfrag" (RFC 8445 §7.2.2)
  Timer gatherTimer_;
  std::vector<Remote> remotes_;

  StunAgent agent_{};
  uint64_t tieBreaker_ = 0;
  uint64_t jitter_ = 0;  // xorshift state for the consent interval
  std::array<uint8_t, 600> request_{};
  size_t requestLength_ = 0;
  StunTransactionId transaction_{};
  bool pending_ = false;
  MuxAddress target_;
  sockaddr_storage targetTo_{};
  socklen_t targetToLength_ = 0;
  gint64 checksSinceUs_ = 0;  // start of the current run of checks (lite role: of the wait for one)
  gint64 nextSendUs_ = 0;
  gint64 retransmitUs_ = 0;
  int retransmits_ = 0;
  gint64 lastConsentUs_ = 0;
  gint64 nextConsentUs_ = 0;

  sockaddr_storage selectedTo_{};
  socklen_t selectedToLength_ = 0;

  uint64_t checksStarted_ = 0;
  uint64_t checkSuccesses_ = 0;
  uint64_t dropped_ = 0;
};

}  // namespace diemcau::media
