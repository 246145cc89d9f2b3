// caravan/stochastic.h — how sure: stage distributions and Monte Carlo replay.
//
// The deterministic planner assumes median clearance and a punctual timetable.
// Real stages vary: border clearance, gauge change, travel on a link and a
// service's lateness are random here (DESIGN.md section 9). Each stage has a
// Distribution:
//   * lognormal, fitted from a median m and a 90th percentile p90:
//       mu = ln(m),  sigma = (ln(p90) - ln(m)) / z90,  z90 = 1.2815515655446004
//     (z90 is the standard normal's 0.9 quantile); or
//   * empirical, from observed durations in the dataset (observations.csv),
//     when a stage has at least StageDefaults::min_observations of them.
// Defaults and their derivation are in docs/methodology.md.
//
// A Monte Carlo replay samples every stage of an itinerary and walks its arcs
// again with the planner's own rules (route.h, replay_arrival): a late train
// can miss a weekly ferry or a border's night closure. Sample i draws from its
// own random stream, derived from (seed, i) by splitmix64, so results are the
// same for any number of threads.
//
// Thread safety: StageModel is immutable after construction; monte_carlo and
// plan_reliable may run concurrently on one model and index.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <vector>

#include "caravan/error.h"
#include "caravan/route.h"

namespace caravan {

/// The standard normal's 0.9 quantile: ln(p90/median) / z90 is a lognormal's sigma.
inline constexpr double kZ90 = 1.2815515655446004;

/// Standard normal CDF.
double normal_cdf(double z);
/// Inverse standard normal CDF for p in (0, 1) (Acklam's rational
/// approximation with one Newton step; relative error below 1e-12).
double normal_quantile(double p);

/// A distribution of a non-negative quantity (hours, or a travel-time factor).
class Distribution {
 public:
  enum class Kind : std::uint8_t { kLognormal, kEmpirical };

  /// Lognormal with this median and 90th percentile (p90 >= median >= 0).
  /// A zero median gives the constant 0; p90 == median a constant.
  static Distribution lognormal(double median, double p90);
  /// Empirical from observations (at least one); quantiles interpolate
  /// linearly between order statistics.
  static Distribution empirical(std::vector<double> observations);

  Kind kind() const { return kind_; }
  double mu() const { return mu_; }
  double sigma() const { return sigma_; }
  /// The u-quantile, u in (0, 1).
  double quantile(double u) const;
  /// quantile(u) * scale rounded to the nearest whole number (halves away
  /// from zero): how a sampled stage becomes whole seconds. Always exactly
  /// std::llround(quantile(u) * scale), but for a lognormal it usually skips
  /// the refinement step of normal_quantile, which is most of the cost of a
  /// draw (docs/adr/0330-exact-rounded-lognormal-draws.md).
  std::int64_t rounded_scaled_quantile(double u, double scale) const;
  /// P(X <= x).
  double cdf(double x) const;
  double median() const { return quantile(0.5); }

 private:
  Kind kind_ = Kind::kLognormal;
  double mu_ = 0, sigma_ = 0;
  bool zero_ = false;
  std::vector<double> sorted_;
};

namespace detail {
/// splitmix64's output function.
inline std::uint64_t splitmix64_mix(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}
inline constexpr std::uint64_t kSplitmix64Golden = 0x9e3779b97f4a7c15ULL;
}  // namespace detail

/// Random numbers for one sample: a splitmix64 stream seeded from (seed, sample).
/// Defined inline: a replay draws several numbers per leg.
class SampleRng {
 public:
  SampleRng(std::uint64_t seed, std::uint64_t sample)
      : state_(detail::splitmix64_mix(detail::splitmix64_mix(seed + detail::kSplitmix64Golden) ^
                                      (sample * detail::kSplitmix64Golden + 1))) {}
  std::uint64_t next() {
    state_ += detail::kSplitmix64Golden;
    return detail::splitmix64_mix(state_);
  }
  /// Uniform in (0, 1), never 0 or 1: 53 random bits, shifted by half a step.
  double uniform() { return (static_cast<double>(next() >> 11) + 0.5) * (1.0 / 9007199254740992.0); }

