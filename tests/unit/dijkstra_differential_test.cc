// Differential test: `--by time` on static graphs (road links only, no
// schedules, no borders) must equal an independent plain Dijkstra.
#include <queue>
#include <random>
#include <sstream>

#include <gtest/gtest.h>

#include "caravan/route.h"
#include "test_network.h"

namespace caravan {
namespace {

struct Edge {
  int a, b;
  std::int64_t seconds;
};

// Textbook Dijkstra over an undirected edge list.
std::int64_t reference_seconds(int n, const std::vector<Edge>& edges, int s, int t) {
  std::vector<std::vector<std::pair<int, std::int64_t>>> adj(n);
  for (const Edge& e : edges) {
    adj[e.a].push_back({e.b, e.seconds});
    adj[e.b].push_back({e.a, e.seconds});
  }
  std::vector<std::int64_t> d(n, INT64_MAX);
  std::priority_queue<std::pair<std::int64_t, int>, std::vector<std::pair<std::int64_t, int>>, std::greater<>> q;
  d[s] = 0;
  q.push({0, s});
  while (!q.empty()) {
    auto [du, u] = q.top();
    q.pop();
    if (du > d[u]) continue;
    for (auto [v, w] : adj[u]) {
      if (du + w < d[v]) {
        d[v] = du + w;
        q.push({d[v], v});
      }
    }
  }
  return d[t];
}

TEST(PlannerDifferential, TimeObjectiveEqualsPlainDijkstraOnRandomGraphs) {
  std::mt19937 rng(20261127);
  // Speeds that divide 3600, so each link takes a whole number of seconds per km.
  const int speeds[] = {30, 45, 60, 72, 90, 120};
  int compared = 0, unreachable = 0;
  for (int g = 0; g < 1000; ++g) {
    const int n = 2 + static_cast<int>(rng() % 30);
    const int m = static_cast<int>(rng() % (3 * n));
    std::ostringstream locs, links;
    for (int i = 0; i < n; ++i) locs << "n" << i << ",N" << i << ",,KZ,city,43,76,Asia/Almaty,0,0,USD,t\n";
    std::vector<Edge> edges;
    for (int k = 0; k < m; ++k) {
      int a = static_cast<int>(rng() % n), b = static_cast<int>(rng() % n);
      if (a == b) continue;
      int km = 1 + static_cast<int>(rng() % 500);
      int speed = speeds[rng() % 6];
      links << "e" << k << ",n" << a << ",n" << b << ",road," << km << ",," << speed << ",0.1,0,USD,,,true,open,t\n";
      edges.push_back({a, b, static_cast<std::int64_t>(km) * 3600 / speed});
    }
    Network net = testing::load_or_fail(testing::make_files(locs.str(), links.str()));
    RouteIndex index(net);
    Planner planner(index);
    for (int probe = 0; probe < 3; ++probe) {
      int s = static_cast<int>(rng() % n), t = static_cast<int>(rng() % n);
      RouteQuery q;
      q.from = LocationIdx(static_cast<std::uint32_t>(s));
      q.to = LocationIdx(static_cast<std::uint32_t>(t));
      q.depart = Instant(Duration(1'700'000'000));
      q.objective = Objective::kTime;
      auto its = planner.plan(q);
      std::int64_t want = reference_seconds(n, edges, s, t);
      if (want == INT64_MAX) {
        ASSERT_FALSE(its.ok()) << "graph " << g << " " << s << "->" << t;
        EXPECT_EQ(its.error().code, ErrorCode::kNoRoute);
        ++unreachable;
        continue;
      }
      ASSERT_TRUE(its.ok()) << "graph " << g << " " << s << "->" << t;
      ASSERT_EQ(its->size(), 1u);
      EXPECT_EQ(its->front().duration().count(), want) << "graph " << g << " " << s << "->" << t;
      ++compared;
    }
  }
  EXPECT_GT(compared, 1500);
  EXPECT_GT(unreachable, 10);
}

}  // namespace
}  // namespace caravan
