#include "signaling/protocol/Request.hpp"

#include <gtest/gtest.h>

#include "signaling/protocol/ProtocolError.hpp"

namespace diemcau::signaling::protocol {
namespace {

std::string failure(const std::function<void()>& call) {
  try {
    call();
  } catch (const ProtocolError& error) {
    EXPECT_EQ(error.code(), ErrorCode::BadRequest);
    return error.what();
  }
  return "<no error>";
}

TEST(Request, TypedFields) {
  const auto body = nlohmann::json::parse(
      R"({"type":"x","id":1,"sdp":"v=0","n":-3,"big":18446744073709551615,"flag":true,"o":{},"a":[],"nil":null})");
  const Request request{"x", 1, body};
  EXPECT_EQ(request.requireString("sdp"), "v=0");
  EXPECT_EQ(request.requireInteger("n"), -3);
  EXPECT_TRUE(request.requireBool("flag"));
  EXPECT_TRUE(request.requireObject("o").is_object());
  EXPECT_TRUE(request.requireArray("a").is_array());
  EXPECT_FALSE(request.optionalString("absent"));
  EXPECT_FALSE(request.optionalString("nil"));
  EXPECT_EQ(failure([&] { request.requireString("absent"); }), "field 'absent' is required");
  EXPECT_EQ(failure([&] { request.requireString("n"); }), "field 'n' must be a string");
  EXPECT_EQ(failure([&] { request.requireInteger("sdp"); }), "field 'sdp' must be an integer");
  EXPECT_EQ(failure([&] { request.requireInteger("big"); }), "field 'big' must be an integer");
  EXPECT_EQ(failure([&] { request.requireBool("n"); }), "field 'n' must be true or false");
  EXPECT_EQ(failure([&] { request.requireObject("a"); }), "field 'a' must be an object");
  EXPECT_EQ(failure([&] { request.requireArray("o"); }), "field 'o' must be an array");
}

}  // namespace
}  // namespace diemcau::signaling::protocol
