#include "signaling/http/HttpTypes.hpp"

namespace diemcau::signaling::http {

Response makeResponse(const Request& request, beast_http::status status, std::string body,
                      std::string_view contentType) {
  Response response(status, request.version());
  response.set(beast_http::field::content_type, boost::beast::string_view(contentType.data(), contentType.size()));
  response.keep_alive(request.keep_alive());
  response.body() = std::move(body);
  response.prepare_payload();
  return response;
}

}  // namespace diemcau::signaling::http
