// Rendering answers, timed with Google Benchmark:
//   Render/json/<indent>  the Xi'an -> Tashkent Pareto answer (7 options) as the
//                         JSON the CLI (indent 2) and the server (compact) write
//   Render/table          the same answer as the CLI's table
// Counter: bytes = size of one rendered answer.
#include <benchmark/benchmark.h>

#include <cstdio>

#include "caravan/load.h"
#include "caravan/present.h"
#include "caravan/route.h"

namespace caravan {
namespace {

struct Answer {
  Network net;
  QueryEcho echo;
  std::vector<Itinerary> itineraries;
};

const Answer& xian_tashkent() {
  static const Answer* answer = [] {
    auto net = load_network(std::filesystem::path(CARAVAN_BENCH_DATA_DIR));
    if (!net) {
      std::fprintf(stderr, "%s\n", to_string(net.errors()).c_str());
      std::abort();
    }
    auto* a = new Answer{std::move(net).value(), {}, {}};
    RouteIndex index(a->net);
    Planner planner(index);
    a->echo.query.from = a->net.find_location("xian");
    a->echo.query.to = a->net.find_location("tashkent");
    a->echo.query.depart = *parse_instant("2026-03-02T08:00+08:00");
    auto its = planner.plan(a->echo.query);
    if (!its) std::abort();
    a->itineraries = std::move(its).value();
    return a;
  }();
  return *answer;
}

void BM_RenderJson(benchmark::State& state) {
  const Answer& a = xian_tashkent();
  const int indent = static_cast<int>(state.range(0));
  std::size_t bytes = 0;
  for (auto _ : state) {
    std::string text = itineraries_to_json(NetworkView(a.net), a.echo, a.itineraries, indent);
    bytes = text.size();
    benchmark::DoNotOptimize(text.data());
  }
  state.counters["bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_RenderJson)->Name("Render/json")->Arg(-1)->Arg(2)->Unit(benchmark::kMicrosecond);

void BM_RenderTable(benchmark::State& state) {
  const Answer& a = xian_tashkent();
  std::size_t bytes = 0;
  for (auto _ : state) {
    std::string text = itineraries_to_table(NetworkView(a.net), a.echo, a.itineraries);
    bytes = text.size();
    benchmark::DoNotOptimize(text.data());
  }
  state.counters["bytes"] = static_cast<double>(bytes);
}
BENCHMARK(BM_RenderTable)->Name("Render/table")->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace caravan
