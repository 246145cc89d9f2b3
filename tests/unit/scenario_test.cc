// Scenarios: parsing with file:line errors, each measure's effect on a small
// network worked out by hand, and compare() on a two-place matrix.
#include "caravan/scenario.h"

#include <gtest/gtest.h>

#include "caravan/matrix.h"
#include "caravan/route.h"
#include "caravan/stochastic.h"
#include "test_network.h"

namespace caravan {
namespace {

using testing::load_or_fail;
using testing::make_files;

Instant at(const char* iso) { return *parse_instant(iso); }

//   x --road 100 km @ 50 (2 h)--> cn |cn-kz: 2 h clearance, 50 USD a truck, 24/7| kz --road 100 km @ 50, 0.2 KZT a
//   truck-km--> y x --road 100 km @ 100 (1 h), planned--> cn   kz |kz-cn: 4 h clearance| cn   (the way back)
// Ready 2026-03-02 09:00Z, 1 FEU on one truck: at cn 11:00, cleared 13:00, at y 15:00 — 6 h;
// cost 50 USD + 100 km x 0.2 KZT = 50 USD + 20 KZT (0.04 USD at 500 KZT/USD).
DatasetFiles corridor(const char* hours = "24/7") {
  return make_files(
      "x,X,,CN,city,44,79,Asia/Shanghai,0,0,USD,t\n"
      "cn,Post CN,,CN,bcp,44,80,Asia/Shanghai,0,0,USD,t\n"
      "kz,Post KZ,,KZ,bcp,44,80.1,Asia/Almaty,0,0,USD,t\n"
      "y,Y,,KZ,city,44,81,Asia/Almaty,0,0,USD,t\n",
      "x-cn,x,cn,road,100,,50,0,0,USD,,,true,open,t\n"
      "x-cn-fast,x,cn,road,100,,100,0,0,USD,,,true,planned,t\n"
      "kz-y,kz,y,road,100,,50,0.2,0,KZT,,,true,open,t\n",
      std::string("cn-kz,cn,kz,road,2,4,50,USD,") + hours + "," + hours + ",false,,,,t\n" +
          "kz-cn,kz,cn,road,4,8,50,USD,24/7,24/7,false,,,,t\n");
}

struct Corridor {
  Network net;
  explicit Corridor(const DatasetFiles& f) : net(load_or_fail(f)) {}

  Result<Scenario> parse(const std::string& body) const {
    return parse_scenario("name = \"t\"\n" + body, "t.toml", net);
  }

