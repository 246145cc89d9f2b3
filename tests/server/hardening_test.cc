// The server against hostile and careless clients, end to end over
// 127.0.0.1: compressed and chunked bodies past the limit, ambiguous framing,
// floods of header fields, slow clients, token guessing, too much heavy work,
// and what a client is told when the server itself fails.
#include <gtest/gtest.h>
#include <httplib.h>
#include <sqlite3.h>

#include <atomic>
#include <chrono>
#include <fstream>
#include <future>
#include <nlohmann/json.hpp>
#include <thread>

#include "compress.h"
#include "raw_http.h"
#include "running_server.h"

namespace caravan {
namespace {

using nlohmann::json;
using testing::default_options;
using testing::kToken;
using testing::RawConnection;
using testing::RawResponse;
using testing::RunningServer;
using namespace std::chrono_literals;

std::string gzip(const std::string& text, bool gzip_header = true) { return testing::compress(text, gzip_header); }

// A valid matrix request, padded with `padding` spaces.
std::string matrix_body(std::size_t padding) {
  return R"({"places": [)" + std::string(padding, ' ') +
         R"("xian", "almaty"], "samples": 0, "depart": "2026-03-02T08:00Z"})";
}

std::string post_head(const std::string& path, const std::string& fields) {
  return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n" + fields + "\r\n";
}

std::string error_code(const RawResponse& r) {
  try {
    return json::parse(r.body)["error"]["code"];
  } catch (...) {
    return "(not a JSON error: " + r.body.substr(0, 80) + ")";
  }
}

const char* kScenario =
    "name = \"Faster Khorgos\"\n[[measures]]\ntype = \"set_clearance\"\ncrossing = \"khorgos-altynkol-rail\"\n"
    "median_h = 2.0\np90_h = 4.0\n";

// Peak resident memory of this process (the server runs in it), in MB.
double peak_rss_mb() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmHWM:", 0) == 0) return std::stod(line.substr(6)) / 1024;
  }
  return 0;
}

class Hardening : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { server_ = new RunningServer(default_options()); }
  static void TearDownTestSuite() {
    delete server_;
    server_ = nullptr;
  }
  static RunningServer* server_;
};
RunningServer* Hardening::server_ = nullptr;

// ---- bodies: counted against --max-body as they stream ----------------------

TEST_F(Hardening, GzipBombIsRefusedAt413WithoutInflatingIt) {
  // 50 KB of gzip (or deflate) that would inflate to 50 MB of JSON.
  const std::string bombs[] = {gzip(matrix_body(50 << 20)), gzip(matrix_body(50 << 20), false)};
  const double before = peak_rss_mb();  // after the test's own 50 MB strings
  for (const char* encoding : {"gzip", "deflate"}) {
    const std::string& body = bombs[std::string(encoding) == "gzip" ? 0 : 1];
    ASSERT_LT(body.size(), 256u * 1024);
    RawConnection c(server_->port());
    c.send(post_head("/v1/matrix", "Content-Encoding: " + std::string(encoding) +
                                       "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n") +
           body);
    RawResponse r = c.read_response();
    EXPECT_EQ(r.status, 413) << encoding;
    EXPECT_EQ(error_code(r), "body_too_large") << encoding;
  }
  EXPECT_LT(peak_rss_mb() - before, 40) << "the server inflated far past the limit";
}

TEST_F(Hardening, SmallCompressedBodiesAreStillServed) {
  const std::string body = gzip(matrix_body(10));
  RawConnection c(server_->port());
  c.send(post_head("/v1/matrix", "Content-Encoding: gzip\r\nContent-Length: " + std::to_string(body.size()) + "\r\n") +
         body);
  RawResponse r = c.read_response(60s);
  EXPECT_EQ(r.status, 200) << r.body;
}

TEST_F(Hardening, UnknownBodyEncodingIs415) {
  RawConnection c(server_->port());
  c.send(post_head("/v1/matrix", "Content-Encoding: br\r\nContent-Length: 2\r\n") + "{}");
  RawResponse r = c.read_response();
  EXPECT_EQ(r.status, 415);
  EXPECT_EQ(error_code(r), "unsupported_encoding");
}

std::string chunked(const std::string& body, std::size_t piece) {
  std::string out;
  for (std::size_t i = 0; i < body.size(); i += piece) {
    std::string p = body.substr(i, piece);
    char size[20];
    std::snprintf(size, sizeof size, "%zx\r\n", p.size());
    out += size + p + "\r\n";
  }
  return out + "0\r\n\r\n";
}

