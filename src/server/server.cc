#include "caravan/server.h"

#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <list>
#include <mutex>
#include <nlohmann/json.hpp>
#include <thread>
#include <unordered_map>
#include <vector>

#include "caravan/matrix.h"
#include "caravan/places.h"
#include "caravan/present.h"
#include "caravan/route.h"
#include "caravan/scenario.h"
#include "caravan/stochastic.h"
#include "catalog.h"
#include "route_request.h"

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

// Reads a JSON request body: an object with only the `allowed` keys.
Result<ordered_json> json_body(const httplib::Request& req, std::initializer_list<std::string_view> allowed) {
  ordered_json body;
  try {
    body = ordered_json::parse(req.body);
  } catch (const nlohmann::json::parse_error& e) {
    Error err = Error::invalid(std::string("body: malformed JSON (") + e.what() + ")");
    err.column = "body";
    return err;
  }
  if (!body.is_object()) {
    Error err = Error::invalid("body: expected a JSON object");
    err.column = "body";
    return err;
  }
  for (const auto& [k, v] : body.items()) {
    if (std::find(allowed.begin(), allowed.end(), k) == allowed.end()) {
      std::string expected;
      for (std::string_view a : allowed) expected += (expected.empty() ? "" : ", ") + std::string(a);
      Error err = Error::invalid("unknown field \"" + k + "\" (expected " + expected + ")");
      err.column = k;
      return err;
    }
  }
  return body;
}

Error field_error(std::string_view field, std::string message) {
  Error e = Error::invalid(std::string(field) + ": " + std::move(message));
  e.column = std::string(field);
  return e;
}

Result<std::vector<std::string>> string_list(const ordered_json& body, std::string_view field, std::size_t max) {
  std::vector<std::string> out;
  auto it = body.find(std::string(field));
  if (it == body.end()) return out;
  if (!it->is_array()) return field_error(field, "expected an array of strings");
  if (it->size() > max) return field_error(field, "too many entries (expected at most " + std::to_string(max) + ")");
  for (const auto& v : *it) {
    if (!v.is_string() || v.get<std::string>().empty())
      return field_error(field, "expected an array of non-empty strings");
    out.push_back(v.get<std::string>());
  }
  return out;
}

Result<std::uint32_t> count_field(const ordered_json& body, std::string_view field, std::uint32_t dflt,
                                  std::uint32_t min, std::uint32_t max) {
  auto it = body.find(std::string(field));
  if (it == body.end()) return dflt;
  if (!it->is_number_integer() || it->get<std::int64_t>() < min || it->get<std::int64_t>() > max) {
    return field_error(field, "expected a whole number from " + std::to_string(min) + " to " + std::to_string(max));
  }
  return static_cast<std::uint32_t>(it->get<std::int64_t>());
}

