#include "signaling/protocol/Dispatcher.hpp"

#include <gtest/gtest.h>

#include "signaling/protocol/Messages.hpp"
#include "signaling/protocol/ProtocolError.hpp"
#include "tests/signaling/protocol/RecordingConnection.hpp"

namespace diemcau::signaling::protocol {
namespace {

class EchoTextService final : public Service {
 public:
  std::vector<std::string> types() const override { return {"say", "later", "explode", "refuse"}; }
  std::optional<nlohmann::json> handle(Connection& connection, const Request& request) override {
    if (request.type == "later") {
      pending = &connection;
      pendingId = request.id;
      return std::nullopt;
    }
    if (request.type == "explode") throw std::runtime_error("database is locked");
    if (request.type == "refuse") throw ProtocolError(ErrorCode::NotAllowed, "join the meeting first");
    return nlohmann::json{{"said", request.requireString("text")}, {"ok", false}};
  }
  void onClose(Connection& connection) override {
    if (pending == &connection) pending = nullptr;
    ++closes;
  }
  Connection* pending = nullptr;
  nlohmann::json pendingId;
  int closes = 0;
};

class DispatcherTest : public ::testing::Test {
 protected:
  DispatcherTest() : service_(std::make_shared<EchoTextService>()) { dispatcher_.registerService(service_); }

  nlohmann::json send(std::string_view text) {
    const std::size_t before = connection_.sent.size();
    dispatcher_.onMessage(connection_, text);
    EXPECT_EQ(connection_.sent.size(), before + 1) << text;
    return connection_.sent.empty() ? nlohmann::json() : connection_.sent.back();
  }

  static std::string code(const nlohmann::json& reply) { return reply["error"]["code"].get<std::string>(); }

  Dispatcher dispatcher_;
  std::shared_ptr<EchoTextService> service_;
  RecordingConnection connection_;
};

TEST_F(DispatcherTest, PingReplies) {
  const auto reply = send(R"({"type":"ping","id":1})");
  EXPECT_EQ(reply, nlohmann::json::parse(R"({"type":"reply","id":1,"ok":true,"pong":true})"));
}

TEST_F(DispatcherTest, StringIdIsEchoedAndEnvelopeWins) {
  const auto reply = send(R"({"type":"say","id":"a-1","text":"xin chao"})");
  EXPECT_EQ(reply["id"], "a-1");
  EXPECT_EQ(reply["ok"], true);  // the service's "ok":false cannot override the envelope
  EXPECT_EQ(reply["said"], "xin chao");
}

TEST_F(DispatcherTest, MalformedJson) {
  const auto reply = send(R"({"type":"ping","id":1)");
  EXPECT_EQ(code(reply), "bad_json");
  EXPECT_TRUE(reply["id"].is_null());
  EXPECT_EQ(reply["ok"], false);
  EXPECT_EQ(send(R"({"type":"ping","id":2})")["pong"], true);
}

TEST_F(DispatcherTest, NonObjectJson) {
  EXPECT_EQ(code(send("[1,2,3]")), "bad_json");
  EXPECT_EQ(code(send("\"ping\"")), "bad_json");
  EXPECT_EQ(code(send("")), "bad_json");
}

TEST_F(DispatcherTest, DeepNestingRefused) {
  const std::string deep = R"({"type":"ping","id":1,"x":)" + std::string(5000, '[') + std::string(5000, ']') + "}";
  EXPECT_EQ(code(send(deep)), "bad_json");
}

TEST_F(DispatcherTest, MissingTypeKeepsId) {
  const auto reply = send(R"({"id":5})");
  EXPECT_EQ(code(reply), "bad_request");
  EXPECT_EQ(reply["id"], 5);
  EXPECT_NE(reply["error"]["message"].get<std::string>().find("'type'"), std::string::npos);
  EXPECT_EQ(code(send(R"({"type":3,"id":5})")), "bad_request");
}

TEST_F(DispatcherTest, MissingOrBadId) {
  auto reply = send(R"({"type":"ping"})");
  EXPECT_EQ(code(reply), "bad_request");
  EXPECT_NE(reply["error"]["message"].get<std::string>().find("'id'"), std::string::npos);
  reply = send(R"({"type":"ping","id":1.5})");
  EXPECT_EQ(code(reply), "bad_request");
  EXPECT_TRUE(reply["id"].is_null());
}

TEST_F(DispatcherTest, UnknownType) {
  const auto reply = send(R"({"type":"teleport","id":9})");
  EXPECT_EQ(code(reply), "unknown_type");
  EXPECT_EQ(reply["id"], 9);
}

TEST_F(DispatcherTest, FieldErrorsNameTheField) {
  const auto reply = send(R"({"type":"say","id":3,"text":42})");
  EXPECT_EQ(code(reply), "bad_request");
  EXPECT_EQ(reply["error"]["message"], "field 'text' must be a string");
}

TEST_F(DispatcherTest, ProtocolErrorFromService) {
  const auto reply = send(R"({"type":"refuse","id":3})");
  EXPECT_EQ(code(reply), "not_allowed");
  EXPECT_EQ(reply["error"]["message"], "join the meeting first");
}

TEST_F(DispatcherTest, OtherExceptionsBecomeInternalWithoutDetails) {
  const auto reply = send(R"({"type":"explode","id":4})");
  EXPECT_EQ(code(reply), "internal");
  EXPECT_EQ(reply["error"]["message"].get<std::string>().find("database"), std::string::npos);
  EXPECT_EQ(send(R"({"type":"ping","id":5})")["ok"], true);
}

TEST_F(DispatcherTest, DeferredReplyAndClose) {
  dispatcher_.onMessage(connection_, R"({"type":"later","id":"x"})");
  EXPECT_TRUE(connection_.sent.empty());
  ASSERT_EQ(service_->pending, &connection_);
  service_->pending->send(makeReply(service_->pendingId, {{"done", true}}));
  ASSERT_EQ(connection_.sent.size(), 1u);
  EXPECT_EQ(connection_.sent.back()["id"], "x");
  dispatcher_.onClose(connection_);
  EXPECT_EQ(service_->pending, nullptr);
  EXPECT_EQ(service_->closes, 1);
}

TEST_F(DispatcherTest, DuplicateTypeRejected) {
  EXPECT_THROW(dispatcher_.registerService(std::make_shared<EchoTextService>()), std::logic_error);
}

TEST(Messages, EventHasNoId) {
  const auto event = makeEvent("floor", {{"site", "xa-1"}, {"type", "spoofed"}});
  EXPECT_EQ(event["type"], "floor");
  EXPECT_FALSE(event.contains("id"));
  EXPECT_EQ(event["site"], "xa-1");
}

}  // namespace
}  // namespace diemcau::signaling::protocol
