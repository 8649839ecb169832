#pragma once

#include <functional>
#include <string>
#include <vector>

#include "signaling/http/HttpTypes.hpp"
#include "signaling/http/StaticFiles.hpp"

namespace diemcau::signaling::http {

/// Maps a request to a response: registered routes (longest prefix first), /healthz, /ws without an
/// upgrade (426), /join (the client page; the token travels in the URL fragment, never to the
/// server), then static files. Signaling thread only.
class Router {
 public:
  explicit Router(std::filesystem::path staticDir);

  /// Reported by /healthz.
  void setConnectionCount(std::function<std::size_t()> connectionCount) { connectionCount_ = std::move(connectionCount); }

  /// `pathPrefix` matches itself and anything below it ("/api/v1" matches "/api/v1/sites").
  void addRoute(beast_http::verb method, std::string pathPrefix, HttpHandler handler);

  /// A route that may stream its body; matched before the routes of addRoute (longest prefix first).
  void addStreamRoute(beast_http::verb method, std::string pathPrefix, StreamHandler handler);

  Response handle(const Request& request) const;
  /// handle(), except that a stream route answers first when one matches.
  RoutedResponse route(const Request& request) const;

  /// The path of a request target, without query and fragment.
  static std::string_view pathOf(std::string_view target);

 private:
  struct Route {
    beast_http::verb method;
    std::string prefix;
    HttpHandler handler;
  };

  struct StreamRoute {
    beast_http::verb method;
    std::string prefix;
    StreamHandler handler;
  };

  std::vector<Route> routes_;
  std::vector<StreamRoute> streamRoutes_;
  StaticFiles staticFiles_;
  std::function<std::size_t()> connectionCount_;
};

}  // namespace diemcau::signaling::http
