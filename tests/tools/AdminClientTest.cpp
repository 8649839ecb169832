// AdminClient's URL reading: the two schemes, default ports, IPv6 in brackets, and what it refuses.
#include "tools/diemcauctl/AdminClient.hpp"

#include <gtest/gtest.h>

namespace diemcau::tools::ctl {
namespace {

TEST(AdminClientTest, ReadsHttpAndHttpsUrls) {
  EXPECT_FALSE(AdminClient("http://127.0.0.1:8080", "k").tls());
  EXPECT_TRUE(AdminClient("https://hall.example.vn", "k").tls());
  EXPECT_TRUE(AdminClient("https://[::1]:8443/", "k").tls());
  EXPECT_TRUE(AdminClient("https://127.0.0.1:8443/api", "k", TlsOptions{"", true}).tls());
}

TEST(AdminClientTest, RefusesWhatIsNotAnHttpUrl) {
  EXPECT_THROW(AdminClient("ftp://127.0.0.1", "k"), TransportError);
  EXPECT_THROW(AdminClient("127.0.0.1:8080", "k"), TransportError);
  EXPECT_THROW(AdminClient("https://", "k"), TransportError);
  EXPECT_THROW(AdminClient("https://host:80a", "k"), TransportError);
  EXPECT_THROW(AdminClient("https://[::1:8443", "k"), TransportError);
}

TEST(AdminClientTest, AnUnreachableServerIsATransportErrorNamingIt) {
  // Nothing listens on port 9 of loopback (discard): the connection is refused before any TLS.
  AdminClient client("https://127.0.0.1:9", "k");
  try {
    client.request("GET", "status");
    FAIL() << "no server, no answer";
  } catch (const TransportError& e) {
    EXPECT_NE(std::string(e.what()).find("127.0.0.1:9"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace diemcau::tools::ctl
