// Internal: handing requests the transport has read to cpp-httplib's
// routing, and writing answers the transport sends itself (docs/adr/0202).
//
// httplib parses a canonical copy of each request — request line, the
// client's fields but those that frame the body, an exact Content-Length and
// the decoded body — from memory, runs the handlers and writes the response
// into memory. It never sees the client's bytes, so its parser's lack of
// limits (line length, field count, chunked and compressed bodies) no longer
// matters.
//
// Thread safety: a Router may serve many requests at once (one per worker);
// the other functions are pure.
#pragma once

#include <httplib.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "transport.h"

namespace caravan::server {

/// cpp-httplib's server without its sockets: routes one request at a time
/// from a memory stream.
class Router : public httplib::Server {
 public:
  /// Parses `request` (canonical, see canonical_request), runs the matching
  /// handler and returns the whole response. `close` asks for
  /// `Connection: close`; `*client_closes` is set when the request asked for it.
  std::string handle(std::string_view request, const Peer& peer, bool close, bool* client_closes);
};

/// The request as httplib should read it: `METHOD TARGET VERSION`, the
/// fields (with `%` written `%25`, as httplib percent-decodes field values),
/// a Content-Length when there is a body or the method takes one, the body.
std::string canonical_request(const RequestHead& head, std::string_view body);

/// A whole HTTP/1.1 response: status line, `headers`, Content-Length, body.
std::string raw_response(int status, const std::vector<std::pair<std::string, std::string>>& headers,
                         std::string_view body);

}  // namespace caravan::server
