// Loader tests: one per kind of problem, each asserting the exact message
// with its file, line and column, and that every problem in a file is reported.
#include <gtest/gtest.h>

#include "caravan/load.h"
#include "test_network.h"

namespace caravan {
namespace {

using testing::make_files;

// Two Kazakh cities and one Chinese border post, joined by rail.
const std::string kLocations =
    "almaty,Almaty,Alma-Ata,KZ,city,43.24,76.89,Asia/Almaty,12,50,USD,t\n"
    "altynkol,Altynkol,,KZ,bcp,44.18,80.29,Asia/Almaty,6,50,USD,t\n"
    "khorgos,Khorgos,Horgos,CN,bcp,44.21,80.42,Asia/Shanghai,6,50,USD,t\n";
const std::string kLinks = "alm-alt,almaty,altynkol,rail,300,1520,50,0.5,0,USD,,,true,open,t\n";
const std::string kCrossing = "kh-al,khorgos,altynkol,rail,10,20,100,USD,24/7,24/7,true,3,40,,t\n";

Errors errors_of(const DatasetFiles& f) {
  auto net = load_network(f);
  return net.ok() ? Errors{} : net.errors();
}

std::vector<std::string> messages(const Errors& errs) {
  std::vector<std::string> out;
  for (const Error& e : errs) out.push_back(e.to_string());
  return out;
}

TEST(Loader, LoadsAGoodDataset) {
  auto net = load_network(make_files(kLocations, kLinks, kCrossing));
  ASSERT_TRUE(net.ok()) << to_string(net.errors());
  EXPECT_EQ(net->locations.size(), 3u);
  EXPECT_EQ(net->locations[net->find_location("almaty")].gauge, 1520);
  EXPECT_EQ(net->links[LinkIdx(0)].co2_g_per_tkm, 20);  // empty -> the rail average
  EXPECT_EQ(net->crossings[CrossingIdx(0)].gauge_change_time.count(), 3 * 3600);
}

TEST(Loader, RejectsMalformedNumberWithLineAndColumn) {
  auto errs = errors_of(make_files(kLocations, "alm-alt,almaty,altynkol,rail,3OO,1520,50,0.5,0,USD,,,true,open,t\n"));
  ASSERT_EQ(errs.size(), 1u);
  EXPECT_EQ(errs[0].to_string(),
            "links.csv:2: column km: malformed number \"3OO\" (expected a decimal number such as 12.5)");
}

TEST(Loader, RejectsNegativeDistance) {
  auto errs = errors_of(make_files(kLocations, "alm-alt,almaty,altynkol,rail,-3,1520,50,0.5,0,USD,,,true,open,t\n"));
  ASSERT_EQ(errs.size(), 1u);
  EXPECT_EQ(errs[0].to_string(), "links.csv:2: column km: negative value -3 (expected a non-negative number)");
}

TEST(Loader, RejectsUnknownLocationReference) {
  auto errs = errors_of(make_files(kLocations, "alm-x,almaty,hamburg-n,rail,3,1520,50,0.5,0,USD,,,true,open,t\n"));
  ASSERT_EQ(errs.size(), 1u);
  EXPECT_EQ(errs[0].to_string(), "links.csv:2: column to: unknown location \"hamburg-n\" (expected a location id)");
}

TEST(Loader, RejectsUnknownSource) {
  auto errs =
      errors_of(make_files(kLocations, "alm-alt,almaty,altynkol,rail,3,1520,50,0.5,0,USD,,,true,open,t;cpmm-1999\n"));
  ASSERT_EQ(errs.size(), 1u);
  EXPECT_EQ(errs[0].to_string(),
            "links.csv:2: column source: unknown source \"cpmm-1999\" (expected an id from sources.csv)");
}

TEST(Loader, RejectsSourceAttributionToAColumnTheFileDoesNotHave) {
  auto f = testing::make_files("a,A,,KZ,city,43,76,Asia/Almaty,0,0,USD,t;km=t\n", "");
  auto net = load_network(f);
  ASSERT_FALSE(net.ok());
  EXPECT_EQ(net.error().to_string(),
            "locations.csv:2: column source: unknown column \"km\" in \"km=t\" (expected a column of locations.csv)");
  // The same attribution to a column of the file loads.
  f.text["locations.csv"] = std::string(testing::kLocationsHeader) + "a,A,,KZ,city,43,76,Asia/Almaty,0,0,USD,t;lat=t\n";
  EXPECT_TRUE(load_network(f).ok());
}

TEST(Loader, RejectsDerivedOrProxySourceWithoutANote) {
  auto f = testing::make_files("a,A,,KZ,city,43,76,Asia/Almaty,0,0,USD,t\n", "");
  f.text["sources.csv"] += "d,derived,a sum,tests,,2026,\n";
  auto net = load_network(f);
  ASSERT_FALSE(net.ok());
  EXPECT_EQ(net.error().to_string(), "sources.csv:3: column note: empty (expected how the derived figure was derived)");
}

TEST(Loader, RejectsDuplicateIds) {
  auto errs = errors_of(make_files(kLocations + "almaty,Almaty again,,KZ,city,43,76,Asia/Almaty,1,1,USD,t\n", kLinks));
  ASSERT_EQ(errs.size(), 1u);
  EXPECT_EQ(errs[0].to_string(), "locations.csv:5: column id: duplicate location \"almaty\" (expected unique ids)");
}

TEST(Loader, RejectsUnknownCurrency) {
  auto errs = errors_of(make_files(kLocations, "alm-alt,almaty,altynkol,rail,3,1520,50,0.5,0,XYZ,,,true,open,t\n"));
  ASSERT_EQ(errs.size(), 1u);
  EXPECT_EQ(errs[0].to_string(),
            "links.csv:2: column currency: unknown currency \"XYZ\" (expected an ISO 4217 code such as KZT)");
}

TEST(Loader, RejectsCurrencyWithoutExchangeRate) {
  auto errs = errors_of(make_files(kLocations, "alm-alt,almaty,altynkol,rail,3,1520,50,0.5,0,UZS,,,true,open,t\n"));
  ASSERT_EQ(errs.size(), 1u);
  EXPECT_EQ(errs[0].to_string(), "links.csv:2: column currency: no exchange rate for UZS (expected a row in fx.csv)");
}

TEST(Loader, RejectsUnknownTimeZone) {
  auto errs = errors_of(make_files("almaty,Almaty,,KZ,city,43.24,76.89,Asia/Alma-Ata-X,12,50,USD,t\n", ""));
  ASSERT_EQ(errs.size(), 1u);
  EXPECT_EQ(errs[0].to_string(),
            "locations.csv:2: column timezone: unknown time zone \"Asia/Alma-Ata-X\" (expected an IANA zone such as "
            "Asia/Almaty)");
}

TEST(Loader, RejectsImpossibleOpeningHours) {
  auto errs =
      errors_of(make_files(kLocations, kLinks,
                           "kh-al,khorgos,altynkol,rail,10,20,100,USD,Mon-Fri 09:00-25:00,24/7,true,3,40,,t\n"));
  ASSERT_EQ(errs.size(), 1u);
  EXPECT_EQ(errs[0].to_string(),
            "crossings.csv:2: column exit_open: bad opening hours \"Mon-Fri 09:00-25:00\": impossible time in "
            "\"09:00-25:00\" "
            "(expected 24/7 or rules like Mon-Fri 09:00-18:00;Sat 09:00-13:00)");
}

TEST(Loader, RejectsBadOpeningHourSyntax) {
  auto errs = errors_of(
      make_files(kLocations, kLinks, "kh-al,khorgos,altynkol,rail,10,20,100,USD,24/7,weekdays,true,3,40,,t\n"));
  ASSERT_EQ(errs.size(), 1u);
  EXPECT_EQ(errs[0].column, "entry_open");
  EXPECT_EQ(errs[0].line, 2u);
}

TEST(Loader, RejectsGaugeChangeWhereGaugesMatch) {
  // Both sides on 1520 mm: a declared gauge change is a data error.
  std::string locs = kLocations + "dostyk,Dostyk,,KZ,bcp,45.25,82.48,Asia/Almaty,6,50,USD,t\n";
  std::string links = kLinks + "dos-alm,dostyk,almaty,rail,800,1520,50,0.5,0,USD,,,true,open,t\n";
  auto errs = errors_of(make_files(locs, links, "al-do,altynkol,dostyk,rail,1,2,0,USD,24/7,24/7,true,3,40,,t\n"));
  ASSERT_EQ(errs.size(), 1u);
  EXPECT_EQ(errs[0].to_string(),
            "crossings.csv:2: column gauge_change: gauge change declared where gauges match (1520 mm on both sides; "
            "expected false)");
}

TEST(Loader, RejectsMissingGaugeChangeWhereGaugesDiffer) {
  std::string links = kLinks + "kh-x,khorgos,xian,rail,3000,1435,60,0.2,0,USD,,,true,open,t\n";
  std::string locs = kLocations + "xian,Xi'an,Xian,CN,city,34.34,108.94,Asia/Shanghai,6,50,USD,t\n";
  auto errs = errors_of(make_files(locs, links, "kh-al,khorgos,altynkol,rail,10,20,100,USD,24/7,24/7,false,,,,t\n"));
  ASSERT_EQ(errs.size(), 1u);
  EXPECT_EQ(errs[0].to_string(),
            "crossings.csv:2: column gauge_change: gauges differ (1435 mm at khorgos, 1520 mm at altynkol) but no "
            "gauge change (expected true)");
}

TEST(Loader, RejectsLandLinkBetweenCountries) {
  auto errs = errors_of(make_files(kLocations, "kh-al,khorgos,altynkol,road,10,,60,0.5,0,USD,,,true,open,t\n"));
  ASSERT_EQ(errs.size(), 1u);
  EXPECT_EQ(errs[0].to_string(),
            "links.csv:2: column to: a road link joins CN and KZ (expected a crossing between countries; rail and road "
            "links stay within one country)");
}

TEST(Loader, RejectsTwoGaugesAtOneLocation) {
  std::string links = kLinks + "alm-2,almaty,altynkol,rail,300,1435,50,0.5,0,USD,,,true,open,t\n";
  auto errs = errors_of(make_files(kLocations, links));
  ASSERT_EQ(errs.size(), 2u);  // both ends already carry 1520 mm
  EXPECT_EQ(errs[0].to_string(),
            "links.csv:3: column gauge_mm: location almaty already has rail links of 1520 mm (expected one gauge per "
            "location; "
            "join gauges with a gauge-change crossing)");
}

TEST(Loader, RejectsP90BelowMedian) {
  auto errs =
      errors_of(make_files(kLocations, kLinks, "kh-al,khorgos,altynkol,rail,10,5,100,USD,24/7,24/7,true,3,40,,t\n"));
  ASSERT_EQ(errs.size(), 1u);
  EXPECT_EQ(errs[0].to_string(),
            "crossings.csv:2: column clearance_p90_h: p90 5 h is below the median 10 h (expected p90 >= median)");
}

TEST(Loader, ReportsEveryProblemInAFileNotJustTheFirst) {
  std::string links =
      "a,almaty,nowhere,rail,3,1520,50,0.5,0,USD,,,true,open,t\n"
      "b,almaty,altynkol,rail,abc,1520,50,0.5,0,USD,,,true,open,t\n"
      "c,almaty,altynkol,rail,3,1520,0,0.5,0,USD,,,maybe,open,t\n";
  auto errs = errors_of(make_files(kLocations, links));
  auto msgs = messages(errs);
  ASSERT_EQ(msgs.size(), 4u) << to_string(errs);
  EXPECT_EQ(msgs[0], "links.csv:2: column to: unknown location \"nowhere\" (expected a location id)");
  EXPECT_EQ(msgs[1], "links.csv:3: column km: malformed number \"abc\" (expected a decimal number such as 12.5)");
  EXPECT_EQ(msgs[2], "links.csv:4: column speed_kmh: out of range 0 (expected a number from 0.1 to 2000)");
  EXPECT_EQ(msgs[3], "links.csv:4: column bidirectional: bad boolean \"maybe\" (expected true or false)");
}

TEST(Loader, RejectsRowWithWrongFieldCount) {
  auto errs = errors_of(make_files(kLocations, "alm-alt,almaty,altynkol,rail,3\n"));
  ASSERT_EQ(errs.size(), 1u);
  EXPECT_EQ(errs[0].to_string(), "links.csv:2: row has 5 fields (expected 15 as in the header)");
}

TEST(Loader, RejectsUnterminatedQuote) {
  auto errs = errors_of(make_files(kLocations, "\"alm-alt,almaty,altynkol,rail,3,1520,50,0.5,0,USD,,,true,open,t\n"));
  ASSERT_EQ(errs.size(), 1u);
  EXPECT_EQ(errs[0].to_string(), "links.csv:2: unterminated quoted field (expected a closing \")");
}

TEST(Loader, RejectsMissingColumn) {
  auto f = make_files(kLocations, kLinks);
  f.text["fx.csv"] = "currency,per_usd,source\nUSD,1,t\n";
  auto errs = errors_of(f);
  ASSERT_GE(errs.size(), 1u);
  EXPECT_EQ(errs[0].to_string(),
            "fx.csv:1: column date: missing column (expected header currency,per_usd,date,source)");
}

TEST(Loader, RejectsMissingFile) {
  auto f = make_files(kLocations, kLinks);
  f.text.erase("locations.csv");
  auto errs = errors_of(f);
  ASSERT_GE(errs.size(), 1u);
  EXPECT_EQ(errs[0].to_string(), "locations.csv: missing file (expected a dataset file)");
  EXPECT_EQ(errs[0].code, ErrorCode::kNotFound);
}

TEST(Loader, RejectsServiceWithMismatchedOffsets) {
  std::string svc = "s1,Test train,rail,KTZ,almaty;altynkol,Mon;Thu,08:00,0;10;20,40,500,USD,t\n";
  auto errs = errors_of(make_files(kLocations, kLinks, kCrossing, svc));
  ASSERT_EQ(errs.size(), 1u);
  EXPECT_EQ(errs[0].to_string(),
            "services.csv:2: column stop_offsets_h: 3 offsets for 2 stops (expected one offset per stop)");
}

// ADR 0500 (superseding ADR 0002): a rail service may run through a land
// border where two consecutive stops are the exit and entry of a rail
// crossing; its timetable after the border adds the crossing's block-train
// median (clearance 10 h + gauge change 3 h) to the running offsets.
TEST(Loader, RunsAServiceThroughARailCrossing) {
  std::string svc = "s1,Through train,rail,KTZ,khorgos;altynkol;almaty,daily,08:00,0;0;6,40,500,USD,t\n";
  auto net = load_network(make_files(kLocations, kLinks, kCrossing, svc));
  ASSERT_TRUE(net.ok()) << to_string(net.errors());
  const Service& s = net->services[ServiceIdx(0)];
  ASSERT_EQ(s.borders.size(), 2u);
  EXPECT_EQ(s.borders[0], CrossingIdx(0));
  EXPECT_FALSE(s.borders[1].valid());
  ASSERT_EQ(s.timetable.size(), 3u);
  EXPECT_EQ(s.timetable[1].count(), 13 * 3600);
  EXPECT_EQ(s.timetable[2].count(), 19 * 3600);
  EXPECT_EQ(s.stop_km[1].meters, 0);  // the crossing is not a link
  EXPECT_EQ(s.stop_km[2].meters, 300'000);
}

TEST(Loader, RejectsServiceAcrossABorderWithoutARailCrossing) {
  std::string svc = "s1,Through train,rail,KTZ,khorgos;almaty,daily,08:00,0;10,40,500,USD,t\n";
  auto errs = errors_of(make_files(kLocations, kLinks, kCrossing, svc));
  ASSERT_GE(errs.size(), 1u);
  EXPECT_EQ(
      errs[0].to_string(),
      "services.csv:2: column stops: a rail service crosses from khorgos (CN) to almaty (KZ) (expected consecutive "
      "stops in two countries to be the exit and entry of an open rail crossing)");
}

TEST(Loader, RejectsAServiceOfMoreThanTwoHundredStops) {
  std::string stops = "almaty";
  std::string offsets = "0";
  for (int i = 1; i <= 200; ++i) {
    stops += i % 2 == 1 ? ";altynkol" : ";almaty";
    offsets += ";" + std::to_string(i);
  }
  std::string svc = "s1,Shuttle,rail,KTZ," + stops + ",daily,08:00," + offsets + ",40,500,USD,t\n";
  auto errs = errors_of(make_files(kLocations, kLinks, kCrossing, svc));
  ASSERT_GE(errs.size(), 1u);
  EXPECT_EQ(errs[0].to_string(), "services.csv:2: column stops: 201 stops (expected at most 200 per service)");
}

TEST(Loader, RejectsAStopTwiceInARow) {
  std::string svc = "s1,Test train,rail,KTZ,almaty;almaty,daily,08:00,0;10,40,500,USD,t\n";
  auto errs = errors_of(make_files(kLocations, kLinks, kCrossing, svc));
  ASSERT_GE(errs.size(), 1u);
  EXPECT_EQ(errs[0].to_string(),
            "services.csv:2: column stops: stop \"almaty\" twice in a row (expected consecutive stops to differ)");
}

TEST(Loader, WarnsAboutATariffOnARailLink) {
  Errors warnings;
  auto net = load_network(make_files(kLocations, kLinks, kCrossing), &warnings);
  ASSERT_TRUE(net.ok());
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings[0].to_string(),
            "links.csv:2: column tariff_per_unit_km: tariff on a rail link, ignored (expected 0: rail is priced by its "
            "services and the on-demand products of rail_products.csv)");
}

TEST(Loader, RejectsImpossibleDepartureTime) {
  std::string svc = "s1,Test train,rail,KTZ,almaty;altynkol,Mon,24:30,0;10,40,500,USD,t\n";
  auto errs = errors_of(make_files(kLocations, kLinks, kCrossing, svc));
  ASSERT_EQ(errs.size(), 1u);
  EXPECT_EQ(errs[0].to_string(),
            "services.csv:2: column depart_local: impossible time \"24:30\" (expected HH:MM from 00:00 to 23:59)");
}

TEST(Loader, ReadsDatasetFromAFolder) {
  auto net = load_network(std::filesystem::path(CARAVAN_TEST_DATA_DIR));
  Errors warnings;
  auto again = load_network(std::filesystem::path(CARAVAN_TEST_DATA_DIR), &warnings);
  ASSERT_TRUE(net.ok()) << to_string(net.errors());
  EXPECT_GT(net->locations.size(), 10u);
  EXPECT_TRUE(warnings.empty()) << to_string(warnings);
}

TEST(Loader, MissingFolderIsNotFound) {
  auto net = load_network(std::filesystem::path("/nonexistent/dataset"));
  ASSERT_FALSE(net.ok());
  EXPECT_EQ(net.error().code, ErrorCode::kNotFound);
}

}  // namespace
}  // namespace caravan
