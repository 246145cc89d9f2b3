// Stage model, timings, Monte Carlo replay and the reliability-aware search.
#include <algorithm>
#include <atomic>
#include <cmath>
#include <limits>
#include <map>

#include "caravan/parallel.h"
#include "caravan/scenario.h"
#include "caravan/stochastic.h"

namespace caravan {

namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();

Duration to_duration_h(double h) { return Duration(std::llround(std::max(0.0, h) * 3600.0)); }
}  // namespace

StageModel::StageModel(const RouteIndex& index, const StageDefaults& defaults) : index_(&index) {
  const NetworkView& view = index.view();
  const Network& net = view.network();

  // Observations by stage.
  std::map<std::pair<int, std::uint32_t>, std::vector<double>> obs;
  for (const Observation& o : net.observations) obs[{static_cast<int>(o.kind), o.ref}].push_back(o.hours);
  auto observed = [&](ObservationKind k, std::uint32_t ref) -> const std::vector<double>* {
    auto it = obs.find({static_cast<int>(k), ref});
    if (it == obs.end() || it->second.size() < defaults.min_observations) return nullptr;
    return &it->second;
  };

  for (CrossingIdx c : net.crossings.indexes()) {
    const Crossing& x = view.crossing(c);
    for (int k = 0; k < kTrafficClasses; ++k) {
      const TrafficClass cls = static_cast<TrafficClass>(k);
      const CrossingTerms& t = x.terms(cls);
      const double med = to_hours(t.clearance_median), p90 = std::max(med, to_hours(t.clearance_p90));
      const std::vector<double>* v = t.overridden ? nullptr : observed(ObservationKind::kClearance, c.v);
      if (view.clearance_set(c, cls)) {
        clearance_.push_back(Distribution::lognormal(med, p90));
        clearance_origin_.push_back(StageOrigin::kScenario);
      } else if (v != nullptr) {
        clearance_.push_back(Distribution::empirical(*v));
        clearance_origin_.push_back(StageOrigin::kObservations);
      } else {
        clearance_.push_back(Distribution::lognormal(med, p90));
        clearance_origin_.push_back(StageOrigin::kDataset);
      }
    }
    if (const auto* v = observed(ObservationKind::kGaugeChange, c.v)) {
      gauge_.push_back(Distribution::empirical(*v));
    } else {
      const double g = to_hours(x.gauge_change_time);
      gauge_.push_back(Distribution::lognormal(g, g * defaults.gauge_change_p90_ratio));
    }
  }
  for (LinkIdx l : net.links.indexes()) {
    const Link& k = view.link(l);
    if (const auto* v = observed(ObservationKind::kLinkTravel, l.v)) {
      const double nominal = to_hours(k.travel_time());
      std::vector<double> factors;
      for (double h : *v) factors.push_back(nominal > 0 ? h / nominal : 1.0);
      link_factor_.push_back(Distribution::empirical(std::move(factors)));
    } else {
      link_factor_.push_back(Distribution::lognormal(1.0, defaults.link_factor_p90[static_cast<int>(k.mode)]));
    }
  }
  for (std::uint32_t i = 0; i < view.service_count(); ++i) {
    const ServiceIdx s(i);
    const Service& x = view.service(s);
    std::optional<std::pair<Duration, Duration>> p = view.punctuality(s);
    const std::vector<double>* v = i < net.services.size() ? observed(ObservationKind::kServiceDelay, i) : nullptr;
    if (p) {
      delay_.push_back(Distribution::lognormal(to_hours(p->first), std::max(to_hours(p->first), to_hours(p->second))));
      delay_origin_.push_back(StageOrigin::kScenario);
    } else if (v != nullptr) {
      delay_.push_back(Distribution::empirical(*v));
      delay_origin_.push_back(StageOrigin::kObservations);
    } else {
      const int m = static_cast<int>(x.mode);
      delay_.push_back(Distribution::lognormal(defaults.service_delay_median_h[m], defaults.service_delay_p90_h[m]));
      delay_origin_.push_back(StageOrigin::kDefault);
    }
  }
  for (std::uint32_t i = 0; i < view.product_count(); ++i) {
    const RailProduct& p = view.product(ProductIdx(i));
    const double med = to_hours(p.formation_median);
    formation_.push_back(Distribution::lognormal(med, std::max(med, to_hours(p.formation_p90))));
  }
  for (LocationIdx l : net.locations.indexes()) {
    const Location& x = view.location(l);
    const double med = to_hours(x.port_dwell_median);
    port_dwell_.push_back(Distribution::lognormal(med, std::max(med, to_hours(x.port_dwell_p90))));
  }
}

