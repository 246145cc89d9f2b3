// `caravan matrix …` and `caravan compare …`: many-to-many, and what scenarios change.
#include <chrono>
#include <iostream>
#include <memory>

#include "caravan/load.h"
#include "caravan/matrix.h"
#include "caravan/places.h"
#include "caravan/present.h"
#include "commands.h"
#include "scenario_options.h"

namespace caravan::cli {
namespace {

struct MatrixOptionsCli {
  std::string places;
  std::string depart;
  std::uint32_t units = 1;
  std::string unit = "FEU";
  double cargo_tonnes = 0;
  double volume_m3 = 0;
  std::string equipment = "coc";
  double value_of_time = -1;
  std::string by = "generalized";
  std::string modes;
  std::uint32_t samples = 1000;
  std::uint64_t seed = 1;
  unsigned threads = 0;
  std::string format = "table";
  std::string data;
  std::vector<std::string> scenarios, base_scenarios;
  std::string demand;
};

// Checks the options that need no data and fills the core options.
std::optional<int> prepare(const MatrixOptionsCli& o, MatrixOptions& m, MatrixEcho& echo) {
  auto unit = parse_unit_kind(o.unit);
  if (!unit) return report({Error::invalid("--unit: unknown unit \"" + o.unit + "\" (expected TEU, FEU, FEU_HC or KG)")});
  if (o.units == 0) return report({Error::invalid("--units: must be at least 1")});
  auto objective = parse_objective(o.by);
  if (!objective || *objective == Objective::kPareto) {
    return report({Error::invalid("--by: unknown objective \"" + o.by + "\" (expected generalized, time, cost or co2)")});
  }
  auto equipment = parse_equipment(o.equipment);
  if (!equipment) return report({Error::invalid("--equipment: unknown \"" + o.equipment + "\" (expected coc or soc)")});
  if (!o.modes.empty()) {
    auto modes = parse_mode_set(o.modes);
    if (!modes) return report({Error::invalid("--mode: " + modes.error().message)});
    m.modes = *modes;
  }
  m.objective = *objective;
  m.equipment = *equipment;
  if (o.cargo_tonnes != 0) m.cargo_per_unit = Mass::from_tonnes(o.cargo_tonnes);
  if (o.volume_m3 != 0) m.volume_m3 = o.volume_m3;
  if (o.value_of_time >= 0) m.value_of_time_usd = o.value_of_time;
  if (o.format != "table" && o.format != "csv" && o.format != "json") {
    return report({Error::invalid("--format: unknown format \"" + o.format + "\" (expected table, csv or json)")});
  }
  if (o.depart.empty()) {
    auto now = std::chrono::time_point_cast<Duration>(std::chrono::system_clock::now());
    m.depart = Instant(Duration((now.time_since_epoch().count() / 3600 + 1) * 3600));
  } else {
    auto t = parse_instant(o.depart);
    if (!t) return report({Error::invalid("--depart: " + t.error().message)});
    m.depart = *t;
  }
  m.units = o.units;
  m.unit = *unit;
  m.samples = o.samples;
  m.seed = o.seed;
  m.threads = o.threads;
  echo.depart = m.depart;
  echo.units = m.units;
  echo.unit = m.unit;
  echo.objective = m.objective;
  echo.modes = m.modes;
  return std::nullopt;
}

std::optional<std::vector<LocationIdx>> places_of(const Network& net, const std::string& list, int* exit) {
  if (list.empty()) return default_hubs(net);
  std::vector<LocationIdx> out;
  std::size_t start = 0;
  while (start <= list.size()) {
    std::size_t end = list.find(',', start);
    if (end == std::string::npos) end = list.size();
    std::string name = list.substr(start, end - start);
    start = end + 1;
    if (name.empty()) continue;
    auto r = resolve_place(net, name);
    if (!r) {
      Error e = r.error();
      e.message = "--places: " + e.message;
      *exit = report({e});
      return std::nullopt;
    }
    out.push_back(*r);
  }
  return out;
}

Result<Matrix> run_matrix(const RouteIndex& index, const std::vector<LocationIdx>& places, MatrixOptions m,
                          const char* label) {
  ProgressBar bar(label);
  m.progress = [&bar](std::size_t done, std::size_t total) { bar.update(done, total); };
  return compute_matrix(index, places, m);
}

int run_matrix_command(const MatrixOptionsCli& o) {
  MatrixOptions m;
  MatrixEcho echo;
  if (auto bad = prepare(o, m, echo)) return *bad;
  auto net = load_network(o.data.empty() ? default_data_dir() : std::filesystem::path(o.data));
  if (!net) return report(net.errors());
  int exit = kExitOk;
  auto places = places_of(*net, o.places, &exit);
  if (!places) return exit;
  std::vector<Scenario> scenarios;
  auto overlay = load_overlay(*net, o.scenarios, &exit, &scenarios);
  if (!overlay) return exit;
  for (const Scenario& sc : scenarios) echo.scenarios.push_back(sc.id);
  RouteIndex index(*net, overlay.get());
  auto matrix = run_matrix(index, *places, m, "matrix");
  if (!matrix) return report(matrix.errors());
  if (o.format == "json")
    std::cout << matrix_to_json(*net, echo, *matrix);
  else if (o.format == "csv")
    std::cout << matrix_to_csv(*net, *matrix);
  else
    std::cout << matrix_to_table(*net, echo, *matrix);
  return std::cout.good() ? kExitOk : kExitInternal;
}

int run_compare_command(const MatrixOptionsCli& o) {
  MatrixOptions m;
  MatrixEcho echo;
  if (auto bad = prepare(o, m, echo)) return *bad;
  if (o.scenarios.empty())
    return report({Error::invalid("--scenario: at least one is required (expected a scenario TOML file)")});
  auto net = load_network(o.data.empty() ? default_data_dir() : std::filesystem::path(o.data));
  if (!net) return report(net.errors());
  int exit = kExitOk;
  auto places = places_of(*net, o.places, &exit);
  if (!places) return exit;
  std::optional<std::vector<DemandRow>> demand;
  if (!o.demand.empty()) {
    auto d = load_demand_csv(o.demand, *net);
    if (!d) return report(d.errors());
    demand = std::move(*d);
    for (const DemandRow& r : *demand) {
      for (LocationIdx l : {r.from, r.to}) {
        if (std::find(places->begin(), places->end(), l) == places->end()) places->push_back(l);
      }
    }
  }
  std::vector<Scenario> base_sc, all_sc;
  auto base_overlay = load_overlay(*net, o.base_scenarios, &exit, &base_sc);
  if (!base_overlay) return exit;
  std::vector<std::string> all_files = o.base_scenarios;
  all_files.insert(all_files.end(), o.scenarios.begin(), o.scenarios.end());
  auto overlay = load_overlay(*net, all_files, &exit, &all_sc);
  if (!overlay) return exit;
  for (const Scenario& sc : base_sc) echo.base_scenarios.push_back(sc.id);
  for (std::size_t i = base_sc.size(); i < all_sc.size(); ++i) echo.scenarios.push_back(all_sc[i].id);

  RouteIndex base_index(*net, base_overlay.get());
  RouteIndex index(*net, overlay.get());
  auto base = run_matrix(base_index, *places, m, "base");
  if (!base) return report(base.errors());
  auto with = run_matrix(index, *places, m, "scenario");
  if (!with) return report(with.errors());
  Comparison c = compare(*base, *with, demand ? &*demand : nullptr);
  if (o.format == "json")
    std::cout << comparison_to_json(*net, echo, c);
  else if (o.format == "csv")
    std::cout << comparison_to_csv(*net, c);
  else
    std::cout << comparison_to_table(*net, echo, c);
  return std::cout.good() ? kExitOk : kExitInternal;
}

void add_common(CLI::App* cmd, MatrixOptionsCli& o) {
  cmd->add_option("--places", o.places, "Comma-separated places by id, name or alias (default: the dataset's hubs)");
  cmd->add_option("--depart", o.depart, "When cargo is ready at every origin, ISO-8601 (default: the next whole hour)");
  cmd->add_option("--units", o.units, "Number of containers (default 1)");
  cmd->add_option("--unit", o.unit, "TEU, FEU (default), FEU_HC or KG (then --units is kilograms)");
  cmd->add_option("--cargo-tonnes", o.cargo_tonnes, "Cargo per container, tonnes (default 10 per TEU, 20 per FEU)");
  cmd->add_option("--volume-m3", o.volume_m3, "KG only: the cargo's volume (air charges by volume at 1:6000)");
  cmd->add_option("--equipment", o.equipment, "coc (default; adds the empty return) or soc");
  cmd->add_option("--value-of-time", o.value_of_time, "USD per box-hour (KG: tonne-hour); default: the dataset's");
  cmd->add_option("--by", o.by,
                  "How each pair's itinerary is chosen: generalized (default: money + value of time x boxes x\n"
                  "hours), time, cost or co2. The same objective and modes on both sides of a comparison measure\n"
                  "the change on the same kind of route, not a switch of mode");
  cmd->add_option("--mode", o.modes, "Modes allowed, comma-separated: rail,road,ferry,sea,air (default all)");
  cmd->add_option("--samples", o.samples,
                  "Monte Carlo samples per pair for the p95 arrival (default 1000; 0: no p95, faster)");
  cmd->add_option("--seed", o.seed, "Seed of the Monte Carlo (default 1)");
  cmd->add_option("--threads", o.threads, "Threads (default: all cores); results do not depend on it");
  cmd->add_option("--format", o.format, "table (default), csv or json");
  cmd->add_option("--data", o.data, "Dataset folder (default: the embedded data/central-asia, or $CARAVAN_DATA)");
}

}  // namespace

Runner add_matrix_command(CLI::App& app) {
  auto o = std::make_shared<MatrixOptionsCli>();
  CLI::App* cmd = app.add_subcommand("matrix", "Time, cost, CO2 and p95 between every pair of places");
  cmd->description(
      "For every ordered pair of places, the best itinerary by --by (default generalized: money plus\n"
      "the value of time) with the --mode allowed: its time, cost (USD), CO2 and generalized cost, and\n"
      "its p95 arrival from a Monte Carlo replay (--samples, default 1000). Pairs run in parallel.");
  add_common(cmd, *o);
  cmd->add_option("--scenario", o->scenarios, "Apply a scenario TOML file; repeat for several, in order")->take_all();
  cmd->footer(
      "\nExamples:\n"
      "  caravan matrix --depart 2026-03-02T00:00Z\n"
      "      every pair of the dataset's hubs\n"
      "  caravan matrix --places xian,almaty,tashkent,baku --format csv > m.csv\n"
      "      four places with the p95 arrival, as CSV\n"
      "  caravan matrix --samples 0\n"
      "      time, cost and CO2 only, without the Monte Carlo\n"
      "  caravan matrix --mode rail --by time --samples 0\n"
      "      the fastest all-rail itinerary of every pair\n"
      "\nExit codes: 0 done, 2 bad input, 3 internal error.");
  return [o] { return run_matrix_command(*o); };
}

Runner add_compare_command(CLI::App& app) {
  auto o = std::make_shared<MatrixOptionsCli>();
  CLI::App* cmd = app.add_subcommand("compare", "What scenarios change for every pair of places");
  cmd->description(
      "Computes the hub matrix twice — the base network (plus any --base-scenario) and the base plus\n"
      "the --scenario files — with the same --by (default generalized) and --mode, and reports every\n"
      "pair's change: the biggest winners and losers by time, pairs newly connected or cut off, and\n"
      "network-wide mean changes weighted equally and, with --demand, by flow.");
  add_common(cmd, *o);
  cmd->add_option("--scenario", o->scenarios, "Scenario TOML file to assess; repeatable, applied in order")->take_all();
  cmd->add_option("--base-scenario", o->base_scenarios, "Scenario applied to both sides (the base); repeatable")
      ->take_all();
  cmd->add_option("--demand", o->demand, "CSV from,to,teu_per_year: weights for the flow-weighted means");
  cmd->footer(
      "\nExamples:\n"
      "  caravan compare --scenario data/central-asia/scenarios/cku-railway.toml --depart 2026-03-02T00:00Z\n"
      "      who gains from the China-Kyrgyzstan-Uzbekistan railway\n"
      "  caravan compare --base-scenario a.toml --scenario b.toml --demand flows.csv --format json\n"
      "      b on top of a, weighted by a demand table\n"
      "\nExit codes: 0 done, 2 bad input, 3 internal error.");
  return [o] { return run_compare_command(*o); };
}

}  // namespace caravan::cli
