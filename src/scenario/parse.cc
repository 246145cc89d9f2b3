// Scenario TOML parsing: every key checked, every id resolved, errors at file:line.
#include <toml++/toml.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <functional>
#include <set>
#include <sstream>

#include "caravan/csv.h"
#include "caravan/file.h"
#include "caravan/scenario.h"

namespace caravan {
namespace {

std::uint32_t line_of(const toml::node& n) { return static_cast<std::uint32_t>(n.source().begin.line); }

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (std::size_t i = 0; i < v.size(); ++i) {
    if (i > 0) out += i + 1 == v.size() ? " or " : ", ";
    out += v[i];
  }
  return out;
}

// Reads one TOML table (the file's top level or one measure), recording every
// problem with the file and line.
class Reader {
 public:
  Reader(std::string file, Errors& errors) : file_(std::move(file)), errors_(errors) {}

  void error(std::uint32_t line, std::string message, ErrorCode code = ErrorCode::kInvalidInput) {
    Error e = Error::at(file_, line, "", std::move(message));
    e.code = code;
    errors_.push_back(std::move(e));
  }

  void check_keys(const toml::table& t, const std::vector<std::string>& allowed, const std::string& where) {
    for (auto&& [key, value] : t) {
      std::string k(key.str());
      if (std::find(allowed.begin(), allowed.end(), k) == allowed.end()) {
        error(line_of(value), "unknown key \"" + k + "\"" + where + " (expected " + join(allowed) + ")");
      }
    }
  }

  const toml::node* need(const toml::table& t, std::uint32_t line, const char* key, const std::string& what) {
    const toml::node* n = t.get(key);
    if (n == nullptr) error(line, what + ": missing key \"" + key + "\"");
    return n;
  }

  std::optional<std::string> string(const toml::table& t, std::uint32_t line, const char* key, const std::string& what,
                                    bool required = true) {
    const toml::node* n = required ? need(t, line, key, what) : t.get(key);
    if (n == nullptr) return std::nullopt;
    if (!n->is_string()) {
      error(line_of(*n), std::string("key \"") + key + "\": expected a string");
      return std::nullopt;
    }
    return n->value<std::string>();
  }

  // A number (integer or float) in [lo, hi].
  std::optional<double> number(const toml::table& t, std::uint32_t line, const char* key, const std::string& what,
                               double lo, double hi, bool required = true) {
    const toml::node* n = required ? need(t, line, key, what) : t.get(key);
    if (n == nullptr) return std::nullopt;
    if (!n->is_number()) {
      error(line_of(*n), std::string("key \"") + key + "\": expected a number");
      return std::nullopt;
    }
    double d = *n->value<double>();
    if (!std::isfinite(d) || d < lo || d > hi) {
      std::ostringstream m;
      m << "key \"" << key << "\": " << d << " is out of range (expected a number from " << lo << " to " << hi << ")";
      error(line_of(*n), m.str());
      return std::nullopt;
    }
    return d;
  }

  std::vector<std::string> string_list(const toml::node& n, const char* key) {
    std::vector<std::string> out;
    if (n.is_string()) {
      out.push_back(*n.value<std::string>());
    } else if (const toml::array* a = n.as_array()) {
      for (const toml::node& item : *a) {
        if (!item.is_string()) {
          error(line_of(item), std::string("key \"") + key + "\": expected a list of strings");
          return {};
        }
        out.push_back(*item.value<std::string>());
      }
    } else {
      error(line_of(n), std::string("key \"") + key + "\": expected a string or a list of strings");
    }
    return out;
  }

