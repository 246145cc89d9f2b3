#include "caravan/server.h"

#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <list>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <random>
#include <span>
#include <thread>
#include <unordered_map>
#include <vector>

#include "admission.h"
#include "caravan/matrix.h"
#include "caravan/places.h"
#include "caravan/present.h"
#include "caravan/request.h"
#include "caravan/route.h"
#include "caravan/scenario.h"
#include "caravan/sim.h"
#include "caravan/stochastic.h"
#include "catalog.h"
#include "httplib_bridge.h"
#include "request_fields.h"
#include "transport.h"

namespace caravan {
namespace {

using nlohmann::ordered_json;
using server::Catalog;
using server::CatalogEntry;
using server::ScenarioIndex;

// Rendered route answers by canonical query, least recently used dropped
// first. Correct because the network (and, per key, the scenario set) never
// changes while the server runs; bounded in entries and bytes.
class RouteCache {
 public:
  RouteCache(std::size_t max_entries, std::size_t max_bytes) : max_entries_(max_entries), max_bytes_(max_bytes) {}

  std::shared_ptr<const std::string> find(const std::string& key) {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = map_.find(key);
    if (it == map_.end()) return nullptr;
    lru_.splice(lru_.begin(), lru_, it->second);
    return it->second->second;
  }

  void put(const std::string& key, std::shared_ptr<const std::string> body) {
    if (max_entries_ == 0 || body->size() > max_bytes_) return;
    std::lock_guard<std::mutex> lock(mutex_);
    if (map_.count(key) != 0) return;
    bytes_ += body->size() + key.size();
    lru_.emplace_front(key, std::move(body));
    map_.emplace(key, lru_.begin());
    while (map_.size() > max_entries_ || bytes_ > max_bytes_) {
      auto& [k, v] = lru_.back();
      bytes_ -= v->size() + k.size();
      map_.erase(k);
      lru_.pop_back();
    }
  }

