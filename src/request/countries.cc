// Countries by code or English name, and the `avoid` option that takes them
// beside places.
#include <algorithm>
#include <cctype>

#include "caravan/places.h"
#include "country_table.h"
#include "option.h"

namespace caravan {
namespace {

using request::kCountryRowCount;
using request::kCountryRows;

// English names in common use that ISO 3166-1 spells otherwise.
struct Exonym {
  const char* name;
  const char* code;
};
constexpr Exonym kExonyms[] = {
    {"Russia", "RU"},    {"Turkey", "TR"},  {"Britain", "GB"},   {"Great Britain", "GB"},
    {"UK", "GB"},        {"USA", "US"},     {"America", "US"},   {"UAE", "AE"},
    {"Macedonia", "MK"}, {"Holland", "NL"}, {"Kirghizia", "KG"}, {"Byelorussia", "BY"},
};

template <typename F>
void for_each_name(F&& f) {
  for (std::size_t i = 0; i < kCountryRowCount; ++i) {
    const request::CountryRow& r = kCountryRows[i];
    for (const char* n : {r.name, r.official_name, r.common_name}) {
      if (*n != '\0') f(std::string_view(n), std::string_view(r.code));
    }
  }
  for (const Exonym& e : kExonyms) f(std::string_view(e.name), std::string_view(e.code));
}

bool is_alpha2(std::string_view s) {
  return s.size() == 2 && std::isalpha(static_cast<unsigned char>(s[0])) &&
         std::isalpha(static_cast<unsigned char>(s[1]));
}

std::string describe_country(std::string_view code) {
  return std::string(country_name(code)) + " (" + std::string(code) + ")";
}

// Countries of the dataset whose names are close to `text`, for a hint.
std::vector<std::string> nearest_countries(const Network& net, std::string_view text) {
  const std::string q = normalize_place_name(text);
  std::vector<std::pair<std::size_t, std::string>> scored;
  for_each_name([&](std::string_view name, std::string_view code) {
    if (!has_country(net, code)) return;
    const std::string n = normalize_place_name(name);
    std::size_t d = n.rfind(q, 0) == 0 && q.size() >= 3 ? 0 : edit_distance(n, q);
    if (d <= std::max<std::size_t>(2, q.size() / 3)) scored.emplace_back(d, std::string(code));
  });
  std::sort(scored.begin(), scored.end());
  std::vector<std::string> out;
  for (const auto& [d, code] : scored) {
    if (std::find(out.begin(), out.end(), code) == out.end() && out.size() < 3) out.push_back(code);
  }
  return out;
}

}  // namespace

std::optional<std::string> resolve_country(std::string_view text) {
  if (is_alpha2(text)) {
    std::string code{static_cast<char>(std::toupper(static_cast<unsigned char>(text[0]))),
                     static_cast<char>(std::toupper(static_cast<unsigned char>(text[1])))};
    if (!country_name(code).empty()) return code;
  }
  const std::string q = normalize_place_name(text);
  if (q.empty()) return std::nullopt;
  std::optional<std::string> found;
  for_each_name([&](std::string_view name, std::string_view code) {
    if (!found && normalize_place_name(name) == q) found = std::string(code);
  });
  return found;
}

std::string_view country_name(std::string_view code) {
  for (std::size_t i = 0; i < kCountryRowCount; ++i) {
    const request::CountryRow& r = kCountryRows[i];
    if (code == r.code) return *r.common_name != '\0' ? r.common_name : r.name;
  }
  return {};
}

namespace request::read {

Result<Avoid> avoid(const OptionSpec& s, const Values& v, const Env& env) {
  auto whole = [&](const std::string& text) {
    return text.find(',') != std::string::npos && resolve_place(env.net, text).ok();
  };
  auto items = split_items(s, v, whole);
  if (!items) return items.errors();
  Avoid out;
  for (const std::string& item : *items) {
    std::optional<std::string> code = resolve_country(item);
    if (code && has_country(env.net, *code)) {
      out.countries.push_back(*code);
      continue;
    }
    auto place = resolve_place(env.net, item);
    if (place) {
      out.places.push_back(*place);
      continue;
    }
    if (code) {
      return option_error(s,
                          "no location in country " + describe_country(*code) +
                              " (expected a country of the dataset, or a place)",
                          ErrorCode::kNotFound);
    }
    if (place.error().code != ErrorCode::kNotFound) return option_error(s, place.error().message);
    std::string hint;
    for (const std::string& c : nearest_countries(env.net, item)) hint += " " + describe_country(c) + ";";
    std::string msg = "unknown place or country \"" + item + "\" (";
    if (!hint.empty()) msg += "nearest countries:" + hint.substr(0, hint.size() - 1) + "; ";
    std::string nearest;
    for (LocationIdx i : search_places(env.net, item, 5)) nearest += " " + env.net.locations[i].id + ";";
    if (!nearest.empty())
      msg += "nearest places:" + nearest.substr(0, nearest.size() - 1) + ")";
    else
      msg += "expected a place, or a country by ISO code or name)";
    return option_error(s, msg, ErrorCode::kNotFound);
  }
  return out;
}

}  // namespace request::read
}  // namespace caravan
