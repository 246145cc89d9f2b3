// `caravan bench sssp`: the JSON line, its checksum, and exit 2 with
// file:line on bad input.
#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

namespace {

struct CliResult {
  int exit_code;
  std::string out;
};

CliResult shell(const std::string& args, bool merge_stderr) {
  std::string cmd = std::string(CARAVAN_BINARY) + " " + args + (merge_stderr ? " 2>&1" : " 2>/dev/null");
  FILE* p = popen(cmd.c_str(), "r");
  std::string out;
  std::array<char, 4096> buf;
  std::size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) out.append(buf.data(), n);
  int status = pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

// Two files in a fresh temporary folder, removed afterwards.
struct Files {
  std::filesystem::path dir = std::filesystem::temp_directory_path() /
                              ("caravan-bench-cli-" + std::to_string(::getpid()) + "-" + std::to_string(counter()++));
  Files(const std::string& edges, const std::string& queries) {
    std::filesystem::create_directories(dir);
    std::ofstream(dir / "edges.csv") << edges;
    std::ofstream(dir / "queries.csv") << queries;
  }
  ~Files() { std::filesystem::remove_all(dir); }
  std::string args() const {
    return "bench sssp --edges " + (dir / "edges.csv").string() + " --queries " + (dir / "queries.csv").string();
  }
  static int& counter() {
    static int c = 0;
    return c;
  }
};

TEST(BenchSssp, PrintsOneJsonLineWithTheChecksumOfReachableQueries) {
  // 0->2 is 3.5 via 1 (not 4 direct); 2->0 unreachable adds nothing; 1->1 is 0;
  // 0->1 is 2.25. Sum 5.75.
  Files f("src,dst,weight\n0,1,2.25\n1,2,1.25\n0,2,4\n", "src,dst\n0,2\n2,0\n1,1\n0,1\n");
  CliResult r = shell(f.args(), false);
  ASSERT_EQ(r.exit_code, 0) << r.out;
  ASSERT_FALSE(r.out.empty());
  EXPECT_EQ(r.out.find('\n'), r.out.size() - 1) << "one line: " << r.out;
  auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j.size(), 10u) << r.out;
  EXPECT_GE(j["load_seconds"].get<double>(), 0);
  EXPECT_GE(j["query_seconds"].get<double>(), 0);
  EXPECT_EQ(j["queries"].get<int>(), 4);
  // The four fields every peer prints come first, in this order.
  EXPECT_EQ(r.out.substr(0, 16), "{\"load_seconds\":");
  EXPECT_NE(r.out.find(",\"queries\":4,\"checksum\":5.750,"), std::string::npos) << r.out;
  EXPECT_EQ(j["algorithm"], "alt");
  // Every node has degree 2; node 0 starts the landmark selection and no
  // other node is reached both ways from it: no landmarks, and alt runs
  // bidirectional Dijkstra.
  EXPECT_EQ(j["landmarks"].get<int>(), 0);
  EXPECT_EQ(j["nodes"].get<int>(), 3);
  EXPECT_EQ(j["arcs"].get<int>(), 3);
  // 2 x (4 first_out entries x 4 bytes + 3 arcs x 12 bytes)
  EXPECT_EQ(j["index_bytes"].get<int>(), 104);
  EXPECT_GT(j["settled_nodes"].get<int>(), 0);
}

TEST(BenchSssp, ChecksumRoundsToThreeDecimals) {
  Files f("src,dst,weight\n0,1,0.0004\n1,2,1.2345\n", "src,dst\n0,1\n0,2\n");
  CliResult r = shell(f.args(), false);
  ASSERT_EQ(r.exit_code, 0);
  // 0.0004 + 1.2349 = 1.2353
  EXPECT_NE(r.out.find("\"checksum\":1.235,"), std::string::npos) << r.out;
}

TEST(BenchSssp, ThreadsGiveTheSameChecksum) {
  std::string edges = "src,dst,weight\n", queries = "src,dst\n";
  for (int i = 0; i < 300; ++i) edges += std::to_string(i) + "," + std::to_string(i + 1) + ",0.5\n";
  for (int i = 0; i < 50; ++i) queries += std::to_string(i) + "," + std::to_string(300 - i) + "\n";
  Files f(edges, queries);
  CliResult one = shell(f.args(), false), two = shell(f.args() + " --threads 2", false);
  ASSERT_EQ(one.exit_code, 0);
  ASSERT_EQ(two.exit_code, 0);
  // sum over i < 50 of (300 - 2i) / 2 = (15000 - 2450) / 2 = 6275
  EXPECT_NE(one.out.find("\"checksum\":6275.000,"), std::string::npos) << one.out;
  EXPECT_NE(two.out.find("\"checksum\":6275.000,"), std::string::npos) << two.out;
}

