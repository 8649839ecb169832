#pragma once

#include "media/ice/IceState.hpp"
#include "media/rtp/CacheLines.hpp"

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace diemcau::media {

/**
 * What a WebRtcTransport needs from ICE: credentials, candidates, a state and one datagram path.
 *
 * Two implementations:
 *  - IceTransport: full ICE on its own libnice agent and sockets (UDP and optional ICE-TCP,
 *    works behind any NAT on the bridge's side);
 *  - LiteIceTransport: ICE-lite (RFC 8445 §2.5) on the worker's shared UDP socket (UdpMux), so a
 *    worker reads and writes every participant's datagrams with recvmmsg/sendmmsg on one port.
 *
 * Threading: created, used and destroyed on one worker thread; every Listener call comes from it.
 * Listener methods must not destroy the link re-entrantly (post the destruction).
 */
class IceLink {
 public:
  class Listener {
   public:
    virtual ~Listener() = default;
    /// A trickled local candidate, "candidate:..." (no "a=", no line ending).
    virtual void onIceCandidate(const std::string& sdpCandidate) = 0;
    virtual void onIceGatheringDone() = 0;
    virtual void onIceStateChanged(IceState state) = 0;
    /// One received datagram (never STUN). Mutable so the caller may decrypt in place; valid only
    /// during the call.
    virtual void onIcePacket(uint8_t* data, size_t len) = 0;
    /// Adds the lines onIcePacket() touches for an SRTP packet (CacheLines), for a receiver that
    /// reads many links' datagrams at once to prefetch one datagram ahead; by default none.
    virtual void addReceiveLines(CacheLines& lines) const noexcept { (void)lines; }
  };

  virtual ~IceLink() = default;

  virtual const std::string& localUfrag() const = 0;
  virtual const std::string& localPwd() const = 0;
  virtual IceState state() const = 0;
  /// True for ICE-lite: the SDP carries a=ice-lite and the peer must be the controlling agent.
  virtual bool lite() const = 0;

  /// Starts gathering; candidates trickle through onIceCandidate, then onIceGatheringDone.
  virtual void gather() = 0;
  virtual std::vector<std::string> localCandidates() const = 0;

  virtual void setRemoteCredentials(const std::string& ufrag, const std::string& pwd) = 0;
  /// Adds one trickled remote candidate. false (and a log line) when malformed; never throws.
  virtual bool addRemoteCandidate(const std::string& sdpCandidate) = 0;
  /// The peer sent end-of-candidates: checks may now conclude with Failed.
  virtual void remoteGatheringDone() = 0;

  /// Sends on the selected path. Returns bytes accepted, or -1 when not Connected / closed.
  virtual int send(const uint8_t* data, size_t len) = 0;
  /// A buffer of at least `capacity` bytes to build the next datagram in, where the link would
  /// otherwise copy it (ICE-lite's send batch); empty when there is none, and then send() is the
  /// way. Valid until commitSend() or any other send on the worker.
  virtual std::span<uint8_t> reserveSend(size_t capacity) {
    (void)capacity;
    return {};
  }
  /// Sends the first `len` bytes of what reserveSend() returned; as send().
  virtual int commitSend(size_t len) {
    (void)len;
    return -1;
  }
  /// Adds the lines a send on this link touches (CacheLines); by default the link object's first.
  virtual void addSendLines(CacheLines& lines) const noexcept { lines.add(this); }

  /// The datagram being delivered through onIcePacket proved that its sender holds the session's
  /// keys (SRTP or SRTCP that authenticated, DTLS the session accepted). Only such traffic, and
  /// checks that passed MESSAGE-INTEGRITY, refresh consent (RFC 7675): a datagram merely coming
  /// from the selected address could be spoofed. Called from inside onIcePacket, per packet: an
  /// implementation stores a flag or a timestamp it already has, and makes no system call.
  virtual void noteAuthenticated() noexcept = 0;

  /// The ICE role (RFC 8445 §6.1.1). Only a full agent that may act either way (IceTransport) can
  /// change it, and only before its checks start; a lite link is always controlled, the minimal
  /// client of a lite peer always controlling, and both ignore the call.
  virtual void setControlling(bool /*controlling*/) {}
  /// The role this link plays, or (IceTransport) the role asked for.
  virtual bool controlling() const = 0;

  /// ICE restart (RFC 8445 §9): new local credentials. Signal the new ufrag/pwd, then give the
  /// peer's new credentials (and, for full ICE, candidates).
  virtual void restart() = 0;
  /// Stops the link: onIceStateChanged(Closed) is the last callback. Idempotent.
  virtual void close() = 0;
};

}  // namespace diemcau::media