 private:
  std::uint64_t state_;
};

/// Defaults for stages without data of their own (docs/methodology.md gives
/// the derivation; all are estimates).
struct StageDefaults {
  /// Gauge change: lognormal with the crossing's gauge_change_h as median and
  /// p90 = median * this.
  double gauge_change_p90_ratio = 2.0;
  /// Travel on a link: the nominal time (length / speed) times a lognormal
  /// factor with median 1 and this p90, by mode (rail, road, ferry, sea, air).
  double link_factor_p90[kModeCount] = {1.33, 1.15, 1.25, 1.25, 1.10};
  /// Lateness of a service on arrival, hours: median and p90 by mode.
  double service_delay_median_h[kModeCount] = {3.0, 1.0, 6.0, 12.0, 1.0};
  double service_delay_p90_h[kModeCount] = {24.0, 6.0, 48.0, 72.0, 8.0};
  /// Observations needed before a stage uses its empirical distribution.
  std::size_t min_observations = 5;
};

/// Where a stage's distribution comes from.
enum class StageOrigin : std::uint8_t { kDataset, kObservations, kScenario, kDefault };

/// The distribution of every stage of one RouteIndex (the data in force of
/// its view). The index must outlive the model.
class StageModel {
 public:
  explicit StageModel(const RouteIndex& index, const StageDefaults& defaults = {});

  const RouteIndex& index() const { return *index_; }
  /// Clearance hours of a crossing for a traffic class: a scenario's
  /// set_clearance, else the crossing's observations (for a class the crossing
  /// row times, not one crossing_classes.csv overrides), else lognormal from
  /// that class's median and p90.
  const Distribution& clearance(CrossingIdx c, TrafficClass k) const { return clearance_[slot(c, k)]; }
  StageOrigin clearance_origin(CrossingIdx c, TrafficClass k) const { return clearance_origin_[slot(c, k)]; }
  /// The row's class (rail for a rail crossing, truck for a road one).
  const Distribution& clearance(CrossingIdx c) const;
  StageOrigin clearance_origin(CrossingIdx c) const;
  /// Gauge change hours of a crossing (meaningless when it changes no gauge).
  const Distribution& gauge_change(CrossingIdx c) const { return gauge_[c.v]; }
  /// Factor on a link's nominal travel time.
  const Distribution& link_factor(LinkIdx l) const { return link_factor_[l.v]; }
  /// Hours late on arrival of a ride on a service (base and added services).
  const Distribution& service_delay(ServiceIdx s) const { return delay_[s.v]; }
  StageOrigin service_delay_origin(ServiceIdx s) const { return delay_origin_[s.v]; }
  /// Formation dwell of an on-demand rail product: lognormal from its median and p90.
  const Distribution& formation(ProductIdx p) const { return formation_[p.v]; }
  /// A seaport's dwell before loading: lognormal from its median and p90
  /// (constant 0 where none is given).
  const Distribution& port_dwell(LocationIdx l) const { return port_dwell_[l.v]; }

 private:
  static std::size_t slot(CrossingIdx c, TrafficClass k) {
    return static_cast<std::size_t>(c.v) * kTrafficClasses + static_cast<std::size_t>(k);
  }
  const RouteIndex* index_;
  std::vector<Distribution> clearance_, gauge_, link_factor_, delay_, formation_, port_dwell_;
  std::vector<StageOrigin> clearance_origin_, delay_origin_;
};

/// Every stage at its u-quantile (u = 0.95: a pessimistic but consistent
/// world). Deterministic, so the planner can search with it.
class QuantileTiming final : public StageTiming {
 public:
  QuantileTiming(const StageModel& model, double u) : model_(&model), u_(u) {}
  Duration clearance(CrossingIdx c, TrafficClass k, const CrossingTerms&) override;
  Duration gauge_change(CrossingIdx c, const Crossing&) override;
  Duration link_travel(LinkIdx l, Duration nominal) override;
  Duration service_delay(ServiceIdx s, const Service&) override;
  Duration formation(ProductIdx p, const RailProduct&) override;
  Duration port_dwell(LocationIdx l, const Location&) override;

