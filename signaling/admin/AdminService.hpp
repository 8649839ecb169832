#pragma once

#include <boost/asio/io_context.hpp>

#include <filesystem>
#include <memory>
#include <string>

#include "signaling/admin/AdminApi.hpp"
#include "signaling/archive/MeetingArchive.hpp"
#include "signaling/scheduler/Clock.hpp"
#include "signaling/scheduler/MeetingScheduler.hpp"
#include "signaling/scheduler/SchedulerTimer.hpp"
#include "signaling/store/SqliteStore.hpp"
#include "signaling/tokens/TokenService.hpp"

namespace diemcau::signaling::admin {

struct AdminServiceOptions {
  std::filesystem::path dataDir;
  std::string publicUrl = "http://127.0.0.1:8080";
  /// Seed the demo (hall, eight communes, a meeting starting now) when the store has no site yet.
  bool demo = false;
  /// The most sites one meeting may invite.
  std::size_t meetingMaxSites = 500;
};

/**
 * Everything behind /api/v1 and the meeting clock, owned in one place: the store (<dataDir>/diemcau.db), the
 * token keys (<dataDir>/token.keys), the admin key (<dataDir>/admin.key, printed once when created), the
 * scheduler and its timer. Lives on the signaling thread; the server keeps it alive as long as the HTTP
 * server.
 */
class AdminService {
 public:
  /// listener hears meeting transitions (the room manager); may be null until rooms exist.
  AdminService(boost::asio::io_context& io, AdminServiceOptions options,
               scheduler::MeetingScheduler::Listener* listener = nullptr);
  ~AdminService();

  /// Recovers running meetings, arms the scheduler, seeds the demo; prints the admin key when new.
  void start();
  void stop();

  AdminApi& api() { return *api_; }
  store::Store& store() { return *store_; }
  tokens::TokenService& tokens() { return *tokens_; }

 private:
  class ForwardingListener;

  AdminServiceOptions options_;
  scheduler::SystemClock clock_;
  std::unique_ptr<store::SqliteStore> store_;
  std::unique_ptr<tokens::TokenService> tokens_;
  std::unique_ptr<ForwardingListener> listener_;
  std::unique_ptr<scheduler::MeetingScheduler> scheduler_;
  std::unique_ptr<scheduler::SchedulerTimer> timer_;
  std::unique_ptr<archive::MeetingArchive> archive_;
  std::unique_ptr<AdminApi> api_;
  bool keyCreated_ = false;
  std::string adminKey_;
};

}  // namespace diemcau::signaling::admin
