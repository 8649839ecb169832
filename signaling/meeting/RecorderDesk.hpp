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
#include <memory>
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
  // Owned jointly with the thread, so that a desk destroyed by one of its own jobs (its last
  // reference captured there) leaves the thread what it still needs to finish the queue.
  struct Queue {
    std::mutex mutex;
    std::condition_variable wake;
    std::deque<Job> jobs;
    bool stopping = false;
  };
  static void loop(Queue& queue);

  std::shared_ptr<Queue> queue_;
  std::thread thread_;
};

}  // namespace diemcau::signaling::meeting