TEST_F(Hardening, ChunkedBodiesPastTheLimitAre413) {
  for (std::size_t size : {std::size_t{600} << 10, std::size_t{20} << 20}) {
    const std::string request =
        post_head("/v1/matrix", "Transfer-Encoding: chunked\r\n") + chunked(matrix_body(size), 16384);
    RawConnection c(server_->port());  // after the 20 MB are built: an idle connection is closed after 5 s
    // The server answers before it has the whole body; send it beside.
    auto sender = std::async(std::launch::async, [&] { return c.send(request); });
    RawResponse r = c.read_response();
    EXPECT_EQ(r.status, 413) << size;
    EXPECT_EQ(error_code(r), "body_too_large");
    sender.get();
  }
}

TEST_F(Hardening, ChunkedBodiesWithinTheLimitAreServed) {
  RawConnection c(server_->port());
  c.send(post_head("/v1/matrix", "Transfer-Encoding: chunked\r\n") + chunked(matrix_body(1000), 100));
  EXPECT_EQ(c.read_response(60s).status, 200);
}

// The limit is the transport's, before any route: every endpoint that takes a
// body gets the same 413, the simulator's and the store's as much as the matrix.
TEST_F(Hardening, EveryBodyTakingEndpointCountsItsBodyAgainstTheLimit) {
  const std::string lane = R"({"from": "xian", "to": "almaty", "teu_per_year": 1000})";
  const std::string padded = R"({"demand": [)" + std::string(600 << 10, ' ') + lane + "]}";
  const std::string bomb = gzip(R"({"demand": [)" + std::string(20 << 20, ' ') + lane + "]}");
  ASSERT_LT(bomb.size(), 256u * 1024);
  for (const char* path : {"/v1/simulate", "/v1/compare", "/v1/matrix", "/v1/scenarios"}) {
    const std::string auth =
        std::string(path) == "/v1/scenarios" ? "Authorization: Bearer " + std::string(kToken) + "\r\n" : "";
    {
      RawConnection c(server_->port());
      auto sender = std::async(std::launch::async, [&] {
        return c.send(post_head(path, auth + "Content-Length: " + std::to_string(padded.size()) + "\r\n") + padded);
      });
      RawResponse r = c.read_response();
      EXPECT_EQ(r.status, 413) << path << " plain";
      EXPECT_EQ(error_code(r), "body_too_large") << path;
      sender.get();
    }
    {
      RawConnection c(server_->port());
      auto sender = std::async(std::launch::async, [&] {
        return c.send(post_head(path, auth + "Transfer-Encoding: chunked\r\n") + chunked(padded, 16384));
      });
      RawResponse r = c.read_response();
      EXPECT_EQ(r.status, 413) << path << " chunked";
      sender.get();
    }
    {
      RawConnection c(server_->port());
      c.send(
          post_head(path, auth + "Content-Encoding: gzip\r\nContent-Length: " + std::to_string(bomb.size()) + "\r\n") +
          bomb);
      RawResponse r = c.read_response();
      EXPECT_EQ(r.status, 413) << path << " gzip";
      EXPECT_EQ(error_code(r), "body_too_large") << path;
    }
  }
}

// ---- framing and head limits ----------------------------------------------------

TEST_F(Hardening, TwoDifferentContentLengthsAre400) {
  RawConnection c(server_->port());
  c.send(post_head("/v1/matrix", "Content-Length: 2\r\nContent-Length: 40\r\n") + "{}");
  RawResponse r = c.read_response();
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(r.body.find("more than one Content-Length"), std::string::npos) << r.body;
  EXPECT_EQ(r.headers["connection"], "close");
  EXPECT_TRUE(c.closed_within(5s));
}

TEST_F(Hardening, ContentLengthWithChunkedIs400) {
  RawConnection c(server_->port());
  c.send(post_head("/v1/matrix", "Content-Length: 7\r\nTransfer-Encoding: chunked\r\n") + "2\r\n{}\r\n0\r\n\r\n");
  EXPECT_EQ(c.read_response().status, 400);
}