 private:
  using Entry = std::pair<std::string, std::shared_ptr<const std::string>>;
  std::size_t max_entries_, max_bytes_, bytes_ = 0;
  std::mutex mutex_;
  std::list<Entry> lru_;
  std::unordered_map<std::string, std::list<Entry>::iterator> map_;
};

// Everything that decides a route answer, resolved (names already mapped to
// indexes), as a cache key.
std::string cache_key(const QueryEcho& e) {
  const RouteQuery& q = e.query;
  std::string k;
  auto add = [&k](std::int64_t v) {
    k += std::to_string(v);
    k += ',';
  };
  add(q.from.v);
  add(q.to.v);
  add(q.depart.time_since_epoch().count());
  add(q.units);
  add(static_cast<int>(q.unit));
  add(q.cargo_per_unit ? q.cargo_per_unit->kg : -1);
  add(static_cast<int>(q.objective));
  add(static_cast<int>(q.equipment));
  add(q.volume_m3 ? std::llround(*q.volume_m3 * 1000) : -1);
  add(q.value_of_time_usd ? std::llround(*q.value_of_time_usd * 1e6) : -1);
  add(q.modes.bits);
  add(static_cast<std::int64_t>(q.epsilon * 1e6));
  add(e.deadline ? e.deadline->time_since_epoch().count() : -1);
  k += "v";
  for (LocationIdx i : q.via) add(i.v);
  k += "a";
  for (LocationIdx i : q.avoid) add(i.v);
  k += "c";
  for (const std::string& c : q.avoid_countries) k += c + ",";
  k += "s";
  for (const std::string& s : e.scenarios) k += s + ",";
  return k;
}

const char* kJson = "application/json";

// Compact JSON. Text from the request (a place name echoed in a message) may
// not be UTF-8; bad bytes become U+FFFD instead of failing the response.
std::string dump(const ordered_json& j) { return j.dump(-1, ' ', false, ordered_json::error_handler_t::replace); }

void send_json(httplib::Response& res, int status, std::string body) {
  res.status = status;
  res.set_header("Cache-Control", "no-store");
  res.set_content(std::move(body), kJson);
}

// A CSV answer (Accept: text/csv or format=csv), offered as a file to save.
void send_csv(httplib::Response& res, std::string body, const std::string& name) {
  res.status = 200;
  res.set_header("Cache-Control", "no-store");
  res.set_header("Content-Disposition", "attachment; filename=\"caravan-" + name + ".csv\"");
  res.set_content(std::move(body), "text/csv; charset=utf-8");
}

// `{"error": {"code", "message", "field"}}` and a newline.
std::string error_body(std::string_view code, std::string_view message, std::string_view field = {}) {
  ordered_json e;
  e["code"] = code;
  e["message"] = message;
  e["field"] = field.empty() ? ordered_json(nullptr) : ordered_json(field);
  ordered_json root;
  root["error"] = e;
  return dump(root) + "\n";
}

void send_error(httplib::Response& res, int status, std::string_view code, std::string_view message,
                std::string_view field = {}) {
  send_json(res, status, error_body(code, message, field));
}

// The HTTP status and code word for an error of the core.
std::pair<int, std::string_view> http_status(const Error& e) {
  switch (e.code) {
    case ErrorCode::kInvalidInput:
      return {400, "bad_parameter"};
    case ErrorCode::kNotFound:
      return {404, "not_found"};
    case ErrorCode::kNoRoute:
      return {422, "no_route"};
    case ErrorCode::kInternal:
      return {500, "internal"};
    case ErrorCode::kOverBudget:
      return {422, "too_much_work"};
    case ErrorCode::kDeadline:
      return {503, "deadline"};
  }
  return {500, "internal"};
}

// The request a worker is serving: set before httplib routes it, so the
// handlers, the error hooks and the access log see the same id and times.
struct InFlight {
  std::string id;                                  // in X-Request-Id and the log
  std::chrono::steady_clock::time_point received;  // its last byte arrived
  std::chrono::steady_clock::time_point deadline;  // answer 503 past it
  std::optional<server::HeavyGate::Slot> heavy;    // held while heavy work runs
  std::string failure;                             // what went wrong inside, for the log only
  std::shared_ptr<const std::atomic<bool>> gone;   // the client hung up: stop its work
};
thread_local InFlight* t_request = nullptr;

// A failure of the server, not of the request: the client gets the request
// id, the log gets the detail (which may name files or library internals).
void send_internal_error(httplib::Response& res, std::string detail) {
  std::string id = t_request != nullptr ? t_request->id : "unknown";
  if (t_request != nullptr) t_request->failure = std::move(detail);
  send_error(res, 500, "internal", "internal error (request " + id + "; the server log has the details)");
}

void send_error(httplib::Response& res, const Error& e) {
  if (e.code == ErrorCode::kInternal) return send_internal_error(res, e.to_string());
  if (e.code == ErrorCode::kDeadline) res.set_header("Retry-After", "5");  // later, or less, may succeed
  auto [status, code] = http_status(e);
  send_error(res, status, code, e.message, e.column);
}

std::string_view default_error_code(int status) {
  switch (status) {
    case 400:
      return "bad_request";
    case 401:
      return "unauthorized";
    case 404:
      return "not_found";
    case 405:
      return "method_not_allowed";
    case 408:
      return "request_timeout";
    case 413:
      return "body_too_large";
    case 414:
      return "query_too_long";
    case 415:
      return "unsupported_encoding";
    case 416:
      return "bad_range";
    case 417:
      return "bad_expectation";
    case 429:
      return "too_busy";
    case 431:
      return "headers_too_large";
    case 501:
      return "not_implemented";
    case 503:
      return "unavailable";
    case 505:
      return "bad_version";
    default:
      return status >= 500 ? "internal" : "bad_request";
  }
}

std::string_view default_error_message(int status) {
  switch (status) {
    case 400:
      return "malformed request";
    case 401:
      return "missing or wrong bearer token";
    case 404:
      return "no such path (expected /v1/... or a file of the web ui; see /v1/openapi.json)";
    case 405:
      return "method not allowed";
    case 413:
      return "request body too large";
    case 414:
      return "request target too long";
    default:
      return status >= 500 ? "internal error" : "bad request";
  }
}

std::string utc_now() {
  auto now = std::chrono::time_point_cast<std::chrono::milliseconds>(std::chrono::system_clock::now());
  auto secs = std::chrono::time_point_cast<std::chrono::seconds>(now);
  std::string s = format_instant_utc(secs);  // 2026-03-02T08:00:00Z
  char ms[8];
  std::snprintf(ms, sizeof ms, ".%03d", static_cast<int>((now - secs).count()));
  s.insert(s.size() - 1, ms);
  return s;
}

// Quotes a request target for the log: no control characters, no quotes.
std::string loggable(std::string_view s) {
  std::string out;
  out.reserve(std::min<std::size_t>(s.size(), 512));
  for (char c : s.substr(0, 512)) {
    unsigned char u = static_cast<unsigned char>(c);
    out += (u < 0x20 || u == 0x7f || c == '"' || c == '\\') ? '?' : c;
  }
  if (s.size() > 512) out += "...";
  return out;
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  for (std::size_t i = 0; i < a.size(); ++i) {
    diff |= static_cast<unsigned char>(a[i] ^ (b.empty() ? 0 : b[i % b.size()]));
  }
  return diff == 0;
}

// A request of the API: from this server's clock, naming no files.
RequestContext remote_now() {
  return {RequestOrigin::kRemote, std::chrono::time_point_cast<Duration>(std::chrono::system_clock::now())};
}

}  // namespace

struct Server::Impl {
  std::shared_ptr<const Network> net;
  ServerOptions options;
  std::unique_ptr<Catalog> catalog;
  RouteCache route_cache;
  server::Router http;  // routes requests the transport has read
  server::HeavyGate heavy;
  server::AuthThrottle auth_throttle;
  std::string network_geojson;  // built once; the network never changes
  std::mutex log_mutex;
  std::uint32_t id_prefix = std::random_device{}();  // request ids differ across restarts
  std::atomic<std::uint32_t> id_counter{0};
  // Last, so it is destroyed first: its workers call into everything above.
  std::unique_ptr<server::Transport> transport;

