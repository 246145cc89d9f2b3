// Loading a dataset folder: parse every file, check every row, resolve ids to
// indexes, derive what the planner needs (location gauges, service distances),
// then run Network::validate(). Every problem is collected; none stops the
// scan of a file early.
#include "caravan/load.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <fstream>
#include <optional>
#include <set>
#include <sstream>

#include <toml++/toml.h>

#include "caravan/csv.h"
#include "caravan/file.h"
#include "loader.h"

namespace caravan {
namespace {

using detail::TableReader;

// Checks of values that parse but mean nothing; each reader calls them in a line.

// A calendar day written YYYY-MM-DD: 2025-02-30 and 2025-13-45 are not one.
std::optional<std::string> date_problem(std::string_view text) {
  if (text.size() == 10 && text[4] == '-' && text[7] == '-' && parse_instant(text).ok()) return std::nullopt;
  return "bad date \"" + std::string(text) + "\" (expected a calendar date YYYY-MM-DD)";
}

// The modes of the links at each location: a crossing of a mode joins two
// places links of that mode reach (a rail crossing between two road
// checkpoints is nonsense).
std::vector<ModeSet> link_modes_at(const Network& net) {
  std::vector<ModeSet> at(net.locations.size());
  for (const Link& l : net.links) {
    for (LocationIdx i : {l.from, l.to}) {
      if (i.valid() && i.v < at.size()) at[i.v].add(l.mode);
    }
  }
  return at;
}

struct Loader : detail::LoadContext {
  using LoadContext::LoadContext;

  void load_info() {
    auto it = files.text.find("dataset.toml");
    if (it == files.text.end()) {
      errors.push_back(Error{ErrorCode::kNotFound, "missing file (expected a dataset file)", "dataset.toml", 0, ""});
      return;
    }
    toml::table t;
    try {
      t = toml::parse(std::string_view(it->second), std::string_view("dataset.toml"));
    } catch (const toml::parse_error& e) {
      errors.push_back(Error::at("dataset.toml", e.source().begin.line, "", std::string(e.description())));
      return;
    }
    auto get = [&](const char* key, bool required) {
      auto v = t[key].value<std::string>();
      if (!v && required) errors.push_back(Error::at("dataset.toml", 1, key, "missing key (expected a string)"));
      return v.value_or("");
    };
    net.info.name = get("name", true);
    net.info.version = get("version", true);
    net.info.description = get("description", false);
    net.info.license = get("license", false);
    net.info.fx_date = get("fx_date", false);
    if (auto problem = net.info.fx_date.empty() ? std::nullopt : date_problem(net.info.fx_date)) {
      errors.push_back(Error::at("dataset.toml", t.get("fx_date")->source().begin.line, "fx_date", *problem));
    }
    if (const toml::node* n = t.get("hubs"); n != nullptr && (!n->is_array() || n->as_array()->empty())) {
      errors.push_back(Error::at("dataset.toml", n->source().begin.line, "hubs",
                                 std::string(n->is_array() ? "empty" : "not a list") +
                                     " (expected location ids, such as hubs = [\"xian\", \"almaty\"]; leave hubs out "
                                     "when there are none)"));
    }
    if (auto* hubs = t["hubs"].as_array()) {
      for (auto& h : *hubs) {
        if (auto v = h.value<std::string>()) {
          net.info.hubs.push_back(*v);
        } else {
          errors.push_back(
              Error::at("dataset.toml", h.source().begin.line, "hubs", "not a string (expected location ids)"));
        }
      }
      hubs_line_ = hubs->source().begin.line;
    }
    for (const char* key : {"value_of_time_usd_per_box_hour", "value_of_time_usd_per_tonne_hour"}) {
      const toml::node* n = t.get(key);
      if (n == nullptr) continue;
      auto v = n->value<double>();
      if (!n->is_number() || !v || !std::isfinite(*v) || *v < 0 || *v > 1e6) {
        errors.push_back(
            Error::at("dataset.toml", n->source().begin.line, key, "expected a number from 0 to 1000000 (USD)"));
        continue;
      }
      (std::string_view(key) == "value_of_time_usd_per_box_hour" ? net.info.value_of_time_usd_per_box_hour
                                                                 : net.info.value_of_time_usd_per_tonne_hour) = *v;
      vot_line_ = n->source().begin.line;
    }
    if (const toml::node* n = t.get("value_of_time_source")) {
      if (auto v = n->value<std::string>()) {
        vot_sources_ = split_list(*v);
      } else {
        errors.push_back(Error::at("dataset.toml", n->source().begin.line, "value_of_time_source",
                                   "not a string (expected source ids separated by ;)"));
      }
    } else if (vot_line_ != 0) {
      errors.push_back(Error::at("dataset.toml", vot_line_, "value_of_time_source",
                                 "missing key (expected the source ids of the value of time)"));
    }
    for (auto&& [key, value] : t) {
      static const std::set<std::string> known = {"name",
                                                  "version",
                                                  "description",
                                                  "license",
                                                  "fx_date",
                                                  "hubs",
                                                  "value_of_time_usd_per_box_hour",
                                                  "value_of_time_usd_per_tonne_hour",
                                                  "value_of_time_source"};
      if (!known.count(std::string(key.str()))) {
        errors.push_back(
            Error::at("dataset.toml", value.source().begin.line, std::string(key.str()),
                      "unknown key (expected name, version, description, license, fx_date, hubs, "
                      "value_of_time_usd_per_box_hour, value_of_time_usd_per_tonne_hour or value_of_time_source)"));
      }
    }
  }
  std::uint32_t vot_line_ = 0;
  std::vector<std::string> vot_sources_;

