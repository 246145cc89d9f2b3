#include "request_reader.h"

#define ZLIB_CONST
#include <zlib.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <charconv>

namespace caravan::server {
namespace {

// Longest request line accepted beyond the target itself: method, two
// spaces, "HTTP/1.1" (methods are short; 24 leaves room for any in use).
constexpr std::size_t kRequestLineExtra = 24;
// Longest chunk-size line: 16 hex digits and an extension or two.
constexpr std::size_t kMaxChunkLine = 1024;
constexpr std::size_t kMaxBlankLines = 8;

bool is_tchar(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) return true;
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

bool is_token(std::string_view s) { return !s.empty() && std::all_of(s.begin(), s.end(), is_tchar); }

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

bool iequals(std::string_view a, std::string_view b) {
  return a.size() == b.size() &&
         std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return lower(x) == lower(y); });
}

std::string lowercase(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = lower(c);
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Quoted for a message, cut short and without control characters.
std::string quoted(std::string_view s) {
  std::string out = "\"";
  for (char c : s.substr(0, 64)) out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f || c == '"') ? '?' : c;
  return out + (s.size() > 64 ? "...\"" : "\"");
}

// The framing fields: acted on here, never passed on.
bool is_framing(std::string_view name) {
  for (std::string_view f : {"content-length", "transfer-encoding", "content-encoding", "expect"}) {
    if (iequals(name, f)) return true;
  }
  return false;
}

}  // namespace

const std::string* RequestHead::find(std::string_view name) const {
  for (const HeaderField& f : fields) {
    if (iequals(f.name, name)) return &f.value;
  }
  return nullptr;
}

// A streaming zlib inflater for gzip and zlib-wrapped deflate bodies.
struct RequestReader::Inflater {
  z_stream z{};
  bool ok = false;
  bool ended = false;
  Inflater() { ok = inflateInit2(&z, 15 + 32) == Z_OK; }  // 15-bit window; +32: gzip or zlib header
  ~Inflater() {
    if (ok) inflateEnd(&z);
  }
};

RequestReader::RequestReader(const RequestLimits& limits) : limits_(limits) {}
RequestReader::~RequestReader() = default;

void RequestReader::reset() {
  state_ = State::kHead;
  started_ = false;
  continue_pending_ = false;
  head_ = {};
  buffer_.clear();
  line_end_ = 0;
  blank_lines_ = 0;
  // Keep no large buffer on an idle connection.
  if (body_.capacity() > 64 * 1024) {
    std::string().swap(body_);
  } else {
    body_.clear();
  }
  rejection_ = {};
  chunked_ = false;
  remaining_ = 0;
  raw_bytes_ = 0;
  chunk_ = Chunk::kSize;
  trailer_fields_ = 0;
  trailer_bytes_ = 0;
  inflater_.reset();
}

bool RequestReader::take_continue() {
  bool send = continue_pending_ && state_ == State::kBody;
  continue_pending_ = false;
  return send;
}

void RequestReader::fail(int status, std::string message) {
  state_ = State::kFailed;
  rejection_ = {status, std::move(message)};
}

std::size_t RequestReader::feed(std::string_view bytes) {
  std::size_t used = 0;
  while (used < bytes.size() && (state_ == State::kHead || state_ == State::kBody)) {
    std::string_view rest = bytes.substr(used);
    used += state_ == State::kHead ? feed_head(rest) : feed_body(rest);
  }
  return used;
}

