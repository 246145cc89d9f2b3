// Internal: the server's connections, from accept() to close()
// (docs/adr/0202).
//
// One thread runs an epoll loop over the listening socket and every open
// connection. It reads requests with a RequestReader, within the reader's
// size limits and a deadline per request, so a slow or idle client costs a
// file descriptor and a small buffer, never a worker. A whole request goes to
// a fixed pool of workers, which call `serve` and hand back the response
// bytes; the loop writes them out, also under a deadline, and keeps the
// connection for the next request or closes it.
//
// Open connections are bounded: at the limit, a new one displaces the
// connection idle the longest, else the one that has been reading its
// request the longest; when every connection is busy being answered, the
// new one is told 503 and closed. A connection closed after an error is
// drained for a moment first, so that the client sees the answer rather
// than a reset.
//
// Thread safety: stop() from any thread; run() on one thread; serve is called
// on the workers, reject on the loop thread.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "caravan/error.h"
#include "request_reader.h"

namespace caravan::server {

struct TransportOptions {
  RequestLimits limits;
  unsigned workers = 16;
  std::size_t max_connections = 512;
  /// Between requests on a kept-alive connection; then it is closed.
  std::chrono::milliseconds idle_timeout{5000};
  /// From the first byte of a request to its last; then 408 and close.
  std::chrono::milliseconds read_timeout{10000};
  /// For the client to take a response once it is ready; then close.
  std::chrono::milliseconds write_timeout{10000};
};

/// The two ends of a connection.
struct Peer {
  std::string ip;
  int port = 0;
  std::string local_ip;
  int local_port = 0;
};

/// A whole request as the loop read it, for a worker.
struct IncomingRequest {
  RequestHead head;
  std::string body;  ///< decoded
  Peer peer;
  std::chrono::steady_clock::time_point received;  ///< when its last byte came in
  bool close = false;  ///< the connection closes after this answer (client's wish, or the server's)
  /// Set by the loop when the client hangs up (or shuts its sending side)
  /// while the request is served: work for it may stop, no one will read it.
  std::shared_ptr<const std::atomic<bool>> gone;
};

/// A response, ready to write.
struct Outgoing {
  std::string bytes;   ///< status line, headers and body
  bool close = false;  ///< close the connection after it
};

/// Answers a request; runs on a worker.
using ServeFn = std::function<Outgoing(IncomingRequest&)>;
/// The whole response (with `Connection: close`) to a request refused
/// before it could be served; `head` is null when the request line could not
/// be read; `took` is the time since its first byte. Runs on the loop
/// thread; should be quick.
using RejectFn = std::function<std::string(const Rejection&, const Peer&, const RequestHead* head,
                                           std::chrono::steady_clock::duration took)>;

class Transport {
 public:
  /// Binds and listens on `host`:`port` (0: a free port). Fails with
  /// kInternal when the address cannot be bound.
  static Result<std::unique_ptr<Transport>> listen(const std::string& host, int port, TransportOptions options,
                                                   ServeFn serve, RejectFn reject);
  ~Transport();
  Transport(const Transport&) = delete;
  Transport& operator=(const Transport&) = delete;

  int port() const;

  /// Serves until stop(): then stops accepting, closes connections that
  /// have no request in hand, and returns once every request already read
  /// is answered (or its client stopped taking the answer).
  Status run();
  /// Makes run() return as above; before run(), makes it return at once.
  void stop();

  struct Impl;

 private:
  explicit Transport(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace caravan::server
