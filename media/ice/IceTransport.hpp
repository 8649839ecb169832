#pragma once

#include "media/ice/IceConfig.hpp"
#include "media/ice/IceLink.hpp"
#include "media/ice/IceState.hpp"
#include "media/ice/NiceAgentPtr.hpp"
#include "media/worker/Timer.hpp"

#include <nice/agent.h>
#include <sys/socket.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace diemcau::media {

class Worker;

/**
 * ICE over libnice: one stream, one component (BUNDLE + rtcp-mux), full ICE per RFC 8445 with
 * trickle, RFC 7675 consent freshness, optional passive ICE-TCP and ICE restart.
 *
 * Threading: constructed, used and destroyed on its worker's thread; the agent and all its
 * sockets and timers live on the worker's GMainContext, so every Listener call comes from that
 * thread. Listener methods must not destroy the IceTransport re-entrantly (post the destruction).
 *
 * Lifetime: close() (or the destructor) detaches the receive callback and the signal handlers
 * synchronously on the worker thread, so no callback reaches the Listener afterwards; the agent
 * itself is released by nice_agent_close_async() once libnice has let go of its resources.
 */
class IceTransport final : public IceLink {
 public:
  using Listener = IceLink::Listener;

  /// Throws std::invalid_argument on an unusable config (bad address, inverted port range) and
  /// std::runtime_error if libnice refuses to create the agent or stream.
  IceTransport(Worker& worker, const IceConfig& config, Listener& listener);
  ~IceTransport() override;
  IceTransport(const IceTransport&) = delete;
  IceTransport& operator=(const IceTransport&) = delete;

  const std::string& localUfrag() const override { return localUfrag_; }
  const std::string& localPwd() const override { return localPwd_; }
  IceState state() const override { return state_; }
  bool lite() const override { return false; }

  /// Starts gathering; candidates trickle through onIceCandidate, then onIceGatheringDone.
  void gather() override;
  std::vector<std::string> localCandidates() const override;

  void setRemoteCredentials(const std::string& ufrag, const std::string& pwd) override;
  /// Adds one trickled remote candidate. false (and a log line) when malformed; never throws.
  bool addRemoteCandidate(const std::string& sdpCandidate) override;
  /// The peer sent end-of-candidates: checks may now conclude with Failed.
  void remoteGatheringDone() override;

  /// Sends on the selected pair. Returns bytes sent, or -1 when not Connected / closed.
  /// A UDP pair without relay is sent on directly with sendto() on the pair's socket (see
  /// sendsDirect()); relayed and ICE-TCP pairs go through libnice, which frames them.
  int send(const uint8_t* data, size_t len) override;
  /// True while send() bypasses libnice for the selected pair (the usual case).
  bool sendsDirect() const { return directFd_ >= 0; }
  /// A flag the consent timer reads and clears: no clock read per packet.
  void noteAuthenticated() noexcept override { authenticated_ = true; }

  /// The ICE role (RFC 8445 §6.1.1): a full agent facing an ICE-lite peer must be controlling even
  /// as the answerer. libnice applies a change only until its checks start, and gather() starts
  /// them: set it before gathering (later, libnice keeps the old role until a restart, and only a
  /// 487 Role Conflict from the peer switches it). controlling() reads the role asked for.
  void setControlling(bool controlling) override;
  bool controlling() const override;

  /// ICE restart (RFC 8445 §9): new local credentials, remote candidates forgotten. Signal the
  /// new ufrag/pwd, then give the peer's new credentials and candidates.
  void restart() override;
  /// Stops the transport: onIceStateChanged(Closed) is the last callback. Idempotent.
  void close() override;

 private:
  static void onRecv(NiceAgent* agent, guint streamId, guint componentId, guint len, gchar* buf, gpointer self);
  static void onNewCandidate(NiceAgent* agent, NiceCandidate* candidate, gpointer self);
  static void onGatheringDone(NiceAgent* agent, guint streamId, gpointer self);
  static void onComponentState(NiceAgent* agent, guint streamId, guint componentId, guint state, gpointer self);
  static void onAgentClosed(GObject* agent, GAsyncResult* result, gpointer unused);
  static void onSelectedPair(NiceAgent* agent, guint streamId, guint componentId, NiceCandidate* local,
                             NiceCandidate* remote, gpointer self);

  void handleComponentState(NiceComponentState state);
  void checkConsent();
  void setState(IceState state);
  void refreshCredentials();
  void teardown();
  void refreshDirectPath();
  void clearDirectPath();

  Worker& worker_;
  Listener& listener_;
  std::chrono::seconds consentTimeout_;
  int receiveBufferBytes_;
  NiceAgentPtr agent_;
  guint streamId_ = 0;
  std::optional<NiceAddress> announced_;
  std::string localUfrag_;
  std::string localPwd_;
  IceState state_ = IceState::New;
  bool consentExpired_ = false;
  // Consent: when the timer last saw authenticated traffic (or Connected), and whether some came
  // since it last looked.
  gint64 lastReceivedUs_ = 0;
  bool authenticated_ = false;
  Timer consentTimer_;
  // The selected UDP pair, cached so a packet costs one sendto() and no agent lock, component
  // lookup or GSocket wrapping (measured in docs/PERFORMANCE.md). The socket reference is held
  // only to ask g_socket_is_closed() before each use: libnice closes the fd itself when it frees
  // the candidate, and the number could then belong to another socket.
  std::unique_ptr<GSocket, GObjectUnref> directSocket_;
  int directFd_ = -1;
  sockaddr_storage directTo_{};
  socklen_t directToLength_ = 0;
};

}  // namespace diemcau::media