constexpr std::size_t kMaxMatrixPlaces = 40;
constexpr std::uint32_t kMaxMatrixSamples = 1000;

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

  // ---- GET /v1/route ----
  void route(const httplib::Request& req, httplib::Response& res) {
    auto now = std::chrono::time_point_cast<Duration>(std::chrono::system_clock::now());
    auto request = server::parse_route_params(*net, req.params, now);
    if (!request) return send_error(res, request.error());
    QueryEcho& echo = request->echo;
    auto index = catalog->index_for(echo.scenarios);
    if (!index) return send_error(res, index.error());
    std::string key = cache_key(echo) + "n" + std::to_string(request->samples) + "," + std::to_string(request->seed) +
                      "g" + std::to_string(catalog->generation());
    if (auto hit = route_cache.find(key)) {
      res.set_header("X-Cache", "hit");
      return send_json(res, 200, *hit);
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
    auto body = std::make_shared<const std::string>(itineraries_to_json(si.index->view(), echo, *its, -1));
    route_cache.put(key, body);
    res.set_header("X-Cache", "miss");
    send_json(res, 200, *body);
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

  // ---- POST /v1/matrix, /v1/compare ----
  struct MatrixRequest {
    MatrixOptions options;
    MatrixEcho echo;
    std::vector<LocationIdx> places;
    std::vector<std::string> base_scenarios, scenarios;
    std::vector<DemandRow> demand;
    bool has_demand = false;
  };

  Result<MatrixRequest> parse_matrix(const httplib::Request& req, bool compare) {
    auto body = compare ? json_body(req, {"places", "depart", "units", "unit", "samples", "seed", "scenarios",
                                          "base_scenarios", "demand"})
                        : json_body(req, {"places", "depart", "units", "unit", "samples", "seed", "scenarios"});
    if (!body) return body.errors();
    MatrixRequest m;
    auto units = count_field(*body, "units", 1, 1, 10000);
    if (!units) return units.errors();
    m.options.units = *units;
    // As `caravan matrix`: p95 from 1,000 samples unless told (0 skips the Monte Carlo).
    auto samples = count_field(*body, "samples", 1000, 0, kMaxMatrixSamples);
    if (!samples) return samples.errors();
    m.options.samples = *samples;
    if (body->contains("seed")) {
      const auto& s = (*body)["seed"];
      if (!s.is_number_unsigned() && !(s.is_number_integer() && s.get<std::int64_t>() >= 0)) {
        return field_error("seed", "expected a whole number from 0");
      }
      m.options.seed = s.get<std::uint64_t>();
    }
    m.options.threads = 1;  // one request, one core
    if (body->contains("unit")) {
      const auto& u = (*body)["unit"];
      auto kind = u.is_string() ? parse_unit_kind(u.get<std::string>()) : std::nullopt;
      if (!kind) return field_error("unit", "expected \"TEU\" or \"FEU\"");
      m.options.unit = *kind;
    }
    if (body->contains("depart")) {
      const auto& d = (*body)["depart"];
      if (!d.is_string()) return field_error("depart", "expected an ISO-8601 date-time string");
      auto t = parse_instant(d.get<std::string>());
      if (!t) return field_error("depart", t.error().message);
      m.options.depart = *t;
    } else {
      auto now = std::chrono::time_point_cast<Duration>(std::chrono::system_clock::now());
      m.options.depart = Instant(Duration((now.time_since_epoch().count() / 3600 + 1) * 3600));
    }
    auto places = string_list(*body, "places", kMaxMatrixPlaces);
    if (!places) return places.errors();
    if (places->empty()) {
      m.places = default_hubs(*net);
    } else {
      for (const std::string& p : *places) {
        auto i = resolve_place(*net, p);
        if (!i) {
          Error e = i.error();
          e.message = "places: " + e.message;
          e.column = "places";
          return e;
        }
        if (std::find(m.places.begin(), m.places.end(), *i) != m.places.end()) {
          return field_error("places", "\"" + p + "\" names a place twice (expected distinct places)");
        }
        m.places.push_back(*i);
      }
    }
    auto scenarios = string_list(*body, "scenarios", 16);
    if (!scenarios) return scenarios.errors();
    m.scenarios = *scenarios;
    if (compare) {
      auto base = string_list(*body, "base_scenarios", 16);
      if (!base) return base.errors();
      m.base_scenarios = *base;
      if (m.scenarios.empty()) return field_error("scenarios", "at least one is required (expected scenario ids)");
      if (body->contains("demand")) {
        const auto& d = (*body)["demand"];
        if (!d.is_array() || d.size() > 10000)
          return field_error("demand", "expected an array of at most 10000 {from, to, teu_per_year}");
        m.has_demand = true;
        for (const auto& row : d) {
          if (!row.is_object() || !row.contains("from") || !row.contains("to") || !row.contains("teu_per_year") ||
              !row["from"].is_string() || !row["to"].is_string() || !row["teu_per_year"].is_number() ||
              row["teu_per_year"].get<double>() < 0 || row.size() != 3) {
            return field_error("demand",
                               "expected rows {\"from\": place, \"to\": place, \"teu_per_year\": number >= 0}");
          }
          DemandRow r;
          for (auto [name, out] : {std::pair<const char*, LocationIdx*>{"from", &r.from}, {"to", &r.to}}) {
            auto i = resolve_place(*net, row[name].get<std::string>());
            if (!i) {
              Error e = i.error();
              e.message = "demand: " + e.message;
              e.column = "demand";
              return e;
            }
            *out = *i;
          }
          r.teu_per_year = row["teu_per_year"].get<double>();
          m.demand.push_back(r);
          for (LocationIdx l : {r.from, r.to}) {
            if (std::find(m.places.begin(), m.places.end(), l) == m.places.end()) m.places.push_back(l);
          }
        }
        if (m.places.size() > kMaxMatrixPlaces)
          return field_error("demand", "names too many places (expected at most 40 in all)");
      }
    }
    if (m.places.size() < 2) return field_error("places", "fewer than two places (expected at least two)");
    m.echo.depart = m.options.depart;
    m.echo.units = m.options.units;
    m.echo.unit = m.options.unit;
    return m;
  }

  void matrix(const httplib::Request& req, httplib::Response& res) {
    auto m = parse_matrix(req, false);
    if (!m) return send_error(res, m.error());
    auto index = catalog->index_for(m->scenarios);
    if (!index) return send_error(res, index.error());
    m->echo.scenarios = m->scenarios;
    auto result = compute_matrix(*(*index)->index, m->places, m->options);
    if (!result) return send_error(res, result.error());
    send_json(res, 200, matrix_to_json(*net, m->echo, *result, -1));
  }

  void compare_scenarios(const httplib::Request& req, httplib::Response& res) {
    auto m = parse_matrix(req, true);
    if (!m) return send_error(res, m.error());
    auto base_index = catalog->index_for(m->base_scenarios);
    if (!base_index) return send_error(res, base_index.error());
    std::vector<std::string> all = m->base_scenarios;
    all.insert(all.end(), m->scenarios.begin(), m->scenarios.end());
    auto index = catalog->index_for(all);
    if (!index) return send_error(res, index.error());
    m->echo.base_scenarios = m->base_scenarios;
    m->echo.scenarios = m->scenarios;
    auto base = compute_matrix(*(*base_index)->index, m->places, m->options);
    if (!base) return send_error(res, base.error());
    auto with = compute_matrix(*(*index)->index, m->places, m->options);
    if (!with) return send_error(res, with.error());
    Comparison c = compare(*base, *with, m->has_demand ? &m->demand : nullptr);
    send_json(res, 200, comparison_to_json(*net, m->echo, c, -1));
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
    http.Post("/v1/matrix", [this](Req req, Res res) { matrix(req, res); });
    http.Post("/v1/compare", [this](Req req, Res res) { compare_scenarios(req, res); });
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
