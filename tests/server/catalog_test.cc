// The catalog of scenarios: saving, deleting, and the indexes it caches,
// including one being built while the scenario it uses is replaced.
#include "catalog.h"

#include <gtest/gtest.h>

#include <condition_variable>
#include <future>
#include <mutex>

#include "running_server.h"

namespace caravan::server {
namespace {

// A valid scenario whose name says which version it is.
std::string scenario_toml(const std::string& version, double median_h) {
  return "name = \"" + version + "\"\n[[measures]]\ntype = \"set_clearance\"\ncrossing = \"khorgos-altynkol-rail\"\n" +
         "median_h = " + std::to_string(median_h) + "\np90_h = " + std::to_string(2 * median_h) + "\n";
}

std::unique_ptr<Catalog> open_catalog(IndexBuilder build = build_index) {
  auto store = ScenarioStore::open(":memory:");
  EXPECT_TRUE(store.ok());
  auto c = Catalog::open(testing::dataset(), {}, std::move(*store), nullptr, std::move(build));
  EXPECT_TRUE(c.ok());
  return std::move(*c);
}

// A builder that records the scenario names it builds for and holds the
// first build until told to go on.
struct PausingBuilder {
  std::mutex mutex;
  std::condition_variable cv;
  bool pause_first = true, building = false, go = false;
  std::vector<std::string> built;

  IndexBuilder builder() {
    return [this](const Network& net, std::vector<Scenario> scenarios) {
      std::unique_lock<std::mutex> lock(mutex);
      built.push_back(scenarios.at(0).name);
      if (pause_first) {
        pause_first = false;
        building = true;
        cv.notify_all();
        cv.wait(lock, [this] { return go; });
      }
      lock.unlock();
      return build_index(net, std::move(scenarios));
    };
  }
  void wait_until_building() {
    std::unique_lock<std::mutex> lock(mutex);
    cv.wait(lock, [this] { return building; });
  }
  void release() {
    std::lock_guard<std::mutex> lock(mutex);
    go = true;
    cv.notify_all();
  }
};

TEST(Catalog, AnIndexBuiltWhileItsScenarioIsReplacedIsNotCached) {
  PausingBuilder b;
  auto catalog = open_catalog(b.builder());
  ASSERT_TRUE(catalog->save(scenario_toml("first", 2.0), "x", "2026-01-01T00:00:00Z").ok());
  // A query starts building the index of "x" (the first version) ...
  auto first = std::async(std::launch::async, [&] { return catalog->index_for({"x"}); });
  b.wait_until_building();
  // ... while "x" is deleted and saved again with other content.
  ASSERT_TRUE(catalog->remove("x").ok());
  ASSERT_TRUE(catalog->save(scenario_toml("second", 30.0), "x", "2026-01-01T00:00:01Z").ok());
  b.release();
  auto stale = first.get();
  ASSERT_TRUE(stale.ok());
  EXPECT_EQ((*stale)->entries.at(0)->scenario.name, "first") << "the query gets what it read";
  // The next query must see the second version: built afresh, not the first from the cache.
  auto fresh = catalog->index_for({"x"});
  ASSERT_TRUE(fresh.ok());
  EXPECT_EQ(b.built, (std::vector<std::string>{"first", "second"}));
  EXPECT_EQ((*fresh)->entries.at(0)->scenario.name, "second");
  EXPECT_NE((*fresh)->generation, (*stale)->generation);
  // And that one is cached.
  auto again = catalog->index_for({"x"});
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->get(), fresh->get());
  EXPECT_EQ(b.built.size(), 2u);
}

TEST(Catalog, DeletingAScenarioDropsItsCachedIndexes) {
  PausingBuilder b;
  b.pause_first = false;
  auto catalog = open_catalog(b.builder());
  ASSERT_TRUE(catalog->save(scenario_toml("first", 2.0), "x", "2026-01-01T00:00:00Z").ok());
  ASSERT_TRUE(catalog->index_for({"x"}).ok());
  ASSERT_TRUE(catalog->index_for({"x"}).ok());
  EXPECT_EQ(b.built.size(), 1u);
  ASSERT_TRUE(catalog->remove("x").ok());
  EXPECT_EQ(catalog->index_for({"x"}).error().code, ErrorCode::kNotFound);
  ASSERT_TRUE(catalog->save(scenario_toml("second", 3.0), "x", "2026-01-01T00:00:01Z").ok());
  auto fresh = catalog->index_for({"x"});
  ASSERT_TRUE(fresh.ok());
  EXPECT_EQ((*fresh)->entries.at(0)->scenario.name, "second");
}

TEST(Catalog, ChangesSayHowTheyFailed) {
  auto catalog = open_catalog();
  ASSERT_TRUE(catalog->save(scenario_toml("first", 2.0), "x", "t").ok());
  EXPECT_EQ(catalog->save(scenario_toml("again", 2.0), "x", "t").failure, ChangeFailure::kTaken);
  EXPECT_EQ(catalog->save("name = [", "y", "t").failure, ChangeFailure::kInvalid);
  EXPECT_EQ(catalog->remove("nope").failure, ChangeFailure::kNotFound);
  ChangeResult removed = catalog->remove("x");
  EXPECT_TRUE(removed.ok());
  EXPECT_EQ(catalog->remove("x").failure, ChangeFailure::kNotFound);
}

}  // namespace
}  // namespace caravan::server
