// Internal: what the dataset loader's parts share — a typed reader of one CSV
// table that records every problem with file:line, and the loading context
// (the files, the errors and warnings so far, the network being built).
// load.cc reads the files of DESIGN.md section 5; load_terms.cc those of
// ADR 0500 (equipment, trucking, rail products, traffic classes, closures,
// fares, air rates, empty returns).
#pragma once

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "caravan/csv.h"
#include "caravan/load.h"

namespace caravan::detail {

// Reads typed fields of one CSV table and records every problem with file:line.
class TableReader {
 public:
  TableReader(const CsvTable& table, std::vector<std::string> required, std::vector<std::string> optional,
              Errors& errors, Errors* warnings)
      : table_(table), errors_(errors) {
    for (const std::string& name : required) {
      if (table.column(name) < 0 && !table.header.empty()) {
        std::string all;
        for (const std::string& n : required) all += (all.empty() ? "" : ",") + n;
        errors.push_back(Error::at(table.file, 1, name, "missing column (expected header " + all + ")"));
      }
    }
    if (warnings != nullptr) {
      for (const std::string& h : table.header) {
        bool known = std::find(required.begin(), required.end(), h) != required.end() ||
                     std::find(optional.begin(), optional.end(), h) != optional.end();
        if (!known) warnings->push_back(Error::at(table.file, 1, h, "unknown column, ignored"));
      }
    }
  }

  const CsvTable& table() const { return table_; }

  void error(const CsvRow& row, std::string_view column, std::string message) {
    errors_.push_back(Error::at(table_.file, row.line, std::string(column), std::move(message)));
  }

  std::string_view raw(const CsvRow& row, std::string_view column) const {
    int c = table_.column(column);
    if (c < 0 || static_cast<std::size_t>(c) >= row.fields.size()) return {};
    return row.fields[c];
  }

  bool has_value(const CsvRow& row, std::string_view column) const { return !raw(row, column).empty(); }

  bool check_width(const CsvRow& row) {
    if (row.fields.size() != table_.header.size()) {
      error(row, "",
            "row has " + std::to_string(row.fields.size()) + " fields (expected " +
                std::to_string(table_.header.size()) + " as in the header)");
      return false;
    }
    return true;
  }

  std::string text(const CsvRow& row, std::string_view column, bool required = true) {
    std::string_view v = raw(row, column);
    if (v.empty() && required && table_.column(column) >= 0) error(row, column, "empty (expected a value)");
    return std::string(v);
  }

  // A decimal number in [lo, hi]; `fallback` when empty and optional.
  double number(const CsvRow& row, std::string_view column, double lo, double hi, bool required = true,
                double fallback = 0) {
    std::string_view v = raw(row, column);
    if (v.empty()) {
      if (required && table_.column(column) >= 0) error(row, column, "empty (expected a number)");
      return fallback;
    }
    double d = 0;
    auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), d);
    if (ec != std::errc() || ptr != v.data() + v.size() || !std::isfinite(d)) {
      error(row, column, "malformed number \"" + std::string(v) + "\" (expected a decimal number such as 12.5)");
      return fallback;
    }
    if (d < lo || d > hi) {
      std::ostringstream range;
      range << "out of range " << v << " (expected ";
      if (hi >= 1e300) {
        range << (lo == 0 ? "a non-negative number" : "a number >= " + std::to_string(lo)) << ")";
      } else {
        range << "a number from " << lo << " to " << hi << ")";
      }
      std::string msg = range.str();
      if (lo == 0 && d < 0) msg = "negative value " + std::string(v) + " (expected a non-negative number)";
      error(row, column, msg);
      return fallback;
    }
    return d;
  }

  std::uint32_t count(const CsvRow& row, std::string_view column, bool required = false) {
    std::string_view v = raw(row, column);
    if (v.empty()) {
      if (required && table_.column(column) >= 0) error(row, column, "empty (expected a whole number)");
      return 0;
    }
    std::uint32_t n = 0;
    auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
    if (ec != std::errc() || ptr != v.data() + v.size()) {
      error(row, column, "malformed number \"" + std::string(v) + "\" (expected a non-negative whole number)");
      return 0;
    }
    return n;
  }

  bool boolean(const CsvRow& row, std::string_view column, bool fallback) {
    std::string_view v = raw(row, column);
    if (v.empty()) return fallback;
    std::string low;
    for (char c : v) low += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (low == "true" || low == "yes" || low == "1") return true;
    if (low == "false" || low == "no" || low == "0") return false;
    error(row, column, "bad boolean \"" + std::string(v) + "\" (expected true or false)");
    return fallback;
  }

  std::optional<Mode> mode(const CsvRow& row, std::string_view column) {
    std::string v = text(row, column);
    auto m = parse_mode(v);
    if (!m && !v.empty()) error(row, column, "unknown mode \"" + v + "\" (expected rail, road, ferry, sea or air)");
    return m;
  }

  std::optional<Currency> currency(const CsvRow& row, std::string_view column) {
    std::string_view v = raw(row, column);
    auto c = Currency::parse(v);
    if (!c) {
      error(row, column,
            v.empty() ? std::string("empty (expected an ISO 4217 code such as USD)")
                      : "unknown currency \"" + std::string(v) + "\" (expected an ISO 4217 code such as KZT)");
    }
    return c;
  }

  Money money(const CsvRow& row, std::string_view column, std::optional<Currency> c, bool required = false) {
    std::string_view v = raw(row, column);
    if (!c) return Money{};
    if (v.empty()) {
      if (required && table_.column(column) >= 0) error(row, column, "empty (expected an amount)");
      return Money{0, *c};
    }
    auto m = parse_money(v, *c);
    if (!m) {
      error(row, column, m.error().message);
      return Money{0, *c};
    }
    if (m->minor < 0) {
      error(row, column, "negative amount " + std::string(v) + " (expected a non-negative amount)");
      return Money{0, *c};
    }
    return *m;
  }

 private:
  const CsvTable& table_;
  Errors& errors_;
};

