#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "caravan/places.h"
#include "test_network.h"

namespace caravan {
namespace {

Network places_net() {
  return testing::load_or_fail(
      testing::make_files("xian,Xi'an,Xian;Xi'an International Port,CN,city,34.34,108.94,Asia/Shanghai,0,0,USD,t\n"
                          "khorgos-cn,Khorgos,Horgos;Korgas,CN,bcp,44.21,80.42,Asia/Shanghai,0,0,USD,t\n"
                          "alashankou,Alashankou,Alataw Pass,CN,bcp,45.17,82.57,Asia/Shanghai,0,0,USD,t\n"
                          "malaszewicze,Małaszewicze,,PL,terminal,52.03,23.52,Europe/Warsaw,0,0,USD,t\n"
                          "almaty-1,Almaty,Almaty-1,KZ,terminal,43.24,76.89,Asia/Almaty,0,0,USD,t\n"
                          "almaty-air,Almaty airport,Almaty,KZ,airport,43.35,77.04,Asia/Almaty,0,0,USD,t\n",
                          ""));
}

TEST(Places, ResolvesIdNameAndAliasInAnyCase) {
  Network net = places_net();
  for (const char* q : {"xian", "Xi'an", "XIAN", "xi an", "Xi'an International Port"}) {
    auto r = resolve_place(net, q);
    ASSERT_TRUE(r.ok()) << q;
    EXPECT_EQ(net.locations[*r].id, "xian") << q;
  }
  EXPECT_EQ(net.locations[*resolve_place(net, "Horgos")].id, "khorgos-cn");
  EXPECT_EQ(net.locations[*resolve_place(net, "khorgos")].id, "khorgos-cn");
  EXPECT_EQ(net.locations[*resolve_place(net, "Alataw Pass")].id, "alashankou");
  EXPECT_EQ(net.locations[*resolve_place(net, "malaszewicze")].id, "malaszewicze");
}

TEST(Places, NameBeatsAlias) {
  Network net = places_net();
  // "Almaty" is the name of almaty-1 and an alias of the airport: the name wins.
  EXPECT_EQ(net.locations[*resolve_place(net, "almaty")].id, "almaty-1");
}

TEST(Places, UnknownNameListsNearestCandidates) {
  Network net = places_net();
  auto r = resolve_place(net, "Khorgas");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(r.error().message.rfind("unknown place \"Khorgas\" (nearest: khorgos-cn (Khorgos, CN)", 0), 0u)
      << r.error().message;
}

TEST(Places, AmbiguousNameListsTheCandidates) {
  Network net =
      testing::load_or_fail(testing::make_files("a,Port,,KZ,city,43,76,Asia/Almaty,0,0,USD,t\n"
                                                "b,Port,,KZ,city,43,77,Asia/Almaty,0,0,USD,t\n",
                                                ""));
  auto r = resolve_place(net, "port");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidInput);
  EXPECT_EQ(r.error().message, "ambiguous place \"port\" (expected one of: a (Port, KZ); b (Port, KZ))");
}

TEST(Places, NormalizesDiacriticsAndPunctuation) {
  EXPECT_EQ(normalize_place_name("Małaszewicze"), "malaszewicze");
  EXPECT_EQ(normalize_place_name("Xi'an"), "xian");
  EXPECT_EQ(normalize_place_name("Alataw Pass"), "alatawpass");
  EXPECT_EQ(normalize_place_name("Türkmenbaşy"), "turkmenbasy");
}

TEST(Places, SearchFindsPrefixesForAutocomplete) {
  Network net = places_net();
  auto found = search_places(net, "ala", 3);
  ASSERT_FALSE(found.empty());
  EXPECT_EQ(net.locations[found.front()].id, "alashankou");
}

// A plain reference for search_places: every spelling scored by the full
// edit distance, whatever the query's length.
std::vector<LocationIdx> reference_search(const Network& net, std::string_view query, std::size_t limit) {
  const std::string q = normalize_place_name(query);
  auto distance = [](const std::string& a, const std::string& b) {  // Wagner-Fischer, one row
    std::vector<std::size_t> d(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) d[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
      std::size_t diag = d[0];
      d[0] = i;
      for (std::size_t j = 1; j <= b.size(); ++j) {
        std::size_t up = d[j];
        d[j] = std::min({d[j] + 1, d[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0 : 1)});
        diag = up;
      }
    }
    return d[b.size()];
  };
  std::vector<std::pair<std::size_t, LocationIdx>> scored;
  for (LocationIdx i : net.locations.indexes()) {
    const Location& l = net.locations[i];
    std::vector<std::pair<std::string, std::size_t>> spellings = {{l.id, 0}, {l.name, 1}};
    for (const std::string& a : l.aliases) spellings.emplace_back(a, 2);
    std::size_t best = SIZE_MAX;
    for (const auto& [raw, tier] : spellings) {
      const std::string sp = normalize_place_name(raw);
      std::size_t score = sp == q                                         ? tier
                          : !q.empty() && sp.rfind(q, 0) == 0             ? 10 + tier
                          : !q.empty() && sp.find(q) != std::string::npos ? 20 + tier
                                                                          : 100 + distance(sp, q);
      best = std::min(best, score);
    }
    scored.emplace_back(best, i);
  }
  std::stable_sort(scored.begin(), scored.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<LocationIdx> out;
  for (const auto& [score, i] : scored) {
    if (out.size() >= limit || (score >= 100 && score - 100 > std::max<std::size_t>(3, q.size() / 2))) break;
    out.push_back(i);
  }
  return out;
}

// search_places skips the edit distance where the length gap alone rules a
// spelling out (a long query used to cost |query| x |spelling| per spelling,
// found by the places fuzzer) and computes it bit-parallel; the answers must
// be those of the plain table.
TEST(Places, SearchAgreesWithAFullEditDistanceReferenceOnQueriesOfEveryLength) {
  auto net = load_network(CARAVAN_TEST_DATA_DIR);
  ASSERT_TRUE(net.ok());
  std::mt19937 rng(5);
  const std::string letters = "abcdefghijklmnopqrstuvwxyz -'";
  std::vector<std::string> queries = {"", "xian", "tashknet", "almaty", "alataw pass", std::string(300, 'a')};
  for (std::size_t i = 0; i < net->locations.size(); i += 4) {
    const Location& l = net->locations[LocationIdx(static_cast<std::uint32_t>(i))];
    std::string q = l.name;
    if (!q.empty()) q[rng() % q.size()] = letters[rng() % letters.size()];  // a typo
    queries.push_back(q);
    queries.push_back(l.id + l.id);  // twice as long as a real spelling
    std::string edited = l.id;       // up to three insertions, deletions or substitutions
    for (int e = 0; e < 1 + static_cast<int>(rng() % 3) && !edited.empty(); ++e) {
      std::size_t at = rng() % edited.size();
      char c = letters[rng() % letters.size()];
      switch (rng() % 3) {
        case 0:
          edited.insert(at, 1, c);
          break;
        case 1:
          edited.erase(at, 1);
          break;
        default:
          edited[at] = c;
      }
    }
    queries.push_back(edited);
  }
  for (int k = 0; k < 40; ++k) {
    std::string q(rng() % 40, ' ');
    for (char& c : q) c = letters[rng() % letters.size()];
    queries.push_back(q);
  }
  for (const std::string& q : queries) {
    std::vector<LocationIdx> want = reference_search(*net, q, 8);
    EXPECT_EQ(search_places(*net, q, 8), want) << q;
    want.resize(std::min<std::size_t>(want.size(), 1));
    EXPECT_EQ(search_places(*net, q, 1), want) << q;
  }
}

}  // namespace
}  // namespace caravan