TEST_F(Hardening, AFloodOfHeaderFieldsIs431) {
  std::string fields;
  for (int i = 0; i < 100000; ++i) fields += "X-" + std::to_string(i) + ": y\r\n";
  RawConnection c(server_->port());
  auto sender =
      std::async(std::launch::async, [&] { return c.send("GET /healthz HTTP/1.1\r\nHost: x\r\n" + fields + "\r\n"); });
  RawResponse r = c.read_response();
  EXPECT_EQ(r.status, 431);
  EXPECT_EQ(error_code(r), "headers_too_large");
  sender.get();
  RawConnection big(server_->port());
  big.send("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(20000, 'b') + "\r\n\r\n");
  EXPECT_EQ(big.read_response().status, 431);
}

TEST_F(Hardening, ExpectContinueWithALengthPastTheLimitIs413AtOnce) {
  RawConnection c(server_->port());
  c.send(post_head("/v1/matrix", "Expect: 100-continue\r\nContent-Length: 40000000\r\n"));
  const auto start = std::chrono::steady_clock::now();
  RawResponse r = c.read_response(5s);
  EXPECT_EQ(r.status, 413) << "no 100 Continue for a body that will be refused";
  EXPECT_LT(std::chrono::steady_clock::now() - start, 3s);
}

TEST_F(Hardening, ExpectContinueWithinTheLimitGetsContinueThenTheAnswer) {
  const std::string body = matrix_body(0);
  RawConnection c(server_->port());
  c.send(post_head("/v1/matrix", "Expect: 100-continue\r\nContent-Length: " + std::to_string(body.size()) + "\r\n"));
  EXPECT_EQ(c.read_response(5s).status, 100);
  c.send(body);
  EXPECT_EQ(c.read_response(60s).status, 200);
}

TEST_F(Hardening, PipelinedRequestsAreAnsweredInOrder) {
  RawConnection c(server_->port());
  c.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /v1/places?q=almaty HTTP/1.1\r\nHost: x\r\n\r\n");
  RawResponse a = c.read_response(), b = c.read_response();
  EXPECT_EQ(a.status, 200);
  EXPECT_EQ(json::parse(a.body)["status"], "ok");
  EXPECT_EQ(b.status, 200);
  EXPECT_EQ(json::parse(b.body)["query"], "almaty");
}

TEST_F(Hardening, EveryAnswerCarriesARequestId) {
  RawConnection c(server_->port());
  c.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /nothing HTTP/1.1\r\nHost: x\r\n\r\n");
  RawResponse a = c.read_response(), b = c.read_response();
  EXPECT_EQ(a.headers["x-request-id"].size(), 16u);
  EXPECT_EQ(b.headers["x-request-id"].size(), 16u);
  EXPECT_NE(a.headers["x-request-id"], b.headers["x-request-id"]);
  RawConnection bad(server_->port());
  bad.send("GET / HTTP/1.1\nHost: x\n\n");
  RawResponse r = bad.read_response();
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.headers["x-request-id"].size(), 16u);
}

// ---- slow clients -------------------------------------------------------------

TEST(HardeningServer, HealthzAnswersWithinASecondWhileFiftySlowClientsHoldConnections) {
  RunningServer s(default_options());  // 16 workers: fewer than the slow clients
  std::atomic<bool> done{false};
  std::vector<std::unique_ptr<RawConnection>> slow;
  for (int i = 0; i < 50; ++i) {
    slow.push_back(std::make_unique<RawConnection>(s.port()));
    slow.back()->send("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ");
  }
  std::thread dribble([&] {  // one more byte on each, every 200 ms
    while (!done) {
      for (auto& c : slow) c->send("a");
      std::this_thread::sleep_for(200ms);
    }
  });
  std::this_thread::sleep_for(300ms);
  httplib::Client c("127.0.0.1", s.port());
  c.set_connection_timeout(1);
  c.set_read_timeout(1);
  for (int i = 0; i < 5; ++i) {
    const auto start = std::chrono::steady_clock::now();
    auto h = c.Get("/healthz");
    ASSERT_TRUE(h) << "healthz unanswered: " << httplib::to_string(h.error());
    EXPECT_EQ(h->status, 200);
    EXPECT_LT(std::chrono::steady_clock::now() - start, 1s);
  }
  done = true;
  dribble.join();
}