  std::optional<Instant> instant(const toml::table& t, std::uint32_t line, const char* key, const std::string& what) {
    const toml::node* n = need(t, line, key, what);
    if (n == nullptr) return std::nullopt;
    if (n->is_string()) {
      auto r = parse_instant(*n->value<std::string>());
      if (!r) {
        error(line_of(*n), std::string("key \"") + key + "\": " + r.error().message);
        return std::nullopt;
      }
      return *r;
    }
    if (const auto* dt = n->as_date_time()) {
      const toml::date_time& v = dt->get();
      std::ostringstream s;
      char buf[64];
      std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d", static_cast<int>(v.date.year),
                    static_cast<int>(v.date.month), static_cast<int>(v.date.day), static_cast<int>(v.time.hour),
                    static_cast<int>(v.time.minute), static_cast<int>(v.time.second));
      std::string text = buf;
      if (v.offset) {
        int m = v.offset->minutes;
        std::snprintf(buf, sizeof buf, "%c%02d:%02d", m < 0 ? '-' : '+', std::abs(m) / 60, std::abs(m) % 60);
        text += buf;
      }
      auto r = parse_instant(text);
      if (r) return *r;
    }
    if (const auto* d = n->as_date()) {
      const toml::date& v = d->get();
      char buf[16];
      std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", static_cast<int>(v.year), static_cast<int>(v.month),
                    static_cast<int>(v.day));
      auto r = parse_instant(buf);
      if (r) return *r;
    }
    error(line_of(*n), std::string("key \"") + key + "\": expected an ISO-8601 date-time such as 2026-03-02T00:00Z");
    return std::nullopt;
  }

 private:
  std::string file_;
  Errors& errors_;
};

template <typename I>
I lookup(Reader& r, const toml::table& t, std::uint32_t line, const char* key, const std::string& what,
         const std::unordered_map<std::string, I>& by_id, const char* noun, const char* file, bool required = true) {
  auto id = r.string(t, line, key, what, required);
  if (!id) return I::invalid();
  auto it = by_id.find(*id);
  if (it == by_id.end()) {
    r.error(line_of(*t.get(key)),
            std::string("unknown ") + noun + " \"" + *id + "\" (expected a " + noun + " id of " + file + ")",
            ErrorCode::kNotFound);
    return I::invalid();
  }
  return it->second;
}

std::optional<std::uint8_t> parse_days(Reader& r, std::uint32_t line, const std::string& days) {
  if (days == "daily") return std::uint8_t{0x7f};
  std::uint8_t bits = 0;
  for (const std::string& d : split_list(days, ";,")) {
    std::optional<int> found = parse_weekday(d);
    if (!found) {
      r.error(line, "unknown day \"" + d + "\" (expected daily or days like Mon;Thu)");
      return std::nullopt;
    }
    bits |= static_cast<std::uint8_t>(1u << *found);
  }
  return bits;
}

std::optional<std::int32_t> parse_hhmm(Reader& r, std::uint32_t line, const std::string& s) {
  if (s.size() == 5 && s[2] == ':' && std::isdigit(static_cast<unsigned char>(s[0])) &&
      std::isdigit(static_cast<unsigned char>(s[1])) && std::isdigit(static_cast<unsigned char>(s[3])) &&
      std::isdigit(static_cast<unsigned char>(s[4]))) {
    int hh = (s[0] - '0') * 10 + (s[1] - '0');
    int mm = (s[3] - '0') * 10 + (s[4] - '0');
    if (hh <= 23 && mm <= 59) return hh * 3600 + mm * 60;
  }
  r.error(line, "impossible time \"" + s + "\" (expected HH:MM from 00:00 to 23:59)");
  return std::nullopt;
}

const std::vector<std::string> kMeasureTypes = {"set_clearance", "set_hours",       "open_link",      "close_link",
                                                "open_crossing", "close_location",  "close_crossing", "add_service",
                                                "set_frequency", "set_punctuality", "set_capacity",   "set_port_dwell",
                                                "set_tariff",    "set_fx"};

// Keys each measure type accepts, beside type, source and note.
std::vector<std::string> keys_of(const std::string& type) {
  if (type == "set_clearance") return {"crossing", "median_h", "p90_h", "class"};
  if (type == "set_hours") return {"crossing", "hours", "exit_open", "entry_open", "class"};
  if (type == "open_link" || type == "close_link") return {"link"};
  if (type == "open_crossing") return {"crossing"};
  if (type == "close_location") return {"location", "from", "until"};
  if (type == "close_crossing") return {"crossing", "from", "until", "class"};
  if (type == "set_port_dwell") return {"location", "median_h", "p90_h"};
  if (type == "add_service") {
    return {"id",       "name",         "mode",           "operator",       "stops",
            "days",     "depart_local", "stop_offsets_h", "capacity_units", "tariff_per_unit",
            "currency", "cutoff_h",     "tariff_per_feu"};
  }
  if (type == "set_frequency") return {"service", "days", "depart_local"};
  if (type == "set_punctuality") return {"service", "delay_median_h", "delay_p90_h"};
  if (type == "set_capacity") return {"crossing", "link", "service", "capacity"};
  if (type == "set_tariff") {
    return {"link",
            "service",
            "crossing",
            "rail_product",
            "tariff_per_unit_km",
            "tariff_per_unit",
            "tariff_per_feu",
            "tariff_per_teu_km",
            "tariff_per_teu_km_eastbound",
            "cost",
            "cost_feu",
            "gauge_change_cost_per_unit",
            "gauge_change_cost_feu"};
  }
  if (type == "set_fx") return {"currency", "per_usd"};
  return {};
}

