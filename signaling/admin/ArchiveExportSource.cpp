#include "signaling/admin/ArchiveExportSource.hpp"

#include <algorithm>
#include <cstring>

namespace diemcau::signaling::admin {

ArchiveExportSource::ArchiveExportSource(const std::filesystem::path& folder, const std::string& directory,
                                         std::shared_ptr<archive::ArchiveWorker> worker)
    : state_(std::make_shared<State>(archive::TarStream(folder, directory))), worker_(std::move(worker)) {
  size_ = state_->tar.size();
  std::unique_lock lock(state_->mutex);
  scheduleFill(lock);  // the first pieces are read while the headers go out
}

ArchiveExportSource::~ArchiveExportSource() {
  std::function<void()> waiter;
  {
    std::lock_guard lock(state_->mutex);
    state_->cancelled = true;
    waiter = std::move(state_->waiter);
    state_->waiter = nullptr;
  }
  // Dropped, not called: whoever waited has let go of this source already.
}

void ArchiveExportSource::scheduleFill(std::unique_lock<std::mutex>& /*held*/) {
  State& s = *state_;
  if (s.filling || s.ended || s.failed || s.cancelled || s.pieces.size() >= kDepth) return;
  s.filling = true;
  worker_->post([state = state_] { fill(state); });
}

void ArchiveExportSource::fill(const std::shared_ptr<State>& state) {
  for (;;) {
    {
      std::lock_guard lock(state->mutex);
      if (state->cancelled || state->pieces.size() >= kDepth) {
        state->filling = false;
        return;
      }
    }
    std::vector<char> piece(kPiece);
    std::size_t got = 0;
    const bool ok = state->tar.read(std::span<char>(piece.data(), piece.size()), got);
    std::function<void()> wake;
    bool done = false;
    {
      std::lock_guard lock(state->mutex);
      if (!ok) {
        state->failed = true;
      } else if (got == 0) {
        state->ended = true;
      } else {
        piece.resize(got);
        state->pieces.push_back(std::move(piece));
      }
      done = state->failed || state->ended;
      if (done) state->filling = false;
      wake = std::move(state->waiter);
      state->waiter = nullptr;
    }
    state->filled.notify_all();
    if (wake) wake();  // off the lock: it posts to the signaling thread
    if (done) return;
  }
}

bool ArchiveExportSource::read(std::span<char> out, std::size_t& produced) {
  produced = 0;
  std::unique_lock lock(state_->mutex);
  // Only a caller that did not ask available() first waits here; the HTTP writer never does.
  state_->filled.wait(lock, [this] { return readyLocked(*state_); });
  State& s = *state_;
  if (!s.pieces.empty()) {
    const std::vector<char>& front = s.pieces.front();
    const std::size_t n = std::min(out.size(), front.size() - s.frontOffset);
    std::memcpy(out.data(), front.data() + s.frontOffset, n);
    s.frontOffset += n;
    if (s.frontOffset == front.size()) {
      s.pieces.pop_front();
      s.frontOffset = 0;
    }
    produced = n;
    scheduleFill(lock);
    return true;
  }
  return !s.failed;  // ended: produced stays 0
}

bool ArchiveExportSource::available() const {
  std::lock_guard lock(state_->mutex);
  return readyLocked(*state_);
}

void ArchiveExportSource::notifyWhenAvailable(std::function<void()> ready) {
  {
    std::lock_guard lock(state_->mutex);
    if (!readyLocked(*state_)) {
      state_->waiter = std::move(ready);
      return;
    }
  }
  ready();
}

std::size_t ArchiveExportSource::buffered() const {
  std::lock_guard lock(state_->mutex);
  std::size_t bytes = 0;
  for (const auto& piece : state_->pieces) bytes += piece.size();
  return bytes - state_->frontOffset;
}

}  // namespace diemcau::signaling::admin