TEST(HardeningServer, AClientTooSlowToSendItsRequestIsCutWith408) {
  ServerOptions o = default_options();
  o.read_timeout = 300ms;
  RunningServer s(o);
  RawConnection c(s.port());
  c.send("GET /healthz HTTP/1.1\r\n");
  const auto start = std::chrono::steady_clock::now();
  RawResponse r;
  for (int i = 0; i < 30 && r.status == 0; ++i) {  // a byte every 100 ms never finishes the head
    c.send("X");
    r = c.read_response(100ms);
  }
  EXPECT_EQ(r.status, 408);
  EXPECT_EQ(error_code(r), "request_timeout");
  EXPECT_LT(std::chrono::steady_clock::now() - start, 2s);
}

TEST(HardeningServer, AtTheConnectionLimitTheLongestIdleOneMakesRoom) {
  ServerOptions o = default_options();
  o.max_connections = 4;
  RunningServer s(o);
  std::vector<std::unique_ptr<RawConnection>> idle;
  for (int i = 0; i < 4; ++i) {
    idle.push_back(std::make_unique<RawConnection>(s.port()));
    idle.back()->send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    ASSERT_EQ(idle.back()->read_response().status, 200);  // kept alive, now idle
    std::this_thread::sleep_for(20ms);
  }
  RawConnection fresh(s.port());
  fresh.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(fresh.read_response().status, 200);
  EXPECT_TRUE(idle[0]->closed_within(2s)) << "the oldest idle connection should have been closed";
  idle[1]->send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
  EXPECT_EQ(idle[1]->read_response().status, 200) << "the others stay";
}

// ---- tokens -------------------------------------------------------------------

TEST(HardeningServer, RepeatedWrongTokensFromOneAddressMustWait) {
  ServerOptions o = default_options();
  o.auth_free_failures = 3;
  o.auth_first_wait = 700ms;
  RunningServer s(o);
  auto save = [&](const std::string& token) {
    httplib::Client c("127.0.0.1", s.port());
    return c.Post("/v1/scenarios?id=guess", {{"Authorization", "Bearer " + token}}, kScenario, "application/toml");
  };
  for (int i = 0; i < 4; ++i) EXPECT_EQ(save("wrong-token-" + std::to_string(i))->status, 401);
  // The fourth wrong token started a wait: now even the right one is not looked at.
  auto blocked = save(kToken);
  EXPECT_EQ(blocked->status, 429);
  EXPECT_EQ(json::parse(blocked->body)["error"]["code"], "too_many_failures");
  EXPECT_EQ(blocked->get_header_value("Retry-After"), "1");
  std::this_thread::sleep_for(800ms);
  auto saved = save(kToken);
  EXPECT_NE(saved->status, 429);
  EXPECT_NE(saved->status, 401);
  // Asking without any token is not a guess and is never made to wait.
  httplib::Client c("127.0.0.1", s.port());
  for (int i = 0; i < 10; ++i) EXPECT_EQ(c.Delete("/v1/scenarios/guess")->status, 401);
}

// ---- heavy work, deadlines ----------------------------------------------------

// A matrix that keeps one worker busy for seconds: `n` terminals (40 is the
// most the API takes), 1,000 samples per pair.
std::string slow_body(std::size_t n = 40) {
  json places = json::array();
  for (const Location& l : testing::dataset()->locations) {
    if (places.size() < n && l.kind == LocationKind::kTerminal) places.push_back(l.id);
  }
  return json{{"depart", "2026-03-02T08:00Z"}, {"samples", 1000}, {"places", places}}.dump();
}

TEST(HardeningServer, HeavyRequestsPastTheLimitAre429WithRetryAfter) {
  ServerOptions o = default_options();
  o.max_heavy = 1;
  RunningServer s(o);
  std::atomic<bool> slow_done{false};
  auto slow = std::async(std::launch::async, [&] {
    auto c = s.client();
    auto r = c.Post("/v1/matrix", slow_body(), "application/json");
    slow_done = true;
    return r ? r->status : -1;
  });
  std::this_thread::sleep_for(500ms);
  auto c = s.client();
  auto matrix = c.Post("/v1/matrix", matrix_body(0), "application/json");
  ASSERT_TRUE(matrix);
  EXPECT_EQ(matrix->status, 429);
  EXPECT_EQ(matrix->get_header_value("Retry-After"), "1");
  EXPECT_EQ(json::parse(matrix->body)["error"]["code"], "too_busy");
  auto reliable = c.Get("/v1/route?from=xian&to=almaty&depart=2026-03-02T08:00Z&samples=100");
  EXPECT_EQ(reliable->status, 429) << "a route with a Monte Carlo is heavy too";
  auto plain = c.Get("/v1/route?from=xian&to=almaty&depart=2026-03-02T08:00Z");
  EXPECT_EQ(plain->status, 200) << "a plain route is not";
  auto compared = c.Post("/v1/compare", R"({"places": ["xian", "almaty"], "samples": 0, "scenario": "green-lanes"})",
                         "application/json");
  EXPECT_EQ(compared->status, 429) << "a comparison is heavy";
  auto simulated = c.Post("/v1/simulate", R"({"demand": [{"from": "xian", "to": "almaty", "teu_per_year": 1000}]})",
                          "application/json");
  EXPECT_EQ(simulated->status, 429) << "a simulation is heavy";
  EXPECT_EQ(json::parse(simulated->body)["error"]["code"], "too_busy");
  EXPECT_FALSE(slow_done) << "the slow request finished before the others: it proves nothing";
  EXPECT_EQ(slow.get(), 200);
  EXPECT_EQ(c.Post("/v1/matrix", matrix_body(0), "application/json")->status, 200) << "the slot came back";
}

