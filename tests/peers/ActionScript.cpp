#include "tests/peers/ActionScript.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>

namespace diemcau::peers {

using nlohmann::json;

namespace {

constexpr double kMaxActionSeconds = 3600.0;

bool parseBool(const std::string& word, bool& value) {
  if (word == "true" || word == "on" || word == "1") {
    value = true;
    return true;
  }
  if (word == "false" || word == "off" || word == "0") {
    value = false;
    return true;
  }
  return false;
}

/// The request for `command` with the rest of the line in `args`; throws a sentence without the
/// line number (the caller adds it).
json requestFor(const std::string& command, const std::string& args) {
  std::istringstream words(args);
  std::string first;
  std::string second;
  words >> first >> second;
  const auto needParticipant = [&] {
    if (first.empty()) {
      throw std::invalid_argument(command + " needs a participant id");
    }
  };
  if (command == "floor.take" || command == "end" || command == "leave" || command == "hand.raise" ||
      command == "hand.lower") {
    return {{"type", command}};
  }
  if (command == "floor.give" || command == "remove") {
    needParticipant();
    return {{"type", command}, {"participant", first}};
  }
  if (command == "spotlight") {
    needParticipant();
    return {{"type", command}, {"participant", first == "null" ? json(nullptr) : json(first)}};
  }
  if (command == "mute" || command == "unmute") {
    needParticipant();
    bool muted = command == "mute";
    if (!second.empty() && !parseBool(second, muted)) {
      throw std::invalid_argument("mute takes true or false, not '" + second + "'");
    }
    return {{"type", "mute"}, {"participant", first}, {"muted", muted}};
  }
  if (command == "lock") {
    bool locked = true;
    if (!first.empty() && !parseBool(first, locked)) {
      throw std::invalid_argument("lock takes true or false, not '" + first + "'");
    }
    return {{"type", command}, {"locked", locked}};
  }
  if (command == "chat") {
    const auto start = args.find_first_not_of(" \t");
    if (start == std::string::npos) {
      throw std::invalid_argument("chat needs a text");
    }
    return {{"type", command}, {"text", args.substr(start)}};
  }
  if (command == "send") {
    json request = json::parse(args, nullptr, /*allow_exceptions=*/false);
    if (!request.is_object() || !request.contains("type") || !request["type"].is_string()) {
      throw std::invalid_argument("send needs a JSON object with a string 'type'");
    }
    return request;
  }
  throw std::invalid_argument("unknown action '" + command + "'");
}

}  // namespace

std::vector<TimedAction> parseActionScript(const std::string& text, const std::string& origin) {
  std::vector<TimedAction> actions;
  std::istringstream lines(text);
  std::string line;
  int number = 0;
  while (std::getline(lines, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') {
      line.pop_back();
    }
    // Only whole-line comments: chat text and JSON may hold a '#'.
    const auto first = line.find_first_not_of(" \t");
    if (first == std::string::npos || line[first] == '#') {
      continue;
    }
    const std::string body = line.substr(first);
    std::istringstream words(body);
    std::string when;
    std::string command;
    words >> when;
    const std::string where = origin + ":" + std::to_string(number) + ": ";
    TimedAction action;
    try {
      std::size_t used = 0;
      action.atSeconds = std::stod(when, &used);
      if (used != when.size()) {
        throw std::invalid_argument("trailing characters");
      }
    } catch (const std::exception&) {
      throw std::invalid_argument(where + "'" + when + "' is not a time in seconds");
    }
    if (!(action.atSeconds >= 0.0) || action.atSeconds > kMaxActionSeconds) {
      throw std::invalid_argument(where + "the time must be between 0 and 3600 seconds");
    }
    if (!(words >> command)) {
      throw std::invalid_argument(where + "an action is missing after the time");
    }
    std::string args;
    std::getline(words, args);
    try {
      action.request = requestFor(command, args);
    } catch (const std::invalid_argument& e) {
      throw std::invalid_argument(where + e.what());
    }
    action.text = body;
    actions.push_back(std::move(action));
  }
  std::stable_sort(actions.begin(), actions.end(),
                   [](const TimedAction& a, const TimedAction& b) { return a.atSeconds < b.atSeconds; });
  return actions;
}

std::vector<TimedAction> readActionScript(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    throw std::invalid_argument("cannot read the actions file " + path);
  }
  std::ostringstream text;
  text << in.rdbuf();
  return parseActionScript(text.str(), path);
}

}  // namespace diemcau::peers
