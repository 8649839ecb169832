#include "bridge/room/RoomTypes.hpp"

namespace diemcau::bridge {

std::string_view toString(Role role) {
  switch (role) {
    case Role::Host: return "host";
    case Role::Site: return "site";
    case Role::Viewer: return "viewer";
  }
  return "site";
}

std::optional<Role> roleFromString(std::string_view text) {
  if (text == "host") return Role::Host;
  if (text == "site") return Role::Site;
  if (text == "viewer") return Role::Viewer;
  return std::nullopt;
}

std::string_view toString(TrackKind kind) { return kind == TrackKind::Audio ? "audio" : "video"; }

std::string_view toString(TransportKind kind) { return kind == TransportKind::Publish ? "publish" : "subscribe"; }

std::optional<TransportKind> transportKindFromString(std::string_view text) {
  if (text == "publish") return TransportKind::Publish;
  if (text == "subscribe") return TransportKind::Subscribe;
  return std::nullopt;
}

}  // namespace diemcau::bridge
