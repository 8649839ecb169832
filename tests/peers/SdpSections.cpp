#include "tests/peers/SdpSections.hpp"

#include <algorithm>
#include <charconv>
#include <sstream>

namespace diemcau::peers {

std::vector<SdpSection> readSdpSections(const std::string& sdp) {
  std::vector<SdpSection> sections;
  std::string sessionDirection = "sendrecv";
  std::istringstream lines(sdp);
  std::string line;
  while (std::getline(lines, line)) {
    if (!line.empty() && line.back() == '\r') {
      line.pop_back();
    }
    if (line.rfind("m=", 0) == 0) {
      // m=<media> <port> <proto> <fmt> ...
      std::istringstream words(line.substr(2));
      SdpSection s;
      std::string port;
      words >> s.kind >> port;
      s.rejected = port == "0";
      s.direction = sessionDirection;
      sections.push_back(std::move(s));
      continue;
    }
    if (line.rfind("a=", 0) != 0) {
      continue;
    }
    const std::string attribute = line.substr(2);
    const bool isDirection = attribute == "sendrecv" || attribute == "sendonly" || attribute == "recvonly" ||
                             attribute == "inactive";
    if (sections.empty()) {
      if (isDirection) {
        sessionDirection = attribute;  // the session-level default (RFC 3264 section 5.1)
      }
      continue;
    }
    SdpSection& s = sections.back();
    if (isDirection) {
      s.direction = attribute;
    } else if (attribute.rfind("mid:", 0) == 0) {
      s.mid = attribute.substr(4);
    } else if (attribute.rfind("msid:", 0) == 0) {
      const std::string value = attribute.substr(5);
      s.streamId = value.substr(0, value.find(' '));
    } else if (attribute.rfind("ssrc:", 0) == 0) {
      // a=ssrc:<ssrc> <attribute>[:<value>]: one line per attribute, so the same SSRC repeats.
      std::uint32_t ssrc = 0;
      const char* begin = attribute.data() + 5;
      const char* end = attribute.data() + attribute.size();
      const auto [next, error] = std::from_chars(begin, end, ssrc);
      if (error == std::errc() && next != begin && (next == end || *next == ' ') &&
          std::find(s.ssrcs.begin(), s.ssrcs.end(), ssrc) == s.ssrcs.end()) {
        s.ssrcs.push_back(ssrc);
      }
    }
  }
  return sections;
}

std::map<int, int> rtxPayloadTypes(const std::string& sdp) {
  std::map<int, int> mediaToRtx;
  std::istringstream lines(sdp);
  std::string line;
  while (std::getline(lines, line)) {
    if (!line.empty() && line.back() == '\r') {
      line.pop_back();
    }
    // a=fmtp:<rtx pt> apt=<media pt>[;rtx-time=...]
    if (line.rfind("a=fmtp:", 0) != 0) {
      continue;
    }
    const size_t apt = line.find(" apt=");
    if (apt == std::string::npos) {
      continue;
    }
    int rtx = -1;
    int media = -1;
    const char* rtxBegin = line.data() + 7;
    const auto rtxEnd = std::from_chars(rtxBegin, line.data() + apt, rtx);
    const char* mediaBegin = line.data() + apt + 5;
    const auto mediaEnd = std::from_chars(mediaBegin, line.data() + line.size(), media);
    const bool valid = rtxEnd.ec == std::errc() && rtxEnd.ptr == line.data() + apt && mediaEnd.ec == std::errc() &&
                       mediaEnd.ptr != mediaBegin && rtx >= 0 && rtx <= 127 && media >= 0 && media <= 127;
    if (valid) {
      mediaToRtx[media] = rtx;
    }
  }
  return mediaToRtx;
}

}  // namespace diemcau::peers
