// Internal: options that several requests share, each written once. Requests
// that carry a RouteQuery `query` (route, matrix, compare) take the shipment
// options through the generic setters below.
#pragma once

#include <limits>

#include "option.h"

namespace caravan::request {

inline constexpr double kMaxSeed = static_cast<double>(std::numeric_limits<std::uint64_t>::max());
inline constexpr double kMaxThreads = 256;

inline constexpr OptionSpec kDepart{
    .name = "depart",
    .type = OptionType::kInstant,
    .help = "When the cargo is ready, ISO-8601; no offset means UTC",
    .default_text = "the next whole hour"};
inline constexpr OptionSpec kUnits{.name = "units",
                                   .type = OptionType::kCount,
                                   .help = "Number of containers",
                                   .default_text = "1",
                                   .min = 1,
                                   .max = kMaxUnits};
inline constexpr OptionSpec kUnit{.name = "unit",
                                  .type = OptionType::kChoice,
                                  .help = "Container size; an FEU counts as two TEU",
                                  .default_text = "FEU",
                                  .choices = "TEU|FEU"};
inline constexpr OptionSpec kCargoTonnes{.name = "cargo_tonnes",
                                         .type = OptionType::kNumber,
                                         .help = "Cargo mass per container, tonnes (for CO2)",
                                         .default_text = "10 per TEU, 20 per FEU",
                                         .min = 0,
                                         .max = 100,
                                         .min_exclusive = true};
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
                                      .help = "Scenarios to apply, in order: ids of the dataset's scenarios, or "
                                              "(CLI and Python) paths to TOML files",
                                      .max_items = kMaxScenarios,
                                      .aliases = "scenarios"};

// Setters for the options above, for any request with these members.
inline constexpr auto set_depart = [](auto& r, Instant t) { r.query.depart = t; };
inline constexpr auto set_units = [](auto& r, std::uint64_t n) { r.query.units = static_cast<std::uint32_t>(n); };
inline constexpr auto set_unit = [](auto& r, std::string_view u) { r.query.unit = *parse_unit_kind(u); };
inline constexpr auto set_cargo = [](auto& r, double t) { r.query.cargo_per_unit = Mass::from_tonnes(t); };
inline constexpr auto set_via = [](auto& r, std::vector<LocationIdx> v) { r.query.via = std::move(v); };
inline constexpr auto set_avoid = [](auto& r, Avoid a) {
  r.query.avoid = std::move(a.places);
  r.query.avoid_countries = std::move(a.countries);
};
inline constexpr auto set_seed = [](auto& r, std::uint64_t n) { r.seed = n; };
inline constexpr auto set_threads = [](auto& r, std::uint64_t n) { r.threads = static_cast<unsigned>(n); };
inline constexpr auto set_scenarios = [](auto& r, std::vector<std::string> s) { r.scenarios = std::move(s); };

}  // namespace caravan::request
