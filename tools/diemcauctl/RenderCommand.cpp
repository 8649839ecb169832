// diemcauctl archive render: a composite video of one meeting, made here from a local archive folder.
#include <spdlog/sinks/stdout_color_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>

#include "signaling/archive/render/ArchiveRender.hpp"
#include "tools/diemcauctl/Commands.hpp"

namespace diemcau::tools::ctl {

namespace po = boost::program_options;
namespace fs = std::filesystem;
namespace render = signaling::archive::render;
using nlohmann::json;

namespace {

std::string clock(double seconds) {
  const long s = static_cast<long>(seconds + 0.5);
  char text[32];
  std::snprintf(text, sizeof text, "%ld:%02ld:%02ld", s / 3600, s / 60 % 60, s % 60);
  return text;
}

/// "[#########...........]  45%  0:13:30 / 0:30:00  4.2x  about 0:04:05 left", redrawn in place.
void drawBar(const render::RenderProgress& p) {
  constexpr int kWidth = 30;
  const double fraction = p.durationMs > 0 ? static_cast<double>(p.positionMs) / p.durationMs : 0;
  const int filled = static_cast<int>(fraction * kWidth);
  std::string bar(static_cast<size_t>(filled), '#');
  bar.append(static_cast<size_t>(kWidth - filled), '.');
  std::fprintf(stderr, "\r[%s] %3d%%  %s / %s  %.1fx  about %s left ", bar.c_str(), static_cast<int>(fraction * 100),
               clock(p.positionMs / 1000.0).c_str(), clock(p.durationMs / 1000.0).c_str(), p.speed,
               clock(p.remainingSeconds).c_str());
  std::fflush(stderr);
}

/// A folder path as given, else the meeting id inside the server's data directory.
fs::path resolveFolder(const std::string& given, const std::string& dataDir) {
  std::error_code error;
  if (fs::is_directory(given, error)) return given;
  if (!dataDir.empty() && given.find('/') == std::string::npos && given != "." && given != "..") {
    const fs::path folder = fs::path(dataDir) / "archive" / given;
    if (fs::is_directory(folder, error)) return folder;
    throw UsageError("no archive '" + given + "' in " + dataDir + "/archive");
  }
  throw UsageError("'" + given + "' is not an archive folder (give its path, or an id with --data-dir)");
}

}  // namespace

int archiveRenderCommand(Context& ctx) {
  // Warnings (a recording left out) go to stderr: stdout carries the result, JSON with --json.
  spdlog::set_default_logger(spdlog::stderr_color_st("render"));
  po::options_description options("archive render options");
  options.add_options()("folder", po::value<std::string>(), "archive folder or meeting id")(
      "output,o", po::value<std::string>()->default_value(""), "output file (.mp4 or .webm)")(
      "width", po::value<int>()->default_value(1280), "output width")(
      "height", po::value<int>()->default_value(720), "output height")(
      "fps", po::value<int>()->default_value(25), "output frame rate")(
      "kbps", po::value<int>()->default_value(2000), "video bit rate");
  po::positional_options_description positional;
  positional.add("folder", 1);
  auto vm = parseOptions(ctx, options, positional);
  if (!vm.count("folder")) throw UsageError("archive render needs an archive folder or a meeting id");
  const fs::path folder = resolveFolder(vm["folder"].as<std::string>(), ctx.dataDir);
  const int width = vm["width"].as<int>(), height = vm["height"].as<int>(), fps = vm["fps"].as<int>();
  if (width < 64 || height < 64 || width > 7680 || height > 4320 || width % 2 || height % 2) {
    throw UsageError("--width/--height must be even, 64..7680 x 64..4320");
  }
  if (fps < 1 || fps > 60) throw UsageError("--fps must be 1..60");

  const std::string output = vm["output"].as<std::string>();
  const std::string extension = fs::path(output).extension().string();
  if (!output.empty() && extension != ".mp4" && extension != ".webm") {
    throw UsageError("--output must end in .mp4 or .webm");
  }

  render::RenderOptions renderOptions;
  const fs::path id = folder.filename().empty() ? folder.parent_path().filename() : folder.filename();
  renderOptions.output = output.empty() ? fs::path(id.string() + ".mp4") : fs::path(output);
  renderOptions.width = width;
  renderOptions.height = height;
  renderOptions.fps = fps;
  renderOptions.videoKbps = vm["kbps"].as<int>();
  const bool tty = ::isatty(STDERR_FILENO) != 0;
  if (tty && !ctx.json) renderOptions.onProgress = drawBar;

  render::ArchiveRenderResult rendered;
  try {
    rendered = render::renderArchive(folder, renderOptions);
  } catch (const render::RenderError& e) {
    if (tty) std::fputc('\n', stderr);
    throw RefusedError(std::string("render failed: ") + e.what());
  } catch (const std::runtime_error& e) {
    throw RefusedError(e.what());  // no event log, or no recording in it
  }
  if (tty && !ctx.json) std::fputc('\n', stderr);
  const render::RenderPlan& plan = rendered.plan;
  const render::RenderResult& result = rendered.result;
  json skipped = json::array();
  for (const render::SkippedRecording& s : rendered.skipped) {
    std::fprintf(stderr, "diemcauctl: skipped %s: it does not decode (%s)\n", s.file.c_str(), s.reason.c_str());
    skipped.push_back({{"file", s.file}, {"reason", s.reason}});
  }
  const json summary = {{"meeting", plan.meetingId},
                        {"output", renderOptions.output.string()},
                        {"durationMs", plan.durationMs},
                        {"tiles", plan.tracks.size()},
                        {"large", plan.largeSource},
                        {"seconds", result.elapsedSeconds},
                        {"speed", result.speed},
                        {"skipped", skipped}};
  if (ctx.json) return ctx.out << summary.dump(2) << '\n', 0;
  char speed[32];
  std::snprintf(speed, sizeof speed, "%.1fx", result.speed);
  ctx.out << "wrote " << renderOptions.output.string() << ": " << plan.tracks.size() << " tiles, "
          << clock(plan.durationMs / 1000.0) << " of meeting in " << clock(result.elapsedSeconds) << " (" << speed
          << " real time; large tile follows the " << plan.largeSource << ")";
  if (!skipped.empty()) ctx.out << "; " << skipped.size() << " recording(s) skipped, see above";
  ctx.out << '\n';
  return 0;
}

}  // namespace diemcau::tools::ctl
