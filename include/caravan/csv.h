// caravan/csv.h — the CSV reader behind every tabular file caravan reads: the
// dataset's tables (network module), calibration.csv (route) and trade-lane
// demand (matrix).
//
// RFC 4180 fields (quotes, doubled quotes, commas and line breaks inside
// quotes), a header row, and the line on which each row starts, so that every
// later problem can be reported as `file:line: column: problem (expected …)`.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "caravan/error.h"

namespace caravan {

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

/// Parses `text` as CSV with a header row; a UTF-8 byte-order mark is skipped.
/// Syntax errors (an unterminated quote, a stray quote inside an unquoted
/// field) are appended to `errors` with file:line; the rows that parsed are
/// kept. A row that is not UTF-8 text (caravan/text.h: Latin-1 bytes, NUL and
/// other control bytes) is an error too, and is kept with each such byte
/// replaced by U+FFFD: no field ever holds bytes that are not text.
CsvTable parse_csv(std::string file, std::string_view text, Errors& errors);

/// Splits a list held in one field, such as `Mon;Thu` or `a; b`, at any of
/// `separators`, trimming spaces around items. Empty input gives no items;
/// empty items between separators are kept (as "") so callers can report them.
std::vector<std::string> split_list(std::string_view text, std::string_view separators = ";");

/// One item of a row's `source` list: `id` cites a source for the whole row;
/// `column=id` cites it for that column only (field-level provenance,
/// docs/data.md). `column` is empty for a whole-row citation.
struct SourceRef {
  std::string column;
  std::string id;
};
/// Splits a `source` field (`a;km=b;speed_kmh=c`) into its items.
std::vector<SourceRef> parse_source_refs(std::string_view field);

}  // namespace caravan
