// Simulator tests. Each network is drawn above its test; expected waits and
// queues are worked out by hand (deterministic arrivals), from the
// Pollaczek-Khinchine formula (Poisson arrivals), or by the planner itself
// (free-flow times).
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <sstream>

#include "caravan/present.h"
#include "caravan/scenario.h"
#include "caravan/sim.h"
#include "test_network.h"

namespace caravan {
namespace {

using testing::load_or_fail;
using testing::make_files;

Instant at(const char* iso) { return *parse_instant(iso); }

// Monday 2026-03-02 00:00 UTC.
constexpr const char* kMonday = "2026-03-02T00:00:00Z";

struct Fixture {
  Network net;
  std::unique_ptr<Overlay> overlay;
  std::unique_ptr<RouteIndex> index;

  explicit Fixture(const DatasetFiles& f) : net(load_or_fail(f)) { index = std::make_unique<RouteIndex>(net); }
  LocationIdx loc(const char* id) const { return net.find_location(id); }
  std::vector<DemandRow> lane(const char* from, const char* to, double teu_per_year) const {
    return {DemandRow{loc(from), loc(to), teu_per_year}};
  }
  // Rebuilds the index with a scenario's overlay.
  void apply(const std::string& toml) {
    auto sc = parse_scenario(toml, "test.toml", net);
    ASSERT_TRUE(sc.ok()) << sc.error().to_string();
    auto ov = Overlay::build(net, {*sc});
    ASSERT_TRUE(ov.ok()) << ov.error().to_string();
    overlay = std::make_unique<Overlay>(std::move(*ov));
    index = std::make_unique<RouteIndex>(net, overlay.get());
  }
  SimReport run(const std::vector<DemandRow>& d, const SimOptions& o) const {
    auto r = simulate(*index, d, o);
    EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().to_string());
    return r.ok() ? std::move(*r) : SimReport{};
  }
};

SimOptions regular(const char* start, std::chrono::seconds horizon, std::chrono::seconds warmup = Duration(0)) {
  SimOptions o;
  o.start = at(start);
  o.horizon = horizon;
  o.warmup = warmup;
  o.arrivals = ArrivalProcess::kRegular;
  return o;
}

const ResourceStats* find(const SimReport& r, const std::string& id) {
  for (const ResourceStats& x : r.resources) {
    if (x.id == id) return &x;
  }
  return nullptr;
}

//   cn |road crossing, 24/7, clearance 2 h, capacity C TEU/day| kz
std::string crossing_row(const std::string& capacity) {
  return "x1,cn,kz,road,2,4,0,USD,24/7,24/7,false,0,0," + capacity + ",t\n";
}
DatasetFiles one_crossing(const std::string& capacity) {
  return make_files(
      "cn,Post CN,,CN,bcp,44,80,Asia/Shanghai,0,0,USD,t\n"
      "kz,Post KZ,,KZ,bcp,44,80.1,Asia/Almaty,0,0,USD,t\n"
      "far,Far away,,KZ,city,50,70,Asia/Almaty,0,0,USD,t\n",
      "", crossing_row(capacity));
}

// One FEU (2 TEU) every 0.1 day: 7300 TEU a year.
constexpr double kTenFeuADay = 10 * 2 * 365;

TEST(Sim, CrossingBelowCapacityHasNoQueue) {
  Fixture f(one_crossing("40"));
  SimReport r = f.run(f.lane("cn", "kz", kTenFeuADay), regular(kMonday, std::chrono::days(10)));
  ASSERT_EQ(r.resources.size(), 1u);
  const ResourceStats& x = r.resources[0];
  EXPECT_EQ(x.id, "x1");
  EXPECT_EQ(x.kind, ResourceKind::kCrossing);
  EXPECT_EQ(x.capacity, 40u);
  EXPECT_EQ(x.shipments, 100u);
  EXPECT_DOUBLE_EQ(x.offered_teu, 200);
  EXPECT_DOUBLE_EQ(x.served_teu, 200);
  // 20 TEU a day offered to 40 a day: busy half the time.
  EXPECT_NEAR(x.utilisation, 0.5, 1e-9);
  EXPECT_DOUBLE_EQ(x.mean_wait_hours, 0);
  EXPECT_DOUBLE_EQ(x.max_queue_teu, 0);
  EXPECT_DOUBLE_EQ(x.backlog_teu, 0);
  ASSERT_EQ(r.lanes.size(), 1u);
  EXPECT_EQ(r.lanes[0].shipments, 100u);
  EXPECT_DOUBLE_EQ(r.lanes[0].mean_hours, 2.0);  // clearance only
  EXPECT_DOUBLE_EQ(r.lanes[0].free_flow_hours, 2.0);
  EXPECT_DOUBLE_EQ(r.lanes[0].mean_delay_hours, 0);
}

// 20 TEU a day offered to 10 a day. Shipment n (0-based) arrives at 0.1 n
// days and is admitted at 0.2 n days (each takes 2/10 day): it waits 0.1 n
// days = 2.4 n hours. Over n = 0..99: mean 2.4 * 49.5 = 118.8 h; p95 (nearest
// rank 95 of 100) is n = 94: 225.6 h. At 9.9 days 100 shipments have arrived
// and n <= 49 are admitted: 50 queue, 100 TEU. At 10 days n <= 50 are
// admitted: 49 queue, 98 TEU. Admitted in the window: n = 0..49, 100 TEU.
TEST(Sim, CrossingAboveCapacityQueueGrowsLinearly) {
  Fixture f(one_crossing("10"));
  SimReport r = f.run(f.lane("cn", "kz", kTenFeuADay), regular(kMonday, std::chrono::days(10)));
  const ResourceStats* x = find(r, "x1");
  ASSERT_NE(x, nullptr);
  EXPECT_EQ(x->shipments, 100u);
  EXPECT_NEAR(x->mean_wait_hours, 118.8, 1e-6);
  EXPECT_NEAR(x->p95_wait_hours, 225.6, 1e-6);
  EXPECT_DOUBLE_EQ(x->max_queue_teu, 100);
  EXPECT_DOUBLE_EQ(x->backlog_teu, 98);
  EXPECT_DOUBLE_EQ(x->offered_teu, 200);
  EXPECT_DOUBLE_EQ(x->served_teu, 100);
  EXPECT_NEAR(x->utilisation, 1.0, 1e-9);
  const LaneStats& l = r.lanes[0];
  EXPECT_NEAR(l.mean_hours, 2 + 118.8, 1e-6);
  EXPECT_NEAR(l.free_flow_hours, 2, 1e-9);
  EXPECT_NEAR(l.mean_delay_hours, 118.8, 1e-6);
  // Every shipment is followed to the end: the last (n = 99) is admitted at
  // 19.8 days and cleared 2 h later.
  EXPECT_EQ(format_instant_utc(r.drained), "2026-03-21T21:12:00Z");
}

// With a 5-day warm-up only n = 50..99 count: mean wait 2.4 * 74.5 = 178.8 h.
TEST(Sim, WarmupReleasesAreSimulatedButNotCounted) {
  Fixture f(one_crossing("10"));
  SimReport r = f.run(f.lane("cn", "kz", kTenFeuADay), regular(kMonday, std::chrono::days(10), std::chrono::days(5)));
  const ResourceStats* x = find(r, "x1");
  ASSERT_NE(x, nullptr);
  EXPECT_EQ(x->shipments, 50u);
  EXPECT_NEAR(x->mean_wait_hours, 178.8, 1e-6);
  EXPECT_EQ(r.lanes[0].shipments, 50u);
  EXPECT_EQ(r.shipments, 100u);
}

// M/D/1: Poisson arrivals of 2 TEU at 7 a day, service 2/20 day = 0.1 day.
// rho = 0.7 and the Pollaczek-Khinchine mean wait in queue is
//   Wq = lambda s^2 / (2 (1 - rho)) = 7 * 0.01 / 0.6 day = 2.8 h.
// Over 20000 days (about 140000 shipments) the sample mean's standard error
// is a few per cent; the tolerance is 12 %.
TEST(Sim, PoissonArrivalsAtACrossingMatchPollaczekKhinchine) {
  Fixture f(one_crossing("20"));
  SimOptions o;
  o.start = at(kMonday);
  o.horizon = std::chrono::days(20000);
  o.warmup = std::chrono::days(50);
  o.seed = 7;
  SimReport r = f.run(f.lane("cn", "kz", 7 * 2 * 365), o);
  const ResourceStats* x = find(r, "x1");
  ASSERT_NE(x, nullptr);
  RecordProperty("mean_wait_hours", std::to_string(x->mean_wait_hours));
  RecordProperty("utilisation", std::to_string(x->utilisation));
  EXPECT_NEAR(x->mean_wait_hours, 2.8, 2.8 * 0.12);
  EXPECT_NEAR(x->utilisation, 0.7, 0.7 * 0.03);
  // Poisson count: mean 7 * 19950, sd about 370.
  EXPECT_NEAR(static_cast<double>(x->shipments), 7.0 * 19950, 4 * 374);
  EXPECT_NEAR(r.lanes[0].mean_delay_hours, x->mean_wait_hours, 1e-6);
}

// Sampled stages: clearance is lognormal with median 2 h and p90 4 h, so
// sigma = ln 2 / z90 = 0.5409 and the mean is 2 exp(sigma^2 / 2) = 2.315 h
// (sd 1.35 h; over 2000 shipments the standard error is 0.03 h). No queue:
// the free-flow walk sees the same draws, so the delay is exactly 0.
TEST(Sim, SampledClearanceHasTheLognormalMean) {
  Fixture f(one_crossing(""));
  SimOptions o = regular(kMonday, std::chrono::days(200));
  o.sample_stages = true;
  SimReport r = f.run(f.lane("cn", "kz", kTenFeuADay), o);
  const double sigma = std::log(2.0) / 1.2815515655446004;
  EXPECT_EQ(r.lanes[0].shipments, 2000u);
  EXPECT_NEAR(r.lanes[0].mean_hours, 2 * std::exp(sigma * sigma / 2), 0.12);
  EXPECT_GT(r.lanes[0].p95_hours, 3.5);  // the lognormal's p95 is 4.88 h
  EXPECT_DOUBLE_EQ(r.lanes[0].mean_delay_hours, 0);
  SimOptions medians = o;
  medians.sample_stages = false;
  EXPECT_DOUBLE_EQ(f.run(f.lane("cn", "kz", kTenFeuADay), medians).lanes[0].p95_hours, 2.0);
}

TEST(Sim, ZeroCapacityMeansNotGivenAndAddsNoQueue) {
  Fixture f(one_crossing(""));
  SimReport r = f.run(f.lane("cn", "kz", 100 * kTenFeuADay), regular(kMonday, std::chrono::days(2)));
  EXPECT_TRUE(r.resources.empty());
  EXPECT_EQ(r.lanes[0].shipments, 2000u);
  EXPECT_DOUBLE_EQ(r.lanes[0].mean_hours, 2.0);
}

TEST(Sim, SetCapacityScenarioRemovesTheQueue) {
  Fixture f(one_crossing("10"));
  f.apply("name = \"more room\"\n[[measures]]\ntype = \"set_capacity\"\ncrossing = \"x1\"\ncapacity = 40\n");
  SimReport r = f.run(f.lane("cn", "kz", kTenFeuADay), regular(kMonday, std::chrono::days(10)));
  const ResourceStats* x = find(r, "x1");
  ASSERT_NE(x, nullptr);
  EXPECT_EQ(x->capacity, 40u);
  EXPECT_DOUBLE_EQ(x->mean_wait_hours, 0);
  EXPECT_DOUBLE_EQ(r.lanes[0].mean_delay_hours, 0);
}

//   x --road 100 km at 50 km/h, capacity 10 TEU/day--> y
// The same queue as at the crossing above: the link admits 10 TEU a day.
TEST(Sim, CapacitatedLinkQueuesLikeACrossing) {
  Fixture f(
      make_files("x,X,,KZ,city,44,70,Asia/Almaty,0,0,USD,t\n"
                 "y,Y,,KZ,city,44,71,Asia/Almaty,0,0,USD,t\n",
                 "xy,x,y,road,100,,50,0,0,USD,,10,false,open,t\n"));
  SimReport r = f.run(f.lane("x", "y", kTenFeuADay), regular(kMonday, std::chrono::days(10)));
  const ResourceStats* x = find(r, "xy");
  ASSERT_NE(x, nullptr);
  EXPECT_EQ(x->kind, ResourceKind::kLink);
  EXPECT_NEAR(x->mean_wait_hours, 118.8, 1e-6);
  EXPECT_NEAR(r.lanes[0].mean_hours, 2 + 118.8, 1e-6);
}

//   a ==ferry f1 (Mon 10:00 Baku = 06:00Z, 20 h, 4 TEU a run)==> b
DatasetFiles weekly_ferry() {
  return make_files(
      "a,Port A,,AZ,seaport,40,50,Asia/Baku,0,0,USD,t\n"
      "b,Port B,,AZ,seaport,40,51,Asia/Baku,0,0,USD,t\n",
      "ab,a,b,ferry,300,,15,0,0,USD,,,true,open,t\n", "",
      "f1,Weekly ferry,ferry,ASCO,a;b,Mon,10:00,0;20,4,300,USD,t\n");
}

// One FEU an hour for three hours: Monday 00:00, 01:00 and 02:00Z. The first
// two fill the 06:00Z run (4 TEU) and arrive Tuesday 02:00Z after 26 and 25
// hours; the third waits a week for the next run (168 h in the queue) and
// arrives after 24 + 168 = 192 hours. Mean 81 h; free-flow 25 h; delay 56 h.
TEST(Sim, FullServiceRunPushesCargoToTheNextWeeklyRun) {
  Fixture f(weekly_ferry());
  SimReport r = f.run(f.lane("a", "b", 24 * 2 * 365), regular(kMonday, std::chrono::hours(3)));
  const ResourceStats* s = find(r, "f1");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->kind, ResourceKind::kService);
  EXPECT_EQ(s->capacity, 4u);
  EXPECT_EQ(s->shipments, 3u);
  EXPECT_DOUBLE_EQ(s->offered_teu, 6);
  EXPECT_NEAR(s->mean_wait_hours, 56, 1e-9);
  EXPECT_NEAR(s->p95_wait_hours, 168, 1e-9);
  const LaneStats& l = r.lanes[0];
  EXPECT_EQ(l.shipments, 3u);
  EXPECT_NEAR(l.mean_hours, 81, 1e-9);
  EXPECT_NEAR(l.free_flow_hours, 25, 1e-9);
  EXPECT_NEAR(l.mean_delay_hours, 56, 1e-9);
  EXPECT_EQ(format_instant_utc(r.drained), "2026-03-10T02:00:00Z");
}

