// Property tests: parsers round-trip and never crash on arbitrary input; the
// opening-hours search finds the earliest open instant; the planner's Pareto
// set equals a brute-force enumeration on small random networks.
#include <algorithm>
#include <random>
#include <set>
#include <sstream>
#include <tuple>

#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include "caravan/csv.h"
#include "caravan/route.h"
#include "caravan/time_zone.h"
#include "test_network.h"

namespace caravan {
namespace {

std::string csv_quote(const std::string& s) {
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

RC_GTEST_PROP(CsvProperty, QuotedFieldsRoundTrip, ()) {
  const auto ncols = *rc::gen::inRange<std::size_t>(1, 6);
  const auto rows = *rc::gen::container<std::vector<std::vector<std::string>>>(
      rc::gen::container<std::vector<std::string>>(ncols, rc::gen::container<std::string>(rc::gen::element(
                                                              'a', 'z', ',', '"', '\n', ' ', '7', ';'))));
  std::string text;
  for (std::size_t c = 0; c < ncols; ++c) text += (c ? "," : "") + std::string("h") + std::to_string(c);
  text += "\n";
  for (const auto& r : rows) {
    for (std::size_t c = 0; c < r.size(); ++c) text += (c ? "," : "") + csv_quote(r[c]);
    text += "\n";
  }
  Errors errors;
  CsvTable t = parse_csv("t.csv", text, errors);
  RC_ASSERT(errors.empty());
  // A row of one empty field is a blank line and is skipped by design.
  std::vector<std::vector<std::string>> expected;
  for (const auto& r : rows) {
    if (!(r.size() == 1 && r[0].empty())) expected.push_back(r);
  }
  RC_ASSERT(t.rows.size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) RC_ASSERT(t.rows[i].fields == expected[i]);
}

RC_GTEST_PROP(ParserProperty, ArbitraryTextNeverCrashes, (const std::string& text)) {
  Errors errors;
  (void)parse_csv("x.csv", text, errors);
  (void)OpeningHours::parse(text);
  (void)parse_instant(text);
  (void)parse_money(text, Currency::usd());
  (void)parse_mode_set(text);
}

// Random weekly hours on a 15-minute grid, written in the text syntax.
std::string random_hours(std::mt19937& rng) {
  static const char* days[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  std::string out;
  int rules = 1 + static_cast<int>(rng() % 3);
  for (int r = 0; r < rules; ++r) {
    int a = static_cast<int>(rng() % 7), b = static_cast<int>(rng() % 7);
    int start = static_cast<int>(rng() % 96), len = 1 + static_cast<int>(rng() % 95);
    int end = (start + len) % 96;
    char range[32];
    std::snprintf(range, sizeof range, "%02d:%02d-%02d:%02d", start / 4, start % 4 * 15, end / 4, end % 4 * 15);
    out += (r ? ";" : "") + std::string(days[a]) + "-" + days[b] + " " + range;
  }
  return out;
}

TEST(OpeningHoursProperty, NextOpenIsTheEarliestOpenInstant) {
  std::mt19937 rng(7);
  TimeZone zone = *TimeZone::locate("Asia/Almaty");
  const Instant base = *parse_instant("2026-03-02T00:00Z");
  for (int k = 0; k < 300; ++k) {
    std::string text = random_hours(rng);
    auto h = OpeningHours::parse(text);
    ASSERT_TRUE(h.ok()) << text << ": " << h.error().message;
    Instant t = base + Duration(static_cast<std::int64_t>(rng() % (7 * 96)) * 900);
    auto next = h->next_open(t, zone);
    ASSERT_TRUE(next.has_value()) << text;
    EXPECT_TRUE(h->is_open_local(zone.local_seconds(*next))) << text;
    for (Instant s = t; s < *next; s += Duration(900)) {
      EXPECT_FALSE(h->is_open_local(zone.local_seconds(s))) << text << " open earlier at " << format_instant_utc(s);
    }
  }
}

// --- Pareto set against brute force -------------------------------------

using Criteria = std::tuple<std::int64_t, std::int64_t, std::int64_t>;  // seconds, cents, grams

struct RandomLink {
  int a, b;
  bool rail;
  int km, speed;
  double tariff;
  int co2;
};

std::set<Criteria> pareto_front(const std::vector<Criteria>& all) {
  std::set<Criteria> front;
  for (const Criteria& x : all) {
    bool dominated = false;
    for (const Criteria& y : all) {
      if (y != x && std::get<0>(y) <= std::get<0>(x) && std::get<1>(y) <= std::get<1>(x) && std::get<2>(y) <= std::get<2>(x)) {
        dominated = true;
      }
    }
    if (!dominated) front.insert(x);
  }
  return front;
}

// Rail runs on the country's on-demand product (one tariff per TEU-km, a
// 40-ft box pays 2x); a truck carries the one FEU at its link's rate per
// truck-km; at most two changes between rail and road (ADR 0500).
TEST(ParetoProperty, EqualsBruteForceOnSmallRandomNetworks) {
  std::mt19937 rng(11);
  const double feu_factor = 2, tonnes = 20;  // one FEU with the default cargo
  int compared = 0;
  for (int g = 0; g < 150; ++g) {
    const int n = 3 + static_cast<int>(rng() % 4);
    std::vector<RandomLink> links;
    std::ostringstream locs, csv;
    // Every location transfers in 2 h for 10 USD per TEU: equal everywhere,
    // so a detour to change mode elsewhere never pays and simple paths suffice.
    for (int i = 0; i < n; ++i) locs << "n" << i << ",N" << i << ",,KZ,city,43,76,Asia/Almaty,2,10,USD,t\n";
    const int m = n + static_cast<int>(rng() % (2 * n));
    for (int k = 0; k < m; ++k) {
      RandomLink l{static_cast<int>(rng() % n), static_cast<int>(rng() % n), rng() % 2 == 0, 10 + static_cast<int>(rng() % 300),
                   30 + static_cast<int>(rng() % 60), 0.1 * (1 + static_cast<int>(rng() % 20)), 10 + static_cast<int>(rng() % 100)};
      if (l.a == l.b) continue;
      links.push_back(l);
      csv << "e" << k << ",n" << l.a << ",n" << l.b << "," << (l.rail ? "rail" : "road") << "," << l.km << ","
          << (l.rail ? "1520" : "") << "," << l.speed << "," << l.tariff << ",0,USD," << l.co2 << ",,true,open,t\n";
    }
    const double rail_tariff = 0.1 * (1 + static_cast<int>(rng() % 10));
    Network net = testing::load_or_fail(
        testing::with(testing::make_files(locs.str(), csv.str()), "rail_products.csv",
                      testing::permissive_products("KZ", rail_tariff)));
    RouteIndex index(net);
    Planner planner(index);
    RouteQuery q;
    q.from = LocationIdx(0);
    q.to = LocationIdx(static_cast<std::uint32_t>(n - 1));
    q.depart = *parse_instant("2026-03-02");
    q.epsilon = 0;

    // Brute force: every simple path, every choice of parallel link.
    std::vector<Criteria> all;
    std::vector<bool> seen(n, false);
    std::function<void(int, int, int, Criteria)> walk = [&](int at, int mode, int changes, Criteria c) {
      if (at == n - 1) {
        all.push_back(c);
        return;
      }
      seen[at] = true;
      for (const RandomLink& l : links) {
        for (int dir = 0; dir < 2; ++dir) {
          int from = dir ? l.b : l.a, to = dir ? l.a : l.b;
          if (from != at || seen[to]) continue;
          Criteria next = c;
          int link_mode = l.rail ? 0 : 1;
          const bool change = mode >= 0 && mode != link_mode;
          if (change && changes == 2) continue;  // the chain rule
          if (change) {
            std::get<0>(next) += 2 * 3600;
            std::get<1>(next) += std::llround(1000.0 * feu_factor);  // 10 USD per 20-ft box, 2x for the FEU
          }
          std::get<0>(next) += std::llround(static_cast<double>(l.km) / l.speed * 3600.0);
          std::get<1>(next) += l.rail ? std::llround(rail_tariff * l.km * 100.0 * feu_factor)
                                      : std::llround(l.tariff * l.km * 100.0);
          std::get<2>(next) += std::llround(static_cast<double>(l.km) * l.co2 * tonnes);
          walk(to, link_mode, changes + (change ? 1 : 0), next);
        }
      }
      seen[at] = false;
    };
    walk(0, -1, 0, Criteria{0, 0, 0});
    std::set<Criteria> want = pareto_front(all);

    auto its = planner.plan(q);
    if (want.empty()) {
      EXPECT_FALSE(its.ok());
      continue;
    }
    ASSERT_TRUE(its.ok()) << "graph " << g;
    std::set<Criteria> got;
    for (const Itinerary& it : *its) got.insert({it.duration().count(), it.cost_usd_cents, it.co2_g});
    EXPECT_EQ(got, want) << "graph " << g;
    ++compared;
  }
  EXPECT_GT(compared, 100);
}

}  // namespace
}  // namespace caravan
