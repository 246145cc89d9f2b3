// The CSV reader (every dataset table, demand, calibration) and the graph
// reader of `bench sssp --edges`, on arbitrary bytes. Properties: no crash,
// no leak, no field that is not text, rows in line order, every error tied
// to the file.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "caravan/arc_list.h"
#include "caravan/csv.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace caravan;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  Errors errors;
  CsvTable t = parse_csv("fuzz.csv", text, errors);
  for (const std::string& h : t.header) fuzz::require_text(h, "a header field");
  std::uint32_t last_line = 0;
  for (const CsvRow& row : t.rows) {
    if (row.line <= last_line) std::abort();  // rows come in the order of their lines
    last_line = row.line;
    for (const std::string& f : row.fields) {
      fuzz::require_text(f, "a field");
      for (const std::string& item : split_list(f, ";,")) fuzz::require_text(item, "a list item");
    }
  }
  for (const Error& e : errors) {
    if (e.file != "fuzz.csv") std::abort();
  }
  auto arcs = parse_arc_list_csv("edges.csv", text);
  if (arcs.ok() && (arcs->tail.size() != arcs->head.size() || arcs->tail.size() != arcs->weight.size())) std::abort();
  (void)parse_od_pairs_csv("queries.csv", text, arcs.ok() ? arcs->node_count : 1000);
  return 0;
}