TEST(HardeningServer, ARequestThatWaitedPastItsDeadlineIs503) {
  ServerOptions o = default_options();
  o.threads = 1;
  o.request_timeout = 200ms;
  const auto db = o.db_path;
  RunningServer s(o);
  // The one worker waits for the store's write lock (busy timeout 5 s),
  // which no work budget stops.
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(db.c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  auto slow = std::async(std::launch::async, [&] {
    auto c = s.client();
    auto r = c.Post("/v1/scenarios?id=waits", {{"Authorization", std::string("Bearer ") + kToken}}, kScenario,
                    "application/toml");
    return r ? r->status : -1;
  });
  std::this_thread::sleep_for(300ms);  // the one worker is busy
  auto c = s.client();
  auto waited = c.Get("/healthz");
  sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(other);
  ASSERT_TRUE(waited);
  EXPECT_EQ(waited->status, 503);
  EXPECT_EQ(json::parse(waited->body)["error"]["code"], "unavailable");
  EXPECT_FALSE(waited->get_header_value("Retry-After").empty());
  slow.get();
  EXPECT_EQ(s.client().Get("/healthz")->status, 200);
}

TEST(HardeningServer, HeavyWorkOutOfTimeIs503BeforeItsNextPhase) {
  // A comparison is two matrices; the first one uses up the deadline, so the
  // second is not started.
  ServerOptions o = default_options();
  o.request_timeout = 200ms;
  RunningServer s(o);
  json body = json::parse(slow_body(20));
  body["scenario"] = "green-lanes";
  auto c = s.client();
  const auto start = std::chrono::steady_clock::now();
  auto r = c.Post("/v1/compare", body.dump(), "application/json");
  const auto took = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(r);
  ASSERT_GT(took, 200ms) << "the first matrix was too quick to use up the deadline: it proves nothing";
  EXPECT_EQ(r->status, 503) << r->body;
  EXPECT_EQ(json::parse(r->body)["error"]["code"], "deadline");
  EXPECT_EQ(r->get_header_value("Retry-After"), "5");
}

// ---- the work budget inside the core --------------------------------------------

// The status of the first access-log line for `path`, waiting up to 60 s for it.
int logged_status(RunningServer& s, const std::string& path) {
  for (int i = 0; i < 600; ++i) {
    for (const std::string& line : s.log()) {
      auto at = line.find("\"POST " + path + "\" ");
      if (at != std::string::npos) return std::stoi(line.substr(at + path.size() + 8));
    }
    std::this_thread::sleep_for(100ms);
  }
  return -1;
}

TEST(HardeningServer, HeavyWorkPastTheDeadlineStopsInsideTheCoreWith503) {
  // One matrix (one phase): the deadline is checked inside its searches and
  // replays, not only before it starts.
  ServerOptions o = default_options();
  o.request_timeout = 200ms;
  RunningServer s(o);
  auto c = s.client();
  auto m = c.Post("/v1/matrix", slow_body(40), "application/json");
  ASSERT_TRUE(m);
  EXPECT_EQ(m->status, 503) << m->body.substr(0, 200);
  EXPECT_EQ(json::parse(m->body)["error"]["code"], "deadline");
  EXPECT_EQ(m->get_header_value("Retry-After"), "5");
  auto route = c.Get("/v1/route?from=xian&to=tashkent&depart=2026-03-02T08:00Z&samples=10000&seed=7");
  ASSERT_TRUE(route);
  EXPECT_EQ(route->status, 503) << "a route's Monte Carlo: " << route->body.substr(0, 200);
  json lanes = json::array();
  for (const char* to : {"almaty", "tashkent", "aktau", "baku", "bishkek"}) {
    lanes.push_back({{"from", "xian"}, {"to", to}, {"teu_per_year", 20000}});
  }
  auto sim =
      c.Post("/v1/simulate", json{{"demand", lanes}, {"days", 730}, {"warmup", 14}, {"sample_stages", true}}.dump(),
             "application/json");
  ASSERT_TRUE(sim);
  EXPECT_EQ(sim->status, 503) << "a simulation: " << sim->body.substr(0, 200);
  EXPECT_EQ(json::parse(sim->body)["error"]["code"], "deadline");
  // Within its deadline the same server answers.
  EXPECT_EQ(c.Post("/v1/matrix", matrix_body(0), "application/json")->status, 200);
}

TEST(HardeningServer, ASearchPastItsLabelBudgetIs422) {
  ServerOptions o = default_options();
  o.max_labels = 50;
  RunningServer s(o);
  auto c = s.client();
  auto r = c.Get("/v1/route?from=xian&to=tashkent&depart=2026-03-02T08:00Z");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 422) << r->body;
  const json e = json::parse(r->body)["error"];
  EXPECT_EQ(e["code"], "too_much_work");
  EXPECT_NE(e["message"].get<std::string>().find("label"), std::string::npos) << e["message"];
  auto m = c.Post("/v1/matrix", matrix_body(0), "application/json");
  EXPECT_EQ(m->status, 422) << "a matrix's searches have the same budget";
  EXPECT_EQ(c.Get("/healthz")->status, 200);
}

