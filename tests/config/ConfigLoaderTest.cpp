#include "config/ConfigLoader.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>

#include "config/ConfigError.hpp"

namespace diemcau::config {
namespace {

class ConfigLoaderTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("diemcau-config-test-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::filesystem::path writeFile(const std::string& text) {
    const auto path = dir_ / "diemcau.conf";
    std::ofstream(path) << text;
    return path;
  }

  ServerConfig load(std::vector<std::string> args, std::map<std::string, std::string> env = {}) {
    const LoadResult result = ConfigLoader(4).load({std::move(args), std::move(env), {}});
    EXPECT_EQ(result.action, LoadResult::Action::Run);
    return *result.config;
  }

  // The option a ConfigError blames, or "<no error>".
  std::string blamed(std::vector<std::string> args, std::map<std::string, std::string> env = {}) {
    try {
      ConfigLoader(4).load({std::move(args), std::move(env), {}});
    } catch (const ConfigError& error) {
      const std::string message = error.what();
      EXPECT_EQ(message.find('\n'), std::string::npos) << message;
      EXPECT_NE(message.find(error.option()), std::string::npos) << message;
      return error.option();
    }
    return "<no error>";
  }

  std::filesystem::path dir_;
};

TEST_F(ConfigLoaderTest, DefaultsWithNoInput) {
  const ServerConfig config = load({});
  EXPECT_EQ(config.listen.toString(), "127.0.0.1:8080");
  EXPECT_EQ(config.publicUrl, "http://127.0.0.1:8080/");
  EXPECT_EQ(config.dataDir, "./diemcau-data");
  EXPECT_EQ(config.adminKeyFile, std::filesystem::path("./diemcau-data") / "admin.key");
  EXPECT_FALSE(config.tlsEnabled());
  EXPECT_EQ(config.mediaAddresses, std::vector<std::string>{"127.0.0.1"});
  EXPECT_EQ(config.mediaPorts.first, 40000);
  EXPECT_EQ(config.mediaPorts.last, 40999);
  EXPECT_EQ(config.workers, 4u);
  EXPECT_EQ(config.logLevel, "info");
  EXPECT_EQ(config.wsMaxMessage, 2097152u);
  EXPECT_EQ(config.maxConnections, 1024u);
  EXPECT_TRUE(config.staticDir.string().ends_with("signaling/web")) << config.staticDir;
  EXPECT_FALSE(config.configFile);
}

TEST_F(ConfigLoaderTest, FlagBeatsEnvironmentBeatsFileBeatsDefault) {
  const auto file = writeFile(
      "# site config\n"
      "media-ports = 41000-41999\n"
      "workers = 3\n"
      "log-level = debug\n"
      "ws-max-message = 2048\n");
  const ServerConfig config = load({"--config", file.string(), "--media-ports", "43000-43999"},
                                   {{"DIEMCAU_MEDIA_PORTS", "42000-42999"},
                                    {"DIEMCAU_WORKERS", "2"},
                                    {"PATH", "/usr/bin"}});
  EXPECT_EQ(config.mediaPorts.first, 43000);  // flag
  EXPECT_EQ(config.workers, 2u);              // environment over file
  EXPECT_EQ(config.logLevel, "debug");        // file over default
  EXPECT_EQ(config.wsMaxMessage, 2048u);      // file
  EXPECT_EQ(config.maxConnections, 1024u);    // default
  EXPECT_EQ(config.configFile, file);
}

TEST_F(ConfigLoaderTest, ConfigFileNamedByEnvironment) {
  const auto file = writeFile("listen = [::1]:9443\ntls-self-signed = yes\n");
  const ServerConfig config = load({}, {{"DIEMCAU_CONFIG", file.string()}});
  EXPECT_EQ(config.listen.host, "::1");
  EXPECT_EQ(config.listen.port, 9443);
  EXPECT_TRUE(config.tlsSelfSigned);
  EXPECT_EQ(config.publicUrl, "https://[::1]:9443/");
}

TEST_F(ConfigLoaderTest, ExplicitValues) {
  const ServerConfig config =
      load({"--public-url", "https://hall.example.vn", "--data-dir", "/var/lib/diemcau", "--tls-cert", "c.pem",
            "--tls-key", "k.pem", "--media-addresses", "10.0.0.2,192.168.1.5", "--media-announced-address",
            "203.0.113.7", "--admin-key-file", "/etc/diemcau/admin.key", "--static-dir", "/srv/web"});
  EXPECT_EQ(config.publicUrl, "https://hall.example.vn/");
  EXPECT_EQ(config.adminKeyFile, "/etc/diemcau/admin.key");
  EXPECT_TRUE(config.tlsEnabled());
  EXPECT_EQ(config.tlsCert, std::filesystem::path("c.pem"));
  EXPECT_EQ(config.mediaAddresses.size(), 2u);
  EXPECT_EQ(config.mediaAnnouncedAddress, "203.0.113.7");
  EXPECT_EQ(config.staticDir, "/srv/web");
}

TEST_F(ConfigLoaderTest, BareSelfSignedFlagMeansTrue) {
  EXPECT_TRUE(load({"--tls-self-signed"}).tlsSelfSigned);
}

TEST_F(ConfigLoaderTest, DemoIsOffUnlessAsked) {
  EXPECT_FALSE(load({}).demo);
  EXPECT_TRUE(load({"--demo"}).demo);
  EXPECT_TRUE(load({}, {{"DIEMCAU_DEMO", "true"}}).demo);
  EXPECT_EQ(blamed({"--demo=perhaps"}), "demo");
}

TEST_F(ConfigLoaderTest, HelpListsEveryOptionWithDefault) {
  const LoadResult result = ConfigLoader(4).load({{"--help"}, {}, {}});
  ASSERT_EQ(result.action, LoadResult::Action::PrintHelp);
  for (const char* option : {"--config", "--listen", "--public-url", "--data-dir", "--tls-cert", "--tls-key",
                             "--tls-self-signed", "--demo", "--media-addresses", "--media-announced-address",
                             "--media-ports", "--workers", "--log-level", "--static-dir", "--ws-max-message",
                             "--max-connections", "--admin-key-file", "--media-ice-lite", "--media-ice-lite-port",
                             "--version"}) {
    EXPECT_NE(result.text.find(option), std::string::npos) << option;
  }
  EXPECT_NE(result.text.find("(=127.0.0.1:8080)"), std::string::npos);
  EXPECT_NE(result.text.find("(=40000-40999)"), std::string::npos);
}

TEST_F(ConfigLoaderTest, LastNOptions) {
  const ServerConfig defaults = load({});
  EXPECT_EQ(defaults.audioLastN, 3u);
  EXPECT_EQ(defaults.videoLastN, 2u);
  const ServerConfig set = load({"--audio-last-n", "0"}, {{"DIEMCAU_VIDEO_LAST_N", "5"}});
  EXPECT_EQ(set.audioLastN, 0u);
  EXPECT_EQ(set.videoLastN, 5u);
  EXPECT_EQ(blamed({"--audio-last-n", "65"}), "audio-last-n");
  EXPECT_EQ(blamed({"--video-last-n", "-1"}), "video-last-n");
}

TEST_F(ConfigLoaderTest, MeetingMaxSites) {
  EXPECT_EQ(load({}).meetingMaxSites, 500u);
  EXPECT_EQ(load({"--meeting-max-sites", "2000"}).meetingMaxSites, 2000u);
  EXPECT_EQ(load({}, {{"DIEMCAU_MEETING_MAX_SITES", "12"}}).meetingMaxSites, 12u);
  EXPECT_EQ(blamed({"--meeting-max-sites", "0"}), "meeting-max-sites");
  EXPECT_EQ(blamed({"--meeting-max-sites", "10001"}), "meeting-max-sites");
}

TEST_F(ConfigLoaderTest, IceLiteIsOnByDefaultWithPort10000) {
  const ServerConfig defaults = load({});
  EXPECT_TRUE(defaults.mediaIceLite);
  EXPECT_EQ(defaults.mediaIceLitePort, 10000);
}

TEST_F(ConfigLoaderTest, IceLiteFromFlagEnvironmentAndFile) {
  const ServerConfig flag = load({"--media-ice-lite", "true", "--media-ice-lite-port", "41000"});
  EXPECT_TRUE(flag.mediaIceLite);
  EXPECT_EQ(flag.mediaIceLitePort, 41000);
  const ServerConfig env =
      load({}, {{"DIEMCAU_MEDIA_ICE_LITE", "true"}, {"DIEMCAU_MEDIA_ICE_LITE_PORT", "0"}});
  EXPECT_TRUE(env.mediaIceLite);
  EXPECT_EQ(env.mediaIceLitePort, 0);
  const auto file = writeFile("media-ice-lite = true\nmedia-ice-lite-port = 50000\nmedia-ports = 40000-40099\n");
  const ServerConfig fromFile = load({"--config", file.string()});
  EXPECT_TRUE(fromFile.mediaIceLite);
  EXPECT_EQ(fromFile.mediaIceLitePort, 50000);
  EXPECT_FALSE(load({"--media-ice-lite", "false"}).mediaIceLite);
}

TEST_F(ConfigLoaderTest, IceLitePortsMustFitAndStayOutOfMediaPorts) {
  EXPECT_EQ(blamed({"--media-ice-lite=maybe"}), "media-ice-lite");
  EXPECT_EQ(blamed({"--media-ice-lite"}), "media-ice-lite");  // a value is required, as for nack
  EXPECT_EQ(blamed({"--media-ice-lite-port", "65536"}), "media-ice-lite-port");
  EXPECT_EQ(blamed({"--media-ice-lite-port", "-1"}), "media-ice-lite-port");
  EXPECT_EQ(blamed({"--media-ice-lite-port", "80"}), "media-ice-lite-port");
  // Four workers (the loader's default here) need 65532..65535; 65533 leaves room for three.
  EXPECT_EQ(load({"--media-ice-lite", "true", "--media-ice-lite-port", "65532"}).mediaIceLitePort, 65532);
  EXPECT_EQ(blamed({"--media-ice-lite-port", "65533"}), "media-ice-lite-port");
  EXPECT_EQ(load({"--media-ice-lite", "true", "--media-ice-lite-port", "65535", "--workers", "1"}).mediaIceLitePort, 65535);

  // A lite port inside media-ports is an error only when lite mode is on, which then names both.
  EXPECT_EQ(load({"--media-ice-lite", "false", "--media-ice-lite-port", "40000"}).mediaIceLitePort, 40000);
  EXPECT_EQ(blamed({"--media-ice-lite", "true", "--media-ice-lite-port", "40000"}), "media-ice-lite-port");
  try {
    ConfigLoader(4).load({{"--media-ice-lite", "true", "--media-ice-lite-port", "39998"}, {}, {}});
    FAIL() << "39998-40001 overlaps 40000-40999";
  } catch (const ConfigError& error) {
    const std::string message = error.what();
    EXPECT_NE(message.find("40000-40999"), std::string::npos) << message;
    EXPECT_NE(message.find("39998-40001"), std::string::npos) << message;
  }
  EXPECT_EQ(load({"--media-ice-lite", "true", "--media-ice-lite-port", "39996"}).mediaIceLitePort, 39996);  // 39996-39999
  EXPECT_EQ(load({"--media-ice-lite", "true", "--media-ice-lite-port", "41000"}).mediaIceLitePort, 41000);
  EXPECT_EQ(load({"--media-ice-lite", "true", "--media-ice-lite-port", "0"}).mediaIceLitePort, 0);
}

TEST_F(ConfigLoaderTest, Version) {
  const LoadResult result = ConfigLoader(4).load({{"--version"}, {}, {}});
  ASSERT_EQ(result.action, LoadResult::Action::PrintVersion);
  EXPECT_EQ(result.text, "diemcau " + versionString() + "\n");
}

TEST_F(ConfigLoaderTest, UnknownOptionsAreNamed) {
  EXPECT_EQ(blamed({"--media-port", "1-2"}), "media-port");
  EXPECT_EQ(blamed({}, {{"DIEMCAU_MEDIA_PORT", "40000-40010"}}), "media-port");
  EXPECT_EQ(blamed({"--config", writeFile("lisen = 1.2.3.4:80\n").string()}), "lisen");
  EXPECT_EQ(blamed({"--config", writeFile("[server]\nlisten = 1.2.3.4:80\n").string()}), "server.listen");
}

TEST_F(ConfigLoaderTest, BadValuesAreNamed) {
  EXPECT_EQ(blamed({"--listen", "localhost:80"}), "listen");
  EXPECT_EQ(blamed({"--media-ports", "40999-40000"}), "media-ports");
  EXPECT_EQ(blamed({}, {{"DIEMCAU_WORKERS", "0"}}), "workers");
  EXPECT_EQ(blamed({"--workers", "257"}), "workers");
  EXPECT_EQ(blamed({"--log-level", "loud"}), "log-level");
  EXPECT_EQ(blamed({"--ws-max-message", "10"}), "ws-max-message");
  EXPECT_EQ(blamed({"--max-connections", "lots"}), "max-connections");
  EXPECT_EQ(blamed({"--media-addresses", "10.0.0.1,eth0"}), "media-addresses");
  EXPECT_EQ(blamed({"--media-announced-address", "example.org"}), "media-announced-address");
  EXPECT_EQ(blamed({"--public-url", "hall.example.vn"}), "public-url");
  EXPECT_EQ(blamed({"--tls-cert", "c.pem"}), "tls-key");
  EXPECT_EQ(blamed({"--tls-key", "k.pem"}), "tls-cert");
  EXPECT_EQ(blamed({"--tls-self-signed=perhaps"}), "tls-self-signed");
  EXPECT_EQ(blamed({"--listen", "1.2.3.4:80", "--listen", "1.2.3.4:81"}), "listen");
  EXPECT_EQ(blamed({"--workers"}), "workers");
}

TEST_F(ConfigLoaderTest, ErrorSaysWhereTheValueCameFrom) {
  try {
    ConfigLoader(4).load({{}, {{"DIEMCAU_MEDIA_PORTS", "9-8"}}, {}});
    FAIL() << "no error";
  } catch (const ConfigError& error) {
    EXPECT_NE(std::string(error.what()).find("DIEMCAU_MEDIA_PORTS"), std::string::npos) << error.what();
  }
}

TEST_F(ConfigLoaderTest, UnreadableFileNamesConfig) {
  EXPECT_EQ(blamed({"--config", (dir_ / "missing.conf").string()}), "config");
  EXPECT_EQ(blamed({"--config", writeFile("listen\n").string()}), "config");
}

TEST_F(ConfigLoaderTest, ShippedConfigFileParsesToDefaults) {
  const ServerConfig shipped = load({"--config", DIEMCAU_TEST_DATA "/../../config/diemcau.conf"});
  const ServerConfig defaults = load({});
  EXPECT_EQ(shipped.listen.toString(), defaults.listen.toString());
  EXPECT_EQ(shipped.mediaPorts.first, defaults.mediaPorts.first);
  EXPECT_EQ(shipped.wsMaxMessage, defaults.wsMaxMessage);
  EXPECT_EQ(shipped.mediaIceLite, defaults.mediaIceLite);
  EXPECT_EQ(shipped.mediaIceLitePort, defaults.mediaIceLitePort);
}

}  // namespace
}  // namespace diemcau::config
