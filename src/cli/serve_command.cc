// `caravan serve …` — the HTTP API and the web map.
#include <pthread.h>
#include <signal.h>

#include <chrono>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <thread>

#include "caravan/file.h"
#include "caravan/load.h"
#include "caravan/server.h"
#include "commands.h"

namespace caravan::cli {
namespace {

struct ServeOptions {
  std::string bind = "127.0.0.1";
  int port = 8080;
  std::string data;
  std::string token_file;
  std::string web;
  std::string db;
  unsigned threads = 0;
  unsigned max_heavy = 0;
  std::size_t max_connections = 512;
  std::size_t max_body = 256 * 1024;
  std::size_t route_cache = 2048;
  double request_deadline = 60;  // seconds
  std::uint64_t max_labels = Budget{}.max_labels;
};

// The bearer token: the first line of the token file, else $CARAVAN_TOKEN.
// Empty when neither is given (write endpoints then refuse every request).
Result<std::string> read_token(const std::string& file) {
  std::string token;
  if (!file.empty()) {
    auto text = read_regular_file(file, kMaxTokenFileBytes);
    if (!text) {
      Error e = text.error();
      e.message = "--token-file: " + e.to_string();
      e.file.clear();
      return e;
    }
    token = text->substr(0, text->find('\n'));
  } else if (const char* env = std::getenv("CARAVAN_TOKEN")) {
    token = env;
  } else {
    return std::string();
  }
  while (!token.empty() && std::isspace(static_cast<unsigned char>(token.back()))) token.pop_back();
  while (!token.empty() && std::isspace(static_cast<unsigned char>(token.front()))) token.erase(token.begin());
  if (token.size() < 16) {
    return Error::invalid("token too short: " + std::to_string(token.size()) + " characters (expected at least 16)");
  }
  for (char c : token) {
    if (c < 0x21 || c > 0x7e)
      return Error::invalid("token has a space or control character (expected printable ASCII)");
  }
  return token;
}

// $XDG_STATE_HOME/caravan/scenarios.sqlite, else ~/.local/state/caravan/…;
// in memory when neither is known.
std::filesystem::path default_db_path() {
  if (const char* xdg = std::getenv("XDG_STATE_HOME"); xdg && *xdg) {
    return std::filesystem::path(xdg) / "caravan" / "scenarios.sqlite";
  }
  if (const char* home = std::getenv("HOME"); home && *home) {
    return std::filesystem::path(home) / ".local" / "state" / "caravan" / "scenarios.sqlite";
  }
  return ":memory:";
}

// $CARAVAN_WEB, else the installed web map beside the program
// (share/caravan/web), else the build tree's.
std::filesystem::path default_web_dir() {
  if (const char* env = std::getenv("CARAVAN_WEB")) return env;
  std::error_code ec;
  if (auto share = installed_share_dir();
      !share.empty() && std::filesystem::is_regular_file(share / "web" / "index.html", ec)) {
    return share / "web";
  }
  return CARAVAN_WEB_DIR;
}

int run(const ServeOptions& o) {
  auto token = read_token(o.token_file);
  if (!token) return report(token.errors());
  const std::filesystem::path data_dir = o.data.empty() ? default_data_dir() : std::filesystem::path(o.data);
  auto net = load_network(data_dir);
  if (!net) return report(net.errors());

  // SIGINT and SIGTERM are taken by one thread with sigwait, so they are
  // blocked before any worker starts (threads inherit the mask).
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  ServerOptions options;
  options.bind = o.bind;
  options.port = o.port;
  options.token = *token;
  options.web_dir = o.web.empty() ? default_web_dir() : std::filesystem::path(o.web);
  options.threads = o.threads;
  options.max_heavy = o.max_heavy;
  options.max_connections = o.max_connections;
  options.scenario_dir = data_dir / "scenarios";
  options.db_path = o.db.empty() ? default_db_path() : std::filesystem::path(o.db);
  options.max_body_bytes = o.max_body;
  options.route_cache_entries = o.route_cache;
  options.max_labels = o.max_labels;
  options.request_timeout = std::chrono::milliseconds(static_cast<long long>(o.request_deadline * 1000));
  bool has_web = std::filesystem::is_regular_file(options.web_dir / "index.html");
  auto server = Server::create(std::make_shared<const Network>(std::move(net).value()), options);
  if (!server) return report(server.errors());

  std::thread waiter([&] {
    int sig = 0;
    sigwait(&signals, &sig);
    (*server)->stop();
  });
  std::cerr << "caravan: serving " << (has_web ? "the web map and " : "") << "the API on " << (*server)->url()
            << (has_web ? "" : " (no web ui: build it with `make run`)") << "\n";
  std::cerr << "caravan: "
            << (token->empty() ? "no token: write endpoints are disabled" : "write endpoints need the bearer token")
            << "; Ctrl-C stops\n";
  std::cout << (*server)->url() << std::endl;
  Status st = (*server)->run();
  // Wake the waiter if the listener ended without a signal.
  pthread_kill(waiter.native_handle(), SIGTERM);
  waiter.join();
  std::cerr << "caravan: stopped\n";
  if (!st.ok()) return report(st.errors());
  return kExitOk;
}

}  // namespace

Runner add_serve_command(CLI::App& app) {
  auto o = std::make_shared<ServeOptions>();
  CLI::App* cmd = app.add_subcommand("serve", "Serve the HTTP API and the web map");
  cmd->description(
      "Serve the web map at / and the JSON API under /v1/ (route, places, network, scenarios,\n"
      "matrix, compare, simulate; OpenAPI document at /v1/openapi.json) from one process, over\n"
      "the dataset loaded once at start.\n"
      "Listens on 127.0.0.1 unless told otherwise. Write endpoints need a bearer token, read from\n"
      "--token-file or $CARAVAN_TOKEN (never logged); without one they refuse every request.\n"
      "One access-log line per request goes to stderr. Ctrl-C or SIGTERM stops after the\n"
      "requests in flight are answered.");
  cmd->add_option("--bind", o->bind,
                  "Address to listen on (default 127.0.0.1; 0.0.0.0 exposes the server to the network)");
  cmd->add_option("--port", o->port, "TCP port (default 8080; 0 picks a free one, printed on stdout)")
      ->check(CLI::Range(0, 65535));
  cmd->add_option("--data", o->data, "Dataset folder (default: the embedded data/central-asia, or $CARAVAN_DATA)");
  cmd->add_option("--token-file", o->token_file,
                  "File whose first line is the bearer token for write endpoints (default: $CARAVAN_TOKEN)");
  cmd->add_option(
      "--web", o->web,
      "Folder of the built web UI (default: $CARAVAN_WEB, the installed share/caravan/web, or the build's web-ui/)");
  cmd->add_option("--db", o->db,
                  "SQLite file of scenarios saved through the API (default $XDG_STATE_HOME/caravan/scenarios.sqlite "
                  "or ~/.local/state/caravan/scenarios.sqlite; :memory: keeps none)");
  cmd->add_option("--threads", o->threads,
                  "Worker threads (default max(16, 4 x cores)); each answers one request at a time")
      ->check(CLI::Range(1u, 1024u));
  cmd->add_option("--max-heavy", o->max_heavy,
                  "Heavy requests (matrix, compare, simulate, route with samples) run at once (default max(2, cores)); "
                  "more get 429 with Retry-After")
      ->check(CLI::Range(1u, 1024u));
  cmd->add_option("--max-connections", o->max_connections,
                  "Open connections at most (default 512); at the limit the one idle the longest is closed")
      ->check(CLI::Range(std::size_t{1}, std::size_t{65536}));
  cmd->add_option("--max-body", o->max_body,
                  "Largest request body in bytes, as sent and once decompressed (default 262144); larger gets 413")
      ->check(CLI::Range(std::size_t{1}, std::size_t{64} << 20));
  cmd->add_option("--request-deadline", o->request_deadline,
                  "Seconds a request may take from its last byte to its answer (default 60), waiting for a worker "
                  "and inside the planner, Monte Carlo and simulator; past it 503 with Retry-After")
      ->check(CLI::Range(0.1, 3600.0));
  cmd->add_option("--max-labels", o->max_labels,
                  "Labels one route search may create (default 20000000, about 1.5 GB at most); past it 422")
      ->check(CLI::Range(std::uint64_t{1000}, std::uint64_t{200'000'000}));
  cmd->add_option("--route-cache", o->route_cache,
                  "Route answers kept for repeated queries (default 2048, at most 32 MB; 0 turns the cache off)");
  cmd->footer(
      "\nExamples:\n"
      "  caravan serve\n"
      "      the map at http://127.0.0.1:8080/\n"
      "  curl 'http://127.0.0.1:8080/v1/route?from=xian&to=tashkent&depart=2026-03-02T08:00Z'\n"
      "      the Itinerary JSON contract, as `caravan route --format json`\n"
      "  curl 'http://127.0.0.1:8080/v1/places?q=horg'\n"
      "      places for autocomplete\n"
      "  curl 'http://127.0.0.1:8080/v1/route?from=xian&to=tashkent&scenario=green-lanes&deadline=2026-03-12'\n"
      "      with the dataset's green-lanes scenario, and the chance to arrive by the 12th\n"
      "  curl -H \"Authorization: Bearer $TOKEN\" --data-binary @my.toml 'http://127.0.0.1:8080/v1/scenarios?id=my'\n"
      "      save a scenario (validated as scenario files are)\n"
      "  CARAVAN_TOKEN=$(cat ~/.caravan-token) caravan serve --port 9000\n"
      "      with writes enabled for clients that send the token\n"
      "\nExit codes: 0 stopped cleanly, 2 bad option, data or token file, 3 cannot listen.");
  return [o] { return run(*o); };
}

}  // namespace caravan::cli
