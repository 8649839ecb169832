#include "signaling/echo/EchoHost.hpp"

#include <boost/asio/post.hpp>
#include <spdlog/spdlog.h>

#include "media/sdp/SdpError.hpp"
#include "signaling/echo/EchoService.hpp"

namespace diemcau::signaling::echo {

EchoHost::EchoHost(boost::asio::io_context& io, std::weak_ptr<EchoService> service, std::string id)
    : io_(io), service_(std::move(service)), id_(std::move(id)) {}

EchoHost::~EchoHost() = default;

template <typename F>
void EchoHost::toService(F&& f) {
  boost::asio::post(io_, [service = service_, f = std::forward<F>(f)]() mutable {
    if (auto s = service.lock()) f(*s);
  });
}

void EchoHost::start(media::MediaEngine& engine, media::Worker& worker, const std::string& offer,
                     nlohmann::json requestId) {
  try {
    bridge::EchoSession::Listener& listener = *this;
    session_ = std::make_unique<bridge::EchoSession>(engine, worker, offer, listener);
  } catch (const media::sdp::SdpError& e) {
    toService([id = id_, requestId, message = std::string(e.what())](EchoService& s) {
      s.onFailure(id, requestId, message);
    });
    return;
  }
  session_->start(
      [this, requestId](std::string answer) {
        toService([id = id_, requestId, answer = std::move(answer)](EchoService& s) {
          s.onAnswer(id, requestId, answer);
        });
      },
      [this, requestId](std::string_view /*code*/, std::string_view message) {
        toService([id = id_, requestId, message = std::string(message)](EchoService& s) {
          s.onFailure(id, requestId, message);
        });
      });
}

void EchoHost::addCandidate(const std::string& candidate, nlohmann::json requestId) {
  bool accepted = false;
  if (session_) {
    if (candidate.empty()) {
      session_->remoteGatheringDone();
      accepted = true;
    } else {
      accepted = session_->addRemoteCandidate(candidate);
    }
  }
  toService([id = id_, requestId, accepted](EchoService& s) { s.onCandidateResult(id, requestId, accepted); });
}

void EchoHost::onEchoCandidate(const std::string& sdpCandidate, const std::string& mid) {
  toService([id = id_, sdpCandidate, mid](EchoService& s) { s.onCandidate(id, sdpCandidate, mid); });
}

void EchoHost::onEchoClosed(std::string_view reason) {
  toService([id = id_, reason = std::string(reason)](EchoService& s) { s.onClosed(id, reason); });
}

}  // namespace diemcau::signaling::echo
