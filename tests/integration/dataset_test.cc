// The embedded default dataset as a whole: it loads cleanly, every source
// resolves, every hub reaches every other, and the calibration table stays
// within each row's documented tolerance.
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "caravan/check.h"
#include "caravan/load.h"
#include "caravan/places.h"

namespace caravan {
namespace {

const std::filesystem::path kData = CARAVAN_TEST_DATA_DIR;

Network load_default() {
  Errors warnings;
  auto net = load_network(kData, &warnings);
  EXPECT_TRUE(net.ok()) << (net.ok() ? "" : to_string(net.errors()));
  EXPECT_TRUE(warnings.empty()) << to_string(warnings);
  return net.ok() ? std::move(net).value() : Network{};
}

TEST(DefaultDataset, LoadsWithZeroErrorsAndZeroWarnings) {
  Network net = load_default();
  EXPECT_GE(net.locations.size(), 60u);
  EXPECT_FALSE(net.crossings.empty());
  EXPECT_FALSE(net.services.empty());
}

TEST(DefaultDataset, EverySourceIdResolvesAndEverySourceIsUsedOrListed) {
  Network net = load_default();
  // The loader rejects unknown ids; here we check the other direction too:
  // every row cites at least one source.
  for (const Location& l : net.locations) EXPECT_FALSE(l.sources.empty()) << l.id;
  for (const Link& k : net.links) EXPECT_FALSE(k.sources.empty()) << k.id;
  for (const Crossing& c : net.crossings) EXPECT_FALSE(c.sources.empty()) << c.id;
  for (const Service& s : net.services) EXPECT_FALSE(s.sources.empty()) << s.id;
  for (const Source& s : net.sources) {
    if (s.kind == SourceKind::kEstimate) {
      EXPECT_FALSE(s.note.empty()) << s.id << ": an estimate says how it was derived";
    } else {
      EXPECT_FALSE(s.url.empty()) << s.id;
    }
  }
}

TEST(DefaultDataset, EveryHubPairIsRoutableInBothDirections) {
  Network net = load_default();
  std::vector<LocationIdx> hubs = hub_locations(net);
  // The hubs the corridors are about: Chinese hubs, the five Central Asian
  // capitals, Duisburg, Istanbul, Baku.
  for (const char* name : {"Xi'an", "Chongqing", "Chengdu", "Zhengzhou", "Yiwu", "Lianyungang", "Urumqi", "Astana",
                           "Bishkek", "Dushanbe", "Ashgabat", "Tashkent", "Duisburg", "Istanbul", "Baku"}) {
    auto i = resolve_place(net, name);
    ASSERT_TRUE(i.ok()) << name;
    EXPECT_NE(std::find(hubs.begin(), hubs.end(), *i), hubs.end()) << name << " is a hub";
  }
  RouteIndex index(net);
  auto missing = unreachable_pairs(index, hubs, *parse_instant("2026-03-02"));
  for (auto [a, b] : missing) ADD_FAILURE() << net.locations[a].id << " cannot reach " << net.locations[b].id;
  EXPECT_EQ(hubs.size(), 16u);
}

TEST(DefaultDataset, CalibrationRowsStayWithinTheirDocumentedTolerance) {
  Network net = load_default();
  std::ifstream in(kData / "calibration.csv");
  std::stringstream text;
  text << in.rdbuf();
  RouteIndex index(net);
  auto rows = calibrate_transit_times(index, text.str());
  ASSERT_TRUE(rows.ok()) << to_string(rows.errors());
  ASSERT_GE(rows->size(), 10u);
  for (const CalibrationRow& r : *rows) {
    ASSERT_TRUE(r.model_hours.has_value()) << r.id << ": no route";
    EXPECT_TRUE(r.within_tolerance()) << r.id << ": model " << *r.model_hours << " h vs published " << r.published_hours
                                      << " h (" << r.error_pct() << "%, tolerance " << r.tolerance_pct << "%)";
    if (r.tolerance_pct > 35) {
      EXPECT_FALSE(r.note.empty()) << r.id << ": a wide tolerance is explained";
    }
  }
}

}  // namespace
}  // namespace caravan
