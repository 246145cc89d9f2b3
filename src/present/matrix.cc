// Matrix and comparison reports: table, CSV, JSON.
#include <fmt/format.h>

#include <cmath>
#include <nlohmann/json.hpp>

#include "caravan/present.h"
#include "csv.h"

namespace caravan {
namespace {

using detail::csv_field;

using nlohmann::ordered_json;

// Rounds to a decimal step (0.1, 0.01, …); dividing by the integer 1/step keeps 0.5961 from printing as
// 0.5961000000000001.
double round_to(double v, double step) { return std::round(v / step) / std::round(1.0 / step); }

std::string place(const Network& net, LocationIdx l) { return net.locations[l].name; }

std::string hours_cell(double h) { return std::isfinite(h) ? fmt::format("{:.1f}", h) : "never"; }

std::string signed_cell(double v, int decimals) {
  if (std::abs(v) < 0.5 * std::pow(10.0, -decimals)) v = 0;
  return fmt::format("{:+.{}f}", v, decimals);
}

ordered_json hours_json(double h) {
  if (!std::isfinite(h)) return nullptr;
  return round_to(h, 0.01);
}

ordered_json cell_json(const Network& net, const MatrixCell& c) {
  ordered_json j;
  j["from"] = net.locations[c.from].id;
  j["to"] = net.locations[c.to].id;
  j["reachable"] = c.reachable;
  if (c.reachable) {
    j["hours"] = round_to(c.hours, 0.01);
    j["cost_usd"] = static_cast<double>(c.cost_usd_cents) / 100.0;
    j["co2_kg"] = round_to(static_cast<double>(c.co2_g) / 1000.0, 0.001);
    j["generalized_cost_usd"] = static_cast<double>(c.generalized_cost_usd_cents) / 100.0;
    if (c.p95_hours) j["p95_hours"] = hours_json(*c.p95_hours);
  }
  return j;
}

// As the route's query echo (json.cc): cargo as a whole, the value of time in force.
ordered_json query_json(const Network& net, const MatrixEcho& e, std::uint32_t samples) {
  RouteQuery shipment;
  shipment.units = e.units;
  shipment.unit = e.unit;
  shipment.cargo_per_unit = e.cargo_per_unit;
  shipment.volume_m3 = e.volume_m3;
  ordered_json q;
  q["depart"] = format_instant_utc(e.depart);
  q["units"] = e.units;
  q["unit"] = std::string(to_string(e.unit));
  q["by"] = std::string(to_string(e.objective));
  std::string modes;
  for (int i = 0; i < kModeCount; ++i) {
    if (e.modes.has(static_cast<Mode>(i)))
      modes += (modes.empty() ? "" : ",") + std::string(to_string(static_cast<Mode>(i)));
  }
  q["modes"] = modes;
  q["cargo_tonnes"] = shipment.cargo_mass().tonnes();
  if (is_container(e.unit)) q["equipment"] = std::string(to_string(e.equipment));
  q["value_of_time_usd"] = e.value_of_time_usd    ? *e.value_of_time_usd
                           : is_container(e.unit) ? net.info.value_of_time_usd_per_box_hour
                                                  : net.info.value_of_time_usd_per_tonne_hour;
  if (!is_container(e.unit)) q["chargeable_kg"] = shipment.chargeable_mass().kg;
  q["samples"] = samples;
  q["base_scenarios"] = e.base_scenarios;
  q["scenarios"] = e.scenarios;
  return q;
}

std::string mean_line(const char* what, const MeanChange& m) {
  std::string s =
      fmt::format(" {}: time {} h, cost {} USD, CO2 {} kg, generalized cost {} USD", what, signed_cell(m.hours, 1),
                  signed_cell(m.cost_usd, 0), signed_cell(m.co2_kg, 0), signed_cell(m.generalized_cost_usd, 0));
  if (m.p95_hours) s += fmt::format(", p95 {} h", signed_cell(*m.p95_hours, 1));
  return s;
}

ordered_json mean_json(const MeanChange& m) {
  ordered_json j;
  j["weight"] = m.weight;
  j["delta_hours"] = round_to(m.hours, 0.01);
  j["delta_cost_usd"] = round_to(m.cost_usd, 0.01);
  j["delta_co2_kg"] = round_to(m.co2_kg, 0.001);
  j["delta_generalized_cost_usd"] = round_to(m.generalized_cost_usd, 0.01);
  if (m.p95_hours) j["delta_p95_hours"] = round_to(*m.p95_hours, 0.01);
  return j;
}

}  // namespace

MatrixEcho matrix_echo(const MatrixOptions& m) {
  MatrixEcho e;
  e.depart = m.depart;
  e.units = m.units;
  e.unit = m.unit;
  e.objective = m.objective == Objective::kPareto ? Objective::kGeneralized : m.objective;
  e.modes = m.modes;
  e.cargo_per_unit = m.cargo_per_unit;
  e.volume_m3 = m.volume_m3;
  e.equipment = m.equipment;
  e.value_of_time_usd = m.value_of_time_usd;
  return e;
}

std::string matrix_to_table(const Network& net, const MatrixEcho& echo, const Matrix& m) {
  std::string out =
      fmt::format("Best itineraries by {} between {} places, {} × {} ready {} (UTC); USD at FX of {}.\n",
                  to_string(echo.objective), m.places.size(), echo.units, to_string(echo.unit),
                  format_instant_utc(echo.depart), net.fx.date().empty() ? "unknown date" : net.fx.date());
  if (!echo.scenarios.empty()) {
    std::string s;
    for (const auto& id : echo.scenarios) s += (s.empty() ? "" : ", ") + id;
    out += "Scenarios: " + s + "\n";
  }
  if (m.samples > 0) out += fmt::format("p95 from {} Monte Carlo samples per pair.\n", m.samples);
  out += "\n";
  std::vector<std::string> header = {"from", "to", "hours", "time", "cost USD", "CO2 kg"};
  std::vector<bool> right = {false, false, true, true, true, true};
  if (m.samples > 0) {
    header.push_back("p95 hours");
    right.push_back(true);
  }
  std::vector<std::vector<std::string>> rows;
  for (const MatrixCell& c : m.cells) {
    std::vector<std::string> row = {place(net, c.from), place(net, c.to)};
    if (!c.reachable) {
      row.insert(row.end(), {"-", "no route", "-", "-"});
      if (m.samples > 0) row.push_back("-");
    } else {
      row.push_back(fmt::format("{:.1f}", c.hours));
      row.push_back(format_duration(hours(c.hours)));
      row.push_back(fmt::format("{:.0f}", static_cast<double>(c.cost_usd_cents) / 100.0));
      row.push_back(fmt::format("{:.0f}", static_cast<double>(c.co2_g) / 1000.0));
      if (m.samples > 0) row.push_back(c.p95_hours ? hours_cell(*c.p95_hours) : "-");
    }
    rows.push_back(std::move(row));
  }
  return out + render_table(header, right, rows);
}

std::string matrix_to_csv(const Network& net, const Matrix& m) {
  std::string out = "from,to,reachable,hours,cost_usd,co2_kg,p95_hours\n";
  for (const MatrixCell& c : m.cells) {
    out += csv_field(net.locations[c.from].id) + "," + csv_field(net.locations[c.to].id) + "," +
           (c.reachable ? "true" : "false");
    if (c.reachable) {
      out += fmt::format(",{:.2f},{:.2f},{:.3f},", c.hours, static_cast<double>(c.cost_usd_cents) / 100.0,
                         static_cast<double>(c.co2_g) / 1000.0);
      if (c.p95_hours && std::isfinite(*c.p95_hours)) out += fmt::format("{:.2f}", *c.p95_hours);
    } else {
      out += ",,,,";
    }
    out += "\n";
  }
  return out;
}

std::string matrix_to_json(const Network& net, const MatrixEcho& echo, const Matrix& m, int indent) {
  ordered_json root;
  root["query"] = query_json(net, echo, m.samples);
  root["dataset"] = {{"name", net.info.name}, {"version", net.info.version}, {"fx_date", net.info.fx_date}};
  ordered_json places = ordered_json::array();
  for (LocationIdx l : m.places) places.push_back(net.locations[l].id);
  root["places"] = places;
  ordered_json pairs = ordered_json::array();
  for (const MatrixCell& c : m.cells) pairs.push_back(cell_json(net, c));
  root["pairs"] = pairs;
  return root.dump(indent, ' ', false, ordered_json::error_handler_t::replace) + "\n";
}

std::string comparison_to_table(const Network& net, const MatrixEcho& echo, const Comparison& c, std::size_t top) {
  std::string base = "the base network";
  for (std::size_t i = 0; i < echo.base_scenarios.size(); ++i) base += (i == 0 ? " + " : ", ") + echo.base_scenarios[i];
  std::string with;
  for (const auto& id : echo.scenarios) with += (with.empty() ? "" : ", ") + id;
  std::string out = fmt::format("{} against {}: {} pairs, best itineraries by {}, {} × {} ready {} (UTC).\n", with,
                                base, c.pairs.size(), to_string(echo.objective), echo.units, to_string(echo.unit),
                                format_instant_utc(echo.depart));
  const char* better = c.objective == Objective::kTime  ? "faster"
                       : c.objective == Objective::kCo2 ? "cleaner"
                                                        : "cheaper";
  const char* worse = c.objective == Objective::kTime  ? "slower"
                      : c.objective == Objective::kCo2 ? "dirtier"
                                                       : "dearer";
  out += fmt::format("{} pairs {}, {} {} by {}, {} newly connected, {} cut off.\n", c.winners.size(), better,
                     c.losers.size(), worse, to_string(c.objective), c.connected.size(), c.disconnected.size());
  std::vector<std::string> header = {"from",    "to",         "base h",   "scenario h",
                                     "Δ hours", "Δ cost USD", "Δ CO2 kg", "Δ generalized USD",
                                     "Δ p95 h"};
  std::vector<bool> right = {false, false, true, true, true, true, true, true, true};
  auto rows_of = [&](const std::vector<std::size_t>& idx) {
    std::vector<std::vector<std::string>> rows;
    for (std::size_t r = 0; r < idx.size() && r < top; ++r) {
      const OdChange& p = c.pairs[idx[r]];
      std::string dp95 = "-";
      if (p.base.p95_hours && p.scenario.p95_hours && std::isfinite(*p.base.p95_hours) &&
          std::isfinite(*p.scenario.p95_hours)) {
        dp95 = signed_cell(*p.scenario.p95_hours - *p.base.p95_hours, 1);
      }
      rows.push_back(
          {place(net, p.base.from), place(net, p.base.to), p.base.reachable ? fmt::format("{:.1f}", p.base.hours) : "-",
           p.scenario.reachable ? fmt::format("{:.1f}", p.scenario.hours) : "-",
           p.comparable() ? signed_cell(p.delta_hours(), 1) : "-",
           p.comparable()
               ? signed_cell(static_cast<double>(p.scenario.cost_usd_cents - p.base.cost_usd_cents) / 100.0, 0)
               : "-",
           p.comparable() ? signed_cell(static_cast<double>(p.scenario.co2_g - p.base.co2_g) / 1000.0, 0) : "-",
           p.comparable() ? signed_cell(p.delta(Objective::kGeneralized), 0) : "-", dp95});
    }
    return rows;
  };
  auto section = [&](const char* title, const std::vector<std::size_t>& idx) {
    if (idx.empty()) return;
    out += fmt::format("\n{} ({} of {}):\n", title, std::min(idx.size(), top), idx.size());
    out += render_table(header, right, rows_of(idx));
  };
  section("Biggest winners", c.winners);
  section("Biggest losers", c.losers);
  section("Newly connected", c.connected);
  section("Cut off", c.disconnected);
  out += "\nNetwork-wide mean change over pairs reachable in both:\n";
  out += mean_line(fmt::format("equal weights ({:.0f} pairs)", c.equal_weights.weight).c_str(), c.equal_weights) + "\n";
  if (c.by_demand) {
    out += mean_line(fmt::format("weighted by demand ({:.0f} TEU a year)", c.by_demand->weight).c_str(), *c.by_demand) +
           "\n";
  }
  return out;
}

std::string comparison_to_csv(const Network& net, const Comparison& c) {
  std::string out =
      "from,to,base_reachable,scenario_reachable,base_hours,scenario_hours,delta_hours,base_cost_usd,scenario_cost_usd,"
      "delta_cost_usd,base_co2_kg,scenario_co2_kg,delta_co2_kg,base_p95_hours,scenario_p95_hours,demand_teu_per_year\n";
  auto num = [](bool ok, double v, const char* f) {
    return ok && std::isfinite(v) ? fmt::format(fmt::runtime(f), v) : std::string();
  };
  for (const OdChange& p : c.pairs) {
    const bool b = p.base.reachable, s = p.scenario.reachable, both = p.comparable();
    out += csv_field(net.locations[p.base.from].id) + "," + csv_field(net.locations[p.base.to].id) + "," +
           (b ? "true" : "false") + "," + (s ? "true" : "false") + "," + num(b, p.base.hours, "{:.2f}") + "," +
           num(s, p.scenario.hours, "{:.2f}") + "," + num(both, p.delta_hours(), "{:.2f}") + "," +
           num(b, static_cast<double>(p.base.cost_usd_cents) / 100.0, "{:.2f}") + "," +
           num(s, static_cast<double>(p.scenario.cost_usd_cents) / 100.0, "{:.2f}") + "," +
           num(both, static_cast<double>(p.scenario.cost_usd_cents - p.base.cost_usd_cents) / 100.0, "{:.2f}") + "," +
           num(b, static_cast<double>(p.base.co2_g) / 1000.0, "{:.3f}") + "," +
           num(s, static_cast<double>(p.scenario.co2_g) / 1000.0, "{:.3f}") + "," +
           num(both, static_cast<double>(p.scenario.co2_g - p.base.co2_g) / 1000.0, "{:.3f}") + "," +
           num(b && p.base.p95_hours.has_value(), p.base.p95_hours.value_or(0), "{:.2f}") + "," +
           num(s && p.scenario.p95_hours.has_value(), p.scenario.p95_hours.value_or(0), "{:.2f}") + "," +
           fmt::format("{}", p.demand_teu) + "\n";
  }
  return out;
}

std::string comparison_to_json(const Network& net, const MatrixEcho& echo, const Comparison& c, int indent) {
  ordered_json root;
  std::uint32_t samples = 0;
  for (const OdChange& p : c.pairs) {
    if (p.base.p95_hours) samples = 1;
  }
  root["query"] = query_json(net, echo, samples);
  root["query"].erase("samples");
  root["dataset"] = {{"name", net.info.name}, {"version", net.info.version}, {"fx_date", net.info.fx_date}};
  ordered_json means;
  means["equal_weights"] = mean_json(c.equal_weights);
  if (c.by_demand) means["by_demand"] = mean_json(*c.by_demand);
  root["means"] = means;
  auto ids = [&](const std::vector<std::size_t>& idx) {
    ordered_json a = ordered_json::array();
    for (std::size_t k : idx)
      a.push_back({net.locations[c.pairs[k].base.from].id, net.locations[c.pairs[k].base.to].id});
    return a;
  };
  root["winners"] = ids(c.winners);
  root["losers"] = ids(c.losers);
  root["connected"] = ids(c.connected);
  root["disconnected"] = ids(c.disconnected);
  ordered_json pairs = ordered_json::array();
  for (const OdChange& p : c.pairs) {
    ordered_json j;
    j["from"] = net.locations[p.base.from].id;
    j["to"] = net.locations[p.base.to].id;
    j["base"] = cell_json(net, p.base);
    j["scenario"] = cell_json(net, p.scenario);
    j["base"].erase("from");
    j["base"].erase("to");
    j["scenario"].erase("from");
    j["scenario"].erase("to");
    if (p.comparable()) {
      j["delta_hours"] = round_to(p.delta_hours(), 0.01);
      j["delta_generalized_cost_usd"] = round_to(p.delta(Objective::kGeneralized), 0.01);
      j["delta_cost_usd"] = static_cast<double>(p.scenario.cost_usd_cents - p.base.cost_usd_cents) / 100.0;
      j["delta_co2_kg"] = round_to(static_cast<double>(p.scenario.co2_g - p.base.co2_g) / 1000.0, 0.001);
    }
    if (p.demand_teu > 0) j["demand_teu_per_year"] = p.demand_teu;
    pairs.push_back(j);
  }
  root["pairs"] = pairs;
  return root.dump(indent, ' ', false, ordered_json::error_handler_t::replace) + "\n";
}

}  // namespace caravan
