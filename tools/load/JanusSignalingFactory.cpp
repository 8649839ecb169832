#include "tools/load/JanusSignalingFactory.hpp"

#include <stdexcept>

#include "tools/load/JanusSignaling.hpp"

namespace diemcau::load {

JanusSignalingFactory::JanusSignalingFactory(boost::asio::io_context& io, const LoadOptions& options)
    : io_(io), options_(options) {
  if (options.scenario != Scenario::Fanout && options.scenario != Scenario::Idle) {
    throw std::invalid_argument("the Janus target runs the fanout and idle scenarios only (Janus routes no meeting)");
  }
  if (options.janusRoom == 0) throw std::invalid_argument("the Janus target needs --janus-room");
}

std::string JanusSignalingFactory::siteId(uint16_t slot) const {
  return slot == 0 ? options_.idPrefix + "-hall" : options_.idPrefix + "-s" + std::to_string(slot);
}

std::shared_ptr<SiteSignaling> JanusSignalingFactory::make(uint16_t slot) {
  return std::make_shared<JanusSignaling>(io_, options_.host, options_.port, options_.janusRoom, siteId(slot),
                                          slot == 0 || options_.scenario == Scenario::Idle, hallFeed_);
}

}  // namespace diemcau::load
