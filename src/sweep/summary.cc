// Reading a finished sweep: each cell's change against its base cell, and
// the mean change of each combination.
#include <cmath>

#include "caravan/sweep.h"

namespace caravan {
namespace {

std::optional<double> difference(const std::optional<double>& a, const std::optional<double>& b) {
  if (!a || !b || !std::isfinite(*a) || !std::isfinite(*b)) return std::nullopt;
  return *a - *b;
}

// A weighted mean built one term at a time; empty until a term is added.
struct Mean {
  double sum = 0, weight = 0;
  void add(const std::optional<double>& v, double w) {
    if (!v) return;
    sum += w * *v;
    weight += w;
  }
  std::optional<double> value() const {
    if (weight <= 0) return std::nullopt;
    return sum / weight;
  }
};

}  // namespace

CellChange change_against(const CellResult& r, const CellResult& base) {
  CellChange c;
  if (r.status != CellStatus::kOk || base.status != CellStatus::kOk) return c;
  c.hours = r.hours - base.hours;
  c.p50_hours = difference(r.p50_hours, base.p50_hours);
  c.p95_hours = difference(r.p95_hours, base.p95_hours);
  c.on_time = difference(r.on_time_probability, base.on_time_probability);
  c.cost_usd = static_cast<double>(r.cost_usd_cents - base.cost_usd_cents) / 100.0;
  c.co2_kg = static_cast<double>(r.co2_g - base.co2_g) / 1000.0;
  return c;
}

std::vector<CombinationSummary> summarize(const SweepGrid& grid, const std::vector<CellResult>& cells) {
  bool by_demand = false;
  for (const OdPair& p : grid.pairs) by_demand = by_demand || p.teu_per_year > 0;
  const std::uint64_t block = grid.cell_count() / grid.combinations.size();  // cells per combination
  std::vector<CombinationSummary> out;
  for (std::uint32_t c = 0; c < grid.combinations.size(); ++c) {
    CombinationSummary s;
    s.combination = c;
    s.cells = block;
    s.by_demand = by_demand;
    Mean hours, p50, p95, on_time, cost, co2;
    for (std::uint64_t i = 0; i < block; ++i) {
      const CellResult& r = cells[c * block + i];
      CellChange d = change_against(r, cells[i]);
      if (!d.hours) continue;
      ++s.compared;
      double w = by_demand ? grid.pairs[grid.key(r.cell).pair].teu_per_year : 1.0;
      if (w <= 0) continue;
      hours.add(d.hours, w);
      p50.add(d.p50_hours, w);
      p95.add(d.p95_hours, w);
      on_time.add(d.on_time, w);
      cost.add(d.cost_usd, w);
      co2.add(d.co2_kg, w);
    }
    s.hours = hours.value();
    s.p50_hours = p50.value();
    s.p95_hours = p95.value();
    s.on_time = on_time.value();
    s.cost_usd = cost.value();
    s.co2_kg = co2.value();
    out.push_back(s);
  }
  return out;
}

}  // namespace caravan
