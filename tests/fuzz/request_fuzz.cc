// HTTP request parsing as the server does it (src/server/request_fields.h,
// caravan/request.h), against the real dataset. An input is a small request:
//
//   METHOD TARGET      `GET /v1/route?from=xian&to=almaty`, `POST /v1/matrix`
//   ACCEPT             the Accept header (may be empty)
//   BODY               the rest: the JSON body of a POST
//
// The path picks the parser (route, matrix, compare or simulate); a POST body
// becomes fields first, then the query string's, then the format is taken out,
// as the server reads a request. Properties: no crash, no leak, no hang; every
// error is the client's (bad input or not found), names its field (but for a
// nameless one), starts with `field: ` and is text; what parses lies within the documented limits
// and, coming from a remote client, names no file and chooses no thread count.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "caravan/request.h"
#include "fuzz_support.h"
#include "request_fields.h"

namespace {

using namespace caravan;

void require(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "fuzz: %s\n", what);
    std::abort();
  }
}

void check_error(const Error& e) {
  require(e.code == ErrorCode::kInvalidInput || e.code == ErrorCode::kNotFound, "an error that is not the client's");
  // Only a nameless option (`?=x`) has no field to name.
  require(!e.column.empty() || e.message.rfind("an option without a name (", 0) == 0, "an error without its field");
  if (e.column.empty()) return;
  require(e.message.rfind(e.column + ": ", 0) == 0, "an error message that does not start with its field");
  fuzz::require_text(e.message, "an error message");
  fuzz::require_text(e.column, "an error's field");
}

template <class T>
void check_result(const Result<T>& r) {
  if (r) return;
  require(!r.errors().empty(), "a failure without an error");
  for (const Error& e : r.errors()) check_error(e);
}

bool valid(const Network& net, LocationIdx i) { return i.v < net.locations.size(); }

void check_query(const RouteQuery& q) {
  require(q.depart >= kEarliestInstant && q.depart < kLatestInstant, "a departure out of range");
  require(q.units >= 1 && q.units <= kMaxUnits, "a unit count out of range");
  require(!q.cargo_per_unit || (q.cargo_per_unit->tonnes() > 0 && q.cargo_per_unit->tonnes() <= 100),
          "a cargo mass out of range");
}

void check_scenarios(const std::vector<std::string>& names) {
  require(names.size() <= kMaxScenarios, "too many scenarios");
  for (const std::string& n : names) require(!is_scenario_path(n), "a remote request naming a scenario file");
}

void check_route(const Network& net, const RouteRequest& r) {
  check_query(r.query);
  require(valid(net, r.query.from) && valid(net, r.query.to), "an invalid origin or destination");
  require(r.query.via.size() <= kMaxVia &&
              std::all_of(r.query.via.begin(), r.query.via.end(), [&](LocationIdx i) { return valid(net, i); }),
          "bad vias");
  require(r.query.avoid.size() + r.query.avoid_countries.size() <= kMaxAvoid, "too many avoided places");
  require(r.samples <= kMaxRouteSamples, "too many samples");
  require(!r.deadline || *r.deadline > r.query.depart, "a deadline not after the departure");
  require(r.threads == 0, "a remote request choosing threads");
  check_scenarios(r.scenarios);
}

void check_matrix(const Network& net, const MatrixRequest& m) {
  check_query(m.query);
  for (std::size_t i = 0; i < m.places.size(); ++i) {
    require(valid(net, m.places[i]), "an invalid matrix place");
    require(std::find(m.places.begin(), m.places.begin() + static_cast<long>(i), m.places[i]) ==
                m.places.begin() + static_cast<long>(i),
            "a matrix place given twice");
  }
  require(m.samples <= kMaxMatrixSamples, "too many matrix samples");
  require(m.threads == 0, "a remote request choosing threads");
  check_scenarios(m.scenarios);
  check_scenarios(m.base_scenarios);
  if (m.demand) require(m.demand->size() <= kMaxDemandRows, "too many demand rows");
}

void check_simulate(const Network& net, const SimulateRequest& s) {
  require(!s.demand.empty() && s.demand.size() <= kMaxSimLanes, "a lane count out of range");
  for (const DemandRow& d : s.demand) {
    require(valid(net, d.from) && valid(net, d.to), "an invalid lane");
    require(d.teu_per_year >= 0 && d.teu_per_year <= 1e9, "a lane volume out of range");
  }
  require(s.options.horizon > Duration(0) && s.options.horizon <= std::chrono::days(static_cast<int>(kMaxSimDays)),
          "a horizon out of range");
  require(s.options.warmup >= Duration(0) && s.options.warmup < s.options.horizon, "a warm-up out of range");
  require(s.options.shipment_units >= 1 && s.options.shipment_units <= kMaxUnits, "shipment units out of range");
  require(s.options.max_shipments <= kMaxSimShipments && s.options.max_events <= kMaxSimEvents, "a raised bound");
  require(s.options.threads == 0, "a remote request choosing threads");
  check_scenarios(s.scenarios);
}

std::string_view take_line(std::string_view& rest) {
  const std::size_t nl = rest.find('\n');
  std::string_view line = rest.substr(0, nl);
  rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
  return line;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const Network& net = fuzz::real_network();
  std::string_view rest(reinterpret_cast<const char*>(data), size);
  std::string_view request_line = take_line(rest);
  const std::string_view accept = take_line(rest), body = rest;
  const std::size_t sp = request_line.find(' ');
  const bool post = request_line.substr(0, sp) == "POST";
  const std::string_view target = sp == std::string_view::npos ? std::string_view() : request_line.substr(sp + 1);
  const std::string_view path = target.substr(0, target.find('?'));
  enum {
    kRoute,
    kMatrix,
    kCompare,
    kSimulate
  } kind = path == "/v1/matrix"     ? kMatrix
           : path == "/v1/compare"  ? kCompare
           : path == "/v1/simulate" ? kSimulate
                                    : kRoute;
  const std::span<const OptionSpec> specs = kind == kMatrix     ? matrix_options()
                                            : kind == kCompare  ? compare_options()
                                            : kind == kSimulate ? simulate_options()
                                                                : route_options();
  RequestFields fields;
  if (post) {
    auto b = server::json_fields(body, specs);
    check_result(b);
    if (!b) return 0;
    fields = std::move(*b);
  }
  RequestFields query = server::query_fields(target);
  require(query.size() <= static_cast<std::size_t>(std::count(target.begin(), target.end(), '&')) + 1,
          "more query fields than parameters");
  fields.insert(fields.end(), query.begin(), query.end());
  auto format = server::take_format(fields, accept);
  check_result(format);
  if (!format) return 0;
  for (const RequestField& f : fields) require(f.name != "format", "a format left among the fields");

  // Remote, as the server asks; a fixed clock, so an input always means the same.
  const RequestContext ctx{RequestOrigin::kRemote, kEarliestInstant + std::chrono::hours(24 * 365 * 26)};
  switch (kind) {
    case kRoute: {
      auto r = parse_route_request(net, fields, ctx);
      check_result(r);
      if (r) check_route(net, *r);
      break;
    }
    case kMatrix:
    case kCompare: {
      auto m = kind == kMatrix ? parse_matrix_request(net, fields, ctx) : parse_compare_request(net, fields, ctx);
      check_result(m);
      if (m) check_matrix(net, *m);
      break;
    }
    case kSimulate: {
      auto s = parse_simulate_request(net, fields, ctx);
      check_result(s);
      if (s) check_simulate(net, *s);
      break;
    }
  }
  return 0;
}
