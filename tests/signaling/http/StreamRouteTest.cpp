// Streamed responses: a route whose body is pulled from a ByteSource while the socket takes it.
#include <gtest/gtest.h>

#include <boost/beast/core.hpp>
#include <condition_variable>
#include <functional>
#include <mutex>
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

/// A source whose bytes are not there yet (a disk read still running on another thread): available()
/// is false until the test opens it; read() before that blocks, as a synchronous disk read would.
class GatedSource final : public ByteSource {
 public:
  explicit GatedSource(uint64_t size) : pattern_(size) {}
  uint64_t size() const override { return pattern_.size(); }
  bool read(std::span<char> out, std::size_t& produced) override {
    std::unique_lock lock(mutex_);
    opened_.wait(lock, [this] { return open_; });
    return pattern_.read(out, produced);
  }
  bool available() const override {
    std::lock_guard lock(mutex_);
    return open_;
  }
  void notifyWhenAvailable(std::function<void()> ready) override {
    std::unique_lock lock(mutex_);
    if (!open_) {
      waiter_ = std::move(ready);
      return;
    }
    lock.unlock();
    ready();
  }
  /// From the test's thread, like a worker thread finishing its read.
  void open() {
    std::function<void()> waiter;
    {
      std::lock_guard lock(mutex_);
      open_ = true;
      waiter = std::move(waiter_);
    }
    opened_.notify_all();
    if (waiter) waiter();
  }

 private:
  PatternSource pattern_;
  mutable std::mutex mutex_;
  std::condition_variable opened_;
  bool open_ = false;
  std::function<void()> waiter_;
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
    server_->addStreamRoute(beast_http::verb::get, "/gated", [this](const Request& request) -> RoutedResponse {
      StreamResponse response{beast_http::status::ok, request.version()};
      response.keep_alive(request.keep_alive());
      response.body() = gated_;
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
    gated_->open();  // never leave the server's thread waiting in it
    asio::post(io_, [this] { server_->stop(); });
    thread_.join();
  }

  static constexpr uint64_t kSize = 3 * 1024 * 1024 + 123;  // many pieces and a short last one

  std::shared_ptr<GatedSource> gated_ = std::make_shared<GatedSource>(300 * 1024 + 7);
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

TEST_F(StreamRouteTest, ASourceWithNothingYetParksTheResponseWithoutHoldingTheServer) {
  asio::io_context io;
  beast::tcp_stream waiting(io);
  waiting.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_));
  Request request(beast_http::verb::get, "/gated", 11);
  request.set(beast_http::field::host, "127.0.0.1");
  beast_http::write(waiting, request);
  beast::flat_buffer buffer;
  beast_http::response_parser<beast_http::string_body> parser;
  parser.body_limit(16 * 1024 * 1024);
  waiting.expires_after(std::chrono::seconds(5));
  beast_http::read_header(waiting, buffer, parser);  // the headers go out before any body byte exists
  EXPECT_EQ(parser.get()[beast_http::field::content_length], std::to_string(gated_->size()));

  // Meanwhile the server answers others: its thread is not stuck in the source's read().
  {
    beast::tcp_stream other(io);
    other.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port_));
    Request small(beast_http::verb::get, "/small", 11);
    small.set(beast_http::field::host, "127.0.0.1");
    beast_http::write(other, small);
    beast::flat_buffer otherBuffer;
    Response response;
    other.expires_after(std::chrono::seconds(3));
    beast::error_code ec;
    beast_http::read(other, otherBuffer, response, ec);
    EXPECT_FALSE(ec) << "the server stalled behind a source with nothing to give: " << ec.message();
    EXPECT_EQ(response.body(), "small\n");
  }

  gated_->open();  // the source calls back; the response goes on from where it was parked
  waiting.expires_after(std::chrono::seconds(5));
  beast_http::read(waiting, buffer, parser);
  ASSERT_TRUE(parser.is_done());
  const std::string& body = parser.get().body();
  ASSERT_EQ(body.size(), gated_->size());
  size_t wrong = 0;
  for (uint64_t i = 0; i < body.size(); ++i) wrong += body[i] != PatternSource::byteAt(i);
  EXPECT_EQ(wrong, 0u);
}

}  // namespace
}  // namespace diemcau::signaling::http
