// The request reader on its own: framing, limits, chunked and compressed
// bodies, fed whole and one byte at a time. Every refusal has its status.
#include "request_reader.h"

#include <gtest/gtest.h>

#include <string>

#include "compress.h"

namespace caravan::server {
namespace {

using State = RequestReader::State;

using testing::compress;

RequestLimits small_limits() {
  RequestLimits l;
  l.max_target_bytes = 64;
  l.max_header_bytes = 512;
  l.max_header_fields = 8;
  l.max_body_bytes = 1000;
  return l;
}

// Feeds everything at once; the reader's state after.
struct Read {
  State state;
  int status;  // the rejection's, 0 when none
  std::string body;
  std::size_t used;
};

Read read_all(const std::string& bytes, RequestLimits limits = small_limits()) {
  RequestReader r(limits);
  std::size_t used = r.feed(bytes);
  return {r.state(), r.rejection().status, r.state() == State::kDone ? r.body() : "", used};
}

// Feeds one byte at a time, as a slow client sends.
Read read_bytewise(const std::string& bytes, RequestLimits limits = small_limits()) {
  RequestReader r(limits);
  std::size_t used = 0;
  for (char c : bytes) {
    if (r.state() == State::kDone || r.state() == State::kFailed) break;
    used += r.feed(std::string_view(&c, 1));
  }
  return {r.state(), r.rejection().status, r.state() == State::kDone ? r.body() : "", used};
}

const std::string kGet = "GET /v1/route?from=xian HTTP/1.1\r\nHost: x\r\nAccept: */*\r\n\r\n";

std::string post(const std::string& fields, const std::string& body) {
  return "POST /v1/matrix HTTP/1.1\r\nHost: x\r\n" + fields + "\r\n" + body;
}

TEST(RequestReader, ReadsAGetWithItsFields) {
  RequestReader r(small_limits());
  EXPECT_FALSE(r.started());
  EXPECT_EQ(r.feed(kGet), kGet.size());
  ASSERT_EQ(r.state(), State::kDone);
  EXPECT_EQ(r.head().method, "GET");
  EXPECT_EQ(r.head().target, "/v1/route?from=xian");
  EXPECT_EQ(r.head().version, "HTTP/1.1");
  ASSERT_EQ(r.head().fields.size(), 2u);
  EXPECT_EQ(*r.head().find("accept"), "*/*");
  EXPECT_TRUE(r.head().keep_alive);
  EXPECT_TRUE(r.body().empty());
}

TEST(RequestReader, ByteByByteReadsTheSame) {
  Read whole = read_all(post("Content-Length: 5\r\n", "hello"));
  Read bytes = read_bytewise(post("Content-Length: 5\r\n", "hello"));
  EXPECT_EQ(whole.state, State::kDone);
  EXPECT_EQ(bytes.state, State::kDone);
  EXPECT_EQ(whole.body, "hello");
  EXPECT_EQ(bytes.body, "hello");
}

TEST(RequestReader, StopsAtTheEndOfARequestAndLeavesTheNextOne) {
  const std::string two = kGet + "GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n";
  RequestReader r(small_limits());
  std::size_t used = r.feed(two);
  EXPECT_EQ(used, kGet.size());
  ASSERT_EQ(r.state(), State::kDone);
  r.reset();
  EXPECT_EQ(r.feed(std::string_view(two).substr(used)), two.size() - used);
  ASSERT_EQ(r.state(), State::kDone);
  EXPECT_EQ(r.head().target, "/healthz");
}

TEST(RequestReader, KeepAliveFollowsVersionAndConnection) {
  auto keep = [](const std::string& request) {
    RequestReader r(small_limits());
    r.feed(request);
    EXPECT_EQ(r.state(), State::kDone) << request;
    return r.head().keep_alive;
  };
  EXPECT_FALSE(keep("GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
  EXPECT_FALSE(keep("GET / HTTP/1.1\r\nHost: x\r\nConnection: TE, Close\r\n\r\n"));
  EXPECT_FALSE(keep("GET / HTTP/1.0\r\n\r\n"));
  EXPECT_TRUE(keep("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n"));
}

TEST(RequestReader, SkipsBlankLinesBeforeTheRequestLine) {
  EXPECT_EQ(read_all("\r\n\r\n" + kGet).state, State::kDone);
  std::string many;
  for (int i = 0; i < 9; ++i) many += "\r\n";
  EXPECT_EQ(read_all(many + kGet).status, 400);
}

TEST(RequestReader, TakesTheFramingFieldsOut) {
  RequestReader r(small_limits());
  r.feed(post("Content-Length: 2\r\nX-Keep: 1\r\nExpect: 100-continue\r\n", "{}"));
  ASSERT_EQ(r.state(), State::kDone);
  EXPECT_EQ(r.head().find("content-length"), nullptr);
  EXPECT_EQ(r.head().find("expect"), nullptr);
  EXPECT_NE(r.head().find("x-keep"), nullptr);
}

// ---- smuggling: one framing only --------------------------------------------

TEST(RequestReader, RefusesTwoContentLengths) {
  EXPECT_EQ(read_all(post("Content-Length: 2\r\nContent-Length: 40\r\n", "{}")).status, 400);
  EXPECT_EQ(read_all(post("Content-Length: 2\r\nContent-Length: 2\r\n", "{}")).status, 400);
  EXPECT_EQ(read_all(post("Content-Length: 2, 2\r\n", "{}")).status, 400);
}

TEST(RequestReader, RefusesContentLengthBesideTransferEncoding) {
  EXPECT_EQ(read_all(post("Content-Length: 2\r\nTransfer-Encoding: chunked\r\n", "2\r\n{}\r\n0\r\n\r\n")).status, 400);
}

TEST(RequestReader, RefusesBadContentLengths) {
  for (const char* v : {"-1", "+5", "0x10", "5 5", "", "99999999999999999999"}) {
    EXPECT_EQ(read_all(post("Content-Length: " + std::string(v) + "\r\n", "")).status, 400) << v;
  }
}

TEST(RequestReader, RefusesTransferCodingsOtherThanChunked) {
  EXPECT_EQ(read_all(post("Transfer-Encoding: gzip, chunked\r\n", "")).status, 501);
  EXPECT_EQ(read_all(post("Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n", "")).status, 501);
  EXPECT_EQ(read_all("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n").status, 400);
}

TEST(RequestReader, RefusesLooseLineEndsAndFolding) {
  EXPECT_EQ(read_all("GET / HTTP/1.1\nHost: x\n\n").status, 400);
  EXPECT_EQ(read_all("GET / HTTP/1.1\r\nHost: x\rX: y\r\n\r\n").status, 400);
  EXPECT_EQ(read_all("GET / HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n  continued\r\n\r\n").status, 400);
  EXPECT_EQ(read_all("GET / HTTP/1.1\r\nHost: x\r\nContent-Length : 5\r\n\r\n").status, 400);
  EXPECT_EQ(read_all("GET / HTTP/1.1\r\nHost: x\r\nX: a\x01"
                     "b\r\n\r\n")
                .status,
            400);
  EXPECT_EQ(read_all("GET / HTTP/1.1\r\nHost: x\r\nno colon here\r\n\r\n").status, 400);
}

TEST(RequestReader, NeedsOneHostInHttp11) {
  EXPECT_EQ(read_all("GET / HTTP/1.1\r\n\r\n").status, 400);
  EXPECT_EQ(read_all("GET / HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n").status, 400);
  EXPECT_EQ(read_all("GET / HTTP/1.0\r\n\r\n").state, State::kDone);
}

TEST(RequestReader, RefusesMalformedRequestLinesAndOtherVersions) {
  EXPECT_EQ(read_all("GET  / HTTP/1.1\r\nHost: x\r\n\r\n").status, 400);
  EXPECT_EQ(read_all("GET / HTTP/1.1 extra\r\nHost: x\r\n\r\n").status, 400);
  EXPECT_EQ(read_all("G(T / HTTP/1.1\r\nHost: x\r\n\r\n").status, 400);
  EXPECT_EQ(read_all("GET /a\x7f HTTP/1.1\r\nHost: x\r\n\r\n").status, 400);
  EXPECT_EQ(read_all("GET / HTTP/2.0\r\nHost: x\r\n\r\n").status, 505);
  EXPECT_EQ(read_all("GET / HTTX/1.1\r\nHost: x\r\n\r\n").status, 400);
}

// ---- limits of the head --------------------------------------------------------

TEST(RequestReader, LongTargetIs414EvenBeforeTheLineEnds) {
  EXPECT_EQ(read_all("GET /" + std::string(64, 'a') + " HTTP/1.1\r\nHost: x\r\n\r\n").status, 414);
  // A request line that never ends: refused once it passes the limit, not held.
  Read endless = read_all("GET /" + std::string(100000, 'a'));
  EXPECT_EQ(endless.status, 414);
  EXPECT_LT(endless.used, 200u);
}

TEST(RequestReader, TooManyFieldsAre431) {
  std::string seven;  // with Host, the 8 the limits allow
  for (int i = 0; i < 7; ++i) seven += "X-" + std::to_string(i) + ": y\r\n";
  EXPECT_EQ(read_all("GET / HTTP/1.1\r\nHost: x\r\n" + seven + "\r\n").state, State::kDone);
  EXPECT_EQ(read_all("GET / HTTP/1.1\r\nHost: x\r\n" + seven + "X-7: y\r\n\r\n").status, 431);
}

TEST(RequestReader, LargeHeaderSectionIs431BeforeItEnds) {
  Read r = read_all("GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(100000, 'b'));
  EXPECT_EQ(r.status, 431);
  EXPECT_LT(r.used, 600u);
  std::string many;
  for (int i = 0; i < 100000; ++i) many += "X: y\r\n";
  EXPECT_EQ(read_all("GET / HTTP/1.1\r\nHost: x\r\n" + many + "\r\n").status, 431);
}

// ---- bodies ------------------------------------------------------------------

TEST(RequestReader, ContentLengthOverTheLimitIs413BeforeTheBody) {
  RequestReader r(small_limits());
  r.feed(post("Content-Length: 40000000\r\nExpect: 100-continue\r\n", ""));
  EXPECT_EQ(r.state(), State::kFailed);
  EXPECT_EQ(r.rejection().status, 413);
  EXPECT_FALSE(r.take_continue());
}

TEST(RequestReader, ExpectContinueAsksOnceAndOnlyForABodyToCome) {
  RequestReader r(small_limits());
  r.feed(post("Content-Length: 2\r\nExpect: 100-continue\r\n", ""));
  EXPECT_EQ(r.state(), State::kBody);
  EXPECT_TRUE(r.take_continue());
  EXPECT_FALSE(r.take_continue());
  r.feed("{}");
  EXPECT_EQ(r.state(), State::kDone);
  EXPECT_EQ(read_all(post("Content-Length: 2\r\nExpect: something-else\r\n", "{}")).status, 417);
}

TEST(RequestReader, ChunkedBodyIsJoinedWithExtensionsAndTrailersDropped) {
  const std::string chunked = "5;name=value\r\nhello\r\n1\r\n \r\n5\r\nworld\r\n0\r\nX-Trailer: t\r\n\r\n";
  Read whole = read_all(post("Transfer-Encoding: chunked\r\n", chunked));
  Read bytes = read_bytewise(post("Transfer-Encoding: Chunked\r\n", chunked));
  EXPECT_EQ(whole.body, "hello world");
  EXPECT_EQ(bytes.body, "hello world");
}

TEST(RequestReader, ChunkedBodyPastTheLimitIs413AtTheChunkThatPassesIt) {
  // 600 bytes, then a chunk announcing 500 more: refused before its data.
  RequestReader r(small_limits());
  r.feed(post("Transfer-Encoding: chunked\r\n", "258\r\n" + std::string(600, 'a') + "\r\n1f4\r\n"));
  EXPECT_EQ(r.state(), State::kFailed);
  EXPECT_EQ(r.rejection().status, 413);
  // Many small chunks add up the same.
  std::string small;
  for (int i = 0; i < 200; ++i) small += "a\r\n0123456789\r\n";
  EXPECT_EQ(read_all(post("Transfer-Encoding: chunked\r\n", small)).status, 413);
}

TEST(RequestReader, MalformedChunksAre400) {
  for (const char* body : {"zz\r\nab\r\n0\r\n\r\n", "2\r\nabc\r\n0\r\n\r\n", "2\nab\r\n0\r\n\r\n",
                           "fffffffffffffffffff\r\n", "2 x\r\nab\r\n0\r\n\r\n"}) {
    EXPECT_EQ(read_all(post("Transfer-Encoding: chunked\r\n", body)).status, 400) << body;
  }
}

TEST(RequestReader, GzipAndDeflateBodiesAreInflated) {
  const std::string json = R"({"places": ["xian", "almaty"]})";
  for (bool gzip : {true, false}) {
    std::string z = compress(json, gzip);
    std::string fields = std::string("Content-Encoding: ") + (gzip ? "gzip" : "deflate") +
                         "\r\nContent-Length: " + std::to_string(z.size()) + "\r\n";
    EXPECT_EQ(read_all(post(fields, z)).body, json);
    EXPECT_EQ(read_bytewise(post(fields, z)).body, json);
  }
}

TEST(RequestReader, CompressedBombStopsAtTheLimit) {
  // 10 MB of spaces inflate from about 10 KB: refused as soon as the
  // inflated body passes 1,000 bytes, sent as one body or in chunks.
  std::string bomb = compress(std::string(10 << 20, ' '), true);
  ASSERT_LT(bomb.size(), 1000u * 20);
  RequestLimits limits = small_limits();
  limits.max_body_bytes = 1000 * 20;
  RequestReader r(limits);
  r.feed(post("Content-Encoding: gzip\r\nContent-Length: " + std::to_string(bomb.size()) + "\r\n", bomb));
  EXPECT_EQ(r.state(), State::kFailed);
  EXPECT_EQ(r.rejection().status, 413);
  EXPECT_LE(r.body().size(), limits.max_body_bytes);
  std::string chunked;
  for (std::size_t i = 0; i < bomb.size(); i += 1000) {
    std::string piece = bomb.substr(i, 1000);
    char size[16];
    std::snprintf(size, sizeof size, "%zx\r\n", piece.size());
    chunked += size + piece + "\r\n";
  }
  EXPECT_EQ(
      read_all(post("Content-Encoding: gzip\r\nTransfer-Encoding: chunked\r\n", chunked + "0\r\n\r\n"), limits).status,
      413);
}

TEST(RequestReader, BrokenCompressedBodiesAre400) {
  std::string z = compress("{\"a\": 1}", true);
  auto with = [](const std::string& body) {
    return post("Content-Encoding: gzip\r\nContent-Length: " + std::to_string(body.size()) + "\r\n", body);
  };
  EXPECT_EQ(read_all(with(z.substr(0, z.size() - 4))).status, 400);  // ends early
  EXPECT_EQ(read_all(with(z + "extra")).status, 400);                // data after the end
  EXPECT_EQ(read_all(with("not gzip at all")).status, 400);
}

TEST(RequestReader, UnknownContentEncodingIs415) {
  EXPECT_EQ(read_all(post("Content-Encoding: br\r\nContent-Length: 2\r\n", "{}")).status, 415);
  EXPECT_EQ(read_all(post("Content-Encoding: gzip, gzip\r\nContent-Length: 2\r\n", "{}")).status, 415);
  EXPECT_EQ(read_all(post("Content-Encoding: gzip\r\nContent-Encoding: gzip\r\nContent-Length: 2\r\n", "{}")).status,
            415);
  EXPECT_EQ(read_all(post("Content-Encoding: identity\r\nContent-Length: 2\r\n", "{}")).body, "{}");
}

TEST(RequestReader, ResetMakesItReadyForTheNextRequest) {
  RequestReader r(small_limits());
  r.feed(post("Content-Length: 2\r\nContent-Encoding: gzip\r\n", ""));
  r.reset();
  EXPECT_FALSE(r.started());
  r.feed(post("Content-Length: 3\r\n", "abc"));
  ASSERT_EQ(r.state(), State::kDone);
  EXPECT_EQ(r.body(), "abc");
}

}  // namespace
}  // namespace caravan::server