// 21 days of FEUs at one an hour (504) meet 4 TEU a week. Cargo books the
// first run with room when it reaches the port: hours 0-1 take the 2 March run,
// 2-3 the 9 March, 4-5 the 16 March one; every run leaves full (utilisation
// 100 %, 12 TEU served in the window). Cargo queues from the first run that had
// no room for it, so at the end (23 March 00:00Z) the queue holds the
// shipments released at hours 6..342 (up to the 16 March run at 06:00Z):
// 337 FEU, 674 TEU.
TEST(Sim, ServiceRunsLeaveFullUnderOverload) {
  Fixture f(weekly_ferry());
  SimReport r = f.run(f.lane("a", "b", 24 * 2 * 365), regular(kMonday, std::chrono::days(21)));
  const ResourceStats* s = find(r, "f1");
  ASSERT_NE(s, nullptr);
  EXPECT_NEAR(s->utilisation, 1.0, 1e-9);
  EXPECT_DOUBLE_EQ(s->served_teu, 3 * 4);  // three Monday runs in 21 days
  EXPECT_DOUBLE_EQ(s->backlog_teu, 674);
}

TEST(Sim, SetCapacityScenarioLetsTheWholeBatchBoard) {
  Fixture f(weekly_ferry());
  f.apply("name = \"more room\"\n[[measures]]\ntype = \"set_capacity\"\nservice = \"f1\"\ncapacity = 6\n");
  SimReport r = f.run(f.lane("a", "b", 24 * 2 * 365), regular(kMonday, std::chrono::hours(3)));
  EXPECT_NEAR(r.lanes[0].mean_hours, 25, 1e-9);
  EXPECT_NEAR(r.lanes[0].mean_delay_hours, 0, 1e-9);
}

