#pragma once

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/ServerConfig.hpp"

namespace diemcau::config {

/// Everything configuration is read from, gathered by main so tests can pass their own.
struct ConfigInput {
  /// Command-line arguments without argv[0].
  std::vector<std::string> args;
  /// The process environment; only DIEMCAU_* variables are read.
  std::map<std::string, std::string> environment;
  /// Path of the running binary, used to find the browser client next to an installed binary.
  std::filesystem::path executable;
};

/// What main should do after loading.
struct LoadResult {
  enum class Action { Run, PrintHelp, PrintVersion };
  Action action = Action::Run;
  std::optional<ServerConfig> config;  // set when action == Run
  std::string text;                    // help or version text otherwise
};

/// Reads the option table from flags, DIEMCAU_* variables and an optional INI file, in that order of
/// precedence over the built-in defaults, and validates the result into a ServerConfig.
/// Throws ConfigError for unknown options, bad values and unreadable files.
class ConfigLoader {
 public:
  explicit ConfigLoader(unsigned hardwareThreads);

  LoadResult load(const ConfigInput& input) const;
  std::string helpText(const std::filesystem::path& executable) const;

  /// Copies the DIEMCAU_* variables of the running process.
  static std::map<std::string, std::string> processEnvironment();
  /// The browser client directory: <bin>/../share/diemcau/web when installed, else the source tree's.
  static std::filesystem::path defaultStaticDir(const std::filesystem::path& executable);

 private:
  unsigned defaultWorkers_;
};

/// The running version, "0.1.0".
std::string versionString();

}  // namespace diemcau::config
