#pragma once
// The signaling a simulated site needs from a server, whatever its protocol: join, offer the
// publish connection and get its answer, answer the server's subscribe offers, trickle ICE,
// leave. DiemcauSignaling speaks docs/PROTOCOL.md; JanusSignaling speaks the Janus videoroom API.
//
// Listener calls happen on the signaling (io) thread.
#include <cstdint>
#include <memory>
#include <string>

namespace diemcau::load {

enum class ConnectionKind { Publish, Subscribe };

class SiteSignaling {
 public:
  class Listener {
   public:
    virtual ~Listener() = default;
    /// The server admitted the site; it may publish now.
    virtual void onJoined() = 0;
    virtual void onPublishAnswer(std::string sdp) = 0;
    virtual void onSubscribeOffer(uint32_t version, std::string sdp) = 0;
    virtual void onRemoteCandidate(ConnectionKind connection, std::string candidate) = 0;
    /// The server refused a request or the connection ended while the site was in the meeting.
    virtual void onSignalingFailed(std::string reason) = 0;
  };

  virtual ~SiteSignaling() = default;
  /// Connects and joins; the listener is held weakly so a leaving site can go at any time.
  virtual void start(std::weak_ptr<Listener> listener) = 0;
  virtual void publish(const std::string& offerSdp) = 0;
  virtual void answerSubscribe(uint32_t version, const std::string& answerSdp) = 0;
  /// Leaves the meeting and closes the connection.
  virtual void leave() = 0;
};

}  // namespace diemcau::load
