// The seeded generators: deterministic, valid, and with the features the
// benchmarks rely on (services, crossings with hours, gauge changes).
#include "caravan/synth.h"

#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "caravan/route.h"

namespace caravan {
namespace {

TEST(RoadGraph, SameSeedSameGraphOtherSeedOtherGraph) {
  const ArcList a = generate_road_graph(2000, 5), b = generate_road_graph(2000, 5), c = generate_road_graph(2000, 6);
  EXPECT_EQ(a.tail, b.tail);
  EXPECT_EQ(a.head, b.head);
  EXPECT_EQ(a.weight, b.weight);
  EXPECT_NE(a.weight, c.weight);
}

TEST(RoadGraph, IsAPerturbedGridWithWeightsInThousandths) {
  const ArcList g = generate_road_graph(10'000, 1);
  EXPECT_EQ(g.node_count, 10'000u);
  // About 92 % of the 2 * 99 * 100 neighbour pairs, both ways, plus ~1 % shortcuts.
  EXPECT_GT(g.tail.size(), 35'000u);
  EXPECT_LT(g.tail.size(), 38'500u);
  for (std::size_t i = 0; i < g.tail.size(); ++i) {
    ASSERT_LT(g.tail[i], g.node_count);
    ASSERT_LT(g.head[i], g.node_count);
    ASSERT_GE(g.weight[i], 0.001);
    ASSERT_EQ(g.weight[i], std::round(g.weight[i] * 1000) / 1000);
  }
}

TEST(RoadGraph, OdPairsAreSeededAndInRange) {
  const OdPairs p = generate_od_pairs(500, 200, 3);
  EXPECT_EQ(p.size(), 200u);
  EXPECT_EQ(p, generate_od_pairs(500, 200, 3));
  for (auto [s, t] : p) {
    EXPECT_LT(s, 500u);
    EXPECT_LT(t, 500u);
  }
}

TEST(SyntheticNetwork, IsValidAtSeveralSizes) {
  for (std::uint32_t n : {16u, 1000u, 4096u, 7001u}) {
    const Network net = generate_network(n, 1);
    EXPECT_EQ(net.locations.size(), n);
    EXPECT_TRUE(net.validate().empty()) << n << ": " << to_string(net.validate());
  }
}

TEST(SyntheticNetwork, HasServicesCrossingsWithHoursAndGaugeChanges) {
  const Network net = generate_network(10'000, 2);
  std::set<std::string> countries;
  for (const Location& l : net.locations) countries.insert(std::string(l.country_code()));
  EXPECT_EQ(countries.size(), 4u);
  int restricted = 0, gauge_changes = 0, rail = 0;
  for (const Crossing& c : net.crossings) {
    if (!c.exit_open.is_always_open() || !c.entry_open.is_always_open()) ++restricted;
    if (c.gauge_change) ++gauge_changes;
    if (c.mode == Mode::kRail) ++rail;
    EXPECT_NE(net.locations[c.exit].country, net.locations[c.entry].country);
  }
  // 3 borders x 4 crossings x 2 modes x 2 directions.
  EXPECT_EQ(net.crossings.size(), 48u);
  EXPECT_EQ(rail, 24);
  EXPECT_EQ(gauge_changes, 8);  // only the 1435/1520 border
  EXPECT_GT(restricted, 10);
  EXPECT_GT(net.services.size(), 20u);
  for (const Service& s : net.services) {
    EXPECT_GE(s.stops.size(), 2u);
    EXPECT_EQ(__builtin_popcount(s.weekdays), 2);
  }
}

TEST(SyntheticNetwork, PlannerCrossesBordersAndRidesServices) {
  const Network net = generate_network(4096, 3);
  RouteIndex index(net);
  Planner planner(index);
  int crossed = 0, rode = 0, found = 0;
  for (auto [s, t] : generate_od_pairs(net.locations.size(), 30, 3)) {
    RouteQuery q;
    q.from = LocationIdx(s);
    q.to = LocationIdx(t);
    q.depart = *parse_instant("2026-03-02T08:00Z");
    auto its = planner.plan(q);
    if (!its) continue;
    ++found;
    for (const Itinerary& it : *its) {
      crossed += !it.border_crossings.empty();
      for (const Leg& g : it.legs) rode += g.service.valid();
    }
  }
  EXPECT_GE(found, 28);
  EXPECT_GT(crossed, 5);
  EXPECT_GT(rode, 0);
}

// Pareto searches are pruned by lower bounds and ordered by time plus a bound;
// single-criterion searches use neither. With epsilon 0 the exact Pareto set
// holds each single criterion's optimum, so the two kinds of search check each
// other on networks big enough for the bounds to prune most labels.
TEST(SyntheticNetwork, ParetoSetHoldsTheOptimumOfEachSingleCriterion) {
  const Network net = generate_network(3000, 4);
  RouteIndex index(net);
  Planner planner(index);
  const OdPairs pairs = generate_od_pairs(net.locations.size(), 12, 9);
  int compared = 0;
  for (auto [from, to] : pairs) {
    RouteQuery q;
    q.from = LocationIdx(from);
    q.to = LocationIdx(to);
    q.depart = *parse_instant("2026-03-04T10:00+03:00");
    q.epsilon = 0;
    auto front = planner.plan(q);
    q.objective = Objective::kTime;
    auto fastest = planner.plan(q);
    ASSERT_EQ(front.ok(), fastest.ok()) << from << " -> " << to;
    if (!front.ok()) continue;
    q.objective = Objective::kCost;
    auto cheapest = planner.plan(q);
    q.objective = Objective::kCo2;
    auto cleanest = planner.plan(q);
    ASSERT_TRUE(cheapest.ok() && cleanest.ok());
    Instant first = front->front().arrive;
    std::int64_t least_cost = INT64_MAX, least_co2 = INT64_MAX;
    for (const Itinerary& it : *front) {
      first = std::min(first, it.arrive);
      least_cost = std::min(least_cost, it.cost_usd_cents);
      least_co2 = std::min(least_co2, it.co2_g);
    }
    EXPECT_EQ(first, fastest->front().arrive) << from << " -> " << to;
    EXPECT_EQ(least_cost, cheapest->front().cost_usd_cents) << from << " -> " << to;
    EXPECT_EQ(least_co2, cleanest->front().co2_g) << from << " -> " << to;
    ++compared;
  }
  EXPECT_GE(compared, 10);
}

}  // namespace
}  // namespace caravan
