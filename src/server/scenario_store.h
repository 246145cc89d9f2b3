// Internal: user scenarios saved through the API, in an embedded SQLite
// database (WAL mode, so readers never wait for a writer).
//
// The store keeps raw TOML texts; validation (parse_scenario + Overlay::build)
// happens before put(), exactly as for scenario files. One row per scenario:
// id (primary key), the TOML text and when it was saved.
//
// A database that cannot grow (its disk is full, or the process may not
// write files that large) fails the write that needed the room with kFull;
// SQLite rolls the write back, so what was saved before stays intact.
//
// Thread safety: every method may be called from any thread; a mutex
// serialises use of the one connection.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "caravan/error.h"

struct sqlite3;

namespace caravan::server {

/// How a write went.
enum class StoreCode : std::uint8_t {
  kOk,
  kExists,    ///< insert: the id is taken
  kNotFound,  ///< remove: no scenario has the id
  kFull,      ///< no room to write: disk full or file size limit
  kFailed,    ///< any other database failure (message has SQLite's words)
};

struct StoreStatus {
  StoreCode code = StoreCode::kOk;
  std::string message;  ///< empty when ok
  bool ok() const { return code == StoreCode::kOk; }
};

struct StoredScenario {
  std::string id;
  std::string toml;
  std::string saved_at;  ///< ISO-8601 UTC
};

class ScenarioStore {
 public:
  /// Opens or creates the database at `path` (":memory:" for a private one).
  /// Fails with kInternal when the file cannot be opened or migrated, or
  /// when it is corrupt (SQLite's quick_check).
  static Result<std::unique_ptr<ScenarioStore>> open(const std::filesystem::path& path);
  ~ScenarioStore();
  ScenarioStore(const ScenarioStore&) = delete;
  ScenarioStore& operator=(const ScenarioStore&) = delete;

  /// Every saved scenario, by id.
  Result<std::vector<StoredScenario>> list();
  /// Saves a new scenario: kOk, kExists, kFull or kFailed.
  StoreStatus insert(const StoredScenario& s);
  /// Deletes a scenario: kOk, kNotFound, kFull or kFailed.
  StoreStatus remove(const std::string& id);

 private:
  ScenarioStore(sqlite3* db, std::filesystem::path path) : db_(db), path_(std::move(path)) {}
  std::mutex mutex_;
  sqlite3* db_;
  std::filesystem::path path_;
};

}  // namespace caravan::server
