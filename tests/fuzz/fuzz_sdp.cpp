// libFuzzer target: SDP text -> parseSdp -> negotiateAnswer -> writeSdp -> parseSdp.
// Seeds: tests/fuzz/corpus/fuzz_sdp/ (the captured browser and webrtcbin offers).
#include <gst/gst.h>

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "media/sdp/Negotiator.hpp"
#include "media/sdp/SdpError.hpp"
#include "media/sdp/SdpParser.hpp"
#include "media/sdp/SdpWriter.hpp"

namespace sdp = diemcau::media::sdp;

// GLib's constructor allocates the first 16 KiB quark block and, once gst_init has registered more
// than 2048 quarks, replaces it without freeing it (lock-free readers may still hold it), so the
// leak check at exit reports it now and then. libFuzzer still checks for leaks after every input
// that allocated more than it freed, which is where a leaked GstSDPMessage would show up.
extern "C" const char* __asan_default_options() { return "leak_check_at_exit=0"; }

extern "C" int LLVMFuzzerInitialize(int* argc, char*** argv) {
  gst_init(argc, argv);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  sdp::SessionDescription offer;
  try {
    offer = sdp::parseSdp(text);
  } catch (const sdp::SdpError&) {
    return 0;
  }
  // Whatever parses must also write and parse again.
  (void)sdp::parseSdp(sdp::writeSdp(offer));
  sdp::LocalTransportParams local;
  local.ufrag = "fuzz";
  local.pwd = "fuzzfuzzfuzzfuzzfuzzfuzz";
  local.fingerprint = {"sha-256",
                       "00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF"};
  local.candidates = {"1 1 udp 2130706431 127.0.0.1 40000 typ host"};
  try {
    const sdp::Answer answer = sdp::negotiateAnswer(offer, local, sdp::MediaCapabilities::defaults());
    const sdp::SessionDescription reparsed = sdp::parseSdp(answer.toSdp());
    if (reparsed.media.size() != offer.media.size()) __builtin_trap();
  } catch (const sdp::SdpError&) {
  }
  return 0;
}