  // Plans x -> y by time with the scenario applied; fails the test on bad input.
  Result<std::vector<Itinerary>> plan(const std::string& body, const char* depart = "2026-03-02T09:00Z",
                                      std::unique_ptr<Overlay>* keep = nullptr) const {
    std::vector<Scenario> scs;
    if (!body.empty()) {
      auto sc = parse(body);
      EXPECT_TRUE(sc.ok()) << (sc.ok() ? "" : to_string(sc.errors()));
      if (!sc.ok()) return sc.errors();
      scs.push_back(*sc);
    }
    auto ov = Overlay::build(net, scs);
    EXPECT_TRUE(ov.ok());
    auto owned = std::make_unique<Overlay>(std::move(*ov));
    RouteIndex index(net, owned.get());
    Planner planner(index);
    RouteQuery q;
    q.from = net.find_location("x");
    q.to = net.find_location("y");
    q.depart = at(depart);
    q.objective = Objective::kTime;
    auto r = planner.plan(q);
    if (keep != nullptr) *keep = std::move(owned);
    return r;
  }
};

double hours_of(const Result<std::vector<Itinerary>>& r) { return to_hours(r->front().duration()); }

TEST(ScenarioEffect, BaseCorridorAsWorkedOut) {
  Corridor r(corridor());
  auto its = r.plan("");
  ASSERT_TRUE(its.ok());
  EXPECT_EQ(hours_of(its), 6.0);
  EXPECT_EQ(its->front().cost_usd_cents, 5000 + 4);
}

TEST(ScenarioEffect, SetClearanceShortensTheBorder) {
  Corridor r(corridor());
  auto its = r.plan("[[measures]]\ntype = \"set_clearance\"\ncrossing = \"cn-kz\"\nmedian_h = 0.5\np90_h = 1\n");
  ASSERT_TRUE(its.ok());
  EXPECT_EQ(hours_of(its), 4.5);  // 2 + 0.5 + 2
}

TEST(ScenarioEffect, SetHoursToAlwaysOpenRemovesTheNightWait) {
  // Posts open 09:00-18:00 local: CN 01:00-10:00Z, KZ 04:00-13:00Z. At the
  // border 11:00Z, both open again at 04:00Z next day: 2 + 17 + 2 + 2 = 23 h.
  Corridor r(corridor("09:00-18:00"));
  auto base = r.plan("");
  ASSERT_TRUE(base.ok());
  EXPECT_EQ(hours_of(base), 23.0);
  auto open = r.plan("[[measures]]\ntype = \"set_hours\"\ncrossing = \"cn-kz\"\nhours = \"24/7\"\n");
  ASSERT_TRUE(open.ok());
  EXPECT_EQ(hours_of(open), 6.0);
  // Only the exit side 24/7: the KZ post is open at 11:00Z (04:00-13:00Z), so no wait either.
  auto exit_only = r.plan("[[measures]]\ntype = \"set_hours\"\ncrossing = \"cn-kz\"\nexit_open = \"24/7\"\n");
  ASSERT_TRUE(exit_only.ok());
  EXPECT_EQ(hours_of(exit_only), 6.0);
}

TEST(ScenarioEffect, OpenLinkUsesAPlannedLink) {
  Corridor r(corridor());
  auto its = r.plan("[[measures]]\ntype = \"open_link\"\nlink = \"x-cn-fast\"\n");
  ASSERT_TRUE(its.ok());
  EXPECT_EQ(hours_of(its), 5.0);  // 1 + 2 + 2
  EXPECT_EQ(r.net.links[its->front().legs.front().link].id, "x-cn-fast");
}

TEST(ScenarioEffect, CloseLinkCutsTheOnlyWay) {
  Corridor r(corridor());
  auto its = r.plan("[[measures]]\ntype = \"close_link\"\nlink = \"kz-y\"\n");
  ASSERT_FALSE(its.ok());
  EXPECT_EQ(its.error().code, ErrorCode::kNoRoute);
}

TEST(ScenarioEffect, ClosedLocationHoldsCargoUntilItReopens) {
  // kz shut from 10:00Z to 10:00Z next day: the crossing into it cannot start
  // at 11:00Z; it starts at 10:00Z on the 3rd, clears at 12:00Z, y at 14:00Z: 29 h.
  Corridor r(corridor());
  auto its = r.plan(
      "[[measures]]\ntype = \"close_location\"\nlocation = \"kz\"\nfrom = \"2026-03-02T10:00Z\"\nuntil = "
      "2026-03-03T10:00:00Z\n");
  ASSERT_TRUE(its.ok());
  EXPECT_EQ(hours_of(its), 29.0);
  EXPECT_EQ(its->front().legs[1].kind, LegKind::kWait);
  EXPECT_EQ(its->front().legs[1].note, "closed by scenario");
  // Ready after the window: no effect.
  auto later = r.plan(
      "[[measures]]\ntype = \"close_location\"\nlocation = \"kz\"\nfrom = \"2026-03-02T10:00Z\"\nuntil = "
      "2026-03-03T10:00:00Z\n",
      "2026-03-03T09:00Z");
  ASSERT_TRUE(later.ok());
  EXPECT_EQ(hours_of(later), 6.0);
}

TEST(ScenarioEffect, SetTariffChangesCrossingAndLinkCharges) {
  Corridor r(corridor());
  auto fee = r.plan("[[measures]]\ntype = \"set_tariff\"\ncrossing = \"cn-kz\"\ncost = 80\n");
  ASSERT_TRUE(fee.ok());
  EXPECT_EQ(fee->front().cost_usd_cents, 8000 + 4);  // one truck x 80 USD
  auto link = r.plan("[[measures]]\ntype = \"set_tariff\"\nlink = \"kz-y\"\ntariff_per_unit_km = 0.5\n");
  ASSERT_TRUE(link.ok());
  EXPECT_EQ(link->front().cost_by_currency.amount(*Currency::parse("KZT")), 5000);  // 100 km x 0.5 = 50 KZT
  EXPECT_EQ(link->front().cost_usd_cents, 5000 + 10);
}

TEST(ScenarioEffect, SetFxChangesOnlyTheConversion) {
  Corridor r(corridor());
  auto base = r.plan("");
  auto fx = r.plan("[[measures]]\ntype = \"set_fx\"\ncurrency = \"KZT\"\nper_usd = 250\n");
  ASSERT_TRUE(base.ok() && fx.ok());
  const Currency kzt = *Currency::parse("KZT");
  // 20 KZT charged either way; 0.04 USD at 500, 0.08 USD at 250.
  EXPECT_EQ(base->front().cost_by_currency.amount(kzt), 2000);
  EXPECT_EQ(fx->front().cost_by_currency.amount(kzt), 2000);
  EXPECT_EQ(fx->front().cost_by_currency.amount(Currency::usd()),
            base->front().cost_by_currency.amount(Currency::usd()));
  EXPECT_EQ(fx->front().cost_usd_cents - base->front().cost_usd_cents, 4);
  EXPECT_EQ(fx->front().duration(), base->front().duration());
  EXPECT_EQ(r.net.fx.per_usd(kzt), 500);  // the base network is untouched
}

TEST(ScenarioEffect, SetCapacityIsRecordedWithoutChangingRoutes) {
  Corridor r(corridor());
  std::unique_ptr<Overlay> ov;
  auto its =
      r.plan("[[measures]]\ntype = \"set_capacity\"\ncrossing = \"cn-kz\"\ncapacity = 300\n", "2026-03-02T09:00Z", &ov);
  ASSERT_TRUE(its.ok());
  EXPECT_EQ(hours_of(its), 6.0);  // the planner does not model capacity
  EXPECT_EQ(ov->crossing(r.net.crossing_by_id.at("cn-kz")).capacity_teu_per_day, 300u);
  EXPECT_EQ(r.net.crossings[r.net.crossing_by_id.at("cn-kz")].capacity_teu_per_day, 0u);
}

//   a ==ferry f1 (Mon 10:00 Baku time, 20 h)==> b
DatasetFiles ferry() {
  return make_files(
      "a,Port A,,AZ,seaport,40,50,Asia/Baku,0,0,USD,t\n"
      "b,Port B,,AZ,seaport,40,51,Asia/Baku,0,0,USD,t\n",
      "ab,a,b,ferry,300,,15,0,0,USD,,,true,open,t\n", "",
      "f1,Weekly ferry,ferry,ASCO,a;b,Mon,10:00,0;20,50,300,USD,t\n");
}

Result<std::vector<Itinerary>> plan_ferry(const Network& net, const std::string& body, std::unique_ptr<Overlay>& ov,
                                          std::unique_ptr<RouteIndex>& index) {
  auto sc = parse_scenario("name = \"t\"\n" + body, "t.toml", net);
  EXPECT_TRUE(sc.ok()) << (sc.ok() ? "" : to_string(sc.errors()));
  auto built = Overlay::build(net, {*sc});
  EXPECT_TRUE(built.ok()) << (built.ok() ? "" : to_string(built.errors()));
  ov = std::make_unique<Overlay>(std::move(*built));
  index = std::make_unique<RouteIndex>(net, ov.get());
  Planner planner(*index);
  RouteQuery q;
  q.from = net.find_location("a");
  q.to = net.find_location("b");
  q.depart = at("2026-03-03T00:00Z");  // a Tuesday: the weekly ferry left yesterday
  q.objective = Objective::kTime;
  return planner.plan(q);
}

TEST(ScenarioEffect, SetFrequencyToDailyCutsTheWeeklyWait) {
  Network net = load_or_fail(ferry());
  std::unique_ptr<Overlay> ov;
  std::unique_ptr<RouteIndex> index;
  auto its = plan_ferry(net, "[[measures]]\ntype = \"set_frequency\"\nservice = \"f1\"\ndays = \"daily\"\n", ov, index);
  ASSERT_TRUE(its.ok());
  // Without the measure: Monday 03-09 06:00Z + 20 h. Daily: 03-03 06:00Z + 20 h.
  EXPECT_EQ(format_instant_utc(its->front().arrive), "2026-03-04T02:00:00Z");
  EXPECT_EQ(net.services[ServiceIdx(0)].weekdays, 1u);  // base unchanged
}

TEST(ScenarioEffect, AddServiceRunsANewFerry) {
  Network net = load_or_fail(ferry());
  std::unique_ptr<Overlay> ov;
  std::unique_ptr<RouteIndex> index;
  auto its =
      plan_ferry(net,
                 "[[measures]]\ntype = \"add_service\"\nid = \"f2\"\nname = \"Fast ferry\"\nmode = \"ferry\"\n"
                 "stops = [\"a\", \"b\"]\ndays = \"Tue;Wed\"\ndepart_local = \"12:00\"\nstop_offsets_h = [0, 10]\n"
                 "tariff_per_unit = 100\ncurrency = \"USD\"\n",
                 ov, index);
  ASSERT_TRUE(its.ok());
  // Tuesday 12:00 Baku = 08:00Z, 10 h crossing.
  const Itinerary& it = its->front();
  EXPECT_EQ(format_instant_utc(it.arrive), "2026-03-03T18:00:00Z");
  EXPECT_EQ(index->service(it.legs.back().service).id, "f2");
  EXPECT_EQ(it.cost_usd_cents, 2 * 10000);
  EXPECT_EQ(index->service(it.legs.back().service).stop_km.back().km(), 300);
}

TEST(ScenarioEffect, SetPunctualityGivesTheServiceItsDelayDistribution) {
  Network net = load_or_fail(ferry());
  std::unique_ptr<Overlay> ov;
  std::unique_ptr<RouteIndex> index;
  auto its =
      plan_ferry(net,
                 "[[measures]]\ntype = \"set_punctuality\"\nservice = \"f1\"\ndelay_median_h = 1\ndelay_p90_h = 3\n",
                 ov, index);
  ASSERT_TRUE(its.ok());
  StageModel model(*index);
  EXPECT_EQ(model.service_delay_origin(ServiceIdx(0)), StageOrigin::kScenario);
  EXPECT_NEAR(model.service_delay(ServiceIdx(0)).quantile(0.5), 1, 1e-9);
  EXPECT_NEAR(model.service_delay(ServiceIdx(0)).quantile(0.9), 3, 1e-9);
  RouteIndex base_index(net);
  StageModel plain(base_index);
  EXPECT_EQ(plain.service_delay_origin(ServiceIdx(0)), StageOrigin::kDefault);
}

TEST(ScenarioEffect, ScenariosComposeInOrder) {
  Network net = load_or_fail(corridor());
  auto a = parse_scenario(
      "name = \"a\"\n[[measures]]\ntype = \"set_clearance\"\ncrossing = \"cn-kz\"\nmedian_h = 1\np90_h = 2\n", "a.toml",
      net);
  auto b = parse_scenario(
      "name = \"b\"\n[[measures]]\ntype = \"set_clearance\"\ncrossing = \"cn-kz\"\nmedian_h = 3\np90_h = 4\n", "b.toml",
      net);
  ASSERT_TRUE(a.ok() && b.ok());
  auto ab = Overlay::build(net, {*a, *b});
  auto ba = Overlay::build(net, {*b, *a});
  ASSERT_TRUE(ab.ok() && ba.ok());
  CrossingIdx c = net.crossing_by_id.at("cn-kz");
  EXPECT_EQ(ab->crossing(c).clearance_median, hours(3));
  EXPECT_EQ(ba->crossing(c).clearance_median, hours(1));
  EXPECT_EQ(ab->scenario_ids(), (std::vector<std::string>{"a", "b"}));
}

// ---------------------------------------------------------------------------
// Parse errors: file:line and exact text.

struct ParseErrors : ::testing::Test {
  Network net = load_or_fail(corridor());
  std::string errors(const std::string& text) {
    auto sc = parse_scenario(text, "t.toml", net);
    EXPECT_FALSE(sc.ok());
    return sc.ok() ? "" : to_string(sc.errors());
  }
};

TEST_F(ParseErrors, UnknownKeyNamesTheLineAndTheKeysExpected) {
  EXPECT_EQ(errors("name = \"t\"\n"
                   "[[measures]]\n"
                   "type = \"set_clearance\"\n"
                   "crossing = \"cn-kz\"\n"
                   "median = 1.0\n"
                   "p90_h = 2.0\n"),
            "t.toml:2: set_clearance: missing key \"median_h\"\n"
            "t.toml:5: unknown key \"median\" in set_clearance (expected type, crossing, median_h, p90_h, class, "
            "source or note)");
  EXPECT_EQ(errors("name = \"t\"\nowner = \"me\"\n[[measures]]\ntype = \"close_link\"\nlink = \"kz-y\"\n"),
            "t.toml:2: unknown key \"owner\" (expected id, name, description, source, sources or measures)");
}

TEST_F(ParseErrors, UnknownIdIsNotFound) {
  auto sc = parse_scenario("name = \"t\"\n[[measures]]\ntype = \"close_link\"\nlink = \"nowhere\"\n", "t.toml", net);
  ASSERT_FALSE(sc.ok());
  EXPECT_EQ(sc.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(sc.error().to_string(), "t.toml:4: unknown link \"nowhere\" (expected a link id of links.csv)");
  EXPECT_EQ(errors("name = \"t\"\nsource = [\"t\", \"nope\"]\n[[measures]]\ntype = \"close_link\"\nlink = \"kz-y\"\n"),
            "t.toml:2: unknown source \"nope\" (expected an id of sources.csv or of the file's [[sources]])");
}

TEST_F(ParseErrors, BadTypeSaysWhatWasExpected) {
  EXPECT_EQ(errors("name = \"t\"\n[[measures]]\ntype = \"set_clearance\"\ncrossing = \"cn-kz\"\nmedian_h = "
                   "\"six\"\np90_h = 8\n"),
            "t.toml:5: key \"median_h\": expected a number");
  EXPECT_EQ(errors("name = \"t\"\n[[measures]]\ntype = \"close_link\"\nlink = 7\n"),
            "t.toml:4: key \"link\": expected a string");
  EXPECT_EQ(errors("name = \"t\"\n[[measures]]\ntype = \"widen_road\"\n"),
            "t.toml:3: unknown measure type \"widen_road\" (expected set_clearance, set_hours, open_link, close_link, "
            "open_crossing, close_location, close_crossing, add_service, set_frequency, set_punctuality, set_capacity, "
            "set_port_dwell, set_tariff or set_fx)");
}

TEST_F(ParseErrors, BadWindowIsRejected) {
  EXPECT_EQ(errors("name = \"t\"\n[[measures]]\ntype = \"close_location\"\nlocation = \"kz\"\n"
                   "from = \"2026-03-02T00:00Z\"\nuntil = \"2026-03-01T00:00Z\"\n"),
            "t.toml:6: until 2026-03-01T00:00:00Z is not after from 2026-03-02T00:00:00Z (expected a window with from "
            "< until)");
  std::string bad = errors(
      "name = \"t\"\n[[measures]]\ntype = \"close_location\"\nlocation = \"kz\"\n"
      "from = \"yesterday\"\nuntil = \"2026-03-01T00:00Z\"\n");
  EXPECT_EQ(bad.rfind("t.toml:5: key \"from\": ", 0), 0u) << bad;
}

TEST_F(ParseErrors, ImpossibleValuesAreRejected) {
  EXPECT_EQ(
      errors("name = \"t\"\n[[measures]]\ntype = \"set_clearance\"\ncrossing = \"cn-kz\"\nmedian_h = 5\np90_h = 2\n"),
      "t.toml:6: p90_h 2 is below median_h 5 (expected p90_h >= median_h)");
  EXPECT_EQ(errors("name = \"t\"\n[[measures]]\ntype = \"set_hours\"\ncrossing = \"cn-kz\"\nhours = \"always\"\n")
                .rfind("t.toml:5: key \"hours\": ", 0),
            0u);
  EXPECT_EQ(errors("name = \"t\"\n"), "t.toml:1: no measures (expected at least one [[measures]] table)");
}

TEST_F(ParseErrors, TomlSyntaxErrorCarriesTheLine) {
  std::string e = errors("name = \"t\"\n[[measures]]\ntype = \n");
  EXPECT_EQ(e.rfind("t.toml:3: ", 0), 0u) << e;
}

TEST_F(ParseErrors, MissingFileIsNotFound) {
  auto sc = load_scenario_file("/nonexistent/green.toml", net);
  ASSERT_FALSE(sc.ok());
  EXPECT_EQ(sc.error().code, ErrorCode::kNotFound);
}

TEST_F(ParseErrors, ServiceThatCannotRunFailsAtBuildWithItsLine) {
  auto sc = parse_scenario(
      "name = \"t\"\n[[measures]]\ntype = \"add_service\"\nid = \"s\"\nname = \"S\"\nmode = \"rail\"\nstops = [\"x\", "
      "\"cn\"]\n"
      "days = \"daily\"\ndepart_local = \"08:00\"\nstop_offsets_h = [0, 2]\ntariff_per_unit = 1\ncurrency = \"USD\"\n",
      "t.toml", net);
  ASSERT_TRUE(sc.ok()) << to_string(sc.errors());
  auto ov = Overlay::build(net, {*sc});
  ASSERT_FALSE(ov.ok());
  EXPECT_EQ(
      ov.error().to_string(),
      "t.toml:2: service s: no open rail link path from x to cn (expected stops joined by open links of its mode)");
}

// ---------------------------------------------------------------------------
// compare() by hand: places x and y.
//   base: x->y 6 h (2 + 2 + 2), y->x 8 h (2 + 4 + 2)
//   scenario: cn-kz clearance 1 h, kz-cn 6 h -> x->y 5 h (-1), y->x 10 h (+2)
TEST(Compare, WinnersLosersAndMeansByHand) {
  Network net = load_or_fail(corridor());
  auto sc = parse_scenario(
      "name = \"t\"\n[[measures]]\ntype = \"set_clearance\"\ncrossing = \"cn-kz\"\nmedian_h = 1\np90_h = 2\n"
      "[[measures]]\ntype = \"set_clearance\"\ncrossing = \"kz-cn\"\nmedian_h = 6\np90_h = 8\n",
      "t.toml", net);
  ASSERT_TRUE(sc.ok());
  auto ov = Overlay::build(net, {*sc});
  ASSERT_TRUE(ov.ok());
  RouteIndex base_index(net), index(net, &*ov);
  std::vector<LocationIdx> places = {net.find_location("x"), net.find_location("y")};
  MatrixOptions o;
  o.depart = at("2026-03-02T09:00Z");
  o.samples = 200;
  o.objective = Objective::kTime;  // winners and losers by hours
  auto base = compute_matrix(base_index, places, o);
  auto with = compute_matrix(index, places, o);
  ASSERT_TRUE(base.ok() && with.ok());
  ASSERT_EQ(base->cells.size(), 2u);
  EXPECT_EQ(base->find(places[0], places[1])->hours, 6.0);
  EXPECT_EQ(base->find(places[1], places[0])->hours, 8.0);
  EXPECT_TRUE(base->cells[0].p95_hours.has_value());

  std::vector<DemandRow> demand = {{places[0], places[1], 300}, {places[1], places[0], 100}};
  Comparison c = compare(*base, *with, &demand);
  ASSERT_EQ(c.winners.size(), 1u);
  ASSERT_EQ(c.losers.size(), 1u);
  EXPECT_EQ(c.pairs[c.winners[0]].base.from, places[0]);
  EXPECT_EQ(c.pairs[c.winners[0]].delta_hours(), -1.0);
  EXPECT_EQ(c.pairs[c.losers[0]].delta_hours(), 2.0);
  EXPECT_DOUBLE_EQ(c.equal_weights.hours, 0.5);  // (-1 + 2) / 2
  EXPECT_EQ(c.equal_weights.weight, 2.0);
  EXPECT_DOUBLE_EQ(c.equal_weights.cost_usd, 0.0);
  ASSERT_TRUE(c.by_demand.has_value());
  EXPECT_DOUBLE_EQ(c.by_demand->hours, -0.25);  // (300 x -1 + 100 x 2) / 400
  EXPECT_EQ(c.by_demand->weight, 400.0);
  EXPECT_TRUE(c.connected.empty());
  EXPECT_TRUE(c.disconnected.empty());

  // By generalized cost at 10 USD per box-hour (one FEU): the same routes, so
  // x->y gains 10 USD and y->x loses 20 USD; the fees do not change.
  o.objective = Objective::kGeneralized;
  o.value_of_time_usd = 10;
  o.samples = 0;
  auto gbase = compute_matrix(base_index, places, o);
  auto gwith = compute_matrix(index, places, o);
  ASSERT_TRUE(gbase.ok() && gwith.ok());
  Comparison g = compare(*gbase, *gwith, nullptr);
  ASSERT_EQ(g.winners.size(), 1u);
  ASSERT_EQ(g.losers.size(), 1u);
  EXPECT_DOUBLE_EQ(g.pairs[g.winners[0]].delta(Objective::kGeneralized), -10.0);
  EXPECT_DOUBLE_EQ(g.pairs[g.losers[0]].delta(Objective::kGeneralized), 20.0);
  EXPECT_DOUBLE_EQ(g.equal_weights.generalized_cost_usd, 5.0);  // (-10 + 20) / 2
}

TEST(Compare, ClosingTheOnlyLinkDisconnectsAndTheMatrixIsThreadCountFree) {
  Network net = load_or_fail(corridor());
  auto sc = parse_scenario("name = \"t\"\n[[measures]]\ntype = \"close_link\"\nlink = \"kz-y\"\n", "t.toml", net);
  ASSERT_TRUE(sc.ok());
  auto ov = Overlay::build(net, {*sc});
  RouteIndex base_index(net), index(net, &*ov);
  std::vector<LocationIdx> places = {net.find_location("x"), net.find_location("y"), net.find_location("kz")};
  MatrixOptions o;
  o.depart = at("2026-03-02T09:00Z");
  o.samples = 100;
  o.threads = 1;
  auto one = compute_matrix(base_index, places, o);
  o.threads = 4;
  auto four = compute_matrix(base_index, places, o);
  ASSERT_TRUE(one.ok() && four.ok());
  for (std::size_t k = 0; k < one->cells.size(); ++k) {
    EXPECT_EQ(one->cells[k].hours, four->cells[k].hours);
    EXPECT_EQ(one->cells[k].p95_hours, four->cells[k].p95_hours);
  }
  auto with = compute_matrix(index, places, o);
  Comparison c = compare(*one, *with, nullptr);
  EXPECT_EQ(c.disconnected.size(), 4u);  // x->y, y->x, y->kz, kz->y
  EXPECT_FALSE(c.by_demand.has_value());
}

TEST(Demand, ParsesPlacesByNameAndReportsBadRows) {
  Network net = load_or_fail(corridor());
  auto ok = parse_demand_csv("from,to,teu_per_year\nX,Y,1200\n", "d.csv", net);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->front().teu_per_year, 1200);
  auto bad = parse_demand_csv("from,to,teu_per_year\nX,Nowhere,1\nX,Y,lots\n", "d.csv", net);
  ASSERT_FALSE(bad.ok());
  ASSERT_EQ(bad.errors().size(), 2u);
  EXPECT_EQ(bad.errors()[0].line, 2u);
  EXPECT_EQ(bad.errors()[1].to_string(),
            "d.csv:3: column teu_per_year: malformed number \"lots\" (expected a non-negative number)");
}

}  // namespace
}  // namespace caravan

