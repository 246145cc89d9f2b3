// Property tests: parsers round-trip and never crash on arbitrary input; the
// opening-hours search finds the earliest open instant; the planner's Pareto
// set equals a brute-force enumeration on small random networks; every answer
// on random multimodal networks keeps the rules of ADR 0500.
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
#include "invariants.h"
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
  const auto rows =
      *rc::gen::container<std::vector<std::vector<std::string>>>(rc::gen::container<std::vector<std::string>>(
          ncols, rc::gen::container<std::string>(rc::gen::element('a', 'z', ',', '"', '\n', ' ', '7', ';'))));
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
      if (y != x && std::get<0>(y) <= std::get<0>(x) && std::get<1>(y) <= std::get<1>(x) &&
          std::get<2>(y) <= std::get<2>(x)) {
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
      RandomLink l{static_cast<int>(rng() % n),
                   static_cast<int>(rng() % n),
                   rng() % 2 == 0,
                   10 + static_cast<int>(rng() % 300),
                   30 + static_cast<int>(rng() % 60),
                   0.1 * (1 + static_cast<int>(rng() % 20)),
                   10 + static_cast<int>(rng() % 100)};
      if (l.a == l.b) continue;
      links.push_back(l);
      csv << "e" << k << ",n" << l.a << ",n" << l.b << "," << (l.rail ? "rail" : "road") << "," << l.km << ","
          << (l.rail ? "1520" : "") << "," << l.speed << "," << l.tariff << ",0,USD," << l.co2 << ",,true,open,t\n";
    }
    const double rail_tariff = 0.1 * (1 + static_cast<int>(rng() % 10));
    Network net = testing::load_or_fail(testing::with(testing::make_files(locs.str(), csv.str()), "rail_products.csv",
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
          std::get<1>(next) +=
              l.rail ? std::llround(rail_tariff * l.km * 100.0 * feu_factor) : std::llround(l.tariff * l.km * 100.0);
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

// --- The rules of ADR 0500 on random multimodal networks ------------------

// Three countries in a row, CN (1435 mm) | KZ (1520) | KG (1520), each with a
// few terminals, road and rail links between them at random, a rail and a
// road border post pair at each border (the CN-KZ rail crossing changes
// gauge), on-demand products in a random subset of countries, block trains
// (some through a border), a flight for general cargo and a ferry.
DatasetFiles random_network(std::uint32_t seed) {
  std::mt19937 rng(seed);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<std::uint32_t>(n)); };
  const char* countries[] = {"CN", "KZ", "KG"};
  const char* zones[] = {"Asia/Shanghai", "Asia/Almaty", "Asia/Bishkek"};
  const char* gauges[] = {"1435", "1520", "1520"};
  std::ostringstream locs, links, crossings, services, products;
  std::vector<std::vector<std::string>> towns(3);
  int id = 0;
  auto add_loc = [&](int c, const std::string& name, const char* kind, double lon) {
    locs << name << "," << name << ",," << countries[c] << "," << kind << ",43," << lon << "," << zones[c] << ","
         << pick(3) << "," << 10 * pick(4) << ",USD,t\n";
  };
  for (int c = 0; c < 3; ++c) {
    const int n = 2 + pick(3);
    for (int i = 0; i < n; ++i) {
      std::string name = "t" + std::to_string(id++);
      add_loc(c, name, "terminal", 70 + 5 * c + i * 0.5);
      towns[c].push_back(name);
    }
  }
  int link = 0;
  auto add_link = [&](const std::string& a, const std::string& b, bool rail, const char* gauge) {
    links << "l" << link++ << "," << a << "," << b << "," << (rail ? "rail" : "road") << "," << 50 + pick(400) << ","
          << (rail ? gauge : "") << "," << 30 + pick(60) << "," << (rail ? "0" : std::to_string(pick(3)))
          << ",0,USD,,,true,open,t\n";
  };
  for (int c = 0; c < 3; ++c) {
    const auto& t = towns[c];
    for (std::size_t i = 0; i + 1 < t.size(); ++i) {  // a connected chain of both modes, then extras
      add_link(t[i], t[i + 1], true, gauges[c]);
      add_link(t[i], t[i + 1], false, gauges[c]);
    }
    for (int k = 0; k < 2; ++k) {
      std::string a = t[static_cast<std::size_t>(pick(static_cast<int>(t.size())))];
      std::string b = t[static_cast<std::size_t>(pick(static_cast<int>(t.size())))];
      if (a != b) add_link(a, b, pick(2) == 0, gauges[c]);
    }
  }
  // Border posts between country c and c + 1, joined to the last / first town.
  std::vector<std::string> rail_exit(2), rail_entry(2);
  for (int c = 0; c < 2; ++c) {
    for (const char* m : {"rail", "road"}) {
      std::string x = std::string(m) + "x" + std::to_string(c), y = std::string(m) + "y" + std::to_string(c);
      add_loc(c, x, "bcp", 72 + 5 * c);
      add_loc(c + 1, y, "bcp", 72.1 + 5 * c);
      const bool rail = std::string(m) == "rail";
      add_link(towns[c].back(), x, rail, gauges[c]);
      add_link(y, towns[c + 1].front(), rail, gauges[c + 1]);
      const bool gauge = rail && std::string(gauges[c]) != gauges[c + 1];
      crossings << m << "-" << c << "," << x << "," << y << "," << m << "," << 1 + pick(20) << "," << 30 << ","
                << 10 * pick(5) << ",USD," << (pick(3) == 0 ? "Mon-Fri 08:00-20:00" : "24/7") << ",24/7,"
                << (gauge ? "true,3,20" : "false,,") << ",,t\n";
      if (rail) {
        rail_exit[static_cast<std::size_t>(c)] = x;
        rail_entry[static_cast<std::size_t>(c)] = y;
      }
    }
  }
  products << testing::kRailProductsHeader;
  for (int c = 0; c < 3; ++c) {
    if (pick(3) != 0) {
      products << countries[c] << "w," << countries[c] << " wagons,R" << c << "," << countries[c] << "," << pick(10)
               << ",20," << (pick(2) ? "2,300" : ",") << "," << 0.1 * (1 + pick(5)) << ",," << (pick(2) ? "1.7" : "")
               << ",USD,t\n";
    }
  }
  // A block train inside KZ, one through the CN-KZ border, a ferry and a flight.
  const auto& kz = towns[1];
  services << "s0,KZ train,rail,KTZ," << kz.front() << ";" << kz[1] << ",daily,0" << pick(10) << ":00,0;"
           << 5 + pick(20) << ",0,100,USD,t\n";
  services << "s1,Through train,rail,CR," << towns[0].back() << ";" << rail_exit[0] << ";" << rail_entry[0] << ";"
           << kz.front() << ",Mon;Thu,12:00,0;" << 3 + pick(5) << ";" << 10 << ";" << 12 + pick(5) << ",0,500,USD,t\n";
  locs << "pa,Port A,,KZ,seaport,44,71,Asia/Almaty,1,10,USD,t\npb,Port B,,KZ,seaport,44,72,Asia/Almaty,1,10,USD,t\n"
       << "aa,Airport A,,CN,airport,44,70,Asia/Shanghai,1,0,USD,t\nab,Airport "
          "B,,KG,airport,44,80,Asia/Bishkek,1,0,USD,t\n";
  add_link(kz.back(), "pa", false, "");
  add_link("pb", kz.front(), false, "");
  add_link(towns[0].front(), "aa", false, "");
  add_link("ab", towns[2].back(), false, "");
  links << "fe,pa,pb,ferry,200,,20,0,0,USD,,,true,open,t\nfl,aa,ab,air,1500,,600,0,0,USD,,,false,open,t\n";
  crossings << "air-x,aa,ab,air,2,4,0,USD,24/7,24/7,false,,,,t\n";
  services << "f0,Ferry,ferry,ASCO,pa;pb,Tue;Fri,18:00,0;12,0,300,USD,t\n"
           << "a0,Flight,air,Air,aa;ab,daily,09:00,0;3,0,0,USD,t\n";
  auto f = testing::make_files(locs.str(), links.str(), crossings.str(), services.str());
  f = testing::with(f, "rail_products.csv", products.str());
  return testing::with(f, "air_rates.csv",
                       std::string(testing::kAirRatesHeader) + "a0,0,4,50,USD,t\na0,300,3,50,USD,t\n");
}

