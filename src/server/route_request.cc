#include "route_request.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>

#include "caravan/places.h"

namespace caravan::server {
namespace {

constexpr std::array<std::string_view, 14> kRouteParams = {"from",         "to",      "depart", "units",   "unit",
                                                           "cargo_tonnes", "by",      "via",    "avoid",   "mode",
                                                           "deadline",     "samples", "seed",   "scenario"};

Error field_error(Error e, std::string_view field) {
  e.column = std::string(field);
  return e;
}

Error bad(std::string_view field, std::string message) {
  return field_error(Error::invalid(std::string(field) + ": " + message), field);
}

// The single value of a parameter; fails when it is repeated.
Result<std::optional<std::string>> single(const Params& p, std::string_view name) {
  auto [lo, hi] = p.equal_range(std::string(name));
  if (lo == hi) return std::optional<std::string>();
  if (std::next(lo) != hi) return bad(name, "given more than once (expected a single value)");
  return std::optional<std::string>(lo->second);
}

Result<LocationIdx> place(const Network& net, std::string_view field, const std::string& text) {
  if (text.empty()) return bad(field, "empty (expected a location id, name or alias)");
  auto r = resolve_place(net, text);
  if (!r) {
    Error e = r.error();
    e.message = std::string(field) + ": " + e.message;
    return field_error(e, field);
  }
  return *r;
}

bool is_country_code(std::string_view s) {
  return s.size() == 2 && std::isupper(static_cast<unsigned char>(s[0])) &&
         std::isupper(static_cast<unsigned char>(s[1]));
}

}  // namespace

Result<std::uint32_t> parse_count(std::string_view field, std::string_view text, std::uint32_t max) {
  std::uint64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || v == 0 || v > max) {
    return bad(field, "bad number \"" + std::string(text) + "\" (expected a whole number from 1 to " +
                          std::to_string(max) + ")");
  }
  return static_cast<std::uint32_t>(v);
}

Result<RouteRequest> parse_route_params(const Network& net, const Params& params, Instant now) {
  for (const auto& [name, value] : params) {
    if (std::find(kRouteParams.begin(), kRouteParams.end(), name) == kRouteParams.end()) {
      return field_error(Error::invalid("unknown parameter \"" + name +
                                        "\" (expected from, to, depart, units, unit, cargo_tonnes, by, via, avoid, "
                                        "mode, deadline, samples, seed or scenario)"),
                         name);
    }
  }
  RouteRequest req;
  QueryEcho& echo = req.echo;
  RouteQuery& q = echo.query;

  // Everything that needs no place lookup first, as the CLI does.
  auto by = single(params, "by");
  if (!by) return by.errors();
  if (*by) {
    auto o = parse_objective(**by);
    if (!o) return bad("by", "unknown objective \"" + **by + "\" (expected pareto, time, cost or co2)");
    q.objective = *o;
  }
  auto unit = single(params, "unit");
  if (!unit) return unit.errors();
  if (*unit) {
    auto u = parse_unit_kind(**unit);
    if (!u) return bad("unit", "unknown unit \"" + **unit + "\" (expected TEU or FEU)");
    q.unit = *u;
  }
  auto units = single(params, "units");
  if (!units) return units.errors();
  if (*units) {
    auto n = parse_count("units", **units, 10000);
    if (!n) return n.errors();
    q.units = *n;
  }
  auto cargo = single(params, "cargo_tonnes");
  if (!cargo) return cargo.errors();
  if (*cargo) {
    double t = 0;
    const std::string& s = **cargo;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), t);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size() || !std::isfinite(t) || t <= 0 || t > 100) {
      return bad("cargo_tonnes", "bad mass \"" + s + "\" (expected tonnes per container, above 0 and at most 100)");
    }
    q.cargo_per_unit = Mass::from_tonnes(t);
  }
  auto mode = single(params, "mode");
  if (!mode) return mode.errors();
  if (*mode) {
    auto m = parse_mode_set(**mode);
    if (!m) return bad("mode", m.error().message);
    q.modes = *m;
  }
  auto depart = single(params, "depart");
  if (!depart) return depart.errors();
  if (*depart) {
    auto t = parse_instant(**depart);
    if (!t) return bad("depart", t.error().message);
    q.depart = *t;
  } else {
    // Ready now, rounded up to the next whole hour, as the CLI does.
    q.depart = Instant(Duration((now.time_since_epoch().count() / 3600 + 1) * 3600));
  }
  auto deadline = single(params, "deadline");
  if (!deadline) return deadline.errors();
  if (*deadline) {
    auto t = parse_instant(**deadline);
    if (!t) return bad("deadline", t.error().message);
    if (*t <= q.depart)
      return bad("deadline", "\"" + **deadline + "\" is not after the departure (expected a later date-time)");
    echo.deadline = *t;
  }
  auto samples = single(params, "samples");
  if (!samples) return samples.errors();
  if (*samples) {
    auto n = parse_count("samples", **samples, kMaxSamples);
    if (!n) return n.errors();
    req.samples = *n;
  } else if (echo.deadline) {
    req.samples = 1000;  // a deadline alone asks for reliability, as in the CLI
  }
  auto seed = single(params, "seed");
  if (!seed) return seed.errors();
  if (*seed) {
    const std::string& s = **seed;
    std::uint64_t v = 0;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (s.empty() || ec != std::errc() || end != s.data() + s.size()) {
      return bad("seed", "bad number \"" + s + "\" (expected a whole number from 0 to 18446744073709551615)");
    }
    req.seed = v;
  }
  if (params.count("scenario") > kMaxPlacesPerList) return bad("scenario", "too many scenarios (expected at most 16)");
  for (auto [it, end] = params.equal_range("scenario"); it != end; ++it) {
    if (it->second.empty()) return bad("scenario", "empty (expected a scenario id from /v1/scenarios)");
    echo.scenarios.push_back(it->second);
  }

  for (std::string_view field : {"from", "to"}) {
    auto v = single(params, field);
    if (!v) return v.errors();
    if (!*v) return bad(field, "missing (expected a location id, name or alias)");
    auto i = place(net, field, **v);
    if (!i) return i.errors();
    (field == "from" ? q.from : q.to) = *i;
  }
  if (params.count("via") > kMaxPlacesPerList) return bad("via", "too many places (expected at most 16)");
  if (params.count("avoid") > kMaxPlacesPerList) return bad("avoid", "too many places (expected at most 16)");
  for (auto [it, end] = params.equal_range("via"); it != end; ++it) {
    auto i = place(net, "via", it->second);
    if (!i) return i.errors();
    q.via.push_back(*i);
  }
  for (auto [it, end] = params.equal_range("avoid"); it != end; ++it) {
    const std::string& a = it->second;
    if (is_country_code(a)) {
      if (!has_country(net, a)) {
        return field_error(Error::not_found("avoid: no location in country \"" + a +
                                            "\" (expected an ISO 3166-1 alpha-2 code of the dataset, or a place)"),
                           "avoid");
      }
      q.avoid_countries.push_back(a);
      continue;
    }
    auto i = place(net, "avoid", a);
    if (!i) return i.errors();
    q.avoid.push_back(*i);
  }
  return req;
}

}  // namespace caravan::server