std::size_t RequestReader::feed_head(std::string_view bytes) {
  const std::size_t line_cap = limits_.max_target_bytes + kRequestLineExtra;
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    const char c = bytes[i];
    started_ = true;
    const bool after_cr = !buffer_.empty() && buffer_.back() == '\r';
    if (c == '\n' && !after_cr) {
      fail(400, "line ends with a bare LF (expected CRLF)");
      return i + 1;
    }
    if (c != '\n' && after_cr) {
      fail(400, "bare CR in the request head (expected CRLF)");
      return i + 1;
    }
    buffer_ += c;
    if (c == '\n') {
      if (line_end_ == 0) {
        if (buffer_.size() == 2) {  // an empty line before the request line
          buffer_.clear();
          if (++blank_lines_ > kMaxBlankLines) {
            fail(400, "empty lines instead of a request line");
            return i + 1;
          }
          continue;
        }
        line_end_ = buffer_.size();
      } else if (buffer_.compare(buffer_.size() - 4, 4, "\r\n\r\n") == 0) {  // an empty line ends the head
        parse_head();
        return i + 1;
      }
    }
    if (line_end_ == 0 && buffer_.size() > line_cap) {
      fail(414, "request target too long (expected at most " + std::to_string(limits_.max_target_bytes) + " bytes)");
      return i + 1;
    }
    if (line_end_ != 0 && buffer_.size() - line_end_ > limits_.max_header_bytes) {
      fail(431, "header section too large (expected at most " + std::to_string(limits_.max_header_bytes) + " bytes)");
      return i + 1;
    }
  }
  return bytes.size();
}

void RequestReader::parse_head() {
  std::string_view all(buffer_);
  std::string_view line = all.substr(0, line_end_ - 2);
  std::size_t sp1 = line.find(' ');
  std::size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos || line.find(' ', sp2 + 1) != std::string_view::npos) {
    return fail(400, "malformed request line (expected METHOD TARGET HTTP/1.1)");
  }
  std::string_view method = line.substr(0, sp1), target = line.substr(sp1 + 1, sp2 - sp1 - 1),
                   version = line.substr(sp2 + 1);
  if (!is_token(method)) return fail(400, "malformed request line (expected METHOD TARGET HTTP/1.1)");
  if (target.size() > limits_.max_target_bytes) {
    return fail(414, "request target of " + std::to_string(target.size()) + " bytes is too long (expected at most " +
                         std::to_string(limits_.max_target_bytes) + ")");
  }
  if (target.empty() || !std::all_of(target.begin(), target.end(), [](char c) { return c > 0x20 && c < 0x7f; })) {
    return fail(400, "malformed request target (expected a path without spaces or control characters)");
  }
  if (version != "HTTP/1.1" && version != "HTTP/1.0") {
    bool looks_http = version.size() == 8 && version.substr(0, 5) == "HTTP/";
    return fail(looks_http ? 505 : 400,
                looks_http ? "HTTP version " + std::string(version) + " not supported (expected HTTP/1.1 or HTTP/1.0)"
                           : "malformed request line (expected METHOD TARGET HTTP/1.1)");
  }
  head_.method = method;
  head_.target = target;
  head_.version = version;

  std::string_view fields = all.substr(line_end_, all.size() - line_end_ - 2);
  while (!fields.empty()) {
    std::size_t end = fields.find("\r\n");
    std::string_view f = fields.substr(0, end);
    fields.remove_prefix(end + 2);
    if (f.front() == ' ' || f.front() == '\t') return fail(400, "folded header line (expected one line per field)");
    std::size_t colon = f.find(':');
    std::string_view name = colon == std::string_view::npos ? f : f.substr(0, colon);
    if (colon == std::string_view::npos || !is_token(name)) {
      return fail(400, "malformed header field " + quoted(name) + " (expected Name: value)");
    }
    std::string_view value = trim(f.substr(colon + 1));
    if (std::any_of(value.begin(), value.end(),
                    [](char c) { return (static_cast<unsigned char>(c) < 0x20 && c != '\t') || c == 0x7f; })) {
      return fail(400, "control character in header field " + quoted(name));
    }
    if (head_.fields.size() == limits_.max_header_fields) {
      return fail(431, "too many header fields (expected at most " + std::to_string(limits_.max_header_fields) + ")");
    }
    head_.fields.push_back({std::string(name), std::string(value)});
  }
  parse_framing();
}

