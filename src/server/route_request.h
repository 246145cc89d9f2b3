// Internal: turning HTTP query parameters into core queries.
//
// Parameters mirror `caravan route` (DESIGN.md section 10): from, to, depart,
// units, unit, cargo_tonnes, by, via (repeatable), avoid (repeatable), mode,
// deadline, samples, seed, scenario (repeatable). Every problem is an Error whose `column` names the parameter, so
// the server can answer {"error": {..., "field": "<name>"}}.
#pragma once

#include <map>
#include <string>

#include "caravan/error.h"
#include "caravan/network.h"
#include "caravan/present.h"

namespace caravan::server {

/// Query parameters as they arrived, a name may repeat (httplib::Params).
using Params = std::multimap<std::string, std::string>;

/// Most via/avoid entries accepted, to bound the work of one request.
inline constexpr std::size_t kMaxPlacesPerList = 16;

/// Most Monte Carlo samples one route request may ask for.
inline constexpr std::uint32_t kMaxSamples = 10000;

/// A parsed GET /v1/route.
struct RouteRequest {
  QueryEcho echo;             ///< query, deadline; scenarios = the ids asked for, in order
  std::uint32_t samples = 0;  ///< Monte Carlo samples; 0: none (1000 when a deadline is given)
  std::uint64_t seed = 1;
};

/// Parses a route request: the parameters of `caravan route` plus samples,
/// seed and scenario (repeatable, ids from /v1/scenarios, applied in order).
/// `now` is used for the default departure (the next whole hour). Unknown
/// places fail with kNotFound, everything else wrong with kInvalidInput;
/// unknown parameters are errors too (a typo must not be ignored). Scenario
/// ids are checked by the caller.
Result<RouteRequest> parse_route_params(const Network& net, const Params& params, Instant now);

/// Parses a strictly positive decimal integer no larger than `max`.
Result<std::uint32_t> parse_count(std::string_view field, std::string_view text, std::uint32_t max);

}  // namespace caravan::server
