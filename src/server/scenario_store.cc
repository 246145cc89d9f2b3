#include "scenario_store.h"

#include <sqlite3.h>

#include <sys/resource.h>
#include <sys/statvfs.h>

#include <cstdint>

namespace caravan::server {
namespace {

Error sql_error(sqlite3* db, std::string_view what) {
  return Error::internal("scenario store: " + std::string(what) + ": " + sqlite3_errmsg(db));
}

// Why there is no room to write the database at `path`, or "" when there is:
// SQLite reports a write past the file size limit, or to a full disk, as a
// plain write error, and its saved errno is not reliable, so look.
std::string no_room(const std::filesystem::path& path) {
  if (path == ":memory:") return "";
  rlimit limit{};
  if (getrlimit(RLIMIT_FSIZE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY) {
    for (const char* suffix : {"", "-wal", "-journal"}) {
      std::error_code ec;
      auto size = std::filesystem::file_size(path.string() + suffix, ec);
      if (!ec && size + 65536 > limit.rlim_cur) {
        return "file size limit of " + std::to_string(limit.rlim_cur) + " bytes reached";
      }
    }
  }
  struct statvfs fs {};
  auto dir = path.has_parent_path() ? path.parent_path() : std::filesystem::path(".");
  if (statvfs(dir.c_str(), &fs) == 0 && static_cast<std::uint64_t>(fs.f_bavail) * fs.f_frsize < (1u << 20)) {
    return "less than 1 MiB free on its disk";
  }
  return "";
}

// A failed write: no room (SQLite's "full", or a write error where the disk
// or the size limit is found full), or anything else.
StoreStatus write_failure(sqlite3* db, const std::filesystem::path& path, int rc, std::string_view what) {
  std::string detail = "scenario store: " + std::string(what) + ": " + sqlite3_errmsg(db) + " (SQLite code " +
                       std::to_string(sqlite3_extended_errcode(db)) + ")";
  std::string room = rc == SQLITE_FULL || (rc & 0xff) == SQLITE_IOERR ? no_room(path) : "";
  if (rc == SQLITE_FULL && room.empty()) room = "the database is at its size limit";
  if (room.empty()) return {StoreCode::kFailed, std::move(detail)};
  return {StoreCode::kFull, detail + ": " + room};
}

// A prepared statement, finalized on scope exit.
class Statement {
 public:
  Statement(sqlite3* db, const char* sql) { rc_ = sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr); }
  ~Statement() { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  bool ok() const { return rc_ == SQLITE_OK; }
  sqlite3_stmt* get() { return stmt_; }
  void bind(int i, const std::string& s) {
    sqlite3_bind_text(stmt_, i, s.data(), static_cast<int>(s.size()), SQLITE_TRANSIENT);
  }

 private:
  sqlite3_stmt* stmt_ = nullptr;
  int rc_ = SQLITE_ERROR;
};

std::string column_text(sqlite3_stmt* s, int i) {
  const unsigned char* t = sqlite3_column_text(s, i);
  return t ? std::string(reinterpret_cast<const char*>(t), static_cast<std::size_t>(sqlite3_column_bytes(s, i)))
           : std::string();
}

}  // namespace

Result<std::unique_ptr<ScenarioStore>> ScenarioStore::open(const std::filesystem::path& path) {
  if (path != ":memory:" && path.has_parent_path()) {
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
  }
  sqlite3* db = nullptr;
  int rc =
      sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    Error e = Error::internal("scenario store: cannot open \"" + path.string() +
                              "\": " + (db ? sqlite3_errmsg(db) : "out of memory"));
    sqlite3_close(db);
    return e;
  }
  std::unique_ptr<ScenarioStore> store(new ScenarioStore(db, path));
  sqlite3_busy_timeout(db, 5000);
  const char* setup =
      "PRAGMA journal_mode=WAL;"
      "PRAGMA synchronous=NORMAL;"
      "CREATE TABLE IF NOT EXISTS scenarios ("
      "  id TEXT PRIMARY KEY NOT NULL,"
      "  toml TEXT NOT NULL,"
      "  saved_at TEXT NOT NULL);";
  char* msg = nullptr;
  if (sqlite3_exec(db, setup, nullptr, nullptr, &msg) != SQLITE_OK) {
    std::string m = msg ? msg : "unknown error";
    sqlite3_free(msg);
    return Error::internal("scenario store: cannot set up \"" + path.string() + "\": " + m);
  }
  // Refuse a damaged file at start rather than fail on some later query.
  Statement check(db, "PRAGMA quick_check");
  std::string verdict = check.ok() && sqlite3_step(check.get()) == SQLITE_ROW ? column_text(check.get(), 0) : "";
  if (verdict != "ok") {
    return Error::internal("scenario store: \"" + path.string() + "\" is damaged (quick_check: " +
                           (verdict.empty() ? std::string(sqlite3_errmsg(db)) : verdict) +
                           "; expected ok: restore a backup or move the file away)");
  }
  return store;
}

ScenarioStore::~ScenarioStore() { sqlite3_close(db_); }

Result<std::vector<StoredScenario>> ScenarioStore::list() {
  std::lock_guard<std::mutex> lock(mutex_);
  Statement st(db_, "SELECT id, toml, saved_at FROM scenarios ORDER BY id");
  if (!st.ok()) return sql_error(db_, "list");
  std::vector<StoredScenario> out;
  int rc;
  while ((rc = sqlite3_step(st.get())) == SQLITE_ROW) {
    out.push_back({column_text(st.get(), 0), column_text(st.get(), 1), column_text(st.get(), 2)});
  }
  if (rc != SQLITE_DONE) return sql_error(db_, "list");
  return out;
}

StoreStatus ScenarioStore::insert(const StoredScenario& s) {
  std::lock_guard<std::mutex> lock(mutex_);
  Statement st(db_, "INSERT INTO scenarios (id, toml, saved_at) VALUES (?1, ?2, ?3)");
  if (!st.ok()) return write_failure(db_, path_, SQLITE_ERROR, "insert");
  st.bind(1, s.id);
  st.bind(2, s.toml);
  st.bind(3, s.saved_at);
  int rc = sqlite3_step(st.get());
  if (rc == SQLITE_CONSTRAINT) return {StoreCode::kExists, "scenario \"" + s.id + "\" exists (expected a new id)"};
  if (rc != SQLITE_DONE) return write_failure(db_, path_, rc, "insert");
  return {};
}

StoreStatus ScenarioStore::remove(const std::string& id) {
  std::lock_guard<std::mutex> lock(mutex_);
  Statement st(db_, "DELETE FROM scenarios WHERE id = ?1");
  if (!st.ok()) return write_failure(db_, path_, SQLITE_ERROR, "delete");
  st.bind(1, id);
  int rc = sqlite3_step(st.get());
  if (rc != SQLITE_DONE) return write_failure(db_, path_, rc, "delete");
  if (sqlite3_changes(db_) == 0) return {StoreCode::kNotFound, "unknown scenario \"" + id + "\""};
  return {};
}

}  // namespace caravan::server
