// CLI tests: the `caravan` binary on the real dataset. They check the exit
// codes of DESIGN.md section 10 and the Itinerary JSON contract, including
// that the legs add up to the totals.
#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include <gtest/gtest.h>
#include <sys/wait.h>

#include <nlohmann/json.hpp>

#include "caravan/load.h"

namespace {

struct CliRun {
  int exit_code;
  std::string out;
};

// Runs the binary with `args` (shell words), capturing stdout; stderr is
// merged when `merge_stderr`.
CliRun caravan(const std::string& args, bool merge_stderr = false) {
  std::string cmd = std::string(CARAVAN_BINARY) + " " + args + " --data " + CARAVAN_TEST_DATA_DIR;
  if (args.rfind("--help", 0) == 0 || args == "route --help") cmd = std::string(CARAVAN_BINARY) + " " + args;
  cmd += merge_stderr ? " 2>&1" : " 2>/dev/null";
  FILE* p = popen(cmd.c_str(), "r");
  std::string out;
  std::array<char, 4096> buf;
  std::size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
  int status = pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

TEST(Cli, RouteTableShowsLegsAndTotals) {
  CliRun r = caravan("route xian tashkent --depart 2026-03-02T08:00+08:00");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find(" → Tashkent: 1 × FEU"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("border"), std::string::npos);
  EXPECT_NE(r.out.find("(UTC+08:00)"), std::string::npos);
  EXPECT_NE(r.out.find(" +05:00 "), std::string::npos) << "Tashkent local times carry their offset";
  EXPECT_NE(r.out.find("Total:"), std::string::npos);
}

TEST(Cli, JsonFollowsTheItineraryContractAndLegsSumToTotals) {
  CliRun r = caravan("route \"Xi'an\" Tashkent --depart 2026-03-02T00:00Z --units 2 --unit FEU --format json");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  auto j = nlohmann::json::parse(r.out);
  for (const char* k : {"from", "to", "depart", "units", "unit", "by", "scenarios"})
    EXPECT_TRUE(j["query"].contains(k)) << k;
  EXPECT_EQ(j["query"]["from"], "xian");
  EXPECT_EQ(j["query"]["units"], 2);
  EXPECT_EQ(j["query"]["unit"], "FEU");
  EXPECT_TRUE(j["dataset"].contains("name"));
  EXPECT_TRUE(j["dataset"].contains("version"));
  ASSERT_GE(j["itineraries"].size(), 1u);
  double prev_hours = 0;
  int with_gauge_change = 0;
  for (const auto& it : j["itineraries"]) {
    for (const char* k : {"depart", "arrive", "hours", "km", "cost_usd", "co2_kg", "cost_by_currency",
                          "border_crossings", "gauge_changes", "legs"}) {
      EXPECT_TRUE(it.contains(k)) << k;
    }
    EXPECT_GE(it["hours"].get<double>(), prev_hours);  // fastest first
    prev_hours = it["hours"].get<double>();
    double hours = 0, km = 0, usd = 0, co2 = 0;
    std::string last_arrive = it["depart"];
    int borders = 0, gauges = 0;
    for (const auto& leg : it["legs"]) {
      for (const char* k :
           {"kind", "from", "to", "depart", "arrive", "hours", "km", "cost", "cost_usd", "co2_kg", "sources"}) {
        EXPECT_TRUE(leg.contains(k)) << k;
      }
      EXPECT_EQ(leg["depart"], last_arrive) << "legs are contiguous in time";
      last_arrive = leg["arrive"];
      hours += leg["hours"].get<double>();
      km += leg["km"].get<double>();
      usd += leg["cost_usd"].get<double>();
      co2 += leg["co2_kg"].get<double>();
      if (leg["kind"] == "border") ++borders;
      if (leg["kind"] == "gauge_change") ++gauges;
      if (leg["kind"] == "rail" || leg["kind"] == "road") {
        EXPECT_FALSE(leg["sources"].empty());
      }
    }
    EXPECT_EQ(last_arrive, it["arrive"]);
    const double n_legs = static_cast<double>(it["legs"].size());
    EXPECT_NEAR(hours, it["hours"].get<double>(), 0.01 * n_legs);
    EXPECT_NEAR(km, it["km"].get<double>(), 0.1 * n_legs);
    EXPECT_NEAR(usd, it["cost_usd"].get<double>(), 0.011);
    EXPECT_NEAR(co2, it["co2_kg"].get<double>(), 0.001 * n_legs);
    EXPECT_EQ(borders, static_cast<int>(it["border_crossings"].size()));
    EXPECT_EQ(gauges, it["gauge_changes"].get<int>());
    if (gauges > 0) ++with_gauge_change;
  }
  EXPECT_GE(with_gauge_change, 1) << "some option goes by rail from 1435 mm China to 1520 mm Uzbekistan";
}

TEST(Cli, GeoJsonIsAFeatureCollectionOfLegs) {
  CliRun r = caravan("route xian tashkent --depart 2026-03-02T00:00Z --by time --format geojson");
  ASSERT_EQ(r.exit_code, 0);
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["type"], "FeatureCollection");
  ASSERT_FALSE(j["features"].empty());
  bool has_line = false;
  for (const auto& f : j["features"]) {
    EXPECT_EQ(f["type"], "Feature");
    if (f["geometry"]["type"] == "LineString") has_line = true;
    EXPECT_TRUE(f["properties"].contains("kind"));
  }
  EXPECT_TRUE(has_line);
}

TEST(Cli, ViaKhorgosIsHonoured) {
  CliRun r = caravan("route xian almaty --via Khorgos --by time --depart 2026-03-02T00:00Z --format json");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  auto j = nlohmann::json::parse(r.out);
  bool through = false;
  for (const auto& leg : j["itineraries"][0]["legs"]) {
    if (leg["from"].get<std::string>().find("khorgos") != std::string::npos) through = true;
  }
  EXPECT_TRUE(through);
}

TEST(Cli, AvoidingKazakhstanNeverEntersIt) {
  auto net = caravan::load_network(std::filesystem::path(CARAVAN_TEST_DATA_DIR));
  ASSERT_TRUE(net.ok());
  CliRun r = caravan("route kashgar tashkent --avoid KZ --depart 2026-03-02T00:00Z --format json");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  auto j = nlohmann::json::parse(r.out);
  for (const auto& it : j["itineraries"]) {
    for (const auto& leg : it["legs"]) {
      for (const char* end : {"from", "to"}) {
        auto loc = net->find_location(leg[end].get<std::string>());
        ASSERT_TRUE(loc.valid());
        EXPECT_NE(net->locations[loc].country_code(), "KZ") << leg[end];
      }
    }
  }
}

TEST(Cli, UnknownPlaceExitsTwoWithCandidates) {
  CliRun r = caravan("route xiann tashkent", true);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("unknown place \"xiann\""), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("nearest: xian"), std::string::npos) << r.out;
}

