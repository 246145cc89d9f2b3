// Internal: the ISO 3166-1 table, generated at configure time (countries.cmake).
#pragma once

#include <cstddef>

namespace caravan::request {

struct CountryRow {
  const char* code;           // alpha-2
  const char* name;           // short name: "Russian Federation", "Türkiye"
  const char* official_name;  // may be empty
  const char* common_name;    // may be empty: "Iran", "Taiwan"
};

extern const CountryRow kCountryRows[];
extern const std::size_t kCountryRowCount;

}  // namespace caravan::request