  // The value of time's sources, once sources.csv is read.
  void check_value_of_time_sources() {
    for (const std::string& id : vot_sources_) {
      auto it = net.source_by_id.find(id);
      if (it == net.source_by_id.end()) {
        errors.push_back(Error::at("dataset.toml", vot_line_, "value_of_time_source",
                                   "unknown source \"" + id + "\" (expected an id from sources.csv)"));
      } else {
        net.info.value_of_time_sources.push_back(it->second);
      }
    }
  }

  void load_sources() {
    auto t = table("sources.csv", true);
    if (!t) return;
    TableReader r(*t, {"id", "kind", "title", "publisher", "url", "published", "note"}, {}, errors, warnings);
    for (const CsvRow& row : t->rows) {
      if (!r.check_width(row)) continue;
      Source s;
      s.id = r.text(row, "id");
      std::string kind = r.text(row, "kind");
      if (auto k = parse_source_kind(kind))
        s.kind = *k;
      else if (!kind.empty())
        r.error(row, "kind",
                "unknown kind \"" + kind + "\" (expected measured, published, announced, estimate, derived or proxy)");
      s.title = r.text(row, "title");
      s.publisher = r.text(row, "publisher", false);
      s.url = r.text(row, "url", false);
      s.published = r.text(row, "published", false);
      s.note = r.text(row, "note", false);
      if (source_kind_needs_note(s.kind) && s.note.empty()) {
        r.error(row, "note", "empty (expected how the " + std::string(to_string(s.kind)) + " figure was derived)");
      }
      add_unique(r, row, net.source_by_id, net.sources, std::move(s), "source");
    }
  }

  void load_fx() {
    auto t = table("fx.csv", true);
    if (!t) return;
    TableReader r(*t, {"currency", "per_usd", "date", "source"}, {}, errors, warnings);
    std::set<std::string> seen;
    for (const CsvRow& row : t->rows) {
      if (!r.check_width(row)) continue;
      auto c = r.currency(row, "currency");
      double rate = r.number(row, "per_usd", 1e-9, 1e12);
      std::string date = r.text(row, "date");
      if (auto problem = date.empty() ? std::nullopt : date_problem(date)) r.error(row, "date", *problem);
      if (c && c->str() == "USD" && rate > 0 && rate != 1) {
        r.error(row, "per_usd",
                "USD is " + std::string(r.raw(row, "per_usd")) +
                    " per USD (expected 1: rates are units of a currency per US dollar)");
      }
      SourceList src = sources(r, row);
      if (!c) continue;
      if (!seen.insert(std::string(c->str())).second) {
        r.error(row, "currency", "duplicate rate for " + std::string(c->str()) + " (expected one row per currency)");
        continue;
      }
      if (rate > 0) {
        net.fx.set(*c, rate);
        net.fx_sources.push_back(std::move(src));
      }
    }
    net.fx.set_date(net.info.fx_date);
  }

  void load_emission_factors() {
    auto t = table("emission_factors.csv", true);
    if (!t) return;
    TableReader r(*t, {"mode", "traction", "g_co2e_per_tkm", "source"}, {}, errors, warnings);
    for (const CsvRow& row : t->rows) {
      if (!r.check_width(row)) continue;
      EmissionFactor f;
      auto m = r.mode(row, "mode");
      std::string mode = m ? std::string(to_string(*m)) : std::string(r.raw(row, "mode"));
      f.traction = r.text(row, "traction");
      f.g_co2e_per_tkm = r.number(row, "g_co2e_per_tkm", 0, 1e5);
      f.sources = sources(r, row);
      if (!m) continue;
      f.mode = *m;
      for (const EmissionFactor& g : net.emission_factors) {
        if (g.mode == f.mode && g.traction == f.traction) {
          r.error(row, "traction",
                  "duplicate factor for " + mode + "/" + f.traction + " (expected one row per mode and traction)");
        }
      }
      net.emission_factors.push_back(std::move(f));
    }
  }