TEST(Cli, BadOptionsExitTwo) {
  EXPECT_EQ(caravan("route xian tashkent --unit pallet").exit_code, 2);
  EXPECT_EQ(caravan("route xian tashkent --by speed").exit_code, 2);
  EXPECT_EQ(caravan("route xian tashkent --depart tomorrow").exit_code, 2);
  EXPECT_EQ(caravan("route xian tashkent --mode boat").exit_code, 2);
  EXPECT_EQ(caravan("route xian").exit_code, 2);
  EXPECT_EQ(caravan("route xian tashkent --avoid XX").exit_code, 2);
}

TEST(Cli, NoRouteExitsOne) {
  // General cargo by air alone from a city with no airport link cannot work.
  CliRun r = caravan("route xian tashkent --unit KG --units 500 --mode air --depart 2026-03-02T00:00Z", true);
  EXPECT_EQ(r.exit_code, 1) << r.out;
  EXPECT_NE(r.out.find("no route"), std::string::npos);
}

TEST(Cli, ContainersNeverFlyAndOverweightBoxesAreRefused) {
  CliRun air = caravan("route xian tashkent --mode air --depart 2026-03-02T00:00Z", true);
  EXPECT_EQ(air.exit_code, 2) << air.out;
  EXPECT_NE(air.out.find("containers never fly"), std::string::npos) << air.out;
  // 30 t in a 40-ft box: ISO 668 30,480 kg gross less a 3,750 kg tare leaves 26.73 t.
  CliRun heavy = caravan("route xian tashkent --cargo-tonnes 30 --depart 2026-03-02T00:00Z", true);
  EXPECT_EQ(heavy.exit_code, 2) << heavy.out;
  EXPECT_NE(heavy.out.find(
                "cargo 30.0 t per FEU exceeds the FEU payload limit of 26.73 t (max gross 30.48 t - tare 3.75 t"),
            std::string::npos)
      << heavy.out;
  CliRun negative = caravan("route xian tashkent --cargo-tonnes -3 --depart 2026-03-02T00:00Z", true);
  EXPECT_EQ(negative.exit_code, 2) << negative.out;
  EXPECT_NE(negative.out.find("--cargo-tonnes: bad value \"-3\" (expected a number above 0 and at most 100)"),
            std::string::npos)
      << negative.out;
}

