// Arbitrary bytes through Beast's request parser with the server's limits (8 KiB header, 1 MiB body).
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <cstddef>
#include <cstdint>

#include "signaling/http/ServerContext.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  namespace http = boost::beast::http;
  const diemcau::signaling::http::ConnectionLimits limits;
  http::request_parser<http::string_body> parser;
  parser.header_limit(static_cast<std::uint32_t>(limits.headerLimit));
  parser.body_limit(limits.bodyLimit);
  parser.eager(true);
  boost::beast::error_code ec;
  // Feed in two pieces so the parser's resumption across reads is exercised too.
  const size_t split = size / 2;
  size_t used = parser.put(boost::asio::buffer(data, split), ec);
  if (!ec || ec == http::error::need_more) {
    ec = {};
    used += parser.put(boost::asio::buffer(data + used, size - used), ec);
  }
  if (parser.is_header_done()) {
    const auto& request = parser.get();
    (void)request.target();
    (void)request.method();
    if (request.body().size() > limits.bodyLimit) __builtin_trap();
  }
  return 0;
}