struct LoadContext {
  LoadContext(const DatasetFiles& f, Errors* w) : files(f), warnings(w) {}

  const DatasetFiles& files;
  Errors errors;
  Errors* warnings;
  Network net;

  std::optional<CsvTable> table(const std::string& name, bool required) {
    auto it = files.text.find(name);
    if (it == files.text.end()) {
      if (required)
        errors.push_back(Error{ErrorCode::kNotFound, "missing file (expected a dataset file)", name, 0, ""});
      return std::nullopt;
    }
    return parse_csv(name, it->second, errors);
  }

  // Records `id -> index` unless the id is empty or taken (then reports it).
  template <typename Map, typename Vec, typename T>
  void add_unique(TableReader& r, const CsvRow& row, Map& by_id, Vec& items, T item, const char* what) {
    if (item.id.empty()) return;
    if (by_id.count(item.id)) {
      r.error(row, "id", "duplicate " + std::string(what) + " \"" + item.id + "\" (expected unique ids)");
      return;
    }
    std::string id = item.id;
    by_id[id] = items.push_back(std::move(item));
  }

  SourceList sources(TableReader& r, const CsvRow& row) {
    SourceList out;
    std::string_view v = r.raw(row, "source");
    if (v.empty()) {
      r.error(row, "source", "empty (expected one or more source ids from sources.csv)");
      return out;
    }
    // `column=id` cites a source for one column (field-level provenance).
    for (const SourceRef& ref : parse_source_refs(v)) {
      if (!ref.column.empty() && (ref.column == "source" || r.table().column(ref.column) < 0)) {
        r.error(row, "source",
                "unknown column \"" + ref.column + "\" in \"" + ref.column + "=" + ref.id +
                    "\" (expected a column of " + r.table().file + ")");
      }
      auto it = net.source_by_id.find(ref.id);
      if (it == net.source_by_id.end()) {
        r.error(row, "source", "unknown source \"" + ref.id + "\" (expected an id from sources.csv)");
      } else {
        out.push_back(it->second);
      }
    }
    return out;
  }

  LocationIdx location_ref(TableReader& r, const CsvRow& row, std::string_view column) {
    std::string id = r.text(row, column);
    if (id.empty()) return LocationIdx::invalid();
    LocationIdx i = net.find_location(id);
    if (!i.valid()) r.error(row, column, "unknown location \"" + id + "\" (expected a location id)");
    return i;
  }

  void check_fx(TableReader& r, const CsvRow& row, std::string_view column, std::optional<Currency> c) {
    if (c && !net.fx.has(*c)) {
      r.error(row, column, "no exchange rate for " + std::string(c->str()) + " (expected a row in fx.csv)");
    }
  }

  // An amount that may be left empty (nullopt), in currency `c`.
  std::optional<Money> optional_money(TableReader& r, const CsvRow& row, std::string_view column,
                                      std::optional<Currency> c) {
    if (!r.has_value(row, column) || !c) return std::nullopt;
    return r.money(row, column, c);
  }

  // A country code column: two capital letters.
  std::optional<CountryCode> country(TableReader& r, const CsvRow& row, std::string_view column) {
    std::string v = r.text(row, column);
    if (v.size() == 2 && std::isupper(static_cast<unsigned char>(v[0])) &&
        std::isupper(static_cast<unsigned char>(v[1]))) {
      return CountryCode{v[0], v[1]};
    }
    if (!v.empty()) r.error(row, column, "bad country \"" + v + "\" (expected an ISO 3166-1 alpha-2 code such as KZ)");
    return std::nullopt;
  }
};

// The ADR 0500 files (load_terms.cc); each optional. Call after locations,
// links, crossings and services are loaded (fares and air rates refer to
// services; classes and closures to crossings).
void load_equipment(LoadContext& c);
void load_trucking(LoadContext& c);
void load_rail_products(LoadContext& c);
void load_crossing_classes(LoadContext& c);
void load_closures(LoadContext& c);
void load_fares(LoadContext& c);
void load_air_rates(LoadContext& c);
void load_empty_returns(LoadContext& c);

}  // namespace caravan::detail
