// The query of a sweep: a grid's [query] and [samples] keys and `caravan
// sweep --by/--threads`, with the route request's names and limits.
#include <algorithm>

#include "shipment.h"

namespace caravan {
namespace {

using request::Option;
using request::row;
namespace read = request::read;

// `by`: one of its choices; pareto is named, for it is a planner objective a
// sweep cannot use.
Result<std::string_view> read_objective(const OptionSpec& s, const request::Values& v, const request::Env& env) {
  std::string lower = v.front()->value;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  if (lower == "pareto") {
    return request::option_error(s, "pareto gives several options per pair, a sweep needs one (expected " +
                                        s.expected() + ")");
  }
  return read::choice(s, v, env);
}

// `seeds`: a list of distinct whole numbers, each read as `seed` is.
Result<std::vector<std::uint64_t>> read_seeds(const OptionSpec& s, const request::Values& v, const request::Env& env) {
  auto items = request::split_items(s, v, {});
  if (!items) return items.errors();
  std::vector<std::uint64_t> out;
  for (const std::string& item : *items) {
    RequestField one{std::string(s.name), item, {}};
    auto n = read::count(s, {&one}, env);
    if (!n) return n.errors();
    if (std::find(out.begin(), out.end(), *n) != out.end()) {
      return request::option_error(s, item + " is listed twice (expected distinct seeds)");
    }
    out.push_back(*n);
  }
  return out;
}

const std::vector<Option<SweepRequest>>& table() {
  using R = SweepRequest;
  static const std::vector<Option<R>> rows = request::with_shipment_rows<R>(
      {
          row<R>({.name = "by",
                  .type = OptionType::kChoice,
                  .help =
                      "What every cell's route minimises: generalized (money plus the value of time x boxes x hours), "
                      "time, cost or co2; on the command line it overrides the grid's",
                  .default_text = to_string(default_sweep_objective()),
                  .choices = "generalized|time|cost|co2"},
                 read_objective, request::set_objective),
          row<R>(request::kValueOfTime, read::number, request::set_value_of_time),
      },
      {
          row<R>(request::kVia, read::places, request::set_via),
          row<R>(request::kAvoid, read::avoid, request::set_avoid),
          row<R>(request::kMode, read::modes, [](R& r, ModeSet m) { r.query.modes = m; }),
          row<R>({.name = "deadline_hours",
                  .type = OptionType::kNumber,
                  .help = "On-time probability: arrival within this many hours of each departure",
                  .min = 0,
                  .max = kMaxDeadlineHours,
                  .min_exclusive = true},
                 read::number, [](R& r, double h) { r.deadline_after = hours(h); }),
          row<R>({.name = "deadline",
                  .type = OptionType::kInstant,
                  .help = "On-time probability: arrival by this instant, after every departure"},
                 read::instant, [](R& r, Instant t) { r.deadline = t; }),
          row<R>({.name = "samples",
                  .type = OptionType::kCount,
                  .help = "Monte Carlo samples per cell for p50/p95 and the on-time probability; 0: none",
                  .default_text = "1000",
                  .min = 0,
                  .max = kMaxRouteSamples},
                 read::count, [](R& r, std::uint64_t n) { r.samples = static_cast<std::uint32_t>(n); }),
          row<R>(request::kSeed, read::count, [](R& r, std::uint64_t n) { r.seeds = {n}; }),
          row<R>({.name = "seeds",
                  .type = OptionType::kCount,
                  .help = "Seeds of the Monte Carlo, each a dimension of the grid",
                  .default_text = "1",
                  .min = 0,
                  .max = request::kMaxSeed,
                  .max_items = kMaxSweepSeeds},
                 read_seeds, [](R& r, std::vector<std::uint64_t> s) { r.seeds = std::move(s); }),
          row<R>(request::kThreads, read::count, request::set_threads),
      });
  return rows;
}

// The field named `name` in `fields`; nullptr when absent.
const RequestField* given(const RequestFields& fields, std::string_view name) {
  for (const RequestField& f : fields) {
    if (f.name == name) return &f;
  }
  return nullptr;
}

}  // namespace

Objective default_sweep_objective() { return Objective::kGeneralized; }

std::span<const OptionSpec> sweep_options() {
  static const std::vector<OptionSpec> specs = request::specs_of(table());
  return specs;
}

Result<SweepRequest> parse_sweep_request(const Network& net, const RequestFields& fields, const RequestContext& ctx) {
  SweepRequest r;
  r.query.objective = default_sweep_objective();
  Status st = request::apply_fields(table(), sweep_options(), fields, {net, ctx}, r);
  if (!st.ok()) return st;
  st = request::check_shipment(net, r.query, fields);
  if (!st.ok()) return st;
  const auto spec = [](std::string_view name) {
    const auto specs = sweep_options();
    return *std::find_if(specs.begin(), specs.end(), [&](const OptionSpec& s) { return s.name == name; });
  };
  if (given(fields, "deadline_hours") != nullptr && given(fields, "deadline") != nullptr) {
    return request::option_error(spec("deadline"), "given with deadline_hours (expected one of them)");
  }
  if (given(fields, "seed") != nullptr && given(fields, "seeds") != nullptr) {
    return request::option_error(spec("seeds"), "given with seed (expected one of them)");
  }
  for (LocationIdx v : r.query.via) {
    const Location& l = net.locations[v];
    const bool avoided = std::find(r.query.avoid.begin(), r.query.avoid.end(), v) != r.query.avoid.end() ||
                         std::find(r.query.avoid_countries.begin(), r.query.avoid_countries.end(), l.country_code()) !=
                             r.query.avoid_countries.end();
    if (avoided) {
      return request::option_error(spec("via"), "\"" + l.id + "\" is avoided (expected places that avoid spares)");
    }
  }
  return r;
}

}  // namespace caravan
