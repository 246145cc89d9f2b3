#include "caravan/matrix.h"

#include <algorithm>
#include <atomic>
#include <cmath>
#include <mutex>
#include <set>

#include "caravan/csv.h"
#include "caravan/file.h"
#include "caravan/parallel.h"
#include "caravan/places.h"
#include "caravan/stochastic.h"

namespace caravan {

std::vector<LocationIdx> default_hubs(const Network& net) {
  static const char* kHubs[] = {"Xi'an",       "Chongqing", "Chengdu",  "Zhengzhou", "Yiwu",
                                "Lianyungang", "Urumqi",    "Astana",   "Bishkek",   "Dushanbe",
                                "Ashgabat",    "Tashkent",  "Duisburg", "Istanbul",  "Baku"};
  std::vector<LocationIdx> out;
  for (const std::string& id : net.info.hubs) {
    LocationIdx i = net.find_location(id);
    if (i.valid() && std::find(out.begin(), out.end(), i) == out.end()) out.push_back(i);
  }
  if (!out.empty()) return out;
  for (const char* name : kHubs) {
    auto r = resolve_place(net, name);
    if (r && std::find(out.begin(), out.end(), *r) == out.end()) out.push_back(*r);
  }
  return out;
}

const MatrixCell* Matrix::find(LocationIdx from, LocationIdx to) const {
  auto a = std::find(places.begin(), places.end(), from);
  auto b = std::find(places.begin(), places.end(), to);
  if (a == places.end() || b == places.end() || a == b) return nullptr;
  const std::size_t n = places.size();
  const std::size_t i = static_cast<std::size_t>(a - places.begin()), j = static_cast<std::size_t>(b - places.begin());
  return &cells[i * (n - 1) + (j < i ? j : j - 1)];
}

Result<Matrix> compute_matrix(const RouteIndex& index, const std::vector<LocationIdx>& places, const MatrixOptions& o) {
  if (places.size() < 2) return Error::invalid("a matrix needs at least two places");
  if (std::set<LocationIdx>(places.begin(), places.end()).size() != places.size()) {
    return Error::invalid("a place is listed twice (expected distinct places)");
  }
  RouteQuery proto;
  proto.depart = o.depart;
  proto.units = o.units;
  proto.unit = o.unit;
  proto.cargo_per_unit = o.cargo_per_unit;
  proto.volume_m3 = o.volume_m3;
  proto.equipment = o.equipment;
  proto.value_of_time_usd = o.value_of_time_usd;
  proto.objective = o.objective == Objective::kPareto ? Objective::kGeneralized : o.objective;
  proto.modes = o.modes;
  proto.budget = o.budget;
  if (proto.modes.empty())
    return Error::invalid("no mode allowed (expected at least one of rail, road, ferry, sea, air)");
  if (auto st = check_cargo(index.network(), proto); !st.ok()) return st.errors();
  Matrix m;
  m.objective = proto.objective;
  m.places = places;
  m.samples = o.samples;
  const std::size_t n = places.size();
  for (std::size_t i = 0; i < n; ++i) {
    for (std::size_t j = 0; j < n; ++j) {
      if (i == j) continue;
      MatrixCell c;
      c.from = places[i];
      c.to = places[j];
      m.cells.push_back(c);
    }
  }
  std::optional<StageModel> model;
  if (o.samples > 0) model.emplace(index);
  const unsigned threads = threads_for(m.cells.size(), o.threads, 1);
  // Per-thread scratch, reused across pairs: a planner and the buffer of
  // sampled hours (one allocation per thread, not one per pair).
  std::vector<std::optional<Planner>> planners(threads);
  std::vector<std::vector<double>> sampled_hours(threads);
  std::atomic<std::size_t> done{0};
  std::mutex progress_mu;
  Errors internal;
  std::mutex internal_mu;
  parallel_for(
      m.cells.size(), threads,
      [&](std::size_t k, unsigned worker) {
        if (!planners[worker]) planners[worker].emplace(index);
        MatrixCell& c = m.cells[k];
        RouteQuery q = proto;
        q.from = c.from;
        q.to = c.to;
        auto its = planners[worker]->plan(q);
        if (its) {
          const Itinerary& it = its->front();
          c.reachable = true;
          c.hours = to_hours(it.duration());
          c.cost_usd_cents = it.cost_usd_cents;
          c.co2_g = it.co2_g;
          c.generalized_cost_usd_cents = it.generalized_cost_usd_cents;
          if (model) {
            MonteCarloOptions mc;
            mc.samples = o.samples;
            mc.seed = o.seed;
            mc.threads = 1;  // pairs are already spread over the threads
            c.p95_hours = monte_carlo(*model, q, it, mc, sampled_hours[worker]).p95_hours;
          }
        } else if (its.error().code != ErrorCode::kNoRoute) {
          std::lock_guard<std::mutex> lock(internal_mu);
          internal.push_back(its.error());
        }
        std::size_t d = ++done;
        if (o.progress) {
          std::lock_guard<std::mutex> lock(progress_mu);
          o.progress(d, m.cells.size());
        }
      },
      1);
  if (!internal.empty()) return internal;
  return m;
}

Result<std::vector<DemandRow>> load_demand_csv(const std::string& path, const Network& net) {
  auto text = read_regular_file(path, kMaxTableFileBytes);
  if (!text) return text.errors();
  return parse_demand_csv(*text, path, net);
}

Result<std::vector<DemandRow>> parse_demand_csv(std::string_view text, std::string_view file_name, const Network& net) {
  Errors errors;
  CsvTable t = parse_csv(std::string(file_name), text, errors);
  const int cf = t.column("from"), ct = t.column("to"), cv = t.column("teu_per_year");
  if (cf < 0 || ct < 0 || cv < 0) {
    errors.push_back(Error::at(std::string(file_name), 1, "", "missing column (expected header from,to,teu_per_year)"));
    return errors;
  }
  std::vector<DemandRow> out;
  for (const CsvRow& row : t.rows) {
    if (row.fields.size() != t.header.size()) {
      errors.push_back(Error::at(t.file, row.line, "",
                                 "row has " + std::to_string(row.fields.size()) + " fields (expected " +
                                     std::to_string(t.header.size()) + " as in the header)"));
      continue;
    }
    DemandRow d;
    bool ok = true;
    for (auto [col, name, dest] : {std::tuple{cf, "from", &d.from}, std::tuple{ct, "to", &d.to}}) {
      auto r = resolve_place(net, row.fields[col]);
      if (!r) {
        errors.push_back(Error::at(t.file, row.line, name, r.error().message));
        ok = false;
      } else {
        *dest = *r;
      }
    }
    const std::string& v = row.fields[cv];
    char* end = nullptr;
    double teu = std::strtod(v.c_str(), &end);
    if (v.empty() || end != v.c_str() + v.size() || !std::isfinite(teu) || teu < 0) {
      errors.push_back(Error::at(t.file, row.line, "teu_per_year",
                                 "malformed number \"" + v + "\" (expected a non-negative number)"));
      ok = false;
    }
    d.teu_per_year = teu;
    if (ok) out.push_back(d);
  }
  if (!errors.empty()) return errors;
  return out;
}

double OdChange::delta(Objective o) const {
  switch (o) {
    case Objective::kTime:
      return delta_hours();
    case Objective::kCost:
      return static_cast<double>(scenario.cost_usd_cents - base.cost_usd_cents) / 100.0;
    case Objective::kCo2:
      return static_cast<double>(scenario.co2_g - base.co2_g) / 1000.0;
    case Objective::kPareto:
    case Objective::kGeneralized:
      break;
  }
  return static_cast<double>(scenario.generalized_cost_usd_cents - base.generalized_cost_usd_cents) / 100.0;
}

Comparison compare(const Matrix& base, const Matrix& scenario, const std::vector<DemandRow>* demand) {
  assert(base.places == scenario.places && base.objective == scenario.objective);
  Comparison c;
  c.objective = base.objective;
  for (std::size_t k = 0; k < base.cells.size(); ++k) {
    OdChange ch{base.cells[k], scenario.cells[k], 0};
    c.pairs.push_back(ch);
  }
  if (demand != nullptr) {
    for (const DemandRow& d : *demand) {
      const MatrixCell* cell = base.find(d.from, d.to);
      if (cell == nullptr) continue;
      c.pairs[static_cast<std::size_t>(cell - base.cells.data())].demand_teu += d.teu_per_year;
    }
  }
  auto mean = [&](bool by_demand) {
    MeanChange m;
    double p95_sum = 0, p95_w = 0;
    for (const OdChange& p : c.pairs) {
      if (!p.comparable()) continue;
      double w = by_demand ? p.demand_teu : 1.0;
      if (w <= 0) continue;
      m.weight += w;
      m.hours += w * p.delta_hours();
      m.cost_usd += w * static_cast<double>(p.scenario.cost_usd_cents - p.base.cost_usd_cents) / 100.0;
      m.co2_kg += w * static_cast<double>(p.scenario.co2_g - p.base.co2_g) / 1000.0;
      m.generalized_cost_usd +=
          w * static_cast<double>(p.scenario.generalized_cost_usd_cents - p.base.generalized_cost_usd_cents) / 100.0;
      if (p.base.p95_hours && p.scenario.p95_hours && std::isfinite(*p.base.p95_hours) &&
          std::isfinite(*p.scenario.p95_hours)) {
        p95_sum += w * (*p.scenario.p95_hours - *p.base.p95_hours);
        p95_w += w;
      }
    }
    if (m.weight > 0) {
      m.hours /= m.weight;
      m.cost_usd /= m.weight;
      m.co2_kg /= m.weight;
      m.generalized_cost_usd /= m.weight;
    }
    if (p95_w > 0) m.p95_hours = p95_sum / p95_w;
    return m;
  };
  c.equal_weights = mean(false);
  if (demand != nullptr) c.by_demand = mean(true);
  constexpr double kTie = 1e-9;
  for (std::size_t k = 0; k < c.pairs.size(); ++k) {
    const OdChange& p = c.pairs[k];
    if (p.comparable()) {
      if (p.delta(c.objective) < -kTie) c.winners.push_back(k);
      if (p.delta(c.objective) > kTie) c.losers.push_back(k);
    } else if (p.scenario.reachable) {
      c.connected.push_back(k);
    } else if (p.base.reachable) {
      c.disconnected.push_back(k);
    }
  }
  // Stable sorts keep matrix order among equal changes, so output is reproducible.
  auto d = [&](std::size_t k) { return c.pairs[k].delta(c.objective); };
  std::stable_sort(c.winners.begin(), c.winners.end(), [&](std::size_t a, std::size_t b) { return d(a) < d(b); });
  std::stable_sort(c.losers.begin(), c.losers.end(), [&](std::size_t a, std::size_t b) { return d(a) > d(b); });
  return c;
}

}  // namespace caravan
