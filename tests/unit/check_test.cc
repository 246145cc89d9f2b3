#include <gtest/gtest.h>

#include "caravan/check.h"
#include "test_network.h"

namespace caravan {
namespace {

//   a --road 100 km @ 50--> b     c (isolated)
//   hubs: a, b, c
Network small() {
  auto f = testing::make_files(
      "a,A,,KZ,city,43,76,Asia/Almaty,0,0,USD,t\n"
      "b,B,,KZ,city,43,77,Asia/Almaty,0,0,USD,t\n"
      "c,C,,UZ,city,41,69,Asia/Tashkent,0,0,USD,t\n",
      "ab,a,b,road,100,,50,1,0,USD,,,true,open,t\n"
      "bc,b,a,rail,80,1520,40,1,0,USD,,,false,planned,t\n");
  f.text["dataset.toml"] += "hubs = [\"a\", \"b\", \"c\"]\n";
  return testing::load_or_fail(f);
}

TEST(Check, SummarisesCountsByCountryModeAndSourceKind) {
  Network net = small();
  DatasetSummary s = summarize(net);
  EXPECT_EQ(s.locations_by_country["KZ"], 2);
  EXPECT_EQ(s.locations_by_country["UZ"], 1);
  EXPECT_EQ(s.links_by_mode["road"], 1);
  EXPECT_EQ(s.links_by_mode.count("rail"), 0u);  // planned links are not open
  EXPECT_EQ(s.links_by_status["planned"], 1);
  EXPECT_DOUBLE_EQ(s.km_by_mode["road"], 100);
  // 3 locations + 2 links + 3 fx rows + 5 emission factors cite the one estimate source.
  EXPECT_EQ(s.rows_by_source_kind["estimate"], 13);
}

// Field-level provenance, worked by hand: each numeric field takes the weakest
// kind among its column's `column=id` citations, or the row's plain citations.
TEST(Check, ClassifiesEveryNumericFieldByItsWeakestSource) {
  auto f = testing::make_files(
      // a: lat from the estimate, the other three from the publication.
      "a,A,,KZ,city,43,76,Asia/Almaty,1,5,USD,p;lat=t\n"
      // b: plain citations p and d (weakest derived); transfer_hours a proxy.
      "b,B,,KZ,city,43,77,Asia/Almaty,1,5,USD,p;d;transfer_hours=x\n",
      // km published; speed and both tariffs from the plain estimate.
      "ab,a,b,road,100,,50,1,0,USD,,,true,open,km=p;t\n");
  f.text["sources.csv"] +=
      "p,published,a table,someone,https://example.org,2025,\n"
      "d,derived,a sum,tests,,2026,a + b of the table\n"
      "x,proxy,another place,tests,,2026,the figure of another place because none is published here\n";
  Network net = testing::load_or_fail(f);
  ProvenanceReport r = provenance(f, net);
  const ProvenanceCounts& loc = r.by_file["locations.csv"];
  EXPECT_EQ(loc.fields, (std::array<int, 4>{3, 3, 1, 1}));  // stated, derived, proxy, estimate
  EXPECT_EQ(r.by_file["links.csv"].fields, (std::array<int, 4>{1, 0, 0, 3}));
  EXPECT_EQ(r.by_file["fx.csv"].fields, (std::array<int, 4>{0, 0, 0, 3}));  // per_usd; dates are not numbers
  EXPECT_EQ(r.by_file["emission_factors.csv"].fields, (std::array<int, 4>{0, 0, 0, 5}));
  // equipment.csv of the fixture: three units x teu, tare_kg, max_gross_kg, all citing t.
  EXPECT_EQ(r.by_file["equipment.csv"].fields, (std::array<int, 4>{0, 0, 0, 9}));
  EXPECT_EQ(r.overall.fields, (std::array<int, 4>{4, 3, 1, 21}));
  EXPECT_DOUBLE_EQ(r.overall.share(Provenance::kStated), 4.0 / 29.0);
  EXPECT_EQ(r.rail_road_km, (std::array<double, 4>{100, 0, 0, 0}));
  EXPECT_EQ(r.by_file.count("sources.csv"), 0u);
}

TEST(Check, ListsHubPairsThatCannotReachEachOther) {
  Network net = small();
  RouteIndex index(net);
  auto missing = unreachable_pairs(index, hub_locations(net), *parse_instant("2026-03-02"));
  // a<->b reach each other; c reaches nothing and nothing reaches c.
  ASSERT_EQ(missing.size(), 4u);
  for (auto [x, y] : missing) EXPECT_TRUE(net.locations[x].id == "c" || net.locations[y].id == "c");
}

// A record may lie outside the tolerance only inside the model's p5-p95.
TEST(Check, RecordRowPassesOnlyInsideTheModelsTail) {
  CalibrationRow r;
  r.published_hours = 100;
  r.model_hours = 150;  // +50%
  r.tolerance_pct = 20;
  EXPECT_FALSE(r.within_tolerance());
  r.p5_hours = 95;
  r.p95_hours = 200;
  EXPECT_FALSE(r.within_tolerance()) << "a typical row is not judged by the tail";
  r.case_kind = "record";
  EXPECT_TRUE(r.within_tolerance());
  r.p5_hours = 101;
  EXPECT_FALSE(r.within_tolerance()) << "the published record is faster than the model's p5";
}

TEST(Check, CalibrationReadsPriceRowsInTheirCurrency) {
  Network net = small();
  RouteIndex index(net);
  auto rows = calibrate_transit_times(index,
                                      "id,from,to,via,mode,published_hours,tolerance_pct,depart_weekday,source,note,"
                                      "kind,published_price,currency,unit,date,case\n"
                                      "t1,a,b,,road,2,20,Mon,t,,time,,,,2025,\n"
                                      "p1,a,b,,road,,20,Mon,t,,price,1000,KZT,FEU,2025-01,typical\n");
  ASSERT_TRUE(rows.ok()) << to_string(rows.errors());
  ASSERT_EQ(rows->size(), 2u);
  const CalibrationRow& p = (*rows)[1];
  EXPECT_EQ(p.kind, CalibrationRow::Kind::kPrice);
  EXPECT_DOUBLE_EQ(p.published_usd, 2.0);  // 1,000 KZT at 500 KZT per USD
  EXPECT_TRUE(p.model_usd.has_value());
  EXPECT_EQ(summarize_calibration(*rows, CalibrationRow::Kind::kTime).rows, 1);
  EXPECT_EQ(summarize_calibration(*rows, CalibrationRow::Kind::kPrice).answered, 1);
  auto bad = calibrate_transit_times(index,
                                     "id,from,to,via,mode,published_hours,tolerance_pct,depart_weekday,source,note,"
                                     "kind,published_price,currency,unit,date,case\n"
                                     "p1,a,b,,road,,20,Mon,t,,price,1000,KZT,FEU,2025,rumour\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(
      bad.error().to_string(),
      "calibration.csv:2: column case: unknown case \"rumour\" (expected typical, average, planned, record or best)");
}

// A weekly train: a box ready Monday 08:00 Almaty time waits 52 h for the
// Wednesday 12:00 departure and then runs 5 h. A published transit time is the
// run, so the row's model time is 5 h and the 52 h are the start wait. A rate
// of shipper-owned boxes (equipment soc) leaves out the 300 USD empty return:
// 200 USD for the FEU (twice the 100 per TEU) against 500 for COC.
TEST(Check, CalibrationTimesTheRunFromItsDepartureAndPricesSocWithoutTheEmptyReturn) {
  auto f = testing::make_files(
      "a,A,,KZ,terminal,43,76,Asia/Almaty,0,0,USD,t\n"
      "b,B,,KZ,terminal,43,78,Asia/Almaty,0,0,USD,t\n",
      "ab,a,b,rail,250,1520,50,0,0,USD,,,true,open,t\n", "",
      "s1,Weekly train,rail,KTZ,a;b,Wed,12:00,0;5,100,100,USD,t\n");
  f = testing::with(f, "empty_return.csv", std::string(testing::kEmptyReturnHeader) + "KZ,FEU,300,USD,t\n");
  Network net = testing::load_or_fail(f);
  RouteIndex index(net);
  auto rows = calibrate_transit_times(index,
                                      "id,from,to,via,mode,published_hours,tolerance_pct,depart_weekday,source,note,"
                                      "kind,published_price,currency,unit,date,case,equipment\n"
                                      "t1,a,b,,rail,5,20,Mon,t,,time,,,,2025,,\n"
                                      "coc,a,b,,rail,,20,Mon,t,,price,500,USD,FEU,2025,,\n"
                                      "soc,a,b,,rail,,20,Mon,t,,price,200,USD,FEU,2025,,soc\n");
  ASSERT_TRUE(rows.ok()) << to_string(rows.errors());
  ASSERT_EQ(rows->size(), 3u);
  ASSERT_TRUE((*rows)[0].model_hours.has_value());
  EXPECT_DOUBLE_EQ(*(*rows)[0].model_hours, 5.0);
  EXPECT_DOUBLE_EQ((*rows)[0].start_wait_hours, 52.0);
  EXPECT_DOUBLE_EQ(*(*rows)[1].model_usd, 500.0);
  EXPECT_DOUBLE_EQ(*(*rows)[2].model_usd, 200.0);
  auto bad = calibrate_transit_times(index,
                                     "id,from,to,via,mode,published_hours,tolerance_pct,depart_weekday,source,note,"
                                     "kind,published_price,currency,unit,date,case,equipment\n"
                                     "p,a,b,,rail,,20,Mon,t,,price,200,USD,FEU,2025,,borrowed\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().to_string(),
            "calibration.csv:2: column equipment: unknown equipment \"borrowed\" (expected coc or soc)");
}

TEST(Check, UnknownHubIsALoadError) {
  auto f = testing::make_files("a,A,,KZ,city,43,76,Asia/Almaty,0,0,USD,t\n", "");
  f.text["dataset.toml"] += "hubs = [\"a\", \"atlantis\"]\n";
  auto net = load_network(f);
  ASSERT_FALSE(net.ok());
  EXPECT_EQ(net.error().to_string(),
            "dataset.toml:4: column hubs: unknown location \"atlantis\" (expected a location id)");
}

TEST(Check, CalibrationComparesModelWithPublishedHours) {
  Network net = small();
  RouteIndex index(net);
  // a -> b takes 2 h by road; published 2.5 h is -20%.
  auto rows = calibrate_transit_times(index,
                                      "id,from,to,via,mode,published_hours,tolerance_pct,depart_weekday,source,note\n"
                                      "r1,a,b,,road,2.5,25,Mon,t,\n"
                                      "r2,a,c,,road,10,25,,t,\n");
  ASSERT_TRUE(rows.ok()) << to_string(rows.errors());
  ASSERT_EQ(rows->size(), 2u);
  ASSERT_TRUE((*rows)[0].model_hours.has_value());
  EXPECT_DOUBLE_EQ(*(*rows)[0].model_hours, 2.0);
  EXPECT_DOUBLE_EQ((*rows)[0].error_pct(), -20.0);
  EXPECT_TRUE((*rows)[0].within_tolerance());
  EXPECT_FALSE((*rows)[1].model_hours.has_value());
  EXPECT_FALSE((*rows)[1].within_tolerance());
}

TEST(Check, CalibrationRejectsUnknownPlacesWithLine) {
  Network net = small();
  RouteIndex index(net);
  auto rows = calibrate_transit_times(index,
                                      "id,from,to,via,mode,published_hours,tolerance_pct,depart_weekday,source,note\n"
                                      "r1,a,nowhere,,road,2.5,25,Mon,t,\n");
  ASSERT_FALSE(rows.ok());
  EXPECT_EQ(rows.error().to_string(),
            "calibration.csv:2: column to: unknown location \"nowhere\" (expected a location id)");
}

TEST(Check, CrossingCalibrationAddsTheWaitForBothPosts) {
  // Posts open 12 h a day in the same zone. Of the arrivals every 15 minutes,
  // the 48 a day that find the posts closed wait 12 h - k/4 h (k = 0..47),
  // 6.125 h on average; over all 96 arrivals that is 3.0625 h, before a 2 h
  // clearance.
  auto f = testing::make_files(
      "p,P,,KZ,bcp,43,76,Etc/UTC,0,0,USD,t\n"
      "q,Q,,KG,bcp,43,77,Etc/UTC,0,0,USD,t\n",
      "", "pq,p,q,road,2,4,0,USD,08:00-20:00,08:00-20:00,false,,,,cpmm\n");
  f.text["sources.csv"] += "cpmm,measured,CPMM,CAREC,https://cpmm.carecprogram.org,2023,\n";
  Network net = testing::load_or_fail(f);
  auto cal = calibrate_crossings(net);
  ASSERT_EQ(cal.size(), 1u);
  EXPECT_DOUBLE_EQ(cal[0].published_hours, 2.0);
  EXPECT_NEAR(cal[0].model_mean_hours, 5.0625, 1e-9);
}

}  // namespace
}  // namespace caravan
