// Planner tests on small hand-built networks. Each network is drawn above its
// test; expected times and costs are worked out by hand in the comments.
#include <gtest/gtest.h>

#include "caravan/route.h"
#include "test_network.h"

namespace caravan {
namespace {

using testing::load_or_fail;
using testing::make_files;
using testing::permissive_products;
using testing::with;

Instant at(const char* iso) { return *parse_instant(iso); }

struct Fixture {
  Network net;
  std::unique_ptr<RouteIndex> index;
  std::unique_ptr<Planner> planner;

  explicit Fixture(const DatasetFiles& f) : net(load_or_fail(f)) {
    index = std::make_unique<RouteIndex>(net);
    planner = std::make_unique<Planner>(*index);
  }
  LocationIdx loc(const char* id) const { return net.find_location(id); }
  RouteQuery query(const char* from, const char* to, const char* depart) const {
    RouteQuery q;
    q.from = loc(from);
    q.to = loc(to);
    q.depart = at(depart);
    return q;
  }
  std::string legs(const Itinerary& it) const { return testing::leg_summary(net, it); }
};

//   a ==ferry (Mon 10:00 Baku time, 20 h)==> b
TEST(Planner, WaitsForWeeklyFerry) {
  Fixture f(
      make_files("a,Port A,,AZ,seaport,40,50,Asia/Baku,0,0,USD,t\n"
                 "b,Port B,,AZ,seaport,40,51,Asia/Baku,0,0,USD,t\n",
                 "ab,a,b,ferry,300,,15,0,0,USD,,,true,open,t\n", "",
                 "f1,Weekly ferry,ferry,ASCO,a;b,Mon,10:00,0;20,50,300,USD,t\n"));
  // Ready Tuesday 2026-03-03 00:00Z; the next Monday 10:00 at UTC+4 is
  // 2026-03-09T06:00Z; arrival 20 h later.
  auto its = f.planner->plan(f.query("a", "b", "2026-03-03T00:00Z"));
  ASSERT_TRUE(its.ok()) << its.error().to_string();
  ASSERT_EQ(its->size(), 1u);
  const Itinerary& it = its->front();
  EXPECT_EQ(f.legs(it), "wait a, ferry a>b");
  EXPECT_EQ(format_instant_utc(it.legs[0].arrive), "2026-03-09T06:00:00Z");
  EXPECT_EQ(format_instant_utc(it.arrive), "2026-03-10T02:00:00Z");
  // 1 FEU = 2 TEU at 300 USD per TEU.
  EXPECT_EQ(it.cost_usd_cents, 60000);

  // Ready one minute before the Monday departure: no week lost.
  auto just = f.planner->plan(f.query("a", "b", "2026-03-09T05:59Z"));
  ASSERT_TRUE(just.ok());
  EXPECT_EQ(format_instant_utc(just->front().arrive), "2026-03-10T02:00:00Z");
  // One minute after: a week later.
  auto late = f.planner->plan(f.query("a", "b", "2026-03-09T06:01Z"));
  ASSERT_TRUE(late.ok());
  EXPECT_EQ(format_instant_utc(late->front().arrive), "2026-03-17T02:00:00Z");
}

//   x --road 110 km, 55 km/h--> cn |border 09-18 local both sides| kz --road 100 km, 50 km/h--> y
//   (CN is UTC+8, KZ UTC+5)
TEST(Planner, ClosedBorderAtNightAcrossTimeZones) {
  Fixture f(
      make_files("x,X,,CN,city,44,79,Asia/Shanghai,0,0,USD,t\n"
                 "cn,Post CN,,CN,bcp,44,80,Asia/Shanghai,0,0,USD,t\n"
                 "kz,Post KZ,,KZ,bcp,44,80.1,Asia/Almaty,0,0,USD,t\n"
                 "y,Y,,KZ,city,44,81,Asia/Almaty,0,0,USD,t\n",
                 "x-cn,x,cn,road,110,,55,0,0,USD,,,true,open,t\n"
                 "kz-y,kz,y,road,100,,50,0,0,USD,,,true,open,t\n",
                 "cn-kz,cn,kz,road,2,4,50,USD,09:00-18:00,09:00-18:00,false,,,,t\n"));
  // Depart 09:00Z, at the border 11:00Z. China's post is open 01:00-10:00Z and
  // Kazakhstan's 04:00-13:00Z: both open again only at 04:00Z next day.
  // Clearance 2 h -> 06:00Z, then 2 h of road -> 08:00Z.
  auto its = f.planner->plan(f.query("x", "y", "2026-03-02T09:00Z"));
  ASSERT_TRUE(its.ok()) << its.error().to_string();
  const Itinerary& it = its->front();
  EXPECT_EQ(f.legs(it), "road x>cn, wait cn, border cn>kz, road kz>y");
  EXPECT_EQ(format_instant_utc(it.legs[1].depart), "2026-03-02T11:00:00Z");
  EXPECT_EQ(format_instant_utc(it.legs[1].arrive), "2026-03-03T04:00:00Z");
  EXPECT_EQ(format_instant_utc(it.arrive), "2026-03-03T08:00:00Z");
  EXPECT_EQ(it.duration().count(), 23 * 3600);
  EXPECT_EQ(it.cost_usd_cents, 5000);  // a road crossing charges 50 USD per truck; one FEU is one truck
  ASSERT_EQ(it.border_crossings.size(), 1u);
}

//   x ==rail 1435, 600 km @ 60==> cn |gauge change 3 h| kz ==rail 1520, 500 km @ 50==> y
//   on-demand wagons: 0.1 CNY per TEU-km in CN, 0.2 KZT in KZ, 40-ft box 2x
TEST(Planner, ChangesGaugeAtABreak) {
  Fixture f(with(make_files("x,X,,CN,city,44,79,Asia/Shanghai,0,0,USD,t\n"
                            "cn,Post CN,,CN,bcp,44,80,Asia/Shanghai,0,0,USD,t\n"
                            "kz,Post KZ,,KZ,bcp,44,80.1,Asia/Almaty,0,0,USD,t\n"
                            "y,Y,,KZ,city,44,81,Asia/Almaty,0,0,USD,t\n",
                            "x-cn,x,cn,rail,600,1435,60,0,0,CNY,,,true,open,t\n"
                            "kz-y,kz,y,rail,500,1520,50,0,0,KZT,,,true,open,t\n",
                            "cn-kz,cn,kz,rail,5,10,100,USD,24/7,24/7,true,3,40,,t\n"),
                 "rail_products.csv",
                 std::string(testing::kRailProductsHeader) +
                     "cn,CN wagons,CR,CN,0,0,,,0.1,,2,CNY,t\nkz,KZ wagons,KTZ,KZ,0,0,,,0.2,,2,KZT,t\n"));
  // 10 h + 5 h clearance + 3 h gauge change + 10 h = 28 h.
  // Per FEU (2 TEU): rail CN 600 km x 0.1 CNY x 2 = 120 CNY = 15 USD (8 CNY/USD);
  // border 200 USD; gauge change 80 USD; rail KZ 500 x 0.2 x 2 = 200 KZT = 0.40 USD.
  auto its = f.planner->plan(f.query("x", "y", "2026-03-02T00:00Z"));
  ASSERT_TRUE(its.ok()) << its.error().to_string();
  const Itinerary& it = its->front();
  EXPECT_EQ(f.legs(it), "rail x>cn, border cn>kz, gauge_change kz, rail kz>y");
  EXPECT_EQ(it.duration().count(), 28 * 3600);
  EXPECT_EQ(it.gauge_changes, 1);
  EXPECT_EQ(it.cost_usd_cents, 1500 + 20000 + 8000 + 40);
  EXPECT_EQ(it.cost_by_currency.amount(*Currency::parse("CNY")), 12000);
  EXPECT_EQ(it.cost_by_currency.amount(*Currency::parse("KZT")), 20000);
  EXPECT_EQ(it.cost_by_currency.amount(Currency::usd()), 28000);
  // CO2: 1100 km x 20 g/tkm x 20 t = 440 kg.
  EXPECT_EQ(it.co2_g, 440000);
}

//   a --road 100 km--> b         (2 h, 100 USD/TEU)
//   a --road 100--> c --road 100--> b   (4 h, 200 USD/TEU): worse in every way
TEST(Planner, PrunesDominatedOption) {
  Fixture f(
      make_files("a,A,,KZ,city,43,76,Asia/Almaty,0,0,USD,t\n"
                 "b,B,,KZ,city,43,77,Asia/Almaty,0,0,USD,t\n"
                 "c,C,,KZ,city,44,76,Asia/Almaty,0,0,USD,t\n",
                 "ab,a,b,road,100,,50,1,0,USD,,,true,open,t\n"
                 "ac,a,c,road,100,,50,1,0,USD,,,true,open,t\n"
                 "cb,c,b,road,100,,50,1,0,USD,,,true,open,t\n"));
  auto its = f.planner->plan(f.query("a", "b", "2026-03-02T00:00Z"));
  ASSERT_TRUE(its.ok());
  ASSERT_EQ(its->size(), 1u);
  EXPECT_EQ(f.legs(its->front()), "road a>b");
}

//   a --road 100 km @ 50, 1 USD per truck-km--> b
//   a ==rail 100 km @ 20, wagons at 0.2 USD/TEU-km==> b
TEST(Planner, KeepsCheaperButSlowerOptionFastestFirst) {
  Fixture f(with(make_files("a,A,,KZ,city,43,76,Asia/Almaty,0,0,USD,t\n"
                            "b,B,,KZ,city,43,77,Asia/Almaty,0,0,USD,t\n",
                            "road,a,b,road,100,,50,1,0,USD,,,true,open,t\n"
                            "rail,a,b,rail,100,1520,20,0,0,USD,,,true,open,t\n"),
                 "rail_products.csv", permissive_products("KZ", 0.2)));
  auto its = f.planner->plan(f.query("a", "b", "2026-03-02T00:00Z"));
  ASSERT_TRUE(its.ok());
  ASSERT_EQ(its->size(), 2u);
  EXPECT_EQ(f.legs((*its)[0]), "road a>b");
  EXPECT_EQ((*its)[0].duration().count(), 2 * 3600);
  EXPECT_EQ((*its)[0].cost_usd_cents, 10000);  // one truck x 100 km x 1 USD
  EXPECT_EQ((*its)[0].co2_g, 200000);          // 100 km x 100 g/tkm x 20 t
  EXPECT_EQ(f.legs((*its)[1]), "rail a>b");
  EXPECT_EQ((*its)[1].duration().count(), 5 * 3600);
  EXPECT_EQ((*its)[1].cost_usd_cents, 4000);  // 100 km x 0.2 USD x 2 (40-ft box)
  EXPECT_EQ((*its)[1].co2_g, 40000);

  // Single-criterion objectives pick one each, through the same search.
  RouteQuery q = f.query("a", "b", "2026-03-02T00:00Z");
  q.objective = Objective::kTime;
  EXPECT_EQ(f.legs(f.planner->plan(q)->front()), "road a>b");
  q.objective = Objective::kCost;
  EXPECT_EQ(f.legs(f.planner->plan(q)->front()), "rail a>b");
  q.objective = Objective::kCo2;
  ASSERT_EQ(f.planner->plan(q)->size(), 1u);
  EXPECT_EQ(f.legs(f.planner->plan(q)->front()), "rail a>b");
}

//   a --road--> b ==rail==> c ; b: transfer 6 h, handling 25 USD per 20-ft box (no 40-ft figure: 2x)
TEST(Planner, TransfersWhenTheModeChanges) {
  Fixture f(with(make_files("a,A,,KZ,city,43,76,Asia/Almaty,0,0,USD,t\n"
                            "b,B,,KZ,terminal,43,77,Asia/Almaty,6,25,USD,t\n"
                            "c,C,,KZ,city,43,78,Asia/Almaty,0,0,USD,t\n",
                            "ab,a,b,road,100,,50,0,0,USD,,,true,open,t\n"
                            "bc,b,c,rail,100,1520,50,0,0,USD,,,true,open,t\n"),
                 "rail_products.csv", permissive_products("KZ")));
  auto its = f.planner->plan(f.query("a", "c", "2026-03-02T00:00Z"));
  ASSERT_TRUE(its.ok());
  const Itinerary& it = its->front();
  EXPECT_EQ(f.legs(it), "road a>b, transfer b, rail b>c");
  EXPECT_EQ(it.duration().count(), (2 + 6 + 2) * 3600);
  EXPECT_EQ(it.cost_usd_cents, 5000);
  EXPECT_EQ(it.mode_changes, 1);
}

//   a --- b
//   |  \  |     all road, 100 km @ 50 except b-c 150 km
//   c --- d
TEST(Planner, HonoursViaOrder) {
  Fixture f(
      make_files("a,A,,KZ,city,43,76,Asia/Almaty,0,0,USD,t\n"
                 "b,B,,KZ,city,43,77,Asia/Almaty,0,0,USD,t\n"
                 "c,C,,KZ,city,42,76,Asia/Almaty,0,0,USD,t\n"
                 "d,D,,KZ,city,42,77,Asia/Almaty,0,0,USD,t\n",
                 "ab,a,b,road,100,,50,0,0,USD,,,true,open,t\n"
                 "bd,b,d,road,100,,50,0,0,USD,,,true,open,t\n"
                 "ac,a,c,road,100,,50,0,0,USD,,,true,open,t\n"
                 "cd,c,d,road,100,,50,0,0,USD,,,true,open,t\n"
                 "bc,b,c,road,150,,50,0,0,USD,,,true,open,t\n"));
  RouteQuery q = f.query("a", "d", "2026-03-02T00:00Z");
  q.objective = Objective::kTime;
  q.via = {f.loc("c"), f.loc("b")};
  auto its = f.planner->plan(q);
  ASSERT_TRUE(its.ok());
  EXPECT_EQ(f.legs(its->front()), "road a>c, road c>b, road b>d");
  EXPECT_EQ(its->front().duration().count(), 7 * 3600);
  q.via = {f.loc("b"), f.loc("c")};
  EXPECT_EQ(f.legs(f.planner->plan(q)->front()), "road a>b, road b>c, road c>d");
}

//   a --> p |KZ>KG| q --> r |KG>KZ| s --> d   (short, through Kyrgyzstan)
//   a ------------------ 900 km ------------> d   (long, stays in Kazakhstan)
TEST(Planner, AvoidedCountryIsNeverEntered) {
  Fixture f(
      make_files("a,A,,KZ,city,43,70,Asia/Almaty,0,0,USD,t\n"
                 "p,P,,KZ,bcp,43,71,Asia/Almaty,0,0,USD,t\n"
                 "q,Q,,KG,bcp,43,71.1,Asia/Bishkek,0,0,USD,t\n"
                 "r,R,,KG,bcp,43,72,Asia/Bishkek,0,0,USD,t\n"
                 "s,S,,KZ,bcp,43,72.1,Asia/Almaty,0,0,USD,t\n"
                 "d,D,,KZ,city,43,73,Asia/Almaty,0,0,USD,t\n",
                 "ap,a,p,road,100,,50,0,0,USD,,,true,open,t\n"
                 "qr,q,r,road,100,,50,0,0,USD,,,true,open,t\n"
                 "sd,s,d,road,100,,50,0,0,USD,,,true,open,t\n"
                 "ad,a,d,road,900,,50,0,0,USD,,,true,open,t\n",
                 "pq,p,q,road,1,1,0,USD,24/7,24/7,false,,,,t\n"
                 "rs,r,s,road,1,1,0,USD,24/7,24/7,false,,,,t\n"));
  RouteQuery q = f.query("a", "d", "2026-03-02T00:00Z");
  q.objective = Objective::kTime;
  EXPECT_EQ(f.legs(f.planner->plan(q)->front()), "road a>p, border p>q, road q>r, border r>s, road s>d");
  q.avoid_countries = {"KG"};
  auto its = f.planner->plan(q);
  ASSERT_TRUE(its.ok());
  for (const Leg& g : its->front().legs) {
    EXPECT_NE(f.net.locations[g.from].country_code(), "KG");
    EXPECT_NE(f.net.locations[g.to].country_code(), "KG");
  }
  EXPECT_EQ(f.legs(its->front()), "road a>d");
  // Avoiding the destination's own country is a bad query, not "no route".
  q.avoid_countries = {"KZ"};
  auto bad = f.planner->plan(q);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, ErrorCode::kInvalidInput);
}

TEST(Planner, ReportsNoRouteWhenDisconnected) {
  Fixture f(
      make_files("a,A,,KZ,city,43,76,Asia/Almaty,0,0,USD,t\n"
                 "b,B,,KZ,city,43,77,Asia/Almaty,0,0,USD,t\n"
                 "c,C,,KZ,city,44,76,Asia/Almaty,0,0,USD,t\n",
                 "ab,a,b,road,100,,50,1,0,USD,,,true,open,t\n"));
  auto its = f.planner->plan(f.query("a", "c", "2026-03-02T00:00Z"));
  ASSERT_FALSE(its.ok());
  EXPECT_EQ(its.error().code, ErrorCode::kNoRoute);
  EXPECT_EQ(its.error().message, "no route from A to C");
}

TEST(Planner, PlannedAndClosedLinksAreNotUsed) {
  Fixture f(
      make_files("a,A,,KZ,city,43,76,Asia/Almaty,0,0,USD,t\n"
                 "b,B,,KZ,city,43,77,Asia/Almaty,0,0,USD,t\n",
                 "ab1,a,b,rail,100,1520,50,1,0,USD,,,true,planned,t\n"
                 "ab2,a,b,road,100,,50,1,0,USD,,,true,closed,t\n"));
  EXPECT_EQ(f.planner->plan(f.query("a", "b", "2026-03-02T00:00Z")).error().code, ErrorCode::kNoRoute);
}

TEST(Planner, ModeRestrictionExcludesOtherModes) {
  Fixture f(with(make_files("a,A,,KZ,city,43,76,Asia/Almaty,0,0,USD,t\n"
                            "b,B,,KZ,city,43,77,Asia/Almaty,0,0,USD,t\n",
                            "road,a,b,road,100,,50,1,0,USD,,,true,open,t\n"
                            "rail,a,b,rail,100,1520,20,0,0,USD,,,true,open,t\n"),
                 "rail_products.csv", permissive_products("KZ", 0.2)));
  RouteQuery q = f.query("a", "b", "2026-03-02T00:00Z");
  q.modes = *parse_mode_set("rail");
  auto its = f.planner->plan(q);
  ASSERT_TRUE(its.ok());
  ASSERT_EQ(its->size(), 1u);
  EXPECT_EQ(f.legs(its->front()), "rail a>b");
}

}  // namespace
}  // namespace caravan
