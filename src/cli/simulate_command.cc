// `caravan simulate …`: a demand table through the network, with capacities and queues.
#include <chrono>
#include <cmath>
#include <iostream>
#include <memory>

#include "caravan/load.h"
#include "caravan/matrix.h"
#include "caravan/present.h"
#include "caravan/sim.h"
#include "commands.h"
#include "scenario_options.h"

namespace caravan::cli {
namespace {

struct SimulateOptionsCli {
  std::string demand;
  double days = 90;
  double warmup = 14;
  std::string start;
  std::uint64_t seed = 1;
  std::uint32_t units = 1;
  std::string unit = "FEU";
  std::string by = "cost";
  std::string arrivals = "poisson";
  std::string service_capacity = "ignore";
  std::string modes;
  bool sample_stages = false;
  unsigned threads = 0;
  std::vector<std::string> scenarios;
  std::string format = "table";
  std::string data;
};

Duration days_of(double d) { return Duration(static_cast<std::int64_t>(std::llround(d * 86400.0))); }

// Checks the options that need no data and fills the core options.
std::optional<int> prepare(const SimulateOptionsCli& o, SimOptions& s) {
  if (o.format != "table" && o.format != "csv" && o.format != "json") {
    return report({Error::invalid("--format: unknown format \"" + o.format + "\" (expected table, csv or json)")});
  }
  if (!std::isfinite(o.days) || o.days <= 0 || o.days > 3650) {
    return report({Error::invalid("--days: must be more than 0 and at most 3650")});
  }
  if (!std::isfinite(o.warmup) || o.warmup < 0 || o.warmup >= o.days) {
    return report({Error::invalid("--warmup: must be at least 0 and less than --days")});
  }
  auto unit = parse_unit_kind(o.unit);
  if (!unit) return report({Error::invalid("--unit: unknown unit \"" + o.unit + "\" (expected TEU or FEU)")});
  if (o.units == 0) return report({Error::invalid("--units: must be at least 1")});
  auto by = parse_objective(o.by);
  if (!by || *by == Objective::kPareto) {
    return report({Error::invalid("--by: unknown objective \"" + o.by + "\" (expected time, cost or co2)")});
  }
  if (o.arrivals == "poisson") {
    s.arrivals = ArrivalProcess::kPoisson;
  } else if (o.arrivals == "regular") {
    s.arrivals = ArrivalProcess::kRegular;
  } else {
    return report({Error::invalid("--arrivals: unknown process \"" + o.arrivals + "\" (expected poisson or regular)")});
  }
  if (o.service_capacity != "per-run" && o.service_capacity != "ignore") {
    return report({Error::invalid("--service-capacity: unknown value \"" + o.service_capacity +
                                  "\" (expected per-run or ignore)")});
  }
  s.service_capacity = o.service_capacity == "per-run";
  if (!o.modes.empty()) {
    auto m = parse_mode_set(o.modes);
    if (!m) return report({Error::invalid("--mode: " + m.error().message)});
    s.modes = *m;
  }
  if (o.start.empty()) {
    // Next Monday 00:00 UTC: a run starts on a fresh timetable week.
    auto now = std::chrono::time_point_cast<Duration>(std::chrono::system_clock::now());
    std::int64_t days = now.time_since_epoch().count() / 86400 + 1;
    while ((days + 3) % 7 != 0) ++days;  // 1970-01-01 was a Thursday
    s.start = Instant(Duration(days * 86400));
  } else {
    auto t = parse_instant(o.start);
    if (!t) return report({Error::invalid("--start: " + t.error().message)});
    s.start = *t;
  }
  s.horizon = days_of(o.days);
  s.warmup = days_of(o.warmup);
  s.seed = o.seed;
  s.unit = *unit;
  s.shipment_units = o.units;
  s.objective = *by;
  s.threads = o.threads;
  s.sample_stages = o.sample_stages;
  return std::nullopt;
}

int run_simulate_command(const SimulateOptionsCli& o) {
  SimOptions s;
  if (auto bad = prepare(o, s)) return *bad;
  const std::filesystem::path data = o.data.empty() ? default_data_dir() : std::filesystem::path(o.data);
  auto net = load_network(data);
  if (!net) return report(net.errors());
  auto demand = load_demand_csv(o.demand, *net);
  if (!demand) return report(demand.errors());
  int exit = kExitOk;
  std::vector<Scenario> scenarios;
  auto overlay = load_overlay(*net, data, o.scenarios, &exit, &scenarios);
  if (!overlay) return exit;
  SimEcho echo;
  echo.demand = o.demand;
  for (const Scenario& sc : scenarios) echo.scenarios.push_back(sc.id);
  RouteIndex index(*net, overlay.get());
  Result<SimReport> r = [&] {
    ProgressBar bar("simulate");
    s.progress = [&bar](std::size_t done, std::size_t total) { bar.update(done, total); };
    return simulate(index, *demand, s);
  }();
  if (!r) return report(r.errors());
  if (o.format == "json")
    std::cout << sim_report_to_json(*net, echo, *r);
  else if (o.format == "csv")
    std::cout << sim_report_to_csv(*net, *r);
  else
    std::cout << sim_report_to_table(*net, echo, *r);
  return std::cout.good() ? kExitOk : kExitInternal;
}

}  // namespace

Runner add_simulate_command(CLI::App& app) {
  auto o = std::make_shared<SimulateOptionsCli>();
  CLI::App* cmd = app.add_subcommand("simulate", "Flows meet capacity: queues at crossings, links and trains");
  cmd->description(
      "Sends a demand table (TEU a year per lane) through the network for --days. Every lane releases\n"
      "shipments (one FEU each by default) as a Poisson process; each follows the planner's itinerary\n"
      "(cheapest, or as --by says) and queues first come first served wherever a crossing (TEU a day),\n"
      "a link (TEU a day) or a scheduled run (TEU a run) is full. Reports each capacitated resource's\n"
      "utilisation, waits and backlog, and each lane's transit time against free flow.\n"
      "Same --seed, same report. Model and assumptions: docs/simulation.md.");
  cmd->add_option("--demand", o->demand, "CSV from,to,teu_per_year[,source]; places by id, name or alias")
      ->required();
  cmd->add_option("--days", o->days, "Days of releases, warm-up included (default 90)");
  cmd->add_option("--warmup", o->warmup, "First days whose shipments are left out of the statistics (default 14)");
  cmd->add_option("--start", o->start, "First release, ISO-8601 (default: next Monday 00:00 UTC)");
  cmd->add_option("--seed", o->seed, "Seed of the arrival processes (default 1)");
  cmd->add_option("--units", o->units, "Containers per shipment (default 1)");
  cmd->add_option("--unit", o->unit, "TEU or FEU (default FEU)");
  cmd->add_option("--by", o->by, "Route choice: cost (default: how container flows are booked), time or co2");
  cmd->add_option("--mode", o->modes, "Moving modes routes may use, e.g. rail,road,ferry (default: all)");
  cmd->add_option("--arrivals", o->arrivals, "poisson (default) or regular (evenly spaced)");
  cmd->add_option("--service-capacity", o->service_capacity,
                  "ignore (default): runs have no limit, so only crossings and links queue — right for datasets\n"
                  "whose services stand for many trains a day, as the embedded one's do; per-run: a run carries\n"
                  "at most its capacity_units, for datasets that list every run");
  cmd->add_flag("--sample-stages", o->sample_stages,
               "Draw clearance, gauge change, link travel and lateness per shipment from their\n"
               "distributions (as the Monte Carlo does) instead of taking the medians");
  cmd->add_option("--threads", o->threads, "Threads for planning routes (default: all cores); results do not depend on it");
  cmd->add_option("--scenario", o->scenarios, "Apply a scenario TOML file; repeat for several, in order")->take_all();
  cmd->add_option("--format", o->format, "table (default), csv or json");
  cmd->add_option("--data", o->data, "Dataset folder (default: the embedded data/central-asia, or $CARAVAN_DATA)");
  cmd->footer(
      "\nExamples:\n"
      "  caravan simulate --demand data/central-asia/demand.csv --start 2026-03-02 --units 45\n"
      "      90 days of the dataset's main container lanes as block trains of 45 FEU, routed by cost:\n"
      "      which crossings fill up, and what their queues add to each lane\n"
      "  caravan simulate --demand data/central-asia/demand.csv --start 2026-03-02 --units 45 \\\n"
      "      --scenario data/central-asia/scenarios/khorgos-2024-exchange.toml\n"
      "      the same with Khorgos cut to 8 trains a day\n"
      "  caravan simulate --demand data/central-asia/demand.csv --service-capacity per-run --mode rail,road,ferry\n"
      "      also hold every scheduled run to its capacity (here the one weekly Caspian feeder overflows)\n"
      "  printf 'from,to,teu_per_year\\nxian,almaty,50000\\n' > d.csv && caravan simulate --demand d.csv --days 30 --warmup 0\n"
      "      one lane, a month\n"
      "\nA demand file lists lanes, one a line:\n"
      "  from,to,teu_per_year\n"
      "  xian,duisburg,120000\n"
      "  chongqing,tashkent,30000\n"
      "\nExit codes: 0 done, 2 bad input (options, demand, data, scenario), 3 internal error.");
  return [o] { return run_simulate_command(*o); };
}

}  // namespace caravan::cli