  void load_locations() {
    auto t = table("locations.csv", true);
    if (!t) return;
    TableReader r(*t,
                  {"id", "name", "aliases", "country", "kind", "lat", "lon", "timezone", "transfer_hours",
                   "handling_cost", "currency", "source"},
                  {"handling_cost_feu", "port_dwell_median_h", "port_dwell_p90_h", "free_days", "storage_per_day",
                   "storage_per_day_feu"},
                  errors, warnings);
    for (const CsvRow& row : t->rows) {
      if (!r.check_width(row)) continue;
      Location l;
      l.id = r.text(row, "id");
      for (char c : l.id) {
        if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '-' ||
              c == '_')) {
          r.error(row, "id", "bad id \"" + l.id + "\" (expected a lowercase slug of a-z, 0-9, - and _)");
          break;
        }
      }
      l.name = r.text(row, "name");
      for (const std::string& a : split_list(r.raw(row, "aliases"))) {
        if (!a.empty()) l.aliases.push_back(a);
      }
      std::string country = r.text(row, "country");
      if (country.size() != 2 || !std::isupper(static_cast<unsigned char>(country[0])) ||
          !std::isupper(static_cast<unsigned char>(country[1]))) {
        if (!country.empty())
          r.error(row, "country", "bad country \"" + country + "\" (expected an ISO 3166-1 alpha-2 code such as KZ)");
      } else {
        l.country = {country[0], country[1]};
      }
      std::string kind = r.text(row, "kind");
      static const std::pair<const char*, LocationKind> kinds[] = {
          {"terminal", LocationKind::kTerminal}, {"dry_port", LocationKind::kDryPort}, {"bcp", LocationKind::kBcp},
          {"seaport", LocationKind::kSeaport},   {"airport", LocationKind::kAirport},  {"city", LocationKind::kCity}};
      bool kind_ok = false;
      for (auto [name, k] : kinds) {
        if (kind == name) {
          l.kind = k;
          kind_ok = true;
        }
      }
      if (!kind_ok && !kind.empty()) {
        r.error(row, "kind",
                "unknown kind \"" + kind + "\" (expected terminal, dry_port, bcp, seaport, airport or city)");
      }
      l.lat = r.number(row, "lat", -90, 90);
      l.lon = r.number(row, "lon", -180, 180);
      std::string tz = r.text(row, "timezone");
      if (!tz.empty()) {
        auto zone = TimeZone::locate(tz);
        if (zone)
          l.zone = *zone;
        else
          r.error(row, "timezone", zone.error().message);
      }
      l.transfer_time = hours(r.number(row, "transfer_hours", 0, 24 * 30));
      auto cur = r.currency(row, "currency");
      check_fx(r, row, "currency", cur);
      l.handling_cost = r.money(row, "handling_cost", cur);
      l.handling_cost_feu = optional_money(r, row, "handling_cost_feu", cur);
      const double dwell = r.number(row, "port_dwell_median_h", 0, 24 * 60, false);
      const double dwell_p90 = r.number(row, "port_dwell_p90_h", 0, 24 * 60, false, dwell);
      if (r.has_value(row, "port_dwell_p90_h") && !r.has_value(row, "port_dwell_median_h")) {
        r.error(row, "port_dwell_median_h", "empty while port_dwell_p90_h is given (expected both)");
      } else if (dwell_p90 < dwell) {
        r.error(row, "port_dwell_p90_h",
                "p90 " + std::string(r.raw(row, "port_dwell_p90_h")) + " h is below the median " +
                    std::string(r.raw(row, "port_dwell_median_h")) + " h (expected p90 >= median)");
      }
      l.port_dwell_median = hours(dwell);
      l.port_dwell_p90 = hours(std::max(dwell, dwell_p90));
      if (dwell > 0 && kind_ok && l.kind != LocationKind::kSeaport) {
        r.error(row, "port_dwell_median_h", "port dwell at a " + kind + " (expected a seaport)");
      }
      l.free_days = r.number(row, "free_days", 0, 365, false);
      l.storage_per_day = r.money(row, "storage_per_day", cur);
      l.storage_per_day_feu = optional_money(r, row, "storage_per_day_feu", cur);
      l.sources = sources(r, row);
      add_unique(r, row, net.location_by_id, net.locations, std::move(l), "location");
    }
  }

