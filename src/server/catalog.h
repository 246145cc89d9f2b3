// Internal: the scenarios a server knows and the search indexes built for
// them.
//
// Two kinds of scenario: the dataset's own files (`<data>/scenarios/*.toml`,
// read-only) and those users saved through the API (ScenarioStore). Both are
// validated the same way: parse_scenario, then Overlay::build alone.
//
// A route query names an ordered list of scenario ids; the overlay, RouteIndex
// and StageModel for that list are built once and cached (a few lists at a
// time, least recently used dropped), with a pool of Planner objects each.
//
// Thread safety: all public methods may be called from any thread.
#pragma once

#include <filesystem>
#include <list>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <vector>

#include "caravan/error.h"
#include "caravan/network.h"
#include "caravan/route.h"
#include "caravan/scenario.h"
#include "caravan/stochastic.h"
#include "scenario_store.h"

namespace caravan::server {

// Planner scratch objects for one RouteIndex, handed out one per request and
// returned after it, so workers reuse warm buffers.
class PlannerPool {
 public:
  explicit PlannerPool(const RouteIndex& index) : index_(index) {}

  class Lease {
   public:
    Lease(PlannerPool& pool, std::unique_ptr<Planner> p) : pool_(pool), planner_(std::move(p)) {}
    ~Lease() { pool_.give_back(std::move(planner_)); }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Planner& operator*() { return *planner_; }
    Planner* operator->() { return planner_.get(); }

   private:
    PlannerPool& pool_;
    std::unique_ptr<Planner> planner_;
  };

  Lease acquire();

 private:
  void give_back(std::unique_ptr<Planner> p);
  const RouteIndex& index_;
  std::mutex mutex_;
  std::vector<std::unique_ptr<Planner>> free_;
};

/// Everything needed to answer queries on the network with an ordered list of
/// scenarios applied (none for the base). Immutable but for the pool.
struct ScenarioIndex {
  std::vector<std::string> ids;
  std::unique_ptr<Overlay> overlay;  // null for the base; address stable for `index`
  std::unique_ptr<RouteIndex> index;
  std::unique_ptr<StageModel> model;
  std::unique_ptr<PlannerPool> planners;
};

/// Builds the index for `scenarios` (in order). Fails like Overlay::build.
Result<std::shared_ptr<ScenarioIndex>> build_index(const Network& net, std::vector<Scenario> scenarios);

enum class ScenarioOrigin : std::uint8_t { kDataset, kSaved };

struct CatalogEntry {
  Scenario scenario;
  std::string toml;
  ScenarioOrigin origin = ScenarioOrigin::kDataset;
  std::string saved_at;  ///< saved ones only
};

class Catalog {
 public:
  /// Loads the dataset's scenario files from `dataset_dir` (none when empty or
  /// absent; a bad file fails) and the saved ones from `store` (a saved one
  /// that no longer validates against the network is skipped and reported in
  /// `*skipped`).
  static Result<std::unique_ptr<Catalog>> open(std::shared_ptr<const Network> net,
                                               const std::filesystem::path& dataset_dir,
                                               std::unique_ptr<ScenarioStore> store, Errors* skipped);

  /// Dataset scenarios first (by file name), then saved ones (by id).
  std::vector<std::shared_ptr<const CatalogEntry>> list() const;
  /// Null when unknown.
  std::shared_ptr<const CatalogEntry> find(const std::string& id) const;

  /// Validates and saves a scenario. `suggested_id` names it when the TOML has
  /// no `id`. Fails with kInvalidInput (bad TOML, bad measure, id taken, bad
  /// id) with file:line messages, or kInternal when the store fails.
  Result<std::shared_ptr<const CatalogEntry>> save(const std::string& toml, const std::string& suggested_id,
                                                   const std::string& now_utc);
  /// Deletes a saved scenario: kNotFound when unknown, kInvalidInput for one
  /// of the dataset's.
  Status remove(const std::string& id);

  /// The index for these scenario ids, in order (empty: the base network).
  /// Fails with kNotFound (field `scenario`) for an unknown id, kInvalidInput
  /// when the combination cannot be built.
  Result<std::shared_ptr<ScenarioIndex>> index_for(const std::vector<std::string>& ids);

  /// Bumped by every save and delete; caches of answers key on it.
  std::uint64_t generation() const;

 private:
  Catalog(std::shared_ptr<const Network> net, std::unique_ptr<ScenarioStore> store)
      : net_(std::move(net)), store_(std::move(store)) {}

  std::shared_ptr<const Network> net_;
  std::unique_ptr<ScenarioStore> store_;
  std::shared_ptr<ScenarioIndex> base_;

  mutable std::shared_mutex mutex_;  // guards entries_, generation_
  std::vector<std::shared_ptr<const CatalogEntry>> entries_;
  std::uint64_t generation_ = 0;

  std::mutex cache_mutex_;                                                   // guards cache_
  std::list<std::pair<std::string, std::shared_ptr<ScenarioIndex>>> cache_;  // most recent first
};

/// True for a scenario id the API accepts: 1 to 64 of [a-z0-9-_], starting with a letter or digit.
bool valid_scenario_id(std::string_view id);

}  // namespace caravan::server
