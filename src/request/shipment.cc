// What is shipped: the unit, and the checks that look at several options at once.
#include "shipment.h"

#include <algorithm>

namespace caravan::request {
namespace {

bool given(const RequestFields& fields, std::string_view name) {
  return std::any_of(fields.begin(), fields.end(), [&](const RequestField& f) { return f.name == name; });
}

Error field_error(std::string_view name, std::string message) {
  return option_error(OptionSpec{.name = name}, std::move(message));
}

}  // namespace

Result<UnitKind> read_unit(const OptionSpec& s, const Values& v, const Env& env) {
  if (auto u = parse_unit_kind(v.front()->value)) {
    const std::string_view name = to_string(*u);
    for (std::string_view rest = s.choices; !rest.empty();) {
      const std::size_t bar = rest.find('|');
      if (rest.substr(0, bar) == name) return *u;
      if (bar == std::string_view::npos) break;
      rest.remove_prefix(bar + 1);
    }
  }
  auto word = read::choice(s, v, env);  // not a unit of this request: the choice's error
  if (!word) return word.errors();
  return *parse_unit_kind(*word);
}

Status check_shipment(const Network& net, const RouteQuery& q, const RequestFields& fields) {
  const std::string unit(to_string(q.unit));
  if (!is_container(q.unit)) {
    if (q.cargo_per_unit) {
      return field_error("cargo_tonnes", "does not apply to unit KG (expected the kilograms as units)");
    }
    if (given(fields, "equipment")) {
      return field_error("equipment", "applies to containers only (expected no equipment with unit KG)");
    }
    if (!q.modes.has(Mode::kRoad) && !q.modes.has(Mode::kAir)) {
      return field_error("mode", "KG cargo goes by road and air only (expected road or air among the modes)");
    }
  } else {
    if (q.volume_m3) {
      return field_error("volume_m3", "applies to unit KG only (expected no volume for " + unit + " boxes)");
    }
    if (!q.modes.has(Mode::kRail) && !q.modes.has(Mode::kRoad) && !q.modes.has(Mode::kFerry) &&
        !q.modes.has(Mode::kSea)) {
      return field_error("mode", "containers never fly: " + unit +
                                     " boxes need rail, road, ferry or sea (expected unit KG for air cargo)");
    }
  }
  // What is left is the payload limit of the dataset's boxes.
  Status st = check_cargo(net, q);
  if (!st.ok()) return field_error("cargo_tonnes", st.error().message);
  return {};
}

}  // namespace caravan::request
