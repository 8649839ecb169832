#include "media/ice/CandidateLine.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <array>
#include <cstdint>

namespace diemcau::media {

namespace {

bool allDigits(std::string_view s) {
  if (s.empty() || s.size() > 10) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return true;
}

bool equalsNoCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i];
    char y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

uint32_t toNumber(std::string_view digits) {
  uint64_t value = 0;
  for (char c : digits) value = value * 10 + static_cast<uint64_t>(c - '0');
  return static_cast<uint32_t>(std::min<uint64_t>(value, UINT32_MAX));
}

}  // namespace

uint32_t CandidateLine::hostPriority(size_t index) {
  // RFC 8445 §5.1.2.1: type preference 126 (host), local preference by order, component 1.
  const uint32_t local = 65535u - static_cast<uint32_t>(std::min<size_t>(index, 65535));
  return (126u << 24) | (local << 8) | 255u;
}

std::string CandidateLine::host(size_t index, const std::string& ip, uint16_t port) {
  return "candidate:" + std::to_string(index + 1) + " 1 udp " + std::to_string(hostPriority(index)) + " " + ip + " " +
         std::to_string(port) + " typ host";
}

bool CandidateLine::wellFormed(std::string_view sdp) {
  if (sdp.substr(0, 2) == "a=") sdp.remove_prefix(2);
  while (!sdp.empty() && (sdp.back() == '\r' || sdp.back() == '\n')) sdp.remove_suffix(1);
  constexpr std::string_view kPrefix = "candidate:";
  if (sdp.size() > kMaxLength || sdp.substr(0, kPrefix.size()) != kPrefix) return false;
  sdp.remove_prefix(kPrefix.size());
  // foundation component transport priority address port "typ" type [extensions...]
  std::array<std::string_view, 8> fields{};
  size_t n = 0;
  while (!sdp.empty() && n < fields.size()) {
    const size_t start = sdp.find_first_not_of(' ');
    if (start == std::string_view::npos) break;
    sdp.remove_prefix(start);
    const size_t end = std::min(sdp.find(' '), sdp.size());
    fields[n++] = sdp.substr(0, end);
    sdp.remove_prefix(end);
  }
  if (n < fields.size()) return false;
  const bool transportOk = equalsNoCase(fields[2], "udp") || equalsNoCase(fields[2], "tcp");
  uint32_t port = 0;
  for (char c : fields[5]) port = port * 10 + static_cast<uint32_t>(c - '0');
  const bool numbersOk = allDigits(fields[1]) && fields[1].size() <= 3 && allDigits(fields[3]) &&
                         allDigits(fields[5]) && fields[5].size() <= 5 && port <= 65535;
  const bool typeOk = fields[6] == "typ" && (fields[7] == "host" || fields[7] == "srflx" || fields[7] == "prflx" ||
                                             fields[7] == "relay");
  // The address is an IP or, from browsers that hide host IPs, an mDNS name (RFC 8839 §5.1).
  const bool addressOk = !fields[4].empty() && fields[4].size() <= 255 && fields[4].find('\0') == std::string_view::npos;
  return transportOk && numbersOk && typeOk && addressOk && !fields[0].empty() && fields[0].size() <= 32;
}

std::optional<CandidateLine::UdpTarget> CandidateLine::udpTarget(std::string_view sdp) {
  if (!wellFormed(sdp)) return std::nullopt;  // bounded, digits where numbers go
  if (sdp.substr(0, 2) == "a=") sdp.remove_prefix(2);
  sdp.remove_prefix(sdp.find(':') + 1);
  std::array<std::string_view, 8> fields{};
  for (auto& field : fields) {
    sdp.remove_prefix(std::min(sdp.find_first_not_of(' '), sdp.size()));
    const size_t end = std::min(sdp.find_first_of(" \r\n"), sdp.size());
    field = sdp.substr(0, end);
    sdp.remove_prefix(end);
  }
  if (!equalsNoCase(fields[2], "udp") || fields[1] != "1" || (fields[7] != "host" && fields[7] != "srflx")) {
    return std::nullopt;
  }
  UdpTarget target;
  target.ip = std::string(fields[4]);
  in6_addr probe{};
  if (::inet_pton(AF_INET, target.ip.c_str(), &probe) != 1 && ::inet_pton(AF_INET6, target.ip.c_str(), &probe) != 1) {
    return std::nullopt;
  }
  target.port = static_cast<uint16_t>(toNumber(fields[5]));
  target.priority = toNumber(fields[3]);
  if (target.port == 0) return std::nullopt;
  return target;
}

}  // namespace diemcau::media
