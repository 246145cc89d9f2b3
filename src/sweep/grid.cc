// Sweep grid files: every key checked, every scenario and place resolved,
// errors at file:line. The format is in docs/sweeps.md.
#include <toml++/toml.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <set>
#include <sstream>

#include "caravan/matrix.h"
#include "caravan/places.h"
#include "caravan/request.h"
#include "caravan/sweep.h"
#include "util.h"

namespace caravan {
namespace {

using sweep_detail::fnv1a;

constexpr std::size_t kMaxFactorialSets = 12;

// The keys of [query] and [samples], and the sweep request's field each is
// (request.h, sweep_options()). `threads` is the command line's, not a grid's.
struct QueryKey {
  const char* table;
  const char* key;
  const char* field;
};
constexpr QueryKey kQueryKeys[] = {
    {"query", "by", "by"},
    {"query", "value_of_time", "value_of_time"},
    {"query", "units", "units"},
    {"query", "unit", "unit"},
    {"query", "cargo_tonnes", "cargo_tonnes"},
    {"query", "volume_m3", "volume_m3"},
    {"query", "equipment", "equipment"},
    {"query", "via", "via"},
    {"query", "avoid", "avoid"},
    {"query", "modes", "mode"},  // the request layer's alias of mode
    {"query", "mode", "mode"},
    {"query", "deadline_hours", "deadline_hours"},
    {"query", "deadline", "deadline"},
    {"samples", "count", "samples"},
    {"samples", "seed", "seed"},
    {"samples", "seeds", "seeds"},
};

std::uint32_t line_of(const toml::node& n) { return static_cast<std::uint32_t>(n.source().begin.line); }

std::string in_quotes(std::string_view s) { return "\"" + std::string(s) + "\""; }

// "a, b, c": the accepted values in a message.
std::string comma_list(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

class GridReader {
 public:
  GridReader(const std::filesystem::path& file, const Network& net, const std::filesystem::path& scenario_dir)
      : file_(file), net_(net), scenario_dir_(scenario_dir), hash_(fnv1a(file.filename().string())) {}

  Result<SweepGrid> read(std::string_view text) {
    hash_ = fnv1a(text, hash_);
    toml::table top;
    try {
      top = toml::parse(text, file_.string());
    } catch (const toml::parse_error& e) {
      return Error::at(file_.string(), static_cast<std::uint32_t>(e.source().begin.line), "",
                       std::string(e.description()));
    }
    g_.file = file_.string();
    check_keys(top, "", {"name", "description", "outputs", "measures", "departures", "samples", "pairs", "query"});
    g_.name = optional_string(top, "name", "").value_or(file_.stem().string());
    g_.description = optional_string(top, "description", "").value_or("");
    read_measures(section(top, "measures"));
    read_departures(section(top, "departures"));
    read_pairs(section(top, "pairs"));
    read_query(section(top, "query"), section(top, "samples"));
    read_outputs(top.get("outputs"));
    if (!errors_.empty()) return errors_;
    g_.inputs_hash = hash_;
    return std::move(g_);
  }

 private:
  void error(std::uint32_t line, std::string message, ErrorCode code = ErrorCode::kInvalidInput) {
    Error e = Error::at(file_.string(), line, "", std::move(message));
    e.code = code;
    errors_.push_back(std::move(e));
  }
  void error(const toml::node& n, std::string message) { error(line_of(n), std::move(message)); }

  // Where a key sits, for messages: `[pairs] places` or, at the top, `outputs`.
  static std::string where(std::string_view table, std::string_view key) {
    return table.empty() ? std::string(key) : "[" + std::string(table) + "] " + std::string(key);
  }

  void check_keys(const toml::table& t, std::string_view table, const std::vector<std::string>& allowed) {
    for (auto&& [key, value] : t) {
      if (std::find(allowed.begin(), allowed.end(), key.str()) != allowed.end()) continue;
      std::string in = table.empty() ? "" : " in [" + std::string(table) + "]";
      error(value, "unknown key " + in_quotes(key.str()) + in + " (expected " + comma_list(allowed) + ")");
    }
  }

  // A sub-table with its keys checked, or null when absent.
  const toml::table* section(const toml::table& top, const char* name) {
    const toml::node* n = top.get(name);
    if (n == nullptr) return nullptr;
    if (!n->is_table()) {
      error(*n, std::string(name) + ": expected a table [" + name + "]");
      return nullptr;
    }
    static const std::map<std::string, std::vector<std::string>> kKeys = [] {
      std::map<std::string, std::vector<std::string>> keys = {
          {"measures", {"combine", "base", "sets"}},
          {"departures", {"dates", "first", "every_days", "count"}},
          {"pairs", {"set", "places", "list", "demand"}},
      };
      for (const QueryKey& k : kQueryKeys) keys[k.table].emplace_back(k.key);
      return keys;
    }();
    check_keys(*n->as_table(), name, kKeys.at(name));
    return n->as_table();
  }

  std::optional<std::string> optional_string(const toml::table& t, const char* key, std::string_view table) {
    const toml::node* n = t.get(key);
    if (n == nullptr) return std::nullopt;
    if (!n->is_string()) {
      error(*n, where(table, key) + ": expected a string");
      return std::nullopt;
    }
    return *n->value<std::string>();
  }

  // An integer in [lo, hi].
  std::optional<std::int64_t> integer(const toml::node& n, std::string_view what, std::int64_t lo, std::int64_t hi) {
    if (!n.is_integer() || *n.value<std::int64_t>() < lo || *n.value<std::int64_t>() > hi) {
      error(n,
            std::string(what) + ": expected a whole number from " + std::to_string(lo) + " to " + std::to_string(hi));
      return std::nullopt;
    }
    return *n.value<std::int64_t>();
  }

  // A list of strings (a lone string counts as a list of one).
  std::optional<std::vector<std::pair<std::string, const toml::node*>>> strings(const toml::node& n,
                                                                                std::string_view what) {
    std::vector<std::pair<std::string, const toml::node*>> out;
    if (n.is_string()) {
      out.emplace_back(*n.value<std::string>(), &n);
      return out;
    }
    const toml::array* a = n.as_array();
    bool ok = a != nullptr;
    if (ok) {
      for (const toml::node& item : *a) {
        if (!item.is_string()) ok = false;
        if (ok) out.emplace_back(*item.value<std::string>(), &item);
      }
    }
    if (!ok) {
      error(n, std::string(what) + ": expected a list of strings");
      return std::nullopt;
    }
    return out;
  }

  // A date-time: an ISO-8601 string or a TOML date or date-time (TOML writes
  // those in RFC 3339, which parse_instant reads).
  std::optional<Instant> instant(const toml::node& n, std::string_view what) {
    std::string text;
    if (n.is_string()) {
      text = *n.value<std::string>();
    } else if (const auto* dt = n.as_date_time()) {
      std::ostringstream s;
      s << dt->get();
      text = s.str();
    } else if (const auto* d = n.as_date()) {
      std::ostringstream s;
      s << d->get();
      text = s.str();
    }
    auto t = parse_instant(text);
    if (text.empty() || !t || *t < kEarliestInstant || *t >= kLatestInstant) {
      error(n, std::string(what) + ": expected " + OptionSpec{.type = OptionType::kInstant}.expected());
      return std::nullopt;
    }
    return *t;
  }

  // ---- [measures]

  // A scenario by dataset id or by path (relative to the grid's folder).
  std::optional<Scenario> scenario(const std::string& item, const toml::node& n, std::string_view what) {
    const bool is_path = is_scenario_path(item);
    std::filesystem::path path = is_path ? file_.parent_path() / item : scenario_dir_ / (item + ".toml");
    std::optional<std::string> text = sweep_detail::read_text(path);
    if (!text) {
      if (is_path) {
        error(line_of(n), std::string(what) + ": cannot read scenario file " + in_quotes(path.string()),
              ErrorCode::kNotFound);
      } else {
        std::vector<std::string> ids = scenario_ids_in(scenario_dir_);
        error(line_of(n),
              std::string(what) + ": unknown scenario " + in_quotes(item) +
                  (ids.empty()
                       ? " (expected a .toml file; the dataset has no scenarios)"
                       : " (expected a scenario id of the dataset — " + comma_list(ids) + " — or a .toml file)"),
              ErrorCode::kNotFound);
      }
      return std::nullopt;
    }
    hash_ = fnv1a(*text, fnv1a(path.filename().string(), hash_));
    auto sc = parse_scenario(*text, path.string(), net_);
    if (!sc) {
      errors_.insert(errors_.end(), sc.errors().begin(), sc.errors().end());
      return std::nullopt;
    }
    return std::move(*sc);
  }

  std::vector<Scenario> scenario_list(const toml::node& n, std::string_view what) {
    std::vector<Scenario> out;
    if (auto items = strings(n, what)) {
      for (const auto& [item, node] : *items) {
        if (auto sc = scenario(item, *node, what)) out.push_back(std::move(*sc));
      }
    }
    return out;
  }

  void read_measures(const toml::table* t) {
    if (t == nullptr) {
      g_.combinations.push_back({"base", {}});
      return;
    }
    if (auto c = optional_string(*t, "combine", "measures")) {
      if (*c == "factorial") {
        g_.combine = Combine::kFactorial;
      } else if (*c == "listed") {
        g_.combine = Combine::kListed;
      } else {
        error(*t->get("combine"),
              "[measures] combine: unknown value " + in_quotes(*c) + " (expected factorial or listed)");
      }
    }
    if (const toml::node* b = t->get("base")) g_.base = scenario_list(*b, "[measures] base");
    if (const toml::node* s = t->get("sets")) {
      if (const toml::array* a = s->as_array()) {
        for (const toml::node& item : *a) read_set(item);
      } else {
        error(*s, "[measures] sets: expected a list of measure sets");
      }
    }
    check_measures(t);
    make_combinations();
  }

  // One set: a scenario, a list of scenarios, or { name, scenarios }.
  void read_set(const toml::node& item) {
    MeasureSet set;
    const toml::node* list = &item;
    if (const toml::table* tt = item.as_table()) {
      check_keys(*tt, "measures", {"name", "scenarios"});
      set.name = optional_string(*tt, "name", "measures").value_or("");
      list = tt->get("scenarios");
      if (list == nullptr) {
        error(item, "[measures] sets: a set needs scenarios (expected { name = \"…\", scenarios = [\"…\"] })");
        return;
      }
    }
    set.scenarios = scenario_list(*list, "[measures] sets");
    if (set.scenarios.empty()) {
      if (list->is_array() && list->as_array()->empty()) error(*list, "[measures] sets: a set needs scenarios");
      return;
    }
    if (set.name.empty()) {
      for (const Scenario& sc : set.scenarios) set.name += (set.name.empty() ? "" : "+") + sc.id;
    }
    set_lines_.push_back(line_of(item));
    g_.sets.push_back(std::move(set));
  }

  void check_measures(const toml::table* t) {
    std::map<std::string, int> owner;  // scenario id -> set (-1: base)
    auto claim = [&](const Scenario& sc, int set, std::uint32_t line) {
      auto [it, fresh] = owner.emplace(sc.id, set);
      if (!fresh)
        error(line, "[measures]: scenario " + in_quotes(sc.id) + " is applied twice (expected each scenario once)");
    };
    for (const Scenario& sc : g_.base) claim(sc, -1, line_of(*t->get("base")));
    std::set<std::string> names;
    for (std::size_t i = 0; i < g_.sets.size(); ++i) {
      for (const Scenario& sc : g_.sets[i].scenarios) claim(sc, static_cast<int>(i), set_lines_[i]);
      if (g_.sets[i].name == "base" || !names.insert(g_.sets[i].name).second) {
        error(set_lines_[i], "[measures] sets: set name " + in_quotes(g_.sets[i].name) +
                                 " is taken (expected a name other than base, used once)");
      }
    }
    if (g_.combine == Combine::kFactorial && g_.sets.size() > kMaxFactorialSets) {
      error(line_of(*t->get("sets")), "[measures] sets: " + std::to_string(g_.sets.size()) +
                                          " sets make too large a factorial (expected at most " +
                                          std::to_string(kMaxFactorialSets) + ", or combine = \"listed\")");
    }
  }

  void make_combinations() {
    auto named = [&](std::vector<std::uint32_t> sets) {
      Combination c{"", std::move(sets)};
      for (std::uint32_t s : c.sets) c.name += (c.name.empty() ? "" : "+") + g_.sets[s].name;
      if (c.sets.empty()) c.name = "base";
      g_.combinations.push_back(std::move(c));
    };
    if (g_.combine == Combine::kListed || g_.sets.size() > kMaxFactorialSets) {
      named({});
      for (std::uint32_t s = 0; s < g_.sets.size(); ++s) named({s});
      return;
    }
    // Mask order: bit s is set s, so the base comes first and every set
    // appears alone before it appears with the next one.
    for (std::uint32_t mask = 0; mask < (1u << g_.sets.size()); ++mask) {
      std::vector<std::uint32_t> sets;
      for (std::uint32_t s = 0; s < g_.sets.size(); ++s) {
        if (mask & (1u << s)) sets.push_back(s);
      }
      named(std::move(sets));
    }
  }

  // ---- [departures]

  void read_departures(const toml::table* t) {
    if (t == nullptr) {
      error(0, "[departures]: missing (expected dates = [\"2026-03-02T08:00+08:00\", …])");
      return;
    }
    const toml::node* dates = t->get("dates");
    const toml::node* first = t->get("first");
    if ((dates != nullptr) == (first != nullptr)) {
      error(line_of(*t), "[departures]: expected either dates or first with every_days and count");
      return;
    }
    if (dates != nullptr) {
      const toml::array* a = dates->as_array();
      if (a == nullptr || a->empty()) {
        error(*dates, "[departures] dates: expected a non-empty list of date-times");
        return;
      }
      for (const toml::node& d : *a) {
        if (auto i = instant(d, "[departures] dates")) g_.departures.push_back(*i);
      }
    } else {
      auto start = instant(*first, "[departures] first");
      const toml::node* every = t->get("every_days");
      const toml::node* count = t->get("count");
      if (every == nullptr || count == nullptr) {
        error(*first, "[departures]: first needs every_days and count");
        return;
      }
      auto days = integer(*every, "[departures] every_days", 1, 366);
      auto n = integer(*count, "[departures] count", 1, 10000);
      if (!start || !days || !n) return;
      const Instant last = *start + std::chrono::days(*days * (*n - 1));
      if (last >= kLatestInstant) {
        error(*count, "[departures] count: the series ends on " + format_instant_utc(last) +
                          " (expected departures before 2100-01-01)");
        return;
      }
      for (std::int64_t i = 0; i < *n; ++i) g_.departures.push_back(*start + std::chrono::days(*days * i));
    }
    std::set<Instant> seen;
    for (Instant d : g_.departures) {
      if (!seen.insert(d).second) error(line_of(*t), "[departures]: " + format_instant_utc(d) + " is listed twice");
    }
  }

  // ---- [pairs]

  std::optional<LocationIdx> place(const std::string& name, const toml::node& n, std::string_view what) {
    auto r = resolve_place(net_, name);
    if (!r) {
      Error e = Error::at(file_.string(), line_of(n), "", std::string(what) + ": " + r.error().message);
      e.code = r.error().code;
      errors_.push_back(std::move(e));
      return std::nullopt;
    }
    return *r;
  }

  void all_ordered_pairs(const std::vector<LocationIdx>& places) {
    for (LocationIdx a : places) {
      for (LocationIdx b : places) {
        if (a != b) g_.pairs.push_back({a, b, 0});
      }
    }
  }

  void read_pairs(const toml::table* t) {
    const char* kinds[] = {"set", "places", "list", "demand"};
    int given = 0;
    for (const char* k : kinds) given += (t != nullptr && t->get(k) != nullptr) ? 1 : 0;
    if (given > 1) {
      error(line_of(*t), "[pairs]: expected one of set, places, list or demand");
      return;
    }
    if (given == 0) {
      g_.pairs_source = "hubs";
      all_ordered_pairs(default_hubs(net_));
    } else if (auto set = optional_string(*t, "set", "pairs")) {
      g_.pairs_source = *set;
      if (*set == "hubs") {
        all_ordered_pairs(default_hubs(net_));
      } else if (*set == "places") {
        std::vector<LocationIdx> places;
        for (std::uint32_t i = 0; i < net_.locations.size(); ++i) {
          if (net_.locations[LocationIdx{i}].kind != LocationKind::kBcp) places.push_back(LocationIdx{i});
        }
        all_ordered_pairs(places);
      } else {
        error(*t->get("set"), "[pairs] set: unknown value " + in_quotes(*set) + " (expected hubs or places)");
      }
    } else if (const toml::node* p = t->get("places")) {
      g_.pairs_source = "places";
      read_place_list(*p);
    } else if (const toml::node* l = t->get("list")) {
      g_.pairs_source = "list";
      read_pair_list(*l);
    } else if (auto demand = optional_string(*t, "demand", "pairs")) {
      g_.pairs_source = *demand;
      read_demand(*demand, *t->get("demand"));
    }
    if (errors_.empty() && g_.pairs.empty()) error(t == nullptr ? 0 : line_of(*t), "[pairs]: no pair to sweep");
  }

  void read_place_list(const toml::node& n) {
    auto names = strings(n, "[pairs] places");
    if (!names) return;
    std::vector<LocationIdx> places;
    for (const auto& [name, node] : *names) {
      auto l = place(name, *node, "[pairs] places");
      if (!l) continue;
      if (std::find(places.begin(), places.end(), *l) != places.end()) {
        error(*node, "[pairs] places: " + in_quotes(name) + " is listed twice");
        continue;
      }
      places.push_back(*l);
    }
    if (places.size() < 2 && errors_.empty()) error(n, "[pairs] places: expected at least two places");
    all_ordered_pairs(places);
  }

  void read_pair_list(const toml::node& n) {
    const toml::array* a = n.as_array();
    if (a == nullptr) {
      error(n, "[pairs] list: expected a list of [from, to] pairs");
      return;
    }
    std::set<std::pair<LocationIdx, LocationIdx>> seen;
    for (const toml::node& item : *a) {
      const toml::array* p = item.as_array();
      if (p == nullptr || p->size() != 2 || !(*p)[0].is_string() || !(*p)[1].is_string()) {
        error(item, "[pairs] list: expected a pair of places such as [\"xian\", \"tashkent\"]");
        continue;
      }
      auto from = place(*(*p)[0].value<std::string>(), item, "[pairs] list");
      auto to = place(*(*p)[1].value<std::string>(), item, "[pairs] list");
      if (!from || !to) continue;
      if (*from == *to) {
        error(item, "[pairs] list: a pair needs two different places");
      } else if (!seen.insert({*from, *to}).second) {
        error(item, "[pairs] list: the pair is listed twice");
      } else {
        g_.pairs.push_back({*from, *to, 0});
      }
    }
  }

  // The lanes of a demand file, in the order they first appear; rows of the
  // same lane add up.
  void read_demand(const std::string& name, const toml::node& n) {
    std::filesystem::path path = file_.parent_path() / name;
    std::optional<std::string> text = sweep_detail::read_text(path);
    if (!text) {
      error(line_of(n),
            "[pairs] demand: cannot read " + in_quotes(path.string()) + " (expected a CSV from,to,teu_per_year)",
            ErrorCode::kNotFound);
      return;
    }
    hash_ = fnv1a(*text, fnv1a(path.filename().string(), hash_));
    auto rows = parse_demand_csv(*text, path.string(), net_);
    if (!rows) {
      errors_.insert(errors_.end(), rows.errors().begin(), rows.errors().end());
      return;
    }
    std::map<std::pair<LocationIdx, LocationIdx>, std::size_t> at;
    for (const DemandRow& r : *rows) {
      if (r.from == r.to) continue;  // a lane inside one place needs no plan
      auto [it, fresh] = at.emplace(std::pair{r.from, r.to}, g_.pairs.size());
      if (fresh) g_.pairs.push_back({r.from, r.to, 0});
      g_.pairs[it->second].teu_per_year += r.teu_per_year;
    }
  }

  // ---- [query] and [samples]: fields of the request layer's sweep request
  // (request.h), so names, limits and messages are those of every other
  // request; only the line is the grid's.

  // The text of a TOML value as a request field holds it; nullopt for a
  // table or a list. A float keeps a decimal point, so `units = 2.0` is
  // refused as `--units 2.0` is.
  static std::optional<std::string> text_of(const toml::node& n) {
    if (const auto* s = n.as_string()) return s->get();
    if (const auto* i = n.as_integer()) return std::to_string(i->get());
    if (const auto* b = n.as_boolean()) return b->get() ? "true" : "false";
    if (const auto* f = n.as_floating_point()) {
      char buf[32];
      auto res = std::to_chars(buf, buf + sizeof buf, f->get());
      std::string s(buf, res.ptr);
      if (s.find_first_of(".en") == std::string::npos) s += ".0";
      return s;
    }
    std::ostringstream s;
    if (const auto* dt = n.as_date_time()) {
      s << dt->get();
    } else if (const auto* d = n.as_date()) {
      s << d->get();
    } else {
      return std::nullopt;
    }
    return s.str();
  }

  // The option of sweep_options() named `field` (a QueryKey's field).
  static const OptionSpec* option_named(std::string_view field) {
    for (const OptionSpec& s : sweep_options()) {
      if (s.name == field) return &s;
    }
    return nullptr;
  }

  void read_query(const toml::table* query, const toml::table* samples) {
    struct Given {
      const QueryKey* key;
      const toml::node* node;
    };
    std::vector<Given> given;
    RequestFields fields;
    for (const QueryKey& k : kQueryKeys) {
      const toml::table* t = std::string_view(k.table) == "query" ? query : samples;
      const toml::node* n = t == nullptr ? nullptr : t->get(k.key);
      if (n == nullptr) continue;
      given.push_back({&k, n});
      const std::string at = where(k.table, k.key);
      const toml::array* list = n->as_array();
      if (list != nullptr && list->empty()) {
        error(*n,
              at + ": empty list (expected " + option_named(k.field)->expected() + "; leave it out for the default)");
      }
      auto add = [&](const toml::node& item) {
        std::optional<std::string> text = text_of(item);
        if (!text) {
          error(item, at + ": expected " + option_named(k.field)->expected());
        } else {
          fields.push_back({k.field, std::move(*text), {}});
        }
      };
      if (list != nullptr) {
        for (const toml::node& item : *list) add(item);
      } else {
        add(*n);
      }
    }
    if (!errors_.empty()) return;
    auto req = parse_sweep_request(net_, fields, {RequestOrigin::kLocal, Instant{}});
    if (!req) {
      for (const Error& e : req.errors()) {
        // The key the option came from; `name: ` in the message becomes `[table] key: `.
        const Given* from = nullptr;
        for (const Given& g : given) {
          const OptionSpec* s = option_named(g.key->field);
          if (s != nullptr && s->name == e.column) from = &g;
        }
        if (from == nullptr) {
          errors_.push_back(e);
          continue;
        }
        std::string message = e.message;
        const std::string prefix = e.column + ": ";
        if (message.rfind(prefix, 0) == 0) message = message.substr(prefix.size());
        error(line_of(*from->node), where(from->key->table, from->key->key) + ": " + message, e.code);
      }
      return;
    }
    g_.query.route = std::move(req->query);
    g_.query.deadline_after = req->deadline_after;
    g_.query.deadline = req->deadline;
    g_.samples = req->samples;
    g_.seeds = std::move(req->seeds);
    if (g_.query.deadline) {
      for (Instant d : g_.departures) {
        if (d < *g_.query.deadline) continue;
        error(*query->get("deadline"), "[query] deadline: " + format_instant_utc(*g_.query.deadline) +
                                           " is not after the departure " + format_instant_utc(d) +
                                           " (expected a later instant)");
        break;
      }
    }
  }

  // ---- outputs

  void read_outputs(const toml::node* n) {
    SweepOutputs& o = g_.outputs;
    const bool sampled = g_.samples > 0, deadline = g_.query.has_deadline();
    if (n == nullptr) {
      o.p50 = o.p95 = sampled;
      o.on_time = sampled && deadline;
      return;
    }
    auto names = strings(*n, "outputs");
    if (!names) return;
    o = SweepOutputs{false, false, false, false, false, false, false};
    const std::vector<std::string> known = {"hours", "p50", "p95", "on_time", "cost", "co2", "change"};
    bool* flags[] = {&o.hours, &o.p50, &o.p95, &o.on_time, &o.cost, &o.co2, &o.change};
    for (const auto& [name, node] : *names) {
      auto it = std::find(known.begin(), known.end(), name);
      if (it == known.end()) {
        error(*node, "outputs: unknown output " + in_quotes(name) + " (expected " + comma_list(known) + ")");
        continue;
      }
      *flags[it - known.begin()] = true;
      if ((name == "p50" || name == "p95" || name == "on_time") && !sampled) {
        error(*node, "outputs: " + name + " needs samples ([samples] count above 0)");
      }
      if (name == "on_time" && !deadline) {
        error(*node, "outputs: on_time needs a deadline ([query] deadline_hours or deadline)");
      }
    }
  }

  std::filesystem::path file_;
  const Network& net_;
  std::filesystem::path scenario_dir_;
  std::uint64_t hash_;
  SweepGrid g_;
  std::vector<std::uint32_t> set_lines_;  // line of each set in g_.sets
  Errors errors_;
};

}  // namespace

Result<SweepGrid> parse_sweep_grid(std::string_view toml_text, const std::filesystem::path& file, const Network& net,
                                   const std::filesystem::path& scenario_dir) {
  return GridReader(file, net, scenario_dir).read(toml_text);
}

Result<SweepGrid> load_sweep_grid(const std::filesystem::path& file, const Network& net,
                                  const std::filesystem::path& scenario_dir) {
  std::optional<std::string> text = sweep_detail::read_text(file);
  if (!text) return Error::not_found(file.string() + ": cannot read grid file (expected a sweep grid TOML file)");
  return parse_sweep_grid(*text, file, net, scenario_dir);
}

std::uint64_t SweepGrid::cell_count() const {
  return static_cast<std::uint64_t>(combinations.size()) * departures.size() * seeds.size() * pairs.size();
}

CellKey SweepGrid::key(std::uint64_t cell) const {
  assert(cell < cell_count());
  CellKey k;
  k.pair = static_cast<std::uint32_t>(cell % pairs.size());
  cell /= pairs.size();
  k.seed = static_cast<std::uint32_t>(cell % seeds.size());
  cell /= seeds.size();
  k.departure = static_cast<std::uint32_t>(cell % departures.size());
  k.combination = static_cast<std::uint32_t>(cell / departures.size());
  return k;
}

std::uint64_t SweepGrid::cell(const CellKey& k) const {
  return ((static_cast<std::uint64_t>(k.combination) * departures.size() + k.departure) * seeds.size() + k.seed) *
             pairs.size() +
         k.pair;
}

std::uint64_t dataset_hash(const DatasetFiles& files) {
  std::uint64_t h = sweep_detail::kFnvOffset;
  for (const auto& [name, text] : files.text) h = fnv1a(text, fnv1a(name + '\n', h));
  return h;
}

std::uint64_t sweep_fingerprint(const SweepGrid& g, std::uint64_t data_hash) {
  std::ostringstream s;
  s << "caravan " << CARAVAN_VERSION << "\ninputs " << g.inputs_hash << "\ndataset " << data_hash << "\nobjective "
    << to_string(g.query.route.objective) << "\ncells " << g.cell_count() << "\n";
  return fnv1a(s.str());
}

}  // namespace caravan
