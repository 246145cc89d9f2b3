// Internal: an RFC 4180 CSV reader that remembers the line of every row.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "caravan/error.h"

namespace caravan::detail {

struct CsvRow {
  std::uint32_t line = 0;  // 1-based line where the row starts
  std::vector<std::string> fields;
};

struct CsvTable {
  std::string file;  // name used in messages, e.g. "links.csv"
  std::vector<std::string> header;
  std::vector<CsvRow> rows;  // data rows, blank lines skipped

  /// Index of a header column, or -1.
  int column(std::string_view name) const;
};

/// Parses `text` as CSV with a header row. Syntax errors (an unterminated
/// quote, a stray quote inside an unquoted field) are appended to `errors`
/// with file:line; the rows that parsed are kept.
CsvTable parse_csv(std::string file, std::string_view text, Errors& errors);

}  // namespace caravan::detail
