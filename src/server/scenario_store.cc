#include "scenario_store.h"

#include <sqlite3.h>

namespace caravan::server {
namespace {

Error sql_error(sqlite3* db, std::string_view what) {
  return Error::internal("scenario store: " + std::string(what) + ": " + sqlite3_errmsg(db));
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
  std::unique_ptr<ScenarioStore> store(new ScenarioStore(db));
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

Status ScenarioStore::insert(const StoredScenario& s) {
  std::lock_guard<std::mutex> lock(mutex_);
  Statement st(db_, "INSERT INTO scenarios (id, toml, saved_at) VALUES (?1, ?2, ?3)");
  if (!st.ok()) return sql_error(db_, "insert");
  st.bind(1, s.id);
  st.bind(2, s.toml);
  st.bind(3, s.saved_at);
  int rc = sqlite3_step(st.get());
  if (rc == SQLITE_CONSTRAINT) return Error::invalid("scenario \"" + s.id + "\" exists (expected a new id)");
  if (rc != SQLITE_DONE) return sql_error(db_, "insert");
  return {};
}

Status ScenarioStore::remove(const std::string& id) {
  std::lock_guard<std::mutex> lock(mutex_);
  Statement st(db_, "DELETE FROM scenarios WHERE id = ?1");
  if (!st.ok()) return sql_error(db_, "delete");
  st.bind(1, id);
  if (sqlite3_step(st.get()) != SQLITE_DONE) return sql_error(db_, "delete");
  if (sqlite3_changes(db_) == 0) return Error::not_found("unknown scenario \"" + id + "\"");
  return {};
}

}  // namespace caravan::server
