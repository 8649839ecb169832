// Reads an SDP offer on stdin and prints the bridge's answer (negotiateAnswer with the default
// capabilities and a fixed local transport), or "error <code>: <sentence>" with exit status 1.
// Used by check-browser-answers.sh to hand a live browser the bridge's answer to its own offer.
#include <iostream>
#include <iterator>
#include <string>

#include "media/sdp/Negotiator.hpp"
#include "media/sdp/SdpError.hpp"
#include "media/sdp/SdpParser.hpp"

namespace sdp = diemcau::media::sdp;

int main() {
  const std::string offer((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
  sdp::LocalTransportParams local;
  local.ufrag = "brdg";
  local.pwd = "bridgepassword0123456789";
  local.fingerprint = {"sha-256",
                       "AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99"};
  local.candidates = {"candidate:1 1 udp 2130706431 127.0.0.1 40000 typ host"};
  local.iceLite = true;
  local.endOfCandidates = true;
  try {
    sdp::Answer answer = sdp::negotiateAnswer(sdp::parseSdp(offer), local, sdp::MediaCapabilities::defaults());
    // The bridge sends one stream per accepted section, as it would for the host's camera and microphone.
    uint32_t ssrc = 1000;
    for (const auto& media : answer.negotiated()) {
      if (media.direction == sdp::Direction::RecvOnly || media.direction == sdp::Direction::Inactive) continue;
      sdp::SendStream stream{ssrc, std::nullopt, "bridge", "hall", "hall-" + media.mid};
      if (media.rtxPayloadType) stream.rtxSsrc = ssrc + 1;
      answer.addSendStream(media.mid, stream);
      ssrc += 2;
    }
    std::cout << answer.toSdp();
    return 0;
  } catch (const sdp::SdpError& error) {
    std::cout << "error " << error.codeName() << ": " << error.what() << "\n";
    return 1;
  }
}
