#pragma once

#include <glib-object.h>
#include <nice/agent.h>

#include <memory>

namespace diemcau::media {

struct GObjectUnref {
  void operator()(gpointer object) const noexcept { g_object_unref(object); }
};

using NiceAgentPtr = std::unique_ptr<NiceAgent, GObjectUnref>;

// Owns a GSList of NiceCandidate* as returned by nice_agent_get_*_candidates().
struct NiceCandidateListFree {
  void operator()(GSList* list) const noexcept {
    g_slist_free_full(list, reinterpret_cast<GDestroyNotify>(&nice_candidate_free));
  }
};
using NiceCandidateList = std::unique_ptr<GSList, NiceCandidateListFree>;

struct NiceCandidateFree {
  void operator()(NiceCandidate* candidate) const noexcept { nice_candidate_free(candidate); }
};
using NiceCandidatePtr = std::unique_ptr<NiceCandidate, NiceCandidateFree>;

struct GFree {
  void operator()(gpointer p) const noexcept { g_free(p); }
};
using GCharPtr = std::unique_ptr<gchar, GFree>;

}  // namespace diemcau::media
