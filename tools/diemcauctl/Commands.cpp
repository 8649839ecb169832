#include "tools/diemcauctl/Commands.hpp"

#include "signaling/admin/InputRules.hpp"

namespace diemcau::tools::ctl {

namespace po = boost::program_options;

nlohmann::json call(const Context& ctx, const std::string& method, const std::string& path,
                    const nlohmann::json* body) {
  auto reply = ctx.client->request(method, path, body);
  if (reply.ok()) return reply.body;
  std::string message = "server refused (" + std::to_string(reply.status) + ")";
  if (reply.body.is_object() && reply.body.contains("error")) {
    const auto& e = reply.body["error"];
    message = e.value("message", message);
    if (e.contains("field")) message += " [field: " + e["field"].get<std::string>() + "]";
  }
  throw RefusedError(message);
}

po::variables_map parseOptions(const Context& ctx, const po::options_description& options,
                               const po::positional_options_description& positional) {
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(ctx.args).options(options).positional(positional).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    throw UsageError(e.what());
  }
  return vm;
}

void requireUtf8(const std::string& option, const std::string& text) {
  if (!signaling::admin::isValidUtf8(text)) throw UsageError("--" + option + " is not valid UTF-8");
}

std::string pathSegment(const std::string& text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

}  // namespace diemcau::tools::ctl