  Impl(std::shared_ptr<const Network> n, ServerOptions o)
      : net(std::move(n)),
        options(std::move(o)),
        route_cache(options.route_cache_entries, options.route_cache_bytes),
        heavy(options.max_heavy != 0 ? options.max_heavy : std::max(2u, std::thread::hardware_concurrency())),
        auth_throttle({options.auth_free_failures, options.auth_first_wait, std::chrono::minutes(5),
                       std::chrono::minutes(15), 10000}) {}

  std::string next_request_id() {
    char id[20];
    std::snprintf(id, sizeof id, "%08x%08x", id_prefix, id_counter.fetch_add(1) + 1);
    return id;
  }

  void log(const std::string& line) {
    if (options.access_log) {
      options.access_log(line);
      return;
    }
    std::string l = line + '\n';
    std::lock_guard<std::mutex> lock(log_mutex);
    std::fwrite(l.data(), 1, l.size(), stderr);
  }

  // `2026-03-02T08:00:00.123Z 127.0.0.1 "GET /path" 200 1234 0.52ms 5f3a9c0e00000001`:
  // the target only; headers (and so the Authorization token) are never logged.
  void log_access(const std::string& ip, std::string_view method, std::string_view target, int status,
                  std::size_t bytes, std::chrono::steady_clock::duration took, const std::string& id) {
    char buf[160];
    std::snprintf(buf, sizeof buf, " %d %zu %.2fms ", status, bytes,
                  std::chrono::duration<double, std::milli>(took).count());
    log(utc_now() + " " + ip + " \"" + loggable(method) + " " + loggable(target) + "\"" + buf + id);
  }

  void log_line(const httplib::Request& req, const httplib::Response& res) {
    if (t_request == nullptr) return;
    log_access(req.remote_addr, req.method, req.target, res.status, res.body.size(),
               std::chrono::steady_clock::now() - t_request->received, t_request->id);
    if (!t_request->failure.empty()) log("caravan: request " + t_request->id + ": " + t_request->failure);
  }

  // True when the request carries the configured bearer token; else answers
  // 401, or 429 while the client must wait after too many wrong tokens (its
  // token is then not looked at, so waiting is the only way to try again).
  bool authorized(const httplib::Request& req, httplib::Response& res) {
    if (options.token.empty()) {
      send_error(res, 401, "unauthorized",
                 "writes are disabled: the server has no token (start it with --token-file or CARAVAN_TOKEN)");
      res.set_header("WWW-Authenticate", "Bearer");
      return false;
    }
    const std::string client = server::client_key(req.remote_addr);
    const auto now = std::chrono::steady_clock::now();
    if (auto wait = auth_throttle.wait(client, now); wait > std::chrono::steady_clock::duration::zero()) {
      auto secs = std::chrono::ceil<std::chrono::seconds>(wait).count();
      res.set_header("Retry-After", std::to_string(secs));
      send_error(res, 429, "too_many_failures",
                 "too many wrong tokens from this address: try again in " + std::to_string(secs) + " s");
      return false;
    }
    const std::string& h = req.get_header_value("Authorization");
    constexpr std::string_view kBearer = "Bearer ";
    const bool has_token = h.size() > kBearer.size() && h.compare(0, kBearer.size(), kBearer) == 0;
    if (!has_token || !constant_time_equal(std::string_view(h).substr(kBearer.size()), options.token)) {
      if (has_token) auth_throttle.failed(client, now);  // a guess; no token at all reveals nothing
      send_error(res, 401, "unauthorized", "missing or wrong bearer token (expected Authorization: Bearer <token>)");
      res.set_header("WWW-Authenticate", "Bearer");
      return false;
    }
    auth_throttle.succeeded(client);
    return true;
  }

  // A slot for heavy work, or false after answering 429: past the limit the
  // server refuses at once rather than queue work it cannot start soon.
  bool admit_heavy(httplib::Response& res) {
    if (t_request == nullptr || t_request->heavy) return true;
    t_request->heavy = heavy.try_enter();
    if (t_request->heavy) return true;
    res.set_header("Retry-After", "1");
    send_error(res, 429, "too_busy",
               "the server is running " + std::to_string(heavy.max()) +
                   " heavy requests (matrix, compare, simulate, route with samples): try again in 1 s");
    return false;
  }