namespace caravan {
namespace {

TEST(ScenarioParse, SourcesMayBeCitedIdsOrNewSourceTables) {
  Network net = load_or_fail(corridor());
  auto ids = parse_scenario("name = \"t\"\nsources = [\"t\"]\n[[measures]]\ntype = \"close_link\"\nlink = \"kz-y\"\n",
                            "dir/my-case.toml", net);
  ASSERT_TRUE(ids.ok()) << to_string(ids.errors());
  EXPECT_EQ(ids->sources, std::vector<std::string>{"t"});
  EXPECT_EQ(ids->id, "my-case");  // no id: the file stem
  EXPECT_EQ(ids->measures.at(0).line, 3u);
  auto tables = parse_scenario(
      "id = \"x\"\nname = \"t\"\nsource = [\"new\"]\n[[sources]]\nid = \"new\"\nkind = \"estimate\"\ntitle = "
      "\"T\"\nnote = \"how\"\n"
      "[[measures]]\ntype = \"close_link\"\nlink = \"kz-y\"\nsource = \"new\"\n",
      "t.toml", net);
  ASSERT_TRUE(tables.ok()) << to_string(tables.errors());
  EXPECT_EQ(tables->id, "x");
  ASSERT_EQ(tables->new_sources.size(), 1u);
  EXPECT_EQ(tables->new_sources[0].kind, SourceKind::kEstimate);
  EXPECT_EQ(tables->measures.at(0).sources, std::vector<std::string>{"new"});
  auto unsourced = parse_scenario(
      "name = \"t\"\n[[sources]]\nid = \"e\"\nkind = \"estimate\"\ntitle = \"T\"\n"
      "[[measures]]\ntype = \"close_link\"\nlink = \"kz-y\"\n",
      "t.toml", net);
  ASSERT_FALSE(unsourced.ok());
  EXPECT_EQ(unsourced.error().to_string(),
            "t.toml:2: [[sources]] e: estimate without a note (expected how it was derived)");
}

}  // namespace
}  // namespace caravan
