// DTLS-SRTP end to end: keys from a real handshake drive SrtpSessions in both directions.
#include <gtest/gtest.h>

#include "media/dtls/DtlsCertificate.hpp"
#include "media/srtp/SrtpLibrary.hpp"
#include "media/srtp/SrtpSession.hpp"
#include "tests/media/dtls/DtlsTestPeer.hpp"

namespace diemcau::media {
namespace {

using test::DtlsTestPeer;
using test::pump;

// RFC 3550 §5.1 header, then payload.
const std::vector<uint8_t> kRtp = {
    0x80, 0x60, 0x12, 0x34,  // V=2, PT=96 (VP8), seq=0x1234
    0x00, 0x01, 0x00, 0x00,  // timestamp
    0xca, 0xfe, 0xba, 0xbe,  // SSRC
    0x90, 0xe0, 0x00, 0x00,  // VP8 payload descriptor + data
    0x11, 0x22, 0x33, 0x44,  // data
};

// RFC 4585 §6.3.1 PLI.
const std::vector<uint8_t> kRtcp = {
    0x81, 0xce, 0x00, 0x02,  // V=2, FMT=1 (PLI), PT=206, length=2
    0x00, 0x00, 0x00, 0x01,  // sender SSRC
    0xca, 0xfe, 0xba, 0xbe,  // media SSRC
};

bool roundTrip(SrtpSession& out, SrtpSession& in, const std::vector<uint8_t>& packet, bool rtcp) {
  std::vector<uint8_t> buffer = packet;
  std::size_t len = buffer.size();
  buffer.resize(len + kSrtpMaxTrailer);
  const SrtpResult sent = rtcp ? out.protectRtcp(buffer.data(), len, buffer.size())
                               : out.protectRtp(buffer.data(), len, buffer.size());
  if (sent != SrtpResult::Ok) return false;
  const SrtpResult received = rtcp ? in.unprotectRtcp(buffer.data(), len) : in.unprotectRtp(buffer.data(), len);
  if (received != SrtpResult::Ok) return false;
  buffer.resize(len);
  return buffer == packet;
}

class DtlsSrtpTest : public ::testing::TestWithParam<const char*> {
 protected:
  SrtpLibrary library_;
};

TEST_P(DtlsSrtpTest, NegotiatedKeysProtectBothDirections) {
  const auto clientCert = DtlsCertificate::generate();
  const auto serverCert = DtlsCertificate::generate();
  DtlsContextOptions options;
  options.srtpProfiles = GetParam();
  DtlsContext clientContext(clientCert, options);
  DtlsContext serverContext(serverCert);
  DtlsTestPeer client(clientContext);
  DtlsTestPeer server(serverContext);
  server.transport.start(DtlsRole::Server, "sha-256", clientCert->fingerprint());
  client.transport.start(DtlsRole::Client, "sha-256", serverCert->fingerprint());
  pump(client, server);
  ASSERT_TRUE(client.keys && server.keys);
  const SrtpProfile profile = client.keys->profile;
  EXPECT_EQ(srtpProfileName(profile), std::string_view(GetParam()).substr(0, srtpProfileName(profile).size()));

  SrtpSession clientOut(profile, client.keys->localKeySalt, SrtpSession::Direction::Outbound);
  SrtpSession clientIn(profile, client.keys->remoteKeySalt, SrtpSession::Direction::Inbound);
  SrtpSession serverOut(profile, server.keys->localKeySalt, SrtpSession::Direction::Outbound);
  SrtpSession serverIn(profile, server.keys->remoteKeySalt, SrtpSession::Direction::Inbound);

  EXPECT_TRUE(roundTrip(clientOut, serverIn, kRtp, false));
  EXPECT_TRUE(roundTrip(serverOut, clientIn, kRtp, false));
  EXPECT_TRUE(roundTrip(clientOut, serverIn, kRtcp, true));
  EXPECT_TRUE(roundTrip(serverOut, clientIn, kRtcp, true));

  // A packet the client protected does not verify with the client's own receive keys.
  std::vector<uint8_t> buffer = kRtp;
  std::size_t len = buffer.size();
  buffer[3] = 0x35;
  buffer.resize(len + kSrtpMaxTrailer);
  ASSERT_EQ(clientOut.protectRtp(buffer.data(), len, buffer.size()), SrtpResult::Ok);
  EXPECT_EQ(clientIn.unprotectRtp(buffer.data(), len), SrtpResult::AuthFail);
}

INSTANTIATE_TEST_SUITE_P(Profiles, DtlsSrtpTest,
                         ::testing::Values("SRTP_AEAD_AES_128_GCM:SRTP_AES128_CM_SHA1_80", "SRTP_AES128_CM_SHA1_80"));

}  // namespace
}  // namespace diemcau::media
