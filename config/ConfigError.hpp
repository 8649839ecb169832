#pragma once

#include <stdexcept>
#include <string>

namespace diemcau::config {

/// A configuration problem the operator must fix. what() is one line that names the option
/// (and where its value came from), so main can print it as is and exit with status 2.
class ConfigError : public std::runtime_error {
 public:
  ConfigError(std::string option, const std::string& message)
      : std::runtime_error(message), option_(std::move(option)) {}

  /// The option's long name ("media-ports"), or empty when no single option is at fault.
  const std::string& option() const noexcept { return option_; }

 private:
  std::string option_;
};

}  // namespace diemcau::config
