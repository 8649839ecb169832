#include "signaling/archive/ArchiveCloser.hpp"

#include <spdlog/spdlog.h>

#include <exception>

#include "signaling/archive/MeetingArchive.hpp"
#include "signaling/archive/Sha256Sums.hpp"

namespace diemcau::signaling::archive {

ArchiveCloser::ArchiveCloser(std::filesystem::path dataDir, store::Store& store, Post post)
    : dataDir_(std::move(dataDir)), store_(store), post_(std::move(post)) {}

void ArchiveCloser::close(const std::string& meetingId, std::function<void(const Closed&)> done,
                          MinutesLanguage language) {
  MeetingArchive archive(dataDir_, store_);
  const Minutes minutes = archive.writeMinutes(meetingId, language);
  Closed closed;
  closed.meetingId = meetingId;
  closed.recordings = minutes.recordings.size();
  // The job holds copies only: it may finish after this closer's owner has moved on.
  worker_.post([folder = archive.folderOf(meetingId), closed, post = post_, onDone = std::move(done)]() mutable {
    try {
      writeSha256Sums(folder);
      closed.ok = true;
    } catch (const std::exception& e) {
      closed.error = e.what();
    }
    if (onDone && post) post([callback = std::move(onDone), result = closed] { callback(result); });
  });
}

}  // namespace diemcau::signaling::archive
