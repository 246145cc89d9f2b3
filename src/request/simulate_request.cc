// The simulation request: `caravan simulate`, POST /v1/simulate, Dataset.simulate.
#include <cmath>

#include "shipment.h"

namespace caravan {
namespace {

using request::Option;
using request::row;
namespace read = request::read;

Duration days_of(double d) { return Duration(static_cast<std::int64_t>(std::llround(d * 86400.0))); }

// Monday 00:00 UTC after `now`: a run starts on a fresh timetable week.
Instant next_monday(Instant now) {
  std::int64_t days = now.time_since_epoch().count() / 86400 + 1;
  while ((days + 3) % 7 != 0) ++days;  // 1970-01-01 was a Thursday
  return Instant(Duration(days * 86400));
}

const std::vector<Option<SimulateRequest>>& table() {
  using R = SimulateRequest;
  static const std::vector<Option<R>> rows = {
      row<R>({.name = "demand",
              .type = OptionType::kDemand,
              .help = "The lanes: demand rows {from, to, teu_per_year}, or (CLI and Python) a CSV file of them",
              .max_items = kMaxSimLanes,
              .required = true},
             read::demand, [](R& r, std::vector<DemandRow> d) { r.demand = std::move(d); }),
      row<R>({.name = "start",
              .type = OptionType::kInstant,
              .help = "First release of shipments, ISO-8601",
              .default_text = "the next Monday 00:00 UTC"},
             read::instant, [](R& r, Instant t) { r.options.start = t; }),
      row<R>({.name = "days",
              .type = OptionType::kNumber,
              .help = "Days during which shipments are released",
              .default_text = "90",
              .min = 0,
              .max = kMaxSimDays,
              .min_exclusive = true},
             read::number, [](R& r, double d) { r.options.horizon = days_of(d); }),
      row<R>({.name = "warmup",
              .type = OptionType::kNumber,
              .help = "First days whose shipments are left out of the statistics; less than days",
              .default_text = "14",
              .min = 0,
              .max = kMaxSimDays},
             read::number, [](R& r, double d) { r.options.warmup = days_of(d); }),
      row<R>({.name = "seed",
              .type = OptionType::kCount,
              .help = "Seed of the arrivals (and sampled stages); the same seed gives the same report",
              .default_text = "1",
              .min = 0,
              .max = request::kMaxSeed},
             read::count, [](R& r, std::uint64_t n) { r.options.seed = n; }),
      row<R>({.name = "units",
              .type = OptionType::kCount,
              .help = "Containers per shipment (45 for a block train)",
              .default_text = "1",
              .min = 1,
              .max = kMaxUnits},
             read::count, [](R& r, std::uint64_t n) { r.options.shipment_units = static_cast<std::uint32_t>(n); }),
      row<R>(request::kBoxUnit, request::read_unit, [](R& r, UnitKind u) { r.options.unit = u; }),
      row<R>({.name = "by",
              .type = OptionType::kChoice,
              .help = "What each lane's route minimises",
              .default_text = "cost",
              .choices = "time|cost|co2"},
             read::choice, [](R& r, std::string_view o) { r.options.objective = *parse_objective(o); }),
      row<R>(request::kMode, read::modes, [](R& r, ModeSet m) { r.options.modes = m; }),
      row<R>({.name = "arrivals",
              .type = OptionType::kChoice,
              .help = "How a lane releases shipments: Poisson, or evenly spaced",
              .default_text = "poisson",
              .choices = "poisson|regular"},
             read::choice,
             [](R& r, std::string_view a) {
               r.options.arrivals = a == "regular" ? ArrivalProcess::kRegular : ArrivalProcess::kPoisson;
             }),
      row<R>({.name = "service_capacity",
              .type = OptionType::kChoice,
              .help = "per-run: a service's runs carry at most their capacity; ignore: only crossings and links "
                      "queue (the dataset's services stand for many trains)",
              .default_text = "ignore",
              .choices = "per-run|ignore"},
             read::choice, [](R& r, std::string_view c) { r.options.service_capacity = c == "per-run"; }),
      row<R>({.name = "sample_stages",
              .type = OptionType::kFlag,
              .help = "Draw clearance, gauge change, travel and lateness from their distributions instead of the "
                      "medians",
              .default_text = "false"},
             read::flag, [](R& r, bool b) { r.options.sample_stages = b; }),
      row<R>(request::kScenario, read::scenarios, request::set_scenarios),
      row<R>(request::kThreads, read::count,
             [](R& r, std::uint64_t n) { r.options.threads = static_cast<unsigned>(n); }),
  };
  return rows;
}

}  // namespace

std::span<const OptionSpec> simulate_options() {
  static const std::vector<OptionSpec> specs = request::specs_of(table());
  return specs;
}

Result<SimulateRequest> parse_simulate_request(const Network& net, const RequestFields& fields,
                                               const RequestContext& ctx) {
  SimulateRequest r;
  r.options.start = next_monday(ctx.now);
  r.options.objective = Objective::kCost;
  r.options.service_capacity = false;
  r.options.max_shipments = kMaxSimShipments;
  r.options.max_events = kMaxSimEvents;
  Status st = request::apply_fields(table(), simulate_options(), fields, {net, ctx}, r);
  if (!st.ok()) return st;
  if (r.options.warmup >= r.options.horizon) {
    Error e = Error::invalid("warmup: not less than days (expected fewer days of warm-up than days in all)");
    e.column = "warmup";
    return e;
  }
  for (const RequestField& f : fields) {
    if (f.name == "demand") {
      r.demand_source =
          !f.members.empty() ? std::to_string(r.demand.size()) + (r.demand.size() == 1 ? " row" : " rows") : f.value;
      break;
    }
  }
  return r;
}

}  // namespace caravan
