// Internal: options that several requests share, each written once. Requests
// that carry a RouteQuery `query` (route, matrix, compare) take the shipment
// options through the generic setters below.
#pragma once

#include <limits>
#include <vector>

#include "option.h"

namespace caravan::request {

inline constexpr double kMaxSeed = static_cast<double>(std::numeric_limits<std::uint64_t>::max());
inline constexpr double kMaxThreads = 256;
/// Well above a freighter aircraft's hold (about 700 m3) and a 10 t shipment's volume weight.
inline constexpr double kMaxVolumeM3 = 1000;
/// USD per box-hour: far above the cargo values the literature reports (a few USD per TEU-hour).
inline constexpr double kMaxValueOfTime = 1000;

inline constexpr OptionSpec kDepart{.name = "depart",
                                    .type = OptionType::kInstant,
                                    .help = "When the cargo is ready, ISO-8601; no offset means UTC",
                                    .default_text = "the next whole hour"};
inline constexpr OptionSpec kUnits{.name = "units",
                                   .type = OptionType::kCount,
                                   .help = "Number of containers; with unit KG, the cargo's kilograms",
                                   .default_text = "1",
                                   .min = 1,
                                   .max = kMaxUnits};
inline constexpr OptionSpec kUnit{
    .name = "unit",
    .type = OptionType::kChoice,
    .help =
        "What units counts: TEU (20-ft box), FEU (40-ft), FEU_HC (40-ft high-cube; also HC, 40HC) or KG "
        "(general cargo by weight, by road and air only; containers never fly)",
    .default_text = "FEU",
    .choices = "TEU|FEU|FEU_HC|KG"};
/// A simulation moves boxes only.
inline constexpr OptionSpec kBoxUnit{.name = "unit",
                                     .type = OptionType::kChoice,
                                     .help =
                                         "Container size: TEU (20-ft), FEU (40-ft) or FEU_HC (40-ft high-cube; "
                                         "also HC, 40HC)",
                                     .default_text = "FEU",
                                     .choices = "TEU|FEU|FEU_HC"};
inline constexpr OptionSpec kCargoTonnes{
    .name = "cargo_tonnes",
    .type = OptionType::kNumber,
    .help =
        "Cargo per container, tonnes, within the box's payload limit (equipment.csv); it sets CO2 and how many "
        "boxes a truck may carry (not with unit KG)",
    .default_text = "10 per TEU, 20 per 40-ft box",
    .min = 0,
    .max = 100,
    .min_exclusive = true};
inline constexpr OptionSpec kVolume{
    .name = "volume_m3",
    .type = OptionType::kNumber,
    .help = "Unit KG only: the cargo's volume, cubic metres; air charges max(kg, m3 x 1,000,000 / 6,000) (IATA 1:6000)",
    .default_text = "the weight alone",
    .min = 0,
    .max = kMaxVolumeM3,
    .min_exclusive = true};
inline constexpr OptionSpec kEquipment{
    .name = "equipment",
    .type = OptionType::kChoice,
    .help =
        "Who owns the boxes: coc, the carrier (the published through-rates are for its boxes; adds the empty "
        "return of the destination country) or soc, the shipper (containers only)",
    .default_text = "coc",
    .choices = "coc|soc"};
inline constexpr OptionSpec kValueOfTime{
    .name = "value_of_time",
    .type = OptionType::kNumber,
    .help = "USD per box-hour (unit KG: per tonne-hour) that the generalized cost adds to money",
    .default_text = "the dataset's value_of_time_usd_per_box_hour (KG: _per_tonne_hour)",
    .min = 0,
    .max = kMaxValueOfTime};
inline constexpr OptionSpec kVia{.name = "via",
                                 .type = OptionType::kPlaces,
                                 .help = "Pass through these places, in order",
                                 .max_items = kMaxVia};
inline constexpr OptionSpec kAvoid{.name = "avoid",
                                   .type = OptionType::kAvoid,
                                   .help = "Never enter these places, or any place of these countries (RU, Russia)",
                                   .max_items = kMaxAvoid};
inline constexpr OptionSpec kMode{.name = "mode",
                                  .type = OptionType::kChoices,
                                  .help = "Modes allowed for moving legs",
                                  .default_text = "all",
                                  .max_items = kModeCount,
                                  .choices = "rail|road|ferry|sea|air",
                                  .aliases = "modes"};
inline constexpr OptionSpec kSeed{.name = "seed",
                                  .type = OptionType::kCount,
                                  .help = "Seed of the Monte Carlo; the same seed gives the same figures",
                                  .default_text = "1",
                                  .min = 0,
                                  .max = kMaxSeed};
inline constexpr OptionSpec kThreads{.name = "threads",
                                     .type = OptionType::kCount,
                                     .help = "Threads to use; results do not depend on it",
                                     .default_text = "all cores",
                                     .min = 0,
                                     .max = kMaxThreads,
                                     .local_only = true};
inline constexpr OptionSpec kScenario{.name = "scenario",
                                      .type = OptionType::kScenarios,
                                      .help =
                                          "Scenarios to apply, in order: ids of the dataset's scenarios, or "
                                          "(CLI and Python) paths to TOML files",
                                      .max_items = kMaxScenarios,
                                      .aliases = "scenarios"};

// Setters for the options above, for any request with these members.
inline constexpr auto set_depart = [](auto& r, Instant t) { r.query.depart = t; };
inline constexpr auto set_value_of_time = [](auto& r, double v) { r.query.value_of_time_usd = v; };
inline constexpr auto set_objective = [](auto& r, std::string_view o) { r.query.objective = *parse_objective(o); };
inline constexpr auto set_via = [](auto& r, std::vector<LocationIdx> v) { r.query.via = std::move(v); };
inline constexpr auto set_avoid = [](auto& r, Avoid a) {
  r.query.avoid = std::move(a.places);
  r.query.avoid_countries = std::move(a.countries);
};
inline constexpr auto set_seed = [](auto& r, std::uint64_t n) { r.seed = n; };
inline constexpr auto set_threads = [](auto& r, std::uint64_t n) { r.threads = static_cast<unsigned>(n); };
inline constexpr auto set_scenarios = [](auto& r, std::vector<std::string> s) { r.scenarios = std::move(s); };

/// A unit of s.choices by its name or an alias of parse_unit_kind (HC, 40HC).
Result<UnitKind> read_unit(const OptionSpec& s, const Values& v, const Env& env);

/// A request's table: `before`, the shipment's rows (units, unit,
/// cargo_tonnes, volume_m3, equipment), then `after`. Every request with a
/// RouteQuery lists the shipment this way, so each of its options is declared
/// here once.
template <class R>
std::vector<Option<R>> with_shipment_rows(std::vector<Option<R>> before, const std::vector<Option<R>>& after) {
  const std::vector<Option<R>> shipment = {
      row<R>(kUnits, read::count, [](R& r, std::uint64_t n) { r.query.units = static_cast<std::uint32_t>(n); }),
      row<R>(kUnit, read_unit, [](R& r, UnitKind u) { r.query.unit = u; }),
      row<R>(kCargoTonnes, read::number, [](R& r, double t) { r.query.cargo_per_unit = Mass::from_tonnes(t); }),
      row<R>(kVolume, read::number, [](R& r, double m3) { r.query.volume_m3 = m3; }),
      row<R>(kEquipment, read::choice, [](R& r, std::string_view e) { r.query.equipment = *parse_equipment(e); }),
  };
  before.insert(before.end(), shipment.begin(), shipment.end());
  before.insert(before.end(), after.begin(), after.end());
  return before;
}

/// What the shipment options say together, past each one's own range: a KG
/// shipment takes no cargo_tonnes or equipment and needs road or air; boxes
/// take no volume, need a surface mode and keep cargo within the payload
/// limit of equipment.csv (the planner's check_cargo). `fields` tells what
/// was given; errors name the option at fault.
Status check_shipment(const Network& net, const RouteQuery& q, const RequestFields& fields);

}  // namespace caravan::request
