#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "caravan/present.h"

namespace caravan {
namespace {

std::string usd_text(std::int64_t cents) { return Money{cents, Currency::usd()}.to_string(); }

std::string kg_text(std::int64_t grams) { return fmt::format("{:.0f}", static_cast<double>(grams) / 1000.0); }

// Display width of UTF-8 text: one column per code point.
std::size_t width(const std::string& s) {
  std::size_t w = 0;
  for (unsigned char c : s) w += (c & 0xC0) != 0x80;
  return w;
}

std::string pad(const std::string& s, std::size_t w, bool right = false) {
  std::size_t n = width(s);
  if (n >= w) return s;
  return right ? std::string(w - n, ' ') + s : s + std::string(w - n, ' ');
}

struct Table {
  std::vector<std::string> header;
  std::vector<bool> right;
  std::vector<std::vector<std::string>> rows;

  std::string render() const {
    std::vector<std::size_t> w(header.size());
    for (std::size_t c = 0; c < header.size(); ++c) {
      w[c] = width(header[c]);
      for (const auto& r : rows) w[c] = std::max(w[c], width(r[c]));
    }
    std::string out;
    auto line = [&](const std::vector<std::string>& cells) {
      std::string l = " ";
      for (std::size_t c = 0; c < cells.size(); ++c) l += pad(cells[c], w[c], right[c]) + "  ";
      while (!l.empty() && l.back() == ' ') l.pop_back();
      out += l + "\n";
    };
    line(header);
    std::string rule = " ";
    for (std::size_t c = 0; c < w.size(); ++c) rule += std::string(w[c], '-') + "  ";
    while (!rule.empty() && rule.back() == ' ') rule.pop_back();
    out += rule + "\n";
    for (const auto& r : rows) line(r);
    return out;
  }
};

// "Altynkol / KTZE Khorgos Gateway" -> "Altynkol"; "Osh (KG)" -> "Osh": tables
// show the short name, JSON and GeoJSON the full one.
std::string short_name(const std::string& name) {
  std::string s = name.substr(0, name.find(" ("));
  return s.substr(0, s.find(" / "));
}

// "2026-03-02 08:00 +08:00": local wall-clock time and its UTC offset.
std::string local_time(const Location& l, Instant t) {
  std::string s = l.zone.format_local(t);  // "2026-03-02 08:00 (UTC+08:00)"
  std::size_t open = s.find(" (UTC");
  if (open == std::string::npos) return s;
  return s.substr(0, open) + " " + s.substr(open + 5, 6);
}

}  // namespace

std::string render_table(const std::vector<std::string>& header, const std::vector<bool>& right_aligned,
                         const std::vector<std::vector<std::string>>& rows) {
  return Table{header, right_aligned, rows}.render();
}

namespace {

std::string hours_text(double h) {
  if (!std::isfinite(h)) return "never";
  return format_duration(hours(h));
}

// Monte Carlo figures per option, with the on-time rank when there is a deadline.
std::string reliability_table(const Location& to, const QueryEcho& echo, const std::vector<Itinerary>& its) {
  bool any = false;
  for (const Itinerary& it : its) any = any || it.reliability.has_value();
  if (!any) return "";
  std::string out;
  std::uint32_t samples = 0;
  for (const Itinerary& it : its) {
    if (it.reliability) samples = it.reliability->samples;
  }
  out += fmt::format("\nReliability ({} Monte Carlo samples; times from ready to arrival", samples);
  if (echo.deadline) out += fmt::format("; deadline {}", to.zone.format_local(*echo.deadline));
  out += "):\n";
  std::vector<std::size_t> order(its.size());
  for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
  auto prob = [&](std::size_t k) {
    return its[k].reliability && its[k].reliability->on_time_probability ? *its[k].reliability->on_time_probability
                                                                         : -1.0;
  };
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return prob(a) > prob(b); });
  std::vector<std::size_t> rank(its.size());
  for (std::size_t r = 0; r < order.size(); ++r) rank[order[r]] = r + 1;
  std::vector<std::string> header = {"option", "p50", "p80", "p95"};
  std::vector<bool> right = {false, true, true, true};
  if (echo.deadline) {
    header.insert(header.end(), {"P(on time)", "rank"});
    right.insert(right.end(), {true, true});
  }
  header.push_back("note");
  right.push_back(false);
  std::vector<std::vector<std::string>> rows;
  for (std::size_t k = 0; k < its.size(); ++k) {
    const Itinerary& it = its[k];
    if (!it.reliability) continue;
    const Reliability& r = *it.reliability;
    std::vector<std::string> row = {std::to_string(k + 1), hours_text(r.p50_hours), hours_text(r.p80_hours),
                                    hours_text(r.p95_hours)};
    if (echo.deadline) {
      row.push_back(r.on_time_probability ? fmt::format("{:.1f}%", 100.0 * *r.on_time_probability) : "-");
      row.push_back(std::to_string(rank[k]));
    }
    std::string mark;
    if (it.most_reliable) mark = "most reliable";
    if (r.never_arrived > 0) mark += (mark.empty() ? "" : "; ") + fmt::format("{} samples stuck", r.never_arrived);
    row.push_back(mark);
    rows.push_back(std::move(row));
  }
  out += render_table(header, right, rows);
  for (std::size_t k = 0; k < its.size(); ++k) {
    if (!its[k].most_reliable) continue;
    bool dominated = false;
    for (std::size_t j = 0; j < its.size(); ++j) {
      const Itinerary& a = its[j];
      const Itinerary& b = its[k];
      dominated =
          dominated || (j != k && a.arrive <= b.arrive && a.cost_usd_cents <= b.cost_usd_cents && a.co2_g <= b.co2_g);
    }
    if (dominated) {
      out += fmt::format(
          " Option {} is not on the time/cost/CO2 front: the search with pessimistic stage times found it.\n", k + 1);
    }
  }
  return out;
}

}  // namespace