// A shipment bigger than a whole run boards an empty run instead of waiting forever.
TEST(Sim, ShipmentLargerThanARunBoardsAnEmptyRun) {
  Fixture f(weekly_ferry());
  SimOptions o = regular(kMonday, std::chrono::hours(3));
  o.shipment_units = 3;  // 6 TEU against 4 a run
  SimReport r = f.run(f.lane("a", "b", 3 * 24 * 2 * 365), o);
  // Runs on 2, 9 and 16 March carry one shipment each.
  EXPECT_EQ(r.lanes[0].shipments, 3u);
  EXPECT_EQ(format_instant_utc(r.drained), "2026-03-17T02:00:00Z");
}

// The sim recomputes waits with its own timetable rule; with no queue it must
// arrive exactly when the planner says, from any departure time.
TEST(Sim, FreeFlowTransitEqualsThePlannersItinerary) {
  Fixture f(weekly_ferry());
  Planner planner(*f.index);
  for (const char* start :
       {"2026-03-02T00:00:00Z", "2026-03-03T13:00:00Z", "2026-03-09T06:00:00Z", "2026-03-09T07:00:00Z"}) {
    RouteQuery q;
    q.from = f.loc("a");
    q.to = f.loc("b");
    q.depart = at(start);
    q.objective = Objective::kTime;
    auto its = planner.plan(q);
    ASSERT_TRUE(its.ok());
    SimReport r = f.run(f.lane("a", "b", 365), regular(start, std::chrono::hours(1)));
    ASSERT_EQ(r.lanes[0].shipments, 1u) << start;
    EXPECT_DOUBLE_EQ(r.lanes[0].free_flow_hours, to_hours(its->front().duration())) << start;
  }
}