// Decides from the fields how long the body is and how it is coded.
void RequestReader::parse_framing() {
  const bool http11 = head_.version == "HTTP/1.1";
  std::vector<const std::string*> length, transfer, encoding, expect, host;
  for (const HeaderField& f : head_.fields) {
    if (iequals(f.name, "content-length")) length.push_back(&f.value);
    if (iequals(f.name, "transfer-encoding")) transfer.push_back(&f.value);
    if (iequals(f.name, "content-encoding")) encoding.push_back(&f.value);
    if (iequals(f.name, "expect")) expect.push_back(&f.value);
    if (iequals(f.name, "host")) host.push_back(&f.value);
    if (iequals(f.name, "connection")) {
      std::string_view v(f.value);
      while (!v.empty()) {
        std::size_t comma = v.find(',');
        std::string_view token = trim(v.substr(0, comma));
        if (iequals(token, "close")) head_.keep_alive = false;
        v.remove_prefix(comma == std::string_view::npos ? v.size() : comma + 1);
      }
    }
  }
  if (!http11) {
    const std::string* c = head_.find("connection");
    head_.keep_alive = head_.keep_alive && c != nullptr && lowercase(trim(*c)) == "keep-alive";
  }
  if (host.size() > 1 || (http11 && host.empty())) return fail(400, "expected exactly one Host field");
  if (length.size() > 1) return fail(400, "more than one Content-Length (expected exactly one)");
  if (!transfer.empty()) {
    if (!http11) return fail(400, "Transfer-Encoding in an HTTP/1.0 request (expected Content-Length)");
    if (!length.empty()) return fail(400, "both Content-Length and Transfer-Encoding (expected one of them)");
    if (transfer.size() > 1 || lowercase(trim(*transfer[0])) != "chunked") {
      return fail(501, "transfer coding " + quoted(*transfer.back()) + " not supported (expected chunked)");
    }
    chunked_ = true;
  }
  std::uint64_t length_value = 0;
  if (!length.empty()) {
    const std::string& v = *length[0];
    auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), length_value);
    if (v.empty() || v.size() > 18 || ec != std::errc() || end != v.data() + v.size()) {
      return fail(400, "bad Content-Length " + quoted(v) + " (expected a whole number of bytes)");
    }
  }
  bool inflate = false;
  if (encoding.size() > 1) return fail(415, "more than one Content-Encoding (expected gzip, deflate or none)");
  if (!encoding.empty()) {
    std::string e = lowercase(*encoding[0]);
    if (e == "gzip" || e == "x-gzip" || e == "deflate") {
      inflate = true;
    } else if (e != "identity") {
      return fail(415, "content encoding " + quoted(*encoding[0]) + " not supported (expected gzip, deflate or none)");
    }
  }
  if (expect.size() > 1 || (!expect.empty() && lowercase(*expect[0]) != "100-continue")) {
    return fail(417, "expectation " + quoted(*expect.back()) + " not supported (expected 100-continue)");
  }
  std::erase_if(head_.fields, [](const HeaderField& f) { return is_framing(f.name); });

  if (!chunked_ && length_value == 0) {
    state_ = State::kDone;  // no body
    return;
  }
  if (length_value > limits_.max_body_bytes) {
    return fail(413, "request body of " + std::to_string(length_value) + " bytes is too large (expected at most " +
                         std::to_string(limits_.max_body_bytes) + ")");
  }
  if (inflate) {
    inflater_ = std::make_unique<Inflater>();
    if (!inflater_->ok) return fail(503, "cannot decompress the body now (out of memory)");
  }
  remaining_ = length_value;
  buffer_.clear();
  state_ = State::kBody;
  continue_pending_ = http11 && !expect.empty();
}

std::size_t RequestReader::feed_body(std::string_view bytes) {
  if (chunked_) return feed_chunked(bytes);
  std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, bytes.size()));
  add_body(bytes.substr(0, n));
  remaining_ -= n;
  if (remaining_ == 0 && state_ == State::kBody) finish_body();
  return n;
}

