// diemcau-load: simulated sites over real ICE, DTLS and SRTP (the media/ library) against the
// bridge or Janus; prints a JSON summary. See docs/PERFORMANCE.md.
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>

#include <fstream>
#include <iostream>
#include <memory>
#include <thread>

#include "media/dtls/DtlsCertificate.hpp"
#include "media/srtp/SrtpLibrary.hpp"
#include "media/transport/MediaEngine.hpp"
#include "media/worker/WorkerPool.hpp"
#include "tools/load/DiemcauSignalingFactory.hpp"
#include "tools/load/JanusSignalingFactory.hpp"
#include "tools/load/LoadOptions.hpp"
#include "tools/load/LoadRun.hpp"

namespace {

int runLoad(const diemcau::load::LoadOptions& options) {
  using namespace diemcau;
  media::SrtpLibrary srtp;
  media::WorkerPool workers(options.workers);
  media::IceConfig ice;
  ice.localAddresses = {options.mediaAddress};
  ice.receiveBufferBytes = options.receiveBufferBytes;
  media::MediaEngine engine(workers, ice, media::DtlsCertificate::generate());

  boost::asio::io_context io;
  std::unique_ptr<load::SignalingFactory> factory;
  if (options.target == load::Target::Diemcau) {
    factory = std::make_unique<load::DiemcauSignalingFactory>(io, options);
  } else {
    factory = std::make_unique<load::JanusSignalingFactory>(io, options);
  }
  // One io thread carries the WebSockets of every site.
  auto guard = boost::asio::make_work_guard(io);
  std::thread ioThread([&io] { io.run(); });
  int status = 0;
  try {
    load::LoadRun run(options, *factory, engine);
    const auto summary = run.run();
    if (options.jsonPath.empty()) {
      std::cout << summary.dump(2) << std::endl;
    } else {
      std::ofstream(options.jsonPath) << summary.dump(2) << "\n";
    }
  } catch (const std::exception& e) {
    spdlog::error("load run failed: {}", e.what());
    status = 1;
  }
  guard.reset();
  io.stop();
  ioThread.join();
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  // Standard output carries the JSON summary; logs go to standard error.
  spdlog::set_default_logger(spdlog::stderr_color_mt("diemcau-load"));
  spdlog::set_level(spdlog::level::warn);
  try {
    return runLoad(diemcau::load::parseLoadOptions(argc, argv));
  } catch (const std::exception& e) {
    std::cerr << "diemcau-load: " << e.what() << "\n";
    return 2;
  }
}
