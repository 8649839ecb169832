#include "config/ConfigLoader.hpp"

#include <algorithm>
#include <boost/program_options.hpp>
#include <fstream>
#include <sstream>

#include "config/ConfigError.hpp"
#include "config/ConfigValidator.hpp"
#include "config/OptionTable.hpp"

extern char** environ;  // POSIX

namespace diemcau::config {

namespace po = boost::program_options;

namespace {

std::string stripDashes(std::string name) {
  name.erase(0, name.find_first_not_of('-'));
  return name;
}

// Stores one source; values already stored by a stronger source win (program_options keeps the first).
void storeSource(const po::parsed_options& parsed, po::variables_map& values, ValueOrigins& origins,
                 const std::string& originPrefix, bool environment) {
  try {
    po::store(parsed, values);
  } catch (const po::error_with_option_name& error) {
    const std::string source = environment ? "environment: " : originPrefix == "--" ? "command line: " : originPrefix;
    throw ConfigError(stripDashes(error.get_option_name()), source + error.what());
  }
  for (const auto& option : parsed.options) {
    if (!origins.contains(option.string_key)) {
      origins[option.string_key] = environment ? environmentNameFromOption(option.string_key)
                                               : originPrefix + option.string_key;
    }
  }
}

po::parsed_options parseCommandLine(const std::vector<std::string>& args, const po::options_description& all) {
  try {
    const auto style = po::command_line_style::default_style & ~po::command_line_style::allow_guessing;
    return po::command_line_parser(args).options(all).style(style).run();
  } catch (const po::error_with_option_name& error) {
    throw ConfigError(stripDashes(error.get_option_name()), std::string("command line: ") + error.what());
  } catch (const po::error& error) {
    throw ConfigError("", std::string("command line: ") + error.what());
  }
}

po::parsed_options parseEnvironment(const std::map<std::string, std::string>& environment,
                                    const po::options_description& table) {
  po::parsed_options parsed(&table);
  for (const auto& [variable, value] : environment) {
    const std::string name = optionNameFromEnvironment(variable);
    if (name.empty()) continue;
    if (table.find_nothrow(name, false) == nullptr) {
      throw ConfigError(name, "environment: unknown variable " + variable + " (no option '" + name + "')");
    }
    parsed.options.emplace_back(name, std::vector<std::string>{value});
  }
  return parsed;
}

po::parsed_options parseFile(const std::filesystem::path& path, const po::options_description& table) {
  std::ifstream file(path);
  if (!file) {
    throw ConfigError("config", "config: cannot read config file '" + path.string() + "'");
  }
  try {
    return po::parse_config_file(file, table, false);
  } catch (const po::error_with_option_name& error) {
    const std::string name = stripDashes(error.get_option_name());
    throw ConfigError(name.empty() ? "config" : name, "config: " + path.string() + ": " + error.what());
  } catch (const po::error& error) {
    throw ConfigError("config", "config: " + path.string() + ": " + error.what());
  }
}

}  // namespace

ConfigLoader::ConfigLoader(unsigned hardwareThreads)
    : defaultWorkers_(std::clamp(hardwareThreads, 1u, 256u)) {}

std::string versionString() { return DIEMCAU_VERSION; }

std::filesystem::path ConfigLoader::defaultStaticDir(const std::filesystem::path& executable) {
  if (!executable.empty()) {
    std::error_code ec;
    const auto installed = executable.parent_path() / ".." / "share" / "diemcau" / "web";
    if (std::filesystem::is_directory(installed, ec)) return installed.lexically_normal();
  }
  return DIEMCAU_SOURCE_WEB_DIR;
}

std::map<std::string, std::string> ConfigLoader::processEnvironment() {
  std::map<std::string, std::string> environment;
  for (char** entry = environ; entry != nullptr && *entry != nullptr; ++entry) {
    const std::string_view text(*entry);
    const auto equals = text.find('=');
    if (equals == std::string_view::npos || !text.starts_with("DIEMCAU_")) continue;
    environment.emplace(std::string(text.substr(0, equals)), std::string(text.substr(equals + 1)));
  }
  return environment;
}

std::string ConfigLoader::helpText(const std::filesystem::path& executable) const {
  const MachineDefaults defaults{defaultWorkers_, defaultStaticDir(executable).string()};
  std::ostringstream out;
  out << "Usage: diemcau [options]\n\n" << makeOptionTable(defaults) << "\n" << makeCommandLineOnlyTable();
  return out.str();
}

LoadResult ConfigLoader::load(const ConfigInput& input) const {
  const MachineDefaults defaults{defaultWorkers_, defaultStaticDir(input.executable).string()};
  const po::options_description table = makeOptionTable(defaults);
  po::options_description all;
  all.add(table).add(makeCommandLineOnlyTable());

  po::variables_map values;
  ValueOrigins origins;
  const po::parsed_options commandLine = parseCommandLine(input.args, all);
  storeSource(commandLine, values, origins, "--", false);
  if (values.count("help") != 0) return {LoadResult::Action::PrintHelp, std::nullopt, helpText(input.executable)};
  if (values.count("version") != 0) return {LoadResult::Action::PrintVersion, std::nullopt, "diemcau " + versionString() + "\n"};

  storeSource(parseEnvironment(input.environment, table), values, origins, "", true);
  const std::string configFile = values["config"].as<std::string>();
  if (!configFile.empty()) {
    storeSource(parseFile(configFile, table), values, origins, configFile + ": ", false);
  }
  LoadResult result;
  result.config = validateConfig(values, origins);
  return result;
}

}  // namespace diemcau::config
