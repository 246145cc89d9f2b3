#include "caravan/server.h"

#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <list>
#include <mutex>
#include <span>
#include <nlohmann/json.hpp>
#include <thread>
#include <unordered_map>
#include <vector>

#include "caravan/matrix.h"
#include "caravan/places.h"
#include "caravan/present.h"
#include "caravan/request.h"
#include "caravan/route.h"
#include "caravan/scenario.h"
#include "caravan/sim.h"
#include "caravan/stochastic.h"
#include "catalog.h"
#include "request_fields.h"

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

void send_error(httplib::Response& res, int status, std::string_view code, std::string_view message,
                std::string_view field = {}) {
  ordered_json e;
  e["code"] = code;
  e["message"] = message;
  e["field"] = field.empty() ? ordered_json(nullptr) : ordered_json(field);
  ordered_json root;
  root["error"] = e;
  send_json(res, status, dump(root) + "\n");
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

void send_error(httplib::Response& res, const Error& e) {
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
    case 413:
      return "body_too_large";
    case 414:
      return "query_too_long";
    case 416:
      return "bad_range";
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

// Start of the request being served by this worker, for the access log.
thread_local std::chrono::steady_clock::time_point t_request_start{};

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
  httplib::Server http;
  int port = 0;
  std::string network_geojson;  // built once; the network never changes
  std::atomic<bool> stopping{false};
  std::atomic<bool> in_run{false};
  std::mutex log_mutex;

  Impl(std::shared_ptr<const Network> n, ServerOptions o)
      : net(std::move(n)), options(std::move(o)), route_cache(options.route_cache_entries, options.route_cache_bytes) {}

  void log(const std::string& line) {
    if (options.access_log) {
      options.access_log(line);
      return;
    }
    std::string l = line + '\n';
    std::lock_guard<std::mutex> lock(log_mutex);
    std::fwrite(l.data(), 1, l.size(), stderr);
  }

  void log_line(const httplib::Request& req, const httplib::Response& res) {
    double ms = -1;
    if (t_request_start != std::chrono::steady_clock::time_point{}) {
      ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t_request_start).count();
      t_request_start = {};
    }
    // The target only: headers (and so the Authorization token) are never logged.
    char buf[160];
    std::snprintf(buf, sizeof buf, " %d %zu %.2fms", res.status, res.body.size(), ms);
    log(utc_now() + " " + req.remote_addr + " \"" + loggable(req.method) + " " + loggable(req.target) + "\"" + buf);
  }

  // True when the request carries the configured bearer token; else answers 401.
  bool authorized(const httplib::Request& req, httplib::Response& res) const {
    if (options.token.empty()) {
      send_error(res, 401, "unauthorized",
                 "writes are disabled: the server has no token (start it with --token-file or CARAVAN_TOKEN)");
      res.set_header("WWW-Authenticate", "Bearer");
      return false;
    }
    const std::string& h = req.get_header_value("Authorization");
    constexpr std::string_view kBearer = "Bearer ";
    if (h.size() <= kBearer.size() || h.compare(0, kBearer.size(), kBearer) != 0 ||
        !constant_time_equal(std::string_view(h).substr(kBearer.size()), options.token)) {
      send_error(res, 401, "unauthorized", "missing or wrong bearer token (expected Authorization: Bearer <token>)");
      res.set_header("WWW-Authenticate", "Bearer");
      return false;
    }
    return true;
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
      send_error(res, 406, "not_acceptable", "no format the Accept header admits (expected application/json or text/csv)");
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
    std::string key = cache_key(echo) + "n" + std::to_string(request->samples) + "," + std::to_string(request->seed) +
                      "g" + std::to_string(catalog->generation()) + (csv ? "csv" : "");
    if (auto hit = route_cache.find(key)) {
      res.set_header("X-Cache", "hit");
      return csv ? send_csv(res, *hit, "route") : send_json(res, 200, *hit);
    }
    const ScenarioIndex& si = **index;
    Result<std::vector<Itinerary>> its = [&]() -> Result<std::vector<Itinerary>> {
      auto planner = si.planners->acquire();
      if (request->samples == 0) return planner->plan(echo.query);
      MonteCarloOptions mc;
      mc.samples = request->samples;
      mc.seed = request->seed;
      mc.threads = 1;  // one request, one core: others keep theirs
      mc.deadline = echo.deadline;
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
    auto saved = catalog->save(req.body, suggested, utc_now());
    if (!saved) {
      const Error& e = saved.error();
      if (e.code == ErrorCode::kInternal) return send_error(res, 500, "internal", e.message);
      bool taken = e.message.find("\" exists (") != std::string::npos;
      std::string message;
      for (const Error& x : saved.errors()) message += (message.empty() ? "" : "\n") + x.to_string();
      return send_error(res, taken ? 409 : 400, taken ? "conflict" : "bad_parameter", message, "body");
    }
    res.set_header("Location", "/v1/scenarios/" + (*saved)->scenario.id);
    send_json(res, 201, dump(scenario_json(**saved, false)) + "\n");
  }

  void delete_scenario(const httplib::Request& req, httplib::Response& res) {
    if (!authorized(req, res)) return;
    const std::string id = req.matches[1];
    Status st = catalog->remove(id);
    if (!st.ok()) {
      const Error& e = st.error();
      if (e.code == ErrorCode::kNotFound) return send_error(res, 404, "not_found", e.message, "id");
      if (e.code == ErrorCode::kInternal) return send_error(res, 500, "internal", e.message);
      return send_error(res, 403, "forbidden", e.message, "id");
    }
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
    auto with = compute_matrix(*(*index)->index, m->places, m->options());
    if (!with) return send_error(res, with.error());
    const bool csv = format == server::ResponseFormat::kCsv;
    if (!comparison) {
      return csv ? send_csv(res, matrix_to_csv(*net, *with), "matrix")
                 : send_json(res, 200, matrix_to_json(*net, echo_of(*m), *with, -1));
    }
    auto base_index = catalog->index_for(m->base_scenarios);
    if (!base_index) return send_error(res, base_index.error());
    auto base = compute_matrix(*(*base_index)->index, m->places, m->options());
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
        {"/healthz", "GET"},         {"/v1/route", "GET"},           {"/v1/places", "GET"},  {"/v1/network", "GET"},
        {"/v1/openapi.json", "GET"}, {"/v1/scenarios", "GET, POST"}, {"/v1/matrix", "POST"}, {"/v1/compare", "POST"},
        {"/v1/simulate", "POST"},
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

  void configure() {
    unsigned threads = options.threads;
    if (threads == 0) threads = std::max(16u, 4u * std::max(1u, std::thread::hardware_concurrency()));
    http.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
    http.set_payload_max_length(options.max_body_bytes);
    // Long-lived idle connections hold a worker; keep them short so stop()
    // and new clients are not kept waiting.
    http.set_keep_alive_max_count(10000);
    http.set_keep_alive_timeout(2);
    http.set_read_timeout(10);
    http.set_write_timeout(10);
    http.set_default_headers({{"X-Content-Type-Options", "nosniff"}});
    // Headers and body go out in separate writes; without this, Nagle and
    // delayed ACKs add 40 ms to every keep-alive response.
    http.set_tcp_nodelay(true);
    // httplib's default also sets SO_REUSEPORT, which lets a second server
    // bind the same port and steal half the connections; reuse the address only.
    http.set_socket_options([](socket_t sock) {
      int yes = 1;
      ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof yes);
    });

    http.set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
      t_request_start = std::chrono::steady_clock::now();
      if (req.target.size() > options.max_target_bytes) {
        send_error(res, 414, "query_too_long",
                   "request target of " + std::to_string(req.target.size()) + " bytes is too long (expected at most " +
                       std::to_string(options.max_target_bytes) + ")");
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
      send_error(res, 500, "internal", "internal error: " + what);
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
  if (options.max_body_bytes == 0 || options.max_target_bytes < 64) {
    return Error::invalid("size limits too small (expected a body limit above 0 and a target limit of at least 64)");
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
  if (o.port == 0) {
    impl->port = impl->http.bind_to_any_port(o.bind);
    if (impl->port < 0) return Error::internal("cannot listen on " + o.bind + " (no free port)");
  } else {
    if (!impl->http.bind_to_port(o.bind, o.port)) {
      return Error::internal("cannot listen on " + o.bind + ":" + std::to_string(o.port) +
                             " (address in use or not available)");
    }
    impl->port = o.port;
  }
  return std::unique_ptr<Server>(new Server(std::move(impl)));
}

int Server::port() const { return impl_->port; }

std::string Server::url() const {
  const std::string& b = impl_->options.bind;
  std::string host = b == "0.0.0.0" ? "127.0.0.1" : (b.find(':') != std::string::npos ? "[" + b + "]" : b);
  return "http://" + host + ":" + std::to_string(impl_->port) + "/";
}

Status Server::run() {
  impl_->in_run = true;
  bool ok = impl_->stopping || impl_->http.listen_after_bind();
  impl_->in_run = false;
  if (!ok && !impl_->stopping) return Error::internal("the listener failed");
  return {};
}

void Server::stop() {
  impl_->stopping = true;
  // run() may be between its check of `stopping` and the listener starting;
  // httplib ignores stop() until it runs, so wait for one or the other.
  while (impl_->in_run && !impl_->http.is_running()) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  impl_->http.stop();
}

}  // namespace caravan
