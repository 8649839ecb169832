#include "server/Services.hpp"

#include <boost/asio/post.hpp>

#include "signaling/admin/AdminRoutes.hpp"
#include "signaling/admin/AdminService.hpp"
#include "signaling/archive/MeetingArchive.hpp"
#include "signaling/echo/EchoService.hpp"
#include "signaling/meeting/MeetingLiveStatus.hpp"
#include "signaling/meeting/MeetingService.hpp"
#include "signaling/meeting/MeetingTicker.hpp"
#include "signaling/meeting/SchedulerRelay.hpp"
#include "signaling/meeting/WorkerRoomPort.hpp"

namespace diemcau::server {

namespace {

// The store, token keys and meeting clock (the admin bundle), and the relay through which the clock
// reaches the meeting service made after it.
class OwnedFeatures final : public Features {
 public:
  OwnedFeatures(boost::asio::io_context& io, signaling::admin::AdminServiceOptions options)
      : admin(io, std::move(options), &relay) {}
  void start() override {
    admin.start();
    if (ticker) ticker->start();
  }
  void stop() override {
    if (ticker) ticker->stop();
    admin.stop();
  }

  signaling::meeting::SchedulerRelay relay;
  signaling::admin::AdminService admin;
  std::unique_ptr<signaling::meeting::MeetingLiveStatus> live;
  std::unique_ptr<signaling::meeting::MeetingTicker> ticker;
};

}  // namespace

std::unique_ptr<Features> registerServices(const ServiceContext& context) {
  // ping is built into the dispatcher and /healthz into the HTTP server.
  context.dispatcher.registerService(std::make_shared<signaling::echo::EchoService>(context.io, context.media));

  signaling::admin::AdminServiceOptions adminOptions;
  adminOptions.dataDir = context.config.dataDir;
  adminOptions.publicUrl = context.config.publicUrl;
  adminOptions.demo = context.config.demo;
  adminOptions.meetingMaxSites = context.config.meetingMaxSites;
  auto features = std::make_unique<OwnedFeatures>(context.io, adminOptions);
  signaling::admin::registerAdminApi(context.http, features->admin.api());
  // Archives a previous run left open (it stopped mid-meeting) are closed before any meeting runs.
  signaling::archive::MeetingArchive(context.config.dataDir, features->admin.store()).recover();

  signaling::meeting::MeetingServiceOptions meetingOptions;
  meetingOptions.dataDir = context.config.dataDir;
  meetingOptions.post = [&io = context.io](std::function<void()> task) { boost::asio::post(io, std::move(task)); };
  meetingOptions.audioLastN = context.config.audioLastN;
  meetingOptions.videoLastN = context.config.videoLastN;
  meetingOptions.resumeWindow = std::chrono::seconds(context.config.resumeWindowSeconds);
  auto meetings = std::make_shared<signaling::meeting::MeetingService>(
      features->admin.store(), features->admin.tokens(),
      std::make_unique<signaling::meeting::WorkerRoomPortFactory>(context.io, context.media), meetingOptions);
  features->relay.setTarget(meetings);
  features->live = std::make_unique<signaling::meeting::MeetingLiveStatus>(meetings);
  features->admin.api().setLiveStatusSource(features->live.get());
  features->ticker = std::make_unique<signaling::meeting::MeetingTicker>(context.io, meetings);
  context.dispatcher.registerService(meetings);
  return features;
}

}  // namespace diemcau::server