  void load_links() {
    auto t = table("links.csv", true);
    if (!t) return;
    TableReader r(*t,
                  {"id", "from", "to", "mode", "km", "gauge_mm", "speed_kmh", "tariff_per_unit_km", "tariff_per_unit",
                   "currency", "co2_g_per_tkm", "capacity_units_per_day", "bidirectional", "status", "source"},
                  {}, errors, warnings);
    for (const CsvRow& row : t->rows) {
      if (!r.check_width(row)) continue;
      Link k;
      k.id = r.text(row, "id");
      k.from = location_ref(r, row, "from");
      k.to = location_ref(r, row, "to");
      auto m = r.mode(row, "mode");
      std::string mode = m ? std::string(to_string(*m)) : std::string(r.raw(row, "mode"));
      if (m) k.mode = *m;
      k.length = Distance::from_km(r.number(row, "km", 0, 40000));
      if (m == Mode::kRail) {
        double g = r.number(row, "gauge_mm", 0, 3000);
        if (g != 0 && g != 1435 && g != 1520 && g != 1000 && g != 1067) {
          r.error(row, "gauge_mm", "unusual gauge " + std::string(r.raw(row, "gauge_mm")) + " (expected 1435 or 1520)");
        }
        k.gauge = static_cast<GaugeMm>(g);
      } else if (r.has_value(row, "gauge_mm")) {
        r.error(row, "gauge_mm", "gauge on a " + mode + " link (expected empty; gauge is for rail)");
      }
      k.speed_kmh = r.number(row, "speed_kmh", 0.1, 2000);
      auto cur = r.currency(row, "currency");
      check_fx(r, row, "currency", cur);
      k.tariff_per_teu_km = r.number(row, "tariff_per_unit_km", 0, 1e9, false);
      k.tariff_per_teu = r.money(row, "tariff_per_unit", cur);
      if (cur) k.tariff_per_teu.currency = *cur;
      k.co2_g_per_tkm = r.number(row, "co2_g_per_tkm", 0, 1e5, false, -1);
      if (k.co2_g_per_tkm < 0 && m) {
        k.co2_g_per_tkm = net.average_co2_g_per_tkm(*m);
        if (k.co2_g_per_tkm <= 0) {
          r.error(row, "co2_g_per_tkm",
                  "empty and no average factor for " + mode + " (expected a number, or an emission_factors.csv row " +
                      mode + ",average)");
        }
      }
      if (m == Mode::kRail && warnings != nullptr && (k.tariff_per_teu_km != 0 || k.tariff_per_teu.minor != 0)) {
        warnings->push_back(Error::at(t->file, row.line, "tariff_per_unit_km",
                                      "tariff on a rail link, ignored (expected 0: rail is priced by its services and "
                                      "the on-demand products of rail_products.csv)"));
      }
      k.capacity_teu_per_day = r.count(row, "capacity_units_per_day");
      k.bidirectional = r.boolean(row, "bidirectional", true);
      std::string status = r.text(row, "status", false);
      if (status.empty() || status == "open")
        k.status = LinkStatus::kOpen;
      else if (status == "planned")
        k.status = LinkStatus::kPlanned;
      else if (status == "closed")
        k.status = LinkStatus::kClosed;
      else
        r.error(row, "status", "unknown status \"" + status + "\" (expected open, planned or closed)");
      k.sources = sources(r, row);
      if (k.from.valid() && k.from == k.to)
        r.error(row, "to", "link from a location to itself (expected two different locations)");
      if (k.from.valid() && k.to.valid() && m) {
        const Location& a = net.locations[k.from];
        const Location& b = net.locations[k.to];
        if (a.country != b.country && (k.mode == Mode::kRail || k.mode == Mode::kRoad)) {
          r.error(row, "to",
                  "a " + mode + " link joins " + std::string(a.country_code()) + " and " +
                      std::string(b.country_code()) +
                      " (expected a crossing between countries; rail and road links stay within one country)");
        }
        if (k.mode == Mode::kRail && k.gauge != 0) {
          for (LocationIdx end : {k.from, k.to}) {
            Location& loc = net.locations[end];
            if (loc.gauge == 0) {
              loc.gauge = k.gauge;
            } else if (loc.gauge != k.gauge) {
              r.error(row, "gauge_mm",
                      "location " + loc.id + " already has rail links of " + std::to_string(loc.gauge) +
                          " mm (expected one gauge per location; join gauges with a gauge-change crossing)");
            }
          }
        } else if (k.mode == Mode::kRail) {
          r.error(row, "gauge_mm", "empty (expected the track gauge of a rail link, 1435 or 1520)");
        }
      }
      if (k.id.empty()) continue;
      if (net.link_by_id.count(k.id)) {
        r.error(row, "id", "duplicate link \"" + k.id + "\" (expected unique ids)");
        continue;
      }
      std::string id = k.id;
      bool valid_ends = k.from.valid() && k.to.valid();
      if (!valid_ends) continue;
      link_lines_.push_back(row.line);
      net.link_by_id[id] = net.links.push_back(std::move(k));
    }
  }