TEST(Cli, BadDatasetExitsTwoWithFileAndLine) {
  std::string cmd = std::string(CARAVAN_BINARY) + " route a b --data /nonexistent 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  std::array<char, 4096> buf{};
  std::string out;
  std::size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
  int status = pclose(p);
  EXPECT_EQ(WEXITSTATUS(status), 2);
  EXPECT_NE(out.find("no such dataset folder"), std::string::npos);
}

TEST(Cli, HelpTeachesWithExamples) {
  CliRun top = caravan("--help");
  EXPECT_EQ(top.exit_code, 0);
  EXPECT_NE(top.out.find("Examples:"), std::string::npos);
  CliRun route = caravan("route --help");
  EXPECT_EQ(route.exit_code, 0);
  EXPECT_NE(route.out.find("--via"), std::string::npos);
  EXPECT_NE(route.out.find("Exit codes"), std::string::npos);
}

}  // namespace

namespace {

TEST(CliData, CheckPrintsCountsAndExitsZeroOnTheDefaultData) {
  CliRun r = caravan("data check");
  ASSERT_EQ(r.exit_code, 0) << r.out;
  for (const char* want : {"loads with 0 errors and 0 warnings", "locations:", "border crossings:", "gauge breaks:",
                           "services:", "sources:", "ordered pairs reach each other"}) {
    EXPECT_NE(r.out.find(want), std::string::npos) << want << "\n" << r.out;
  }
}

TEST(CliData, CheckExitsTwoOnABrokenDataset) {
  std::string cmd = std::string(CARAVAN_BINARY) + " data check --data /nonexistent 2>&1";
  FILE* p = popen(cmd.c_str(), "r");
  char buf[512];
  while (fgets(buf, sizeof buf, p) != nullptr) {
  }
  EXPECT_EQ(WEXITSTATUS(pclose(p)), 2);
}

// The GeoJSON export is one file per layer, each of one geometry type, so that
// a GIS opens each as one named layer (issue 13); tests/cli/geojson_export_test.cjs
// checks the same files with an RFC 7946 validator.
TEST(CliData, ExportGeoJsonWritesOneFilePerLayerOfOneGeometryType) {
  auto net = caravan::load_network(std::filesystem::path(CARAVAN_TEST_DATA_DIR));
  ASSERT_TRUE(net.ok());
  std::filesystem::path dir = std::filesystem::path(::testing::TempDir()) / "caravan-export-layers";
  std::filesystem::remove_all(dir);
  CliRun r = caravan("data export --format geojson --out " + (dir / "sub").string());
  ASSERT_EQ(r.exit_code, 0) << r.out;
  EXPECT_NE(r.out.find("locations.geojson (" + std::to_string(net->locations.size()) + " points)"), std::string::npos)
      << r.out;
  const std::map<std::string, std::pair<std::string, std::size_t>> want = {
      {"locations", {"Point", net->locations.size()}},
      {"links", {"LineString", net->links.size()}},
      {"crossings", {"LineString", net->crossings.size()}},
      {"services", {"LineString", net->services.size()}}};
  std::size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir / "sub")) {
    ++files;
    std::string stem = entry.path().stem().string();
    ASSERT_TRUE(want.count(stem)) << "unexpected file " << entry.path();
    std::ifstream in(entry.path());
    auto j = nlohmann::json::parse(in);
    EXPECT_EQ(j["type"], "FeatureCollection");
    EXPECT_EQ(j["name"], stem);
    EXPECT_EQ(j["features"].size(), want.at(stem).second) << stem;
    for (const auto& f : j["features"]) {
      EXPECT_EQ(f["geometry"]["type"], want.at(stem).first) << stem;
      EXPECT_EQ(f["properties"]["layer"], stem);
    }
  }
  EXPECT_EQ(files, want.size()) << "no temporary file is left behind";
  // A location's point is its lon, lat; a link's line runs from its from to its to.
  std::ifstream links(dir / "sub" / "links.geojson");
  auto first = nlohmann::json::parse(links)["features"][0];
  const caravan::Link& k = *net->links.begin();
  EXPECT_EQ(first["properties"]["id"], k.id);
  EXPECT_EQ(first["geometry"]["coordinates"][0][0].get<double>(), net->locations[k.from].lon);
  EXPECT_EQ(first["geometry"]["coordinates"][1][1].get<double>(), net->locations[k.to].lat);
  std::filesystem::remove_all(dir);
}