// A block train through a border (ADR 0500): the simulator walks the ride
// with the planner's walker, the border inside it by the block-train class.
//   a ==rail 100 km==> cx |rail crossing: 10 h, block trains 2 h, 40 TEU a day| ky ==rail 100 km==> b
//   train a;cx;ky;b daily 05:00 local CN (21:00Z), running 0;2;2;4 h
// Free flow: 2 + 2 + 2 = 6 h; the crossing's capacity does not queue a ride
// through it, so the crossing is not among the resources.
TEST(Sim, ThroughTrainCrossesTheBorderByItsClass) {
  auto files = make_files(
      "a,A,,CN,terminal,44,78,Asia/Shanghai,0,0,USD,t\n"
      "cx,CN post,,CN,bcp,44,79,Asia/Shanghai,0,0,USD,t\n"
      "ky,KZ post,,KZ,bcp,44,79.1,Asia/Almaty,0,0,USD,t\n"
      "b,B,,KZ,terminal,44,80,Asia/Almaty,0,0,USD,t\n",
      "a-cx,a,cx,rail,100,1435,50,0,0,USD,,,true,open,t\n"
      "ky-b,ky,b,rail,100,1435,50,0,0,USD,,,true,open,t\n",
      "rail-x,cx,ky,rail,10,20,0,USD,24/7,24/7,false,,,40,t\n",
      "s1,Through train,rail,CR,a;cx;ky;b,daily,05:00,0;2;2;4,0,50,USD,t\n");
  files = testing::with(files, "crossing_classes.csv",
                        std::string(testing::kCrossingClassesHeader) + "rail-x,block_train,2,4,,,,,,t\n");
  Fixture f(files);
  SimReport r = f.run(f.lane("a", "b", 365 * 2 * 24), regular("2026-03-02T21:00:00Z", std::chrono::hours(24)));
  ASSERT_EQ(r.lanes[0].shipments, 24u);
  EXPECT_EQ(find(r, "rail-x"), nullptr);
  // Released every hour from 21:00Z: each waits for the next 21:00Z train, 6 h on.
  EXPECT_DOUBLE_EQ(r.lanes[0].free_flow_hours, r.lanes[0].mean_hours);
  Planner planner(*f.index);
  RouteQuery q;
  q.from = f.loc("a");
  q.to = f.loc("b");
  q.depart = at("2026-03-02T21:00:00Z");
  q.objective = Objective::kTime;
  EXPECT_EQ(planner.plan(q)->front().duration().count(), 6 * 3600);
}

