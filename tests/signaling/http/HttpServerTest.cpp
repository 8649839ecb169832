#include "signaling/http/HttpServer.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <fstream>
#include <future>
#include <thread>

#include "signaling/http/TlsContext.hpp"
#include "signaling/protocol/Service.hpp"
#include "signaling/protocol/SharedMessage.hpp"

namespace diemcau::signaling::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;

// A real server on 127.0.0.1:0, its io_context on a thread of its own; the test is the client.
class HttpServerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("diemcau-http-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_ / "web");
    std::ofstream(dir_ / "web" / "index.html") << "<!doctype html><title>Diemcau</title>";
    std::ofstream(dir_ / "web" / "app.js") << "console.log(1)";
    std::ofstream(dir_ / "secret.txt") << "secret";
  }
  void TearDown() override {
    if (server_) {
      asio::post(io_, [this] { server_->stop(); });
      thread_.join();
      server_.reset();
    }
    std::filesystem::remove_all(dir_);
  }

  void startServer(std::shared_ptr<asio::ssl::context> tls = nullptr) {
    HttpServerOptions options;
    options.address = "127.0.0.1";
    options.port = 0;
    options.staticDir = dir_ / "web";
    options.limits.wsMaxMessage = 4096;
    options.limits.bodyLimit = 1024;
    options.tls = std::move(tls);
    server_ = std::make_unique<HttpServer>(io_, options, dispatcher_);
    server_->addRoute(beast_http::verb::post, "/api/v1", [](const Request& request) {
      return makeResponse(request, beast_http::status::ok, "{\"got\":" + std::to_string(request.body().size()) + "}",
                          "application/json");
    });
    server_->start();
    port_ = server_->localEndpoint().port();
    thread_ = std::thread([this] { io_.run(); });
  }

  Response request(beast_http::verb method, const std::string& target, std::string body = {},
                   const std::string& extraHeader = {}) {
    asio::io_context io;
    beast::tcp_stream stream(io);
    stream.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_));
    Request req(method, target, 11);
    req.set(beast_http::field::host, "127.0.0.1");
    if (!extraHeader.empty()) req.set("X-Padding", extraHeader);
    req.body() = std::move(body);
    req.prepare_payload();
    beast_http::write(stream, req);
    beast::flat_buffer buffer;
    beast_http::response_parser<beast_http::string_body> parser;
    parser.skip(method == beast_http::verb::head);
    beast_http::read(stream, buffer, parser);
    return parser.release();
  }

  std::unique_ptr<websocket::stream<beast::tcp_stream>> openWs(asio::io_context& io) {
    auto ws = std::make_unique<websocket::stream<beast::tcp_stream>>(io);
    beast::get_lowest_layer(*ws).connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_));
    ws->handshake("127.0.0.1", "/ws");
    return ws;
  }

  static nlohmann::json exchange(websocket::stream<beast::tcp_stream>& ws, const std::string& text) {
    ws.text(true);
    ws.write(asio::buffer(text));
    beast::flat_buffer buffer;
    ws.read(buffer);
    return nlohmann::json::parse(beast::buffers_to_string(buffer.data()));
  }

  std::filesystem::path dir_;
  asio::io_context io_;
  protocol::Dispatcher dispatcher_;
  std::unique_ptr<HttpServer> server_;
  std::thread thread_;
  uint16_t port_ = 0;
};

TEST_F(HttpServerTest, Healthz) {
  startServer();
  const Response response = request(beast_http::verb::get, "/healthz");
  EXPECT_EQ(response.result(), beast_http::status::ok);
  EXPECT_EQ(nlohmann::json::parse(response.body())["status"], "ok");
  EXPECT_EQ(response["X-Content-Type-Options"], "nosniff");
  EXPECT_EQ(response["X-Frame-Options"], "DENY");
  EXPECT_FALSE(response["Content-Security-Policy"].empty());
}