  void load_crossings() {
    auto t = table("crossings.csv", false);
    if (!t) return;
    TableReader r(*t,
                  {"id", "exit", "entry", "mode", "clearance_median_h", "clearance_p90_h", "cost", "currency",
                   "exit_open", "entry_open", "gauge_change", "gauge_change_h", "gauge_change_cost_per_unit",
                   "capacity_per_day", "source"},
                  {"cost_feu", "gauge_change_cost_feu", "status"}, errors, warnings);
    const std::vector<ModeSet> link_modes = link_modes_at(net);
    for (const CsvRow& row : t->rows) {
      if (!r.check_width(row)) continue;
      Crossing c;
      c.id = r.text(row, "id");
      c.exit = location_ref(r, row, "exit");
      c.entry = location_ref(r, row, "entry");
      auto m = r.mode(row, "mode");
      std::string mode = m ? std::string(to_string(*m)) : std::string(r.raw(row, "mode"));
      if (m) c.mode = *m;
      // A crossing of a mode no link at either post has (a "rail" crossing
      // between two road checkpoints) is refused. One post without it is
      // allowed: a line may end at the border's terminal (1520 mm into Astara,
      // Iran), where the cargo changes to road. A post no link reaches yet is
      // left to the reachability checks.
      auto lacks = [&](LocationIdx side) {
        return m && side.valid() && !link_modes[side.v].empty() && !link_modes[side.v].has(*m);
      };
      if (lacks(c.exit) && lacks(c.entry)) {
        r.error(row, "mode",
                mode + " crossing, but no " + mode + " link reaches " + net.locations[c.exit].id + " or " +
                    net.locations[c.entry].id + " (expected a " + mode + " link at one of its posts at least)");
      }
      double median = r.number(row, "clearance_median_h", 0, 24 * 60);
      double p90 = r.number(row, "clearance_p90_h", 0, 24 * 60);
      if (p90 < median) {
        r.error(row, "clearance_p90_h",
                "p90 " + std::string(r.raw(row, "clearance_p90_h")) + " h is below the median " +
                    std::string(r.raw(row, "clearance_median_h")) + " h (expected p90 >= median)");
      }
      c.clearance_median = hours(median);
      c.clearance_p90 = hours(p90);
      auto cur = r.currency(row, "currency");
      check_fx(r, row, "currency", cur);
      c.cost = r.money(row, "cost", cur);
      for (const char* side : {"exit_open", "entry_open"}) {
        std::string_view v = r.raw(row, side);
        OpeningHours h;
        if (v.empty()) {
          r.error(row, side, "empty (expected opening hours such as 24/7 or Mon-Fri 09:00-18:00)");
        } else {
          auto parsed = OpeningHours::parse(v);
          if (parsed)
            h = *parsed;
          else
            r.error(row, side, parsed.error().message);
        }
        (std::string_view(side) == "exit_open" ? c.exit_open : c.entry_open) = h;
      }
      c.gauge_change = r.boolean(row, "gauge_change", false);
      c.gauge_change_time = hours(r.number(row, "gauge_change_h", 0, 24 * 30, c.gauge_change));
      c.gauge_change_cost_per_teu = r.money(row, "gauge_change_cost_per_unit", cur);
      c.cost_feu = optional_money(r, row, "cost_feu", cur);
      c.gauge_change_cost_feu = optional_money(r, row, "gauge_change_cost_feu", cur);
      c.capacity_teu_per_day = r.count(row, "capacity_per_day");
      std::string status = r.text(row, "status", false);
      if (status.empty() || status == "open")
        c.status = LinkStatus::kOpen;
      else if (status == "planned")
        c.status = LinkStatus::kPlanned;
      else if (status == "closed")
        c.status = LinkStatus::kClosed;
      else
        r.error(row, "status", "unknown status \"" + status + "\" (expected open, planned or closed)");
      c.sources = sources(r, row);
      c.reset_classes();
      if (c.exit.valid() && c.entry.valid() && m) {
        const Location& a = net.locations[c.exit];
        const Location& b = net.locations[c.entry];
        if (c.exit == c.entry) {
          r.error(row, "entry", "exit and entry are the same location (expected the two sides of the crossing)");
        } else if (a.country == b.country && !c.gauge_change) {
          r.error(row, "entry",
                  "exit and entry are both in " + std::string(a.country_code()) +
                      " (expected two countries, or gauge_change true for a break of gauge)");
        }
        if (c.mode == Mode::kRail && a.gauge != 0 && b.gauge != 0) {
          if (c.gauge_change && a.gauge == b.gauge) {
            r.error(row, "gauge_change",
                    "gauge change declared where gauges match (" + std::to_string(a.gauge) +
                        " mm on both sides; expected false)");
          } else if (!c.gauge_change && a.gauge != b.gauge) {
            r.error(row, "gauge_change",
                    "gauges differ (" + std::to_string(a.gauge) + " mm at " + a.id + ", " + std::to_string(b.gauge) +
                        " mm at " + b.id + ") but no gauge change (expected true)");
          }
        }
        if (c.gauge_change && c.mode != Mode::kRail) {
          r.error(row, "gauge_change", "gauge change on a " + mode + " crossing (expected false; gauge is for rail)");
        }
      }
      add_unique(r, row, net.crossing_by_id, net.crossings, std::move(c), "crossing");
    }
  }

  bool has_port_crossing(LocationIdx from, LocationIdx to, Mode m) const {
    for (const Crossing& c : net.crossings) {
      if (c.exit == from && c.entry == to && c.mode == m) return true;
    }
    return false;
  }

  // Ferry, sea and air links across countries need a crossing for customs.
  void check_port_crossings() {
    for (LinkIdx i : net.links.indexes()) {
      const Link& k = net.links[i];
      if (k.mode == Mode::kRail || k.mode == Mode::kRoad) continue;
      const Location& a = net.locations[k.from];
      const Location& b = net.locations[k.to];
      if (a.country == b.country) continue;
      std::string mode(to_string(k.mode));
      if (!has_port_crossing(k.from, k.to, k.mode)) {
        errors.push_back(Error::at("links.csv", link_lines_[i.v], "to",
                                   "a " + mode + " link from " + std::string(a.country_code()) + " to " +
                                       std::string(b.country_code()) +
                                       " has no crossing (expected a crossings.csv row with exit " + a.id + ", entry " +
                                       b.id + ", mode " + mode + ")"));
      }
      if (k.bidirectional && !has_port_crossing(k.to, k.from, k.mode)) {
        errors.push_back(Error::at("links.csv", link_lines_[i.v], "bidirectional",
                                   "the return direction has no crossing (expected a crossings.csv row with exit " +
                                       b.id + ", entry " + a.id + ", mode " + mode + ", or bidirectional false)"));
      }
    }
  }
  // A road link's toll is charged per truck with the haul, in the country's
  // trucking currency (one amount per leg).
  void check_tolls() {
    for (LinkIdx i : net.links.indexes()) {
      const Link& k = net.links[i];
      if (k.mode != Mode::kRoad || k.tariff_per_teu.minor == 0) continue;
      const TruckingTerms* t = net.trucking_for(net.locations[k.from].country);
      if (t != nullptr && !(t->currency == k.tariff_per_teu.currency)) {
        errors.push_back(Error::at("links.csv", link_lines_[i.v], "currency",
                                   "toll in " + std::string(k.tariff_per_teu.currency.str()) +
                                       " where trucking.csv charges " + std::string(t->currency.str()) +
                                       " (expected the country's trucking currency)"));
      }
    }
  }