// The same on the real dataset: borders with opening hours in several time
// zones, gauge changes, trains and ferries. One shipment per lane, with every
// capacity in force (a single shipment never queues).
TEST(Sim, FreeFlowMatchesThePlannerOnTheDefaultDataset) {
  auto net = load_network(std::filesystem::path(CARAVAN_TEST_DATA_DIR));
  ASSERT_TRUE(net.ok()) << net.error().to_string();
  RouteIndex index(*net);
  Planner planner(index);
  const char* lanes[][2] = {{"xian", "tashkent"}, {"xian", "baku"}, {"urumqi", "almaty"}, {"chongqing", "duisburg"}};
  for (const char* start : {"2026-03-02T00:00:00Z", "2026-03-05T17:00:00Z"}) {
    for (auto& od : lanes) {
      LocationIdx a = net->find_location(od[0]), b = net->find_location(od[1]);
      ASSERT_TRUE(a.valid() && b.valid()) << od[0] << " " << od[1];
      RouteQuery q;
      q.from = a;
      q.to = b;
      q.depart = at(start);
      q.objective = Objective::kTime;
      auto its = planner.plan(q);
      ASSERT_TRUE(its.ok()) << od[0] << " " << od[1];
      auto r = simulate(index, {DemandRow{a, b, 365}}, regular(start, std::chrono::hours(1)));
      ASSERT_TRUE(r.ok()) << r.error().to_string();
      ASSERT_EQ(r->lanes[0].shipments, 1u);
      EXPECT_DOUBLE_EQ(r->lanes[0].mean_hours, to_hours(its->front().duration()))
          << od[0] << " " << od[1] << " " << start;
      EXPECT_DOUBLE_EQ(r->lanes[0].mean_delay_hours, 0);
    }
  }
}

