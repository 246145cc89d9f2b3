// Internal: reading one HTTP/1.1 request off a connection, within limits.
//
// A RequestReader is fed a connection's bytes as they arrive and says when a
// whole request (head and body) is in, or which error status to answer. It is
// the only HTTP parser that sees a client's bytes (docs/adr/0202): what it
// passes on is re-written in a canonical form.
//
// Strict where lax parsing lets a proxy and this server disagree on where a
// request ends (request smuggling): exactly one Content-Length, none beside
// Transfer-Encoding, no transfer coding but chunked, CRLF line ends, no folded
// header lines, one Host. Bounded in what a client can make the server hold:
// the request line, the header section (bytes and fields), and the body both
// as sent and as decoded — chunked bodies and gzip/deflate bodies are counted
// against the limit as they stream, so nothing past it is ever kept.
//
// Thread safety: none; one reader per connection.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace caravan::server {

struct RequestLimits {
  std::size_t max_target_bytes = 4096;      ///< request target (path and query); longer: 414
  std::size_t max_header_bytes = 16384;     ///< header section (and trailers); larger: 431
  std::size_t max_header_fields = 100;      ///< header fields (and trailers); more: 431
  std::size_t max_body_bytes = 256 * 1024;  ///< body as sent and as decoded; larger: 413
};

struct HeaderField {
  std::string name, value;
};

/// The head of a request, with the fields that frame the body (Content-Length,
/// Transfer-Encoding, Content-Encoding, Expect) taken out: they have been
/// acted on, and the body is handed on decoded.
struct RequestHead {
  std::string method;   ///< e.g. GET
  std::string target;   ///< e.g. /v1/route?from=xian
  std::string version;  ///< HTTP/1.1 or HTTP/1.0
  std::vector<HeaderField> fields;
  bool keep_alive = true;  ///< the client allows another request on the connection

  /// The value of the first field named `name` (any case); null when absent.
  const std::string* find(std::string_view name) const;
};

/// Why a request is refused: an HTTP status and a message for the client.
struct Rejection {
  int status = 0;
  std::string message;
};

class RequestReader {
 public:
  enum class State {
    kHead,    ///< waiting for (more of) the head; nothing of a request yet when !started()
    kBody,    ///< head done, reading the body
    kDone,    ///< head() and body() hold a whole request
    kFailed,  ///< rejection() says what to answer; the connection must close
  };

  explicit RequestReader(const RequestLimits& limits);
  ~RequestReader();
  RequestReader(const RequestReader&) = delete;
  RequestReader& operator=(const RequestReader&) = delete;

  /// Takes bytes of the connection; returns how many it used. It stops at the
  /// end of a request (kDone), leaving what follows for the next one, and at
  /// the first error (kFailed).
  std::size_t feed(std::string_view bytes);

  State state() const { return state_; }
  /// True once any byte of a request has arrived.
  bool started() const { return started_; }
  /// True once, right after a head asking `Expect: 100-continue` with a body
  /// to come: the caller should send `100 Continue` now.
  bool take_continue();

  const RequestHead& head() const { return head_; }  ///< from kBody on
  std::string& body() { return body_; }              ///< decoded; in kDone
  const Rejection& rejection() const { return rejection_; }

  /// Ready for the next request on the same connection.
  void reset();

 private:
  struct Inflater;
  enum class Chunk { kSize, kData, kDataEnd, kTrailer };

  void parse_head();
  void parse_framing();
  std::size_t feed_head(std::string_view bytes);
  std::size_t feed_body(std::string_view bytes);
  std::size_t feed_chunked(std::string_view bytes);
  void add_body(std::string_view raw);
  void finish_body();
  void fail(int status, std::string message);

  RequestLimits limits_;
  State state_ = State::kHead;
  bool started_ = false;
  bool continue_pending_ = false;
  RequestHead head_;
  std::string buffer_;           // head, chunk-size line or trailer line so far
  std::size_t line_end_ = 0;     // end of the request line in buffer_ (0: not yet)
  std::size_t blank_lines_ = 0;  // empty lines before the request line
  std::string body_;
  Rejection rejection_;
  bool chunked_ = false;
  std::uint64_t remaining_ = 0;  // body or chunk bytes still to come
  std::uint64_t raw_bytes_ = 0;  // body bytes as sent (chunk data), for the limit
  Chunk chunk_ = Chunk::kSize;
  std::size_t trailer_fields_ = 0, trailer_bytes_ = 0;
  std::unique_ptr<Inflater> inflater_;  // gzip/deflate bodies
};

}  // namespace caravan::server
