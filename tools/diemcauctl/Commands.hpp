#pragma once

#include <boost/program_options.hpp>

#include <iostream>
#include <stdexcept>
#include <string>
#include <vector>

#include "tools/diemcauctl/AdminClient.hpp"

namespace diemcau::tools::ctl {

/// Bad usage: exit code 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// The server refused the request: exit code 1, message already made for people.
class RefusedError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Context {
  const AdminClient* client = nullptr;
  bool json = false;
  std::vector<std::string> args;  ///< after "<command> <subcommand>"
  std::ostream& out = std::cout;
  std::string dataDir;  ///< --data-dir, when given
};

/// Sends a request; throws RefusedError with the server's sentence (and field) when it is not 2xx.
nlohmann::json call(const Context& ctx, const std::string& method, const std::string& path,
                    const nlohmann::json* body = nullptr);

/// Parses the subcommand's options; throws UsageError on unknown or malformed options.
boost::program_options::variables_map parseOptions(
    const Context& ctx, const boost::program_options::options_description& options,
    const boost::program_options::positional_options_description& positional = {});

/// Throws UsageError naming the option when text is not well-formed UTF-8.
void requireUtf8(const std::string& option, const std::string& text);

/// Percent-encodes one path segment.
std::string pathSegment(const std::string& text);

int siteCommand(const std::string& sub, Context& ctx);
int meetingCommand(const std::string& sub, Context& ctx);
int tokenCommand(const std::string& sub, Context& ctx);
int archiveCommand(const std::string& sub, Context& ctx);
/// Renders a local archive folder; needs no server (ctx.client may be null).
int archiveRenderCommand(Context& ctx);
int statusCommand(Context& ctx);

}  // namespace diemcau::tools::ctl
