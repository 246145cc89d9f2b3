// Reading plain graphs and query lists: values, and one test per error with
// its exact message and line.
#include <cstdio>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>
#include <unistd.h>

#include "caravan/arc_list.h"

namespace caravan {
namespace {

std::string edges_error(std::string_view text) {
  auto r = parse_arc_list_csv("edges.csv", text);
  return r.ok() ? "ok" : r.error().to_string();
}

std::string queries_error(std::string_view text, std::uint32_t n) {
  auto r = parse_od_pairs_csv("queries.csv", text, n);
  return r.ok() ? "ok" : r.error().to_string();
}

TEST(ArcList, ReadsArcsInOrderAndCountsNodesFromTheLargestId) {
  auto g = parse_arc_list_csv("edges.csv", "src,dst,weight\n0,1,2.5\n4,0,0\n1,2,1e3\n");
  ASSERT_TRUE(g.ok()) << g.error().to_string();
  EXPECT_EQ(g->node_count, 5u);
  EXPECT_EQ(g->tail, (std::vector<std::uint32_t>{0, 4, 1}));
  EXPECT_EQ(g->head, (std::vector<std::uint32_t>{1, 0, 2}));
  EXPECT_EQ(g->weight, (std::vector<double>{2.5, 0, 1000}));
}

TEST(ArcList, AcceptsCrLfBlankLinesAndNoFinalNewline) {
  auto g = parse_arc_list_csv("edges.csv", "src,dst,weight\r\n0,1,2\r\n\r\n1,0,3");
  ASSERT_TRUE(g.ok()) << g.error().to_string();
  EXPECT_EQ(g->tail.size(), 2u);
  EXPECT_EQ(g->weight[1], 3);
}

TEST(ArcList, HeaderOnlyIsAnEmptyGraph) {
  auto g = parse_arc_list_csv("edges.csv", "src,dst,weight\n");
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(g->node_count, 0u);
}

TEST(ArcList, RejectsBadHeader) {
  EXPECT_EQ(edges_error("from,to,cost\n0,1,2\n"), "edges.csv:1: bad header \"from,to,cost\" (expected src,dst,weight)");
}

TEST(ArcList, RejectsEmptyFile) {
  EXPECT_EQ(edges_error(""), "edges.csv:1: empty file (expected the header src,dst,weight)");
}

TEST(ArcList, RejectsNonIntegerId) {
  EXPECT_EQ(edges_error("src,dst,weight\n0,1,2\n1,x2,3\n"),
            "edges.csv:3: column dst: bad node id \"x2\" (expected an integer from 0 to 2147483646)");
  EXPECT_EQ(edges_error("src,dst,weight\n1.5,2,3\n"),
            "edges.csv:2: column src: bad node id \"1.5\" (expected an integer from 0 to 2147483646)");
  EXPECT_EQ(edges_error("src,dst,weight\n-1,2,3\n"),
            "edges.csv:2: column src: bad node id \"-1\" (expected an integer from 0 to 2147483646)");
  EXPECT_EQ(edges_error("src,dst,weight\n3000000000,2,3\n"),
            "edges.csv:2: column src: bad node id \"3000000000\" (expected an integer from 0 to 2147483646)");
}

TEST(ArcList, RejectsNegativeWeight) {
  EXPECT_EQ(edges_error("src,dst,weight\n0,1,2\n\n1,2,-0.5\n"),
            "edges.csv:4: column weight: negative weight -0.5 (expected a finite number >= 0)");
}

TEST(ArcList, RejectsNaNAndInfiniteWeights) {
  EXPECT_EQ(edges_error("src,dst,weight\n0,1,nan\n"),
            "edges.csv:2: column weight: weight is not finite \"nan\" (expected a finite number >= 0)");
  EXPECT_EQ(edges_error("src,dst,weight\n0,1,inf\n"),
            "edges.csv:2: column weight: weight is not finite \"inf\" (expected a finite number >= 0)");
}

TEST(ArcList, RejectsMalformedWeight) {
  EXPECT_EQ(edges_error("src,dst,weight\n0,1,2km\n"),
            "edges.csv:2: column weight: bad weight \"2km\" (expected a finite number >= 0)");
  EXPECT_EQ(edges_error("src,dst,weight\n0,1,\n"),
            "edges.csv:2: column weight: bad weight \"\" (expected a finite number >= 0)");
}

TEST(ArcList, RejectsWrongFieldCount) {
  EXPECT_EQ(edges_error("src,dst,weight\n0,1\n"), "edges.csv:2: row has 2 fields (expected 3: src,dst,weight)");
  EXPECT_EQ(edges_error("src,dst,weight\n0,1,2,3\n"),
            "edges.csv:2: row has more than 3 fields (expected 3: src,dst,weight)");
}

TEST(OdPairs, ReadsPairs) {
  auto q = parse_od_pairs_csv("queries.csv", "src,dst\n0,2\n2,0\n", 3);
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(*q, (OdPairs{{0, 2}, {2, 0}}));
}

TEST(OdPairs, RejectsIdOutOfRange) {
  EXPECT_EQ(queries_error("src,dst\n0,2\n1,3\n", 3),
            "queries.csv:3: column dst: node 3 out of range (expected an id from 0 to 2 as in the edges file)");
  EXPECT_EQ(
      queries_error("src,dst\n0,0\n", 0),
      "queries.csv:2: column src: node 0 out of range (expected no query: the graph has no node as in the edges file)");
}

TEST(OdPairs, RejectsBadHeaderAndFields) {
  EXPECT_EQ(queries_error("src,dst,weight\n0,1,2\n", 3),
            "queries.csv:1: bad header \"src,dst,weight\" (expected src,dst)");
  EXPECT_EQ(queries_error("src,dst\n0\n", 3), "queries.csv:2: row has 1 fields (expected 2: src,dst)");
}

struct TempFile {
  std::filesystem::path path =
      std::filesystem::temp_directory_path() / ("caravan-arc-list-" + std::to_string(::getpid()) + ".csv");
  ~TempFile() { std::filesystem::remove(path); }
};

TEST(ArcList, FileReadInChunksEqualsTextAndKeepsLineNumbersAcrossChunks) {
  TempFile f;
  std::string text = "src,dst,weight\n";
  for (int i = 0; i < 150'000; ++i)
    text += std::to_string(i) + "," + std::to_string(i + 1) + "," + std::to_string(i % 97) + ".25\n";
  {
    std::ofstream out(f.path, std::ios::binary);
    out << text;
  }
  ASSERT_GT(text.size(), 2u << 20);  // spans several 1 MiB chunks
  auto from_file = load_arc_list_csv(f.path);
  auto from_text = parse_arc_list_csv("x", text);
  ASSERT_TRUE(from_file.ok()) << from_file.error().to_string();
  EXPECT_EQ(from_file->node_count, 150'001u);
  EXPECT_EQ(from_file->tail, from_text->tail);
  EXPECT_EQ(from_file->head, from_text->head);
  EXPECT_EQ(from_file->weight, from_text->weight);
  {
    std::ofstream out(f.path, std::ios::binary);
    out << text << "7,8,-1\n";
  }
  auto bad = load_arc_list_csv(f.path);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().to_string(),
            f.path.string() + ":150002: column weight: negative weight -1 (expected a finite number >= 0)");
}

TEST(ArcList, MissingFileIsNotFound) {
  auto r = load_arc_list_csv("/nonexistent/edges.csv");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(r.error().to_string(), "/nonexistent/edges.csv: no such file");
}

}  // namespace
}  // namespace caravan
