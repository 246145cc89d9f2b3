// The shortest-path core (Dijkstra, bidirectional Dijkstra and bidirectional
// ALT on the shared CSR graph and heap) against a textbook one-sided Dijkstra
// written here independently.
#include <algorithm>
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
      g.weight.push_back(integral ? static_cast<double>(rng() % 20)
                                  : std::ldexp(static_cast<double>(rng() % 100000), -10));
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

TEST(ShortestPath, LandmarksAddFourBytesPerNodeAndLandmark) {
  const ArcList g = generate_road_graph(1000, 1);
  ShortestPathIndex index(g, {.count = 8});
  ASSERT_EQ(index.landmarks().size(), 8u);
  const std::size_t graph = 2 * (1001 * 4 + g.tail.size() * 12);
  EXPECT_EQ(index.memory_bytes(), graph + 8 * 4 + 1000 * 8 * 4);
}

constexpr ShortestPathAlgorithm kAll[] = {ShortestPathAlgorithm::dijkstra,
                                          ShortestPathAlgorithm::bidirectional_dijkstra, ShortestPathAlgorithm::alt};

//   0 --2.5--> 1 --1--> 2,  0 --4--> 2,  3 isolated
TEST(ShortestPath, EveryAlgorithmGivesTheSameSmallAnswers) {
  ShortestPathIndex index(arcs(4, {{0, 1, 2.5}, {1, 2, 1}, {0, 2, 4}}), {.count = 2});
  ShortestPathQuery q(index);
  for (ShortestPathAlgorithm a : kAll) {
    EXPECT_EQ(q.distance(0, 2, a), 3.5);
    EXPECT_EQ(q.distance(0, 1, a), 2.5);
    EXPECT_EQ(q.distance(1, 1, a), 0);
    EXPECT_EQ(q.distance(2, 0, a), ShortestPathQuery::kUnreachable);
    EXPECT_EQ(q.distance(0, 3, a), ShortestPathQuery::kUnreachable);
    EXPECT_EQ(q.distance(3, 0, a), ShortestPathQuery::kUnreachable);
  }
}

TEST(ShortestPath, LandmarksAreDistinctAndStayInTheLargestComponent) {
  // A 3-cycle 0 -> 1 -> 2 -> 0 (node 1, with the extra arc 1 -> 3, has the
  // highest degree and starts the selection), a one-way tail 3 -> 4 and an
  // isolated node 5. Only the cycle is reached both ways from node 1, and the
  // start node itself is no candidate: landmarks 0 and 2 (round trips of 3
  // from node 1), however many are asked for.
  ShortestPathIndex index(arcs(6, {{0, 1, 1}, {1, 2, 1}, {2, 0, 1}, {1, 3, 1}, {3, 4, 1}}), {.count = 6});
  const auto l = index.landmarks();
  EXPECT_EQ(std::vector<std::uint32_t>(l.begin(), l.end()), (std::vector<std::uint32_t>{0, 2}));
  ShortestPathQuery q(index);
  EXPECT_EQ(q.distance(0, 4), 3);
  EXPECT_EQ(q.distance(4, 0), ShortestPathQuery::kUnreachable);
  EXPECT_EQ(q.distance(5, 2), ShortestPathQuery::kUnreachable);
}

