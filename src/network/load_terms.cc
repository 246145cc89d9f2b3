// The dataset files of ADR 0500 (docs/adr/0500-bookable-options.md): what
// boxes and trucks weigh, on-demand rail products, border terms by traffic
// class, dated closures, fares of stop pairs, air weight breaks and empty
// returns. Every file is optional; rows are checked as in load.cc.
#include <set>

#include "loader.h"

namespace caravan::detail {
namespace {

// `name` with an `h` suffix read as hours in [0, 60 days].
Duration hours_of(TableReader& r, const CsvRow& row, std::string_view column, bool required, double fallback = 0) {
  return hours(r.number(row, column, 0, 24 * 60, required, fallback));
}

// A median/p90 pair of hour columns, p90 >= median.
std::pair<Duration, Duration> median_p90(TableReader& r, const CsvRow& row, std::string_view median_col,
                                         std::string_view p90_col, bool required) {
  const double m = r.number(row, median_col, 0, 24 * 60, required);
  const double p = r.number(row, p90_col, 0, 24 * 60, required, m);
  if (p < m) {
    r.error(row, p90_col,
            "p90 " + std::string(r.raw(row, p90_col)) + " h is below the median " +
                std::string(r.raw(row, median_col)) + " h (expected p90 >= median)");
  }
  return {hours(m), hours(std::max(m, p))};
}

// Kilograms as a whole number > 0.
Mass kilograms(TableReader& r, const CsvRow& row, std::string_view column, double hi = 1e6) {
  return Mass{static_cast<std::int64_t>(std::llround(r.number(row, column, 1, hi)))};
}

std::optional<TrafficClass> traffic_class(TableReader& r, const CsvRow& row, std::string_view column, bool required) {
  std::string v = r.text(row, column, required);
  if (v.empty()) return std::nullopt;
  auto c = parse_traffic_class(v);
  if (!c) r.error(row, column, "unknown traffic class \"" + v + "\" (expected block_train, rail or truck)");
  return c;
}

ServiceIdx service_ref(LoadContext& c, TableReader& r, const CsvRow& row) {
  std::string id = r.text(row, "service");
  if (id.empty()) return ServiceIdx::invalid();
  auto it = c.net.service_by_id.find(id);
  if (it == c.net.service_by_id.end()) {
    r.error(row, "service", "unknown service \"" + id + "\" (expected an id from services.csv)");
    return ServiceIdx::invalid();
  }
  return it->second;
}

CrossingIdx crossing_ref(LoadContext& c, TableReader& r, const CsvRow& row) {
  std::string id = r.text(row, "crossing");
  if (id.empty()) return CrossingIdx::invalid();
  auto it = c.net.crossing_by_id.find(id);
  if (it == c.net.crossing_by_id.end()) {
    r.error(row, "crossing", "unknown crossing \"" + id + "\" (expected an id from crossings.csv)");
    return CrossingIdx::invalid();
  }
  return it->second;
}

}  // namespace

void load_equipment(LoadContext& c) {
  auto t = c.table("equipment.csv", false);
  if (!t) return;
  TableReader r(*t, {"unit", "name", "teu", "tare_kg", "max_gross_kg", "source"}, {}, c.errors, c.warnings);
  for (const CsvRow& row : t->rows) {
    if (!r.check_width(row)) continue;
    EquipmentType e;
    std::string unit = r.text(row, "unit");
    auto u = parse_unit_kind(unit);
    if (!u || !is_container(*u)) {
      if (!unit.empty()) r.error(row, "unit", "unknown box unit \"" + unit + "\" (expected TEU, FEU or FEU_HC)");
    }
    e.name = r.text(row, "name");
    e.teu = static_cast<int>(r.count(row, "teu", true));
    e.tare = kilograms(r, row, "tare_kg");
    e.max_gross = kilograms(r, row, "max_gross_kg");
    e.sources = c.sources(r, row);
    if (!u || !is_container(*u)) continue;
    e.unit = *u;
    if (e.teu != teu_per_unit(*u)) {
      r.error(row, "teu",
              std::to_string(e.teu) + " TEU for a " + unit + " (expected " + std::to_string(teu_per_unit(*u)) + ")");
    }
    if (e.max_gross.kg <= e.tare.kg) {
      r.error(row, "max_gross_kg",
              "max gross " + std::string(r.raw(row, "max_gross_kg")) + " kg is not above the tare " +
                  std::string(r.raw(row, "tare_kg")) + " kg (expected room for a payload)");
    }
    auto& slot = c.net.equipment[static_cast<std::size_t>(*u)];
    if (slot) {
      r.error(row, "unit", "duplicate unit " + std::string(to_string(*u)) + " (expected one row per box unit)");
      continue;
    }
    slot = std::move(e);
  }
}

void load_trucking(LoadContext& c) {
  auto t = c.table("trucking.csv", false);
  if (!t) return;
  TableReader r(*t,
                {"country", "per_truck_km", "per_truck_km_eastbound", "currency", "max_gross_kg", "truck_tare_kg",
                 "source"},
                {}, c.errors, c.warnings);
  for (const CsvRow& row : t->rows) {
    if (!r.check_width(row)) continue;
    TruckingTerms k;
    auto country = c.country(r, row, "country");
    k.per_truck_km = r.number(row, "per_truck_km", 0, 1e9);
    if (r.has_value(row, "per_truck_km_eastbound"))
      k.per_truck_km_eastbound = r.number(row, "per_truck_km_eastbound", 0, 1e9);
    auto cur = r.currency(row, "currency");
    c.check_fx(r, row, "currency", cur);
    if (cur) k.currency = *cur;
    k.max_gross = kilograms(r, row, "max_gross_kg");
    k.truck_tare = kilograms(r, row, "truck_tare_kg");
    k.sources = c.sources(r, row);
    if (k.max_gross.kg <= k.truck_tare.kg) {
      r.error(row, "max_gross_kg",
              "max gross " + std::string(r.raw(row, "max_gross_kg")) + " kg is not above the truck tare " +
                  std::string(r.raw(row, "truck_tare_kg")) + " kg (expected room for a load)");
    }
    if (!country) continue;
    k.country = *country;
    if (c.net.trucking_for(k.country) != nullptr) {
      r.error(row, "country",
              "duplicate country " + std::string(country->data(), 2) + " (expected one row per country)");
      continue;
    }
    c.net.trucking.push_back(std::move(k));
  }
}

void load_rail_products(LoadContext& c) {
  auto t = c.table("rail_products.csv", false);
  if (!t) return;
  TableReader r(*t,
                {"id", "name", "railway", "countries", "formation_median_h", "formation_p90_h", "yard_dwell_h",
                 "yard_spacing_km", "tariff_per_teu_km", "tariff_per_teu_km_eastbound", "feu_factor", "currency",
                 "source"},
                {}, c.errors, c.warnings);
  for (const CsvRow& row : t->rows) {
    if (!r.check_width(row)) continue;
    RailProduct p;
    p.id = r.text(row, "id");
    p.name = r.text(row, "name");
    p.railway = r.text(row, "railway");
    for (const std::string& code : split_list(r.raw(row, "countries"))) {
      if (code.size() != 2 || !std::isupper(static_cast<unsigned char>(code[0])) ||
          !std::isupper(static_cast<unsigned char>(code[1]))) {
        r.error(row, "countries", "bad country \"" + code + "\" (expected ISO 3166-1 alpha-2 codes separated by ;)");
        continue;
      }
      CountryCode k{code[0], code[1]};
      ProductIdx other = c.net.product_for(k);
      if (other.valid() || std::find(p.countries.begin(), p.countries.end(), k) != p.countries.end()) {
        r.error(row, "countries",
                "country " + code + " already has the product \"" + (other.valid() ? c.net.products[other].id : p.id) +
                    "\" (expected one on-demand product per country)");
        continue;
      }
      p.countries.push_back(k);
    }
    if (p.countries.empty() && r.raw(row, "countries").empty())
      r.error(row, "countries", "empty (expected the railway's countries, e.g. KZ)");
    std::tie(p.formation_median, p.formation_p90) = median_p90(r, row, "formation_median_h", "formation_p90_h", false);
    p.yard_dwell = hours_of(r, row, "yard_dwell_h", false);
    p.yard_spacing_km = r.number(row, "yard_spacing_km", 0, 1e5, false);
    if (p.yard_dwell.count() > 0 && p.yard_spacing_km <= 0) {
      r.error(row, "yard_spacing_km",
              "empty or 0 while yard_dwell_h is given (expected the km between marshalling yards)");
    }
    p.tariff_per_teu_km = r.number(row, "tariff_per_teu_km", 0, 1e9);
    if (r.has_value(row, "tariff_per_teu_km_eastbound")) {
      p.tariff_per_teu_km_eastbound = r.number(row, "tariff_per_teu_km_eastbound", 0, 1e9);
    }
    p.feu_factor_given = r.has_value(row, "feu_factor");
    p.feu_factor = r.number(row, "feu_factor", 1, 4, false, 2);
    auto cur = r.currency(row, "currency");
    c.check_fx(r, row, "currency", cur);
    if (cur) p.currency = *cur;
    p.sources = c.sources(r, row);
    c.add_unique(r, row, c.net.product_by_id, c.net.products, std::move(p), "rail product");
  }
}

void load_crossing_classes(LoadContext& c) {
  auto t = c.table("crossing_classes.csv", false);
  if (!t) return;
  TableReader r(*t,
                {"crossing", "class", "clearance_median_h", "clearance_p90_h", "exit_open", "entry_open", "cost",
                 "cost_feu", "currency", "source"},
                {}, c.errors, c.warnings);
  for (const CsvRow& row : t->rows) {
    if (!r.check_width(row)) continue;
    CrossingIdx ci = crossing_ref(c, r, row);
    auto cls = traffic_class(r, row, "class", true);
    SourceList src = c.sources(r, row);
    if (!ci.valid() || !cls) continue;
    Crossing& x = c.net.crossings[ci];
    const bool ok_class = x.mode == Mode::kRail   ? *cls != TrafficClass::kTruck
                          : x.mode == Mode::kRoad ? *cls == TrafficClass::kTruck
                                                  : false;
    if (!ok_class) {
      r.error(row, "class",
              std::string(to_string(*cls)) + " on a " + std::string(to_string(x.mode)) +
                  " crossing (expected block_train or rail on a rail crossing, truck on a road crossing)");
      continue;
    }
    CrossingTerms& k = x.classes[static_cast<int>(*cls)];
    if (k.overridden) {
      r.error(row, "class",
              "duplicate class " + std::string(to_string(*cls)) + " for " + x.id +
                  " (expected one row per crossing and class)");
      continue;
    }
    k.overridden = true;
    if (r.has_value(row, "clearance_median_h") || r.has_value(row, "clearance_p90_h")) {
      std::tie(k.clearance_median, k.clearance_p90) = median_p90(r, row, "clearance_median_h", "clearance_p90_h", true);
    }
    for (const char* side : {"exit_open", "entry_open"}) {
      std::string_view v = r.raw(row, side);
      if (v.empty()) continue;
      auto h = OpeningHours::parse(v);
      if (!h)
        r.error(row, side, h.error().message);
      else
        (std::string_view(side) == "exit_open" ? k.exit_open : k.entry_open) = *h;
    }
    if (r.has_value(row, "cost") || r.has_value(row, "cost_feu")) {
      std::optional<Currency> cur = x.cost.currency;
      if (r.has_value(row, "currency")) {
        cur = r.currency(row, "currency");
        c.check_fx(r, row, "currency", cur);
      }
      if (cur) {
        k.cost = r.has_value(row, "cost") ? r.money(row, "cost", cur) : Money{0, *cur};
        k.cost_feu = r.has_value(row, "cost_feu") ? r.money(row, "cost_feu", cur) : Money{k.cost.minor * 2, *cur};
      }
    }
    k.sources = std::move(src);
  }
}

void load_closures(LoadContext& c) {
  auto t = c.table("closures.csv", false);
  if (!t) return;
  TableReader r(*t, {"crossing", "class", "from", "until", "note", "source"}, {}, c.errors, c.warnings);
  for (const CsvRow& row : t->rows) {
    if (!r.check_width(row)) continue;
    CrossingClosure k;
    k.crossing = crossing_ref(c, r, row);
    k.cls = traffic_class(r, row, "class", false);
    bool ok = k.crossing.valid() && (k.cls.has_value() || !r.has_value(row, "class"));
    for (const char* col : {"from", "until"}) {
      std::string v = r.text(row, col);
      if (v.empty()) {
        ok = false;
        continue;
      }
      auto when = parse_instant(v);
      if (!when) {
        r.error(row, col, when.error().message);
        ok = false;
        continue;
      }
      (std::string_view(col) == "from" ? k.from : k.until) = *when;
    }
    k.note = r.text(row, "note", false);
    k.sources = c.sources(r, row);
    if (ok && k.until <= k.from) {
      r.error(row, "until",
              "until " + std::string(r.raw(row, "until")) + " is not after from " + std::string(r.raw(row, "from")) +
                  " (expected a window with from < until)");
      ok = false;
    }
    if (ok) c.net.closures.push_back(std::move(k));
  }
}

void load_fares(LoadContext& c) {
  auto t = c.table("fares.csv", false);
  if (!t) return;
  TableReader r(*t, {"service", "from", "to", "tariff_per_unit", "tariff_per_feu", "currency", "source"}, {}, c.errors,
                c.warnings);
  for (const CsvRow& row : t->rows) {
    if (!r.check_width(row)) continue;
    ServiceIdx si = service_ref(c, r, row);
    LocationIdx from = c.location_ref(r, row, "from");
    LocationIdx to = c.location_ref(r, row, "to");
    auto cur = r.currency(row, "currency");
    c.check_fx(r, row, "currency", cur);
    Fare f;
    f.per_teu = r.money(row, "tariff_per_unit", cur, true);
    f.per_feu = c.optional_money(r, row, "tariff_per_feu", cur);
    f.sources = c.sources(r, row);
    if (!si.valid() || !from.valid() || !to.valid() || !cur) continue;
    Service& s = c.net.services[si];
    auto b = std::find(s.stops.begin(), s.stops.end(), from);
    auto a = b == s.stops.end() ? b : std::find(b + 1, s.stops.end(), to);
    if (b == s.stops.end() || a == s.stops.end()) {
      r.error(row, "to",
              "no ride from " + c.net.locations[from].id + " to " + c.net.locations[to].id + " on " + s.id +
                  " (expected two of its stops, in running order)");
      continue;
    }
    f.board = static_cast<std::uint16_t>(b - s.stops.begin());
    f.alight = static_cast<std::uint16_t>(a - s.stops.begin());
    bool dup = false;
    for (const Fare& g : s.fares) dup = dup || (g.board == f.board && g.alight == f.alight);
    if (dup) {
      r.error(row, "to",
              "duplicate fare for this stop pair of " + s.id + " (expected one row per service and stop pair)");
      continue;
    }
    s.fares.push_back(std::move(f));
  }
}

void load_air_rates(LoadContext& c) {
  auto t = c.table("air_rates.csv", false);
  if (!t) return;
  TableReader r(*t, {"service", "min_kg", "per_kg", "min_charge", "currency", "source"}, {}, c.errors, c.warnings);
  for (const CsvRow& row : t->rows) {
    if (!r.check_width(row)) continue;
    ServiceIdx si = service_ref(c, r, row);
    AirRate a;
    a.min = Mass{static_cast<std::int64_t>(std::llround(r.number(row, "min_kg", 0, 1e7)))};
    const double per_kg = r.number(row, "per_kg", 0, 1e6);
    auto cur = r.currency(row, "currency");
    c.check_fx(r, row, "currency", cur);
    a.min_charge = r.money(row, "min_charge", cur);
    a.sources = c.sources(r, row);
    if (!si.valid() || !cur) continue;
    a.per_kg_minor = per_kg * std::pow(10.0, cur->exponent());
    Service& s = c.net.services[si];
    if (s.mode != Mode::kAir) {
      r.error(row, "service",
              "weight breaks for the " + std::string(to_string(s.mode)) + " service " + s.id +
                  " (expected an air service)");
      continue;
    }
    if (!s.air_rates.empty() && !(s.air_rates.front().min_charge.currency == *cur)) {
      r.error(row, "currency", "a second currency for " + s.id + " (expected one currency per air service)");
      continue;
    }
    bool dup = false;
    for (const AirRate& b : s.air_rates) dup = dup || b.min.kg == a.min.kg;
    if (dup) {
      r.error(row, "min_kg",
              "duplicate break " + std::string(r.raw(row, "min_kg")) + " kg for " + s.id +
                  " (expected one row per break)");
      continue;
    }
    s.air_rates.push_back(std::move(a));
    std::sort(s.air_rates.begin(), s.air_rates.end(),
              [](const AirRate& x, const AirRate& y) { return x.min.kg < y.min.kg; });
  }
}

void load_empty_returns(LoadContext& c) {
  auto t = c.table("empty_return.csv", false);
  if (!t) return;
  TableReader r(*t, {"country", "unit", "cost", "currency", "source"}, {}, c.errors, c.warnings);
  for (const CsvRow& row : t->rows) {
    if (!r.check_width(row)) continue;
    EmptyReturn e;
    auto country = c.country(r, row, "country");
    std::string unit = r.text(row, "unit");
    if (unit != "TEU" && unit != "FEU" && !unit.empty())
      r.error(row, "unit", "unknown unit \"" + unit + "\" (expected TEU or FEU)");
    e.forty_foot = unit == "FEU";
    auto cur = r.currency(row, "currency");
    c.check_fx(r, row, "currency", cur);
    e.cost = r.money(row, "cost", cur, true);
    e.sources = c.sources(r, row);
    if (!country || (unit != "TEU" && unit != "FEU")) continue;
    e.country = *country;
    if (c.net.empty_return_for(e.country, e.forty_foot) != nullptr) {
      r.error(row, "unit",
              "duplicate row for " + std::string(country->data(), 2) + " " + unit +
                  " (expected one per country and unit)");
      continue;
    }
    c.net.empty_returns.push_back(std::move(e));
  }
}

}  // namespace caravan::detail
