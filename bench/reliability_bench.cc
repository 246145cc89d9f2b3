// Reliability and matrix benchmarks on the embedded dataset.
//   Reliability/XianTashkent/10000: 10,000-sample Monte Carlo of one itinerary
//     (target: <= 50 ms);
//   HubMatrix/1000: every ordered pair of the dataset's hubs, fastest
//     itinerary plus p95 from 1,000 samples per pair (target: <= 2 s on 2 cores).
// Thread counts are the benchmark argument where it matters; results do not
// depend on them.
#include <benchmark/benchmark.h>

#include <cstdlib>

#include "caravan/load.h"
#include "caravan/matrix.h"
#include "caravan/places.h"
#include "caravan/route.h"
#include "caravan/stochastic.h"

namespace caravan {
namespace {

const Network& dataset() {
  static const Network net = [] {
    auto n = load_network(default_data_dir());
    if (!n) std::abort();
    return std::move(n).value();
  }();
  return net;
}

RouteQuery xian_tashkent(const Network& net) {
  RouteQuery q;
  q.from = *resolve_place(net, "xian");
  q.to = *resolve_place(net, "tashkent");
  q.depart = *parse_instant("2026-03-02T08:00+08:00");
  return q;
}

// The fastest Pareto option (rail through Kyrgyzstan) is replayed.
void BM_ReliabilityXianTashkent(benchmark::State& state) {
  const Network& net = dataset();
  RouteIndex index(net);
  Planner planner(index);
  RouteQuery q = xian_tashkent(net);
  q.objective = Objective::kCost;
  auto its = planner.plan(q);
  if (!its) std::abort();
  StageModel model(index);
  MonteCarloOptions o;
  o.samples = static_cast<std::uint32_t>(state.range(0));
  o.threads = static_cast<unsigned>(state.range(1));
  o.deadline = *parse_instant("2026-03-12T00:00+05:00");
  for (auto _ : state) {
    Reliability r = monte_carlo(model, q, its->front(), o);
    benchmark::DoNotOptimize(r);
  }
  state.counters["legs"] = static_cast<double>(its->front().legs.size());
  state.counters["samples/s"] =
      benchmark::Counter(static_cast<double>(o.samples) * static_cast<double>(state.iterations()),
                         benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ReliabilityXianTashkent)->Args({10000, 1})->Args({10000, 2})->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_ReliableSearchXianTashkent(benchmark::State& state) {
  const Network& net = dataset();
  RouteIndex index(net);
  Planner planner(index);
  RouteQuery q = xian_tashkent(net);
  StageModel model(index);
  MonteCarloOptions o;
  o.samples = 1000;
  o.threads = 2;
  o.deadline = *parse_instant("2026-03-10T00:00+05:00");
  for (auto _ : state) {
    auto its = plan_reliable(planner, model, q, o);
    benchmark::DoNotOptimize(its);
  }
}
BENCHMARK(BM_ReliableSearchXianTashkent)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_HubMatrix(benchmark::State& state) {
  const Network& net = dataset();
  RouteIndex index(net);
  std::vector<LocationIdx> hubs = default_hubs(net);
  MatrixOptions o;
  o.depart = *parse_instant("2026-03-02T00:00Z");
  o.samples = static_cast<std::uint32_t>(state.range(0));
  o.threads = static_cast<unsigned>(state.range(1));
  for (auto _ : state) {
    auto m = compute_matrix(index, hubs, o);
    if (!m) std::abort();
    benchmark::DoNotOptimize(m);
  }
  state.counters["places"] = static_cast<double>(hubs.size());
  state.counters["pairs"] = static_cast<double>(hubs.size() * (hubs.size() - 1));
}
BENCHMARK(BM_HubMatrix)
    ->Args({0, 2})
    ->Args({1000, 1})
    ->Args({1000, 2})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(3);

}  // namespace
}  // namespace caravan

// main() is in route_bench.cc: one caravan_bench program runs every benchmark.
