#include "signaling/admin/AdminService.hpp"

#include <spdlog/spdlog.h>

#include <cstdio>

#include "signaling/admin/AdminKey.hpp"
#include "signaling/admin/DemoSeed.hpp"

namespace diemcau::signaling::admin {

// Logs every transition and passes it on to the room manager when there is one.
class AdminService::ForwardingListener final : public scheduler::MeetingScheduler::Listener {
 public:
  explicit ForwardingListener(scheduler::MeetingScheduler::Listener* next) : next_(next) {}
  void onMeetingOpen(const store::Meeting& m) override {
    spdlog::info("meeting {} ({}): lobby open", m.id, m.title);
    if (next_) next_->onMeetingOpen(m);
  }
  void onMeetingLive(const store::Meeting& m) override {
    spdlog::info("meeting {} ({}): live", m.id, m.title);
    if (next_) next_->onMeetingLive(m);
  }
  void onMeetingEndingSoon(const store::Meeting& m) override {
    spdlog::info("meeting {} ({}): ending soon", m.id, m.title);
    if (next_) next_->onMeetingEndingSoon(m);
  }
  void onMeetingEnded(const store::Meeting& m) override {
    spdlog::info("meeting {} ({}): ended", m.id, m.title);
    if (next_) next_->onMeetingEnded(m);
  }

 private:
  scheduler::MeetingScheduler::Listener* next_;
};

AdminService::AdminService(boost::asio::io_context& io, AdminServiceOptions options,
                           scheduler::MeetingScheduler::Listener* listener)
    : options_(std::move(options)) {
  std::filesystem::create_directories(options_.dataDir);
  store_ = std::make_unique<store::SqliteStore>((options_.dataDir / "diemcau.db").string());
  tokens_ = std::make_unique<tokens::TokenService>(
      tokens::SigningKeys::loadOrCreate(options_.dataDir / "token.keys"),
      [store = store_.get()](const std::string& id) { return store->isTokenRevoked(id); });
  listener_ = std::make_unique<ForwardingListener>(listener);
  scheduler_ = std::make_unique<scheduler::MeetingScheduler>(*store_, *listener_);
  timer_ = std::make_unique<scheduler::SchedulerTimer>(io, *scheduler_, clock_);
  auto key = loadOrCreateAdminKey(options_.dataDir);
  keyCreated_ = key.created;
  adminKey_ = key.key;
  AdminApiOptions apiOptions;
  apiOptions.adminKey = key.key;
  apiOptions.publicUrl = options_.publicUrl;
  apiOptions.maxInvited = options_.meetingMaxSites;
  api_ = std::make_unique<AdminApi>(*store_, *tokens_, clock_, apiOptions, scheduler_.get(),
                                    [timer = timer_.get()] { timer->poke(); });
  archive_ = std::make_unique<archive::MeetingArchive>(options_.dataDir, *store_);
  api_->setArchive(archive_.get());
}

AdminService::~AdminService() = default;

void AdminService::start() {
  if (keyCreated_) {
    // Printed once, on stdout, so the operator can copy it; it stays in admin.key (0600) afterwards.
    std::printf("admin key (stored in %s): %s\n", (options_.dataDir / "admin.key").c_str(),
                adminKey_.c_str());
    std::fflush(stdout);
  }
  if (options_.demo) {
    auto id = seedDemo(*store_, clock_.now());
    if (!id.empty()) {
      AdminApi::Request request{boost::beast::http::verb::get, "/api/v1/meetings/" + id + "/links", 11};
      request.set(boost::beast::http::field::authorization, "Bearer " + adminKey_);
      auto links = nlohmann::json::parse(api_->handle(request).body(), nullptr, false);
      std::printf("demo meeting '%s' seeded; join links:\n", id.c_str());
      if (links.is_array()) {
        for (const auto& l : links) {
          std::printf("  %-28s %s\n", l.value("siteName", "").c_str(), l.value("link", "").c_str());
        }
      }
      std::fflush(stdout);
    }
  }
  store_->pruneRevokedTokens(clock_.now());
  timer_->start();
}

void AdminService::stop() {
  timer_->stop();
}

}  // namespace diemcau::signaling::admin
