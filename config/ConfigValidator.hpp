#pragma once

#include <boost/program_options/variables_map.hpp>
#include <map>
#include <string>

#include "config/ServerConfig.hpp"

namespace diemcau::config {

/// Option name -> where its value came from ("--listen", "DIEMCAU_LISTEN", "site.conf: listen").
/// Options missing here hold their default.
using ValueOrigins = std::map<std::string, std::string>;

/// Turns the merged string values into a ServerConfig; throws ConfigError naming the first bad option.
ServerConfig validateConfig(const boost::program_options::variables_map& values, const ValueOrigins& origins);

}  // namespace diemcau::config
