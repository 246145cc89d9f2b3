// caravan/arc_list.h — plain weighted graphs and query lists from CSV, for
// `caravan bench sssp` and for comparing caravan's search core with other
// shortest-path libraries on the same input.
//
// Two formats, each with a header row, comma-separated, no quoting:
//   edges    `src,dst,weight`  one directed arc per row; node ids are integers
//            0..n-1 (n = largest id + 1); weight a finite number >= 0
//   queries  `src,dst`         one origin-destination pair per row; ids < n
// Blank lines are skipped; `\r\n` line ends are accepted. Parsing uses
// std::from_chars on the file's bytes (no stream per field): a million rows
// take well under a second.
//
// Errors name the place: `edges.csv:7: column weight: negative weight -2
// (expected a number >= 0)`. Parsing stops at the first error.
//
// Thread safety: pure functions.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string_view>
#include <utility>
#include <vector>

#include "caravan/error.h"

namespace caravan {

/// Directed weighted arcs in input order (structure of arrays).
struct ArcList {
  std::uint32_t node_count = 0;  ///< largest id + 1
  std::vector<std::uint32_t> tail, head;
  std::vector<double> weight;
};

/// Origin-destination pairs.
using OdPairs = std::vector<std::pair<std::uint32_t, std::uint32_t>>;

/// Parses an edges file's text; `file` names it in errors.
Result<ArcList> parse_arc_list_csv(std::string_view file, std::string_view text);
/// Parses a queries file's text; ids must be < node_count.
Result<OdPairs> parse_od_pairs_csv(std::string_view file, std::string_view text, std::uint32_t node_count);

/// Reads an edges file in 1 MiB chunks (never the whole file in memory);
/// errors name the file by `path`; not_found when it cannot be read.
Result<ArcList> load_arc_list_csv(const std::filesystem::path& path);
/// Reads a queries file the same way; ids must be < node_count.
Result<OdPairs> load_od_pairs_csv(const std::filesystem::path& path, std::uint32_t node_count);

}  // namespace caravan
