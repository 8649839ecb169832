#include "signaling/store/Site.hpp"

namespace diemcau::signaling::store {

std::string_view toString(SiteKind kind) {
  switch (kind) {
    case SiteKind::Hall:
      return "hall";
    case SiteKind::Commune:
      return "commune";
    case SiteKind::Other:
      return "other";
  }
  return "other";
}

std::optional<SiteKind> parseSiteKind(std::string_view text) {
  if (text == "hall") return SiteKind::Hall;
  if (text == "commune") return SiteKind::Commune;
  if (text == "other") return SiteKind::Other;
  return std::nullopt;
}

}  // namespace diemcau::signaling::store