 private:
  const StageModel* model_;
  double u_;
};

/// Every stage drawn from its distribution, in the order the replay asks.
class SampledTiming final : public StageTiming {
 public:
  SampledTiming(const StageModel& model, SampleRng rng) : model_(&model), rng_(rng) {}
  Duration clearance(CrossingIdx c, TrafficClass k, const CrossingTerms&) override;
  Duration gauge_change(CrossingIdx c, const Crossing&) override;
  Duration link_travel(LinkIdx l, Duration nominal) override;
  Duration service_delay(ServiceIdx s, const Service&) override;
  Duration formation(ProductIdx p, const RailProduct&) override;
  Duration port_dwell(LocationIdx l, const Location&) override;

 private:
  const StageModel* model_;
  SampleRng rng_;
};

struct MonteCarloOptions {
  std::uint32_t samples = 1000;  ///< >= 1
  std::uint64_t seed = 1;
  unsigned threads = 0;             ///< 0: default_threads()
  std::optional<Instant> deadline;  ///< for on_time_probability
  /// Time the replay may take (its deadline and cancel flag; labels are the
  /// planner's). When it runs out the remaining samples count as never arrived
  /// and plan_reliable fails with the budget's error.
  Budget budget;
};

/// Hours from the query's departure to arrival in each sample, in sample
/// order (infinity when the cargo got stuck). The same for any thread count.
std::vector<double> sample_arrival_hours(const StageModel& model, const RouteQuery& q, const Itinerary& it,
                                         const MonteCarloOptions& o);
/// The same into `hours` (resized to o.samples; its capacity is reused, so a
/// caller replaying many itineraries allocates once per thread).
void sample_arrival_hours(const StageModel& model, const RouteQuery& q, const Itinerary& it, const MonteCarloOptions& o,
                          std::vector<double>& hours);

/// p50/p80/p95 (nearest rank) and P(arrive by deadline) of the replay.
Reliability summarize(std::vector<double> hours, const RouteQuery& q, const std::optional<Instant>& deadline);
/// The same without a copy: reorders `hours`.
Reliability summarize_in_place(std::span<double> hours, const RouteQuery& q, const std::optional<Instant>& deadline);

/// sample_arrival_hours + summarize. `it` must have been planned on
/// model.index() for `q`.
Reliability monte_carlo(const StageModel& model, const RouteQuery& q, const Itinerary& it, const MonteCarloOptions& o);
/// The same with `scratch` as the buffer of sampled hours (its contents are
/// overwritten); for callers that run many replays on one thread.
Reliability monte_carlo(const StageModel& model, const RouteQuery& q, const Itinerary& it, const MonteCarloOptions& o,
                        std::vector<double>& scratch);

/// Plans `q` and attaches a Monte Carlo reliability to every option. With a
/// deadline it also searches for the option most likely to arrive by it: the
/// planner runs again with every stage at pessimistic quantiles (0.8 and
/// 0.95), each distinct route found is replayed with the same random streams,
/// and the one with the highest on-time probability (then lowest p95, then
/// cost) is marked most_reliable. A route already on the front (the same
/// moving legs, crossings and services: route_key) marks that front member;
/// another is appended, timed with medians like the others. Fails like
/// Planner::plan, or with the budget's error when o.budget runs out.
Result<std::vector<Itinerary>> plan_reliable(Planner& planner, const StageModel& model, const RouteQuery& q,
                                             const MonteCarloOptions& o);

}  // namespace caravan
