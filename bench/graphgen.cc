// caravan_graphgen NODES QUERIES SEED OUT_DIR — writes OUT_DIR/edges.csv and
// OUT_DIR/queries.csv: a seeded road-like graph (caravan/synth.h) and
// origin-destination pairs, the input of `caravan bench sssp` and the peers.
#include <charconv>
#include <cstdio>
#include <filesystem>
#include <string_view>

#include "caravan/synth.h"

namespace {

bool number(const char* text, std::uint64_t& out) {
  std::string_view s(text);
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && p == s.data() + s.size();
}

}  // namespace

int main(int argc, char** argv) {
  std::uint64_t nodes = 0, queries = 0, seed = 0;
  if (argc != 5 || !number(argv[1], nodes) || !number(argv[2], queries) || !number(argv[3], seed) || nodes < 1 ||
      nodes > 100'000'000 || queries > 100'000'000) {
    std::fprintf(stderr,
                 "usage: caravan_graphgen NODES QUERIES SEED OUT_DIR\n"
                 "  e.g. caravan_graphgen 1000000 200 1 build/peers/1m\n");
    return 2;
  }
  std::filesystem::path dir(argv[4]);
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  auto n = static_cast<std::uint32_t>(nodes);
  caravan::ArcList g = caravan::generate_road_graph(n, seed);
  caravan::OdPairs q = caravan::generate_od_pairs(n, static_cast<std::uint32_t>(queries), seed);
  for (caravan::Status s :
       {caravan::write_arc_list_csv(g, dir / "edges.csv"), caravan::write_od_pairs_csv(q, dir / "queries.csv")}) {
    if (!s.ok()) {
      std::fprintf(stderr, "caravan_graphgen: %s\n", s.to_string().c_str());
      return 2;
    }
  }
  std::printf("%u nodes, %zu arcs, %zu queries in %s\n", n, g.tail.size(), q.size(), dir.string().c_str());
  return 0;
}
