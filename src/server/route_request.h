// Internal: turning HTTP query parameters into core queries.
//
// Parameters mirror `caravan route` (DESIGN.md section 10): from, to, depart,
// units, unit, cargo_tonnes, by, via (repeatable), avoid (repeatable), mode,
// deadline. Every problem is an Error whose `column` names the parameter, so
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

/// Parses a route request. `now` is used for the default departure (the next
/// whole hour). Unknown places fail with kNotFound, everything else wrong with
/// kInvalidInput; unknown parameters are errors too (a typo must not be ignored).
Result<QueryEcho> parse_route_params(const Network& net, const Params& params, Instant now);

/// Parses a strictly positive decimal integer no larger than `max`.
Result<std::uint32_t> parse_count(std::string_view field, std::string_view text, std::uint32_t max);

}  // namespace caravan::server
