#pragma once
// The thread where a meeting's recordings are built and finalised.
//
//   signaling thread ──run(build)──▶ RecorderDesk ──▶ ParticipantRecorder (pipeline to PLAYING)
//   media worker ──run(stop)───────▶ RecorderDesk ──▶ ParticipantRecorder::stop (EOS, header rewrite)
//
// Both block (a pipeline's state change; the muxer's final header rewrite waits up to 5 s), so
// neither may run on a media worker or on the signaling thread. Jobs run one at a time, in order.
#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace diemcau::signaling::meeting {

class RecorderDesk {
 public:
  using Job = std::function<void()>;

  RecorderDesk();
  /// Runs every job already queued (so recordings in flight are finalised), then joins.
  ~RecorderDesk();
  RecorderDesk(const RecorderDesk&) = delete;
  RecorderDesk& operator=(const RecorderDesk&) = delete;

  /// Thread-safe; returns at once (one short lock). An exception a job throws is logged.
  void run(Job job);

 private:
  void loop();

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Job> jobs_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace diemcau::signaling::meeting