// Three kinds of weight: whole numbers and multiples of 2^-10 (sums exact in
// any order, so every algorithm must match bit for bit), and weights spread
// over twelve orders of magnitude (sums along different equal paths may differ
// in the last bits: relative 1e-12). The wide spread also makes one unit of
// the 16-bit landmark table far larger than most arcs, the hardest case for
// ALT's rounding slack.
TEST(ShortestPath, AllAlgorithmsEqualTextbookDijkstraOnRandomGraphsWithRandomLandmarks) {
  std::mt19937 gen(310);
  auto rng = [&gen] { return static_cast<std::uint32_t>(gen()); };
  int compared = 0, unreachable = 0, same_node = 0, with_landmarks = 0;
  for (int graph = 0; graph < 600; ++graph) {
    const std::uint32_t n = 1 + rng() % 60;
    const std::uint32_t m = rng() % (4 * n + 1);
    const int kind = graph % 3;
    ArcList g;
    g.node_count = n;
    for (std::uint32_t k = 0; k < m; ++k) {
      g.tail.push_back(rng() % n);
      g.head.push_back(rng() % n);  // loops and parallel arcs come up by chance
      double w = 0;
      if (kind == 0) w = static_cast<double>(rng() % 20);  // a tenth are zero
      if (kind == 1) w = std::ldexp(static_cast<double>(rng() % 100000), -10);
      if (kind == 2) w = std::pow(10.0, -6.0 + 12.0 * (rng() % 100000) / 100000.0);
      g.weight.push_back(w);
    }
    // Some arcs doubled both ways: strongly connected parts, where landmarks
    // are chosen.
    for (std::uint32_t k = 0; k < m / 2; ++k) {
      g.tail.push_back(g.head[k]);
      g.head.push_back(g.tail[k]);
      g.weight.push_back(g.weight[k]);
    }
    const LandmarkOptions options{.count = rng() % 12, .threads = 1 + rng() % 2};
    ShortestPathIndex index(g, options);
    EXPECT_LE(index.landmarks().size(), options.count);
    with_landmarks += !index.landmarks().empty();
    ShortestPathQuery q(index);  // reused across queries: exercises the O(1) reset
    for (int probe = 0; probe < 20; ++probe) {
      const std::uint32_t s = rng() % n, t = probe == 0 ? s : rng() % n;
      const double want = reference(g, s, t);
      same_node += s == t;
      for (ShortestPathAlgorithm a : kAll) {
        const double got = q.distance(s, t, a);
        const auto where = [&] {
          return "graph " + std::to_string(graph) + " " + std::to_string(s) + "->" + std::to_string(t) + " algorithm " +
                 std::to_string(static_cast<int>(a)) + " landmarks " + std::to_string(index.landmarks().size());
        };
        if (std::isinf(want)) {
          EXPECT_TRUE(std::isinf(got)) << where();
        } else if (kind == 2) {
          EXPECT_NEAR(got, want, 1e-12 * want) << where();
        } else {
          EXPECT_EQ(got, want) << where();
        }
      }
      if (std::isinf(want)) {
        ++unreachable;
      } else {
        ++compared;
      }
    }
  }
  EXPECT_GT(compared, 6000);
  EXPECT_GT(unreachable, 500);
  EXPECT_GE(same_node, 600);
  EXPECT_GT(with_landmarks, 400);
}

TEST(ShortestPath, AltEqualsTextbookDijkstraOnARoadGraph) {
  const ArcList g = generate_road_graph(3000, 11);
  for (std::uint32_t k : {1u, 4u, 16u}) {
    ShortestPathIndex index(g, {.count = k});
    ShortestPathQuery q(index);
    int reached = 0;
    for (auto [s, t] : generate_od_pairs(3000, 60, 11)) {
      const double want = reference(g, s, t), got = q.distance(s, t, ShortestPathAlgorithm::alt);
      if (std::isinf(want)) {
        EXPECT_TRUE(std::isinf(got));
        continue;
      }
      EXPECT_NEAR(got, want, 1e-12 * want) << s << "->" << t << " with " << k << " landmarks";
      ++reached;
    }
    EXPECT_GT(reached, 50);
  }
}

TEST(ShortestPath, AltSettlesFarFewerNodesThanBidirectionalDijkstra) {
  const ArcList g = generate_road_graph(40'000, 3);
  ShortestPathIndex index(g, {.count = 16});
  ShortestPathQuery q(index);
  std::uint64_t alt = 0, bidirectional = 0;
  for (auto [s, t] : generate_od_pairs(40'000, 20, 3)) {
    const double d = q.distance(s, t, ShortestPathAlgorithm::bidirectional_dijkstra);
    bidirectional += q.settled_nodes();
    EXPECT_NEAR(q.distance(s, t, ShortestPathAlgorithm::alt), d, 1e-12 * d);
    alt += q.settled_nodes();
  }
  EXPECT_LT(alt * 4, bidirectional) << alt << " vs " << bidirectional;
}

}  // namespace
}  // namespace caravan