TEST_F(HttpServerTest, StaticFilesWithMimeAndCaching) {
  startServer();
  Response response = request(beast_http::verb::get, "/");
  EXPECT_EQ(response.result(), beast_http::status::ok);
  EXPECT_EQ(response[beast_http::field::content_type], "text/html; charset=utf-8");
  EXPECT_EQ(response[beast_http::field::cache_control], "no-cache");
  EXPECT_NE(response.body().find("Diemcau"), std::string::npos);
  response = request(beast_http::verb::get, "/app.js?v=3");
  EXPECT_EQ(response[beast_http::field::content_type], "text/javascript; charset=utf-8");
  EXPECT_EQ(response.body(), "console.log(1)");
  response = request(beast_http::verb::get, "/join/abc");
  EXPECT_EQ(response.result(), beast_http::status::ok);
  EXPECT_NE(response.body().find("Diemcau"), std::string::npos);
}

TEST_F(HttpServerTest, HeadHasLengthButNoBody) {
  startServer();
  const Response response = request(beast_http::verb::head, "/app.js");
  EXPECT_EQ(response.result(), beast_http::status::ok);
  EXPECT_EQ(response[beast_http::field::content_length], "14");
  EXPECT_TRUE(response.body().empty());
}

TEST_F(HttpServerTest, TraversalAndMissingAre404) {
  startServer();
  EXPECT_EQ(request(beast_http::verb::get, "/../secret.txt").result(), beast_http::status::not_found);
  EXPECT_EQ(request(beast_http::verb::get, "/%2e%2e/secret.txt").result(), beast_http::status::not_found);
  EXPECT_EQ(request(beast_http::verb::get, "/nothing.css").result(), beast_http::status::not_found);
  EXPECT_EQ(request(beast_http::verb::delete_, "/app.js").result(), beast_http::status::method_not_allowed);
  EXPECT_EQ(request(beast_http::verb::get, "/ws").result(), beast_http::status::upgrade_required);
}

TEST_F(HttpServerTest, OversizeHeaderAndBody) {
  startServer();
  EXPECT_EQ(request(beast_http::verb::get, "/", {}, std::string(9000, 'a')).result(),
            beast_http::status::request_header_fields_too_large);
  EXPECT_EQ(request(beast_http::verb::post, "/api/v1/sites", std::string(2000, 'b')).result(),
            beast_http::status::payload_too_large);
  const Response ok = request(beast_http::verb::post, "/api/v1/sites", std::string(1000, 'b'));
  EXPECT_EQ(ok.result(), beast_http::status::ok);
  EXPECT_EQ(ok.body(), "{\"got\":1000}");
  EXPECT_EQ(request(beast_http::verb::get, "/api/v1/sites").result(), beast_http::status::method_not_allowed);
}

TEST_F(HttpServerTest, WebSocketPingAndErrorsKeepConnection) {
  startServer();
  asio::io_context io;
  auto ws = openWs(io);
  EXPECT_EQ(exchange(*ws, R"({"type":"ping","id":1})"),
            nlohmann::json::parse(R"({"type":"reply","id":1,"ok":true,"pong":true})"));
  auto reply = exchange(*ws, "{not json");
  EXPECT_EQ(reply["error"]["code"], "bad_json");
  EXPECT_EQ(exchange(*ws, R"({"type":"ping","id":2})")["pong"], true);
  reply = exchange(*ws, R"({"type":"fly","id":"q"})");
  EXPECT_EQ(reply["error"]["code"], "unknown_type");
  EXPECT_EQ(reply["id"], "q");
  reply = exchange(*ws, R"({"type":"ping"})");
  EXPECT_EQ(reply["error"]["code"], "bad_request");
  EXPECT_EQ(exchange(*ws, R"({"type":"ping","id":3})")["id"], 3);
  ws->close(websocket::close_code::normal);
}

// "hello" registers the connection; "shout" sends one shared message to every registered one.
class BroadcastService final : public protocol::Service {
 public:
  std::vector<std::string> types() const override { return {"hello", "shout"}; }
  std::optional<nlohmann::json> handle(protocol::Connection& connection, const protocol::Request& request) override {
    if (request.type == "hello") {
      connections_.push_back(&connection);
    } else {
      const protocol::SharedMessage message({{"type", "heard"}, {"text", "xin chào \xff"}});
      for (auto* c : connections_) c->sendShared(message);
    }
    return nlohmann::json::object();
  }
  void onClose(protocol::Connection& connection) override { std::erase(connections_, &connection); }

 private:
  std::vector<protocol::Connection*> connections_;
};

