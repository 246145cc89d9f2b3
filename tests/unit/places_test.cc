#include <gtest/gtest.h>

#include "caravan/places.h"
#include "test_network.h"

namespace caravan {
namespace {

Network places_net() {
  return testing::load_or_fail(testing::make_files(
      "xian,Xi'an,Xian;Xi'an International Port,CN,city,34.34,108.94,Asia/Shanghai,0,0,USD,t\n"
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
  EXPECT_EQ(r.error().message.rfind("unknown place \"Khorgas\" (nearest: khorgos-cn (Khorgos, CN)", 0), 0u) << r.error().message;
}

TEST(Places, AmbiguousNameListsTheCandidates) {
  Network net = testing::load_or_fail(testing::make_files(
      "a,Port,,KZ,city,43,76,Asia/Almaty,0,0,USD,t\n"
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

}  // namespace
}  // namespace caravan
