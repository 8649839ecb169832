#include "media/worker/TaskMailbox.hpp"

#include <spdlog/spdlog.h>

#include <exception>

namespace diemcau::media {

namespace {

struct MailboxSource {
  GSource base;
  TaskMailbox* mailbox;
};

}  // namespace

gboolean TaskMailbox::dispatch(GSource* source, GSourceFunc, gpointer) {
  // Disarm before draining so a push during the drain re-arms and is not lost.
  g_source_set_ready_time(source, -1);
  auto* self = reinterpret_cast<MailboxSource*>(source)->mailbox;
  self->drain();
  if (self->afterBatch_) self->afterBatch_();
  return G_SOURCE_CONTINUE;
}

TaskMailbox::TaskMailbox(GMainContext* context, AfterBatch afterBatch)
    : afterBatch_(std::move(afterBatch)) {
  static GSourceFuncs funcs = {nullptr, nullptr, &TaskMailbox::dispatch, nullptr, nullptr, nullptr};
  GSource* raw = g_source_new(&funcs, sizeof(MailboxSource));
  reinterpret_cast<MailboxSource*>(raw)->mailbox = this;
  g_source_set_name(raw, "diemcau-mailbox");
  // Commands from signaling outrank media timers only slightly: they are rare and short.
  g_source_set_priority(raw, G_PRIORITY_DEFAULT);
  g_source_set_ready_time(raw, -1);
  g_source_attach(raw, context);
  source_.reset(raw);
}

TaskMailbox::~TaskMailbox() = default;

bool TaskMailbox::push(Task task) {
  bool wake = false;
  {
    std::lock_guard lock(mutex_);
    if (closed_) return false;
    wake = pending_.empty();
    pending_.push_back(std::move(task));
  }
  if (wake) g_source_set_ready_time(source_.get(), 0);
  return true;
}

void TaskMailbox::close() {
  {
    std::lock_guard lock(mutex_);
    closed_ = true;
  }
  // Wake the consumer so it notices the close even with an empty queue.
  g_source_set_ready_time(source_.get(), 0);
}

bool TaskMailbox::closed() const {
  std::lock_guard lock(mutex_);
  return closed_;
}

size_t TaskMailbox::drain() {
  size_t ran = 0;
  for (;;) {
    {
      std::lock_guard lock(mutex_);
      if (pending_.empty()) break;
      running_.swap(pending_);
    }
    for (auto& task : running_) {
      try {
        task();
      } catch (const std::exception& e) {
        spdlog::error("worker task threw: {}", e.what());
      } catch (...) {
        spdlog::error("worker task threw a non-standard exception");
      }
      ++ran;
    }
    running_.clear();
  }
  return ran;
}

}  // namespace diemcau::media