std::size_t RequestReader::feed_chunked(std::string_view bytes) {
  for (std::size_t i = 0; i < bytes.size() && state_ == State::kBody;) {
    if (chunk_ == Chunk::kData) {
      std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(remaining_, bytes.size() - i));
      add_body(bytes.substr(i, n));
      i += n;
      remaining_ -= n;
      if (remaining_ == 0) chunk_ = Chunk::kDataEnd;
      continue;
    }
    // Size lines, the CRLF after the data, trailer lines: one byte at a time.
    const char c = bytes[i++];
    const bool after_cr = !buffer_.empty() && buffer_.back() == '\r';
    if ((c == '\n') != after_cr) {
      fail(400, "malformed chunked body (expected CRLF line ends)");
      return i;
    }
    buffer_ += c;
    if (chunk_ == Chunk::kDataEnd) {
      if (buffer_.size() == 2) {
        if (buffer_ != "\r\n") {
          fail(400, "malformed chunked body (expected CRLF after chunk data)");
          return i;
        }
        buffer_.clear();
        chunk_ = Chunk::kSize;
      }
      continue;
    }
    if (chunk_ == Chunk::kTrailer) {
      trailer_bytes_ += 1;
      if (trailer_bytes_ > limits_.max_header_bytes) {
        fail(431,
             "trailer section too large (expected at most " + std::to_string(limits_.max_header_bytes) + " bytes)");
        return i;
      }
      if (c != '\n') continue;
      if (buffer_.size() == 2) {
        finish_body();
        return i;
      }
      if (++trailer_fields_ > limits_.max_header_fields) {
        fail(431, "too many trailer fields (expected at most " + std::to_string(limits_.max_header_fields) + ")");
        return i;
      }
      buffer_.clear();
      continue;
    }
    // kSize
    if (buffer_.size() > kMaxChunkLine) {
      fail(400, "malformed chunked body (chunk size line too long)");
      return i;
    }
    if (c != '\n') continue;
    std::string_view line(buffer_.data(), buffer_.size() - 2);
    std::size_t digits = 0;
    while (digits < line.size() && std::isxdigit(static_cast<unsigned char>(line[digits]))) ++digits;
    std::string_view ext = trim(line.substr(digits));
    std::uint64_t size = 0;
    if (digits == 0 || digits > 15 || (!ext.empty() && ext.front() != ';')) {
      fail(400, "malformed chunked body (bad chunk size " + quoted(line) + ")");
      return i;
    }
    std::from_chars(line.data(), line.data() + digits, size, 16);
    buffer_.clear();
    if (size == 0) {
      chunk_ = Chunk::kTrailer;
      continue;
    }
    raw_bytes_ += size;
    if (raw_bytes_ > limits_.max_body_bytes) {
      fail(413,
           "chunked request body too large (expected at most " + std::to_string(limits_.max_body_bytes) + " bytes)");
      return i;
    }
    remaining_ = size;
    chunk_ = Chunk::kData;
  }
  return bytes.size();
}

void RequestReader::add_body(std::string_view raw) {
  if (!inflater_) {
    body_.append(raw);
    return;
  }
  Inflater& in = *inflater_;
  if (raw.empty()) return;
  if (in.ended) return fail(400, "data after the end of the compressed body");
  in.z.next_in = reinterpret_cast<const Bytef*>(raw.data());
  in.z.avail_in = static_cast<uInt>(raw.size());
  std::array<char, 16384> out;
  for (;;) {
    in.z.next_out = reinterpret_cast<Bytef*>(out.data());
    in.z.avail_out = static_cast<uInt>(out.size());
    int rc = inflate(&in.z, Z_NO_FLUSH);
    std::size_t produced = out.size() - in.z.avail_out;
    if (body_.size() + produced > limits_.max_body_bytes) {
      return fail(413, "request body too large once decompressed (expected at most " +
                           std::to_string(limits_.max_body_bytes) + " bytes)");
    }
    body_.append(out.data(), produced);
    if (rc == Z_STREAM_END) {
      in.ended = true;
      if (in.z.avail_in > 0) fail(400, "data after the end of the compressed body");
      return;
    }
    if (rc != Z_OK && rc != Z_BUF_ERROR)
      return fail(400, "malformed compressed body (expected what Content-Encoding says)");
    // Done with this input once zlib has taken it all and has no more output.
    if (in.z.avail_in == 0 && in.z.avail_out != 0) return;
    if (rc == Z_BUF_ERROR && in.z.avail_out != 0) return;
  }
}

void RequestReader::finish_body() {
  if (inflater_ && !inflater_->ended)
    return fail(400, "compressed body ends early (expected a whole gzip or deflate stream)");
  state_ = State::kDone;
}

}  // namespace caravan::server
