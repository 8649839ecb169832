#include "signaling/http/Router.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <nlohmann/json.hpp>

namespace diemcau::signaling::http {

namespace {

bool matchesPrefix(std::string_view path, std::string_view prefix) {
  if (!path.starts_with(prefix)) return false;
  return path.size() == prefix.size() || prefix.ends_with('/') || path[prefix.size()] == '/';
}

Response textResponse(const Request& request, beast_http::status status, std::string_view text) {
  return makeResponse(request, status, std::string(text) + "\n", "text/plain; charset=utf-8");
}

}  // namespace

Router::Router(std::filesystem::path staticDir) : staticFiles_(std::move(staticDir)) {}

void Router::addRoute(beast_http::verb method, std::string pathPrefix, HttpHandler handler) {
  routes_.push_back({method, std::move(pathPrefix), std::move(handler)});
  std::stable_sort(routes_.begin(), routes_.end(),
                   [](const Route& a, const Route& b) { return a.prefix.size() > b.prefix.size(); });
}

void Router::addStreamRoute(beast_http::verb method, std::string pathPrefix, StreamHandler handler) {
  streamRoutes_.push_back({method, std::move(pathPrefix), std::move(handler)});
  std::stable_sort(streamRoutes_.begin(), streamRoutes_.end(),
                   [](const StreamRoute& a, const StreamRoute& b) { return a.prefix.size() > b.prefix.size(); });
}

RoutedResponse Router::route(const Request& request) const {
  const std::string_view path = pathOf(std::string_view(request.target().data(), request.target().size()));
  for (const auto& streamRoute : streamRoutes_) {
    if (streamRoute.method != request.method() || !matchesPrefix(path, streamRoute.prefix)) continue;
    try {
      return streamRoute.handler(request);
    } catch (const std::exception& error) {
      spdlog::error("http {} {}: handler failed: {}", std::string(request.method_string()), path, error.what());
      return textResponse(request, beast_http::status::internal_server_error, "internal error");
    }
  }
  return handle(request);
}

std::string_view Router::pathOf(std::string_view target) {
  return target.substr(0, target.find_first_of("?#"));
}

Response Router::handle(const Request& request) const {
  const std::string_view path = pathOf(std::string_view(request.target().data(), request.target().size()));
  if (path.empty() || path.front() != '/') return textResponse(request, beast_http::status::bad_request, "bad target");

  bool pathKnown = false;
  for (const auto& route : routes_) {
    if (!matchesPrefix(path, route.prefix)) continue;
    pathKnown = true;
    if (route.method != request.method()) continue;
    try {
      return route.handler(request);
    } catch (const std::exception& error) {
      spdlog::error("http {} {}: handler failed: {}", std::string(request.method_string()), path, error.what());
      return textResponse(request, beast_http::status::internal_server_error, "internal error");
    }
  }
  if (pathKnown) return textResponse(request, beast_http::status::method_not_allowed, "method not allowed");

  const bool readOnly = request.method() == beast_http::verb::get || request.method() == beast_http::verb::head;
  if (path == "/healthz" && readOnly) {
    nlohmann::json health = {{"status", "ok"}};
    if (connectionCount_) health["connections"] = connectionCount_();
    Response response = makeResponse(request, beast_http::status::ok, health.dump() + "\n", "application/json");
    response.set(beast_http::field::cache_control, "no-store");
    return response;
  }
  if (path == "/ws") return textResponse(request, beast_http::status::upgrade_required, "WebSocket upgrade required");
  if (matchesPrefix(path, "/join")) return staticFiles_.serve(request, "/index.html");
  return staticFiles_.serve(request, path);
}

}  // namespace diemcau::signaling::http
