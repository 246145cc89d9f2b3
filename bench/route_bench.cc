// Route queries, timed with Google Benchmark:
//   DefaultData/<objective>/<from>/<to>  the embedded data/central-asia
//   Synthetic100k/<objective>           a generated timetabled network of
//                                       100,000 locations (caravan/synth.h),
//                                       cycling over 16 seeded OD pairs
// Counters: labels = labels settled per query. `make bench` runs this.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <memory>

#include "caravan/load.h"
#include "caravan/route.h"
#include "caravan/synth.h"

namespace caravan {
namespace {

Instant kDepart = *parse_instant("2026-03-02T08:00+08:00");

struct Loaded {
  Network net;
  std::unique_ptr<RouteIndex> index;
};

const Loaded& default_data() {
  static const Loaded* loaded = [] {
    auto net = load_network(std::filesystem::path(CARAVAN_BENCH_DATA_DIR));
    if (!net) {
      std::fprintf(stderr, "%s\n", to_string(net.errors()).c_str());
      std::abort();
    }
    auto* l = new Loaded{std::move(net).value(), nullptr};
    l->index = std::make_unique<RouteIndex>(l->net);
    return l;
  }();
  return *loaded;
}

const Loaded& synthetic_100k() {
  static const Loaded* loaded = [] {
    auto* l = new Loaded{generate_network(100'000, 42), nullptr};
    l->index = std::make_unique<RouteIndex>(l->net);
    return l;
  }();
  return *loaded;
}

void default_data_query(benchmark::State& state, Objective obj, const char* from, const char* to) {
  const Loaded& d = default_data();
  Planner planner(*d.index);
  RouteQuery q;
  q.from = d.net.find_location(from);
  q.to = d.net.find_location(to);
  q.depart = kDepart;
  q.objective = obj;
  std::uint64_t labels = 0;
  for (auto _ : state) {
    auto its = planner.plan(q);
    if (!its) {
      state.SkipWithError(its.error().to_string().c_str());
      return;
    }
    benchmark::DoNotOptimize(its->size());
    labels = planner.settled_labels();
  }
  state.counters["labels"] = static_cast<double>(labels);
}

void synthetic_query(benchmark::State& state, Objective obj) {
  const Loaded& d = synthetic_100k();
  Planner planner(*d.index);
  const OdPairs pairs = generate_od_pairs(d.net.locations.size(), 16, 7);
  std::size_t k = 0;
  std::uint64_t labels = 0, queries = 0;
  for (auto _ : state) {
    RouteQuery q;
    q.from = LocationIdx(pairs[k].first);
    q.to = LocationIdx(pairs[k].second);
    k = (k + 1) % pairs.size();
    q.depart = kDepart;
    q.objective = obj;
    auto its = planner.plan(q);
    benchmark::DoNotOptimize(its.ok());
    labels += planner.settled_labels();
    ++queries;
  }
  state.counters["labels"] = static_cast<double>(labels) / static_cast<double>(queries);
}

void register_all() {
  const std::pair<const char*, const char*> pairs[] = {{"xian", "tashkent"},
                                                       {"urumqi", "almaty"},
                                                       {"kashgar", "tashkent"}};
  for (Objective obj : {Objective::kPareto, Objective::kTime, Objective::kCost}) {
    for (auto [from, to] : pairs) {
      std::string name = "DefaultData/" + std::string(to_string(obj)) + "/" + from + "/" + to;
      benchmark::RegisterBenchmark(name.c_str(), default_data_query, obj, from, to)->Unit(benchmark::kMicrosecond);
    }
  }
  for (Objective obj : {Objective::kPareto, Objective::kTime}) {
    std::string name = "Synthetic100k/" + std::string(to_string(obj));
    benchmark::RegisterBenchmark(name.c_str(), synthetic_query, obj)->Unit(benchmark::kMillisecond)->MinTime(2.0);
  }
}

}  // namespace
}  // namespace caravan

int main(int argc, char** argv) {
  caravan::register_all();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
