// `caravan simulate …`: a demand table through the network, with capacities and queues.
#include <chrono>
#include <cmath>
#include <iostream>
#include <memory>

#include "caravan/load.h"
#include "caravan/present.h"
#include "caravan/request.h"
#include "caravan/sim.h"
#include "commands.h"
#include "request_options.h"
#include "scenario_options.h"

namespace caravan::cli {
namespace {

struct SimulateCli {
  std::string format = "table";
  std::string data;
  std::unique_ptr<RequestOptions> request;
};

int run_simulate_command(const SimulateCli& o) {
  if (o.format != "table" && o.format != "csv" && o.format != "json") {
    return report({Error::invalid("--format: unknown format \"" + o.format + "\" (expected table, csv or json)")});
  }
  const std::filesystem::path data = o.data.empty() ? default_data_dir() : std::filesystem::path(o.data);
  auto net = load_network(data);
  if (!net) return report(net.errors());
  auto req = parse_simulate_request(*net, o.request->fields(), local_context());
  if (!req) return report_request(req.errors());
  int exit = kExitOk;
  std::vector<Scenario> scenarios;
  auto overlay = load_overlay(*net, data, req->scenarios, &exit, &scenarios);
  if (!overlay) return exit;
  SimEcho echo;
  echo.demand = req->demand_source;
  for (const Scenario& sc : scenarios) echo.scenarios.push_back(sc.id);
  RouteIndex index(*net, overlay.get());
  Result<SimReport> r = [&] {
    ProgressBar bar("simulate");
    req->options.progress = [&bar](std::size_t done, std::size_t total) { bar.update(done, total); };
    return simulate(index, req->demand, req->options);
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
  auto o = std::make_shared<SimulateCli>();
  CLI::App* cmd = app.add_subcommand("simulate", "Flows meet capacity: queues at crossings, links and trains");
  cmd->description(
      "Sends a demand table (TEU a year per lane) through the network for --days. Every lane releases\n"
      "shipments (one FEU each by default) as a Poisson process; each follows the planner's itinerary\n"
      "(cheapest, or as --by says) and queues first come first served wherever a crossing (TEU a day),\n"
      "a link (TEU a day) or a scheduled run (TEU a run) is full. Reports each capacitated resource's\n"
      "utilisation, waits and backlog, and each lane's transit time against free flow.\n"
      "Same --seed, same report. Model and assumptions: docs/simulation.md.");
  o->request = std::make_unique<RequestOptions>(cmd, simulate_options());
  cmd->add_option("--format", o->format, "table (default), csv or json");
  cmd->add_option("--data", o->data, "Dataset folder (default: the embedded data/central-asia, or $CARAVAN_DATA)");
  cmd->footer(
      "\nExamples:\n"
      "  caravan simulate --demand data/central-asia/demand.csv --start 2026-03-02 --units 45\n"
      "      90 days of the dataset's main container lanes as block trains of 45 FEU, routed by cost:\n"
      "      which crossings fill up, and what their queues add to each lane\n"
      "  caravan simulate --demand data/central-asia/demand.csv --start 2026-03-02 --units 45 \\\n"
      "      --scenario khorgos-2024-exchange\n"
      "      the same with Khorgos cut to 8 trains a day\n"
      "  caravan simulate --demand data/central-asia/demand.csv --service-capacity per-run --mode rail,road,ferry\n"
      "      also hold every scheduled run to its capacity (here the one weekly Caspian feeder overflows)\n"
      "  printf 'from,to,teu_per_year\\nxian,almaty,50000\\n' > d.csv && caravan simulate --demand d.csv --days 30 "
      "--warmup 0\n"
      "      one lane, a month\n"
      "\nA demand file lists lanes, one a line:\n"
      "  from,to,teu_per_year\n"
      "  xian,duisburg,120000\n"
      "  chongqing,tashkent,30000\n"
      "\nExit codes: 0 done, 2 bad input (options, demand, data, scenario), 3 internal error.");
  return [o] { return run_simulate_command(*o); };
}

}  // namespace caravan::cli
