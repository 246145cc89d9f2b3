// Simulation benchmarks on the embedded dataset and its demand table
// (data/central-asia/demand.csv, 346,000 TEU a year on 7 lanes), routes by
// cost over rail, road and ferry, 90 days with a 14-day warm-up:
//   Simulate/Feu/<threads>:        one FEU per shipment, about 43,000 shipments;
//   Simulate/BlockTrain/<threads>: 45 FEU per shipment, about 1,000 shipments.
// Planning the cached routes runs on <threads>; the event loop is serial.
// Figures and the command are in docs/simulation.md.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "caravan/load.h"
#include "caravan/sim.h"

namespace caravan {
namespace {

const Network& sim_dataset() {
  static const Network net = [] {
    auto n = load_network(std::filesystem::path(CARAVAN_BENCH_DATA_DIR));
    if (!n) std::abort();
    return std::move(n).value();
  }();
  return net;
}

std::vector<DemandRow> demand(const Network& net) {
  std::ifstream in(std::string(CARAVAN_BENCH_DATA_DIR) + "/demand.csv");
  std::stringstream ss;
  ss << in.rdbuf();
  auto d = parse_demand_csv(ss.str(), "demand.csv", net);
  if (!d) std::abort();
  return *d;
}

void run(benchmark::State& state, std::uint32_t units) {
  const Network& net = sim_dataset();
  RouteIndex index(net);
  std::vector<DemandRow> d = demand(net);
  SimOptions o;
  o.start = *parse_instant("2026-03-02T00:00Z");
  o.objective = Objective::kCost;
  o.modes = *parse_mode_set("rail,road,ferry");
  o.shipment_units = units;
  o.service_capacity = false;
  o.threads = static_cast<unsigned>(state.range(0));
  std::uint64_t shipments = 0, events = 0, plans = 0;
  for (auto _ : state) {
    auto r = simulate(index, d, o);
    if (!r) std::abort();
    shipments = r->shipments;
    events = r->events;
    plans = r->plans;
    benchmark::DoNotOptimize(r);
  }
  state.counters["shipments"] = static_cast<double>(shipments);
  state.counters["events"] = static_cast<double>(events);
  state.counters["plans"] = static_cast<double>(plans);
}

void BM_SimulateFeu(benchmark::State& state) { run(state, 1); }
void BM_SimulateBlockTrain(benchmark::State& state) { run(state, 45); }
BENCHMARK(BM_SimulateFeu)->Name("Simulate/Feu")->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_SimulateBlockTrain)
    ->Name("Simulate/BlockTrain")
    ->Arg(1)
    ->Arg(2)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace caravan