  // The request's deadline (docs/adr/0203): work done for it must end by
  // then. Checked here before each phase of heavy work, and inside the
  // planner, the Monte Carlo and the simulator through the work budget.
  static std::chrono::steady_clock::time_point request_deadline() {
    return t_request != nullptr ? t_request->deadline : std::chrono::steady_clock::time_point::max();
  }

  // What the core may spend on this request: --max-labels per search, the
  // request's deadline, and a stop when its client hangs up. The core answers
  // kOverBudget (422) or kDeadline (503) when it runs out.
  Budget request_budget() const {
    Budget b;
    b.max_labels = options.max_labels;
    if (t_request != nullptr) {
      b.deadline = t_request->deadline;
      b.cancel = t_request->gone.get();
    }
    return b;
  }

  // 503 with Retry-After: no time is left for the request; later, or asked
  // for less, it may succeed.
  void send_out_of_time(httplib::Response& res) const {
    const auto secs = std::chrono::duration_cast<std::chrono::seconds>(options.request_timeout).count();
    res.set_header("Retry-After", "5");
    send_error(res, 503, "deadline",
               "the request ran past its deadline of " + std::to_string(secs) +
                   " s (try again later, or ask for fewer places, samples or days)");
  }

  // True while the request has time left; else answers 503 and is false.
  bool in_time(httplib::Response& res) const {
    if (std::chrono::steady_clock::now() < request_deadline()) return true;
    send_out_of_time(res);
    return false;
  }

  // The fields of a request (its query string, and its JSON body for a
  // POST) and the answer's format; false when an error was sent instead.
  bool read_request(const httplib::Request& req, httplib::Response& res, std::span<const OptionSpec> specs,
                    RequestFields& fields, server::ResponseFormat& format) {
    res.set_header("Vary", "Accept");
    if (req.method == "POST") {
      auto body = server::json_fields(req.body, specs);
      if (!body) {
        send_error(res, body.error());
        return false;
      }
      fields = std::move(*body);
    }
    RequestFields query = server::query_fields(req.target);
    fields.insert(fields.end(), query.begin(), query.end());
    auto f = server::take_format(fields, req.get_header_value("Accept"));
    if (!f) {
      send_error(res, f.error());
      return false;
    }
    if (!*f) {
      send_error(res, 406, "not_acceptable",
                 "no format the Accept header admits (expected application/json or text/csv)");
      return false;
    }
    format = **f;
    return true;
  }

  // ---- GET /v1/route ----
  void route(const httplib::Request& req, httplib::Response& res) {
    RequestFields fields;
    server::ResponseFormat format{};
    if (!read_request(req, res, route_options(), fields, format)) return;
    auto request = parse_route_request(*net, fields, remote_now());
    if (!request) return send_error(res, request.error());
    QueryEcho echo{request->query, request->deadline, request->scenarios};
    const bool csv = format == server::ResponseFormat::kCsv;
    auto index = catalog->index_for(echo.scenarios);
    if (!index) return send_error(res, index.error());
    const ScenarioIndex& si = **index;
    std::string key = cache_key(echo) + "n" + std::to_string(request->samples) + "," + std::to_string(request->seed) +
                      "g" + std::to_string(si.generation) + (csv ? "csv" : "");
    if (auto hit = route_cache.find(key)) {
      res.set_header("X-Cache", "hit");
      return csv ? send_csv(res, *hit, "route") : send_json(res, 200, *hit);
    }
    if (request->samples > 0 && (!admit_heavy(res) || !in_time(res))) return;
    echo.query.budget = request_budget();
    Result<std::vector<Itinerary>> its = [&]() -> Result<std::vector<Itinerary>> {
      auto planner = si.planners->acquire();
      if (request->samples == 0) return planner->plan(echo.query);
      MonteCarloOptions mc;
      mc.samples = request->samples;
      mc.seed = request->seed;
      mc.threads = 1;  // one request, one core: others keep theirs
      mc.deadline = echo.deadline;
      mc.budget = echo.query.budget;
      return plan_reliable(*planner, *si.model, echo.query, mc);
    }();
    if (!its) return send_error(res, its.error());
    auto body = std::make_shared<const std::string>(csv ? itineraries_to_csv(si.index->view(), *its)
                                                        : itineraries_to_json(si.index->view(), echo, *its, -1));
    route_cache.put(key, body);
    res.set_header("X-Cache", "miss");
    csv ? send_csv(res, *body, "route") : send_json(res, 200, *body);
  }

