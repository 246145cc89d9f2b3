// The checks every request shares: names, repeats, text, numbers, instants,
// choices and lists.
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>

#include "caravan/places.h"
#include "caravan/text.h"
#include "option.h"

namespace caravan {
namespace {

// Whole numbers print without a decimal point: 10000, not 10000.000000.
std::string number_text(double v) {
  if (v >= 1.8e19) return std::to_string(std::numeric_limits<std::uint64_t>::max());
  char buf[32];
  if (v == std::floor(v) && std::fabs(v) < 1e15)
    std::snprintf(buf, sizeof buf, "%.0f", v);
  else
    std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

// The `|`-separated words of `list`.
std::vector<std::string_view> words(std::string_view list) {
  std::vector<std::string_view> out;
  while (!list.empty()) {
    std::size_t bar = list.find('|');
    out.push_back(list.substr(0, bar));
    if (bar == std::string_view::npos) break;
    list.remove_prefix(bar + 1);
  }
  return out;
}

std::string joined(const std::vector<std::string_view>& items, std::string_view last_sep) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += i + 1 == items.size() ? last_sep : std::string_view(", ");
    out += items[i];
  }
  return out;
}

bool equal_ignoring_case(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

// UTF-8 (no overlong forms, no surrogates) without control characters.
bool clean_text(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7f) return false;
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t n = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 ? 2 : 0;
    if (n == 0 || c > 0xf4 || i + n > s.size()) return false;
    std::uint32_t cp = c & (0x7f >> n);
    for (std::size_t k = 1; k < n; ++k) {
      const auto d = static_cast<unsigned char>(s[i + k]);
      if ((d & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (d & 0x3f);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10ffff)) || (cp >= 0xd800 && cp <= 0xdfff))
      return false;
    i += n;
  }
  return true;
}

// The option a field name refers to (its name or an alias), or nullptr.
const OptionSpec* find_option(std::span<const OptionSpec> specs, std::string_view name, RequestOrigin origin) {
  for (const OptionSpec& s : specs) {
    if (s.local_only && origin == RequestOrigin::kRemote) continue;
    if (s.name == name) return &s;
    for (std::string_view a : words(s.aliases)) {
      if (a == name) return &s;
    }
  }
  return nullptr;
}

Error unknown_option(std::span<const OptionSpec> specs, std::string_view name, RequestOrigin origin) {
  std::vector<std::string_view> names;
  for (const OptionSpec& s : specs) {
    if (!(s.local_only && origin == RequestOrigin::kRemote)) names.push_back(s.name);
  }
  const std::string expected = "(expected " + joined(names, " or ") + ")";
  // `?=x` has no name to blame; the error then has no field.
  if (name.empty()) return Error::invalid("an option without a name " + expected);
  // The name as text: a query string's names are any bytes, and the error goes back to the client.
  Error e = Error::invalid(sanitize_text(name) + ": unknown option " + expected);
  e.column = sanitize_text(name);
  return e;
}

}  // namespace

std::string OptionSpec::cli_flag() const {
  std::string f = "--" + std::string(name);
  std::replace(f.begin(), f.end(), '_', '-');
  return f;
}

std::string OptionSpec::expected() const {
  switch (type) {
    case OptionType::kPlace:
      return "a location id, name or alias";
    case OptionType::kPlaces:
      return "up to " + std::to_string(max_items) + " location ids, names or aliases";
    case OptionType::kAvoid:
      return "up to " + std::to_string(max_items) + " places or countries (ISO 3166-1 alpha-2 codes or names)";
    case OptionType::kCount:
      if (is_list())
        return "up to " + std::to_string(max_items) + " whole numbers from " + number_text(min) + " to " +
               number_text(max);
      return "a whole number from " + number_text(min) + " to " + number_text(max);
    case OptionType::kNumber:
      return std::string("a number ") + (min_exclusive ? "above " : "from ") + number_text(min) +
             (min_exclusive ? " and at most " : " to ") + number_text(max);
    case OptionType::kInstant:
      return "an ISO-8601 date-time from 2000-01-01 to 2099-12-31, such as 2026-03-02 or 2026-03-02T08:00Z or "
             "2026-03-02T13:00+05:00";
    case OptionType::kChoice:
      return joined(words(choices), " or ");
    case OptionType::kChoices:
      return "a list of " + joined(words(choices), ", ");
    case OptionType::kScenarios:
      return "up to " + std::to_string(max_items) + " scenario ids";
    case OptionType::kFlag:
      return "true or false";
    case OptionType::kDemand:
      return "up to " + std::to_string(max_items) + " rows {from, to, teu_per_year}";
  }
  return {};
}

