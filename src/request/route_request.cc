// The route request: `caravan route`, GET /v1/route, Dataset.route.
#include "shipment.h"

namespace caravan {
namespace {

using request::Option;
using request::row;
namespace read = request::read;

// Not a valid sample count: marks "not given" until the deadline is known.
constexpr std::uint32_t kSamplesUnset = std::numeric_limits<std::uint32_t>::max();

const std::vector<Option<RouteRequest>>& table() {
  using R = RouteRequest;
  static const std::vector<Option<R>> rows = request::with_shipment_rows<R>(
      {
          row<R>({.name = "from",
                  .type = OptionType::kPlace,
                  .help = "Origin, any case (\"Xi'an\", xian)",
                  .required = true},
                 read::place, [](R& r, LocationIdx i) { r.query.from = i; }),
          row<R>({.name = "to", .type = OptionType::kPlace, .help = "Destination", .required = true}, read::place,
                 [](R& r, LocationIdx i) { r.query.to = i; }),
          row<R>(request::kDepart, read::instant, request::set_depart),
      },
      {
          row<R>({.name = "by",
                  .type = OptionType::kChoice,
                  .help = "pareto: every good option on time, cost and CO2; time, cost or co2: the single best; "
                          "generalized: the one that minimises money plus the value of time x boxes x hours",
                  .default_text = "pareto",
                  .choices = "pareto|time|cost|co2|generalized"},
                 read::choice, request::set_objective),
          row<R>(request::kValueOfTime, read::number, request::set_value_of_time),
          row<R>(request::kVia, read::places, request::set_via),
          row<R>(request::kAvoid, read::avoid, request::set_avoid),
          row<R>(request::kMode, read::modes, [](R& r, ModeSet m) { r.query.modes = m; }),
          row<R>({.name = "deadline",
                  .type = OptionType::kInstant,
                  .help = "Arrive by this instant: adds P(on time) per option and marks the most reliable one"},
                 read::instant, [](R& r, Instant t) { r.deadline = t; }),
          row<R>({.name = "samples",
                  .type = OptionType::kCount,
                  .help = "Monte Carlo samples for p50/p80/p95 arrival; 0: none",
                  .default_text = "1000 with a deadline, else 0",
                  .min = 0,
                  .max = kMaxRouteSamples},
                 read::count, [](R& r, std::uint64_t n) { r.samples = static_cast<std::uint32_t>(n); }),
          row<R>(request::kSeed, read::count, request::set_seed),
          row<R>(request::kScenario, read::scenarios, request::set_scenarios),
          row<R>(request::kThreads, read::count, request::set_threads),
      });
  return rows;
}

}  // namespace

std::span<const OptionSpec> route_options() {
  static const std::vector<OptionSpec> specs = request::specs_of(table());
  return specs;
}

Result<RouteRequest> parse_route_request(const Network& net, const RequestFields& fields, const RequestContext& ctx) {
  RouteRequest r;
  r.query.depart = request::next_whole_hour(ctx.now);
  r.samples = kSamplesUnset;
  Status st = request::apply_fields(table(), route_options(), fields, {net, ctx}, r);
  if (!st.ok()) return st;
  st = request::check_shipment(net, r.query, fields);
  if (!st.ok()) return st;
  if (r.deadline && *r.deadline <= r.query.depart) {
    Error e = Error::invalid("deadline: " + format_instant_utc(*r.deadline) + " is not after the departure " +
                             format_instant_utc(r.query.depart) + " (expected a later instant)");
    e.column = "deadline";
    return e;
  }
  // A deadline alone asks for reliability.
  if (r.samples == kSamplesUnset) r.samples = r.deadline ? 1000u : 0u;
  return r;
}

}  // namespace caravan
