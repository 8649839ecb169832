#include "tests/media/sdp/SdpTestData.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace diemcau::media::sdp::test {

std::string readSdpFile(std::string_view name) {
  const std::string path = std::string(DIEMCAU_TEST_DATA) + "/sdp/" + std::string(name);
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in.good()) << "missing test file " << path;
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

std::string replaceAll(std::string text, std::string_view from, std::string_view to) {
  size_t pos = text.find(from);
  EXPECT_NE(pos, std::string::npos) << "'" << from << "' not found";
  while (pos != std::string::npos) {
    text.replace(pos, from.size(), to);
    pos = text.find(from, pos + to.size());
  }
  return text;
}

std::string dropLines(const std::string& text, std::string_view needle) {
  std::string out;
  size_t start = 0;
  bool dropped = false;
  while (start < text.size()) {
    size_t end = text.find('\n', start);
    end = end == std::string::npos ? text.size() : end + 1;
    const std::string_view line(text.data() + start, end - start);
    if (line.find(needle) == std::string_view::npos) {
      out.append(line);
    } else {
      dropped = true;
    }
    start = end;
  }
  EXPECT_TRUE(dropped) << "no line contains '" << needle << "'";
  return out;
}

LocalTransportParams bridgeTransport() {
  LocalTransportParams local;
  local.ufrag = "brdg";
  local.pwd = "bridgepassword0123456789";
  local.fingerprint = {"sha-256",
                       "AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99"};
  local.candidates = {"candidate:1 1 udp 2130706431 127.0.0.1 40000 typ host",
                      "a=candidate:2 1 tcp 1518280447 127.0.0.1 40001 typ host tcptype passive"};
  local.iceLite = true;
  local.endOfCandidates = true;
  return local;
}

}  // namespace diemcau::media::sdp::test
