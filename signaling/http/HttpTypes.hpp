#pragma once

#include <boost/beast/http.hpp>
#include <functional>

namespace diemcau::signaling::http {

namespace beast_http = boost::beast::http;

using Request = beast_http::request<beast_http::string_body>;
using Response = beast_http::response<beast_http::string_body>;

/// A route handler. Runs on the signaling thread; an exception becomes a 500 response.
using HttpHandler = std::function<Response(const Request&)>;

/// A JSON or plain-text response with the request's version and keep-alive.
Response makeResponse(const Request& request, beast_http::status status, std::string body,
                      std::string_view contentType);

}  // namespace diemcau::signaling::http
