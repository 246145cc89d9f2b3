// Loader tests for the files of ADR 0500: what each reads, and each problem
// reported with its file, line and column.
#include <gtest/gtest.h>

#include "caravan/load.h"
#include "test_network.h"

namespace caravan {
namespace {

using testing::make_files;
using testing::with;

const std::string kLocations =
    "almaty,Almaty,,KZ,city,43.24,76.89,Asia/Almaty,12,50,USD,t\n"
    "altynkol,Altynkol,,KZ,bcp,44.18,80.29,Asia/Almaty,6,50,USD,t\n"
    "khorgos,Khorgos,,CN,bcp,44.21,80.42,Asia/Shanghai,6,50,USD,t\n";
const std::string kLinks =
    "alm-alt,almaty,altynkol,rail,300,1520,50,0,0,USD,,,true,open,t\n"
    "alm-alt-road,almaty,altynkol,road,320,,60,0,0,USD,,,true,open,t\n";
const std::string kCrossing = "kh-al,khorgos,altynkol,rail,10,20,100,USD,24/7,24/7,true,3,40,,t\n";
const std::string kService = "s1,Train,rail,KTZ,almaty;altynkol,daily,08:00,0;6,40,500,USD,t\n";

DatasetFiles base() { return make_files(kLocations, kLinks, kCrossing, kService); }

std::vector<std::string> errors_of(const DatasetFiles& f) {
  auto net = load_network(f);
  std::vector<std::string> out;
  if (!net.ok()) {
    for (const Error& e : net.errors()) out.push_back(e.to_string());
  }
  return out;
}

Network loaded(const DatasetFiles& f) {
  auto net = load_network(f);
  EXPECT_TRUE(net.ok()) << (net.ok() ? "" : to_string(net.errors()));
  return net.ok() ? std::move(net).value() : Network{};
}

TEST(LoadTerms, ReadsEveryFile) {
  auto f = base();
  f = with(f, "trucking.csv", std::string(testing::kTruckingHeader) + "KZ,1.2,0.9,USD,44000,13000,t\n");
  f = with(f, "rail_products.csv",
           std::string(testing::kRailProductsHeader) + "kz-w,KZ wagons,KTZ,KZ,24,48,6,300,0.4,0.35,1.8,USD,t\n");
  f = with(f, "crossing_classes.csv",
           std::string(testing::kCrossingClassesHeader) + "kh-al,block_train,2,5,,,30,55,USD,t\n");
  f = with(f, "closures.csv",
           std::string(testing::kClosuresHeader) +
               "kh-al,rail,2026-02-16T00:00+08:00,2026-02-19T00:00+08:00,Spring Festival,t\n");
  f = with(f, "fares.csv", std::string(testing::kFaresHeader) + "s1,almaty,altynkol,200,,USD,t\n");
  f = with(f, "empty_return.csv", std::string(testing::kEmptyReturnHeader) + "KZ,FEU,250,USD,t\n");
  Network net = loaded(f);
  ASSERT_NE(net.equipment_for(UnitKind::kFeu), nullptr);
  EXPECT_EQ(net.equipment_for(UnitKind::kFeu)->payload().kg, 30480 - 3750);
  EXPECT_EQ(net.equipment_for(UnitKind::kKg), nullptr);
  const TruckingTerms* t = net.trucking_for({'K', 'Z'});
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->rate(false), 1.2);
  EXPECT_EQ(t->rate(true), 0.9);
  EXPECT_EQ(t->max_gross.kg, 44000);
  ProductIdx p = net.product_for({'K', 'Z'});
  ASSERT_TRUE(p.valid());
  const RailProduct& w = net.products[p];
  EXPECT_EQ(w.formation_median.count(), 24 * 3600);
  EXPECT_EQ(w.feu_factor, 1.8);
  EXPECT_TRUE(w.feu_factor_given);
  // 300 km at 50 km/h (6 h) plus one yard of 6 h every 300 km.
  EXPECT_EQ(w.travel(Distance::from_km(300), 50).count(), 12 * 3600);
  const Crossing& c = net.crossings[CrossingIdx(0)];
  EXPECT_EQ(c.terms(TrafficClass::kBlockTrain).clearance_median.count(), 2 * 3600);
  EXPECT_EQ(c.terms(TrafficClass::kBlockTrain).cost_feu.minor, 5500);
  EXPECT_TRUE(c.terms(TrafficClass::kBlockTrain).overridden);
  EXPECT_EQ(c.terms(TrafficClass::kRail).clearance_median.count(), 10 * 3600);  // the row's
  EXPECT_EQ(c.terms(TrafficClass::kRail).cost_feu.minor, 20000);                // no 40-ft figure: 2 x 100
  ASSERT_EQ(net.closures.size(), 1u);
  EXPECT_EQ(format_instant_utc(net.closures[0].from), "2026-02-15T16:00:00Z");
  EXPECT_EQ(net.closures[0].cls, TrafficClass::kRail);
  const Service& s = net.services[ServiceIdx(0)];
  EXPECT_EQ(s.fare(0, 1, false).minor, 20000);
  EXPECT_EQ(s.fare(0, 1, true).minor, 40000);
  ASSERT_NE(net.empty_return_for({'K', 'Z'}, true), nullptr);
  EXPECT_EQ(net.empty_return_for({'K', 'Z'}, false), nullptr);
}

TEST(LoadTerms, ReadsTheNewOptionalColumns) {
  auto f = base();
  f.text["locations.csv"] =
      "id,name,aliases,country,kind,lat,lon,timezone,transfer_hours,handling_cost,currency,source,handling_cost_feu,"
      "port_dwell_median_h,port_dwell_p90_h,free_days,storage_per_day,storage_per_day_feu\n"
      "almaty,Almaty,,KZ,city,43.24,76.89,Asia/Almaty,12,50,USD,t,90,,,3,20,\n"
      "altynkol,Altynkol,,KZ,bcp,44.18,80.29,Asia/Almaty,6,50,USD,t,,,,,,\n"
      "khorgos,Khorgos,,CN,bcp,44.21,80.42,Asia/Shanghai,6,50,USD,t,,,,,,\n";
  f.text["services.csv"] =
      std::string(testing::kServicesHeader).substr(0, std::string(testing::kServicesHeader).size() - 1) +
      ",cutoff_h,tariff_per_feu,rate_date\n" + kService.substr(0, kService.size() - 1) + ",4,900,2025-06\n";
  Network net = loaded(f);
  const Location& a = net.locations[net.find_location("almaty")];
  EXPECT_EQ(a.handling(true).minor, 9000);
  EXPECT_EQ(a.handling(false).minor, 5000);
  EXPECT_EQ(a.free_days, 3);
  EXPECT_EQ(a.storage(true).minor, 4000);  // no 40-ft figure: 2 x 20
  const Service& s = net.services[ServiceIdx(0)];
  EXPECT_EQ(s.cutoff.count(), 4 * 3600);
  EXPECT_EQ(s.fare(0, 1, true).minor, 90000);
  EXPECT_EQ(s.rate_date, "2025-06");
}

TEST(LoadTerms, RejectsBoxesThatCannotCarryAnything) {
  auto f = with(base(), "equipment.csv",
                "unit,name,teu,tare_kg,max_gross_kg,source\nFEU,40-ft,2,3750,3000,t\nKG,cargo,0,1,2,t\nTEU,20-ft,2,"
                "2200,30480,t\n");
  EXPECT_EQ(errors_of(f), (std::vector<std::string>{
                              "equipment.csv:2: column max_gross_kg: max gross 3000 kg is not above the tare 3750 kg "
                              "(expected room for a payload)",
                              "equipment.csv:3: column unit: unknown box unit \"KG\" (expected TEU, FEU or FEU_HC)",
                              "equipment.csv:4: column teu: 2 TEU for a TEU (expected 1)"}));
}

TEST(LoadTerms, RejectsTwoProductsForOneCountry) {
  auto f = with(base(), "rail_products.csv",
                std::string(testing::kRailProductsHeader) +
                    "a,A,KTZ,KZ,0,0,,,0.4,,2,USD,t\nb,B,KTZ,KZ;XX1,0,0,,,0.4,,2,USD,t\n");
  EXPECT_EQ(
      errors_of(f),
      (std::vector<std::string>{
          "rail_products.csv:3: column countries: country KZ already has the product \"a\" (expected one on-demand "
          "product per country)",
          "rail_products.csv:3: column countries: bad country \"XX1\" (expected ISO 3166-1 alpha-2 codes separated by "
          ";)"}));
}

TEST(LoadTerms, RejectsAClassThatDoesNotSuitTheCrossing) {
  auto f = with(base(), "crossing_classes.csv",
                std::string(testing::kCrossingClassesHeader) +
                    "kh-al,truck,2,5,,,,,,t\nkh-al,ship,2,5,,,,,,t\n"
                    "kh-al,rail,5,2,,,,,,t\nnope,rail,1,2,,,,,,t\n");
  EXPECT_EQ(
      errors_of(f),
      (std::vector<std::string>{
          "crossing_classes.csv:2: column class: truck on a rail crossing (expected block_train or rail on a rail "
          "crossing, truck on a road crossing)",
          "crossing_classes.csv:3: column class: unknown traffic class \"ship\" (expected block_train, rail or truck)",
          "crossing_classes.csv:4: column clearance_p90_h: p90 2 h is below the median 5 h (expected p90 >= median)",
          "crossing_classes.csv:5: column crossing: unknown crossing \"nope\" (expected an id from crossings.csv)"}));
}

TEST(LoadTerms, RejectsAReversedClosureAndAFareOffTheRun) {
  auto f = with(base(), "closures.csv",
                std::string(testing::kClosuresHeader) + "kh-al,,2026-02-19T00:00+08:00,2026-02-16T00:00+08:00,x,t\n");
  f = with(f, "fares.csv", std::string(testing::kFaresHeader) + "s1,altynkol,almaty,200,,USD,t\n");
  EXPECT_EQ(errors_of(f),
            (std::vector<std::string>{
                "closures.csv:2: column until: until 2026-02-16T00:00+08:00 is not after from 2026-02-19T00:00+08:00 "
                "(expected a window with from < until)",
                "fares.csv:2: column to: no ride from altynkol to almaty on s1 (expected two of its stops, in running "
                "order)"}));
}

TEST(LoadTerms, RejectsWeightBreaksOfAServiceThatDoesNotFly) {
  auto f = with(base(), "air_rates.csv", std::string(testing::kAirRatesHeader) + "s1,0,3,10,USD,t\n");
  EXPECT_EQ(errors_of(f),
            (std::vector<std::string>{"air_rates.csv:2: column service: weight breaks for the rail service s1 "
                                      "(expected an air service)"}));
}

TEST(LoadTerms, RejectsATollInAnotherCurrencyThanTheTrucks) {
  auto f = make_files(kLocations, "r,almaty,altynkol,road,320,,60,0,5,KZT,,,true,open,t\n", kCrossing);
  f = with(f, "trucking.csv", std::string(testing::kTruckingHeader) + "KZ,1.2,,USD,44000,13000,t\n");
  EXPECT_EQ(errors_of(f),
            (std::vector<std::string>{"links.csv:2: column currency: toll in KZT where trucking.csv charges "
                                      "USD (expected the country's trucking currency)"}));
}

TEST(LoadTerms, RejectsARoadService) {
  auto f = make_files(kLocations, kLinks, kCrossing, "s1,Bus,road,X,almaty;altynkol,daily,08:00,0;6,40,500,USD,t\n");
  EXPECT_EQ(errors_of(f),
            (std::vector<std::string>{"services.csv:2: column mode: a road service (expected rail, ferry, sea "
                                      "or air: trucks run on demand on road links)"}));
}

TEST(LoadTerms, ValueOfTimeNeedsItsSource) {
  auto f = base();
  f.text["dataset.toml"] += "value_of_time_usd_per_box_hour = 2.5\n";
  EXPECT_EQ(errors_of(f),
            (std::vector<std::string>{"dataset.toml:4: column value_of_time_source: missing key (expected "
                                      "the source ids of the value of time)"}));
  f.text["dataset.toml"] += "value_of_time_source = \"t\"\n";
  Network net = loaded(f);
  EXPECT_EQ(net.info.value_of_time_usd_per_box_hour, 2.5);
  ASSERT_EQ(net.info.value_of_time_sources.size(), 1u);
}

TEST(LoadTerms, PlannedCrossingCarriesNothingAndServicesCannotUseIt) {
  auto f = make_files(kLocations, kLinks, "kh-al,khorgos,altynkol,rail,10,20,100,USD,24/7,24/7,true,3,40,,t\n");
  f.text["crossings.csv"] =
      "id,exit,entry,mode,clearance_median_h,clearance_p90_h,cost,currency,exit_open,entry_open,gauge_change,"
      "gauge_change_h,gauge_change_cost_per_unit,capacity_per_day,source,status\n"
      "kh-al,khorgos,altynkol,rail,10,20,100,USD,24/7,24/7,true,3,40,,t,planned\n";
  f.text["services.csv"] =
      std::string(testing::kServicesHeader) + "s1,Train,rail,CR,khorgos;altynkol,daily,08:00,0;0,40,500,USD,t\n";
  EXPECT_EQ(errors_of(f),
            (std::vector<std::string>{"services.csv:2: column stops: a rail service crosses from khorgos (CN) to "
                                      "altynkol (KZ) (expected consecutive stops in two countries to be the "
                                      "exit and entry of an open rail crossing)"}));
}

}  // namespace
}  // namespace caravan
