// An ICE restart of a subscriber's connection starts the judging of its NACKs anew
// (RoomNackLayersFixture.hpp: a real room on an injected clock, three VP8 rid layers).
//
// Before the restart the site NACKs every other f packet while its receiver reports show nothing
// lost: a receiver whose NACKs were for late packets, whose NACKs the bridge learns to discount
// (NackCalibration factor 0), so it stays on f. Then its connection restarts ICE (another network,
// say) and on the new path it NACKs the same share of f and sends no reports (webrtcbin on a lossy
// link reports only after tens of seconds): the NACKs count as loss again and the site is moved
// to h. Had the old path's calibration been kept, the new path's loss would count for nothing.
#include <gtest/gtest.h>

#include "media/sdp/MediaCapabilities.hpp"
#include "tests/bridge/room/RoomNackLayersFixture.hpp"

namespace diemcau::bridge {
namespace {

using namespace test;

TEST_F(RoomNackLayers, AnIceRestartJudgesTheSitesNacksAgain) {
  ASSERT_NO_FATAL_FAILURE(startThreeLayers());
  run(300);
  auto received = site_->video();
  ASSERT_TRUE(tailIs(received, received.size() - 50, kF));

  // Late packets NACKed, none lost in the reports (twice a second: each judges the one NACK
  // sample before it, so no second heavy sample counts before a report has judged the first).
  reportSteps_ = 50;
  site_->reportLoss = false;
  site_->weak = true;
  run(400);
  received = site_->video();
  ASSERT_TRUE(tailIs(received, received.size() - 200, kF)) << "NACKs of late packets moved the site down";

  // ICE restart: the bridge's new credentials in offer 2, the site's in its answer.
  reports_ = false;
  ASSERT_FALSE(media::invokeAndWait(roomWorker(), [&] { return room_->restartSubscribeIce("lang-can"); }));
  std::optional<RoomEvents::Offer> offer;
  ASSERT_TRUE(waitFor([&] { return (offer = events_.offerFor("lang-can", 2)).has_value(); }));
  siteOffer_ = sdp::parseSdp(offer->sdp);
  const auto bridgeSide = media::remoteTransportParams(siteOffer_, /*remoteIsOffer=*/true);
  media::invokeAndWait(peerWorker(), [&] {
    site_->transport->restartIce();
    site_->transport->setRemoteIceCredentials(bridgeSide.iceUfrag, bridgeSide.icePwd);
    addCandidates(*site_->transport, siteOffer_);
    siteLocal_ = media::localTransportParams(*site_->transport, engine_->certificate());
  });
  siteAnswer_ = sdp::negotiateAnswer(siteOffer_, siteLocal_, sdp::MediaCapabilities::defaults());
  ASSERT_FALSE(media::invokeAndWait(roomWorker(), [&] { return room_->subscriberAnswer("lang-can", 2, siteAnswer_->toSdp()); }));
  ASSERT_TRUE(waitFor([&] { return site_->recovered.load(); })) << "the site's connection never came back";

  // The new path: the same NACKs, no reports. Within seconds the site is on h.
  EXPECT_TRUE(runUntilLayer(kH, 1000)) << "the old path's calibration still discounts the new path's loss";
  run(200);
  received = site_->video();
  EXPECT_TRUE(tailIs(received, received.size() - 100, kH));
}

}  // namespace
}  // namespace diemcau::bridge
