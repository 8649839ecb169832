#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "bridge/room/RoomTypes.hpp"
#include "signaling/meeting/LinkQuality.hpp"
#include "signaling/protocol/Connection.hpp"
#include "signaling/tokens/JoinClaims.hpp"

namespace diemcau::signaling::meeting {

/// One seat of a live meeting: a site (or viewer) and the connection that currently holds it.
/// Signaling thread only.
struct Participant {
  std::string id;  ///< the site slug from the token
  std::string displayName;
  tokens::Role role = tokens::Role::Site;
  /// Valid until the dispatcher reports the connection closed; the seat is given up before that.
  protocol::Connection* connection = nullptr;
  std::string tokenId;  ///< revoked when the chair removes the site
  std::chrono::sys_seconds tokenExpiry{};
  bool handRaised = false;
  std::map<std::string, bridge::TrackInfo> tracks;  ///< by track id
  /// Latest subscribe offer sent and whether it has been answered.
  std::optional<uint32_t> offeredVersion;
  bool offerAnswered = false;
  /// Set while the site's link is down and the seat waits for it (docs/PROTOCOL.md, "Resuming after a
  /// lost link"): its WebSocket closed, or the bridge lost a media connection.
  std::optional<std::chrono::system_clock::time_point> lostAt;
  /// The media connections the bridge lost (Wirenames' transportBit) that no ICE restart has brought
  /// back yet.
  uint8_t mediaLost = 0;
  /// The bridge's counters at the previous sample and when it was taken (steady clock of the sampler).
  std::optional<bridge::ParticipantStats> lastStats;
  std::chrono::steady_clock::time_point lastStatsAt{};
  /// The link quality last announced (nullopt: none yet).
  std::optional<LinkQuality> quality;
};

}  // namespace diemcau::signaling::meeting