TEST(CliData, ExportGeoJsonLayerGoesToStdout) {
  auto net = caravan::load_network(std::filesystem::path(CARAVAN_TEST_DATA_DIR));
  ASSERT_TRUE(net.ok());
  CliRun r = caravan("data export --format geojson --layer crossings");
  ASSERT_EQ(r.exit_code, 0);
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["name"], "crossings");
  EXPECT_EQ(j["features"].size(), net->crossings.size());
}

TEST(CliData, ExportGeoJsonNeedsOneDestinationAndAKnownLayer) {
  CliRun neither = caravan("data export --format geojson", true);
  EXPECT_EQ(neither.exit_code, 2);
  EXPECT_NE(neither.out.find("give --out DIR (a file per layer) or --layer NAME"), std::string::npos) << neither.out;
  CliRun unknown = caravan("data export --format geojson --layer roads", true);
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.out.find("unknown layer \"roads\" (expected one of locations, links, crossings, services)"),
            std::string::npos)
      << unknown.out;
  CliRun csv = caravan("data export --format csv --layer links", true);
  EXPECT_EQ(csv.exit_code, 2);
  EXPECT_TRUE(csv.out.find("apply to --format geojson only") != std::string::npos) << csv.out;
  // A file where the folder should be: a clear error, nothing written.
  std::filesystem::path file = std::filesystem::path(::testing::TempDir()) / "caravan-export-a-file";
  std::ofstream(file) << "x";
  CliRun blocked = caravan("data export --format geojson --out " + file.string(), true);
  EXPECT_EQ(blocked.exit_code, 2);
  EXPECT_NE(blocked.out.find("--out: cannot create folder"), std::string::npos) << blocked.out;
  std::filesystem::remove(file);
}

TEST(CliData, ExportCsvHasAHeaderAndARowPerEntity) {
  auto net = caravan::load_network(std::filesystem::path(CARAVAN_TEST_DATA_DIR));
  ASSERT_TRUE(net.ok());
  CliRun r = caravan("data export --format csv");
  ASSERT_EQ(r.exit_code, 0);
  EXPECT_EQ(r.out.rfind("type,id,name,from,to,", 0), 0u);
  std::size_t lines = static_cast<std::size_t>(std::count(r.out.begin(), r.out.end(), '\n'));
  // Quoted fields in the data have no newlines, so lines = header + rows.
  EXPECT_EQ(lines, 1 + net->locations.size() + net->links.size() + net->crossings.size() + net->services.size());
  EXPECT_EQ(caravan("data export --format kml").exit_code, 2);
}

TEST(CliData, CalibrateWritesBothTables) {
  CliRun r = caravan("data calibrate --format markdown");
  ASSERT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("### End-to-end and leg times"), std::string::npos);
  EXPECT_NE(r.out.find("### Rates and tariffs"), std::string::npos);
  EXPECT_NE(r.out.find("### Border crossings with a CAREC CPMM figure"), std::string::npos);
  EXPECT_NE(r.out.find("absolute error median"), std::string::npos);
}

}  // namespace