struct Parser {
  const Network& net;
  Reader& r;
  std::set<std::string> local_sources;  // ids from [[sources]]

  void check_source_ids(const std::vector<std::string>& ids, std::uint32_t line) {
    for (const std::string& id : ids) {
      if (!net.source_by_id.count(id) && !local_sources.count(id)) {
        r.error(line, "unknown source \"" + id + "\" (expected an id of sources.csv or of the file's [[sources]])",
                ErrorCode::kNotFound);
      }
    }
  }

  std::optional<Money> amount(const toml::table& t, std::uint32_t line, const char* key, const std::string& what,
                              Currency c) {
    auto v = r.number(t, line, key, what, 0, 1e12, false);
    if (!v) return std::nullopt;
    return Money::from_major(*v, c);
  }

  // The optional `class` of a crossing measure; it must suit the crossing's mode.
  std::optional<TrafficClass> traffic_class(const toml::table& t, std::uint32_t line, const std::string& what,
                                            CrossingIdx c) {
    auto s = r.string(t, line, "class", what, false);
    if (!s) return std::nullopt;
    auto k = parse_traffic_class(*s);
    if (!k) {
      r.error(line_of(*t.get("class")), "unknown traffic class \"" + *s + "\" (expected block_train, rail or truck)");
      return std::nullopt;
    }
    if (c.valid()) {
      const Mode m = net.crossings[c].mode;
      const bool ok = m == Mode::kRail   ? *k != TrafficClass::kTruck
                      : m == Mode::kRoad ? *k == TrafficClass::kTruck
                                         : false;
      if (!ok) {
        r.error(line_of(*t.get("class")),
                "class " + *s + " on a " + std::string(to_string(m)) +
                    " crossing (expected block_train or rail on a rail crossing, truck on a road crossing)");
      }
    }
    return k;
  }

  // A from/until window; until after from.
  bool window(const toml::table& t, std::uint32_t line, const std::string& w, Instant& from_out, Instant& until_out) {
    auto from = r.instant(t, line, "from", w);
    auto until = r.instant(t, line, "until", w);
    if (from && until && *until <= *from) {
      r.error(line_of(*t.get("until")), "until " + format_instant_utc(*until) + " is not after from " +
                                            format_instant_utc(*from) + " (expected a window with from < until)");
      return false;
    }
    if (!from || !until) return false;
    from_out = *from;
    until_out = *until;
    return true;
  }

  // median_h and p90_h, p90 >= median.
  bool median_p90(const toml::table& t, std::uint32_t line, const std::string& w, Duration& median, Duration& p90) {
    auto med = r.number(t, line, "median_h", w, 0, 24 * 365);
    auto hi = r.number(t, line, "p90_h", w, 0, 24 * 365);
    if (med && hi && *hi < *med) {
      r.error(line_of(*t.get("p90_h")),
              "p90_h " + fmt(*hi) + " is below median_h " + fmt(*med) + " (expected p90_h >= median_h)");
      return false;
    }
    if (!med || !hi) return false;
    median = hours(*med);
    p90 = hours(*hi);
    return true;
  }