// "2025-01-01", plus the currencies a scenario re-rated: only the conversion changes.
static std::string fx_text(const NetworkView& view) {
  const Network& net = view.network();
  std::string out = net.fx.date().empty() ? "unknown date" : net.fx.date();
  std::string changed;
  for (const auto& [c, rate] : view.fx().rates()) {
    if (!net.fx.has(c) || net.fx.per_usd(c) != rate) {
      changed += (changed.empty() ? "" : ", ") + fmt::format("{} {:g}/USD", c.str(), rate);
    }
  }
  if (!changed.empty()) out += " with scenario rates " + changed;
  return out;
}

std::string format_duration(Duration d) {
  std::int64_t m = (d.count() + 30) / 60;
  std::int64_t days = m / (24 * 60), h = m / 60 % 24, mins = m % 60;
  if (days > 0) return fmt::format("{}d {:02}h", days, h);
  return fmt::format("{}h {:02}m", h, mins);
}

// "1 × FEU (20 t cargo)", "2,000 kg (chargeable 2,500 kg)".
static std::string shipment_text(const RouteQuery& q) {
  if (!is_container(q.unit)) {
    std::string s = fmt::format("{} kg general cargo", q.units);
    if (q.chargeable_mass().kg != q.cargo_mass().kg) s += fmt::format(" (chargeable {} kg)", q.chargeable_mass().kg);
    return s;
  }
  return fmt::format("{} × {} ({:.0f} t cargo, {})", q.units, to_string(q.unit), q.cargo_mass().tonnes(),
                     q.equipment == Equipment::kCoc ? "carrier's boxes" : "shipper's boxes");
}

