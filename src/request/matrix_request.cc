// Matrix and comparison requests: `caravan matrix|compare`, POST
// /v1/matrix|compare, Dataset.matrix|compare.
#include <algorithm>
#include <charconv>
#include <cmath>

#include "caravan/places.h"
#include "shipment.h"

namespace caravan {
namespace {

using request::Option;
using request::row;
namespace read = request::read;

constexpr double kMaxTeuPerYear = 1e9;  // above the world's port throughput

const OptionSpec kPlaces{.name = "places",
                         .type = OptionType::kPlaces,
                         .help = "Places, distinct, by id, name or alias",
                         .default_text = "the dataset's hubs",
                         .max_items = kMaxMatrixPlaces};
const OptionSpec kSamples{.name = "samples",
                          .type = OptionType::kCount,
                          .help = "Monte Carlo samples per pair for the p95 arrival; 0: no p95, faster",
                          .default_text = "1000",
                          .min = 0,
                          .max = kMaxMatrixSamples};

// A cell holds one itinerary, so no pareto; by the same objective and modes
// on both sides, a comparison measures a change on the same kind of route.
const OptionSpec kBy{.name = "by",
                     .type = OptionType::kChoice,
                     .help =
                         "How each pair's itinerary is chosen: generalized (money plus the value of time x boxes "
                         "x hours), time, cost or co2; a comparison ranks winners and losers by it",
                     .default_text = "generalized",
                     .choices = "generalized|time|cost|co2"};

template <class R>
std::vector<Option<R>> matrix_rows() {
  return request::with_shipment_rows<R>(
      {
          row<R>(kPlaces, read::places, [](R& r, std::vector<LocationIdx> p) { r.places = std::move(p); }),
          row<R>(request::kDepart, read::instant, request::set_depart),
      },
      {
          row<R>(kBy, read::choice, request::set_objective),
          row<R>(request::kValueOfTime, read::number, request::set_value_of_time),
          row<R>(request::kMode, read::modes, [](R& r, ModeSet m) { r.query.modes = m; }),
          row<R>(kSamples, read::count, [](R& r, std::uint64_t n) { r.samples = static_cast<std::uint32_t>(n); }),
          row<R>(request::kSeed, read::count, request::set_seed),
          row<R>(request::kScenario, read::scenarios, request::set_scenarios),
          row<R>(request::kThreads, read::count, request::set_threads),
      });
}

const std::vector<Option<MatrixRequest>>& matrix_table() {
  static const std::vector<Option<MatrixRequest>> rows = matrix_rows<MatrixRequest>();
  return rows;
}

const std::vector<Option<MatrixRequest>>& compare_table() {
  using R = MatrixRequest;
  static const std::vector<Option<R>> rows = [] {
    std::vector<Option<R>> t = matrix_rows<R>();
    for (Option<R>& o : t) {
      if (o.spec.name == "scenario") {
        o.spec.help = "Scenarios to assess, in order, on top of the base: ids or (CLI and Python) TOML paths";
        o.spec.required = true;
      }
    }
    t.push_back(row<R>({.name = "base_scenario",
                        .type = OptionType::kScenarios,
                        .help = "Scenarios applied to both sides (the base), in order",
                        .max_items = kMaxScenarios,
                        .aliases = "base_scenarios"},
                       read::scenarios, [](R& r, std::vector<std::string> s) { r.base_scenarios = std::move(s); }));
    t.push_back(row<R>({.name = "demand",
                        .type = OptionType::kDemand,
                        .help = "Demand rows {from, to, teu_per_year} for the flow-weighted means, or (CLI and "
                                "Python) a CSV file of them; their places join the matrix",
                        .max_items = kMaxDemandRows},
                       read::demand, [](R& r, std::vector<DemandRow> d) { r.demand = std::move(d); }));
    return t;
  }();
  return rows;
}

Error field_error(std::string_view field, std::string message) {
  Error e = Error::invalid(std::string(field) + ": " + std::move(message));
  e.column = std::string(field);
  return e;
}

// Hubs when no place was given, then the places of the demand rows; at least
// two, at most kMaxMatrixPlaces, no place twice.
Status settle_places(const Network& net, MatrixRequest& r) {
  for (std::size_t i = 0; i < r.places.size(); ++i) {
    if (std::find(r.places.begin(), r.places.begin() + static_cast<std::ptrdiff_t>(i), r.places[i]) !=
        r.places.begin() + static_cast<std::ptrdiff_t>(i)) {
      return field_error("places",
                         "\"" + net.locations[r.places[i]].id + "\" is named twice (expected distinct places)");
    }
  }
  if (r.places.empty()) r.places = default_hubs(net);
  if (r.demand) {
    for (const DemandRow& d : *r.demand) {
      for (LocationIdx l : {d.from, d.to}) {
        if (std::find(r.places.begin(), r.places.end(), l) == r.places.end()) r.places.push_back(l);
      }
    }
    if (r.places.size() > kMaxMatrixPlaces) {
      return field_error("demand", "names too many places: " + std::to_string(r.places.size()) +
                                       " with the others (expected at most " + std::to_string(kMaxMatrixPlaces) +
                                       " in all)");
    }
  }
  if (r.places.size() < 2) return field_error("places", "fewer than two places (expected at least two)");
  return {};
}

Result<MatrixRequest> parse(const std::vector<Option<MatrixRequest>>& table, std::span<const OptionSpec> specs,
                            const Network& net, const RequestFields& fields, const RequestContext& ctx) {
  MatrixRequest r;
  r.query.depart = request::next_whole_hour(ctx.now);
  r.query.objective = Objective::kGeneralized;
  Status st = request::apply_fields(table, specs, fields, {net, ctx}, r);
  if (!st.ok()) return st;
  st = request::check_shipment(net, r.query, fields);
  if (!st.ok()) return st;
  st = settle_places(net, r);
  if (!st.ok()) return st;
  return r;
}

}  // namespace

namespace request::read {

Result<std::vector<DemandRow>> demand(const OptionSpec& s, const Values& v, const Env& env) {
  const bool file = !v.front()->value.empty();
  if (file) {
    if (env.ctx.origin == RequestOrigin::kRemote) {
      return option_error(s, "a file path, which the server does not read (expected rows {from, to, teu_per_year})");
    }
    if (v.size() > 1) return option_error(s, "more than one file (expected one CSV file, or rows)");
    auto rows = load_demand_csv(v.front()->value, env.net);
    if (!rows) return rows.errors();  // file:line messages
    if (rows->size() > s.max_items) {
      return option_error(s, v.front()->value + ": " + std::to_string(rows->size()) + " rows (expected at most " +
                                 std::to_string(s.max_items) + ")");
    }
    for (const DemandRow& d : *rows) {
      if (d.teu_per_year > kMaxTeuPerYear) {
        return option_error(s, v.front()->value + ": teu_per_year above 1e9 (expected a number from 0 to 1e9)");
      }
    }
    return std::move(*rows);
  }
  if (v.size() > s.max_items) {
    return option_error(s, "too many rows: " + std::to_string(v.size()) + " (expected " + s.expected() + ")");
  }
  std::vector<DemandRow> out;
  for (std::size_t i = 0; i < v.size(); ++i) {
    const auto& members = v[i]->members;
    const std::string where = "row " + std::to_string(i + 1) + ": ";
    if (members.empty()) return option_error(s, where + "a file path among rows (expected rows only)");
    auto get = [&](std::string_view key) -> const std::string* {
      for (const auto& [k, val] : members) {
        if (k == key) return &val;
      }
      return nullptr;
    };
    const std::string *from = get("from"), *to = get("to"), *teu = get("teu_per_year");
    if (from == nullptr || to == nullptr || teu == nullptr || members.size() != 3) {
      return option_error(s, where + "expected exactly from, to and teu_per_year");
    }
    DemandRow d;
    for (auto [text, out_place] : {std::pair{from, &d.from}, std::pair{to, &d.to}}) {
      auto p = resolve_place(env.net, *text);
      if (!p) return option_error(s, where + p.error().message, p.error().code);
      *out_place = *p;
    }
    auto [end, ec] = std::from_chars(teu->data(), teu->data() + teu->size(), d.teu_per_year);
    if (ec != std::errc() || end != teu->data() + teu->size() || !std::isfinite(d.teu_per_year) || d.teu_per_year < 0 ||
        d.teu_per_year > kMaxTeuPerYear) {
      return option_error(s, where + "bad teu_per_year \"" + *teu + "\" (expected a number from 0 to 1e9)");
    }
    out.push_back(d);
  }
  return out;
}

}  // namespace request::read

MatrixOptions MatrixRequest::options() const {
  MatrixOptions m;
  m.depart = query.depart;
  m.units = query.units;
  m.unit = query.unit;
  m.cargo_per_unit = query.cargo_per_unit;
  m.volume_m3 = query.volume_m3;
  m.equipment = query.equipment;
  m.value_of_time_usd = query.value_of_time_usd;
  m.objective = query.objective;
  m.modes = query.modes;
  m.samples = samples;
  m.seed = seed;
  m.threads = threads;
  return m;
}

std::span<const OptionSpec> matrix_options() {
  static const std::vector<OptionSpec> specs = request::specs_of(matrix_table());
  return specs;
}

std::span<const OptionSpec> compare_options() {
  static const std::vector<OptionSpec> specs = request::specs_of(compare_table());
  return specs;
}

Result<MatrixRequest> parse_matrix_request(const Network& net, const RequestFields& fields, const RequestContext& ctx) {
  return parse(matrix_table(), matrix_options(), net, fields, ctx);
}

Result<MatrixRequest> parse_compare_request(const Network& net, const RequestFields& fields,
                                            const RequestContext& ctx) {
  return parse(compare_table(), compare_options(), net, fields, ctx);
}

}  // namespace caravan
