// caravan/sweep_present.h — a sweep's results as CSV, JSON and a summary
// table (part of the present module; sweep.h computes them).
//
// One row per cell, in cell order (docs/sweeps.md lists the columns):
//   measures, depart, seed, from, to, [teu_per_year,] status,
//   then the grid's outputs — hours, p50_hours, p95_hours, on_time_probability,
//   cost_usd, co2_kg, stuck_samples — and, with `change`, change_<figure>:
//   the figure minus the base cell's (same departure, seed and pair);
//   then note (why a cell has no route).
// Numbers have fixed decimals (hours 2, probability 4, USD 2, kg 3); a figure
// that does not apply is empty in CSV and null in JSON, a percentile never
// reached is `inf` in CSV and null in JSON. The same cells give the same
// bytes.
//
// Thread safety: pure functions.
#pragma once

#include <string>
#include <vector>

#include "caravan/network.h"
#include "caravan/sweep.h"

namespace caravan {

/// The table as CSV with a header row.
std::string sweep_to_csv(const Network& net, const SweepGrid& grid, const std::vector<CellResult>& cells);

/// {"sweep": {what was swept}, "dataset": {"name","version"}, "columns": [...],
///  "rows": [{column: value}], "summary": [{"measures","cells","compared","by_demand","change_…"}]}
std::string sweep_to_json(const Network& net, const SweepGrid& grid, const std::vector<CellResult>& cells,
                          int indent = 2);

/// Per combination, the mean change against the base, for people.
std::string sweep_summary_to_table(const SweepGrid& grid, const std::vector<CombinationSummary>& summary);

}  // namespace caravan
