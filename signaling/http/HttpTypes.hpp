#pragma once

#include <boost/beast/http.hpp>
#include <functional>
#include <variant>

#include "signaling/http/SourceBody.hpp"

namespace diemcau::signaling::http {

namespace beast_http = boost::beast::http;

using Request = beast_http::request<beast_http::string_body>;
using Response = beast_http::response<beast_http::string_body>;

/// A route handler. Runs on the signaling thread; an exception becomes a 500 response.
using HttpHandler = std::function<Response(const Request&)>;

/// A response whose body is pulled from a ByteSource while it is written (large downloads).
using StreamResponse = beast_http::response<SourceBody>;
using RoutedResponse = std::variant<Response, StreamResponse>;
/// A route handler that may answer with a streamed body; same rules as HttpHandler.
using StreamHandler = std::function<RoutedResponse(const Request&)>;

/// A JSON or plain-text response with the request's version and keep-alive.
Response makeResponse(const Request& request, beast_http::status status, std::string body,
                      std::string_view contentType);

}  // namespace diemcau::signaling::http