namespace request {

Error option_error(const OptionSpec& s, std::string message, ErrorCode code) {
  Error e{code, std::string(s.name) + ": " + std::move(message), {}, 0, std::string(s.name)};
  return e;
}

Error bad_value(const OptionSpec& s, std::string_view text) {
  return option_error(s, "bad value \"" + std::string(text) + "\" (expected " + s.expected() + ")");
}

Instant next_whole_hour(Instant now) {
  const std::int64_t s = now.time_since_epoch().count();
  return Instant(Duration((s / 3600 + 1) * 3600));
}

Result<std::vector<Values>> group_fields(std::span<const OptionSpec> specs, const RequestFields& fields,
                                         const RequestContext& ctx) {
  std::vector<Values> grouped(specs.size());
  for (const RequestField& f : fields) {
    const OptionSpec* s = find_option(specs, f.name, ctx.origin);
    if (s == nullptr) return unknown_option(specs, f.name, ctx.origin);
    if (f.members.empty() && f.value.empty()) {
      std::string why = "empty (expected " + s->expected();
      if (!s->default_text.empty()) why += "; leave it out for the default: " + std::string(s->default_text);
      return option_error(*s, why + ")");
    }
    if (!f.members.empty() && s->type != OptionType::kDemand) return bad_value(*s, "{...}");
    if (!clean_text(f.value)) return option_error(*s, "not UTF-8 text, or has a control character");
    for (const auto& [k, v] : f.members) {
      if (!clean_text(k) || !clean_text(v)) return option_error(*s, "not UTF-8 text, or has a control character");
    }
    Values& into = grouped[static_cast<std::size_t>(s - specs.data())];
    if (!s->is_list() && !into.empty()) return option_error(*s, "given more than once (expected a single value)");
    into.push_back(&f);
  }
  for (std::size_t i = 0; i < specs.size(); ++i) {
    if (specs[i].required && grouped[i].empty()) {
      return option_error(specs[i], "missing (expected " + specs[i].expected() + ")");
    }
  }
  return grouped;
}

namespace read {

Result<std::uint64_t> count(const OptionSpec& s, const Values& v, const Env&) {
  const std::string& text = v.front()->value;
  std::uint64_t n = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (ec != std::errc() || end != text.data() + text.size() || static_cast<double>(n) < s.min ||
      static_cast<double>(n) > s.max) {
    return bad_value(s, text);
  }
  return n;
}

Result<double> number(const OptionSpec& s, const Values& v, const Env&) {
  const std::string& text = v.front()->value;
  double x = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), x);
  // from_chars reads "inf" and "nan"; neither is a quantity.
  if (ec != std::errc() || end != text.data() + text.size() || !std::isfinite(x) || x > s.max ||
      (s.min_exclusive ? x <= s.min : x < s.min)) {
    return bad_value(s, text);
  }
  return x;
}

Result<Instant> instant(const OptionSpec& s, const Values& v, const Env&) {
  const std::string& text = v.front()->value;
  auto t = parse_instant(text);
  if (!t || *t < kEarliestInstant || *t >= kLatestInstant) return bad_value(s, text);
  return *t;
}

Result<std::string_view> choice(const OptionSpec& s, const Values& v, const Env&) {
  const std::string& text = v.front()->value;
  for (std::string_view w : words(s.choices)) {
    if (equal_ignoring_case(w, text)) return w;
  }
  return option_error(s, "unknown " + std::string(s.name) + " \"" + text + "\" (expected " + s.expected() + ")");
}

Result<bool> flag(const OptionSpec& s, const Values& v, const Env&) {
  const std::string& text = v.front()->value;
  if (equal_ignoring_case(text, "true") || text == "1") return true;
  if (equal_ignoring_case(text, "false") || text == "0") return false;
  return bad_value(s, text);
}

Result<LocationIdx> place(const OptionSpec& s, const Values& v, const Env& env) {
  auto r = resolve_place(env.net, v.front()->value);
  if (!r) return option_error(s, r.error().message, r.error().code);
  return *r;
}

}  // namespace read

Result<std::vector<std::string>> split_items(const OptionSpec& s, const Values& values,
                                             const std::function<bool(const std::string&)>& whole) {
  std::vector<std::string> items;
  for (const RequestField* f : values) {
    if (whole && whole(f->value)) {
      items.push_back(f->value);
    } else {
      std::string_view rest = f->value;
      while (true) {
        std::size_t comma = rest.find(',');
        std::string_view item = rest.substr(0, comma);
        while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
        while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
        if (item.empty()) return option_error(s, "empty item in \"" + f->value + "\" (expected " + s.expected() + ")");
        items.emplace_back(item);
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
      }
    }
    if (items.size() > s.max_items) {
      return option_error(s, "too many items: " + std::to_string(items.size()) + " or more (expected " + s.expected() +
                                 ")");
    }
  }
  return items;
}

namespace read {

Result<std::vector<LocationIdx>> places(const OptionSpec& s, const Values& v, const Env& env) {
  auto whole = [&](const std::string& text) {
    return text.find(',') != std::string::npos && resolve_place(env.net, text).ok();
  };
  auto items = split_items(s, v, whole);
  if (!items) return items.errors();
  std::vector<LocationIdx> out;
  for (const std::string& item : *items) {
    auto r = resolve_place(env.net, item);
    if (!r) return option_error(s, r.error().message, r.error().code);
    out.push_back(*r);
  }
  return out;
}

Result<ModeSet> modes(const OptionSpec& s, const Values& v, const Env&) {
  auto items = split_items(s, v, {});
  if (!items) return items.errors();
  ModeSet set;
  for (const std::string& item : *items) {
    std::string lower = item;
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    auto m = parse_mode(lower);
    if (!m) return option_error(s, "unknown mode \"" + item + "\" (expected " + s.expected() + ")");
    set.add(*m);
  }
  return set;
}

Result<std::vector<std::string>> scenarios(const OptionSpec& s, const Values& v, const Env& env) {
  auto items = split_items(s, v, {});
  if (!items) return items.errors();
  for (const std::string& name : *items) {
    if (is_scenario_path(name) && env.ctx.origin == RequestOrigin::kRemote) {
      return option_error(s, "\"" + name +
                                 "\" is a file path, which the server does not read (expected a scenario id from "
                                 "/v1/scenarios; save a scenario file with POST /v1/scenarios)");
    }
  }
  return std::move(*items);
}

}  // namespace read
}  // namespace request

Error invalid_value(std::span<const OptionSpec> options, std::string_view name, std::string_view text) {
  const OptionSpec* s = find_option(options, name, RequestOrigin::kRemote);
  if (s == nullptr) return unknown_option(options, name, RequestOrigin::kRemote);
  return request::bad_value(*s, text);
}

}  // namespace caravan
