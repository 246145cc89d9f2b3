// caravan/server.h — the HTTP API and the web map, served by one process.
//
// `caravan serve` runs a Server: JSON over HTTP under /v1/ (DESIGN.md section
// 11), the OpenAPI 3 document at /v1/openapi.json, and the static files of the
// web UI at /. Responses follow the CLI's JSON contracts; GET /v1/route
// returns the Itinerary JSON contract (present.h). Errors are
//     {"error": {"code": "bad_parameter", "message": "...", "field": "from"}}
// with status 400 (bad parameter or malformed request), 401 (missing or wrong
// token), 404 (unknown place, scenario or path), 408 (request not sent in
// time), 413 (body too large, also once decompressed), 414 (target too long),
// 415 (unknown body encoding), 422 (valid query, no route; or too_much_work:
// a search past --max-labels), 429 (too many heavy requests at once, or too
// many wrong tokens: see Retry-After), 431 (too many or too large header
// fields), 503 (no time left: the request waited or worked past its
// deadline, with Retry-After), 507 (the scenario store is full) and 500 only
// for bugs, never for bad input. A 500 names a request id (also in the
// X-Request-Id header of every response) and nothing of the failure; the
// detail goes to the log with that id.
//
// Endpoints: GET /healthz, /v1/route, /v1/places, /v1/network,
// /v1/openapi.json, /v1/scenarios, /v1/scenarios/{id}; POST /v1/matrix,
// /v1/compare, /v1/simulate; and, with the token, POST /v1/scenarios and
// DELETE /v1/scenarios/{id}.
//
// Safety by default: binds 127.0.0.1 unless told otherwise; write endpoints
// need `Authorization: Bearer <token>` and refuse everything when no token is
// configured; a client address that sends wrong tokens repeatedly must wait
// longer and longer (429) before another is looked at; request heads,
// bodies and targets are size-limited; the token is never logged. One
// access-log line per request goes to the log sink.
//
// Concurrency (docs/adr/0202): one thread reads every connection, so slow or
// idle clients hold no worker; each whole request is served by a worker of a
// fixed pool, so a slow request holds one worker and never blocks the others.
// Heavy requests (matrix, compare, simulate, a route with a Monte Carlo) are
// bounded in number. The route index is built once at start; Planner scratch
// objects are pooled and reused; rendered answers to repeated route queries
// come from a bounded LRU cache.
//
// Thread safety: stop() may be called from any thread (a signal handler
// thread, a test); everything else from the thread that owns the Server.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "caravan/budget.h"
#include "caravan/error.h"
#include "caravan/network.h"

namespace caravan {

struct ServerOptions {
  std::string bind = "127.0.0.1";  ///< address to listen on
  int port = 8080;                 ///< 0 picks a free port (see Server::port())
  /// Bearer token for write endpoints. Empty: every write is refused with 401.
  std::string token;
  /// Folder of the built web UI (index.html …); empty or missing: no UI, the API still runs.
  std::filesystem::path web_dir;
  /// The dataset's scenario files (`<data>/scenarios`), offered read-only
  /// at /v1/scenarios; empty or missing: none. A file that does not validate
  /// makes create() fail.
  std::filesystem::path scenario_dir;
  /// SQLite database of scenarios saved through the API (created if absent,
  /// WAL mode); empty: an in-memory one, lost at exit.
  std::filesystem::path db_path;
  /// Worker threads, each answering one request at a time; 0 picks
  /// max(16, 4 × hardware threads).
  unsigned threads = 0;
  /// Heavy requests (matrix, compare, simulate, a route with samples) running
  /// at once; more get 429 with Retry-After. 0 picks max(2, hardware threads).
  unsigned max_heavy = 0;
  std::size_t max_body_bytes = 256 * 1024;  ///< larger request bodies (as sent or decoded) get 413
  std::size_t max_target_bytes = 4096;      ///< longer request targets (path + query) get 414
  std::size_t max_header_bytes = 16384;     ///< a larger header section gets 431
  std::size_t max_header_fields = 100;      ///< more header fields get 431
  /// Open connections at most; at the limit, the one idle the longest is
  /// closed to make room.
  std::size_t max_connections = 512;
  /// All of a request must arrive within this from its first byte (else 408);
  /// a kept-alive connection may be idle this long between requests; a
  /// client must take its answer within this.
  std::chrono::milliseconds read_timeout{10000}, idle_timeout{5000}, write_timeout{10000};
  /// A request's time from its last byte to its answer: one still waiting
  /// for a worker when it runs out is answered 503 with Retry-After.
  std::chrono::milliseconds request_timeout{60000};
  /// Labels one planner search may create (memory grows with them); past it
  /// the request is answered 422 too_much_work.
  std::uint64_t max_labels = Budget{}.max_labels;
  /// Wrong tokens one client address may send before it must wait; each
  /// further one doubles the wait, from `auth_first_wait` up to five minutes.
  unsigned auth_free_failures = 5;
  std::chrono::milliseconds auth_first_wait{1000};
  /// Route answers kept for repeated queries (the UI toggles back and forth);
  /// 0 entries turns the cache off. Bounded by both limits.
  std::size_t route_cache_entries = 2048;
  std::size_t route_cache_bytes = 32 << 20;
  /// Receives one access-log line per request (no trailing newline). Empty: stderr.
  std::function<void(std::string_view)> access_log;
};

/// A running or runnable HTTP server over one dataset.
class Server {
 public:
  /// Builds the route index, registers the endpoints and binds the socket.
  /// Fails with kInvalidInput for bad options and kInternal when the address
  /// cannot be bound. The network is shared, read-only, for the server's life.
  static Result<std::unique_ptr<Server>> create(std::shared_ptr<const Network> net, ServerOptions options);

  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  /// The bound port (the chosen one when options.port was 0).
  int port() const;
  /// `http://127.0.0.1:8080/`.
  std::string url() const;

  /// Serves until stop(); returns after the requests in flight have finished.
  /// Fails with kInternal when the listener breaks.
  Status run();

  /// Stops accepting connections and makes run() return once the requests in
  /// flight are answered. Safe from any thread, any number of times.
  void stop();

  struct Impl;

 private:
  explicit Server(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

/// The OpenAPI 3 document describing every endpoint, as JSON text.
std::string_view openapi_document();

}  // namespace caravan