  // One [[measures]] entry; nullopt when it has errors (already recorded).
  std::optional<Measure> measure(const toml::table& t, std::uint32_t line) {
    Measure m;
    m.line = line;
    auto type = r.string(t, line, "type", "measure");
    if (!type) return std::nullopt;
    if (std::find(kMeasureTypes.begin(), kMeasureTypes.end(), *type) == kMeasureTypes.end()) {
      r.error(line_of(*t.get("type")), "unknown measure type \"" + *type + "\" (expected " + join(kMeasureTypes) + ")");
      return std::nullopt;
    }
    m.type = *type;
    std::vector<std::string> allowed = keys_of(*type);
    allowed.insert(allowed.begin(), "type");
    allowed.push_back("source");
    allowed.push_back("note");
    std::size_t errors_before = error_count();
    r.check_keys(t, allowed, " in " + *type);
    if (const toml::node* s = t.get("source")) {
      m.sources = r.string_list(*s, "source");
      check_source_ids(m.sources, line_of(*s));
    }
    if (auto note = r.string(t, line, "note", *type, false)) m.note = *note;
    const std::string& w = *type;

    if (w == "set_clearance") {
      SetClearance a;
      a.crossing = lookup(r, t, line, "crossing", w, net.crossing_by_id, "crossing", "crossings.csv");
      a.cls = traffic_class(t, line, w, a.crossing);
      median_p90(t, line, w, a.median, a.p90);
      m.action = a;
    } else if (w == "set_port_dwell") {
      SetPortDwell a;
      a.location = lookup(r, t, line, "location", w, net.location_by_id, "location", "locations.csv");
      if (a.location.valid() && net.locations[a.location].kind != LocationKind::kSeaport) {
        r.error(line_of(*t.get("location")), "location \"" + net.locations[a.location].id + "\" is a " +
                                                 std::string(to_string(net.locations[a.location].kind)) +
                                                 " (expected a seaport)");
      }
      median_p90(t, line, w, a.median, a.p90);
      m.action = a;
    } else if (w == "open_crossing") {
      m.action = OpenCrossing{lookup(r, t, line, "crossing", w, net.crossing_by_id, "crossing", "crossings.csv")};
    } else if (w == "close_crossing") {
      CloseCrossing a;
      a.crossing = lookup(r, t, line, "crossing", w, net.crossing_by_id, "crossing", "crossings.csv");
      a.cls = traffic_class(t, line, w, a.crossing);
      window(t, line, w, a.from, a.until);
      m.action = a;
    } else if (w == "set_hours") {
      SetHours a;
      a.crossing = lookup(r, t, line, "crossing", w, net.crossing_by_id, "crossing", "crossings.csv");
      a.cls = traffic_class(t, line, w, a.crossing);
      if (t.get("hours") && (t.get("exit_open") || t.get("entry_open"))) {
        r.error(line,
                "set_hours: hours and exit_open/entry_open together (expected hours for both sides, or the sides)");
      }
      auto hours_of = [&](const char* key) -> std::optional<OpeningHours> {
        auto s = r.string(t, line, key, w, false);
        if (!s) return std::nullopt;
        auto h = OpeningHours::parse(*s);
        if (!h) {
          r.error(line_of(*t.get(key)), std::string("key \"") + key + "\": " + h.error().message);
          return std::nullopt;
        }
        return *h;
      };
      auto both = hours_of("hours");
      a.exit_open = both;
      a.entry_open = both;
      if (auto e = hours_of("exit_open")) a.exit_open = e;
      if (auto e = hours_of("entry_open")) a.entry_open = e;
      if (!t.get("hours") && !t.get("exit_open") && !t.get("entry_open")) {
        r.error(line, "set_hours: missing key \"hours\" (expected hours, exit_open or entry_open)");
      }
      m.action = a;
    } else if (w == "open_link" || w == "close_link") {
      LinkIdx l = lookup(r, t, line, "link", w, net.link_by_id, "link", "links.csv");
      if (w == "open_link")
        m.action = OpenLink{l};
      else
        m.action = CloseLink{l};
    } else if (w == "close_location") {
      CloseLocation a;
      a.location = lookup(r, t, line, "location", w, net.location_by_id, "location", "locations.csv");
      window(t, line, w, a.from, a.until);
      m.action = a;
    } else if (w == "add_service") {
      m.action = add_service(t, line);
    } else if (w == "set_frequency") {
      SetFrequency a;
      a.service = lookup(r, t, line, "service", w, net.service_by_id, "service", "services.csv");
      if (auto d = r.string(t, line, "days", w)) {
        if (auto bits = parse_days(r, line_of(*t.get("days")), *d)) a.weekdays = *bits;
      }
      if (auto dep = r.string(t, line, "depart_local", w, false))
        a.depart_local_s = parse_hhmm(r, line_of(*t.get("depart_local")), *dep);
      m.action = a;
    } else if (w == "set_punctuality") {
      SetPunctuality a;
      a.service = lookup(r, t, line, "service", w, net.service_by_id, "service", "services.csv");
      auto med = r.number(t, line, "delay_median_h", w, 0, 24 * 365);
      auto p90 = r.number(t, line, "delay_p90_h", w, 0, 24 * 365);
      if (med && p90 && *p90 < *med) {
        r.error(line_of(*t.get("delay_p90_h")), "delay_p90_h " + fmt(*p90) + " is below delay_median_h " + fmt(*med) +
                                                    " (expected delay_p90_h >= delay_median_h)");
      }
      if (med && p90) {
        a.delay_median = hours(*med);
        a.delay_p90 = hours(*p90);
      }
      m.action = a;
    } else if (w == "set_capacity") {
      SetCapacity a;
      int targets = (t.get("crossing") ? 1 : 0) + (t.get("link") ? 1 : 0) + (t.get("service") ? 1 : 0);
      if (targets != 1) r.error(line, "set_capacity: expected exactly one of crossing, link or service");
      if (t.get("crossing"))
        a.crossing = lookup(r, t, line, "crossing", w, net.crossing_by_id, "crossing", "crossings.csv");
      if (t.get("link")) a.link = lookup(r, t, line, "link", w, net.link_by_id, "link", "links.csv");
      if (t.get("service")) a.service = lookup(r, t, line, "service", w, net.service_by_id, "service", "services.csv");
      if (auto c = r.number(t, line, "capacity", w, 0, 1e9)) a.capacity = static_cast<std::uint32_t>(std::llround(*c));
      m.action = a;
    } else if (w == "set_tariff") {
      m.action = set_tariff(t, line);
    } else if (w == "set_fx") {
      SetFx a;
      if (auto code = r.string(t, line, "currency", w)) {
        auto c = Currency::parse(*code);
        if (!c) {
          r.error(line_of(*t.get("currency")),
                  "unknown currency \"" + *code + "\" (expected an ISO 4217 code such as KZT)");
        } else if (!net.fx.has(*c)) {
          r.error(line_of(*t.get("currency")),
                  "no exchange rate for " + *code + " in the dataset (expected a currency of fx.csv)",
                  ErrorCode::kNotFound);
        } else {
          a.currency = *c;
        }
      }
      if (auto v = r.number(t, line, "per_usd", w, 1e-9, 1e12)) a.per_usd = *v;
      m.action = a;
    }
    if (error_count() != errors_before) return std::nullopt;
    return m;
  }

