// `caravan matrix …` and `caravan compare …`: many-to-many, and what scenarios change.
#include <chrono>
#include <iostream>
#include <memory>
#include <variant>

#include "caravan/load.h"
#include "caravan/matrix.h"
#include "caravan/present.h"
#include "caravan/request.h"
#include "commands.h"
#include "request_options.h"
#include "scenario_options.h"

namespace caravan::cli {
namespace {

struct MatrixCli {
  std::string format = "table";
  std::string data;
  std::unique_ptr<RequestOptions> request;
};

// The dataset and the parsed request, or the exit code of what went wrong.
struct Prepared {
  std::filesystem::path data;
  std::unique_ptr<Network> net;
  MatrixRequest request;
};

std::variant<Prepared, int> prepare(const MatrixCli& o, bool compare) {
  if (o.format != "table" && o.format != "csv" && o.format != "json") {
    return report({Error::invalid("--format: unknown format \"" + o.format + "\" (expected table, csv or json)")});
  }
  Prepared p;
  p.data = o.data.empty() ? default_data_dir() : std::filesystem::path(o.data);
  auto net = load_network(p.data);
  if (!net) return report(net.errors());
  p.net = std::make_unique<Network>(std::move(*net));
  auto req = compare ? parse_compare_request(*p.net, o.request->fields(), local_context())
                     : parse_matrix_request(*p.net, o.request->fields(), local_context());
  if (!req) return report_request(req.errors());
  p.request = std::move(*req);
  return p;
}

Result<Matrix> run_matrix(const RouteIndex& index, const std::vector<LocationIdx>& places, MatrixOptions m,
                          const char* label) {
  ProgressBar bar(label);
  m.progress = [&bar](std::size_t done, std::size_t total) { bar.update(done, total); };
  return compute_matrix(index, places, m);
}

int run_matrix_command(const MatrixCli& o) {
  auto prepared = prepare(o, false);
  if (auto* code = std::get_if<int>(&prepared)) return *code;
  auto& [data, net, req] = std::get<Prepared>(prepared);
  MatrixEcho echo = matrix_echo(req.options());
  int exit = kExitOk;
  std::vector<Scenario> scenarios;
  auto overlay = load_overlay(*net, data, req.scenarios, &exit, &scenarios);
  if (!overlay) return exit;
  for (const Scenario& sc : scenarios) echo.scenarios.push_back(sc.id);
  RouteIndex index(*net, overlay.get());
  auto matrix = run_matrix(index, req.places, req.options(), "matrix");
  if (!matrix) return report(matrix.errors());
  if (o.format == "json")
    std::cout << matrix_to_json(*net, echo, *matrix);
  else if (o.format == "csv")
    std::cout << matrix_to_csv(*net, *matrix);
  else
    std::cout << matrix_to_table(*net, echo, *matrix);
  return std::cout.good() ? kExitOk : kExitInternal;
}

int run_compare_command(const MatrixCli& o) {
  auto prepared = prepare(o, true);
  if (auto* code = std::get_if<int>(&prepared)) return *code;
  auto& [data, net, req] = std::get<Prepared>(prepared);
  MatrixEcho echo = matrix_echo(req.options());
  int exit = kExitOk;
  std::vector<Scenario> base_sc, all_sc;
  auto base_overlay = load_overlay(*net, data, req.base_scenarios, &exit, &base_sc);
  if (!base_overlay) return exit;
  std::vector<std::string> all = req.base_scenarios;
  all.insert(all.end(), req.scenarios.begin(), req.scenarios.end());
  auto overlay = load_overlay(*net, data, all, &exit, &all_sc);
  if (!overlay) return exit;
  for (const Scenario& sc : base_sc) echo.base_scenarios.push_back(sc.id);
  for (std::size_t i = base_sc.size(); i < all_sc.size(); ++i) echo.scenarios.push_back(all_sc[i].id);

  RouteIndex base_index(*net, base_overlay.get());
  RouteIndex index(*net, overlay.get());
  auto base = run_matrix(base_index, req.places, req.options(), "base");
  if (!base) return report(base.errors());
  auto with = run_matrix(index, req.places, req.options(), "scenario");
  if (!with) return report(with.errors());
  Comparison c = compare(*base, *with, req.demand ? &*req.demand : nullptr);
  if (o.format == "json")
    std::cout << comparison_to_json(*net, echo, c);
  else if (o.format == "csv")
    std::cout << comparison_to_csv(*net, c);
  else
    std::cout << comparison_to_table(*net, echo, c);
  return std::cout.good() ? kExitOk : kExitInternal;
}

void add_format_and_data(CLI::App* cmd, MatrixCli& o) {
  cmd->add_option("--format", o.format, "table (default), csv or json");
  cmd->add_option("--data", o.data, "Dataset folder (default: the embedded data/central-asia, or $CARAVAN_DATA)");
}

}  // namespace

Runner add_matrix_command(CLI::App& app) {
  auto o = std::make_shared<MatrixCli>();
  CLI::App* cmd = app.add_subcommand("matrix", "Time, cost, CO2 and p95 between every pair of places");
  cmd->description(
      "For every ordered pair of places, the best itinerary by --by (default generalized: money plus\n"
      "the value of time) with the --mode allowed: its time, cost (USD), CO2 and generalized cost, and\n"
      "its p95 arrival from a Monte Carlo replay (--samples, default 1000). Pairs run in parallel.");
  o->request = std::make_unique<RequestOptions>(cmd, matrix_options());
  add_format_and_data(cmd, *o);
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
  auto o = std::make_shared<MatrixCli>();
  CLI::App* cmd = app.add_subcommand("compare", "What scenarios change for every pair of places");
  cmd->description(
      "Computes the hub matrix twice — the base network (plus any --base-scenario) and the base plus\n"
      "the --scenario files — with the same --by (default generalized) and --mode, and reports every\n"
      "pair's change: the biggest winners and losers by that objective, pairs newly connected or cut\n"
      "off, and network-wide mean changes weighted equally and, with --demand, by flow.");
  o->request = std::make_unique<RequestOptions>(cmd, compare_options());
  add_format_and_data(cmd, *o);
  cmd->footer(
      "\nExamples:\n"
      "  caravan compare --scenario cku-railway --depart 2026-03-02T00:00Z\n"
      "      who gains from the China-Kyrgyzstan-Uzbekistan railway\n"
      "  caravan compare --base-scenario a.toml --scenario b.toml --demand flows.csv --format json\n"
      "      b on top of a, weighted by a demand table\n"
      "\nExit codes: 0 done, 2 bad input, 3 internal error.");
  return [o] { return run_compare_command(*o); };
}

}  // namespace caravan::cli
