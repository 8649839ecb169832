// Prints the subscriber offer the bridge makes for one Opus and one VP8+RTX section, with the same
// parameters as tests/media/sdp/OfferBuilderTest.cpp, so webrtcbin can answer it (capture-webrtcbin.sh).
#include <iostream>

#include "media/sdp/HeaderExtensionUri.hpp"
#include "media/sdp/OfferBuilder.hpp"

namespace sdp = diemcau::media::sdp;

int main() {
  sdp::OfferSection audio;
  audio.kind = sdp::MediaKind::Audio;
  audio.mid = "a0";
  audio.codec = sdp::RtpCodec{111, "opus", 48000, 2, "minptime=10;useinbandfec=1", {"transport-cc"}, {}};
  audio.extensions = {{1, std::string(sdp::uri::kAudioLevel), {}}, {4, std::string(sdp::uri::kMid), {}}};
  audio.stream = sdp::SendStream{5001, std::nullopt, "bridge", "hall", "hall-audio"};
  sdp::OfferSection video;
  video.kind = sdp::MediaKind::Video;
  video.mid = "v0";
  video.codec = sdp::RtpCodec{96, "VP8", 90000, 0, "", {"nack", "nack pli", "ccm fir", "goog-remb"}, {}};
  video.rtxPayloadType = 97;
  video.extensions = {{3, std::string(sdp::uri::kTransportWideCc), {}}, {4, std::string(sdp::uri::kMid), {}}};
  video.stream = sdp::SendStream{6001, 6002, "bridge", "hall", "hall-video"};
  sdp::LocalTransportParams local;
  local.ufrag = "brdg";
  local.pwd = "bridgepassword0123456789";
  local.fingerprint = {"sha-256",
                       "AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99"};
  local.candidates = {"candidate:1 1 udp 2130706431 127.0.0.1 40000 typ host"};
  local.iceLite = true;
  std::cout << sdp::createOffer({audio, video}, local);
  return 0;
}