  std::vector<std::uint32_t> link_lines_;  // link -> line in links.csv
  std::uint32_t hubs_line_ = 0;            // line of `hubs` in dataset.toml

  void check_hubs() {
    for (const std::string& id : net.info.hubs) {
      if (!net.find_location(id).valid()) {
        errors.push_back(
            Error::at("dataset.toml", hubs_line_, "hubs", "unknown location \"" + id + "\" (expected a location id)"));
      }
    }
  }

  std::vector<std::vector<LinkIdx>> outgoing_;  // location -> links leaving it, for service distances

  void load_services() {
    auto t = table("services.csv", false);
    if (!t) return;
    TableReader r(*t,
                  {"id", "name", "mode", "operator", "stops", "days", "depart_local", "stop_offsets_h",
                   "capacity_units", "tariff_per_unit", "currency", "source"},
                  {"cutoff_h", "tariff_per_feu", "rate_date", "rate_covers_borders"}, errors, warnings);
    outgoing_ = outgoing_links(net);
    auto base_link = [this](LinkIdx i) -> const Link& { return net.links[i]; };
    for (const CsvRow& row : t->rows) {
      if (!r.check_width(row)) continue;
      Service s;
      s.id = r.text(row, "id");
      s.name = r.text(row, "name");
      s.operator_name = r.text(row, "operator", false);
      auto m = r.mode(row, "mode");
      std::string mode = m ? std::string(to_string(*m)) : std::string(r.raw(row, "mode"));
      if (m) s.mode = *m;
      bool stops_ok = true;
      for (const std::string& id : split_list(r.raw(row, "stops"))) {
        LocationIdx i = net.find_location(id);
        if (!i.valid()) {
          r.error(row, "stops", "unknown location \"" + id + "\" (expected location ids separated by ;)");
          stops_ok = false;
        }
        s.stops.push_back(i);
      }
      if (s.stops.size() < 2) {
        r.error(row, "stops", "fewer than two stops (expected location ids separated by ;)");
        stops_ok = false;
      } else if (s.stops.size() > kMaxServiceStops) {
        r.error(row, "stops",
                std::to_string(s.stops.size()) + " stops (expected at most " + std::to_string(kMaxServiceStops) +
                    " per service)");
        stops_ok = false;
      }
      for (std::size_t i = 0; stops_ok && i + 1 < s.stops.size(); ++i) {
        if (s.stops[i] == s.stops[i + 1]) {
          r.error(row, "stops",
                  "stop \"" + net.locations[s.stops[i]].id +
                      "\" twice in a row (expected consecutive stops to differ)");
          stops_ok = false;
        }
      }
      if (m == Mode::kRoad) {
        r.error(row, "mode", "a road service (expected rail, ferry, sea or air: trucks run on demand on road links)");
      }
      std::string days = r.text(row, "days");
      if (days == "daily") {
        s.weekdays = 0x7f;
      } else if (!days.empty()) {
        for (const std::string& d : split_list(days)) {
          std::optional<int> day = parse_weekday(d);
          if (!day)
            r.error(row, "days", "unknown day \"" + d + "\" (expected daily or days like Mon;Thu)");
          else
            s.weekdays |= static_cast<std::uint8_t>(1u << *day);
        }
      }
      std::string dep = r.text(row, "depart_local");
      if (!dep.empty()) {
        int hh = -1, mm = -1;
        if (dep.size() == 5 && dep[2] == ':' && std::isdigit(static_cast<unsigned char>(dep[0])) &&
            std::isdigit(static_cast<unsigned char>(dep[1])) && std::isdigit(static_cast<unsigned char>(dep[3])) &&
            std::isdigit(static_cast<unsigned char>(dep[4]))) {
          hh = (dep[0] - '0') * 10 + (dep[1] - '0');
          mm = (dep[3] - '0') * 10 + (dep[4] - '0');
        }
        if (hh < 0 || hh > 23 || mm > 59)
          r.error(row, "depart_local", "impossible time \"" + dep + "\" (expected HH:MM from 00:00 to 23:59)");
        else
          s.depart_local_s = hh * 3600 + mm * 60;
      }
      std::vector<std::string> offsets = split_list(r.raw(row, "stop_offsets_h"));
      bool offsets_ok = true;
      for (std::size_t i = 0; i < offsets.size(); ++i) {
        double h = 0;
        auto [ptr, ec] = std::from_chars(offsets[i].data(), offsets[i].data() + offsets[i].size(), h);
        if (ec != std::errc() || ptr != offsets[i].data() + offsets[i].size() || h < 0) {
          r.error(row, "stop_offsets_h", "malformed offset \"" + offsets[i] + "\" (expected hours separated by ;)");
          offsets_ok = false;
          break;
        }
        Duration d = hours(h);
        if (i == 0 && d.count() != 0) {
          r.error(row, "stop_offsets_h", "first offset is " + offsets[i] + " (expected 0 at the first stop)");
          offsets_ok = false;
        }
        // Across a land border the running time may be 0: the crossing gives the border's time.
        const bool border_pair = i > 0 && i < s.stops.size() && s.stops[i - 1].valid() && s.stops[i].valid() &&
                                 net.locations[s.stops[i - 1]].country != net.locations[s.stops[i]].country;
        if (i > 0 && (border_pair ? d < s.stop_offsets.back() : d <= s.stop_offsets.back())) {
          r.error(row, "stop_offsets_h",
                  "offset " + offsets[i] + " is not after the previous one (expected increasing hours)");
          offsets_ok = false;
        }
        s.stop_offsets.push_back(d);
      }
      if (offsets_ok && offsets.size() != s.stops.size()) {
        r.error(row, "stop_offsets_h",
                std::to_string(offsets.size()) + " offsets for " + std::to_string(s.stops.size()) +
                    " stops (expected one offset per stop)");
      }
      s.capacity_teu = r.count(row, "capacity_units");
      auto cur = r.currency(row, "currency");
      check_fx(r, row, "currency", cur);
      s.tariff_per_teu = r.money(row, "tariff_per_unit", cur);
      s.tariff_per_feu = optional_money(r, row, "tariff_per_feu", cur);
      s.cutoff = hours(r.number(row, "cutoff_h", 0, 24 * 30, false));
      s.rate_date = r.text(row, "rate_date", false);
      s.rate_covers_borders = r.boolean(row, "rate_covers_borders", false);
      s.sources = sources(r, row);
      if (stops_ok && m) {
        s.stop_km.push_back(Distance{0});
        s.stop_co2_g_per_t.push_back(0);
        for (std::size_t i = 0; i + 1 < s.stops.size(); ++i) {
          const Location& a = net.locations[s.stops[i]];
          const Location& b = net.locations[s.stops[i + 1]];
          if (a.country != b.country && s.mode == Mode::kRail) {
            // A rail service runs through a land border only where the two
            // stops are the exit and entry of an open rail crossing (ADR 0500).
            CrossingIdx c = find_rail_crossing(net, s.stops[i], s.stops[i + 1]);
            if (!c.valid() || net.crossings[c].status != LinkStatus::kOpen) {
              r.error(row, "stops",
                      "a rail service crosses from " + a.id + " (" + std::string(a.country_code()) + ") to " + b.id +
                          " (" + std::string(b.country_code()) +
                          ") (expected consecutive stops in two countries to be the exit "
                          "and entry of an open rail crossing)");
            }
            s.stop_km.push_back(s.stop_km.back());
            s.stop_co2_g_per_t.push_back(s.stop_co2_g_per_t.back());
            continue;
          }
          if (a.country != b.country && !has_port_crossing(s.stops[i], s.stops[i + 1], s.mode)) {
            r.error(row, "stops",
                    "no crossing from " + a.id + " to " + b.id +
                        " (expected a crossings.csv row with that exit, entry and mode " + mode + ")");
          }
          auto path = shortest_link_path(net, outgoing_, base_link, s.stops[i], s.stops[i + 1], s.mode);
          if (!path) {
            r.error(row, "stops",
                    "no open " + mode + " link path from " + a.id + " to " + b.id +
                        " (expected consecutive stops joined by links of the service's mode)");
            path = LinkPath{};
          }
          s.stop_km.push_back(s.stop_km.back() + path->km);
          s.stop_co2_g_per_t.push_back(s.stop_co2_g_per_t.back() + path->co2_g_per_t);
        }
      }
      if (stops_ok && offsets_ok) {
        schedule_service(s, net, [this](CrossingIdx c) -> const Crossing& { return net.crossings[c]; });
      }
      add_unique(r, row, net.service_by_id, net.services, std::move(s), "service");
    }
  }