// The class a crossing row stands for: its own mode's.
static TrafficClass row_class(const Crossing& c) {
  return c.mode == Mode::kRoad ? TrafficClass::kTruck : TrafficClass::kRail;
}

const Distribution& StageModel::clearance(CrossingIdx c) const {
  return clearance(c, row_class(index_->view().crossing(c)));
}
StageOrigin StageModel::clearance_origin(CrossingIdx c) const {
  return clearance_origin(c, row_class(index_->view().crossing(c)));
}

Duration QuantileTiming::clearance(CrossingIdx c, TrafficClass k, const CrossingTerms&) {
  return to_duration_h(model_->clearance(c, k).quantile(u_));
}
Duration QuantileTiming::formation(ProductIdx p, const RailProduct&) {
  return to_duration_h(model_->formation(p).quantile(u_));
}
Duration QuantileTiming::port_dwell(LocationIdx l, const Location&) {
  return to_duration_h(model_->port_dwell(l).quantile(u_));
}
Duration QuantileTiming::gauge_change(CrossingIdx c, const Crossing&) {
  return to_duration_h(model_->gauge_change(c).quantile(u_));
}
Duration QuantileTiming::link_travel(LinkIdx l, Duration nominal) {
  return Duration(std::llround(static_cast<double>(nominal.count()) * model_->link_factor(l).quantile(u_)));
}
Duration QuantileTiming::service_delay(ServiceIdx s, const Service&) {
  return Duration(std::llround(model_->service_delay(s).quantile(u_) * 3600.0));
}

namespace {
// Sampled stage hours as whole seconds, never negative: the same as
// to_duration_h(d.quantile(u)). A lognormal is never negative, so its draw
// goes through the cheaper exact rounding (Distribution::rounded_scaled_quantile).
Duration sampled_hours(const Distribution& d, double u) {
  if (d.kind() == Distribution::Kind::kEmpirical) return to_duration_h(d.quantile(u));
  return Duration(d.rounded_scaled_quantile(u, 3600.0));
}
}  // namespace

Duration SampledTiming::clearance(CrossingIdx c, TrafficClass k, const CrossingTerms&) {
  return sampled_hours(model_->clearance(c, k), rng_.uniform());
}
Duration SampledTiming::formation(ProductIdx p, const RailProduct&) {
  return sampled_hours(model_->formation(p), rng_.uniform());
}
Duration SampledTiming::port_dwell(LocationIdx l, const Location&) {
  return sampled_hours(model_->port_dwell(l), rng_.uniform());
}
Duration SampledTiming::gauge_change(CrossingIdx c, const Crossing&) {
  return sampled_hours(model_->gauge_change(c), rng_.uniform());
}
Duration SampledTiming::link_travel(LinkIdx l, Duration nominal) {
  return Duration(model_->link_factor(l).rounded_scaled_quantile(rng_.uniform(), static_cast<double>(nominal.count())));
}
Duration SampledTiming::service_delay(ServiceIdx s, const Service&) {
  return Duration(model_->service_delay(s).rounded_scaled_quantile(rng_.uniform(), 3600.0));
}

void sample_arrival_hours(const StageModel& model, const RouteQuery& q, const Itinerary& it, const MonteCarloOptions& o,
                          std::vector<double>& hours) {
  hours.assign(o.samples, kInf);
  const RouteIndex& index = model.index();
  std::atomic<bool> out_of_time{false};
  auto one = [&](std::size_t i) {
    // The budget's clock is read every 256 samples; past it, samples stay
    // "never arrived" and the caller sees budget_exhausted().
    if ((i & 255) == 0 && !o.budget.check_time().ok()) out_of_time = true;
    if (out_of_time.load(std::memory_order_relaxed)) return;
    SampledTiming timing(model, SampleRng(o.seed, i));
    auto arr = replay_arrival(index, q, it.arcs, timing);
    if (arr) hours[i] = to_hours(*arr - q.depart);
  };
  constexpr std::size_t kBlock = 256;
  if (threads_for(o.samples, o.threads, kBlock) == 1) {
    // One thread (always so for the matrix, which spreads pairs instead):
    // a plain loop, without parallel_for's std::function call per sample.
    for (std::size_t i = 0; i < o.samples; ++i) one(i);
    return;
  }
  parallel_for(
      o.samples, o.threads, [&](std::size_t i, unsigned) { one(i); }, kBlock);
}

std::vector<double> sample_arrival_hours(const StageModel& model, const RouteQuery& q, const Itinerary& it,
                                         const MonteCarloOptions& o) {
  std::vector<double> hours;
  sample_arrival_hours(model, q, it, o, hours);
  return hours;
}

