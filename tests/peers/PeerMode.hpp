#pragma once

#include "tests/peers/PeerReport.hpp"

#include <string>

namespace diemcau::peers {

/// One conversation with the server (echo today; join/publish/subscribe with the meeting
/// protocol). A mode owns its WebSocket client and its pipeline, and lives on the GLib main
/// context.
class PeerMode {
 public:
  /// Called on the main context.
  class Listener {
   public:
    virtual ~Listener() = default;
    /// Nothing more can be decoded; the run should end now instead of waiting out --duration.
    virtual void onModeFailed(const std::string& reason) = 0;
    /// The server ended the conversation as the protocol allows (the meeting ended, this peer
    /// was removed or replaced, or it left): report now, without failing.
    virtual void onModeFinished(const std::string& reason) = 0;
  };

  virtual ~PeerMode() = default;
  /// Throws std::runtime_error when the mode cannot even begin.
  virtual void start() = 0;
  /// Says goodbye to the server and stops media; safe to call twice.
  virtual void stop() = 0;
  virtual void fillReport(PeerReport& report) const = 0;
};

}  // namespace diemcau::peers
