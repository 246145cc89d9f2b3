// The rules of ADR 0500 (options a forwarder could book), each on a small
// network drawn above its test with the expected figures worked out by hand.
#include <gtest/gtest.h>

#include "caravan/scenario.h"
#include "caravan/stochastic.h"
#include "test_network.h"

namespace caravan {
namespace {

using testing::load_or_fail;
using testing::make_files;
using testing::permissive_products;
using testing::with;

Instant at(const char* iso) { return *parse_instant(iso); }

// locations.csv and services.csv with every optional column of ADR 0500.
const std::string kLocationsFull =
    "id,name,aliases,country,kind,lat,lon,timezone,transfer_hours,handling_cost,currency,source,handling_cost_feu,"
    "port_dwell_median_h,port_dwell_p90_h,free_days,storage_per_day,storage_per_day_feu\n";
const std::string kServicesFull =
    "id,name,mode,operator,stops,days,depart_local,stop_offsets_h,capacity_units,tariff_per_unit,currency,source,"
    "cutoff_h,"
    "tariff_per_feu,rate_date\n";

struct Fixture {
  Network net;
  std::unique_ptr<Overlay> overlay;
  std::unique_ptr<RouteIndex> index;
  std::unique_ptr<Planner> planner;

  explicit Fixture(const DatasetFiles& f) : net(load_or_fail(f)) { rebuild(); }
  void rebuild() {
    index = std::make_unique<RouteIndex>(net, overlay.get());
    planner = std::make_unique<Planner>(*index);
  }
  void apply(const std::string& toml) {
    auto sc = parse_scenario("name = \"t\"\n" + toml, "t.toml", net);
    ASSERT_TRUE(sc.ok()) << to_string(sc.errors());
    auto ov = Overlay::build(net, {*sc});
    ASSERT_TRUE(ov.ok()) << to_string(ov.errors());
    overlay = std::make_unique<Overlay>(std::move(*ov));
    rebuild();
  }
  LocationIdx loc(const char* id) const { return net.find_location(id); }
  RouteQuery query(const char* from, const char* to, const char* depart, UnitKind unit = UnitKind::kFeu,
                   std::uint32_t units = 1) const {
    RouteQuery q;
    q.from = loc(from);
    q.to = loc(to);
    q.depart = at(depart);
    q.unit = unit;
    q.units = units;
    return q;
  }
  Result<std::vector<Itinerary>> plan(const RouteQuery& q) { return planner->plan(q); }
  std::string legs(const Itinerary& it) const { return testing::leg_summary(net, it); }
};

bool flies(const Itinerary& it) {
  for (const Leg& g : it.legs) {
    if (g.kind == LegKind::kMove && g.mode == Mode::kAir) return true;
  }
  return false;
}

// ---------------------------------------------------------------------------
// Cargo: containers never fly; KG by air priced by weight break.
//
//   a --road 100 km--> ap ==air 500 km, daily 10:00, 1 h==> bp --road 100 km--> b
//   a --road 600 km @ 50 (12 h)-------------------------------------------> b
// Weight breaks of the flight (USD per chargeable kg): from 0 kg 5.00, from
// 100 kg 4.00, from 500 kg 3.00, from 1000 kg 2.50; minimum charge 100 USD.
DatasetFiles airport_pair() {
  auto f = make_files(
      "a,A,,KZ,city,43,76,Asia/Almaty,0,0,USD,t\n"
      "ap,A airport,,KZ,airport,43,76.1,Asia/Almaty,0,0,USD,t\n"
      "bp,B airport,,KZ,airport,43,77,Asia/Almaty,0,0,USD,t\n"
      "b,B,,KZ,city,43,77.1,Asia/Almaty,0,0,USD,t\n",
      "a-ap,a,ap,road,100,,50,0,0,USD,,,true,open,t\n"
      "ap-bp,ap,bp,air,500,,500,0,0,USD,,,true,open,t\n"
      "bp-b,bp,b,road,100,,50,0,0,USD,,,true,open,t\n"
      "a-b,a,b,road,600,,50,0,0,USD,,,true,open,t\n",
      "", "fl,Flight,air,Air KZ,ap;bp,daily,10:00,0;1,0,1000,USD,t\n");
  return with(f, "air_rates.csv",
              std::string(testing::kAirRatesHeader) +
                  "fl,0,5,100,USD,t\nfl,100,4,100,USD,t\nfl,500,3,100,USD,t\nfl,1000,2.5,100,USD,t\n");
}

TEST(Bookable, ContainerIsRefusedOnAir) {
  Fixture f(airport_pair());
  RouteQuery q = f.query("a", "b", "2026-03-02T00:00Z");
  auto its = f.plan(q);
  ASSERT_TRUE(its.ok()) << its.error().to_string();
  for (const Itinerary& it : *its) EXPECT_FALSE(flies(it)) << f.legs(it);
  EXPECT_EQ(f.legs(its->front()), "road a>b");
  q.modes = *parse_mode_set("air");
  auto air = f.plan(q);
  ASSERT_FALSE(air.ok());
  EXPECT_EQ(air.error().code, ErrorCode::kInvalidInput);
  EXPECT_EQ(air.error().message,
            "containers never fly: FEU boxes need rail, road, ferry or sea (expected --unit KG for air cargo)");
}

// Ready Monday 00:00Z (05:00 local): 2 h by road to the airport, the 10:00
// local flight (05:00Z) lands 06:00Z, 2 h on: 08:00Z. 450 kg pay the 100-kg
// break (4 x 450 = 1,800 USD) unless the 500-kg break is cheaper: 3 x 500 =
// 1,500 USD. 10 kg pay 5 x 10 = 50 USD, below the 100 USD minimum.
TEST(Bookable, KgByAirIsPricedByWeightBreak) {
  Fixture f(airport_pair());
  RouteQuery q = f.query("a", "b", "2026-03-02T00:00Z", UnitKind::kKg, 450);
  q.objective = Objective::kTime;
  auto its = f.plan(q);
  ASSERT_TRUE(its.ok()) << its.error().to_string();
  const Itinerary& it = its->front();
  EXPECT_EQ(f.legs(it), "road a>ap, transfer ap, wait ap, air ap>bp, transfer bp, road bp>b");
  EXPECT_EQ(format_instant_utc(it.arrive), "2026-03-02T08:00:00Z");
  EXPECT_EQ(it.legs[3].cost_usd_cents, 150000);
  EXPECT_EQ(it.cost_usd_cents, 150000);  // trucks free here, no handling for KG

  q.units = 10;
  EXPECT_EQ(f.plan(q)->front().legs[3].cost_usd_cents, 10000);
  // 300 kg of 3 m3: chargeable max(300, 3 x 1,000,000 / 6,000) = 500 kg -> 3 x 500.
  q.units = 300;
  q.volume_m3 = 3.0;
  EXPECT_EQ(q.chargeable_mass().kg, 500);
  EXPECT_EQ(f.plan(q)->front().legs[3].cost_usd_cents, 150000);
  // 2,000 kg: the 1,000-kg break, 2.5 x 2,000.
  q.units = 2000;
  q.volume_m3.reset();
  EXPECT_EQ(f.plan(q)->front().legs[3].cost_usd_cents, 500000);
}

TEST(Bookable, BadCargoIsRefusedNamingTheLimit) {
  Fixture f(airport_pair());
  RouteQuery q = f.query("a", "b", "2026-03-02T00:00Z");
  q.cargo_per_unit = Mass::from_tonnes(30);
  auto heavy = f.plan(q);
  ASSERT_FALSE(heavy.ok());
  EXPECT_EQ(
      heavy.error().message,
      "cargo 30.0 t per FEU exceeds the FEU payload limit of 26.73 t (max gross 30.48 t - tare 3.75 t, equipment.csv)");
  q.unit = UnitKind::kTeu;  // 30,480 - 2,200 = 28.28 t
  q.cargo_per_unit = Mass::from_tonnes(28.3);
  EXPECT_EQ(
      f.plan(q).error().message,
      "cargo 28.3 t per TEU exceeds the TEU payload limit of 28.28 t (max gross 30.48 t - tare 2.2 t, equipment.csv)");
  q.cargo_per_unit = Mass{0};
  EXPECT_EQ(f.plan(q).error().message, "cargo per TEU must be above 0 t (expected the payload of one box)");
  q.cargo_per_unit = Mass{-3000};
  EXPECT_EQ(f.plan(q).error().code, ErrorCode::kInvalidInput);
  RouteQuery k = f.query("a", "b", "2026-03-02T00:00Z", UnitKind::kKg, 100);
  k.modes = *parse_mode_set("rail,ferry");
  EXPECT_EQ(f.plan(k).error().message, "KG cargo goes by road and air only (expected a mode set with road or air)");
}

// ---------------------------------------------------------------------------
// A block train's cut-off.
//
//   a ==weekly train Mon 10:00 local (05:00Z), cut-off 2 h, 10 h==> b
TEST(Bookable, BlockTrainCutOffMissedByAMinute) {
  Fixture f(with(make_files("a,A,,KZ,terminal,43,76,Asia/Almaty,0,0,USD,t\n"
                            "b,B,,KZ,terminal,43,77,Asia/Almaty,0,0,USD,t\n",
                            "ab,a,b,rail,500,1520,50,0,0,USD,,,true,open,t\n"),
                 "services.csv", kServicesFull + "s1,Block train,rail,KTZ,a;b,Mon,10:00,0;10,100,100,USD,t,2,,\n"));
  // At the terminal 07:59 local, one minute inside the cut-off (08:00): Monday's train.
  auto in = f.plan(f.query("a", "b", "2026-03-02T02:59Z"));
  ASSERT_TRUE(in.ok()) << in.error().to_string();
  EXPECT_EQ(format_instant_utc(in->front().arrive), "2026-03-02T15:00:00Z");
  EXPECT_EQ(in->front().legs[0].note, "next departure of Block train (cut-off 2 h)");
  // 08:01 local: a minute late for the cut-off, the train a week later.
  auto late = f.plan(f.query("a", "b", "2026-03-02T03:01Z"));
  ASSERT_TRUE(late.ok());
  EXPECT_EQ(format_instant_utc(late->front().arrive), "2026-03-09T15:00:00Z");
  // The rail link alone carries nothing: KZ has no on-demand product here.
  EXPECT_EQ(late->size(), 1u);
}

// ---------------------------------------------------------------------------
// Through-rates against on-demand per box-km; fares of stop pairs; FEU factor.
//
//   a ==400 km==> m ==600 km==> b   (rail, 50 km/h)
//   wagons: 0.5 USD per TEU-km, FEU factor 2 (or 1.6)
//   train s1 a;m;b daily 12:00 local (07:00Z), offsets 0;8;20, 300 USD per TEU, 550 per FEU
DatasetFiles train_and_wagons(const std::string& feu_factor = "2", const std::string& fares = "") {
  auto f = with(make_files("a,A,,KZ,terminal,43,76,Asia/Almaty,0,0,USD,t\n"
                           "m,M,,KZ,terminal,43,77,Asia/Almaty,0,0,USD,t\n"
                           "b,B,,KZ,terminal,43,78,Asia/Almaty,0,0,USD,t\n",
                           "am,a,m,rail,400,1520,50,0,0,USD,,,true,open,t\n"
                           "mb,m,b,rail,600,1520,50,0,0,USD,,,true,open,t\n"),
                "services.csv", kServicesFull + "s1,Train,rail,KTZ,a;m;b,daily,12:00,0;8;20,100,300,USD,t,0,550,\n");
  f = with(f, "rail_products.csv",
           std::string(testing::kRailProductsHeader) + "kz,KZ wagons,KTZ,KZ,0,0,,,0.5,," + feu_factor + ",USD,t\n");
  if (!fares.empty()) f = with(f, "fares.csv", std::string(testing::kFaresHeader) + fares);
  return f;
}

// Ready 00:00Z: wagons leave at once, 1,000 km in 20 h for 1,000 x 0.5 x 2 =
// 1,000 USD; the train leaves 07:00Z and takes 20 h (27 h) for 550 USD.
TEST(Bookable, ThroughRateAgainstOnDemandPerKm) {
  Fixture f(train_and_wagons());
  auto its = f.plan(f.query("a", "b", "2026-03-02T00:00Z"));
  ASSERT_TRUE(its.ok()) << its.error().to_string();
  ASSERT_EQ(its->size(), 2u);
  EXPECT_EQ(f.legs((*its)[0]), "rail a>m, rail m>b");
  EXPECT_EQ((*its)[0].duration().count(), 20 * 3600);
  EXPECT_EQ((*its)[0].cost_usd_cents, 100000);
  EXPECT_EQ(f.legs((*its)[1]), "wait a, rail a>b");
  EXPECT_EQ((*its)[1].duration().count(), 27 * 3600);
  EXPECT_EQ((*its)[1].cost_usd_cents, 55000);
  // Part of the run pays the whole through-rate (no pro rata): a to m costs
  // 550 USD by train against 400 x 0.5 x 2 = 400 USD in wagons.
  RouteQuery q = f.query("a", "m", "2026-03-02T00:00Z");
  q.objective = Objective::kCost;
  EXPECT_EQ(f.plan(q)->front().cost_usd_cents, 40000);
  EXPECT_EQ(f.legs(f.plan(q)->front()), "rail a>m");
  // With a fare for the pair (350 USD per FEU), the train is the cheaper.
  Fixture fared(train_and_wagons("2", "s1,a,m,200,350,USD,t\n"));
  EXPECT_EQ(fared.plan(q)->front().cost_usd_cents, 35000);
  EXPECT_EQ(fared.legs(fared.plan(q)->front()), "wait a, rail a>m");
}

// A via the train passes on board is passed: the box stays on the train
// (550 USD, 27 h) instead of leaving it at m for wagons (400 x 0.5 x 2 +
// 600 x 0.5 x 2 = 1,000 USD) or a second train (1,100 USD).
TEST(Bookable, ViaPassedOnBoardATrainCounts) {
  Fixture f(train_and_wagons());
  RouteQuery q = f.query("a", "b", "2026-03-02T00:00Z");
  q.objective = Objective::kCost;
  q.via = {f.loc("m")};
  auto its = f.plan(q);
  ASSERT_TRUE(its.ok()) << its.error().to_string();
  EXPECT_EQ(f.legs(its->front()), "wait a, rail a>b");
  EXPECT_EQ(its->front().cost_usd_cents, 55000);
  EXPECT_EQ(its->front().duration().count(), 27 * 3600);
  // By time the wagons stop at m anyway: the same 20 h as without the via.
  q.objective = Objective::kTime;
  EXPECT_EQ(f.plan(q)->front().duration().count(), 20 * 3600);
}

// Wagons at 0.5 USD per TEU-km with a 1.6 FEU factor, a to b (1,000 km):
// TEU 500 USD, FEU and high-cube 800 USD, two TEU 1,000 USD.
TEST(Bookable, FeuFactorOfTheRailProduct) {
  Fixture f(train_and_wagons("1.6"));
  auto cost = [&](UnitKind u, std::uint32_t n) {
    RouteQuery q = f.query("a", "b", "2026-03-02T00:00Z", u, n);
    q.modes = *parse_mode_set("rail");
    q.objective = Objective::kTime;  // the wagons: 20 h against the train's 27
    return f.plan(q)->front().cost_usd_cents;
  };
  EXPECT_EQ(cost(UnitKind::kTeu, 1), 50000);
  EXPECT_EQ(cost(UnitKind::kFeu, 1), 80000);
  EXPECT_EQ(cost(UnitKind::kFeuHc, 1), 80000);
  EXPECT_EQ(cost(UnitKind::kTeu, 2), 100000);
}

// ---------------------------------------------------------------------------
// Value of time.
//
//   a --road 1,000 km @ 50 (20 h), 2 USD per truck-km (2,000 USD)--> b
//   a ==train daily 12:00 local (07:00Z), 40 h, 1,000 USD per FEU==> b
// Ready 07:00Z: generalized road = 2,000 + 20 v, train = 1,000 + 40 v; they
// meet at v = 50 USD per box-hour.
TEST(Bookable, ValueOfTimeChoosesTheSlowerCheaperOrTheFaster) {
  Fixture f(with(make_files("a,A,,KZ,terminal,43,76,Asia/Almaty,0,0,USD,t\n"
                            "b,B,,KZ,terminal,43,77,Asia/Almaty,0,0,USD,t\n",
                            "road,a,b,road,1000,,50,2,0,USD,,,true,open,t\n"
                            "rail,a,b,rail,1000,1520,50,0,0,USD,,,true,open,t\n"),
                 "services.csv", kServicesFull + "s1,Train,rail,KTZ,a;b,daily,12:00,0;40,100,500,USD,t,0,1000,\n"));
  RouteQuery q = f.query("a", "b", "2026-03-02T07:00Z");
  q.objective = Objective::kGeneralized;
  q.value_of_time_usd = 10;  // road 2,200, train 1,400
  auto slow = f.plan(q);
  ASSERT_TRUE(slow.ok()) << slow.error().to_string();
  ASSERT_EQ(slow->size(), 1u);
  EXPECT_EQ(f.legs(slow->front()), "rail a>b");
  EXPECT_EQ(slow->front().generalized_cost_usd_cents, 140000);
  q.value_of_time_usd = 100;  // road 4,000, train 5,000
  auto fast = f.plan(q);
  ASSERT_TRUE(fast.ok());
  EXPECT_EQ(f.legs(fast->front()), "road a>b");
  EXPECT_EQ(fast->front().generalized_cost_usd_cents, 400000);
}

// ---------------------------------------------------------------------------
// Ports: dwell before loading, storage after the free days, --via and --avoid.
//
//   p (seaport, dwell 30 h; 2 free days, 50 USD a day per TEU, 80 per FEU)
//     ==ferry Mon 10:00 local (05:00Z), 20 h==> q
DatasetFiles port(const std::string& dwell, const std::string& free_days) {
  return with(make_files("", "pq,p,q,ferry,300,,15,0,0,USD,,,true,open,t\n", "",
                         "f1,Ferry,ferry,ASCO,p;q,Mon,10:00,0;20,100,300,USD,t\n"),
              "locations.csv",
              kLocationsFull + "p,Port P,,KZ,seaport,43,51,Asia/Almaty,0,0,USD,t,," + dwell + "," + dwell + "," +
                  free_days + ",50,80\n" + "q,Port Q,,KZ,seaport,43,52,Asia/Almaty,0,0,USD,t,,,,,,\n");
}

// Ready Sunday 1 March 12:00Z: loadable 30 h later, Monday 18:00Z, after the
// 05:00Z sailing: the next on 9 March. Ready Saturday 12:00Z: loadable Sunday
// 18:00Z, in time for Monday 2 March.
TEST(Bookable, PortDwellBeforeLoading) {
  Fixture f(port("30", "30"));
  auto late = f.plan(f.query("p", "q", "2026-03-01T12:00Z"));
  ASSERT_TRUE(late.ok()) << late.error().to_string();
  EXPECT_EQ(f.legs(late->front()), "wait p, wait p, ferry p>q");
  EXPECT_EQ(late->front().legs[0].note, "port dwell before loading");
  EXPECT_EQ(format_instant_utc(late->front().legs[0].arrive), "2026-03-02T18:00:00Z");
  EXPECT_EQ(format_instant_utc(late->front().arrive), "2026-03-10T01:00:00Z");
  auto early = f.plan(f.query("p", "q", "2026-02-28T12:00Z"));
  ASSERT_TRUE(early.ok());
  EXPECT_EQ(format_instant_utc(early->front().arrive), "2026-03-03T01:00:00Z");
}

// Ready Tuesday 3 March 05:00Z: 6 days (144 h) to Monday's 05:00Z sailing,
// 4 beyond the 2 free days: 4 x 80 = 320 USD per FEU (TEU: 4 x 50). An hour
// earlier the stay is 145 h: a fifth day started, 400 USD.
TEST(Bookable, StorageAfterFreeDays) {
  Fixture f(port("0", "2"));
  auto its = f.plan(f.query("p", "q", "2026-03-03T05:00Z"));
  ASSERT_TRUE(its.ok()) << its.error().to_string();
  const Itinerary& it = its->front();
  EXPECT_EQ(f.legs(it), "wait p, ferry p>q");
  EXPECT_EQ(it.legs[0].cost_usd_cents, 32000);
  EXPECT_EQ(it.legs[0].note, "next departure of Ferry, storage after 2 free days");
  EXPECT_EQ(it.cost_usd_cents, 32000 + 60000);  // and the sailing, 2 x 300 USD
  EXPECT_EQ(f.plan(f.query("p", "q", "2026-03-03T04:00Z"))->front().legs[0].cost_usd_cents, 40000);
  EXPECT_EQ(f.plan(f.query("p", "q", "2026-03-03T05:00Z", UnitKind::kTeu))->front().legs[0].cost_usd_cents, 20000);
}

//   a --100 km--> p1 --50 km--> p2        (road, 50 km/h)
//   a --------- 200 km --------> p2
//   p1 ==ferry Mon 10:00 local==> q ;  p2 ==ferry daily 10:00 local==> q   (20 h each)
// Ready Tuesday 3 March 00:00Z: through p1 by road to p2 (03:00Z) for the
// 05:00Z sailing, at q Wednesday 01:00Z. --via p1 means a vessel loaded at p1:
// Monday 9 March. --avoid p1 removes p1 only: the direct road to p2.
TEST(Bookable, ViaAndAvoidOfAPort) {
  Fixture f(with(make_files("",
                            "ap1,a,p1,road,100,,50,0,0,USD,,,true,open,t\n"
                            "p1p2,p1,p2,road,50,,50,0,0,USD,,,true,open,t\n"
                            "ap2,a,p2,road,200,,50,0,0,USD,,,true,open,t\n"
                            "p1q,p1,q,ferry,300,,15,0,0,USD,,,true,open,t\n"
                            "p2q,p2,q,ferry,300,,15,0,0,USD,,,true,open,t\n",
                            "",
                            "f1,Weekly,ferry,ASCO,p1;q,Mon,10:00,0;20,100,300,USD,t\n"
                            "f2,Daily,ferry,ASCO,p2;q,daily,10:00,0;20,100,300,USD,t\n"),
                 "locations.csv",
                 kLocationsFull + "a,A,,KZ,city,43,53,Asia/Almaty,0,0,USD,t,,,,,,\n"
                                  "p1,Port 1,,KZ,seaport,43,51,Asia/Almaty,0,0,USD,t,,,,,,\n"
                                  "p2,Port 2,,KZ,seaport,42,51,Asia/Almaty,0,0,USD,t,,,,,,\n"
                                  "q,Port Q,,KZ,seaport,41,50,Asia/Almaty,0,0,USD,t,,,,,,\n"));
  RouteQuery q = f.query("a", "q", "2026-03-03T00:00Z");
  q.objective = Objective::kTime;
  auto base = f.plan(q);
  ASSERT_TRUE(base.ok()) << base.error().to_string();
  EXPECT_EQ(f.legs(base->front()), "road a>p1, road p1>p2, transfer p2, wait p2, ferry p2>q");
  EXPECT_EQ(format_instant_utc(base->front().arrive), "2026-03-04T01:00:00Z");
  RouteQuery via = q;
  via.via = {f.loc("p1")};
  auto v = f.plan(via);
  ASSERT_TRUE(v.ok()) << v.error().to_string();
  EXPECT_EQ(f.legs(v->front()), "road a>p1, transfer p1, wait p1, ferry p1>q");
  EXPECT_EQ(format_instant_utc(v->front().arrive), "2026-03-10T01:00:00Z");
  RouteQuery avoid = q;
  avoid.avoid = {f.loc("p1")};
  EXPECT_EQ(f.legs(f.plan(avoid)->front()), "road a>p2, transfer p2, wait p2, ferry p2>q");
  avoid.avoid = {f.loc("p2")};
  EXPECT_EQ(f.legs(f.plan(avoid)->front()), "road a>p1, transfer p1, wait p1, ferry p1>q");
}

// ---------------------------------------------------------------------------
// Border times by traffic class; a service through a border.
//
//   a ==100 km==> cx |rail crossing: row 10 h, block_train 2 h| ky ==100 km==> b   (rail 1435 both sides, 50 km/h)
//   train s1 a;cx;ky;b daily 05:00 local CN (21:00Z the day before), running offsets 0;2;2;4, 100 USD per FEU
//   wagons free on both railways
//   ra --road 50 km--> rx |road crossing: row 5 h, truck 20 h| ry --road 50 km--> rb
DatasetFiles classes() {
  auto f = make_files(
      "a,A,,CN,terminal,44,78,Asia/Shanghai,0,0,USD,t\n"
      "cx,CN post,,CN,bcp,44,79,Asia/Shanghai,0,0,USD,t\n"
      "ky,KZ post,,KZ,bcp,44,79.1,Asia/Almaty,0,0,USD,t\n"
      "b,B,,KZ,terminal,44,80,Asia/Almaty,0,0,USD,t\n"
      "ra,RA,,CN,city,45,78,Asia/Shanghai,0,0,USD,t\n"
      "rx,CN road post,,CN,bcp,45,79,Asia/Shanghai,0,0,USD,t\n"
      "ry,KZ road post,,KZ,bcp,45,79.1,Asia/Almaty,0,0,USD,t\n"
      "rb,RB,,KZ,city,45,80,Asia/Almaty,0,0,USD,t\n",
      "a-cx,a,cx,rail,100,1435,50,0,0,USD,,,true,open,t\n"
      "ky-b,ky,b,rail,100,1435,50,0,0,USD,,,true,open,t\n"
      "ra-rx,ra,rx,road,50,,50,0,0,USD,,,true,open,t\n"
      "ry-rb,ry,rb,road,50,,50,0,0,USD,,,true,open,t\n",
      "rail-x,cx,ky,rail,10,20,0,USD,24/7,24/7,false,,,,t\n"
      "road-x,rx,ry,road,5,10,0,USD,24/7,24/7,false,,,,t\n",
      "s1,Through train,rail,CR,a;cx;ky;b,daily,05:00,0;2;2;4,100,50,USD,t\n");
  f = with(f, "rail_products.csv", permissive_products("CN;KZ"));
  return with(f, "crossing_classes.csv",
              std::string(testing::kCrossingClassesHeader) +
                  "rail-x,block_train,2,4,,,,,,t\nroad-x,truck,20,30,,,,,,t\n");
}

// Ready at a 2 March 21:00Z, as the train leaves. Train: 2 h, the border 2 h
// (block train), 0 h across, 2 h: at b 03:00Z, 6 h, 100 USD. Wagons: 2 h, the
// border 10 h (other rail), 2 h: 14 h, free. Road: 1 h, 20 h (truck), 1 h.
TEST(Bookable, BorderTimeByTrafficClass) {
  Fixture f(classes());
  auto its = f.plan(f.query("a", "b", "2026-03-02T21:00Z"));
  ASSERT_TRUE(its.ok()) << its.error().to_string();
  ASSERT_EQ(its->size(), 2u);
  const Itinerary& train = (*its)[0];
  EXPECT_EQ(f.legs(train), "rail a>cx, border cx>ky, rail ky>b");
  EXPECT_EQ(train.duration().count(), 6 * 3600);
  EXPECT_EQ(train.cost_usd_cents, 10000);
  EXPECT_EQ(train.legs[1].traffic_class, TrafficClass::kBlockTrain);
  EXPECT_EQ(train.legs[1].service, ServiceIdx(0));
  EXPECT_EQ(train.legs[2].service, ServiceIdx(0));
  const Itinerary& wagons = (*its)[1];
  EXPECT_EQ(f.legs(wagons), "rail a>cx, border cx>ky, rail ky>b");
  EXPECT_EQ(wagons.duration().count(), 14 * 3600);
  EXPECT_EQ(wagons.legs[1].traffic_class, TrafficClass::kRail);
  EXPECT_TRUE(wagons.legs[0].product.valid());
  auto road = f.plan(f.query("ra", "rb", "2026-03-02T21:00Z"));
  ASSERT_TRUE(road.ok());
  EXPECT_EQ(road->front().duration().count(), 22 * 3600);
  EXPECT_EQ(road->front().legs[1].traffic_class, TrafficClass::kTruck);
  // The Monte Carlo draws each class from its own distribution.
  StageModel model(*f.index);
  EXPECT_NEAR(model.clearance(CrossingIdx(0), TrafficClass::kBlockTrain).median(), 2.0, 1e-9);
  EXPECT_NEAR(model.clearance(CrossingIdx(0), TrafficClass::kRail).median(), 10.0, 1e-9);
  // Boarding after the border: the timetable adds the block-train median, so
  // the train leaves ky at 21:00Z + 2 + 2 = 01:00Z.
  EXPECT_EQ(format_instant_utc(*next_departure(f.net, f.net.services[ServiceIdx(0)], 2, at("2026-03-02T22:00Z"))),
            "2026-03-03T01:00:00Z");
}

// A through-rate that pays the border: the same train with a border fee of
// 30 USD per 20-ft box and 60 per 40-ft, and a 1435/1520 gauge change at ky of
// 1 h and 20 USD per 20-ft box (40 per 40-ft): one FEU pays 60 + 40 on top of
// the train's 100 USD unless the service says its rate covers the borders.
// The time, 2 h + 2 h border + 1 h gauge change + 2 h, is the same both ways.
DatasetFiles paid_border(const char* covers) {
  // The shared headers end in a newline; the extra column goes before it.
  auto plus_column = [](const char* header, const char* column) {
    std::string h(header);
    h.pop_back();
    return h + "," + column + "\n";
  };
  DatasetFiles f = classes();
  f = with(f, "crossings.csv",
           plus_column(testing::kCrossingsHeader, "cost_feu") +
               "rail-x,cx,ky,rail,10,20,30,USD,24/7,24/7,true,1,20,,t,60\n"
               "road-x,rx,ry,road,5,10,0,USD,24/7,24/7,false,,,,t,\n");
  std::string links = f.text["links.csv"];
  links.replace(links.find(",1435,", links.find("ky-b,")), 6, ",1520,");  // ky's side is 1520 mm
  f = with(f, "links.csv", links);
  return with(f, "services.csv",
              plus_column(testing::kServicesHeader, "rate_covers_borders") +
                  "s1,Through train,rail,CR,a;cx;ky;b,daily,05:00,0;2;2;4,100,50,USD,t," + covers + "\n");
}

TEST(Bookable, ThroughRateThatPaysTheBorderIsNotChargedItAgain) {
  for (const char* covers : {"", "false", "true"}) {
    Fixture f(paid_border(covers));
    RouteQuery q = f.query("a", "b", "2026-03-02T21:00Z");
    auto its = f.plan(q);
    ASSERT_TRUE(its.ok()) << its.error().to_string();
    const Itinerary& train = its->front();
    ASSERT_EQ(f.legs(train), "rail a>cx, border cx>ky, gauge_change ky, rail ky>b") << covers;
    const bool paid = std::string(covers) == "true";
    EXPECT_EQ(train.cost_usd_cents, paid ? 10000 : 10000 + 6000 + 4000) << covers;
    EXPECT_EQ(train.legs[1].cost_usd_cents, paid ? 0 : 6000) << covers;
    EXPECT_EQ(train.legs[2].cost_usd_cents, paid ? 0 : 4000) << covers;
    EXPECT_EQ(train.duration().count(), 7 * 3600) << covers;  // 2 + 2 border + 1 gauge + 2
  }
}

// A late border delays the rest of the run: with a 9-hour block-train
// clearance the train reaches b 7 h later than timetabled.
struct SlowBorder final : StageTiming {
  Duration clearance(CrossingIdx, TrafficClass k, const CrossingTerms& t) override {
    return k == TrafficClass::kBlockTrain ? hours(9) : t.clearance_median;
  }
  Duration gauge_change(CrossingIdx, const Crossing& c) override { return c.gauge_change_time; }
  Duration link_travel(LinkIdx, Duration nominal) override { return nominal; }
  Duration service_delay(ServiceIdx, const Service&) override { return Duration(0); }
  Duration formation(ProductIdx, const RailProduct& p) override { return p.formation_median; }
  Duration port_dwell(LocationIdx, const Location& l) override { return l.port_dwell_median; }
};

TEST(Bookable, ALateBorderDelaysTheRestOfTheRun) {
  Fixture f(classes());
  RouteQuery q = f.query("a", "b", "2026-03-02T21:00Z");
  q.objective = Objective::kTime;
  auto its = f.plan(q);
  ASSERT_TRUE(its.ok());
  SlowBorder slow;
  auto arrival = replay_arrival(*f.index, q, its->front().arcs, slow);
  ASSERT_TRUE(arrival.has_value());
  EXPECT_EQ(format_instant_utc(*arrival), "2026-03-03T10:00:00Z");  // 21:00Z + 2 + 9 + 2
}

// A train that ends at the entry post of a border with half an hour between
// its exit and entry stops (s2 a;cx;ky, offsets 0;2;2.5, in place of s1): 21:00Z + 2 h to cx +
// 2 h block-train border + 0.5 h to ky = 01:30Z. The half hour is a moving leg
// after the crossing, so the itinerary ends when the search's label does.
TEST(Bookable, TimeBetweenTheBorderStopsIsARunToTheEntryPost) {
  Fixture f(with(classes(), "services.csv",
                 std::string(testing::kServicesHeader) +
                     "s2,Border train,rail,CR,a;cx;ky,daily,05:00,0;2;2.5,100,50,USD,t\n"));
  RouteQuery q = f.query("a", "ky", "2026-03-02T21:00Z");
  q.objective = Objective::kTime;
  auto its = f.plan(q);
  ASSERT_TRUE(its.ok()) << its.error().to_string();
  const Itinerary& it = its->front();
  EXPECT_EQ(f.legs(it), "rail a>cx, border cx>ky, rail ky");
  EXPECT_EQ(format_instant_utc(it.arrive), "2026-03-03T01:30:00Z");
  EXPECT_EQ(it.legs.back().depart, it.legs[1].arrive);
  EXPECT_EQ(it.legs.back().km.meters, 0);
}

// ---------------------------------------------------------------------------
// Direction: eastbound legs end east of where they start.
//
//   w (lon 70) ==rail 1,000 km; wagons 0.5 USD/TEU-km west, 0.3 east==> e (lon 80)
//   w --road 1,000 km; trucks 2.0 USD/km west, 1.5 east (trucking.csv)--> e
TEST(Bookable, DirectionDependentRates) {
  auto files = with(make_files("w,W,,KZ,city,43,70,Asia/Almaty,0,0,USD,t\n"
                               "e,E,,KZ,city,43,80,Asia/Almaty,0,0,USD,t\n",
                               "rail,w,e,rail,1000,1520,50,0,0,USD,,,true,open,t\n"
                               "road,w,e,road,1000,,100,0,0,USD,,,true,open,t\n"),
                    "rail_products.csv",
                    std::string(testing::kRailProductsHeader) + "kz,KZ wagons,KTZ,KZ,0,0,,,0.5,0.3,2,USD,t\n");
  files = with(files, "trucking.csv", std::string(testing::kTruckingHeader) + "KZ,2,1.5,USD,40000,12500,t\n");
  Fixture f(files);
  auto cost = [&](const char* from, const char* to, const char* modes) {
    RouteQuery q = f.query(from, to, "2026-03-02T00:00Z");
    q.modes = *parse_mode_set(modes);
    q.objective = Objective::kCost;
    return f.plan(q)->front().cost_usd_cents;
  };
  EXPECT_EQ(cost("w", "e", "rail"), 60000);   // 1,000 x 0.3 x 2
  EXPECT_EQ(cost("e", "w", "rail"), 100000);  // 1,000 x 0.5 x 2
  EXPECT_EQ(cost("w", "e", "road"), 150000);  // one truck x 1,000 x 1.5
  EXPECT_EQ(cost("e", "w", "road"), 200000);
}

// ---------------------------------------------------------------------------
// Trucks per box from the road gross limit (40 t; truck 12.5 t; TEU tare 2.2 t).
//
//   a --road 100 km, 1 USD per truck-km--> x |road crossing, 30 USD a truck| y
TEST(Bookable, RoadGrossLimitForcesOneTeuPerTruck) {
  auto files =
      with(make_files("a,A,,KZ,city,43,76,Asia/Almaty,0,0,USD,t\n"
                      "x,X,,KZ,bcp,43,77,Asia/Almaty,0,0,USD,t\n"
                      "y,Y,,KG,bcp,43,77.1,Asia/Bishkek,0,0,USD,t\n",
                      "ax,a,x,road,100,,50,0,0,USD,,,true,open,t\n", "xy,x,y,road,1,1,30,USD,24/7,24/7,false,,,,t\n"),
           "trucking.csv",
           std::string(testing::kTruckingHeader) + "KZ,1,,USD,40000,12500,t\nKG,1,,USD,40000,12500,t\n");
  Fixture f(files);
  // Two TEU of 10 t: 12.5 + 2 x 12.2 = 36.9 t, one truck: 100 + 30 USD.
  RouteQuery q = f.query("a", "y", "2026-03-02T00:00Z", UnitKind::kTeu, 2);
  auto light = f.plan(q);
  ASSERT_TRUE(light.ok()) << light.error().to_string();
  EXPECT_EQ(light->front().cost_usd_cents, 13000);
  // Two TEU of 13 t: 12.5 + 2 x 15.2 = 42.9 t > 40: a truck each.
  q.cargo_per_unit = Mass::from_tonnes(13);
  auto heavy = f.plan(q);
  ASSERT_TRUE(heavy.ok());
  EXPECT_EQ(heavy->front().cost_usd_cents, 26000);
  EXPECT_EQ(heavy->front().legs[0].note, "2 trucks");
  // One FEU of 26 t: 12.5 + 29.75 = 42.25 t: no truck may carry it.
  RouteQuery feu = f.query("a", "y", "2026-03-02T00:00Z");
  feu.cargo_per_unit = Mass::from_tonnes(26);
  auto none = f.plan(feu);
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code, ErrorCode::kNoRoute);
  EXPECT_NE(none.error().message.find("road is not available in KZ, KG for this cargo"), std::string::npos)
      << none.error().message;
}

// ---------------------------------------------------------------------------
// Carrier-owned boxes go back empty; shipper-owned do not.
TEST(Bookable, EmptyReturnOfCarrierOwnedBoxes) {
  auto files =
      with(make_files("a,A,,KZ,city,43,76,Asia/Almaty,0,0,USD,t\n"
                      "b,B,,KG,city,43,77,Asia/Bishkek,0,0,USD,t\n"
                      "x,X,,KZ,bcp,43,76.5,Asia/Almaty,0,0,USD,t\n"
                      "y,Y,,KG,bcp,43,76.6,Asia/Bishkek,0,0,USD,t\n",
                      "ax,a,x,road,50,,50,0,0,USD,,,true,open,t\nyb,y,b,road,50,,50,0,0,USD,,,true,open,t\n",
                      "xy,x,y,road,1,1,0,USD,24/7,24/7,false,,,,t\n"),
           "empty_return.csv", std::string(testing::kEmptyReturnHeader) + "KG,FEU,300,USD,t\nKG,TEU,200,USD,t\n");
  Fixture f(files);
  RouteQuery q = f.query("a", "b", "2026-03-02T00:00Z");
  auto coc = f.plan(q);
  ASSERT_TRUE(coc.ok()) << coc.error().to_string();
  EXPECT_EQ(coc->front().cost_usd_cents, 30000);
  EXPECT_EQ(coc->front().legs.back().note, "empty return of the carrier's boxes (COC)");
  EXPECT_EQ(coc->front().legs.back().arrive, coc->front().arrive);
  q.equipment = Equipment::kSoc;
  EXPECT_EQ(f.plan(q)->front().cost_usd_cents, 0);
  RouteQuery teu = f.query("a", "b", "2026-03-02T00:00Z", UnitKind::kTeu, 3);
  EXPECT_EQ(f.plan(teu)->front().cost_usd_cents, 60000);
}

// ---------------------------------------------------------------------------
// The chain rule: at most two changes between rail and road.
//
//   a --road--> m1 ==rail==> m2 --road--> m3 ==rail==> b   (each 100 km)
TEST(Bookable, ChainRuleAllowsTwoRailRoadChanges) {
  Fixture f(with(make_files("a,A,,KZ,city,43,76,Asia/Almaty,0,0,USD,t\n"
                            "m1,M1,,KZ,terminal,43,77,Asia/Almaty,0,0,USD,t\n"
                            "m2,M2,,KZ,terminal,43,78,Asia/Almaty,0,0,USD,t\n"
                            "m3,M3,,KZ,terminal,43,79,Asia/Almaty,0,0,USD,t\n"
                            "b,B,,KZ,terminal,43,80,Asia/Almaty,0,0,USD,t\n",
                            "a-m1,a,m1,road,100,,50,0,0,USD,,,true,open,t\n"
                            "m1-m2,m1,m2,rail,100,1520,50,0,0,USD,,,true,open,t\n"
                            "m2-m3,m2,m3,road,100,,50,0,0,USD,,,true,open,t\n"
                            "m3-b,m3,b,rail,100,1520,50,0,0,USD,,,true,open,t\n"),
                 "rail_products.csv", permissive_products("KZ")));
  auto two = f.plan(f.query("a", "m3", "2026-03-02T00:00Z"));  // road, rail, road
  ASSERT_TRUE(two.ok());
  auto three = f.plan(f.query("a", "b", "2026-03-02T00:00Z"));  // road, rail, road, rail
  ASSERT_FALSE(three.ok());
  EXPECT_EQ(three.error().code, ErrorCode::kNoRoute);
  EXPECT_EQ(three.error().message,
            "no route from A to B within the chain rule (at most two changes between rail and road)");
  auto from_rail = f.plan(f.query("m1", "b", "2026-03-02T00:00Z"));  // rail, road, rail
  ASSERT_TRUE(from_rail.ok());
}

// ---------------------------------------------------------------------------
// On-demand wagons across borders: handed over at a same-gauge border, formed
// anew after a gauge change (formation 5 h on every railway).
//
//   a ==KZ 1520, 100 km==> kx |KZ>RU, 1 h| rx ==RU 1520, 100 km==> b
//   c ==CN 1435, 100 km==> cx |CN>KZ, 1 h, gauge change 2 h| kz ==KZ 1520, 100 km==> d
TEST(Bookable, WagonsAreHandedOverAtASameGaugeBorder) {
  auto files = make_files(
      "a,A,,KZ,terminal,50,60,Asia/Almaty,0,0,USD,t\n"
      "kx,KX,,KZ,bcp,50,61,Asia/Almaty,0,0,USD,t\n"
      "rx,RX,,RU,bcp,50,61.1,Europe/Moscow,0,0,USD,t\n"
      "b,B,,RU,terminal,50,62,Europe/Moscow,0,0,USD,t\n"
      "c,C,,CN,terminal,44,78,Asia/Shanghai,0,0,USD,t\n"
      "cx,CX,,CN,bcp,44,79,Asia/Shanghai,0,0,USD,t\n"
      "kz,KZ post,,KZ,bcp,44,79.1,Asia/Almaty,0,0,USD,t\n"
      "d,D,,KZ,terminal,44,80,Asia/Almaty,0,0,USD,t\n",
      "a-kx,a,kx,rail,100,1520,50,0,0,USD,,,true,open,t\n"
      "rx-b,rx,b,rail,100,1520,50,0,0,USD,,,true,open,t\n"
      "c-cx,c,cx,rail,100,1435,50,0,0,USD,,,true,open,t\n"
      "kz-d,kz,d,rail,100,1520,50,0,0,USD,,,true,open,t\n",
      "kx-rx,kx,rx,rail,1,1,0,USD,24/7,24/7,false,,,,t\n"
      "cx-kz,cx,kz,rail,1,1,0,USD,24/7,24/7,true,2,0,,t\n");
  Fixture f(with(files, "rail_products.csv",
                 std::string(testing::kRailProductsHeader) + "kz,KZ wagons,KTZ,KZ,5,5,,,0,,2,USD,t\n"
                                                             "ru,RU wagons,RZD,RU,5,5,,,0,,2,USD,t\n"
                                                             "cn,CN wagons,CR,CN,5,5,,,0,,2,USD,t\n"));
  auto same = f.plan(f.query("a", "b", "2026-03-02T00:00Z"));
  ASSERT_TRUE(same.ok()) << same.error().to_string();
  EXPECT_EQ(f.legs(same->front()), "wait a, rail a>kx, border kx>rx, rail rx>b");
  EXPECT_EQ(same->front().duration().count(), (5 + 2 + 1 + 2) * 3600);
  auto gauge = f.plan(f.query("c", "d", "2026-03-02T00:00Z"));
  ASSERT_TRUE(gauge.ok());
  EXPECT_EQ(f.legs(gauge->front()), "wait c, rail c>cx, border cx>kz, gauge_change kz, wait kz, rail kz>d");
  EXPECT_EQ(gauge->front().duration().count(), (5 + 2 + 1 + 2 + 5 + 2) * 3600);
  EXPECT_EQ(gauge->front().legs[4].note, "formation of KZ wagons");
}

// ---------------------------------------------------------------------------
// Storage is charged after the dominance test at a port (ADR 0500 section 5,
// docs/methodology.md): a box that reaches the port earlier dominates a later
// one there, though it then pays more storage. The effect, by hand:
//
//   a --fast road 100 km @ 100 (1 h)--> p ;  a --slow road 100 km @ 10 (10 h)--> p   (both free)
//   p (seaport, 0 free days, 100 USD a day per FEU) ==ferry Mon 10:00 local (05:00Z)==> q
// Ready Monday 2 March 20:00Z, after that day's sailing. Fast: at p 21:00Z,
// 152 h to the next sailing (Monday 9 March 05:00Z) = 7 started days, 700 USD.
// Slow: at p Tuesday 06:00Z, 143 h = 6 started days, 600 USD, the same
// sailing. At p the fast label (earlier, no dearer) dominates the slow one, so
// the planner keeps only the fast option and misses 100 USD: the storage of
// the days gained by arriving later, at most the wait for the next sailing.
TEST(Bookable, StorageApproximationCostsAtMostTheDaysGainedByArrivingLater) {
  Fixture f(with(make_files("",
                            "fast,a,p,road,100,,100,0,0,USD,,,true,open,t\n"
                            "slow,a,p,road,100,,10,0,0,USD,,,true,open,t\n"
                            "pq,p,q,ferry,300,,15,0,0,USD,,,true,open,t\n",
                            "", "f1,Ferry,ferry,ASCO,p;q,Mon,10:00,0;20,100,0,USD,t\n"),
                 "locations.csv",
                 kLocationsFull + "a,A,,KZ,city,43,53,Asia/Almaty,0,0,USD,t,,,,,,\n"
                                  "p,Port P,,KZ,seaport,43,51,Asia/Almaty,0,0,USD,t,,,,0,100,100\n"
                                  "q,Port Q,,KZ,seaport,43,50,Asia/Almaty,0,0,USD,t,,,,,,\n"));
  auto its = f.plan(f.query("a", "q", "2026-03-02T20:00Z"));
  ASSERT_TRUE(its.ok()) << its.error().to_string();
  ASSERT_EQ(its->size(), 1u);
  EXPECT_EQ(f.net.links[its->front().legs[0].link].id, "fast");
  EXPECT_EQ(its->front().cost_usd_cents, 70000);
  // The slow road alone shows what was missed: the same arrival for 600 USD.
  f.apply("[[measures]]\ntype = \"close_link\"\nlink = \"fast\"\n");
  auto slow = f.plan(f.query("a", "q", "2026-03-02T20:00Z"));
  ASSERT_TRUE(slow.ok());
  EXPECT_EQ(slow->front().arrive, its->front().arrive);
  EXPECT_EQ(slow->front().cost_usd_cents, 60000);
}

// ---------------------------------------------------------------------------
// Scenario measures on the new figures.

// A green lane for block trains only: the train's border 1 h (5 h door to
// door), the wagons' still 10 h (14 h). Without a class, every class: 4 h.
TEST(BookableScenario, SetClearanceForOneTrafficClass) {
  Fixture f(classes());
  f.apply(
      "[[measures]]\ntype = \"set_clearance\"\ncrossing = \"rail-x\"\nclass = \"block_train\"\nmedian_h = 1\np90_h = "
      "2\n");
  auto its = f.plan(f.query("a", "b", "2026-03-02T21:00Z"));
  ASSERT_TRUE(its.ok());
  ASSERT_EQ(its->size(), 2u);
  EXPECT_EQ((*its)[0].duration().count(), 5 * 3600);
  EXPECT_EQ((*its)[1].duration().count(), 14 * 3600);
  EXPECT_TRUE(f.index->view().clearance_set(CrossingIdx(0), TrafficClass::kBlockTrain));
  EXPECT_FALSE(f.index->view().clearance_set(CrossingIdx(0), TrafficClass::kRail));
  f.apply("[[measures]]\ntype = \"set_clearance\"\ncrossing = \"rail-x\"\nmedian_h = 4\np90_h = 6\n");
  auto all = f.plan(f.query("a", "b", "2026-03-02T21:00Z"));
  ASSERT_TRUE(all.ok());
  // 8 h either way: the free wagons dominate the train at 100 USD.
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ(all->front().duration().count(), 8 * 3600);
  EXPECT_EQ(all->front().cost_usd_cents, 0);
}

// Rail traffic (not block trains) stopped at the border until 3 March 12:00Z:
// the wagons reach cx at 23:00Z, wait 13 h, clear 10 h, 2 h on: 27 h.
TEST(BookableScenario, CloseCrossingForOneTrafficClass) {
  Fixture f(classes());
  f.apply(
      "[[measures]]\ntype = \"close_crossing\"\ncrossing = \"rail-x\"\nclass = \"rail\"\n"
      "from = \"2026-03-02T00:00Z\"\nuntil = \"2026-03-03T12:00Z\"\n");
  auto its = f.plan(f.query("a", "b", "2026-03-02T21:00Z"));
  ASSERT_TRUE(its.ok());
  ASSERT_EQ(its->size(), 2u);
  EXPECT_EQ((*its)[0].duration().count(), 6 * 3600);
  EXPECT_EQ((*its)[1].duration().count(), 27 * 3600);
  EXPECT_EQ((*its)[1].legs[1].note, "crossing closed");
}

TEST(BookableScenario, SetPortDwell) {
  Fixture f(port("0", "30"));
  f.apply("[[measures]]\ntype = \"set_port_dwell\"\nlocation = \"p\"\nmedian_h = 30\np90_h = 40\n");
  EXPECT_EQ(format_instant_utc(f.plan(f.query("p", "q", "2026-03-01T12:00Z"))->front().arrive), "2026-03-10T01:00:00Z");
}

// The train's 40-ft through-rate to 450 USD and the wagons to 0.3 USD per
// TEU-km (600 USD a to b).
TEST(BookableScenario, SetTariffOnAThroughRateAndARailProduct) {
  Fixture f(train_and_wagons());
  f.apply(
      "[[measures]]\ntype = \"set_tariff\"\nservice = \"s1\"\ntariff_per_feu = 450\n"
      "[[measures]]\ntype = \"set_tariff\"\nrail_product = \"kz\"\ntariff_per_teu_km = 0.3\n");
  auto its = f.plan(f.query("a", "b", "2026-03-02T00:00Z"));
  ASSERT_TRUE(its.ok());
  ASSERT_EQ(its->size(), 2u);
  EXPECT_EQ((*its)[0].cost_usd_cents, 60000);
  EXPECT_EQ((*its)[1].cost_usd_cents, 45000);
}

// A daily train with a 1-hour cut-off at 80 USD per FEU beside the weekly one.
TEST(BookableScenario, AddServiceWithCutOffAndFeuRate) {
  Fixture f(with(make_files("a,A,,KZ,terminal,43,76,Asia/Almaty,0,0,USD,t\n"
                            "b,B,,KZ,terminal,43,77,Asia/Almaty,0,0,USD,t\n",
                            "ab,a,b,rail,500,1520,50,0,0,USD,,,true,open,t\n"),
                 "services.csv", kServicesFull + "s1,Block train,rail,KTZ,a;b,Mon,10:00,0;10,100,100,USD,t,2,,\n"));
  f.apply(
      "[[measures]]\ntype = \"add_service\"\nid = \"s2\"\nname = \"Daily\"\nmode = \"rail\"\nstops = [\"a\", \"b\"]\n"
      "days = \"daily\"\ndepart_local = \"10:00\"\nstop_offsets_h = [0, 10]\ntariff_per_unit = 50\ncurrency = \"USD\"\n"
      "cutoff_h = 1\ntariff_per_feu = 80\n");
  // Tuesday 03:30Z is 08:30 local: the daily train's cut-off is 09:00.
  auto its = f.plan(f.query("a", "b", "2026-03-03T03:30Z"));
  ASSERT_TRUE(its.ok());
  EXPECT_EQ(format_instant_utc(its->front().arrive), "2026-03-03T15:00:00Z");
  EXPECT_EQ(its->front().cost_usd_cents, 8000);
  EXPECT_EQ(format_instant_utc(f.plan(f.query("a", "b", "2026-03-03T04:01Z"))->front().arrive), "2026-03-04T15:00:00Z");
}

TEST(BookableScenario, MeasuresOnTheNewFiguresAreChecked) {
  Fixture f(classes());
  auto errors = [&](const std::string& body) {
    auto sc = parse_scenario("name = \"t\"\n" + body, "t.toml", f.net);
    return sc.ok() ? std::string() : to_string(sc.errors());
  };
  EXPECT_EQ(
      errors("[[measures]]\ntype = \"set_hours\"\ncrossing = \"road-x\"\nhours = \"24/7\"\nexit_open = \"24/7\"\n"),
      "t.toml:2: set_hours: hours and exit_open/entry_open together (expected hours for both sides, or the sides)");
  EXPECT_EQ(
      errors("[[measures]]\ntype = \"set_clearance\"\ncrossing = \"road-x\"\nclass = \"block_train\"\n"
             "median_h = 1\np90_h = 2\n"),
      "t.toml:5: class block_train on a road crossing (expected block_train or rail on a rail crossing, truck on a "
      "road crossing)");
  EXPECT_EQ(errors("[[measures]]\ntype = \"set_port_dwell\"\nlocation = \"a\"\nmedian_h = 1\np90_h = 2\n"),
            "t.toml:4: location \"a\" is a terminal (expected a seaport)");
  EXPECT_EQ(errors("[[measures]]\ntype = \"set_tariff\"\nrail_product = \"CN-wagons\"\ncost = 3\n"),
            "t.toml:2: set_tariff: expected tariff_per_teu_km or tariff_per_teu_km_eastbound for a rail product\n"
            "t.toml:5: key \"cost\" does not apply to a rail product");
}

// ---------------------------------------------------------------------------
// The per-request budget.
TEST(Bookable, BudgetStopsTheSearchWithAClearError) {
  Fixture f(train_and_wagons());
  RouteQuery q = f.query("a", "b", "2026-03-02T00:00Z");
  q.budget.max_labels = 1;
  auto labels = f.plan(q);
  ASSERT_FALSE(labels.ok());
  EXPECT_EQ(labels.error().code, ErrorCode::kOverBudget);
  std::atomic<bool> cancel{true};
  RouteQuery c = f.query("a", "b", "2026-03-02T00:00Z");
  c.budget.cancel = &cancel;
  // The flag is read before any work (and then every 1,024 labels): a search
  // that starts cancelled stops at once, however small.
  auto cancelled = f.plan(c);
  ASSERT_FALSE(cancelled.ok());
  EXPECT_EQ(cancelled.error().code, ErrorCode::kDeadline);
  cancel = false;
  EXPECT_TRUE(f.plan(c).ok());
  cancel = true;
  StageModel model(*f.index);
  MonteCarloOptions mc;
  mc.samples = 2000;
  mc.threads = 1;
  mc.budget.cancel = &cancel;
  auto reliable = plan_reliable(*f.planner, model, c, mc);
  ASSERT_FALSE(reliable.ok());
  EXPECT_EQ(reliable.error().code, ErrorCode::kDeadline);
  EXPECT_EQ(reliable.error().message, "the request was cancelled");
}

}  // namespace
}  // namespace caravan
