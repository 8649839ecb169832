#include "media/sdp/SessionDescription.hpp"

#include <algorithm>
#include <random>

#include "media/sdp/SdpText.hpp"

namespace diemcau::media::sdp {

using text::equalsIgnoreCase;
using text::trim;

std::map<std::string, std::string> RtpCodec::fmtpParams() const {
  std::map<std::string, std::string> params;
  std::string_view rest = fmtp;
  while (!rest.empty()) {
    const size_t semi = rest.find(';');
    const std::string_view part = trim(rest.substr(0, semi));
    rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
    if (part.empty()) continue;
    const size_t eq = part.find('=');
    if (eq == std::string_view::npos) {
      params.emplace(std::string(part), std::string());
    } else {
      params.emplace(std::string(trim(part.substr(0, eq))), std::string(trim(part.substr(eq + 1))));
    }
  }
  return params;
}

std::optional<std::string> RtpCodec::fmtpParam(std::string_view key) const {
  const auto params = fmtpParams();
  const auto it = params.find(std::string(key));
  if (it == params.end()) return std::nullopt;
  return it->second;
}

bool RtpCodec::hasFeedback(std::string_view feedback) const {
  return std::find(rtcpFb.begin(), rtcpFb.end(), feedback) != rtcpFb.end();
}

bool RtpCodec::isRtx() const { return equalsIgnoreCase(name, "rtx"); }

const RtpCodec* MediaSection::findCodec(uint8_t payloadType) const {
  for (const auto& codec : codecs) {
    if (codec.payloadType == payloadType) return &codec;
  }
  return nullptr;
}

RtpCodec* MediaSection::findCodec(uint8_t payloadType) {
  for (auto& codec : codecs) {
    if (codec.payloadType == payloadType) return &codec;
  }
  return nullptr;
}

const HeaderExtension* MediaSection::findExtension(std::string_view uri) const {
  for (const auto& extension : extensions) {
    if (extension.uri == uri) return &extension;
  }
  return nullptr;
}

const SsrcInfo* MediaSection::findSsrc(uint32_t ssrc) const {
  for (const auto& info : ssrcs) {
    if (info.ssrc == ssrc) return &info;
  }
  return nullptr;
}

const MediaSection* SessionDescription::findMedia(std::string_view mid) const {
  for (const auto& section : media) {
    if (section.mid == mid) return &section;
  }
  return nullptr;
}

std::string_view SessionDescription::effectiveUfrag(const MediaSection& section) const {
  return section.iceUfrag.empty() ? std::string_view(iceUfrag) : std::string_view(section.iceUfrag);
}

std::string_view SessionDescription::effectivePwd(const MediaSection& section) const {
  return section.icePwd.empty() ? std::string_view(icePwd) : std::string_view(section.icePwd);
}

const Fingerprint* SessionDescription::effectiveFingerprint(const MediaSection& section) const {
  if (section.fingerprint) return &*section.fingerprint;
  return fingerprint ? &*fingerprint : nullptr;
}

std::optional<SetupRole> SessionDescription::effectiveSetup(const MediaSection& section) const {
  return section.setup ? section.setup : setup;
}

std::string randomSessionId() {
  std::random_device device;
  return std::to_string(std::uniform_int_distribution<uint64_t>(1, (uint64_t{1} << 62) - 1)(device));
}

}  // namespace diemcau::media::sdp