Reliability summarize_in_place(std::span<double> hours, const RouteQuery& q, const std::optional<Instant>& deadline) {
  Reliability r;
  r.samples = static_cast<std::uint32_t>(hours.size());
  if (hours.empty()) return r;
  const std::size_t n = hours.size();
  // Nearest-rank percentiles need five order statistics, not a sorted array:
  // select the highest rank first, then each lower one within the part below
  // it (linear time instead of n log n; the values are the same).
  auto rank = [&](double p) { return static_cast<std::size_t>(std::ceil(p * static_cast<double>(n))) - 1; };
  const std::size_t ranks[] = {rank(0.95), rank(0.80), rank(0.50), rank(0.10), rank(0.05)};
  auto end = hours.end();
  for (std::size_t k : ranks) {
    auto nth = hours.begin() + static_cast<std::ptrdiff_t>(k);
    std::nth_element(hours.begin(), nth, end);
    end = nth;
  }
  r.p95_hours = hours[ranks[0]];
  r.p80_hours = hours[ranks[1]];
  r.p50_hours = hours[ranks[2]];
  r.p10_hours = hours[ranks[3]];
  r.p5_hours = hours[ranks[4]];
  r.never_arrived = static_cast<std::uint32_t>(std::count(hours.begin(), hours.end(), kInf));
  if (deadline) {
    const double limit = to_hours(*deadline - q.depart);
    const auto on_time = std::count_if(hours.begin(), hours.end(), [&](double h) { return h <= limit; });
    r.on_time_probability = static_cast<double>(on_time) / static_cast<double>(n);
  }
  return r;
}

Reliability summarize(std::vector<double> hours, const RouteQuery& q, const std::optional<Instant>& deadline) {
  return summarize_in_place(hours, q, deadline);
}

Reliability monte_carlo(const StageModel& model, const RouteQuery& q, const Itinerary& it, const MonteCarloOptions& o,
                        std::vector<double>& scratch) {
  sample_arrival_hours(model, q, it, o, scratch);
  return summarize_in_place(scratch, q, o.deadline);
}

Reliability monte_carlo(const StageModel& model, const RouteQuery& q, const Itinerary& it, const MonteCarloOptions& o) {
  std::vector<double> hours;
  return monte_carlo(model, q, it, o, hours);
}

Result<std::vector<Itinerary>> plan_reliable(Planner& planner, const StageModel& model, const RouteQuery& q,
                                             const MonteCarloOptions& o) {
  auto base = planner.plan(q);
  if (!base) return base;
  std::vector<Itinerary> out = std::move(base).value();
  for (Itinerary& it : out) it.reliability = monte_carlo(model, q, it, o);
  if (auto st = o.budget.check_time(); !st.ok()) return st.errors();
  if (!o.deadline) return out;

  // Candidates found with pessimistic stage durations, timed with medians;
  // one per route (route_key), and none already on the front.
  std::vector<Itinerary> extra;
  std::vector<std::string> keys;
  for (const Itinerary& it : out) keys.push_back(route_key(it));
  for (double u : {0.8, 0.95}) {
    QuantileTiming pessimistic(model, u);
    auto found = planner.plan(q, pessimistic);
    if (!found) continue;
    for (const Itinerary& p : *found) {
      auto nominal = retime(model.index(), q, p.arcs);
      if (!nominal) continue;
      const std::string k = route_key(*nominal);
      if (std::find(keys.begin(), keys.end(), k) != keys.end()) continue;
      keys.push_back(k);
      nominal->reliability = monte_carlo(model, q, *nominal, o);
      extra.push_back(std::move(*nominal));
    }
  }
  if (auto st = o.budget.check_time(); !st.ok()) return st.errors();
  auto better = [](const Itinerary& a, const Itinerary& b) {
    const Reliability& x = *a.reliability;
    const Reliability& y = *b.reliability;
    if (*x.on_time_probability != *y.on_time_probability) return *x.on_time_probability > *y.on_time_probability;
    if (x.p95_hours != y.p95_hours) return x.p95_hours < y.p95_hours;
    return a.cost_usd_cents < b.cost_usd_cents;
  };
  std::size_t best = 0;
  for (std::size_t i = 1; i < out.size(); ++i) {
    if (better(out[i], out[best])) best = i;
  }
  std::optional<std::size_t> best_extra;
  for (std::size_t i = 0; i < extra.size(); ++i) {
    if (better(extra[i], out[best]) && (!best_extra || better(extra[i], extra[*best_extra]))) best_extra = i;
  }
  if (best_extra) {
    out.push_back(std::move(extra[*best_extra]));
    best = out.size() - 1;
  }
  out[best].most_reliable = true;
  return out;
}

}  // namespace caravan