  // The keys of `keys` present in `t` that the target does not take, each an error.
  void refuse(const toml::table& t, std::initializer_list<const char*> keys, const char* target) {
    for (const char* k : keys) {
      if (t.get(k)) r.error(line_of(*t.get(k)), std::string("key \"") + k + "\" does not apply to a " + target);
    }
  }

  SetTariff set_tariff(const toml::table& t, std::uint32_t line) {
    const std::string w = "set_tariff";
    SetTariff a;
    int targets = (t.get("crossing") ? 1 : 0) + (t.get("link") ? 1 : 0) + (t.get("service") ? 1 : 0) +
                  (t.get("rail_product") ? 1 : 0);
    if (targets != 1) r.error(line, "set_tariff: expected exactly one of crossing, link, service or rail_product");
    if (t.get("link")) {
      a.link = lookup(r, t, line, "link", w, net.link_by_id, "link", "links.csv");
      if (a.link.valid()) {
        Currency c = net.links[a.link].tariff_per_teu.currency;
        a.tariff_per_teu_km = r.number(t, line, "tariff_per_unit_km", w, 0, 1e9, false);
        a.per_teu = amount(t, line, "tariff_per_unit", w, c);
        if (!a.tariff_per_teu_km && !a.per_teu)
          r.error(line, "set_tariff: expected tariff_per_unit_km or tariff_per_unit for a link");
      }
      refuse(t,
             {"cost", "cost_feu", "gauge_change_cost_per_unit", "gauge_change_cost_feu", "tariff_per_feu",
              "tariff_per_teu_km", "tariff_per_teu_km_eastbound"},
             "link");
    } else if (t.get("service")) {
      a.service = lookup(r, t, line, "service", w, net.service_by_id, "service", "services.csv");
      if (a.service.valid()) {
        const Currency c = net.services[a.service].tariff_per_teu.currency;
        a.per_teu = amount(t, line, "tariff_per_unit", w, c);
        a.per_feu = amount(t, line, "tariff_per_feu", w, c);
        if (!a.per_teu && !a.per_feu)
          r.error(line, "set_tariff: expected tariff_per_unit or tariff_per_feu for a service");
      }
      refuse(t,
             {"tariff_per_unit_km", "cost", "cost_feu", "gauge_change_cost_per_unit", "gauge_change_cost_feu",
              "tariff_per_teu_km", "tariff_per_teu_km_eastbound"},
             "service");
    } else if (t.get("rail_product")) {
      a.product = lookup(r, t, line, "rail_product", w, net.product_by_id, "rail product", "rail_products.csv");
      a.tariff_per_teu_km = r.number(t, line, "tariff_per_teu_km", w, 0, 1e9, false);
      a.tariff_per_teu_km_eastbound = r.number(t, line, "tariff_per_teu_km_eastbound", w, 0, 1e9, false);
      if (a.product.valid() && !a.tariff_per_teu_km && !a.tariff_per_teu_km_eastbound) {
        r.error(line, "set_tariff: expected tariff_per_teu_km or tariff_per_teu_km_eastbound for a rail product");
      }
      refuse(t,
             {"tariff_per_unit_km", "tariff_per_unit", "tariff_per_feu", "cost", "cost_feu",
              "gauge_change_cost_per_unit", "gauge_change_cost_feu"},
             "rail product");
    } else if (t.get("crossing")) {
      a.crossing = lookup(r, t, line, "crossing", w, net.crossing_by_id, "crossing", "crossings.csv");
      if (a.crossing.valid()) {
        const Crossing& c = net.crossings[a.crossing];
        a.cost = amount(t, line, "cost", w, c.cost.currency);
        a.cost_feu = amount(t, line, "cost_feu", w, c.cost.currency);
        a.gauge_change_cost = amount(t, line, "gauge_change_cost_per_unit", w, c.gauge_change_cost_per_teu.currency);
        a.gauge_change_cost_feu = amount(t, line, "gauge_change_cost_feu", w, c.gauge_change_cost_per_teu.currency);
        if (!a.cost && !a.cost_feu && !a.gauge_change_cost && !a.gauge_change_cost_feu) {
          r.error(line,
                  "set_tariff: expected cost, cost_feu, gauge_change_cost_per_unit or gauge_change_cost_feu for a "
                  "crossing");
        }
      }
      refuse(t,
             {"tariff_per_unit_km", "tariff_per_unit", "tariff_per_feu", "tariff_per_teu_km",
              "tariff_per_teu_km_eastbound"},
             "crossing");
    }
    return a;
  }

