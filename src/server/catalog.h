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
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <optional>
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

enum class ScenarioOrigin : std::uint8_t { kDataset, kSaved };

struct CatalogEntry {
  Scenario scenario;
  std::string toml;
  ScenarioOrigin origin = ScenarioOrigin::kDataset;
  std::string saved_at;  ///< saved ones only
};

/// Everything needed to answer queries on the network with an ordered list of
/// scenarios applied (none for the base). Immutable but for the pool.
struct ScenarioIndex {
  std::vector<std::string> ids;
  /// The catalog entries it was built from, in order, and the catalog's
  /// generation when they were read: (ids, generation) names its content, so
  /// caches of answers key on it.
  std::vector<std::shared_ptr<const CatalogEntry>> entries;
  std::uint64_t generation = 0;
  std::unique_ptr<Overlay> overlay;  // null for the base; address stable for `index`
  std::unique_ptr<RouteIndex> index;
  std::unique_ptr<StageModel> model;
  std::unique_ptr<PlannerPool> planners;
};

/// Builds the index for `scenarios` (in order). Fails like Overlay::build.
Result<std::shared_ptr<ScenarioIndex>> build_index(const Network& net, std::vector<Scenario> scenarios);
using IndexBuilder = std::function<Result<std::shared_ptr<ScenarioIndex>>(const Network&, std::vector<Scenario>)>;

/// How a change to the saved scenarios failed.
enum class ChangeFailure : std::uint8_t {
  kInvalid,      ///< bad TOML, measure or id (the errors have file:line)
  kTaken,        ///< save: the id exists
  kNotFound,     ///< remove: no scenario has the id
  kReadOnly,     ///< remove: one of the dataset's scenarios
  kStoreFull,    ///< the database cannot grow (disk full, or a size limit)
  kStoreFailed,  ///< any other database failure
};

struct ChangeResult {
  std::shared_ptr<const CatalogEntry> entry;  ///< save: the saved scenario
  std::optional<ChangeFailure> failure;       ///< empty: done
  Errors errors;                              ///< on failure: what is wrong
  bool ok() const { return !failure; }
};

class Catalog {
 public:
  /// Loads the dataset's scenario files from `dataset_dir` (none when empty or
  /// absent; a bad file fails) and the saved ones from `store` (a saved one
  /// that no longer validates against the network is skipped and reported in
  /// `*skipped`).
  /// `build` makes the index of a scenario list (build_index; tests may
  /// pass one that pauses).
  static Result<std::unique_ptr<Catalog>> open(std::shared_ptr<const Network> net,
                                               const std::filesystem::path& dataset_dir,
                                               std::unique_ptr<ScenarioStore> store, Errors* skipped,
                                               IndexBuilder build = build_index);

  /// Dataset scenarios first (by file name), then saved ones (by id).
  std::vector<std::shared_ptr<const CatalogEntry>> list() const;
  /// Null when unknown.
  std::shared_ptr<const CatalogEntry> find(const std::string& id) const;

  /// Validates and saves a scenario. `suggested_id` names it when the TOML has
  /// no `id`. Fails with kInvalid (bad TOML, bad measure, bad id; file:line
  /// messages), kTaken, kStoreFull or kStoreFailed; the catalog is unchanged then.
  ChangeResult save(const std::string& toml, const std::string& suggested_id, const std::string& now_utc);
  /// Deletes a saved scenario; fails with kNotFound, kReadOnly (one of the
  /// dataset's), kStoreFull or kStoreFailed.
  ChangeResult remove(const std::string& id);

  /// The index for these scenario ids, in order (empty: the base network).
  /// Fails with kNotFound (field `scenario`) for an unknown id, kInvalidInput
  /// when the combination cannot be built. The index matches the scenarios
  /// as they were when the call began or later, never older ones: one built
  /// while a scenario it uses was deleted or replaced is used for this call
  /// only, not cached.
  Result<std::shared_ptr<ScenarioIndex>> index_for(const std::vector<std::string>& ids);

  /// Bumped by every save and delete; caches of answers key on it.
  std::uint64_t generation() const;

 private:
  Catalog(std::shared_ptr<const Network> net, std::unique_ptr<ScenarioStore> store, IndexBuilder build)
      : net_(std::move(net)), store_(std::move(store)), build_(std::move(build)) {}

  std::shared_ptr<const Network> net_;
  std::unique_ptr<ScenarioStore> store_;
  IndexBuilder build_;
  std::shared_ptr<ScenarioIndex> base_;

  mutable std::shared_mutex mutex_;  // guards entries_, generation_
  std::vector<std::shared_ptr<const CatalogEntry>> entries_;
  std::uint64_t generation_ = 0;

  std::mutex cache_mutex_;  // guards cache_; taken after mutex_ when both are held
  std::list<std::pair<std::string, std::shared_ptr<ScenarioIndex>>> cache_;  // most recent first
};

/// True for a scenario id the API accepts: 1 to 64 of [a-z0-9-_], starting with a letter or digit.
bool valid_scenario_id(std::string_view id);

}  // namespace caravan::server
