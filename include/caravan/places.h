// caravan/places.h — finding locations by what people type.
//
// Users name places by id (`khorgos-cn`), name (`Xi'an`) or alias (`Horgos`,
// `Alataw Pass`), in any case, with or without apostrophes, spaces, hyphens
// or diacritics. Resolution prefers an id match, then a name match, then an
// alias match; two different locations at the best tier are ambiguous.
//
// Thread safety: pure functions over an immutable Network.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "caravan/error.h"
#include "caravan/network.h"

namespace caravan {

/// Lowercase ASCII with apostrophes, spaces, hyphens, dots and underscores
/// removed and common Latin diacritics folded (`Małaszewicze` -> `malaszewicze`).
std::string normalize_place_name(std::string_view s);

/// Levenshtein distance of two byte strings; for "did you mean" hints.
std::size_t edit_distance(std::string_view a, std::string_view b);

/// The one location `query` names. Fails with kNotFound (unknown) or
/// kInvalidInput (ambiguous), the message listing the nearest candidates.
Result<LocationIdx> resolve_place(const Network& net, std::string_view query);

/// Up to `limit` locations whose id, name or alias starts with or contains
/// `query`, best first; for autocomplete and suggestions.
std::vector<LocationIdx> search_places(const Network& net, std::string_view query, std::size_t limit);

/// True when `code` is the ISO alpha-2 country of at least one location.
bool has_country(const Network& net, std::string_view code);

}  // namespace caravan