  // ---- GET /v1/places ----
  void places(const httplib::Request& req, httplib::Response& res) {
    for (const auto& [name, value] : req.params) {
      if (name != "q" && name != "limit") {
        return send_error(res, 400, "bad_parameter", "unknown parameter \"" + name + "\" (expected q or limit)", name);
      }
    }
    if (!req.has_param("q"))
      return send_error(res, 400, "bad_parameter", "q: missing (expected text to search for)", "q");
    std::size_t limit = 10;
    if (req.has_param("limit")) {
      auto n = server::parse_count("limit", req.get_param_value("limit"), 50);
      if (!n) return send_error(res, n.error());
      limit = *n;
    }
    const std::string q = req.get_param_value("q");
    ordered_json arr = ordered_json::array();
    if (!normalize_place_name(q).empty()) {
      for (LocationIdx i : search_places(*net, q, limit)) {
        const Location& l = net->locations[i];
        ordered_json p;
        p["id"] = l.id;
        p["name"] = l.name;
        p["aliases"] = l.aliases;
        p["country"] = std::string(l.country_code());
        p["kind"] = std::string(to_string(l.kind));
        p["lat"] = l.lat;
        p["lon"] = l.lon;
        arr.push_back(p);
      }
    }
    ordered_json root;
    root["query"] = q;
    root["places"] = arr;
    send_json(res, 200, dump(root) + "\n");
  }

  // ---- scenarios ----
  static ordered_json scenario_json(const CatalogEntry& e, bool with_toml) {
    ordered_json j;
    j["id"] = e.scenario.id;
    j["name"] = e.scenario.name;
    j["description"] = e.scenario.description;
    j["origin"] = e.origin == server::ScenarioOrigin::kDataset ? "dataset" : "saved";
    j["sources"] = e.scenario.sources;
    ordered_json measures = ordered_json::array();
    for (const Measure& m : e.scenario.measures) {
      ordered_json mj;
      mj["type"] = m.type;
      mj["note"] = m.note;
      mj["sources"] = m.sources;
      measures.push_back(mj);
    }
    j["measures"] = measures;
    if (e.origin == server::ScenarioOrigin::kSaved) j["saved_at"] = e.saved_at;
    if (with_toml) j["toml"] = e.toml;
    return j;
  }

  void list_scenarios(const httplib::Request& req, httplib::Response& res) {
    if (!req.params.empty()) {
      return send_error(res, 400, "bad_parameter",
                        "unknown parameter \"" + req.params.begin()->first + "\" (expected none)",
                        req.params.begin()->first);
    }
    ordered_json arr = ordered_json::array();
    for (const auto& e : catalog->list()) arr.push_back(scenario_json(*e, false));
    ordered_json root;
    root["scenarios"] = arr;
    send_json(res, 200, dump(root) + "\n");
  }

  void get_scenario(const httplib::Request& req, httplib::Response& res) {
    const std::string id = req.matches[1];
    auto e = catalog->find(id);
    if (!e)
      return send_error(res, 404, "not_found", "unknown scenario \"" + id + "\" (expected an id from /v1/scenarios)",
                        "id");
    send_json(res, 200, dump(scenario_json(*e, true)) + "\n");
  }

  void post_scenario(const httplib::Request& req, httplib::Response& res) {
    if (!authorized(req, res)) return;
    // Parameters of the URL only: httplib also reads a form-encoded body
    // into req.params, and a TOML body sent without a content type looks like one.
    httplib::Params query;
    if (auto q = req.target.find('?'); q != std::string::npos)
      httplib::detail::parse_query_text(req.target.substr(q + 1), query);
    for (const auto& [name, value] : query) {
      if (name != "id")
        return send_error(res, 400, "bad_parameter", "unknown parameter \"" + name + "\" (expected id)", name);
    }
    std::string suggested = query.count("id") != 0 ? query.find("id")->second : "scenario";
    if (!server::valid_scenario_id(suggested)) {
      return send_error(res, 400, "bad_parameter",
                        "id: bad scenario id \"" + suggested + "\" (expected 1 to 64 of a-z, 0-9, - and _)", "id");
    }
    if (req.body.empty())
      return send_error(res, 400, "bad_parameter", "body: empty (expected the scenario as TOML text)", "body");
    server::ChangeResult saved = catalog->save(req.body, suggested, utc_now());
    if (!saved.ok()) return send_change_failure(res, saved, "body");
    res.set_header("Location", "/v1/scenarios/" + saved.entry->scenario.id);
    send_json(res, 201, dump(scenario_json(*saved.entry, false)) + "\n");
  }

