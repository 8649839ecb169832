#pragma once
// A message serialized once for many connections. An event to everyone in a meeting was
// serialized again for each of them: a `quality` event listing 330 sites, sent to 330 sites,
// was about 10 MB of JSON written on the signaling thread at once (docs/PERFORMANCE.md). Every
// connection's queue now holds the same immutable text.
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

namespace diemcau::signaling::protocol {

/// The text a connection sends for `message` (compact; invalid UTF-8 replaced, never thrown).
std::string serialize(const nlohmann::json& message);

class SharedMessage {
 public:
  explicit SharedMessage(const nlohmann::json& message)
      : text_(std::make_shared<const std::string>(serialize(message))) {}

  const std::shared_ptr<const std::string>& text() const { return text_; }

 private:
  std::shared_ptr<const std::string> text_;
};

}  // namespace diemcau::signaling::protocol
