#pragma once
#include <stdexcept>

namespace diemcau::media::recorder {

/// A recording that cannot be described at all (unknown codec, no tracks, bad track index). Disk and
/// pipeline failures at run time are not exceptions: they reach ParticipantRecorder::Listener.
class RecorderError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace diemcau::media::recorder
