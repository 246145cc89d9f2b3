// Internal: a CSV cell, quoted as RFC 4180 asks when it needs to be.
#pragma once

#include <string>

namespace caravan::detail {

inline std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\r\n") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

}  // namespace caravan::detail
