#pragma once

#include <algorithm>
#include <memory>
#include <set>
#include <string>
#include <utility>

#include "signaling/protocol/Service.hpp"

namespace diemcau::signaling::meeting {

/// Registers a service for all but some of its types, so that another service can own a shared type
/// name and pass on the requests that are not its own. Used for `candidate`, which both the echo test
/// ({session, candidate}) and meetings ({transport, candidate}) speak: the meeting service owns the
/// type and hands requests naming a session to the echo service.
class TypeFilteredService final : public protocol::Service {
 public:
  TypeFilteredService(std::shared_ptr<protocol::Service> inner, std::set<std::string> hidden)
      : inner_(std::move(inner)), hidden_(std::move(hidden)) {}

  std::vector<std::string> types() const override {
    std::vector<std::string> visible = inner_->types();
    std::erase_if(visible, [this](const std::string& type) { return hidden_.contains(type); });
    return visible;
  }
  std::optional<nlohmann::json> handle(protocol::Connection& connection, const protocol::Request& request) override {
    return inner_->handle(connection, request);
  }
  void onClose(protocol::Connection& connection) override { inner_->onClose(connection); }

 private:
  std::shared_ptr<protocol::Service> inner_;
  std::set<std::string> hidden_;
};

}  // namespace diemcau::signaling::meeting
