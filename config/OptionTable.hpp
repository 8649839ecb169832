#pragma once

#include <boost/program_options/options_description.hpp>
#include <string>

namespace diemcau::config {

/// Defaults that depend on the machine or the install layout, computed before the table is built.
struct MachineDefaults {
  unsigned workers = 1;
  std::string staticDir;
};

/// The one option table shared by the config file, the command line and DIEMCAU_* variables.
/// Every value is declared as a string and validated afterwards, so an error can name both the option
/// and the place its value came from.
boost::program_options::options_description makeOptionTable(const MachineDefaults& defaults);

/// Options that only make sense on the command line (--help, --version).
boost::program_options::options_description makeCommandLineOnlyTable();

/// DIEMCAU_MEDIA_PORTS -> media-ports; returns empty when the variable is not in our namespace.
std::string optionNameFromEnvironment(const std::string& variable);
/// media-ports -> DIEMCAU_MEDIA_PORTS.
std::string environmentNameFromOption(const std::string& option);

}  // namespace diemcau::config
