#pragma once

#include <stun/stunagent.h>
#include <sys/socket.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace diemcau::media {

/**
 * The answering half of ICE connectivity checks (RFC 8445 §7.3) for an ICE-lite agent, on
 * libnice's STUN library: validates a Binding request with short-term credentials (RFC 5389
 * §10.1, MESSAGE-INTEGRITY keyed by the local password found from the USERNAME's first part)
 * and FINGERPRINT, and writes the success response with XOR-MAPPED-ADDRESS, or the error
 * response the request deserves.
 *
 * Stateless between datagrams and allocation-free; one per UdpMux, used on its worker thread.
 */
class StunResponder {
 public:
  /// What the credentials lookup returns: the owner of the local ufrag (nullptr = unknown) and
  /// its password, which must stay valid until handle() returns.
  struct Credentials {
    void* owner = nullptr;
    std::string_view pwd;
  };
  using Lookup = Credentials (*)(void* context, std::string_view localUfrag);

  enum class Verdict : uint8_t {
    Ignored,   // a STUN indication or response: nothing to answer (a lite agent sends no requests)
    Accepted,  // a valid check for `owner`; `reply` holds the success response
    Rejected,  // not valid (integrity, unknown ufrag, malformed, role conflict); `reply` may hold an error
  };
  struct Outcome {
    Verdict verdict = Verdict::Ignored;
    void* owner = nullptr;
    bool useCandidate = false;
    uint32_t priority = 0;   // the check's PRIORITY attribute (RFC 8445 §7.1.1), 0 when absent
    size_t replyLength = 0;  // bytes of `reply` to send back to the source (0 = send nothing)
  };

  /// Largest response written: a success carries XOR-MAPPED-ADDRESS (24), USERNAME (≤ 516),
  /// MESSAGE-INTEGRITY (24) and FINGERPRINT (8) after the 20-byte header.
  static constexpr size_t kMaxReply = 600;

  StunResponder();
  StunResponder(const StunResponder&) = delete;
  StunResponder& operator=(const StunResponder&) = delete;

  /// True when the first byte says STUN (RFC 7983 §7: 0..3).
  static bool looksLikeStun(const uint8_t* data, size_t len) { return len > 0 && data[0] <= 3; }

  Outcome handle(const uint8_t* data, size_t len, const sockaddr_storage& from, socklen_t fromLength,
                 Lookup lookup, void* context, std::span<uint8_t> reply);

 private:
  StunAgent agent_{};
};

}  // namespace diemcau::media