std::string itineraries_to_table(const NetworkView& view, const QueryEcho& echo, const std::vector<Itinerary>& its) {
  const Network& net = view.network();
  const RouteQuery& q = echo.query;
  const Location& from = net.locations[q.from];
  const Location& to = net.locations[q.to];
  std::string out;
  out += fmt::format("{} → {}: {}, ready {}\n", from.name, to.name, shipment_text(q), from.zone.format_local(q.depart));
  out += fmt::format("{} option{} ({}), fastest first. Dataset {} {}; USD at FX of {}.\n\n", its.size(),
                     its.size() == 1 ? "" : "s",
                     q.objective == Objective::kPareto ? "Pareto: time, cost, CO2"
                                                       : "best by " + std::string(to_string(q.objective)),
                     net.info.name, net.info.version, fx_text(view));

  Table summary{{"option", "arrive (local)", "time", "cost USD", "CO2 kg", "km", "borders", "gauge", "crossings"},
                {false, false, true, true, true, true, true, true, false},
                {}};
  for (std::size_t k = 0; k < its.size(); ++k) {
    const Itinerary& it = its[k];
    std::vector<std::string> names;
    for (const Leg& g : it.legs) {
      if (g.kind != LegKind::kBorder) continue;
      const Location& exit = net.locations[g.from];
      const Location& entry = net.locations[g.to];
      names.push_back(std::string(exit.country_code()) + ">" + std::string(entry.country_code()) + " " +
                      short_name(entry.name));
    }
    std::string via;
    for (const auto& n : names) via += (via.empty() ? "" : ", ") + n;
    summary.rows.push_back({fmt::format("{}", k + 1), local_time(to, it.arrive), format_duration(it.duration()),
                            usd_text(it.cost_usd_cents).substr(0, usd_text(it.cost_usd_cents).size() - 4),
                            kg_text(it.co2_g), fmt::format("{:.0f}", it.km.km()),
                            std::to_string(it.border_crossings.size()), std::to_string(it.gauge_changes), via});
  }
  out += summary.render();
  out += reliability_table(to, echo, its);

  for (std::size_t k = 0; k < its.size(); ++k) {
    const Itinerary& it = its[k];
    out += fmt::format("\nOption {}: {} · {} · {} kg CO2 · {:.0f} km", k + 1, format_duration(it.duration()),
                       usd_text(it.cost_usd_cents), kg_text(it.co2_g), it.km.km());
    if (q.objective == Objective::kGeneralized) out += " · generalized " + usd_text(it.generalized_cost_usd_cents);
    out += "\n";
    Table legs{{"#", "leg", "from → to", "depart (local)", "arrive (local)", "time", "cost", "USD", "CO2 kg", "note"},
               {true, false, false, false, false, true, true, true, true, false},
               {}};
    for (std::size_t i = 0; i < it.legs.size(); ++i) {
      const Leg& g = it.legs[i];
      const Location& a = net.locations[g.from];
      const Location& b = net.locations[g.to];
      std::string where = g.from == g.to ? short_name(a.name) : short_name(a.name) + " → " + short_name(b.name);
      std::string note = g.note;
      if (g.kind == LegKind::kMove && g.service.valid()) {
        note = view.service(g.service).name;
      }
      if (g.kind == LegKind::kBorder && g.crossing.valid()) {
        note = "crossing " + net.crossings[g.crossing].id;
        if (g.traffic_class) note += std::string(", ") + std::string(to_string(*g.traffic_class));
      }
      if (g.kind == LegKind::kMove) note += (note.empty() ? "" : ", ") + fmt::format("{:.0f} km", g.km.km());
      legs.rows.push_back(
          {std::to_string(i + 1), std::string(g.kind_name()), where, local_time(a, g.depart), local_time(b, g.arrive),
           format_duration(g.arrive - g.depart), g.cost.minor == 0 ? "-" : g.cost.to_string(),
           g.cost_usd_cents == 0 ? "-" : usd_text(g.cost_usd_cents).substr(0, usd_text(g.cost_usd_cents).size() - 4),
           g.co2_g == 0 ? "-" : kg_text(g.co2_g), note});
    }
    out += legs.render();
    std::string by_cur;
    for (const Money& m : it.cost_by_currency.items()) by_cur += (by_cur.empty() ? "" : " + ") + m.to_string();
    out += fmt::format(" Total: {} = {} (USD at FX of {})\n", by_cur.empty() ? "0" : by_cur,
                       usd_text(it.cost_usd_cents), fx_text(view));
  }
  return out;
}

}  // namespace caravan