  // Answers a failed save or delete.
  static void send_change_failure(httplib::Response& res, const server::ChangeResult& r, std::string_view field) {
    using server::ChangeFailure;
    std::string message;
    for (const Error& x : r.errors) message += (message.empty() ? "" : "\n") + x.to_string();
    switch (*r.failure) {
      case ChangeFailure::kInvalid:
        return send_error(res, 400, "bad_parameter", message, field);
      case ChangeFailure::kTaken:
        return send_error(res, 409, "conflict", message, field);
      case ChangeFailure::kNotFound:
        return send_error(res, 404, "not_found", message, "id");
      case ChangeFailure::kReadOnly:
        return send_error(res, 403, "forbidden", message, "id");
      case ChangeFailure::kStoreFull:
        if (t_request != nullptr) t_request->failure = message;
        return send_error(res, 507, "store_full",
                          "the scenario store is full: its disk has no space left or its size limit is reached "
                          "(expected room to write; delete saved scenarios or free space)");
      case ChangeFailure::kStoreFailed:
        return send_internal_error(res, message);
    }
  }

  void delete_scenario(const httplib::Request& req, httplib::Response& res) {
    if (!authorized(req, res)) return;
    const std::string id = req.matches[1];
    server::ChangeResult removed = catalog->remove(id);
    if (!removed.ok()) return send_change_failure(res, removed, "id");
    res.status = 204;
  }

  // ---- POST /v1/matrix, /v1/compare, /v1/simulate ----
  static MatrixEcho echo_of(const MatrixRequest& m) {
    MatrixEcho echo = matrix_echo(m.options());
    echo.base_scenarios = m.base_scenarios;
    echo.scenarios = m.scenarios;
    return echo;
  }

  void matrix(const httplib::Request& req, httplib::Response& res, bool comparison) {
    RequestFields fields;
    server::ResponseFormat format{};
    if (!read_request(req, res, comparison ? compare_options() : matrix_options(), fields, format)) return;
    auto m = comparison ? parse_compare_request(*net, fields, remote_now())
                        : parse_matrix_request(*net, fields, remote_now());
    if (!m) return send_error(res, m.error());
    m->threads = 1;  // one request, one core
    std::vector<std::string> all = m->base_scenarios;
    all.insert(all.end(), m->scenarios.begin(), m->scenarios.end());
    auto index = catalog->index_for(all);
    if (!index) return send_error(res, index.error());
    if (!in_time(res)) return;
    MatrixOptions mo = m->options();
    mo.budget = request_budget();
    auto with = compute_matrix(*(*index)->index, m->places, mo);
    if (!with) return send_error(res, with.error());
    const bool csv = format == server::ResponseFormat::kCsv;
    if (!comparison) {
      return csv ? send_csv(res, matrix_to_csv(*net, *with), "matrix")
                 : send_json(res, 200, matrix_to_json(*net, echo_of(*m), *with, -1));
    }
    auto base_index = catalog->index_for(m->base_scenarios);
    if (!base_index) return send_error(res, base_index.error());
    if (!in_time(res)) return;  // the first matrix took it all
    auto base = compute_matrix(*(*base_index)->index, m->places, mo);
    if (!base) return send_error(res, base.error());
    Comparison c = compare(*base, *with, m->demand ? &*m->demand : nullptr);
    csv ? send_csv(res, comparison_to_csv(*net, c), "compare")
        : send_json(res, 200, comparison_to_json(*net, echo_of(*m), c, -1));
  }

  void simulate_flows(const httplib::Request& req, httplib::Response& res) {
    RequestFields fields;
    server::ResponseFormat format{};
    if (!read_request(req, res, simulate_options(), fields, format)) return;
    auto s = parse_simulate_request(*net, fields, remote_now());
    if (!s) return send_error(res, s.error());
    s->options.threads = 1;  // one request, one core
    auto index = catalog->index_for(s->scenarios);
    if (!index) return send_error(res, index.error());
    if (!in_time(res)) return;
    s->options.budget = request_budget();
    auto report = simulate(*(*index)->index, s->demand, s->options);
    if (!report) return send_error(res, report.error());
    if (format == server::ResponseFormat::kCsv) return send_csv(res, sim_report_to_csv(*net, *report), "simulate");
    SimEcho echo{s->demand_source, s->scenarios};
    send_json(res, 200, sim_report_to_json(*net, echo, *report, -1));
  }

  void healthz(httplib::Response& res) const {
    ordered_json root;
    root["status"] = "ok";
    root["dataset"] = {{"name", net->info.name}, {"version", net->info.version}};
    root["locations"] = net->locations.size();
    root["links"] = net->links.size();
    root["scenarios"] = catalog->list().size();
    send_json(res, 200, dump(root) + "\n");
  }

  // Paths and the methods they answer, for 405 answers.
  static const std::vector<std::pair<std::string, std::string>>& known_paths() {
    static const std::vector<std::pair<std::string, std::string>> paths = {
        {"/healthz", "GET"},    {"/v1/route", "GET"},        {"/v1/places", "GET"},
        {"/v1/network", "GET"}, {"/v1/openapi.json", "GET"}, {"/v1/scenarios", "GET, POST"},
        {"/v1/matrix", "POST"}, {"/v1/compare", "POST"},     {"/v1/simulate", "POST"},
    };
    return paths;
  }