  // observations.csv (optional): `kind,id,hours,source`, one observed stage
  // duration per row; see docs/data.md.
  void load_observations() {
    auto t = table("observations.csv", false);
    if (!t) return;
    TableReader r(*t, {"kind", "id", "hours", "source"}, {}, errors, warnings);
    for (const CsvRow& row : t->rows) {
      if (!r.check_width(row)) continue;
      Observation o;
      std::string kind = r.text(row, "kind");
      std::string id = r.text(row, "id");
      bool ok = true;
      auto find = [&](const auto& by_id, const char* what, const char* file) {
        auto it = by_id.find(id);
        if (it == by_id.end()) {
          if (!id.empty())
            r.error(row, "id", std::string("unknown ") + what + " \"" + id + "\" (expected an id from " + file + ")");
          ok = false;
          return std::uint32_t{0};
        }
        return it->second.v;
      };
      if (kind == "clearance") {
        o.kind = ObservationKind::kClearance;
        o.ref = find(net.crossing_by_id, "crossing", "crossings.csv");
      } else if (kind == "gauge_change") {
        o.kind = ObservationKind::kGaugeChange;
        o.ref = find(net.crossing_by_id, "crossing", "crossings.csv");
        if (ok && !net.crossings[CrossingIdx(o.ref)].gauge_change) {
          r.error(row, "id",
                  "crossing \"" + id + "\" has no gauge change (expected a crossing with gauge_change true)");
          ok = false;
        }
      } else if (kind == "link") {
        o.kind = ObservationKind::kLinkTravel;
        o.ref = find(net.link_by_id, "link", "links.csv");
      } else if (kind == "service_delay") {
        o.kind = ObservationKind::kServiceDelay;
        o.ref = find(net.service_by_id, "service", "services.csv");
      } else {
        if (!kind.empty())
          r.error(row, "kind",
                  "unknown kind \"" + kind + "\" (expected clearance, gauge_change, link or service_delay)");
        ok = false;
      }
      double lo = o.kind == ObservationKind::kServiceDelay ? -1e6 : 0;
      o.hours = r.number(row, "hours", lo, 1e6);
      o.sources = sources(r, row);
      if (ok) net.observations.push_back(std::move(o));
    }
  }
};

}  // namespace

