// The shortest-path core (bidirectional Dijkstra on the shared CSR graph and
// heap) against a textbook one-sided Dijkstra written here independently.
#include <cmath>
#include <queue>
#include <random>

#include <gtest/gtest.h>

#include "caravan/shortest_path.h"
#include "caravan/synth.h"

namespace caravan {
namespace {

// Textbook Dijkstra with std::priority_queue over an adjacency list.
double reference(const ArcList& g, std::uint32_t s, std::uint32_t t) {
  std::vector<std::vector<std::pair<std::uint32_t, double>>> adj(g.node_count);
  for (std::size_t i = 0; i < g.tail.size(); ++i) adj[g.tail[i]].push_back({g.head[i], g.weight[i]});
  std::vector<double> d(g.node_count, INFINITY);
  using Item = std::pair<double, std::uint32_t>;
  std::priority_queue<Item, std::vector<Item>, std::greater<>> q;
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

ArcList arcs(std::uint32_t n, std::initializer_list<std::tuple<std::uint32_t, std::uint32_t, double>> list) {
  ArcList g;
  g.node_count = n;
  for (auto [a, b, w] : list) {
    g.tail.push_back(a);
    g.head.push_back(b);
    g.weight.push_back(w);
  }
  return g;
}

//   0 --2.5--> 1 --1--> 2,  0 --4--> 2,  3 isolated
TEST(ShortestPath, TakesTheShorterOfTwoPaths) {
  ShortestPathIndex index(arcs(4, {{0, 1, 2.5}, {1, 2, 1}, {0, 2, 4}}));
  ShortestPathQuery q(index);
  EXPECT_EQ(q.distance(0, 2), 3.5);
  EXPECT_EQ(q.distance(0, 1), 2.5);
  EXPECT_EQ(q.distance(2, 2), 0);
}

TEST(ShortestPath, ArcsAreDirectedAndUnreachableIsInfinite) {
  ShortestPathIndex index(arcs(4, {{0, 1, 2.5}, {1, 2, 1}, {0, 2, 4}}));
  ShortestPathQuery q(index);
  EXPECT_EQ(q.distance(2, 0), ShortestPathQuery::kUnreachable);
  EXPECT_EQ(q.distance(0, 3), ShortestPathQuery::kUnreachable);
  EXPECT_EQ(q.distance(3, 0), ShortestPathQuery::kUnreachable);
}

TEST(ShortestPath, ParallelArcsZeroWeightsAndLoops) {
  // 0 =(5, 2)=> 1 --0--> 2 --0--> 0, loop 1 -> 1
  ShortestPathIndex index(arcs(3, {{0, 1, 5}, {0, 1, 2}, {1, 2, 0}, {2, 0, 0}, {1, 1, 1}}));
  ShortestPathQuery q(index);
  EXPECT_EQ(q.distance(0, 1), 2);
  EXPECT_EQ(q.distance(0, 2), 2);
  EXPECT_EQ(q.distance(1, 0), 0);
  EXPECT_EQ(index.node_count(), 3u);
  EXPECT_EQ(index.arc_count(), 5u);
}

TEST(ShortestPath, EqualsTextbookDijkstraOnRandomGraphs) {
  std::mt19937 gen(6);
  auto rng = [&gen] { return static_cast<std::uint32_t>(gen()); };
  int compared = 0, unreachable = 0;
  for (int graph = 0; graph < 400; ++graph) {
    const std::uint32_t n = 1 + rng() % 40;
    const std::uint32_t m = rng() % (4 * n + 1);
    ArcList g;
    g.node_count = n;
    const bool integral = graph % 2 == 0;  // whole weights: sums are exact in any order
    for (std::uint32_t k = 0; k < m; ++k) {
      g.tail.push_back(rng() % n);
      g.head.push_back(rng() % n);
      g.weight.push_back(integral ? static_cast<double>(rng() % 20) : std::ldexp(static_cast<double>(rng() % 100000), -10));
    }
    ShortestPathIndex index(g);
    ShortestPathQuery q(index);  // reused across queries: exercises the O(1) reset
    for (int probe = 0; probe < 20; ++probe) {
      const std::uint32_t s = rng() % n, t = rng() % n;
      const double want = reference(g, s, t), got = q.distance(s, t);
      if (std::isinf(want)) {
        EXPECT_TRUE(std::isinf(got)) << "graph " << graph << " " << s << "->" << t;
        ++unreachable;
        continue;
      }
      if (integral) {
        EXPECT_EQ(got, want) << "graph " << graph << " " << s << "->" << t;
      } else {
        EXPECT_NEAR(got, want, 1e-9 * want) << "graph " << graph << " " << s << "->" << t;
      }
      ++compared;
    }
  }
  EXPECT_GT(compared, 4000);
  EXPECT_GT(unreachable, 500);
}

TEST(ShortestPath, EqualsTextbookDijkstraOnARoadGraph) {
  const ArcList g = generate_road_graph(3000, 11);
  ShortestPathIndex index(g);
  ShortestPathQuery q(index);
  int reached = 0;
  for (auto [s, t] : generate_od_pairs(3000, 60, 11)) {
    const double want = reference(g, s, t), got = q.distance(s, t);
    if (std::isinf(want)) {
      EXPECT_TRUE(std::isinf(got));
      continue;
    }
    EXPECT_NEAR(got, want, 1e-9 * want) << s << "->" << t;
    ++reached;
  }
  EXPECT_GT(reached, 50);
}

TEST(ShortestPath, BidirectionalSettlesFewerNodesThanTheGraphHas) {
  const ArcList g = generate_road_graph(40'000, 3);
  ShortestPathIndex index(g);
  ShortestPathQuery q(index);
  // Neighbours on the grid: the search stays local.
  ASSERT_LT(q.distance(20'100, 20'101), ShortestPathQuery::kUnreachable);
  EXPECT_LT(q.settled_nodes(), 200u);
}

TEST(ShortestPath, IndexMemoryIsTwelveBytesPerArcEachWay) {
  const ArcList g = generate_road_graph(1000, 1);
  ShortestPathIndex index(g);
  const std::size_t want = 2 * (1001 * 4 + g.tail.size() * 12);
  EXPECT_EQ(index.memory_bytes(), want);
}

}  // namespace
}  // namespace caravan
