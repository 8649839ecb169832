#include "tests/peers/SdpSections.hpp"

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
    }
  }
  return sections;
}

}  // namespace diemcau::peers
