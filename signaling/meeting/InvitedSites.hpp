#pragma once

#include <nlohmann/json.hpp>

#include "signaling/store/Meeting.hpp"
#include "signaling/store/Store.hpp"

namespace diemcau::signaling::meeting {

/// The sites a meeting asked to come, for the chair's attendance (the `invited` field of a host's `join`
/// reply, docs/PROTOCOL.md): the hall first as `host`, then every invited commune as `site`, in the
/// meeting's order, each once. A site deleted from the directory since keeps its id as its name.
nlohmann::json invitedSitesJson(const store::Store& store, const store::Meeting& meeting);

}  // namespace diemcau::signaling::meeting
