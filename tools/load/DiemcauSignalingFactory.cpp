#include "tools/load/DiemcauSignalingFactory.hpp"

#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "tools/load/AdminClient.hpp"
#include "tools/load/DiemcauSignaling.hpp"

namespace diemcau::load {

DiemcauSignalingFactory::DiemcauSignalingFactory(boost::asio::io_context& io, const LoadOptions& options)
    : io_(io), options_(options) {}

void DiemcauSignalingFactory::prepare(size_t sites) {
  if (!options_.tokenFile.empty()) return readTokenFile(sites);
  ids_.push_back(options_.idPrefix + "-hall");
  for (size_t i = 1; i <= sites; ++i) {
    char id[16];
    std::snprintf(id, sizeof id, "-s%04zu", i);
    ids_.push_back(options_.idPrefix + id);
  }
  AdminClient admin(options_.host, options_.port, options_.adminKey);
  admin.addSite(ids_[0], "Load hall " + options_.idPrefix, "hall");
  for (size_t i = 1; i < ids_.size(); ++i) admin.addSite(ids_[i], "Load site " + ids_[i], "commune");
  const std::vector<std::string> invited(ids_.begin() + 1, ids_.end());
  const std::string meeting = admin.openMeeting("load " + options_.idPrefix, ids_[0], invited, 6);
  const auto links = admin.links(meeting);
  for (const auto& id : ids_) {
    const auto it = links.find(id);
    if (it == links.end()) throw std::runtime_error("the meeting's links lack site " + id);
    tokens_.push_back(it->second);
  }
}

void DiemcauSignalingFactory::readTokenFile(size_t sites) {
  std::ifstream in(options_.tokenFile);
  if (!in) throw std::runtime_error("cannot read " + options_.tokenFile);
  std::string line;
  while (std::getline(in, line) && ids_.size() <= sites) {
    std::istringstream fields(line);
    std::string id, token;
    if (!(fields >> id >> token)) continue;
    ids_.push_back(id);
    tokens_.push_back(token);
  }
  if (ids_.size() < sites + 1) {
    throw std::runtime_error(options_.tokenFile + " holds " + std::to_string(ids_.size()) + " tokens; " +
                             std::to_string(sites + 1) + " needed (the hall first)");
  }
}

std::string DiemcauSignalingFactory::siteId(uint16_t slot) const { return ids_.at(slot); }

std::shared_ptr<SiteSignaling> DiemcauSignalingFactory::make(uint16_t slot) {
  return std::make_shared<DiemcauSignaling>(io_, options_.host, options_.port, tokens_.at(slot));
}

}  // namespace diemcau::load