TEST(Sim, SameSeedSameReportForAnyThreadCount) {
  Fixture f(weekly_ferry());
  SimOptions o;
  o.start = at(kMonday);
  o.horizon = std::chrono::days(60);
  o.warmup = std::chrono::days(7);
  o.seed = 3;
  o.threads = 1;
  std::vector<DemandRow> d = f.lane("a", "b", 200);
  std::string one = sim_report_to_json(f.net, {}, f.run(d, o));
  o.threads = 2;
  EXPECT_EQ(sim_report_to_json(f.net, {}, f.run(d, o)), one);
  o.threads = 1;
  EXPECT_EQ(sim_report_to_json(f.net, {}, f.run(d, o)), one);
  o.seed = 4;
  EXPECT_NE(sim_report_to_json(f.net, {}, f.run(d, o)), one);
}

TEST(Sim, LaneWithoutRouteCountsAsUnrouted) {
  Fixture f(one_crossing("10"));
  SimReport r = f.run(f.lane("cn", "far", kTenFeuADay), regular(kMonday, std::chrono::days(1)));
  ASSERT_EQ(r.lanes.size(), 1u);
  EXPECT_EQ(r.lanes[0].unrouted, 10u);
  EXPECT_EQ(r.lanes[0].shipments, 0u);
  EXPECT_TRUE(r.resources.empty());
}

TEST(Sim, RowsNamingTheSameLaneAreAdded) {
  Fixture f(one_crossing("40"));
  std::vector<DemandRow> d = f.lane("cn", "kz", kTenFeuADay / 2);
  d.push_back(d.front());
  SimReport r = f.run(d, regular(kMonday, std::chrono::days(10)));
  ASSERT_EQ(r.lanes.size(), 1u);
  EXPECT_DOUBLE_EQ(r.lanes[0].teu_per_year, kTenFeuADay);
  EXPECT_EQ(r.lanes[0].shipments, 100u);
}

TEST(Sim, BadInputIsAnError) {
  Fixture f(one_crossing("10"));
  SimOptions o = regular(kMonday, std::chrono::days(10));
  auto empty = simulate(*f.index, {}, o);
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.error().message, "demand: no lanes (expected at least one row from,to,teu_per_year)");
  auto self = simulate(*f.index, f.lane("cn", "cn", 10), o);
  ASSERT_FALSE(self.ok());
  EXPECT_EQ(self.error().message, "demand: lane from \"cn\" to itself (expected two different places)");
  auto unknown = simulate(*f.index, {DemandRow{LocationIdx(), f.loc("kz"), 10}}, o);
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.error().message, "demand: unknown place (expected locations of the dataset)");
  auto negative = simulate(*f.index, f.lane("cn", "kz", -1), o);
  ASSERT_FALSE(negative.ok());
  EXPECT_EQ(negative.error().code, ErrorCode::kInvalidInput);
  SimOptions no_units = o;
  no_units.shipment_units = 0;
  EXPECT_FALSE(simulate(*f.index, f.lane("cn", "kz", 10), no_units).ok());
  SimOptions short_horizon = o;
  short_horizon.warmup = std::chrono::days(10);
  auto sh = simulate(*f.index, f.lane("cn", "kz", 10), short_horizon);
  ASSERT_FALSE(sh.ok());
  EXPECT_EQ(sh.error().message, "horizon must be longer than the warm-up (expected days > warm-up days)");
}

