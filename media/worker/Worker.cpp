#include "media/worker/Worker.hpp"

#include <spdlog/spdlog.h>

#include <future>

namespace diemcau::media {

namespace {
// Upper bound on the non-blocking iterations run after the loop quits, so asynchronous closes
// (nice_agent_close_async) and other already-ready sources can finish without a hang.
constexpr int kMaxShutdownIterations = 1000;
}  // namespace

Worker::Worker(std::string name)
    : name_(std::move(name)), context_(g_main_context_new()), loop_(g_main_loop_new(context_.get(), FALSE)) {
  mailbox_ = std::make_unique<TaskMailbox>(context_.get(), [this] {
    if (mailbox_->closed()) g_main_loop_quit(loop_.get());
  });
  std::promise<void> started;
  auto startedFuture = started.get_future();
  thread_ = std::thread([this, &started] {
    threadId_.store(std::this_thread::get_id());
    started.set_value();
    run();
  });
  // isCurrentThread() must be right as soon as the constructor returns.
  startedFuture.wait();
}

Worker::~Worker() { stop(); }

bool Worker::post(Task task) { return mailbox_->push(std::move(task)); }

void Worker::stop() {
  if (isCurrentThread()) {
    spdlog::critical("worker {}: stop() called from its own thread; ignored", name_);
    return;
  }
  mailbox_->close();
  if (thread_.joinable()) thread_.join();
}

void Worker::run() {
  GMainContext* context = context_.get();
  // Thread-default so GLib/GIO objects created by tasks (libnice sockets, GTasks) bind here.
  g_main_context_push_thread_default(context);
  spdlog::debug("worker {} started", name_);
  g_main_loop_run(loop_.get());
  // The loop only quits after a drain that saw the mailbox closed; drain once more in case a task
  // was accepted between that drain and the quit.
  mailbox_->drain();
  int iterations = 0;
  while (iterations < kMaxShutdownIterations && g_main_context_iteration(context, FALSE)) ++iterations;
  g_main_context_pop_thread_default(context);
  spdlog::debug("worker {} stopped", name_);
}

}  // namespace diemcau::media
