#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace diemcau::signaling::store {

/// What a site is decides what it may do: only a hall can host a meeting.
enum class SiteKind { Hall, Commune, Other };

std::string_view toString(SiteKind kind);
std::optional<SiteKind> parseSiteKind(std::string_view text);

/// A place that joins meetings: the district hall or a commune office.
struct Site {
  std::string id;    ///< slug, e.g. "lang-can"
  std::string name;  ///< display name in Vietnamese, UTF-8
  SiteKind kind = SiteKind::Other;
  std::string contact;  ///< free text: phone, person in charge
  std::chrono::sys_seconds createdAt{};
};

}  // namespace diemcau::signaling::store