  AddService add_service(const toml::table& t, std::uint32_t line) {
    const std::string w = "add_service";
    AddService a;
    Service& s = a.service;
    if (auto id = r.string(t, line, "id", w)) {
      s.id = *id;
      if (net.service_by_id.count(s.id)) {
        r.error(line_of(*t.get("id")), "duplicate service \"" + s.id + "\" (expected an id not in services.csv)");
      }
    }
    s.name = r.string(t, line, "name", w).value_or("");
    s.operator_name = r.string(t, line, "operator", w, false).value_or("");
    if (auto mode = r.string(t, line, "mode", w)) {
      auto md = parse_mode(*mode);
      if (!md)
        r.error(line_of(*t.get("mode")), "unknown mode \"" + *mode + "\" (expected rail, road, ferry, sea or air)");
      else
        s.mode = *md;
    }
    if (const toml::node* n = r.need(t, line, "stops", w)) {
      for (const std::string& id : r.string_list(*n, "stops")) {
        LocationIdx i = net.find_location(id);
        if (!i.valid())
          r.error(line_of(*n), "unknown location \"" + id + "\" (expected a location id of locations.csv)",
                  ErrorCode::kNotFound);
        s.stops.push_back(i);
      }
      if (s.stops.size() < 2) r.error(line_of(*n), "fewer than two stops (expected a list of location ids)");
      for (std::size_t k = 0; k + 1 < s.stops.size(); ++k) {
        if (s.stops[k].valid() && s.stops[k] == s.stops[k + 1]) {
          r.error(line_of(*n), "stop \"" + net.locations[s.stops[k]].id +
                                   "\" twice in a row (expected consecutive stops to differ)");
          break;
        }
      }
    }
    if (auto d = r.string(t, line, "days", w)) {
      if (auto bits = parse_days(r, line_of(*t.get("days")), *d)) s.weekdays = *bits;
    }
    if (auto dep = r.string(t, line, "depart_local", w)) {
      if (auto v = parse_hhmm(r, line_of(*t.get("depart_local")), *dep)) s.depart_local_s = *v;
    }
    if (const toml::node* n = r.need(t, line, "stop_offsets_h", w)) {
      const toml::array* arr = n->as_array();
      if (arr == nullptr) {
        r.error(line_of(*n), "key \"stop_offsets_h\": expected a list of hours");
      } else {
        for (const toml::node& item : *arr) {
          if (!item.is_number()) {
            r.error(line_of(item), "key \"stop_offsets_h\": expected a list of hours");
            break;
          }
          Duration d = hours(*item.value<double>());
          if (s.stop_offsets.empty() && d.count() != 0)
            r.error(line_of(item), "first offset is not 0 (expected 0 at the first stop)");
          // Across a land border the running time may be 0: the crossing gives the border's time.
          const std::size_t i = s.stop_offsets.size();
          const bool border_pair = i > 0 && i < s.stops.size() && s.stops[i - 1].valid() && s.stops[i].valid() &&
                                   net.locations[s.stops[i - 1]].country != net.locations[s.stops[i]].country;
          if (!s.stop_offsets.empty() && (border_pair ? d < s.stop_offsets.back() : d <= s.stop_offsets.back())) {
            r.error(line_of(item), "offsets are not increasing (expected hours after the previous stop)");
          }
          s.stop_offsets.push_back(d);
        }
        if (s.stop_offsets.size() != s.stops.size()) {
          r.error(line_of(*n), std::to_string(s.stop_offsets.size()) + " offsets for " +
                                   std::to_string(s.stops.size()) + " stops (expected one offset per stop)");
        }
      }
    }
    if (auto cap = r.number(t, line, "capacity_units", w, 0, 1e9, false))
      s.capacity_teu = static_cast<std::uint32_t>(*cap);
    std::optional<Currency> cur;
    if (auto code = r.string(t, line, "currency", w)) {
      cur = Currency::parse(*code);
      if (!cur)
        r.error(line_of(*t.get("currency")),
                "unknown currency \"" + *code + "\" (expected an ISO 4217 code such as USD)");
      else if (!net.fx.has(*cur))
        r.error(line_of(*t.get("currency")), "no exchange rate for " + *code + " (expected a currency of fx.csv)");
    }
    if (auto tariff = r.number(t, line, "tariff_per_unit", w, 0, 1e12)) {
      if (cur) s.tariff_per_teu = Money::from_major(*tariff, *cur);
    }
    if (auto feu = r.number(t, line, "tariff_per_feu", w, 0, 1e12, false)) {
      if (cur) s.tariff_per_feu = Money::from_major(*feu, *cur);
    }
    if (auto cutoff = r.number(t, line, "cutoff_h", w, 0, 24 * 30, false)) s.cutoff = hours(*cutoff);
    if (s.mode == Mode::kRoad) {
      r.error(line_of(*t.get("mode")),
              "a road service (expected rail, ferry, sea or air: trucks run on demand on road links)");
    }
    return a;
  }

