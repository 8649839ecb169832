#include "media/ice/StunResponder.hpp"

#include <stun/usages/ice.h>

#include <cstring>
#include <limits>

namespace diemcau::media {

namespace {

constexpr size_t kStunHeader = 20;

struct ValidationContext {
  StunResponder::Lookup lookup;
  void* context;
  void* owner = nullptr;
};

// USERNAME of a check is "<receiver's ufrag>:<sender's ufrag>" (RFC 8445 §7.2.2); the first part
// names our transport, whose password is the MESSAGE-INTEGRITY key (RFC 8445 §7.2.2, short-term).
bool findPassword(StunAgent*, StunMessage*, uint8_t* username, uint16_t usernameLength, uint8_t** password,
                  size_t* passwordLength, void* data) {
  auto* validation = static_cast<ValidationContext*>(data);
  std::string_view name(reinterpret_cast<const char*>(username), usernameLength);
  const size_t colon = name.find(':');
  if (colon == std::string_view::npos || colon == 0) return false;
  const auto credentials = validation->lookup(validation->context, name.substr(0, colon));
  if (credentials.owner == nullptr || credentials.pwd.empty()) return false;
  validation->owner = credentials.owner;
  // libnice only reads the key (HMAC input); its API is not const-correct.
  *password = reinterpret_cast<uint8_t*>(const_cast<char*>(credentials.pwd.data()));
  *passwordLength = credentials.pwd.size();
  return true;
}

// Answers a request that failed validation with the RFC 5389 §10.1.2 error code, without
// MESSAGE-INTEGRITY (we could not authenticate it). Returns the reply length, 0 when none.
size_t writeError(StunAgent* agent, StunMessage& request, std::span<uint8_t> reply, StunError code) {
  StunMessage response;
  if (!stun_agent_init_error(agent, &response, reply.data(), reply.size(), &request, code)) return 0;
  return stun_agent_finish_message(agent, &response, nullptr, 0);
}

}  // namespace

StunResponder::StunResponder() {
  stun_agent_init(&agent_, STUN_ALL_KNOWN_ATTRIBUTES, STUN_COMPATIBILITY_RFC5389,
                  static_cast<StunAgentUsageFlags>(STUN_AGENT_USAGE_SHORT_TERM_CREDENTIALS |
                                                   STUN_AGENT_USAGE_USE_FINGERPRINT));
}

StunResponder::Outcome StunResponder::handle(const uint8_t* data, size_t len, const sockaddr_storage& from,
                                             socklen_t fromLength, Lookup lookup, void* context,
                                             std::span<uint8_t> reply) {
  Outcome outcome;
  if (len < kStunHeader || len > std::numeric_limits<uint16_t>::max()) {
    outcome.verdict = Verdict::Rejected;
    return outcome;
  }
  // Message type, RFC 5389 §6: the class bits are C1 = 0x0100 and C0 = 0x0010; a request has
  // both clear. Indications (consent-free keepalives) and responses need no answer from us.
  const uint16_t type = static_cast<uint16_t>((data[0] << 8) | data[1]);
  if ((type & 0x0110) != 0) return outcome;

  StunMessage request;
  ValidationContext validation{lookup, context};
  const StunValidationStatus status = stun_agent_validate(&agent_, &request, data, len, &findPassword, &validation);
  outcome.verdict = Verdict::Rejected;
  switch (status) {
    case STUN_VALIDATION_SUCCESS: break;
    case STUN_VALIDATION_UNAUTHORIZED:
      outcome.replyLength = writeError(&agent_, request, reply, STUN_ERROR_UNAUTHORIZED);
      return outcome;
    case STUN_VALIDATION_BAD_REQUEST:
    case STUN_VALIDATION_UNAUTHORIZED_BAD_REQUEST:
      outcome.replyLength = writeError(&agent_, request, reply, STUN_ERROR_BAD_REQUEST);
      return outcome;
    case STUN_VALIDATION_UNKNOWN_REQUEST_ATTRIBUTE: {
      StunMessage response;
      outcome.replyLength = stun_agent_build_unknown_attributes_error(&agent_, &response, reply.data(), reply.size(),
                                                                      &request);
      return outcome;
    }
    default:  // not STUN after all, truncated, or an unmatched response: nothing to answer
      return outcome;
  }
  if (validation.owner == nullptr) return outcome;  // integrity without USERNAME: not a check

  // RFC 8445 §6.1.1: a lite agent is always controlled. A peer that also claims to be controlled
  // (ICE-CONTROLLED) meets §7.3.1.1: a controlled agent whose tie-breaker is >= the request's
  // switches to controlling, otherwise it answers 487 (Role Conflict) and the peer switches. With
  // our tie-breaker 0 the peer is always told to switch; only a peer tie-breaker of 0 would flip
  // us, which a lite agent cannot do, so that request goes unanswered.
  bool controlling = false;
  StunMessage response;
  size_t replyLength = reply.size();
  const StunUsageIceReturn result =
      stun_usage_ice_conncheck_create_reply(&agent_, &request, &response, reply.data(), &replyLength, &from,
                                            fromLength, &controlling, 0, STUN_USAGE_ICE_COMPATIBILITY_RFC5245);
  if (controlling) return outcome;
  outcome.replyLength = replyLength;
  if (result != STUN_USAGE_ICE_RETURN_SUCCESS || replyLength == 0 ||
      stun_message_get_class(&response) != STUN_RESPONSE) {
    return outcome;  // an error response (400, 487) or nothing: not a valid check
  }
  outcome.verdict = Verdict::Accepted;
  outcome.owner = validation.owner;
  outcome.useCandidate = stun_usage_ice_conncheck_use_candidate(&request);
  uint32_t priority = 0;
  if (stun_message_find32(&request, STUN_ATTRIBUTE_PRIORITY, &priority) == STUN_MESSAGE_RETURN_SUCCESS) {
    outcome.priority = priority;
  }
  return outcome;
}

}  // namespace diemcau::media
