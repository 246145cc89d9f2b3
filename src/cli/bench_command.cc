// `caravan bench sssp --edges E --queries Q [--algorithm A] [--landmarks K]
// [--threads N]`: caravan's search core on a neutral shortest-path problem,
// for comparison with other libraries.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <thread>
#include <utility>

#include <fmt/format.h>

#include "caravan/arc_list.h"
#include "caravan/shortest_path.h"
#include "commands.h"

namespace caravan::cli {
namespace {

constexpr std::uint32_t kDefaultLandmarks = 16;
constexpr std::uint32_t kMaxLandmarks = 64;

struct SsspOptions {
  std::string edges, queries, algorithm = "alt";
  std::uint32_t landmarks = kDefaultLandmarks;
  bool landmarks_given = false;
  unsigned threads = 1;
};

struct AlgorithmName {
  const char* name;
  ShortestPathAlgorithm algorithm;
};
constexpr AlgorithmName kAlgorithms[] = {{"alt", ShortestPathAlgorithm::alt},
                                         {"bidijkstra", ShortestPathAlgorithm::bidirectional_dijkstra},
                                         {"dijkstra", ShortestPathAlgorithm::dijkstra}};

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

int run_sssp(const SsspOptions& o) {
  if (o.threads == 0 || o.threads > 256) return report({Error::invalid("--threads: must be from 1 to 256")});
  const AlgorithmName* algorithm = nullptr;
  for (const AlgorithmName& a : kAlgorithms) {
    if (o.algorithm == a.name) algorithm = &a;
  }
  if (algorithm == nullptr) {
    return report({Error::invalid("--algorithm: unknown algorithm \"" + o.algorithm +
                                  "\" (expected alt, bidijkstra or dijkstra)")});
  }
  const bool alt = algorithm->algorithm == ShortestPathAlgorithm::alt;
  if (o.landmarks_given && !alt) return report({Error::invalid("--landmarks: only with --algorithm alt")});
  if (alt && (o.landmarks == 0 || o.landmarks > kMaxLandmarks)) {
    return report({Error::invalid("--landmarks: must be from 1 to " + std::to_string(kMaxLandmarks))});
  }
  const auto t0 = std::chrono::steady_clock::now();
  std::uint32_t node_count = 0;
  std::unique_ptr<ShortestPathIndex> index;
  {
    auto arcs = load_arc_list_csv(o.edges);
    if (!arcs) return report(arcs.errors());
    node_count = arcs->node_count;
    index = std::make_unique<ShortestPathIndex>(std::move(*arcs), LandmarkOptions{alt ? o.landmarks : 0, o.threads});
  }  // the arc list is freed here: only the index stays in memory
  auto queries = load_od_pairs_csv(o.queries, node_count);
  if (!queries) return report(queries.errors());
  const double load_seconds = seconds_since(t0);

  const OdPairs& pairs = *queries;
  std::vector<double> dist(pairs.size());
  std::vector<std::uint64_t> settled(pairs.size());
  const unsigned threads =
      static_cast<unsigned>(std::min<std::size_t>(o.threads, std::max<std::size_t>(pairs.size(), 1)));
  const auto t1 = std::chrono::steady_clock::now();
  auto work = [&](unsigned part) {
    ShortestPathQuery q(*index);
    for (std::size_t i = part; i < pairs.size(); i += threads) {
      dist[i] = q.distance(pairs[i].first, pairs[i].second, algorithm->algorithm);
      settled[i] = q.settled_nodes();
    }
  };
  if (threads == 1) {
    work(0);
  } else {
    std::vector<std::jthread> pool;
    for (unsigned p = 0; p < threads; ++p) pool.emplace_back(work, p);
  }
  const double query_seconds = seconds_since(t1);

  // Summed in query order, whatever the threads, so the checksum is reproducible.
  double checksum = 0;
  for (double d : dist) {
    if (std::isfinite(d)) checksum += d;
  }
  std::uint64_t settled_total = 0;
  for (std::uint64_t n : settled) settled_total += n;
  std::cout << fmt::format(
      "{{\"load_seconds\":{:.6f},\"query_seconds\":{:.6f},\"queries\":{},\"checksum\":{:.3f},\"algorithm\":\"{}\","
      "\"landmarks\":{},\"settled_nodes\":{},\"nodes\":{},\"arcs\":{},\"index_bytes\":{}}}\n",
      load_seconds, query_seconds, pairs.size(), checksum, algorithm->name, index->landmarks().size(), settled_total,
      index->node_count(), index->arc_count(), index->memory_bytes());
  return std::cout.flush().good() ? kExitOk : kExitInternal;
}

}  // namespace

Runner add_bench_command(CLI::App& app) {
  auto o = std::make_shared<SsspOptions>();
  CLI::App* cmd = app.add_subcommand("bench", "Measure caravan's search core on neutral inputs");
  cmd->description(
      "Benchmarks that other tools can run too. `bench sssp` answers point-to-point shortest-path\n"
      "queries on a plain directed graph with the planner's search core (the same adjacency arrays\n"
      "and priority queue, one criterion; exact) and prints one JSON line.");
  cmd->require_subcommand(1);
  CLI::App* sssp = cmd->add_subcommand("sssp", "Point-to-point shortest distances on a CSV graph, timed");
  sssp->description(
      "Loads EDGES (header src,dst,weight: one directed arc per row, integer node ids 0..n-1,\n"
      "finite weights >= 0) and QUERIES (header src,dst), computes the shortest distance of every\n"
      "query and prints\n"
      "  {\"load_seconds\":…,\"query_seconds\":…,\"queries\":…,\"checksum\":…,\"algorithm\":…,\"landmarks\":…,\n"
      "   \"settled_nodes\":…,\"nodes\":…,\"arcs\":…,\"index_bytes\":…}\n"
      "load_seconds covers reading both files and building the index (for alt, choosing the\n"
      "landmarks too); query_seconds the queries only. checksum is the sum of the finite distances\n"
      "(unreachable pairs add nothing), printed with 3 decimals: compare it with another tool's to\n"
      "check both computed the same answers. settled_nodes is summed over all queries; index_bytes\n"
      "is the memory of the graph arrays and landmark table.\n"
      "\n"
      "Algorithms (all exact, same answers):\n"
      "  alt         bidirectional A* with landmarks and the triangle inequality (default): the\n"
      "              index keeps every node's distance to and from K landmarks (4 bytes per node\n"
      "              and landmark) and each query steers with the 4 best for its source and target\n"
      "  bidijkstra  bidirectional Dijkstra, no preprocessing\n"
      "  dijkstra    one-sided Dijkstra from the source, stopped at the target (what the peers run)");
  sssp->add_option("--edges", o->edges, "Edges CSV: src,dst,weight")->required();
  sssp->add_option("--queries", o->queries, "Queries CSV: src,dst")->required();
  sssp->add_option("--algorithm", o->algorithm, "alt, bidijkstra or dijkstra (default alt)");
  sssp->add_option_function<std::uint32_t>(
      "--landmarks",
      [o](std::uint32_t k) {
        o->landmarks = k;
        o->landmarks_given = true;
      },
      "Landmarks for alt, 1 to 64 (default 16)");
  sssp->add_option("--threads", o->threads, "Threads for the queries and alt's landmark table (default 1)");
  sssp->footer(
      "\nExamples:\n"
      "  printf 'src,dst,weight\\n0,1,2.5\\n1,2,1\\n0,2,4\\n' > edges.csv\n"
      "  printf 'src,dst\\n0,2\\n2,0\\n' > queries.csv\n"
      "  caravan bench sssp --edges edges.csv --queries queries.csv\n"
      "      {\"load_seconds\":0.000051,\"query_seconds\":0.000004,\"queries\":2,\"checksum\":3.500,…}\n"
      "      (0->2 is 3.5 via 1; 2->0 is unreachable and adds nothing)\n"
      "  caravan bench sssp --edges big.csv --queries q.csv --threads 2\n"
      "  caravan bench sssp --edges big.csv --queries q.csv --algorithm bidijkstra\n"
      "  caravan bench sssp --edges big.csv --queries q.csv --landmarks 8\n"
      "\nExit codes: 0 done, 2 bad input (file:line: column: problem (expected …)), 3 internal error.");
  return [o, sssp] {
    if (sssp->parsed()) return run_sssp(*o);
    return kExitBadInput;
  };
}

}  // namespace caravan::cli
