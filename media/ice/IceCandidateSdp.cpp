#include "media/ice/IceCandidateSdp.hpp"

#include <string>

namespace diemcau::media {

namespace {
constexpr std::string_view kAttributePrefix = "a=";
constexpr std::string_view kCandidatePrefix = "candidate:";
}  // namespace

std::string IceCandidateSdp::write(NiceAgent* agent, const NiceCandidate& candidate, const NiceAddress* announced) {
  NiceCandidatePtr rewritten;
  const NiceCandidate* source = &candidate;
  if (announced != nullptr && candidate.type == NICE_CANDIDATE_TYPE_HOST &&
      nice_address_ip_version(&candidate.addr) == nice_address_ip_version(announced)) {
    rewritten.reset(nice_candidate_copy(&candidate));
    const guint port = nice_address_get_port(&candidate.addr);
    rewritten->addr = *announced;
    nice_address_set_port(&rewritten->addr, port);
    source = rewritten.get();
  }
  GCharPtr text(nice_agent_generate_local_candidate_sdp(agent, const_cast<NiceCandidate*>(source)));
  if (!text) return {};
  std::string_view view(text.get());
  if (view.substr(0, kAttributePrefix.size()) == kAttributePrefix) view.remove_prefix(kAttributePrefix.size());
  while (!view.empty() && (view.back() == '\r' || view.back() == '\n')) view.remove_suffix(1);
  return std::string(view);
}

NiceCandidatePtr IceCandidateSdp::parse(NiceAgent* agent, guint streamId, std::string_view sdp) {
  if (sdp.substr(0, kAttributePrefix.size()) == kAttributePrefix) sdp.remove_prefix(kAttributePrefix.size());
  while (!sdp.empty() && (sdp.back() == '\r' || sdp.back() == '\n')) sdp.remove_suffix(1);
  if (sdp.size() > kMaxLength || sdp.substr(0, kCandidatePrefix.size()) != kCandidatePrefix) return nullptr;
  // libnice wants the full attribute line and a NUL-terminated string; embedded NULs are refused
  // so the C parser sees exactly the bytes we checked.
  if (sdp.find('\0') != std::string_view::npos) return nullptr;
  std::string line;
  line.reserve(kAttributePrefix.size() + sdp.size());
  line.append(kAttributePrefix).append(sdp);
  NiceCandidatePtr candidate(nice_agent_parse_remote_candidate_sdp(agent, streamId, line.c_str()));
  if (!candidate) return nullptr;
  if (candidate->component_id != 1) return nullptr;
  return candidate;
}

}  // namespace diemcau::media