  std::size_t error_count() const { return count_(); }
  std::function<std::size_t()> count_;

  static std::string fmt(double v) {
    std::ostringstream s;
    s << v;
    return s.str();
  }
};

}  // namespace

Result<Scenario> parse_scenario(std::string_view toml_text, std::string_view file_name, const Network& net) {
  const std::string file(file_name);
  toml::table root;
  try {
    root = toml::parse(toml_text, file_name);
  } catch (const toml::parse_error& e) {
    return Error::at(file, static_cast<std::uint32_t>(e.source().begin.line), "", std::string(e.description()));
  }
  Errors errors;
  Reader r(file, errors);
  Parser p{net, r, {}, {}};
  p.count_ = [&errors] { return errors.size(); };
  Scenario sc;
  r.check_keys(root, {"id", "name", "description", "source", "sources", "measures"}, "");
  sc.id = r.string(root, 1, "id", "scenario", false).value_or("");
  if (sc.id.empty()) {
    std::filesystem::path p_(file);
    sc.id = p_.stem().string();
  }
  if (auto name = r.string(root, 1, "name", "scenario")) sc.name = *name;
  sc.description = r.string(root, 1, "description", "scenario", false).value_or("");

  if (const toml::node* n = root.get("sources")) {
    const toml::array* arr = n->as_array();
    if (arr != nullptr && !arr->empty() && arr->is_homogeneous(toml::node_type::string)) {
      // `sources = ["id", …]`: cited ids, like `source`; checked below.
      for (const toml::node& item : *arr) sc.sources.push_back(*item.value<std::string>());
      p.check_source_ids(sc.sources, line_of(*n));
    } else if (arr == nullptr || !arr->is_array_of_tables()) {
      r.error(line_of(*n),
              "key \"sources\": expected a list of source ids or [[sources]] tables with id, kind, title, "
              "publisher, url, published, note");
    } else {
      for (const toml::node& item : *arr) {
        const toml::table& t = *item.as_table();
        std::uint32_t line = line_of(item);
        r.check_keys(t, {"id", "kind", "title", "publisher", "url", "published", "note"}, " in [[sources]]");
        Source s;
        s.id = r.string(t, line, "id", "[[sources]]").value_or("");
        s.title = r.string(t, line, "title", "[[sources]]").value_or("");
        s.publisher = r.string(t, line, "publisher", "[[sources]]", false).value_or("");
        s.url = r.string(t, line, "url", "[[sources]]", false).value_or("");
        s.published = r.string(t, line, "published", "[[sources]]", false).value_or("");
        s.note = r.string(t, line, "note", "[[sources]]", false).value_or("");
        std::string kind = r.string(t, line, "kind", "[[sources]]").value_or("");
        if (auto k = parse_source_kind(kind))
          s.kind = *k;
        else if (!kind.empty())
          r.error(line_of(*t.get("kind")),
                  "unknown kind \"" + kind +
                      "\" (expected measured, published, announced, estimate, derived or proxy)");
        if (source_kind_needs_note(s.kind) && s.note.empty() && !kind.empty()) {
          r.error(line, "[[sources]] " + s.id + ": " + std::string(to_string(s.kind)) +
                            " without a note (expected how it was derived)");
        }
        if (!s.id.empty() && net.source_by_id.count(s.id)) {
          r.error(line_of(*t.get("id")), "duplicate source \"" + s.id + "\" (expected an id not in sources.csv)");
        }
        p.local_sources.insert(s.id);
        sc.new_sources.push_back(std::move(s));
      }
    }
  }
  if (const toml::node* n = root.get("source")) {
    auto cited = r.string_list(*n, "source");
    p.check_source_ids(cited, line_of(*n));
    sc.sources.insert(sc.sources.end(), cited.begin(), cited.end());
  }

  const toml::node* ms = root.get("measures");
  if (ms == nullptr) {
    r.error(1, "no measures (expected at least one [[measures]] table)");
  } else if (const toml::array* arr = ms->as_array(); arr == nullptr || !arr->is_array_of_tables()) {
    r.error(line_of(*ms), "key \"measures\": expected [[measures]] tables");
  } else {
    for (const toml::node& item : *arr) {
      auto m = p.measure(*item.as_table(), line_of(item));
      if (m) {
        m->file = file;
        sc.measures.push_back(std::move(*m));
      }
    }
  }
  if (!errors.empty()) {
    std::stable_sort(errors.begin(), errors.end(), [](const Error& a, const Error& b) { return a.line < b.line; });
    // An unknown id is kNotFound only when it is the whole story.
    bool all_not_found =
        std::all_of(errors.begin(), errors.end(), [](const Error& e) { return e.code == ErrorCode::kNotFound; });
    if (!all_not_found) {
      for (Error& e : errors) e.code = ErrorCode::kInvalidInput;
    }
    return errors;
  }
  return sc;
}

Result<Scenario> load_scenario_file(const std::filesystem::path& path, const Network& net) {
  auto text = read_regular_file(path, kMaxScenarioFileBytes);
  if (!text) return text.errors();
  return parse_scenario(*text, path.string(), net);
}

}  // namespace caravan