TEST(HardeningServer, WorkForAClientThatHungUpIsCancelled) {
  ServerOptions o = default_options();
  o.max_heavy = 1;
  RunningServer s(o);
  {
    RawConnection gone(s.port());
    const std::string body = slow_body(40);
    gone.send(post_head("/v1/matrix", "Content-Length: " + std::to_string(body.size()) + "\r\n") + body);
    std::this_thread::sleep_for(300ms);  // the matrix has started
  }                                      // hangs up
  // Without cancellation the matrix would run to the end and be logged 200.
  EXPECT_EQ(logged_status(s, "/v1/matrix"), 503);
  EXPECT_EQ(s.client().Post("/v1/matrix", matrix_body(0), "application/json")->status, 200) << "the slot came back";
}

// ---- the server's own failures -------------------------------------------------

TEST(HardeningServer, AnInternalFailureNamesARequestIdAndLogsTheCause) {
  ServerOptions o = default_options();
  const auto db = o.db_path;
  RunningServer s(o);
  // Another connection holds the database's write lock past the busy timeout.
  sqlite3* other = nullptr;
  ASSERT_EQ(sqlite3_open(db.c_str(), &other), SQLITE_OK);
  ASSERT_EQ(sqlite3_exec(other, "BEGIN IMMEDIATE", nullptr, nullptr, nullptr), SQLITE_OK);
  httplib::Client c("127.0.0.1", s.port());
  c.set_read_timeout(30);
  auto r = c.Post("/v1/scenarios?id=locked", {{"Authorization", std::string("Bearer ") + kToken}}, kScenario,
                  "application/toml");
  sqlite3_exec(other, "ROLLBACK", nullptr, nullptr, nullptr);
  sqlite3_close(other);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 500);
  const std::string id = r->get_header_value("X-Request-Id");
  const std::string message = json::parse(r->body)["error"]["message"];
  EXPECT_EQ(message, "internal error (request " + id + "; the server log has the details)");
  bool logged = false;
  for (const std::string& line : s.log()) {
    if (line.find("caravan: request " + id + ": ") == 0 && line.find("locked") != std::string::npos) logged = true;
  }
  EXPECT_TRUE(logged) << "the cause goes to the log under the request id";
}

TEST_F(Hardening, MalformedJsonIsDescribedWithoutTheParsersInternals) {
  auto c = server_->client();
  auto r = c.Post("/v1/matrix", R"({"places": [)", "application/json");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  const std::string message = json::parse(r->body)["error"]["message"];
  EXPECT_EQ(message.find("json.exception"), std::string::npos) << message;
  EXPECT_NE(message.find("malformed JSON"), std::string::npos) << message;
}

}  // namespace
}  // namespace caravan
