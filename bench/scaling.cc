// caravan_scaling LOCATIONS QUERIES SEED [PARETO_QUERIES] — route query time on a generated
// timetabled network (caravan/synth.h) of LOCATIONS locations. Prints one CSV
// row per objective:
//   locations,arcs,objective,queries,routes,median_ms,mean_ms,mean_labels,index_build_s,max_rss_mb
// Each size runs in its own process so max_rss_mb (getrusage) is this size's
// peak. bench/scaling/run.sh runs the sizes and plots them.
#include <sys/resource.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <string_view>
#include <vector>

#include "caravan/route.h"
#include "caravan/synth.h"

namespace {

bool number(const char* text, std::uint64_t& out) {
  std::string_view s(text);
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

double max_rss_mb() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return static_cast<double>(u.ru_maxrss) / 1024.0;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace caravan;
  using clock = std::chrono::steady_clock;
  std::uint64_t n = 0, count = 0, seed = 0, pareto_count = 0;
  if ((argc != 4 && argc != 5) || !number(argv[1], n) || !number(argv[2], count) || !number(argv[3], seed) || n < 16 ||
      n > 20'000'000 || count < 1 || (argc == 5 && !number(argv[4], pareto_count))) {
    std::fprintf(
        stderr,
        "usage: caravan_scaling LOCATIONS QUERIES SEED [PARETO_QUERIES]   e.g. caravan_scaling 100000 20 1 5\n");
    return 2;
  }
  if (argc == 4) pareto_count = count;
  Network net = generate_network(static_cast<std::uint32_t>(n), seed);
  auto t0 = clock::now();
  RouteIndex index(net);
  const double build_s = std::chrono::duration<double>(clock::now() - t0).count();
  const OdPairs pairs = generate_od_pairs(net.locations.size(), static_cast<std::uint32_t>(count), seed + 1);
  const Instant depart = *parse_instant("2026-03-02T08:00+08:00");
  std::size_t arcs = 0;  // search arcs: one per link direction, service ride (stop pair) and crossing
  for (const Link& k : net.links) arcs += k.bidirectional ? 2 : 1;
  for (const Service& s : net.services) arcs += s.stops.size() * (s.stops.size() - 1) / 2;
  arcs += net.crossings.size();
  Planner planner(index);
  for (Objective obj : {Objective::kTime, Objective::kPareto}) {
    if (obj == Objective::kPareto && pareto_count == 0) break;  // PARETO_QUERIES 0: time only
    std::vector<double> ms;
    std::uint64_t labels = 0;
    std::size_t routes = 0;
    const std::size_t runs =
        obj == Objective::kPareto ? std::min<std::size_t>(pareto_count, pairs.size()) : pairs.size();
    for (std::size_t k = 0; k < runs; ++k) {
      const auto [s, t] = pairs[k];
      RouteQuery q;
      q.from = LocationIdx(s);
      q.to = LocationIdx(t);
      q.depart = depart;
      q.objective = obj;
      auto t1 = clock::now();
      auto its = planner.plan(q);
      ms.push_back(std::chrono::duration<double, std::milli>(clock::now() - t1).count());
      labels += planner.settled_labels();
      if (its) ++routes;
    }
    std::vector<double> sorted = ms;
    std::sort(sorted.begin(), sorted.end());
    double mean = 0;
    for (double x : ms) mean += x;
    mean /= static_cast<double>(ms.size());
    std::printf("%u,%zu,%s,%zu,%zu,%.3f,%.3f,%.0f,%.3f,%.1f\n", net.locations.size(), arcs,
                std::string(to_string(obj)).c_str(), ms.size(), routes, sorted[sorted.size() / 2], mean,
                static_cast<double>(labels) / static_cast<double>(ms.size()), build_s, max_rss_mb());
    std::fflush(stdout);
  }
  return 0;
}
