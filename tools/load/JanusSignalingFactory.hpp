#pragma once
// Signaling for Janus: the hall publishes into an existing videoroom (--janus-room, made by the
// Janus configuration the bench script writes), every other site subscribes to the hall's feed.
#include <boost/asio/io_context.hpp>

#include <atomic>
#include <memory>

#include "tools/load/LoadOptions.hpp"
#include "tools/load/SignalingFactory.hpp"

namespace diemcau::load {

class JanusSignalingFactory final : public SignalingFactory {
 public:
  /// Throws std::invalid_argument for a scenario other than fanout or no room.
  JanusSignalingFactory(boost::asio::io_context& io, const LoadOptions& options);

  void prepare(size_t) override {}
  std::string siteId(uint16_t slot) const override;
  std::shared_ptr<SiteSignaling> make(uint16_t slot) override;

 private:
  boost::asio::io_context& io_;
  const LoadOptions& options_;
  std::shared_ptr<std::atomic<uint64_t>> hallFeed_ = std::make_shared<std::atomic<uint64_t>>(0);
};

}  // namespace diemcau::load