TEST(BenchSssp, EveryAlgorithmGivesTheSameChecksum) {
  // A two-way ring of 200 nodes, arc i -> i+1 weighing 1 and i+1 -> i 2.
  std::string edges = "src,dst,weight\n", queries = "src,dst\n";
  for (int i = 0; i < 200; ++i) {
    edges += std::to_string(i) + "," + std::to_string((i + 1) % 200) + ",1\n";
    edges += std::to_string((i + 1) % 200) + "," + std::to_string(i) + ",2\n";
  }
  // 0 -> 150: 150 steps forward (150) or 50 back (100); 10 -> 20: 10.
  queries += "0,150\n10,20\n";
  Files f(edges, queries);
  for (const char* a : {"alt", "bidijkstra", "dijkstra"}) {
    CliResult r = shell(f.args() + " --algorithm " + a, false);
    ASSERT_EQ(r.exit_code, 0) << a;
    auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["checksum"].get<double>(), 110) << a;
    EXPECT_EQ(j["algorithm"], a);
    EXPECT_EQ(j["landmarks"].get<int>(), std::string(a) == "alt" ? 16 : 0) << a;
  }
  CliResult r = shell(f.args() + " --landmarks 3 --threads 2", false);
  ASSERT_EQ(r.exit_code, 0);
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["checksum"].get<double>(), 110);
  EXPECT_EQ(j["landmarks"].get<int>(), 3);
}

TEST(BenchSssp, BadAlgorithmOrLandmarksExitTwoWithAMessage) {
  Files f("src,dst,weight\n0,1,1\n", "src,dst\n0,1\n");
  CliResult r = shell(f.args() + " --algorithm astar", true);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "caravan: --algorithm: unknown algorithm \"astar\" (expected alt, bidijkstra or dijkstra)\n");
  r = shell(f.args() + " --landmarks 0", true);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "caravan: --landmarks: must be from 1 to 64\n");
  r = shell(f.args() + " --landmarks 65", true);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "caravan: --landmarks: must be from 1 to 64\n");
  r = shell(f.args() + " --algorithm dijkstra --landmarks 8", true);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "caravan: --landmarks: only with --algorithm alt\n");
  EXPECT_EQ(shell(f.args() + " --landmarks many", false).exit_code, 2);
  r = shell(f.args() + " --threads 0", true);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "caravan: --threads: must be from 1 to 256\n");
}

TEST(BenchSssp, MalformedEdgesExitTwoWithFileAndLine) {
  Files f("src,dst,weight\n0,1,1\n1,2,-3\n", "src,dst\n0,1\n");
  CliResult r = shell(f.args(), true);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "caravan: " + (f.dir / "edges.csv").string() +
                       ":3: column weight: negative weight -3 (expected a finite number >= 0)\n");
}

TEST(BenchSssp, BadHeaderAndNonIntegerIdExitTwo) {
  Files bad_header("a,b,c\n", "src,dst\n");
  CliResult r = shell(bad_header.args(), true);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("edges.csv:1: bad header \"a,b,c\" (expected src,dst,weight)"), std::string::npos) << r.out;
  Files bad_id("src,dst,weight\n0,1,1\n", "src,dst\n0,one\n");
  r = shell(bad_id.args(), true);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find("queries.csv:2: column dst: bad node id \"one\""), std::string::npos) << r.out;
}

TEST(BenchSssp, QueryIdOutOfRangeExitsTwo) {
  Files f("src,dst,weight\n0,1,1\n", "src,dst\n0,1\n5,0\n");
  CliResult r = shell(f.args(), true);
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.out.find(
                "queries.csv:3: column src: node 5 out of range (expected an id from 0 to 1 as in the edges file)"),
            std::string::npos)
      << r.out;
}

TEST(BenchSssp, MissingFileAndMissingOptionExitTwo) {
  EXPECT_EQ(shell("bench sssp --edges /nonexistent.csv --queries /nonexistent.csv", false).exit_code, 2);
  EXPECT_EQ(shell("bench sssp --edges x.csv", false).exit_code, 2);
  EXPECT_EQ(shell("bench", false).exit_code, 2);
}

TEST(BenchSssp, HelpTeachesTheFormatsWithAnExample) {
  CliResult r = shell("bench sssp --help", false);
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("src,dst,weight"), std::string::npos);
  EXPECT_NE(r.out.find("checksum"), std::string::npos);
  EXPECT_NE(r.out.find("Examples:"), std::string::npos);
  for (const char* word : {"--algorithm", "alt ", "bidijkstra", "dijkstra ", "--landmarks"}) {
    EXPECT_NE(r.out.find(word), std::string::npos) << word;
  }
}

}  // namespace
