// Monte Carlo reliability on small hand-built networks. Expected values come
// from the closed form of the lognormal (computed here with std::erfc, not
// with the library's own normal functions) and tolerances from the binomial
// standard error of an empirical proportion or quantile.
#include "caravan/stochastic.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <numeric>

#include "caravan/route.h"
#include "test_network.h"

namespace caravan {
namespace {

using testing::load_or_fail;
using testing::make_files;

Instant at(const char* iso) { return *parse_instant(iso); }

// Independent of the library: Phi(z) from erfc.
double phi(double z) { return 0.5 * std::erfc(-z / std::sqrt(2.0)); }

// Stage defaults that make everything but border clearance deterministic.
StageDefaults only_clearance_varies() {
  StageDefaults d;
  for (int m = 0; m < kModeCount; ++m) {
    d.link_factor_p90[m] = 1.0;
    d.service_delay_median_h[m] = 0;
    d.service_delay_p90_h[m] = 0;
  }
  d.gauge_change_p90_ratio = 1.0;
  return d;
}

TEST(Distribution, LognormalFitHitsMedianAndP90) {
  Distribution d = Distribution::lognormal(10, 20);
  EXPECT_NEAR(d.mu(), std::log(10.0), 1e-12);
  EXPECT_NEAR(d.sigma(), std::log(2.0) / 1.2815515655446004, 1e-12);
  EXPECT_NEAR(d.quantile(0.5), 10, 1e-9);
  EXPECT_NEAR(d.quantile(0.9), 20, 1e-9);
  EXPECT_NEAR(d.cdf(20), 0.9, 1e-9);
  EXPECT_NEAR(d.cdf(10), 0.5, 1e-12);
}

TEST(Distribution, ZeroMedianIsConstantZeroAndEqualP90IsConstant) {
  EXPECT_EQ(Distribution::lognormal(0, 0).quantile(0.99), 0);
  EXPECT_NEAR(Distribution::lognormal(4, 4).quantile(0.01), 4, 1e-12);
  EXPECT_NEAR(Distribution::lognormal(4, 4).quantile(0.99), 4, 1e-12);
}

TEST(Distribution, EmpiricalInterpolatesBetweenOrderStatistics) {
  Distribution d = Distribution::empirical({4, 1, 3, 2, 5});
  EXPECT_EQ(d.quantile(0.0), 1);
  EXPECT_EQ(d.quantile(0.5), 3);
  EXPECT_NEAR(d.quantile(0.125), 1.5, 1e-12);  // h = 0.5
  EXPECT_NEAR(d.cdf(1.5), 0.125, 1e-12);
  EXPECT_EQ(d.cdf(0.5), 0);
  EXPECT_EQ(d.cdf(5), 1);
}

TEST(Distribution, NormalQuantileInvertsTheCdf) {
  for (double p : {1e-6, 0.01, 0.1, 0.5, 0.9, 0.975, 1 - 1e-6})
    EXPECT_NEAR(phi(normal_quantile(p)), p, 1e-12 + 1e-9 * p) << p;
  EXPECT_NEAR(normal_quantile(0.9), 1.2815515655446004, 1e-12);
}

// rounded_scaled_quantile must be exactly llround(quantile(u) * scale): the
// Monte Carlo's numbers for a seed must not depend on which path it takes.
// Random u mostly take the fast path; u chosen so that quantile(u) * scale
// lands on a half (where the two roundings could disagree) force the exact one.
TEST(Distribution, RoundedScaledQuantileEqualsRoundingTheExactQuantile) {
  const std::vector<Distribution> dists = {
      Distribution::lognormal(1.0, 1.33),    Distribution::lognormal(1.0, 1.10),
      Distribution::lognormal(3.0, 24.0),    Distribution::lognormal(12.0, 72.0),
      Distribution::lognormal(10.0, 20.0),   Distribution::lognormal(0.5, 50.0),
      Distribution::lognormal(400.0, 900.0), Distribution::lognormal(0, 0),
      Distribution::lognormal(4.0, 4.0),     Distribution::empirical({-1.0, 0.5, 2.0, 7.25, 30.0})};
  const double scales[] = {3600.0, 1.0, 7.0 * 3600.0, 123457.0};
  std::size_t checked = 0;
  for (const Distribution& d : dists) {
    for (double scale : scales) {
      auto expect_exact = [&](double u) {
        ASSERT_EQ(d.rounded_scaled_quantile(u, scale), std::llround(d.quantile(u) * scale))
            << "u=" << u << " scale=" << scale << " mu=" << d.mu() << " sigma=" << d.sigma();
        ++checked;
      };
      SampleRng rng(99, static_cast<std::uint64_t>(scale));
      for (int i = 0; i < 20000; ++i) expect_exact(rng.uniform());
      if (d.kind() != Distribution::Kind::kLognormal || d.sigma() == 0) continue;
      // Values k + 0.5 between the 5% and 95% quantiles, and u around each
      // by 0 to 2^40 ulps either side: inside and outside the guard band.
      const double lo = d.quantile(0.05) * scale, hi = d.quantile(0.95) * scale;
      for (int step = 0; step < 16; ++step) {
        const double half = std::floor(lo + (hi - lo) * step / 16.0) + 0.5;
        const double u0 = d.cdf(half / scale);
        if (!(u0 > 0.03 && u0 < 0.97)) continue;
        expect_exact(u0);
        for (int j = 0; j <= 40; j += 2) {
          const double du = std::ldexp(std::numeric_limits<double>::epsilon(), j) * u0;
          expect_exact(u0 + du);
          expect_exact(u0 - du);
        }
      }
    }
  }
  EXPECT_GT(checked, 800000u);
}

TEST(SampleRng, StreamsDependOnSeedAndSampleOnly) {
  SampleRng a(7, 3), b(7, 3), c(7, 4), d(8, 3);
  std::uint64_t x = a.next();
  EXPECT_EQ(x, b.next());
  EXPECT_NE(x, c.next());
  EXPECT_NE(x, d.next());
  for (int i = 0; i < 1000; ++i) {
    double u = a.uniform();
    ASSERT_GT(u, 0);
    ASSERT_LT(u, 1);
  }
}

//   x --road 100 km @ 50 (2 h)--> cn |border 24/7, clearance lognormal(10 h, 20 h)| kz --road 100 km @ 50--> y
struct BorderFixture {
  Network net;
  std::unique_ptr<RouteIndex> index;
  std::unique_ptr<Planner> planner;
  BorderFixture()
      : net(load_or_fail(make_files("x,X,,CN,city,44,79,Asia/Shanghai,0,0,USD,t\n"
                                    "cn,Post CN,,CN,bcp,44,80,Asia/Shanghai,0,0,USD,t\n"
                                    "kz,Post KZ,,KZ,bcp,44,80.1,Asia/Almaty,0,0,USD,t\n"
                                    "y,Y,,KZ,city,44,81,Asia/Almaty,0,0,USD,t\n",
                                    "x-cn,x,cn,road,100,,50,0,0,USD,,,true,open,t\n"
                                    "kz-y,kz,y,road,100,,50,0,0,USD,,,true,open,t\n",
                                    "cn-kz,cn,kz,road,10,20,50,USD,24/7,24/7,false,,,,t\n"))) {
    index = std::make_unique<RouteIndex>(net);
    planner = std::make_unique<Planner>(*index);
  }
  RouteQuery query() const {
    RouteQuery q;
    q.from = net.find_location("x");
    q.to = net.find_location("y");
    q.depart = at("2026-03-02T00:00Z");
    return q;
  }
};

TEST(MonteCarlo, SampledPercentilesOfOneLognormalStageMatchTheClosedForm) {
  BorderFixture f;
  StageModel model(*f.index, only_clearance_varies());
  RouteQuery q = f.query();
  auto its = f.planner->plan(q);
  ASSERT_TRUE(its.ok());
  MonteCarloOptions o;
  o.samples = 20000;
  o.seed = 42;
  std::vector<double> h = sample_arrival_hours(model, q, its->front(), o);
  std::sort(h.begin(), h.end());
  const double n = static_cast<double>(h.size());
  const double mu = std::log(10.0), sigma = std::log(2.0) / 1.2815515655446004;
  for (double p : {0.5, 0.8, 0.95}) {
    // Nearest-rank empirical quantile of arrival; minus the 4 h of road is a clearance quantile.
    double x = h[static_cast<std::size_t>(std::ceil(p * n)) - 1] - 4.0;
    double f_at = phi((std::log(x) - mu) / sigma);  // where it sits in the true distribution
    double se = std::sqrt(p * (1 - p) / n);         // binomial SE of an empirical quantile's level
    EXPECT_NEAR(f_at, p, 4 * se + 1.0 / 3600 / x) << "p" << p << " sample quantile " << x;
  }
  Reliability r = summarize(h, q, std::nullopt);
  EXPECT_NEAR(r.p50_hours, 4 + 10, 0.3);  // closed form 14 h; SE of the median about 0.06 h
  EXPECT_EQ(r.samples, 20000u);
  EXPECT_FALSE(r.on_time_probability.has_value());
}

TEST(MonteCarlo, SameSeedSameAnswerForAnyThreadCount) {
  BorderFixture f;
  StageModel model(*f.index);
  RouteQuery q = f.query();
  auto its = f.planner->plan(q);
  ASSERT_TRUE(its.ok());
  MonteCarloOptions o;
  o.samples = 3000;
  o.seed = 2026;
  o.threads = 1;
  std::vector<double> one = sample_arrival_hours(model, q, its->front(), o);
  for (unsigned t : {2u, 8u}) {
    o.threads = t;
    EXPECT_EQ(sample_arrival_hours(model, q, its->front(), o), one) << t << " threads";
  }
  o.threads = 2;
  EXPECT_EQ(sample_arrival_hours(model, q, its->front(), o), one) << "repeated run";
  o.seed = 2027;
  EXPECT_NE(sample_arrival_hours(model, q, its->front(), o), one) << "another seed";
}

// Nearest rank on 20 samples: p5 is the smallest, p10 the 2nd, p50 the 10th,
// p80 the 16th, p95 the 19th. Here 18 arrive (1 to 18 hours) and 2 never do, so p95 is infinite; by
// a deadline 12.5 h after departure 12 of 20 have arrived.
TEST(MonteCarlo, SummaryTakesNearestRankPercentilesOfUnsortedSamples) {
  const double inf = std::numeric_limits<double>::infinity();
  std::vector<double> hours = {7, inf, 3, 18, 1, 12, 9, 16, 2, 14, 5, inf, 10, 17, 4, 13, 8, 6, 15, 11};
  RouteQuery q;
  q.depart = at("2026-03-02T00:00Z");
  const Instant deadline = at("2026-03-02T12:30Z");
  Reliability r = summarize(hours, q, deadline);
  EXPECT_EQ(r.samples, 20u);
  EXPECT_EQ(r.p5_hours, 1);
  EXPECT_EQ(r.p10_hours, 2);
  EXPECT_EQ(r.p50_hours, 10);
  EXPECT_EQ(r.p80_hours, 16);
  EXPECT_EQ(r.p95_hours, inf);
  EXPECT_EQ(r.never_arrived, 2u);
  ASSERT_TRUE(r.on_time_probability.has_value());
  EXPECT_DOUBLE_EQ(*r.on_time_probability, 0.6);
  // In place: the same answer, on the caller's buffer.
  Reliability s = summarize_in_place(hours, q, deadline);
  EXPECT_EQ(s.p5_hours, 1);
  EXPECT_EQ(s.p10_hours, 2);
  EXPECT_EQ(s.p50_hours, 10);
  EXPECT_EQ(s.p80_hours, 16);
  EXPECT_EQ(s.p95_hours, inf);
  EXPECT_EQ(*s.on_time_probability, 0.6);
  // A single sample is every percentile.
  Reliability one = summarize({42.0}, q, std::nullopt);
  EXPECT_EQ(one.p5_hours, 42);
  EXPECT_EQ(one.p50_hours, 42);
  EXPECT_EQ(one.p95_hours, 42);
  EXPECT_FALSE(one.on_time_probability.has_value());
}

TEST(MonteCarlo, ReusedScratchBufferGivesTheSameSamplesAndSummary) {
  BorderFixture f;
  StageModel model(*f.index);
  RouteQuery q = f.query();
  auto its = f.planner->plan(q);
  ASSERT_TRUE(its.ok());
  MonteCarloOptions o;
  o.samples = 500;
  o.seed = 11;
  o.threads = 1;
  o.deadline = at("2026-03-03T00:00Z");
  const std::vector<double> fresh = sample_arrival_hours(model, q, its->front(), o);
  std::vector<double> scratch(2000, -1.0);  // longer, with stale contents
  sample_arrival_hours(model, q, its->front(), o, scratch);
  EXPECT_EQ(scratch, fresh);
  const Reliability a = monte_carlo(model, q, its->front(), o);
  const Reliability b = monte_carlo(model, q, its->front(), o, scratch);
  EXPECT_EQ(a.p50_hours, b.p50_hours);
  EXPECT_EQ(a.p95_hours, b.p95_hours);
  EXPECT_EQ(a.on_time_probability, b.on_time_probability);
  EXPECT_EQ(a.p95_hours, summarize(fresh, q, o.deadline).p95_hours);
}

//   x --road 2 h--> cn |border 24/7, clearance lognormal(8 h, 16 h)| kz --road 2 h--> p ==ferry Tue 10:00 (UTC+5), 20
//   h==> q
// Ready Monday 2026-03-02 00:00Z. The ferry leaves Tuesday 05:00Z, 29 h after
// departure: it is caught when 2 + clearance + 2 <= 29, i.e. clearance <= 25 h.
// Caught: arrival at 49 h. Missed: the next ferry, a week later, at 217 h.
TEST(MonteCarlo, MissingTheWeeklyFerryCostsAWeekWithTheAnalyticProbability) {
  Network net =
      load_or_fail(make_files("x,X,,CN,city,44,79,Asia/Shanghai,0,0,USD,t\n"
                              "cn,Post CN,,CN,bcp,44,80,Asia/Shanghai,0,0,USD,t\n"
                              "kz,Post KZ,,KZ,bcp,44,80.1,Asia/Almaty,0,0,USD,t\n"
                              "p,Port P,,KZ,seaport,44,81,Asia/Almaty,0,0,USD,t\n"
                              "q,Port Q,,KZ,seaport,43,51,Asia/Almaty,0,0,USD,t\n",
                              "x-cn,x,cn,road,100,,50,0,0,USD,,,true,open,t\n"
                              "kz-p,kz,p,road,100,,50,0,0,USD,,,true,open,t\n"
                              "p-q,p,q,ferry,300,,15,0,0,USD,,,true,open,t\n",
                              "cn-kz,cn,kz,road,8,16,50,USD,24/7,24/7,false,,,,t\n",
                              "f1,Weekly ferry,ferry,KMTF,p;q,Tue,10:00,0;20,50,300,USD,t\n"));
  RouteIndex index(net);
  Planner planner(index);
  RouteQuery q;
  q.from = net.find_location("x");
  q.to = net.find_location("q");
  q.depart = at("2026-03-02T00:00Z");
  auto its = planner.plan(q);
  ASSERT_TRUE(its.ok()) << its.error().to_string();
  EXPECT_EQ(format_instant_utc(its->front().arrive), "2026-03-04T01:00:00Z");  // 49 h with median clearance

  StageModel model(index, only_clearance_varies());
  MonteCarloOptions o;
  o.samples = 20000;
  o.seed = 9;
  o.deadline = at("2026-03-05T00:00Z");  // a day of margin after the first ferry, days before the next
  std::vector<double> h = sample_arrival_hours(model, q, its->front(), o);
  for (double x : h) ASSERT_TRUE(x == 49.0 || x == 49.0 + 168.0) << x;
  Reliability r = summarize(h, q, o.deadline);
  const double expected = phi(std::log(25.0 / 8.0) / (std::log(2.0) / 1.2815515655446004));  // 0.9824
  const double se = std::sqrt(expected * (1 - expected) / o.samples);
  ASSERT_TRUE(r.on_time_probability.has_value());
  EXPECT_NEAR(*r.on_time_probability, expected, 4 * se);
  EXPECT_EQ(r.p50_hours, 49.0);
  EXPECT_EQ(r.p95_hours, 49.0);  // fewer than 5% miss the ferry
  EXPECT_EQ(r.never_arrived, 0u);
}

//   x --road 2 h--> cn =A= kz --road 2 h--> y   crossing A: clearance median 10 h, p90 100 h, fee 50 USD/TEU
//                   cn2 =B= kz2                 crossing B: clearance median 12 h, p90 13 h, fee 100 USD/TEU
// With medians B is slower and dearer than A, so not on the Pareto front; by a
// deadline 20 h out it is far more reliable: P(A) = Phi(ln(16/10)/sigma_A) ~ 0.60,
// P(B) = Phi(ln(16/12)/sigma_B) ~ 1.
TEST(MonteCarlo, FindsTheMostReliableOptionOffTheParetoFront) {
  Network net =
      load_or_fail(make_files("x,X,,CN,city,44,79,Asia/Shanghai,0,0,USD,t\n"
                              "cn,Post A CN,,CN,bcp,44,80,Asia/Shanghai,0,0,USD,t\n"
                              "kz,Post A KZ,,KZ,bcp,44,80.1,Asia/Almaty,0,0,USD,t\n"
                              "cn2,Post B CN,,CN,bcp,45,80,Asia/Shanghai,0,0,USD,t\n"
                              "kz2,Post B KZ,,KZ,bcp,45,80.1,Asia/Almaty,0,0,USD,t\n"
                              "y,Y,,KZ,city,44,81,Asia/Almaty,0,0,USD,t\n",
                              "x-cn,x,cn,road,100,,50,0,0,USD,,,true,open,t\n"
                              "kz-y,kz,y,road,100,,50,0,0,USD,,,true,open,t\n"
                              "x-cn2,x,cn2,road,100,,50,0,0,USD,,,true,open,t\n"
                              "kz2-y,kz2,y,road,100,,50,0,0,USD,,,true,open,t\n",
                              "a,cn,kz,road,10,100,50,USD,24/7,24/7,false,,,,t\n"
                              "b,cn2,kz2,road,12,13,100,USD,24/7,24/7,false,,,,t\n"));
  RouteIndex index(net);
  Planner planner(index);
  RouteQuery q;
  q.from = net.find_location("x");
  q.to = net.find_location("y");
  q.depart = at("2026-03-02T00:00Z");
  StageModel model(index, only_clearance_varies());

  auto front = planner.plan(q);
  ASSERT_TRUE(front.ok());
  ASSERT_EQ(front->size(), 1u);  // B is dominated with medians

  MonteCarloOptions o;
  o.samples = 4000;
  o.seed = 5;
  o.deadline = at("2026-03-02T20:00Z");
  auto its = plan_reliable(planner, model, q, o);
  ASSERT_TRUE(its.ok()) << its.error().to_string();
  ASSERT_EQ(its->size(), 2u);
  const Itinerary& a = (*its)[0];
  const Itinerary& b = (*its)[1];
  EXPECT_FALSE(a.most_reliable);
  EXPECT_TRUE(b.most_reliable);
  EXPECT_EQ(net.crossings[b.border_crossings.at(0)].id, "b");
  EXPECT_EQ(b.duration().count(), 16 * 3600);  // shown with median times: 2 + 12 + 2
  const double sa = std::log(10.0) / 1.2815515655446004;
  const double pa = phi(std::log(16.0 / 10.0) / sa);
  EXPECT_NEAR(*a.reliability->on_time_probability, pa, 4 * std::sqrt(pa * (1 - pa) / o.samples));
  EXPECT_GT(*b.reliability->on_time_probability, 0.99);

  // Without a deadline there is nothing to be reliable about: no extra search.
  o.deadline.reset();
  auto plain = plan_reliable(planner, model, q, o);
  ASSERT_TRUE(plain.ok());
  EXPECT_EQ(plain->size(), 1u);
  EXPECT_TRUE(plain->front().reliability.has_value());
}

TEST(MonteCarlo, ObservationsGiveAnEmpiricalStage) {
  DatasetFiles files = make_files(
      "x,X,,CN,city,44,79,Asia/Shanghai,0,0,USD,t\n"
      "cn,Post CN,,CN,bcp,44,80,Asia/Shanghai,0,0,USD,t\n"
      "kz,Post KZ,,KZ,bcp,44,80.1,Asia/Almaty,0,0,USD,t\n",
      "x-cn,x,cn,road,100,,50,0,0,USD,,,true,open,t\n", "cn-kz,cn,kz,road,10,20,50,USD,24/7,24/7,false,,,,t\n");
  files.text["observations.csv"] =
      "kind,id,hours,source\nclearance,cn-kz,3,t\nclearance,cn-kz,5,t\nclearance,cn-kz,4,t\nclearance,cn-kz,6,t\n"
      "clearance,cn-kz,2,t\nlink,x-cn,3,t\n";
  Network net = load_or_fail(files);
  ASSERT_EQ(net.observations.size(), 6u);
  RouteIndex index(net);
  StageModel model(index);
  CrossingIdx c = net.crossing_by_id.at("cn-kz");
  EXPECT_EQ(model.clearance_origin(c), StageOrigin::kObservations);
  EXPECT_EQ(model.clearance(c).median(), 4);
  // One observation of the link is below min_observations: the default stays.
  EXPECT_EQ(model.link_factor(net.link_by_id.at("x-cn")).kind(), Distribution::Kind::kLognormal);
}

TEST(Observations, BadRowsAreReportedWithFileAndLine) {
  DatasetFiles files =
      make_files("x,X,,CN,city,44,79,Asia/Shanghai,0,0,USD,t\ny,Y,,CN,city,44,80,Asia/Shanghai,0,0,USD,t\n",
                 "x-y,x,y,road,100,,50,0,0,USD,,,true,open,t\n");
  files.text["observations.csv"] = "kind,id,hours,source\nclearance,nope,3,t\nspeed,x-y,3,t\nlink,x-y,-1,t\n";
  auto net = load_network(files);
  ASSERT_FALSE(net.ok());
  EXPECT_EQ(to_string(net.errors()),
            "observations.csv:2: column id: unknown crossing \"nope\" (expected an id from crossings.csv)\n"
            "observations.csv:3: column kind: unknown kind \"speed\" (expected clearance, gauge_change, link or "
            "service_delay)\n"
            "observations.csv:4: column hours: negative value -1 (expected a non-negative number)");
}

}  // namespace
}  // namespace caravan
