#pragma once
// Where simulated sites get their signaling from: prepares the server side once (sites, meeting
// and tokens on the bridge; a room on Janus) and then makes one SiteSignaling per site. Slot 0
// is the hall (the host), slots 1..N the sites.
#include <cstdint>
#include <memory>
#include <string>

#include "tools/load/SiteSignaling.hpp"

namespace diemcau::load {

class SignalingFactory {
 public:
  virtual ~SignalingFactory() = default;
  /// Blocking; throws std::runtime_error when the server refuses.
  virtual void prepare(size_t sites) = 0;
  virtual std::string siteId(uint16_t slot) const = 0;
  virtual std::shared_ptr<SiteSignaling> make(uint16_t slot) = 0;
};

}  // namespace diemcau::load
