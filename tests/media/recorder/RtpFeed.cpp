#include "tests/media/recorder/RtpFeed.hpp"

#include <gst/app/gstappsink.h>
#include <gst/gst.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdio>
#include <memory>
#include <regex>
#include <sstream>
#include <stdexcept>
#include <thread>

namespace diemcau::media::recorder::test {

namespace {

std::vector<FedPacket> collect(const std::string& description, size_t track) {
  gst_init(nullptr, nullptr);
  GError* error = nullptr;
  GstElement* pipeline = gst_parse_launch(description.c_str(), &error);
  if (error != nullptr) {
    std::string text = error->message;
    g_error_free(error);
    if (pipeline != nullptr) gst_object_unref(pipeline);
    throw std::runtime_error(text);
  }
  GstElement* sink = gst_bin_get_by_name(GST_BIN(pipeline), "out");
  gst_element_set_state(pipeline, GST_STATE_PLAYING);
  std::vector<FedPacket> packets;
  uint64_t first = GST_CLOCK_TIME_NONE;
  while (GstSample* sample = gst_app_sink_pull_sample(GST_APP_SINK(sink))) {
    GstBuffer* buffer = gst_sample_get_buffer(sample);
    GstMapInfo map;
    if (gst_buffer_map(buffer, &map, GST_MAP_READ)) {
      FedPacket packet;
      const uint64_t pts = GST_BUFFER_PTS(buffer);
      if (first == GST_CLOCK_TIME_NONE) first = pts;
      packet.ptsNs = pts - first;
      packet.bytes.assign(map.data, map.data + map.size);
      packet.track = track;
      packets.push_back(std::move(packet));
      gst_buffer_unmap(buffer, &map);
    }
    gst_sample_unref(sample);
  }
  gst_element_set_state(pipeline, GST_STATE_NULL);
  gst_object_unref(sink);
  gst_object_unref(pipeline);
  return packets;
}

}  // namespace

std::vector<FedPacket> encodeVp8(double seconds, size_t track) {
  const int frames = static_cast<int>(seconds * 30);
  return collect("videotestsrc num-buffers=" + std::to_string(frames) +
                     " ! video/x-raw,width=320,height=240,framerate=30/1 ! vp8enc deadline=1 keyframe-max-dist=30"
                     " ! rtpvp8pay pt=96 mtu=1200 ! appsink name=out sync=false",
                 track);
}

std::vector<FedPacket> encodeOpus(double seconds, size_t track) {
  const int frames = static_cast<int>(seconds * 50);
  return collect("audiotestsrc num-buffers=" + std::to_string(frames) +
                     " samplesperbuffer=960 ! audio/x-raw,rate=48000,channels=2 ! opusenc frame-size=20"
                     " ! rtpopuspay pt=111 ! appsink name=out sync=false",
                 track);
}

std::vector<FedPacket> merge(std::vector<FedPacket> a, const std::vector<FedPacket>& b) {
  a.insert(a.end(), b.begin(), b.end());
  std::stable_sort(a.begin(), a.end(), [](const FedPacket& x, const FedPacket& y) { return x.ptsNs < y.ptsNs; });
  return a;
}

void feedRealTime(const std::vector<FedPacket>& packets, const std::function<void(const FedPacket&)>& deliver,
                  const std::function<bool(const FedPacket&)>& skip) {
  const auto start = std::chrono::steady_clock::now();
  for (const FedPacket& packet : packets) {
    std::this_thread::sleep_until(start + std::chrono::nanoseconds(packet.ptsNs));
    if (skip && skip(packet)) continue;
    deliver(packet);
  }
}

Discovered discover(const std::string& file) {
  Discovered result;
  const std::string command = "gst-discoverer-1.0 '" + file + "' 2>&1";
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(popen(command.c_str(), "r"), pclose);
  if (!pipe) return result;
  std::array<char, 512> line{};
  while (fgets(line.data(), line.size(), pipe.get()) != nullptr) result.output += line.data();
  const int status = pclose(pipe.release());
  std::smatch match;
  // "  Duration: 0:00:04.003000001"
  if (std::regex_search(result.output, match, std::regex(R"(Duration: (\d+):(\d+):(\d+\.\d+))"))) {
    result.durationSeconds = std::stod(match[1]) * 3600 + std::stod(match[2]) * 60 + std::stod(match[3]);
  }
  // "    video #1: VP8" / "    audio #2: Opus"
  const std::regex stream(R"(\n\s+(video|audio) #\d+: ([^\n]+))");
  for (auto it = std::sregex_iterator(result.output.begin(), result.output.end(), stream);
       it != std::sregex_iterator(); ++it) {
    result.codecs.push_back((*it)[1].str() + ":" + (*it)[2].str());
  }
  result.ok = status == 0 && result.output.find("Done discovering") != std::string::npos &&
              result.output.find("An error") == std::string::npos;
  return result;
}

}  // namespace diemcau::media::recorder::test