  void register_endpoints() {
    using Req = const httplib::Request&;
    using Res = httplib::Response&;
    http.Get("/healthz", [this](Req, Res res) { healthz(res); });
    http.Get("/v1/route", [this](Req req, Res res) { route(req, res); });
    http.Get("/v1/places", [this](Req req, Res res) { places(req, res); });
    http.Get("/v1/network", [this](Req, Res res) {
      res.status = 200;
      res.set_header("Cache-Control", "max-age=300");
      res.set_content(network_geojson, "application/geo+json");
    });
    http.Get("/v1/openapi.json", [](Req, Res res) {
      res.status = 200;
      res.set_content(std::string(openapi_document()), kJson);
    });
    http.Get("/v1/scenarios", [this](Req req, Res res) { list_scenarios(req, res); });
    http.Get(R"(/v1/scenarios/([^/]+))", [this](Req req, Res res) { get_scenario(req, res); });
    http.Post("/v1/scenarios", [this](Req req, Res res) { post_scenario(req, res); });
    http.Delete(R"(/v1/scenarios/([^/]+))", [this](Req req, Res res) { delete_scenario(req, res); });
    http.Post("/v1/matrix", [this](Req req, Res res) { matrix(req, res, false); });
    http.Post("/v1/compare", [this](Req req, Res res) { matrix(req, res, true); });
    http.Post("/v1/simulate", [this](Req req, Res res) { simulate_flows(req, res); });
  }

  // ---- one request, from the transport to httplib and back ----

  // Runs on a worker: routes the request through httplib, unless it waited
  // past its deadline for a worker.
  server::Outgoing serve(server::IncomingRequest& in) {
    InFlight ctx;
    ctx.id = next_request_id();
    ctx.received = in.received;
    ctx.deadline = in.received + options.request_timeout;
    ctx.gone = in.gone;
    t_request = &ctx;
    struct Clear {
      ~Clear() { t_request = nullptr; }
    } clear;
    if (std::chrono::steady_clock::now() >= ctx.deadline) {
      return {
          direct_answer(503, "unavailable",
                        "the server is too busy: the request waited for a worker past its deadline (try again later)",
                        in.peer, &in.head, ctx, {{"Retry-After", "5"}}),
          true};
    }
    try {
      bool client_closes = false;
      std::string out = http.handle(server::canonical_request(in.head, in.body), in.peer, in.close, &client_closes);
      return {std::move(out), in.close || client_closes};
    } catch (const std::exception& e) {
      ctx.failure = std::string("exception outside the handlers: ") + e.what();
    } catch (...) {
      ctx.failure = "unknown exception outside the handlers";
    }
    return {direct_answer(500, "internal", "internal error (request " + ctx.id + "; the server log has the details)",
                          in.peer, &in.head, ctx, {}),
            true};
  }

  // Runs on the connection loop: a request refused before a worker saw it.
  std::string reject(const server::Rejection& r, const server::Peer& peer, const server::RequestHead* head,
                     std::chrono::steady_clock::duration took) {
    InFlight ctx;
    ctx.id = next_request_id();
    ctx.received = std::chrono::steady_clock::now() - took;
    std::vector<std::pair<std::string, std::string>> extra;
    if (r.status == 503) extra.emplace_back("Retry-After", "1");
    return direct_answer(r.status, default_error_code(r.status), r.message, peer, head, ctx, extra);
  }

  // An error answer written without httplib, logged like any other; the
  // connection closes after it.
  std::string direct_answer(int status, std::string_view code, std::string_view message, const server::Peer& peer,
                            const server::RequestHead* head, const InFlight& ctx,
                            std::vector<std::pair<std::string, std::string>> headers) {
    std::string body = error_body(code, message);
    headers.insert(headers.begin(), {{"Content-Type", kJson},
                                     {"Cache-Control", "no-store"},
                                     {"X-Content-Type-Options", "nosniff"},
                                     {"X-Request-Id", ctx.id},
                                     {"Connection", "close"}});
    log_access(peer.ip, head != nullptr ? std::string_view(head->method) : "-",
               head != nullptr ? std::string_view(head->target) : "-", status, body.size(),
               std::chrono::steady_clock::now() - ctx.received, ctx.id);
    if (!ctx.failure.empty()) log("caravan: request " + ctx.id + ": " + ctx.failure);
    return server::raw_response(status, headers, body);
  }

  static bool heavy_path(const std::string& path) {
    return path == "/v1/matrix" || path == "/v1/compare" || path == "/v1/simulate";
  }

