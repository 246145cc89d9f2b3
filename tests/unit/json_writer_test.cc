// The streaming JSON writer against an independent implementation: nlohmann's
// DOM dump, whose layout and number text the writer promises to reproduce.
#include "../../src/present/json_writer.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <nlohmann/json.hpp>
#include <random>

#include "caravan/load.h"
#include "caravan/present.h"
#include "caravan/route.h"
#include "caravan/stochastic.h"

namespace caravan {
namespace {

using detail::JsonWriter;
using nlohmann::ordered_json;

std::string written(double v, int indent = -1) {
  JsonWriter w(indent);
  w.number(v);
  return w.take();
}

TEST(JsonWriter, NumbersReadTheWayTheDomWritesThem) {
  for (double v : {0.0, -0.0, 1.0, -1.0, 0.5, 0.1, 1234.5, 7001.45, 1e15, 1e16, 123456789012345678.0, 1e-4, 1e-5,
                   0.00012, 2.5e-7, 1.7976931348623157e308, 4.9e-324, 3.0e20, 0.2 + 0.1}) {
    EXPECT_EQ(written(v), ordered_json(v).dump()) << v;
  }
  EXPECT_EQ(written(std::nan("")), "null");
  EXPECT_EQ(written(INFINITY), "null");
}

TEST(JsonWriter, RoundedFiguresOfEveryMagnitudeMatchTheDom) {
  // What the presenters write: hours to 0.01, km to 0.1, kg to 0.001, money to cents.
  std::mt19937_64 rng(7);
  std::uniform_real_distribution<double> mantissa(-1, 1);
  for (int i = 0; i < 20000; ++i) {
    // Up to 15 significant digits, as doubles hold exactly; beyond, two
    // shortest texts can tie and the writers may pick different ones.
    const int decimals = static_cast<int>(rng() % 5);
    const int magnitude = static_cast<int>(rng() % static_cast<unsigned>(15 - decimals));
    const double scale = std::pow(10.0, decimals);
    const double v = std::round(mantissa(rng) * std::pow(10.0, magnitude) * scale) / scale;
    ASSERT_EQ(written(v), ordered_json(v).dump()) << v;
  }
}

TEST(JsonWriter, AnyDoubleReadsBackExactly) {
  // Shortest digits may differ from the DOM's in the last place for arbitrary
  // bit patterns (different shortest-digit algorithms); both must round-trip.
  std::mt19937_64 rng(11);
  for (int i = 0; i < 20000; ++i) {
    std::uint64_t bits = rng();
    double v;
    std::memcpy(&v, &bits, sizeof v);
    if (!std::isfinite(v)) continue;
    ASSERT_EQ(ordered_json::parse(written(v)).get<double>(), v) << written(v);
  }
}

TEST(JsonWriter, StringsAreEscapedLikeTheDom) {
  const std::string s =
      std::string("quote \" backslash \\ tab \t nl \n cr \r bell \x07 nul ") + '\0' + " utf8 Алматы 乌鲁木齐";
  JsonWriter w(-1);
  w.string(s);
  EXPECT_EQ(w.take(), ordered_json(s).dump());
}

// Before: bytes that are not UTF-8 were copied into the output as they were,
// making the whole document invalid JSON. Now they read as nlohmann's
// replacing dump writes them: U+FFFD per bad byte.
TEST(JsonWriter, BytesThatAreNotUtf8BecomeReplacementCharactersLikeTheDomWritesThem) {
  for (std::string s : {std::string("Bak\xFC"), std::string("\xE2\x82 cut euro"), std::string("\xC0\x80 overlong"),
                        std::string("\xED\xA0\x80 surrogate"), std::string("ok \xF0\x9F\x98\x80 \xFF")}) {
    JsonWriter w(-1);
    w.string(s);
    std::string out = w.take();
    EXPECT_EQ(out, ordered_json(s).dump(-1, ' ', false, ordered_json::error_handler_t::replace)) << s;
    EXPECT_TRUE(ordered_json::accept(out)) << out;
  }
}

TEST(JsonWriter, RandomBytesAreWrittenAsTheReplacingDomWritesThem) {
  std::mt19937_64 rng(12);
  // Bytes weighted towards the lead and continuation bytes of UTF-8.
  const unsigned char interesting[] = {0x00, 0x1f, 0x22, 0x5c, 0x41, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf,
                                       0xc0, 0xc1, 0xc2, 0xdf, 0xe0, 0xe1, 0xed, 0xef, 0xf0, 0xf4, 0xf5, 0xff};
  for (int k = 0; k < 20000; ++k) {
    std::string s(rng() % 12, '\0');
    for (char& c : s) {
      c = static_cast<char>(rng() % 2 ? interesting[rng() % sizeof interesting] : rng() % 256);
    }
    JsonWriter w(-1);
    w.string(s);
    ASSERT_EQ(w.take(), ordered_json(s).dump(-1, ' ', false, ordered_json::error_handler_t::replace));
  }
}

TEST(JsonWriter, NestedContainersLayOutLikeTheDomAtEveryIndent) {
  for (int indent : {-1, 0, 2, 4}) {
    JsonWriter w(indent);
    w.begin_object();
    w.key("a").integer(-3);
    w.key("empty_array").begin_array().end_array();
    w.key("empty_object").begin_object().end_object();
    w.key("list").begin_array().boolean(true).null().number(2.5).begin_array().integer(1).end_array().end_array();
    w.key("inner").begin_object().key("x").string("y").end_object();
    w.end_object();
    ordered_json dom;
    dom["a"] = -3;
    dom["empty_array"] = ordered_json::array();
    dom["empty_object"] = ordered_json::object();
    dom["list"] = {true, nullptr, 2.5, {1}};
    dom["inner"] = {{"x", "y"}};
    EXPECT_EQ(w.take(), dom.dump(indent)) << "indent " << indent;
  }
}

// The whole itinerary answer on the default data: re-dumping the parsed text
// through the DOM must give the same bytes, at the CLI's and the server's indent.
TEST(JsonWriter, ItineraryAnswersOnTheDefaultDataAreWhatTheDomWouldWrite) {
  auto net = load_network(CARAVAN_TEST_DATA_DIR);
  ASSERT_TRUE(net.ok());
  RouteIndex index(*net);
  Planner planner(index);
  RouteQuery q;
  q.from = net->find_location("xian");
  q.to = net->find_location("tashkent");
  ASSERT_TRUE(q.from.valid() && q.to.valid());
  q.depart = parse_instant("2026-03-02T08:00+08:00").value();
  auto its = planner.plan(q);
  ASSERT_TRUE(its.ok());
  ASSERT_GE(its->size(), 2u);
  StageModel model(index);
  MonteCarloOptions mc;
  mc.samples = 200;
  mc.deadline = parse_instant("2026-03-09T00:00+05:00").value();
  (*its)[0].reliability = monte_carlo(model, q, (*its)[0], mc);
  (*its)[1].most_reliable = true;
  QueryEcho echo;
  echo.query = q;
  echo.deadline = mc.deadline;
  echo.scenarios = {"green-lanes"};
  for (int indent : {-1, 2}) {
    const std::string text = itineraries_to_json(index.view(), echo, *its, indent);
    EXPECT_EQ(text, ordered_json::parse(text).dump(indent) + "\n") << "indent " << indent;
    const std::string geo = itineraries_to_geojson(index.view(), *its, indent);
    EXPECT_EQ(geo, ordered_json::parse(geo).dump(indent) + "\n") << "indent " << indent;
  }
}

}  // namespace
}  // namespace caravan