Result<DatasetFiles> read_dataset_files(const std::filesystem::path& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    return Error::not_found(dir.string() +
                            ": no such dataset folder (expected a folder with locations.csv, links.csv, …)");
  }
  DatasetFiles files;
  for (const char* name :
       {"dataset.toml", "sources.csv", "locations.csv", "links.csv", "crossings.csv", "services.csv", "fx.csv",
        "emission_factors.csv", "observations.csv", "equipment.csv", "trucking.csv", "rail_products.csv",
        "crossing_classes.csv", "closures.csv", "fares.csv", "air_rates.csv", "empty_return.csv"}) {
    std::filesystem::path p = dir / name;
    // Absent files are skipped (optional ones may be); anything by the name,
    // a dangling symlink too, is read and must be a readable regular file.
    if (!std::filesystem::exists(std::filesystem::symlink_status(p, ec))) continue;
    auto text = read_regular_file(p, kMaxDatasetFileBytes);
    if (!text) return text.errors();
    files.text[name] = std::move(*text);
  }
  return files;
}

Result<Network> load_network(const DatasetFiles& files, Errors* warnings) {
  Loader l(files, warnings);
  l.load_info();
  l.load_sources();
  l.load_fx();
  l.load_emission_factors();
  l.load_locations();
  l.check_hubs();
  l.load_links();
  l.load_crossings();
  l.check_port_crossings();
  l.check_value_of_time_sources();
  l.load_services();
  l.load_observations();
  detail::load_equipment(l);
  detail::load_trucking(l);
  detail::load_rail_products(l);
  detail::load_crossing_classes(l);
  detail::load_closures(l);
  detail::load_fares(l);
  detail::load_air_rates(l);
  detail::load_empty_returns(l);
  l.check_tolls();
  if (l.errors.empty()) {
    // Services' timetables include the block-train border times, which
    // crossing_classes.csv may have changed.
    for (Service& s : l.net.services) {
      schedule_service(s, l.net, [&l](CrossingIdx c) -> const Crossing& { return l.net.crossings[c]; });
    }
  }
  if (!l.errors.empty()) return l.errors;
  Errors invariants = l.net.validate();
  if (!invariants.empty()) return invariants;
  return std::move(l.net);
}

Result<Network> load_network(const std::filesystem::path& dir, Errors* warnings) {
  auto files = read_dataset_files(dir);
  if (!files) return files.errors();
  auto net = load_network(*files, warnings);
  if (!net) {
    Errors errs = net.errors();
    // Name files by their path so messages point at the real file.
    for (Error& e : errs) {
      if (!e.file.empty()) e.file = (dir / e.file).string();
    }
    return errs;
  }
  return net;
}

#ifndef CARAVAN_SOURCE_DATA_DIR
#define CARAVAN_SOURCE_DATA_DIR "data/central-asia"
#endif
#ifndef CARAVAN_INSTALL_DATA_DIR
#define CARAVAN_INSTALL_DATA_DIR "/usr/local/share/caravan/central-asia"
#endif

std::filesystem::path installed_share_dir() {
  std::error_code ec;
  std::filesystem::path exe = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec || exe.empty()) return {};
  return exe.parent_path().parent_path() / "share" / "caravan";
}

std::filesystem::path default_data_dir() {
  if (const char* env = std::getenv("CARAVAN_DATA"); env != nullptr && *env != '\0') return env;
  std::error_code ec;
  if (auto share = installed_share_dir(); !share.empty() && std::filesystem::is_directory(share / "central-asia", ec)) {
    return share / "central-asia";
  }
  if (std::filesystem::is_directory(CARAVAN_SOURCE_DATA_DIR, ec)) return CARAVAN_SOURCE_DATA_DIR;
  return CARAVAN_INSTALL_DATA_DIR;
}

}  // namespace caravan
