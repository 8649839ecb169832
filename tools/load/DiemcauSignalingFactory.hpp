#pragma once
// Tokens for the bridge: from a token file, or made through the admin API (a hall site, N commune
// sites and a meeting open now, hosted by the hall and inviting every site).
#include <boost/asio/io_context.hpp>

#include <string>
#include <vector>

#include "tools/load/LoadOptions.hpp"
#include "tools/load/SignalingFactory.hpp"

namespace diemcau::load {

class DiemcauSignalingFactory final : public SignalingFactory {
 public:
  DiemcauSignalingFactory(boost::asio::io_context& io, const LoadOptions& options);

  void prepare(size_t sites) override;
  std::string siteId(uint16_t slot) const override;
  std::shared_ptr<SiteSignaling> make(uint16_t slot) override;

 private:
  void readTokenFile(size_t sites);

  boost::asio::io_context& io_;
  const LoadOptions& options_;
  std::vector<std::string> ids_;     // by slot
  std::vector<std::string> tokens_;  // by slot
};

}  // namespace diemcau::load
