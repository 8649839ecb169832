#include "media/sdp/SdpTypes.hpp"

namespace diemcau::media::sdp {

std::string_view toString(MediaKind kind) noexcept {
  switch (kind) {
    case MediaKind::Audio: return "audio";
    case MediaKind::Video: return "video";
    case MediaKind::Application: return "application";
    case MediaKind::Unknown: break;
  }
  return "unknown";
}

std::string_view toString(Direction direction) noexcept {
  switch (direction) {
    case Direction::SendRecv: return "sendrecv";
    case Direction::SendOnly: return "sendonly";
    case Direction::RecvOnly: return "recvonly";
    case Direction::Inactive: return "inactive";
  }
  return "inactive";
}

std::string_view toString(SetupRole role) noexcept {
  switch (role) {
    case SetupRole::ActPass: return "actpass";
    case SetupRole::Active: return "active";
    case SetupRole::Passive: return "passive";
  }
  return "actpass";
}

MediaKind mediaKindFromString(std::string_view text) noexcept {
  if (text == "audio") return MediaKind::Audio;
  if (text == "video") return MediaKind::Video;
  if (text == "application") return MediaKind::Application;
  return MediaKind::Unknown;
}

std::optional<Direction> directionFromString(std::string_view text) noexcept {
  if (text == "sendrecv") return Direction::SendRecv;
  if (text == "sendonly") return Direction::SendOnly;
  if (text == "recvonly") return Direction::RecvOnly;
  if (text == "inactive") return Direction::Inactive;
  return std::nullopt;
}

std::optional<SetupRole> setupRoleFromString(std::string_view text) noexcept {
  if (text == "actpass") return SetupRole::ActPass;
  if (text == "active") return SetupRole::Active;
  if (text == "passive") return SetupRole::Passive;
  return std::nullopt;
}

Direction reverse(Direction direction) noexcept {
  switch (direction) {
    case Direction::SendOnly: return Direction::RecvOnly;
    case Direction::RecvOnly: return Direction::SendOnly;
    default: return direction;
  }
}

SetupRole answerRole(SetupRole offered) noexcept {
  return offered == SetupRole::Passive ? SetupRole::Active : SetupRole::Passive;
}

}  // namespace diemcau::media::sdp
