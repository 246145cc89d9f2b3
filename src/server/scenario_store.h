// Internal: user scenarios saved through the API, in an embedded SQLite
// database (WAL mode, so readers never wait for a writer).
//
// The store keeps raw TOML texts; validation (parse_scenario + Overlay::build)
// happens before put(), exactly as for scenario files. One row per scenario:
// id (primary key), the TOML text and when it was saved.
//
// Thread safety: every method may be called from any thread; a mutex
// serialises use of the one connection.
#pragma once

#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "caravan/error.h"

struct sqlite3;

namespace caravan::server {

struct StoredScenario {
  std::string id;
  std::string toml;
  std::string saved_at;  ///< ISO-8601 UTC
};

class ScenarioStore {
 public:
  /// Opens or creates the database at `path` (":memory:" for a private one).
  /// Fails with kInternal when the file cannot be opened or migrated.
  static Result<std::unique_ptr<ScenarioStore>> open(const std::filesystem::path& path);
  ~ScenarioStore();
  ScenarioStore(const ScenarioStore&) = delete;
  ScenarioStore& operator=(const ScenarioStore&) = delete;

  /// Every saved scenario, by id.
  Result<std::vector<StoredScenario>> list();
  /// Saves a new scenario; fails with kInvalidInput when the id exists.
  Status insert(const StoredScenario& s);
  /// Deletes a scenario; fails with kNotFound when there is none with this id.
  Status remove(const std::string& id);

 private:
  explicit ScenarioStore(sqlite3* db) : db_(db) {}
  std::mutex mutex_;
  sqlite3* db_;
};

}  // namespace caravan::server
