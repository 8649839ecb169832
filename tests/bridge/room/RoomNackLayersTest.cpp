// NACK-signalled loss moves a subscriber down a simulcast layer, and back up once its link heals
// (RoomNackLayersFixture.hpp: a real room on an injected clock, three VP8 rid layers). The site is a
// link between h and f: while the bridge sends it f, it NACKs every other packet (its receiver
// reports agree), and it loses nothing of h or q. What reaches it is checked packet by packet:
// which layer, one continuous stream (sequence numbers and VP8 picture ids at last + 1 across every
// switch), and repairs carrying the picture id the site saw the packet with.
#include <gtest/gtest.h>

#include <map>

#include "tests/bridge/room/RoomNackLayersFixture.hpp"

namespace diemcau::bridge {
namespace {

using namespace test;

TEST_F(RoomNackLayers, NackedLossMovesTheSiteDownALayerAndBackUpOnceItHeals) {
  ASSERT_NO_FATAL_FAILURE(startThreeLayers());

  // A good link: after the bridge has measured the layers, the site gets f.
  run(300);
  auto received = site_->video();
  ASSERT_GT(received.size(), 100u);
  ASSERT_TRUE(tailIs(received, received.size() - 50, kF));

  // The link narrows to between h and f: every other f packet NACKed. Within a few seconds the
  // bridge has moved the site to h, and it stays there (no NACKs on h).
  site_->weak = true;
  run(600);
  received = site_->video();
  ASSERT_TRUE(tailIs(received, received.size() - 150, kH));
  const size_t weakEnd = received.size();

  // The link heals: no NACKs at all. The estimate holds, then grows 8 % a second until f fits
  // again; the site is back on f within 30 s and its last packets are f.
  site_->weak = false;
  ASSERT_TRUE(runUntilLayer(kF, 3000)) << "still not on f after 30 s of a healed link";
  run(100);
  received = site_->video();
  ASSERT_TRUE(tailIs(received, received.size() - 50, kF));
  // And it left h for f: some h packets followed the weak phase before f came back.
  EXPECT_EQ(received[weakEnd].size, kH);

  // One stream throughout: sequence numbers and picture ids at last + 1 across the switches
  // f → h → f, which every layer numbers on its own (20000.., 9000..).
  int switches = 0;
  for (size_t i = 1; i < received.size(); ++i) {
    ASSERT_EQ(received[i].sequence, static_cast<uint16_t>(received[i - 1].sequence + 1)) << "at " << i;
    ASSERT_EQ(received[i].picture, static_cast<uint16_t>((received[i - 1].picture + 1) & 0x7FFF)) << "at " << i;
    if (received[i].size != received[i - 1].size) ++switches;
  }
  EXPECT_GE(switches, 2);

  // Repairs of NACKed packets carry the picture id the site saw each packet with.
  const auto repairs = site_->repairs();
  EXPECT_FALSE(repairs.empty());
  std::map<uint16_t, uint16_t> pictures;
  for (const auto& packet : received) pictures[packet.sequence] = packet.picture;
  for (const auto& [osn, picture] : repairs) {
    const auto it = pictures.find(osn);
    ASSERT_NE(it, pictures.end()) << osn;
    EXPECT_EQ(picture, it->second) << "repair of " << osn;
  }
}

}  // namespace
}  // namespace diemcau::bridge