TEST_F(HttpServerTest, ASharedMessageReachesEveryConnectionAlike) {
  dispatcher_.registerService(std::make_shared<BroadcastService>());
  startServer();
  asio::io_context io;
  auto first = openWs(io);
  auto second = openWs(io);
  EXPECT_EQ(exchange(*first, R"({"type":"hello","id":1})")["ok"], true);
  EXPECT_EQ(exchange(*second, R"({"type":"hello","id":2})")["ok"], true);
  const auto readText = [](websocket::stream<beast::tcp_stream>& ws) {
    beast::flat_buffer buffer;
    ws.read(buffer);
    return beast::buffers_to_string(buffer.data());
  };
  first->write(asio::buffer(std::string(R"({"type":"shout","id":3})")));
  const std::string toFirst = readText(*first);  // queued before the reply
  EXPECT_EQ(nlohmann::json::parse(readText(*first))["id"], 3);
  const std::string toSecond = readText(*second);
  EXPECT_EQ(toFirst, toSecond);
  const auto event = nlohmann::json::parse(toSecond);
  EXPECT_EQ(event["type"], "heard");
  EXPECT_EQ(event["text"], "xin chào \ufffd");  // invalid UTF-8 replaced, as send() does
}

TEST_F(HttpServerTest, OversizedMessageClosesOnlyThatConnection) {
  startServer();
  asio::io_context io;
  auto big = openWs(io);
  auto other = openWs(io);
  big->text(true);
  const std::string huge = R"({"type":"ping","id":1,"pad":")" + std::string(5000, 'x') + "\"}";
  big->write(asio::buffer(huge));
  beast::flat_buffer buffer;
  beast::error_code ec;
  big->read(buffer, ec);
  EXPECT_EQ(ec, websocket::error::closed);
  EXPECT_EQ(big->reason().code, websocket::close_code::too_big);
  EXPECT_EQ(exchange(*other, R"({"type":"ping","id":9})")["pong"], true);
}

TEST_F(HttpServerTest, HttpsAndWssWithSelfSignedCertificate) {
  const CertificateFiles files = ensureSelfSignedCertificate(dir_);
  EXPECT_EQ(std::filesystem::status(files.privateKey).permissions() & std::filesystem::perms::group_read,
            std::filesystem::perms::none);
  startServer(makeServerTlsContext(files));

  asio::io_context io;
  asio::ssl::context clientTls(asio::ssl::context::tls_client);
  clientTls.set_verify_mode(asio::ssl::verify_none);
  beast::ssl_stream<beast::tcp_stream> stream(io, clientTls);
  beast::get_lowest_layer(stream).connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_));
  stream.handshake(asio::ssl::stream_base::client);
  Request req(beast_http::verb::get, "/healthz", 11);
  req.set(beast_http::field::host, "127.0.0.1");
  beast_http::write(stream, req);
  beast::flat_buffer buffer;
  Response response;
  beast_http::read(stream, buffer, response);
  EXPECT_EQ(response.result(), beast_http::status::ok);
  EXPECT_FALSE(response[beast_http::field::strict_transport_security].empty());

  websocket::stream<beast::ssl_stream<beast::tcp_stream>> ws(io, clientTls);
  beast::get_lowest_layer(ws).connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_));
  ws.next_layer().handshake(asio::ssl::stream_base::client);
  ws.handshake("127.0.0.1", "/ws");
  ws.text(true);
  ws.write(asio::buffer(std::string(R"({"type":"ping","id":"s"})")));
  beast::flat_buffer wsBuffer;
  ws.read(wsBuffer);
  EXPECT_EQ(nlohmann::json::parse(beast::buffers_to_string(wsBuffer.data()))["pong"], true);
}

TEST_F(HttpServerTest, StopClosesWebSockets) {
  startServer();
  asio::io_context io;
  auto ws = openWs(io);
  EXPECT_EQ(exchange(*ws, R"({"type":"ping","id":1})")["ok"], true);
  asio::post(io_, [this] { server_->stop(); });
  beast::flat_buffer buffer;
  beast::error_code ec;
  ws->read(buffer, ec);
  EXPECT_EQ(ec, websocket::error::closed);
  EXPECT_EQ(ws->reason().reason, "server shutting down");
}

}  // namespace
}  // namespace diemcau::signaling::http
