// Streamed responses: a route whose body is pulled from a ByteSource while the socket takes it.
#include <gtest/gtest.h>

#include <boost/beast/core.hpp>
#include <thread>

#include "signaling/http/HttpServer.hpp"

namespace diemcau::signaling::http {
namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
using tcp = asio::ip::tcp;

/// `size` bytes of a position-dependent pattern; fails once `failAt` bytes were produced.
class PatternSource final : public ByteSource {
 public:
  PatternSource(uint64_t size, uint64_t failAt = UINT64_MAX) : size_(size), failAt_(failAt) {}
  uint64_t size() const override { return size_; }
  bool read(std::span<char> out, std::size_t& produced) override {
    if (position_ >= failAt_) return false;
    produced = static_cast<size_t>(std::min<uint64_t>(out.size(), size_ - position_));
    for (size_t i = 0; i < produced; ++i) out[i] = byteAt(position_ + i);
    position_ += produced;
    return true;
  }
  static char byteAt(uint64_t i) { return static_cast<char>((i * 2654435761u) >> 13); }

 private:
  uint64_t size_;
  uint64_t failAt_;
  uint64_t position_ = 0;
};

class StreamRouteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    HttpServerOptions options;
    options.address = "127.0.0.1";
    options.port = 0;
    server_ = std::make_unique<HttpServer>(io_, options, dispatcher_);
    server_->addStreamRoute(beast_http::verb::get, "/big", [](const Request& request) -> RoutedResponse {
      const std::string_view target(request.target().data(), request.target().size());
      if (target == "/big/missing") {
        return makeResponse(request, beast_http::status::not_found, "{}\n", "application/json");
      }
      StreamResponse response{beast_http::status::ok, request.version()};
      response.keep_alive(request.keep_alive());
      response.set(beast_http::field::content_type, "application/octet-stream");
      response.body() = std::make_shared<PatternSource>(kSize, target == "/big/broken" ? 100 * 1024 : UINT64_MAX);
      response.prepare_payload();
      return response;
    });
    server_->addRoute(beast_http::verb::get, "/small", [](const Request& request) {
      return makeResponse(request, beast_http::status::ok, "small\n", "text/plain");
    });
    server_->start();
    port_ = server_->localEndpoint().port();
    thread_ = std::thread([this] { io_.run(); });
  }
  void TearDown() override {
    asio::post(io_, [this] { server_->stop(); });
    thread_.join();
  }

  static constexpr uint64_t kSize = 3 * 1024 * 1024 + 123;  // many pieces and a short last one

  asio::io_context io_;
  protocol::Dispatcher dispatcher_;
  std::unique_ptr<HttpServer> server_;
  std::thread thread_;
  uint16_t port_ = 0;
};

TEST_F(StreamRouteTest, BodyArrivesWholeWithItsLengthAndTheConnectionStaysUsable) {
  asio::io_context io;
  beast::tcp_stream stream(io);
  stream.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_));
  beast::flat_buffer buffer;
  for (const char* target : {"/big/file", "/small", "/big/missing"}) {
    Request request(beast_http::verb::get, target, 11);
    request.set(beast_http::field::host, "127.0.0.1");
    beast_http::write(stream, request);
    beast_http::response_parser<beast_http::string_body> parser;
    parser.body_limit(16 * 1024 * 1024);
    beast_http::read(stream, buffer, parser);
    const auto& response = parser.get();
    if (std::string_view(target) == "/big/file") {
      ASSERT_EQ(response.result(), beast_http::status::ok);
      EXPECT_EQ(response[beast_http::field::content_length], std::to_string(kSize));
      EXPECT_EQ(response[beast_http::field::server], "diemcau") << "security headers on streamed responses too";
      ASSERT_EQ(response.body().size(), kSize);
      size_t wrong = 0;
      for (uint64_t i = 0; i < kSize; ++i) wrong += response.body()[i] != PatternSource::byteAt(i);
      EXPECT_EQ(wrong, 0u);
    } else if (std::string_view(target) == "/small") {
      EXPECT_EQ(response.body(), "small\n");
    } else {
      EXPECT_EQ(response.result(), beast_http::status::not_found) << "a stream route may answer plainly";
    }
  }
}

TEST_F(StreamRouteTest, ASourceThatFailsCutsTheResponseShortAndTheServerCarriesOn) {
  {
    asio::io_context io;
    beast::tcp_stream stream(io);
    stream.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_));
    Request request(beast_http::verb::get, "/big/broken", 11);
    request.set(beast_http::field::host, "127.0.0.1");
    beast_http::write(stream, request);
    beast::flat_buffer buffer;
    beast_http::response_parser<beast_http::string_body> parser;
    parser.body_limit(16 * 1024 * 1024);
    beast::error_code ec;
    beast_http::read(stream, buffer, parser, ec);
    EXPECT_EQ(ec, beast_http::error::partial_message) << ec.message();
  }
  asio::io_context io;
  beast::tcp_stream stream(io);
  stream.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_));
  Request request(beast_http::verb::get, "/small", 11);
  request.set(beast_http::field::host, "127.0.0.1");
  beast_http::write(stream, request);
  beast::flat_buffer buffer;
  Response response;
  beast_http::read(stream, buffer, response);
  EXPECT_EQ(response.body(), "small\n");
}

}  // namespace
}  // namespace diemcau::signaling::http
