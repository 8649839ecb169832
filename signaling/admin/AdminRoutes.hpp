#pragma once

#include <boost/beast/http/verb.hpp>

#include "signaling/admin/AdminApi.hpp"

namespace diemcau::signaling::admin {

/// Mounts the admin API on an HTTP server offering addRoute(verb, pathPrefix, handler) (signaling/http).
/// A template so the admin API does not depend on the server's library; the api must outlive the server.
template <class Server>
void registerAdminApi(Server& server, AdminApi& api) {
  namespace http = boost::beast::http;
  for (auto verb : {http::verb::get, http::verb::post, http::verb::patch, http::verb::delete_}) {
    server.addRoute(verb, std::string(AdminApi::kPrefix),
                    [&api](const AdminApi::Request& request) { return api.handle(request); });
  }
  // Exports stream their body (a tar of a whole archive folder); every other archive route answers as usual.
  server.addStreamRoute(http::verb::get, std::string(AdminApi::kPrefix) + "archives",
                        [&api](const AdminApi::Request& request) { return api.handleRouted(request); });
}

}  // namespace diemcau::signaling::admin
