// A sweep's results: the one table of cells as CSV and JSON, and the mean
// change of each combination for people. Both formats come from one list of
// columns, so they always agree.
#include <fmt/format.h>

#include <cmath>
#include <functional>

#include "caravan/present.h"
#include "caravan/sweep_present.h"
#include "json_writer.h"

namespace caravan {
namespace {

using detail::JsonWriter;

constexpr double kPow10[] = {1, 10, 100, 1000, 10000};

// v to `decimals` places, as the nearest double; never -0.
double rounded(double v, int decimals) {
  double r = std::round(v * kPow10[decimals]) / kPow10[decimals];
  return r == 0 ? 0.0 : r;
}

// One value of the table: text, a whole number, a number with fixed
// decimals (possibly infinite), or nothing.
struct Field {
  enum Kind : std::uint8_t { kNull, kText, kInt, kNumber } kind = kNull;
  std::string text;
  std::int64_t whole = 0;
  double number = 0;
  int decimals = 0;
};

Field text(std::string s) { return {Field::kText, std::move(s), 0, 0, 0}; }
Field whole(std::int64_t v) { return {Field::kInt, {}, v, 0, 0}; }
Field number(const std::optional<double>& v, int decimals) {
  if (!v || std::isnan(*v)) return {};
  return {Field::kNumber, {}, 0, std::isfinite(*v) ? rounded(*v, decimals) : *v, decimals};
}

// A figure a cell reports and its change against the base.
struct Figure {
  const char* name;
  bool SweepOutputs::*wanted;
  int decimals;
  std::function<std::optional<double>(const CellResult&)> of;
  std::optional<double> CellChange::*change;
};

const std::vector<Figure>& figures() {
  static const std::vector<Figure> kFigures = {
      {"hours", &SweepOutputs::hours, 2, [](const CellResult& r) { return std::optional<double>(r.hours); },
       &CellChange::hours},
      {"p50_hours", &SweepOutputs::p50, 2, [](const CellResult& r) { return r.p50_hours; }, &CellChange::p50_hours},
      {"p95_hours", &SweepOutputs::p95, 2, [](const CellResult& r) { return r.p95_hours; }, &CellChange::p95_hours},
      {"on_time_probability", &SweepOutputs::on_time, 4, [](const CellResult& r) { return r.on_time_probability; },
       &CellChange::on_time},
      {"cost_usd", &SweepOutputs::cost, 2,
       [](const CellResult& r) { return std::optional<double>(static_cast<double>(r.cost_usd_cents) / 100.0); },
       &CellChange::cost_usd},
      {"co2_kg", &SweepOutputs::co2, 3,
       [](const CellResult& r) { return std::optional<double>(static_cast<double>(r.co2_g) / 1000.0); },
       &CellChange::co2_kg},
  };
  return kFigures;
}

std::vector<const Figure*> wanted(const SweepGrid& g) {
  std::vector<const Figure*> out;
  for (const Figure& f : figures()) {
    if (g.outputs.*f.wanted) out.push_back(&f);
  }
  return out;
}

bool by_demand(const SweepGrid& g) {
  for (const OdPair& p : g.pairs) {
    if (p.teu_per_year > 0) return true;
  }
  return false;
}

bool reports_stuck(const SweepGrid& g) {
  return g.samples > 0 && (g.outputs.p50 || g.outputs.p95 || g.outputs.on_time);
}

struct Table {
  std::vector<std::string> columns;
  std::vector<std::vector<Field>> rows;
};

Table make_table(const Network& net, const SweepGrid& g, const std::vector<CellResult>& cells) {
  const std::vector<const Figure*> figs = wanted(g);
  const bool demand = by_demand(g), stuck = reports_stuck(g);
  Table t;
  t.columns = {"measures", "depart", "seed", "from", "to"};
  if (demand) t.columns.push_back("teu_per_year");
  t.columns.push_back("status");
  for (const Figure* f : figs) t.columns.push_back(f->name);
  if (stuck) t.columns.push_back("stuck_samples");
  if (g.outputs.change) {
    for (const Figure* f : figs) t.columns.push_back(std::string("change_") + f->name);
  }
  t.columns.push_back("note");
  for (const CellResult& r : cells) {
    const CellKey k = g.key(r.cell);
    const OdPair& p = g.pairs[k.pair];
    const bool ok = r.status == CellStatus::kOk;
    std::vector<Field> row = {text(g.combinations[k.combination].name),
                              text(format_instant_utc(g.departures[k.departure])),
                              whole(static_cast<std::int64_t>(g.seeds[k.seed])), text(net.locations[p.from].id),
                              text(net.locations[p.to].id)};
    if (demand) row.push_back(number(p.teu_per_year, 2));
    row.push_back(text(std::string(to_string(r.status))));
    for (const Figure* f : figs) row.push_back(ok ? number(f->of(r), f->decimals) : Field{});
    if (stuck) row.push_back(ok ? whole(r.stuck_samples) : Field{});
    if (g.outputs.change) {
      const CellChange d = change_against(r, cells[g.base_cell(r.cell)]);
      for (const Figure* f : figs) row.push_back(number(d.*(f->change), f->decimals));
    }
    row.push_back(r.message.empty() ? Field{} : text(r.message));
    t.rows.push_back(std::move(row));
  }
  return t;
}

std::string csv_text(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

std::string csv_value(const Field& f) {
  switch (f.kind) {
    case Field::kNull:
      return "";
    case Field::kText:
      return csv_text(f.text);
    case Field::kInt:
      return std::to_string(f.whole);
    case Field::kNumber:
      if (!std::isfinite(f.number)) return f.number > 0 ? "inf" : "-inf";
      return fmt::format("{:.{}f}", f.number, f.decimals);
  }
  return "";
}

void json_value(JsonWriter& w, const Field& f) {
  switch (f.kind) {
    case Field::kNull:
      w.null();
      break;
    case Field::kText:
      w.string(f.text);
      break;
    case Field::kInt:
      w.integer(f.whole);
      break;
    case Field::kNumber:
      w.number(f.number);
      break;  // null when not finite
  }
}

std::string_view combine_name(Combine c) { return c == Combine::kFactorial ? "factorial" : "listed"; }

void sweep_echo(JsonWriter& w, const Network& net, const SweepGrid& g) {
  w.key("sweep").begin_object();
  w.key("name").string(g.name);
  w.key("description").string(g.description);
  w.key("grid").string(g.file);
  const RouteQuery& q = g.query.route;
  w.key("objective").string(to_string(q.objective));
  w.key("units").integer(q.units);
  w.key("unit").string(to_string(q.unit));
  if (q.cargo_per_unit) w.key("cargo_tonnes").number(q.cargo_per_unit->tonnes());
  if (q.volume_m3) w.key("volume_m3").number(*q.volume_m3);
  w.key("equipment").string(to_string(q.equipment));
  if (q.value_of_time_usd) w.key("value_of_time").number(*q.value_of_time_usd);
  w.key("modes").begin_array();
  for (int m = 0; m < kModeCount; ++m) {
    if (q.modes.has(static_cast<Mode>(m))) w.string(to_string(static_cast<Mode>(m)));
  }
  w.end_array();
  w.key("via").begin_array();
  for (LocationIdx v : q.via) w.string(net.locations[v].id);
  w.end_array();
  w.key("avoid").begin_array();
  for (LocationIdx v : q.avoid) w.string(net.locations[v].id);
  for (const std::string& c : q.avoid_countries) w.string(c);
  w.end_array();
  if (g.query.deadline_after) w.key("deadline_hours").number(to_hours(*g.query.deadline_after));
  if (g.query.deadline) w.key("deadline").string(format_instant_utc(*g.query.deadline));
  w.key("samples").integer(g.samples);
  w.key("seeds").begin_array();
  for (std::uint64_t s : g.seeds) w.integer(static_cast<std::int64_t>(s));
  w.end_array();
  w.key("departures").begin_array();
  for (Instant d : g.departures) w.string(format_instant_utc(d));
  w.end_array();
  w.key("pairs_from").string(g.pairs_source);
  w.key("pairs").integer(static_cast<std::int64_t>(g.pairs.size()));
  w.key("combine").string(combine_name(g.combine));
  w.key("base_scenarios").begin_array();
  for (const Scenario& s : g.base) w.string(s.id);
  w.end_array();
  w.key("measure_sets").begin_array();
  for (const MeasureSet& m : g.sets) {
    w.begin_object().key("name").string(m.name).key("scenarios").begin_array();
    for (const Scenario& s : m.scenarios) w.string(s.id);
    w.end_array().end_object();
  }
  w.end_array();
  w.key("combinations").begin_array();
  for (const Combination& c : g.combinations) w.string(c.name);
  w.end_array();
  w.key("cells").integer(static_cast<std::int64_t>(g.cell_count()));
  w.end_object();
}

}  // namespace

std::string sweep_to_csv(const Network& net, const SweepGrid& grid, const std::vector<CellResult>& cells) {
  Table t = make_table(net, grid, cells);
  std::string out;
  for (std::size_t i = 0; i < t.columns.size(); ++i) out += (i > 0 ? "," : "") + t.columns[i];
  out += '\n';
  for (const auto& row : t.rows) {
    for (std::size_t i = 0; i < row.size(); ++i) {
      if (i > 0) out += ',';
      out += csv_value(row[i]);
    }
    out += '\n';
  }
  return out;
}

std::string sweep_to_json(const Network& net, const SweepGrid& grid, const std::vector<CellResult>& cells, int indent) {
  Table t = make_table(net, grid, cells);
  JsonWriter w(indent);
  w.begin_object();
  sweep_echo(w, net, grid);
  w.key("dataset")
      .begin_object()
      .key("name")
      .string(net.info.name)
      .key("version")
      .string(net.info.version)
      .end_object();
  w.key("columns").begin_array();
  for (const std::string& c : t.columns) w.string(c);
  w.end_array();
  w.key("rows").begin_array();
  for (const auto& row : t.rows) {
    w.begin_object();
    for (std::size_t i = 0; i < row.size(); ++i) {
      w.key(t.columns[i]);
      json_value(w, row[i]);
    }
    w.end_object();
  }
  w.end_array();
  w.key("summary").begin_array();
  for (const CombinationSummary& s : summarize(grid, cells)) {
    w.begin_object();
    w.key("measures").string(grid.combinations[s.combination].name);
    w.key("cells").integer(static_cast<std::int64_t>(s.cells));
    w.key("compared").integer(static_cast<std::int64_t>(s.compared));
    w.key("by_demand").boolean(s.by_demand);
    const CellChange means{s.hours, s.p50_hours, s.p95_hours, s.on_time, s.cost_usd, s.co2_kg};
    for (const Figure* f : wanted(grid)) {
      w.key(std::string("change_") + f->name);
      json_value(w, number(means.*(f->change), f->decimals));
    }
    w.end_object();
  }
  w.end_array();
  w.end_object();
  return w.take() + "\n";
}

std::string sweep_summary_to_table(const SweepGrid& grid, const std::vector<CombinationSummary>& summary) {
  const std::vector<const Figure*> figs = wanted(grid);
  std::vector<std::string> header = {"measures", "compared"};
  std::vector<bool> right = {false, true};
  for (const Figure* f : figs) {
    header.push_back(std::string("Δ ") + f->name);
    right.push_back(true);
  }
  std::vector<std::vector<std::string>> rows;
  for (const CombinationSummary& s : summary) {
    std::vector<std::string> row = {grid.combinations[s.combination].name,
                                    fmt::format("{} of {}", s.compared, s.cells)};
    const CellChange means{s.hours, s.p50_hours, s.p95_hours, s.on_time, s.cost_usd, s.co2_kg};
    for (const Figure* f : figs) {
      const std::optional<double>& v = means.*(f->change);
      row.push_back(v ? fmt::format("{:+.{}f}", rounded(*v, f->decimals), f->decimals) : "-");
    }
    rows.push_back(std::move(row));
  }
  bool demand = !summary.empty() && summary.front().by_demand;
  std::string out = fmt::format("Mean change against the base over the cells reachable in both{}:\n",
                                demand ? ", weighted by TEU a year" : "");
  return out + render_table(header, right, rows);
}

}  // namespace caravan
