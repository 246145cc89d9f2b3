// The default data's main lanes (issue 10, point 7): every Pareto option from
// the Chinese and Central Asian origins to the six destinations is one a
// forwarder could book — no container flown, the chain rule kept, no rail on
// a line not built, no two options alike — and the CKU scenario opens the
// railway across Torugart that the base network lacks.
#include <gtest/gtest.h>

#include "caravan/load.h"
#include "caravan/scenario.h"
#include "caravan/stochastic.h"
#include "invariants.h"

namespace caravan {
namespace {

const std::filesystem::path kData = CARAVAN_TEST_DATA_DIR;
const char* kOrigins[] = {"chongqing", "xian", "chengdu", "yiwu", "zhengzhou", "lianyungang", "urumqi", "kashgar"};
const char* kDestinations[] = {"duisburg", "tashkent", "almaty", "bishkek", "baku", "istanbul"};

// True when an option takes rail from China into Kyrgyzstan.
bool rail_from_china_into_kyrgyzstan(const Network& net, const Itinerary& it) {
  for (const Leg& g : it.legs) {
    if (g.kind != LegKind::kBorder || g.mode != Mode::kRail) continue;
    if (net.locations[g.from].country_code() == "CN" && net.locations[g.to].country_code() == "KG") return true;
  }
  return false;
}

TEST(MainLanes, EveryOptionIsBookable) {
  auto net = load_network(kData);
  ASSERT_TRUE(net.ok()) << to_string(net.errors());
  RouteIndex index(*net);
  Planner planner(index);
  int options = 0;
  for (const char* from : kOrigins) {
    for (const char* to : kDestinations) {
      RouteQuery q;
      q.from = net->find_location(from);
      q.to = net->find_location(to);
      q.depart = *parse_instant("2026-03-02T00:00Z");
      auto its = planner.plan(q);
      ASSERT_TRUE(its.ok()) << from << " -> " << to << ": " << its.error().to_string();
      EXPECT_EQ(testing::broken_rule(index.view(), q, *its), "") << from << " -> " << to;
      for (const Itinerary& it : *its) {
        EXPECT_FALSE(rail_from_china_into_kyrgyzstan(*net, it)) << from << " -> " << to << ": no railway there yet";
      }
      options += static_cast<int>(its->size());
    }
  }
  EXPECT_GE(options, 48);
}

// The most reliable option is marked on the front when its route is there;
// one found only by the pessimistic searches is appended, never a second
// copy of a front member's route.
TEST(MainLanes, TheMostReliableOptionIsNoCopyOfAFrontMember) {
  auto net = load_network(kData);
  ASSERT_TRUE(net.ok());
  RouteIndex index(*net);
  Planner planner(index);
  StageModel model(index);
  for (const char* to : {"tashkent", "duisburg", "baku"}) {
    RouteQuery q;
    q.from = net->find_location("xian");
    q.to = net->find_location(to);
    q.depart = *parse_instant("2026-03-02T00:00Z");
    MonteCarloOptions mc;
    mc.samples = 300;
    mc.threads = 1;
    mc.deadline = q.depart + std::chrono::days(20);
    auto its = plan_reliable(planner, model, q, mc);
    ASSERT_TRUE(its.ok()) << its.error().to_string();
    EXPECT_EQ(testing::broken_rule(index.view(), q, *its), "") << to;
    int marked = 0;
    for (const Itinerary& it : *its) marked += it.most_reliable ? 1 : 0;
    EXPECT_EQ(marked, 1) << to;
  }
}

TEST(MainLanes, TheCkuScenarioOpensRailAcrossTorugart) {
  auto net = load_network(kData);
  ASSERT_TRUE(net.ok());
  auto sc = load_scenario_file(kData / "scenarios" / "cku-railway.toml", *net);
  ASSERT_TRUE(sc.ok()) << to_string(sc.errors());
  auto ov = Overlay::build(*net, {*sc});
  ASSERT_TRUE(ov.ok());
  RouteIndex base(*net), cku(*net, &*ov);
  RouteQuery q;
  q.from = net->find_location("kashgar");
  q.to = net->find_location("tashkent");
  q.depart = *parse_instant("2026-03-02T00:00Z");
  q.objective = Objective::kTime;
  Planner before(base), after(cku);
  auto b = before.plan(q);
  auto a = after.plan(q);
  ASSERT_TRUE(b.ok() && a.ok());
  EXPECT_FALSE(rail_from_china_into_kyrgyzstan(*net, b->front()));
  EXPECT_TRUE(rail_from_china_into_kyrgyzstan(*net, a->front()));
  EXPECT_EQ(testing::broken_rule(cku.view(), q, *a), "");
  EXPECT_LT(a->front().arrive, b->front().arrive);
}

}  // namespace
}  // namespace caravan