RC_GTEST_PROP(BookableProperty, AnswersOnRandomNetworksKeepTheRules, ()) {
  const auto seed = *rc::gen::arbitrary<std::uint32_t>();
  auto net = load_network(random_network(seed));
  RC_ASSERT(net.ok());
  RouteIndex index(*net);
  Planner planner(index);
  const std::uint32_t n = net->locations.size();
  RouteQuery q;
  q.from = LocationIdx(*rc::gen::inRange<std::uint32_t>(0, n));
  q.to = LocationIdx(*rc::gen::inRange<std::uint32_t>(0, n));
  RC_PRE(q.from != q.to);
  q.depart = *parse_instant("2026-03-02T00:00Z") + hours(*rc::gen::inRange(0, 168));
  q.unit = *rc::gen::element(UnitKind::kTeu, UnitKind::kFeu, UnitKind::kFeuHc, UnitKind::kKg);
  q.units =
      q.unit == UnitKind::kKg ? *rc::gen::inRange<std::uint32_t>(1, 30000) : *rc::gen::inRange<std::uint32_t>(1, 4);
  q.objective = *rc::gen::element(Objective::kPareto, Objective::kTime, Objective::kCost, Objective::kGeneralized);
  q.value_of_time_usd = *rc::gen::inRange(0, 20);
  q.epsilon = *rc::gen::element(0.0, 0.02);
  auto its = planner.plan(q);
  RC_CLASSIFY(its.ok(), "routed");
  RC_CLASSIFY(its.ok() && its->size() > 1, "several options");
  if (!its.ok()) {
    RC_ASSERT(its.error().code == ErrorCode::kNoRoute);
    return;
  }
  RC_ASSERT(!its->empty());
  const std::string broken = testing::broken_rule(index.view(), q, *its);
  RC_LOG() << "seed " << seed << ": " << broken;
  RC_ASSERT(broken.empty());
  for (std::size_t k = 1; k < its->size(); ++k) RC_ASSERT((*its)[k - 1].arrive <= (*its)[k].arrive);  // fastest first
}

}  // namespace
}  // namespace caravan
