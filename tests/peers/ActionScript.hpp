#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace diemcau::peers {

/// One timed line of an --actions file: a request to send `atSeconds` after the join reply.
struct TimedAction {
  double atSeconds = 0.0;
  std::string text;  // the line as written, for the report
  nlohmann::json request;  // {"type": ..., fields...}; the id is added when sent
};

/// Reads an --actions file: one action per line; a line starting with `#` is a comment.
///
///   2.5 floor.give lang-can     4 mute lang-can true    5 spotlight null
///   3 hand.raise                6 remove xa-b           7 lock true
///   8 chat good morning         9 leave                 10 end
///   1 send {"type":"floor.take"}   (any request, as JSON)
///
/// Sorted by time. Throws std::invalid_argument naming the line on anything it cannot read.
std::vector<TimedAction> readActionScript(const std::string& path);
/// The same, from text already in memory (`origin` names it in error messages).
std::vector<TimedAction> parseActionScript(const std::string& text, const std::string& origin);

}  // namespace diemcau::peers