  void configure() {
    http.set_payload_max_length(options.max_body_bytes);
    // The transport keeps connections; these only fill the Keep-Alive header.
    http.set_keep_alive_max_count(10000);
    http.set_keep_alive_timeout(
        std::max<time_t>(1, std::chrono::duration_cast<std::chrono::seconds>(options.idle_timeout).count()));
    http.set_default_headers({{"X-Content-Type-Options", "nosniff"}});

    http.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
      if (t_request != nullptr) res.set_header("X-Request-Id", t_request->id);
      // Heavy endpoints are admitted before their body is even parsed.
      if (req.method == "POST" && heavy_path(req.path) && !admit_heavy(res)) {
        return httplib::Server::HandlerResponse::Handled;
      }
      return httplib::Server::HandlerResponse::Unhandled;
    });
    http.set_error_handler([](const httplib::Request& req, httplib::Response& res) {
      if (!res.body.empty()) return;
      if (res.status == 404 || res.status == 400) {
        for (const auto& [path, methods] : known_paths()) {
          if (req.path == path && methods.find(req.method) == std::string::npos) {
            res.set_header("Allow", methods);
            send_error(res, 405, "method_not_allowed",
                       req.method + " " + path + ": method not allowed (expected " + methods + ")");
            return;
          }
        }
        if (res.status == 404 && req.path.rfind("/v1/", 0) != 0 && req.path != "/healthz") {
          send_error(res, 404, "not_found", "no such file (the web ui may not be built: run make run)");
          return;
        }
      }
      send_error(res, res.status, default_error_code(res.status), default_error_message(res.status));
    });
    http.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr ep) {
      std::string what = "unknown exception";
      try {
        if (ep) std::rethrow_exception(ep);
      } catch (const std::exception& e) {
        what = e.what();
      } catch (...) {
      }
      send_internal_error(res, "exception: " + what);
    });
    http.set_logger([this](const httplib::Request& req, const httplib::Response& res) { log_line(req, res); });

    register_endpoints();
  }
};

Server::Server(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Server::~Server() { stop(); }

Result<std::unique_ptr<Server>> Server::create(std::shared_ptr<const Network> net, ServerOptions options) {
  if (!net) return Error::invalid("no network");
  if (options.port < 0 || options.port > 65535) {
    return Error::invalid("port " + std::to_string(options.port) + " out of range (expected 0 to 65535)");
  }
  if (options.max_body_bytes == 0 || options.max_target_bytes < 64 || options.max_header_bytes < 256 ||
      options.max_header_fields == 0 || options.max_connections == 0) {
    return Error::invalid(
        "size limits too small (expected a body limit above 0, a target limit of at least 64, a header limit of at "
        "least 256 bytes and 1 field, and room for 1 connection)");
  }
  auto impl = std::make_unique<Impl>(std::move(net), std::move(options));
  const ServerOptions& o = impl->options;
  auto store = server::ScenarioStore::open(o.db_path.empty() ? std::filesystem::path(":memory:") : o.db_path);
  if (!store) return store.errors();
  Errors skipped;
  auto catalog = Catalog::open(impl->net, o.scenario_dir, std::move(*store), &skipped);
  if (!catalog) return catalog.errors();
  impl->catalog = std::move(*catalog);
  for (const Error& e : skipped) impl->log("caravan: " + e.to_string());
  impl->network_geojson = network_to_geojson(*impl->net);
  impl->configure();
  if (!o.web_dir.empty()) {
    std::error_code ec;
    if (std::filesystem::is_regular_file(o.web_dir / "index.html", ec)) {
      impl->http.set_mount_point("/", o.web_dir.string());
    }
  }
  server::TransportOptions t;
  t.limits = {o.max_target_bytes, o.max_header_bytes, o.max_header_fields, o.max_body_bytes};
  t.workers = o.threads != 0 ? o.threads : std::max(16u, 4u * std::max(1u, std::thread::hardware_concurrency()));
  t.max_connections = o.max_connections;
  t.idle_timeout = o.idle_timeout;
  t.read_timeout = o.read_timeout;
  t.write_timeout = o.write_timeout;
  Impl* raw = impl.get();
  auto transport = server::Transport::listen(
      o.bind, o.port, t, [raw](server::IncomingRequest& in) { return raw->serve(in); },
      [raw](const server::Rejection& r, const server::Peer& peer, const server::RequestHead* head,
            std::chrono::steady_clock::duration took) { return raw->reject(r, peer, head, took); });
  if (!transport) return transport.errors();
  impl->transport = std::move(*transport);
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

int Server::port() const { return impl_->transport->port(); }

std::string Server::url() const {
  const std::string& b = impl_->options.bind;
  std::string host = b == "0.0.0.0" ? "127.0.0.1" : (b.find(':') != std::string::npos ? "[" + b + "]" : b);
  return "http://" + host + ":" + std::to_string(port()) + "/";
}

Status Server::run() { return impl_->transport->run(); }

void Server::stop() { impl_->transport->stop(); }

}  // namespace caravan
