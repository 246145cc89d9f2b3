// Boost.Graph peer for `caravan bench sssp`: same input files, same JSON line.
//
// Graph: adjacency_list<vecS, vecS, directedS, no_property,
//        property<edge_weight_t, double>> — the textbook Boost.Graph choice.
// Query: dijkstra_shortest_paths (Boost's 4-ary indirect heap) from the
//        source, with a visitor that throws when the target is examined
//        (settled), so the search stops early at the target like caravan's.
//        The named-parameter call initialises the distance, predecessor and
//        colour maps of all n vertices on every query, as Boost users do.
// Parsing: the whole file read at once and split with std::from_chars, the
//        same technique as caravan's loader, so load times compare parsers
//        of the same kind. Input is assumed well formed (caravan checks it).
//
// Build: g++ -O2 -std=c++17 boost_sssp.cc -o boost_sssp   (header-only Boost)
// Run:   boost_sssp EDGES.csv QUERIES.csv
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/dijkstra_shortest_paths.hpp>

#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <sstream>
#include <string>
#include <vector>

using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS, boost::no_property,
                                    boost::property<boost::edge_weight_t, double>>;
using Vertex = boost::graph_traits<Graph>::vertex_descriptor;

namespace {

struct Reached {};

struct StopAtTarget : boost::default_dijkstra_visitor {
  Vertex target;
  explicit StopAtTarget(Vertex t) : target(t) {}
  void examine_vertex(Vertex u, const Graph&) const {
    if (u == target) throw Reached{};
  }
};

std::string slurp(const char* path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Calls f(fields...) for each data row of a CSV with a header.
template <typename F>
void rows(const std::string& text, F&& f) {
  const char* p = text.data();
  const char* end = p + text.size();
  while (p < end && *p != '\n') ++p;  // header
  while (p < end) {
    ++p;
    if (p >= end || *p == '\n' || *p == '\r') continue;
    p = f(p, end);
  }
}

const char* read_u32(const char* p, const char* end, unsigned& v) {
  auto r = std::from_chars(p, end, v);
  return r.ptr + 1;  // skip the separator
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: boost_sssp EDGES.csv QUERIES.csv\n");
    return 2;
  }
  using clock = std::chrono::steady_clock;
  auto t0 = clock::now();
  std::vector<std::pair<unsigned, unsigned>> arcs;
  std::vector<double> weights;
  unsigned n = 0;
  {
    std::string text = slurp(argv[1]);
    rows(text, [&](const char* p, const char* end) {
      unsigned s = 0, d = 0;
      double w = 0;
      p = read_u32(p, end, s);
      p = read_u32(p, end, d);
      auto r = std::from_chars(p, end, w);
      p = r.ptr;
      while (p < end && *p != '\n') ++p;
      arcs.emplace_back(s, d);
      weights.push_back(w);
      n = std::max(n, std::max(s, d) + 1);
      return p;
    });
  }
  Graph g(n);
  for (std::size_t i = 0; i < arcs.size(); ++i) boost::add_edge(arcs[i].first, arcs[i].second, weights[i], g);
  std::vector<std::pair<unsigned, unsigned>>().swap(arcs);
  std::vector<double>().swap(weights);
  std::vector<std::pair<unsigned, unsigned>> queries;
  {
    std::string text = slurp(argv[2]);
    rows(text, [&](const char* p, const char* end) {
      unsigned s = 0, d = 0;
      p = read_u32(p, end, s);
      auto r = std::from_chars(p, end, d);
      p = r.ptr;
      while (p < end && *p != '\n') ++p;
      queries.emplace_back(s, d);
      return p;
    });
  }
  const double load_s = std::chrono::duration<double>(clock::now() - t0).count();

  std::vector<double> dist(n);
  std::vector<Vertex> pred(n);
  double checksum = 0;
  auto t1 = clock::now();
  for (auto [s, t] : queries) {
    try {
      boost::dijkstra_shortest_paths(
          g, s,
          boost::distance_map(boost::make_iterator_property_map(dist.begin(), boost::get(boost::vertex_index, g)))
              .predecessor_map(boost::make_iterator_property_map(pred.begin(), boost::get(boost::vertex_index, g)))
              .visitor(StopAtTarget(t)));
    } catch (const Reached&) {
    }
    if (dist[t] < std::numeric_limits<double>::max()) checksum += dist[t];
  }
  const double query_s = std::chrono::duration<double>(clock::now() - t1).count();
  std::printf("{\"load_seconds\":%.6f,\"query_seconds\":%.6f,\"queries\":%zu,\"checksum\":%.3f}\n", load_s, query_s,
              queries.size(), checksum);
  return 0;
}