TEST(Sim, BoundsStopARunawaySimulationWithAClearError) {
  Fixture f(one_crossing("10"));
  SimOptions o = regular(kMonday, std::chrono::days(10));
  o.max_shipments = 50;
  auto many = simulate(*f.index, f.lane("cn", "kz", kTenFeuADay), o);
  ASSERT_FALSE(many.ok());
  EXPECT_EQ(many.error().message,
            "simulation would release about 100 shipments (expected at most 50: shorten the horizon or ship more units "
            "per shipment)");
  o.max_shipments = 1000;
  o.max_events = 10;
  auto events = simulate(*f.index, f.lane("cn", "kz", kTenFeuADay), o);
  ASSERT_FALSE(events.ok());
  EXPECT_EQ(events.error().message,
            "simulation exceeded 10 events (expected fewer: shorten the horizon or ship more units per shipment)");
}

TEST(Sim, DemandCsvMayCiteSources) {
  Fixture f(one_crossing("10"));
  auto d = parse_demand_csv("from,to,teu_per_year,source\ncn,kz,7300,t\n", "demand.csv", f.net);
  ASSERT_TRUE(d.ok()) << d.error().to_string();
  ASSERT_EQ(d->size(), 1u);
  EXPECT_DOUBLE_EQ(d->front().teu_per_year, 7300);
  auto bad = parse_demand_csv("from,to,teu_per_year\ncn,kz,lots\n", "demand.csv", f.net);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().to_string(),
            "demand.csv:2: column teu_per_year: malformed number \"lots\" (expected a non-negative number)");
}

// The dataset's demand table: every lane resolves and cites sources of the dataset.
TEST(Sim, DefaultDemandTableLoadsAndCitesKnownSources) {
  auto net = load_network(std::filesystem::path(CARAVAN_TEST_DATA_DIR));
  ASSERT_TRUE(net.ok()) << net.error().to_string();
  std::ifstream in(std::string(CARAVAN_TEST_DATA_DIR) + "/demand.csv");
  std::stringstream ss;
  ss << in.rdbuf();
  auto d = parse_demand_csv(ss.str(), "demand.csv", *net);
  ASSERT_TRUE(d.ok()) << d.error().to_string();
  EXPECT_GE(d->size(), 5u);
  std::string line;
  std::getline(ss.seekg(0), line);
  EXPECT_EQ(line, "from,to,teu_per_year,source");
  while (std::getline(ss, line)) {
    std::string cites = line.substr(line.rfind(',') + 1);
    for (std::size_t a = 0; a <= cites.size();) {
      std::size_t b = std::min(cites.find(';', a), cites.size());
      EXPECT_TRUE(net->source_by_id.count(cites.substr(a, b - a))) << cites.substr(a, b - a);
      a = b + 1;
    }
  }
}

TEST(SimPresent, FormatsListResourcesAndLanes) {
  Fixture f(one_crossing("10"));
  SimReport r = f.run(f.lane("cn", "kz", kTenFeuADay), regular(kMonday, std::chrono::days(10)));
  std::string table = sim_report_to_table(f.net, {"demand.csv", {}}, r);
  EXPECT_NE(table.find("x1"), std::string::npos) << table;
  EXPECT_NE(table.find("Post CN → Post KZ"), std::string::npos) << table;
  EXPECT_NE(table.find("118.8"), std::string::npos) << table;
  std::string csv = sim_report_to_csv(f.net, r);
  EXPECT_NE(csv.find("resource,crossing,x1,,,10,200,100,1.0000,100,118.80,225.60,100,98,"), std::string::npos) << csv;
  EXPECT_NE(csv.find("lane,,,cn,kz,"), std::string::npos) << csv;
  std::string json = sim_report_to_json(f.net, {"demand.csv", {}}, r);
  EXPECT_NE(json.find("\"mean_wait_hours\": 118.8"), std::string::npos) << json;
}

}  // namespace
}  // namespace caravan
