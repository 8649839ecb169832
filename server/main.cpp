// diemcau: the conferencing bridge server. See docs/ARCHITECTURE.md.

#include <gst/gst.h>
#include <spdlog/spdlog.h>

#include <cstdio>
#include <thread>

#include "config/ConfigError.hpp"
#include "config/ConfigLoader.hpp"
#include "server/Server.hpp"

namespace {

constexpr int kExitConfig = 2;
constexpr int kExitFailure = 1;

diemcau::config::ConfigInput readInput(int argc, char** argv) {
  diemcau::config::ConfigInput input;
  for (int i = 1; i < argc; ++i) input.args.emplace_back(argv[i]);
  input.environment = diemcau::config::ConfigLoader::processEnvironment();
  std::error_code ec;
  input.executable = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) input.executable = argv[0];
  return input;
}

}  // namespace

int main(int argc, char** argv) {
  using diemcau::config::LoadResult;
  LoadResult loaded;
  try {
    loaded = diemcau::config::ConfigLoader(std::thread::hardware_concurrency()).load(readInput(argc, argv));
  } catch (const diemcau::config::ConfigError& error) {
    std::fprintf(stderr, "diemcau: %s\n", error.what());
    return kExitConfig;
  }
  if (loaded.action != LoadResult::Action::Run) {
    std::fputs(loaded.text.c_str(), stdout);
    return 0;
  }
  const diemcau::config::ServerConfig& config = *loaded.config;
  spdlog::set_level(spdlog::level::from_str(config.logLevel));
  spdlog::set_pattern("%Y-%m-%d %H:%M:%S.%e %^%l%$ [%t] %v");
  // GStreamer (SDP handling, the recorder) is initialised once, here, before any thread starts.
  gst_init(nullptr, nullptr);
  try {
    diemcau::server::Server server(config);
    server.run();
  } catch (const std::exception& error) {
    spdlog::critical("{}", error.what());
    return kExitFailure;
  }
  return 0;
}
