// The scenario store under faults, with `caravan serve` as a child process:
// killed with SIGKILL in the middle of 500 concurrent saves, and writing to a
// disk that is full (a file size limit on the process, RLIMIT_FSIZE: it needs
// no root, no mount and no special file system). After either, every save
// that was acknowledged is there, SQLite's integrity_check says ok, and the
// server starts again on the same file.
#include <fcntl.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <poll.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <thread>

#include "running_server.h"

namespace caravan {
namespace {

using nlohmann::json;
using testing::kData;
using testing::kToken;

// `caravan serve --port 0` on a database file, its stderr in a file beside it.
class ServerProcess {
 public:
  explicit ServerProcess(const std::filesystem::path& db, rlim_t file_size_limit = 0) {
    const std::string binary = CARAVAN_BINARY, db_s = db.string(), data = kData.string(), log = db.string() + ".log",
                      token = std::string("CARAVAN_TOKEN=") + kToken;
    std::vector<const char*> argv = {binary.c_str(), "serve",  "--port",     "0",    "--db",
                                     db_s.c_str(),   "--data", data.c_str(), nullptr};
    std::vector<const char*> envp = {token.c_str()};
    for (char** e = environ; *e != nullptr; ++e) {
      if (std::string_view(*e).rfind("CARAVAN_", 0) != 0) envp.push_back(*e);
    }
    envp.push_back(nullptr);
    int out[2];
    if (::pipe(out) != 0) throw std::runtime_error("pipe");
    pid_ = ::fork();
    if (pid_ == 0) {  // only async-signal-safe calls until exec
      ::dup2(out[1], 1);
      ::close(out[0]);
      ::close(out[1]);
      int err = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      if (err >= 0) ::dup2(err, 2);
      if (file_size_limit != 0) {
        rlimit r{file_size_limit, file_size_limit};
        ::setrlimit(RLIMIT_FSIZE, &r);
        ::signal(SIGXFSZ, SIG_IGN);  // a write past the limit fails with EFBIG instead of killing
      }
      ::execve(argv[0], const_cast<char* const*>(argv.data()), const_cast<char* const*>(envp.data()));
      ::_exit(127);
    }
    ::close(out[1]);
    // The first line on stdout is the URL, printed once the server listens.
    std::string line;
    pollfd p{out[0], POLLIN, 0};
    while (line.find('\n') == std::string::npos && ::poll(&p, 1, 120000) > 0) {
      char buf[256];
      ssize_t n = ::read(out[0], buf, sizeof buf);
      if (n <= 0) break;
      line.append(buf, static_cast<std::size_t>(n));
    }
    ::close(out[0]);
    std::size_t colon = line.rfind(':');
    if (colon == std::string::npos) throw std::runtime_error("server did not start: " + line);
    port_ = std::stoi(line.substr(colon + 1));
  }
  ~ServerProcess() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      wait();
    }
  }
  int port() const { return port_; }
  void signal(int sig) { ::kill(pid_, sig); }
  /// Waits for the process; its exit status (128 + signal when killed).
  int wait() {
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }

  httplib::Client client() const {
    httplib::Client c("127.0.0.1", port_);
    c.set_read_timeout(60);
    c.set_keep_alive(true);
    return c;
  }

 private:
  pid_t pid_ = -1;
  int port_ = 0;
};

std::filesystem::path fresh_dir(const std::string& name) {
  auto dir =
      std::filesystem::temp_directory_path() / ("caravan-store-fault-" + std::to_string(::getpid()) + "-" + name);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir;
}

std::string scenario(int i, std::size_t padding = 0) {
  return "name = \"Save " + std::to_string(i) + "\"\ndescription = \"" + std::string(padding, 'd') +
         "\"\n[[measures]]\ntype = \"set_clearance\"\ncrossing = \"khorgos-altynkol-rail\"\nmedian_h = " +
         std::to_string(1 + i % 40) + ".0\np90_h = 90.0\n";
}

httplib::Result save(httplib::Client& c, const std::string& id, const std::string& toml) {
  return c.Post("/v1/scenarios?id=" + id, {{"Authorization", std::string("Bearer ") + kToken}}, toml,
                "application/toml");
}

// What SQLite finds in the file, opened after the server is gone.
struct Inspection {
  std::string integrity;
  std::map<std::string, std::string> rows;  // id -> toml
};

Inspection inspect(const std::filesystem::path& db) {
  Inspection out;
  sqlite3* h = nullptr;
  EXPECT_EQ(sqlite3_open_v2(db.c_str(), &h, SQLITE_OPEN_READWRITE, nullptr), SQLITE_OK);
  auto each = [&](const char* sql, auto&& row) {
    sqlite3_stmt* st = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(h, sql, -1, &st, nullptr), SQLITE_OK) << sqlite3_errmsg(h);
    while (sqlite3_step(st) == SQLITE_ROW) row(st);
    sqlite3_finalize(st);
  };
  auto text = [](sqlite3_stmt* st, int i) {
    return std::string(reinterpret_cast<const char*>(sqlite3_column_text(st, i)));
  };
  each("PRAGMA integrity_check", [&](sqlite3_stmt* st) { out.integrity += text(st, 0); });
  each("SELECT id, toml FROM scenarios", [&](sqlite3_stmt* st) { out.rows[text(st, 0)] = text(st, 1); });
  sqlite3_close(h);
  return out;
}

std::set<std::string> listed_ids(const ServerProcess& p) {
  std::set<std::string> ids;
  auto r = p.client().Get("/v1/scenarios");
  EXPECT_TRUE(r && r->status == 200);
  if (r) {
    const json body = json::parse(r->body);
    for (const auto& s : body["scenarios"]) ids.insert(s["id"].get<std::string>());
  }
  return ids;
}

TEST(StoreFaults, EveryAcknowledgedSaveSurvivesKill9DuringConcurrentSaves) {
  const auto db = fresh_dir("kill") / "scenarios.sqlite";
  std::map<std::string, std::string> acked;
  {
    ServerProcess server(db);
    std::mutex mutex;
    std::atomic<int> next{0};
    std::atomic<bool> killed{false};
    std::vector<std::thread> clients;
    for (int t = 0; t < 16; ++t) {
      clients.emplace_back([&] {
        httplib::Client c = server.client();
        for (int i; (i = next++) < 500;) {
          const std::string id = "s" + std::to_string(i), toml = scenario(i);
          auto r = save(c, id, toml);
          if (!r || r->status != 201) continue;
          std::lock_guard<std::mutex> lock(mutex);
          acked[id] = toml;
          // Killed with saves in flight on every client, half way through.
          if (acked.size() == 250 && !killed.exchange(true)) server.signal(SIGKILL);
        }
      });
    }
    for (auto& t : clients) t.join();
    EXPECT_TRUE(killed);
    EXPECT_EQ(server.wait(), 128 + SIGKILL);
  }
  ASSERT_GE(acked.size(), 250u);
  Inspection after = inspect(db);
  EXPECT_EQ(after.integrity, "ok");
  for (const auto& [id, toml] : acked) {
    auto it = after.rows.find(id);
    ASSERT_NE(it, after.rows.end()) << "acknowledged save " << id << " is lost";
    EXPECT_EQ(it->second, toml) << id;
  }
  ServerProcess again(db);
  std::set<std::string> ids = listed_ids(again);
  for (const auto& [id, toml] : acked) EXPECT_EQ(ids.count(id), 1u) << id;
}

TEST(StoreFaults, AFullDiskGivesAClearErrorAndLeavesTheStoreIntact) {
  const auto db = fresh_dir("full") / "scenarios.sqlite";
  std::map<std::string, std::string> acked;
  {
    ServerProcess server(db, 128 * 1024);  // no file of the process may pass 128 KiB
    httplib::Client c = server.client();
    std::optional<std::pair<int, std::string>> refused;  // status, body
    for (int i = 0; i < 400 && !refused; ++i) {
      const std::string id = "f" + std::to_string(i), toml = scenario(i, 1500);
      auto r = save(c, id, toml);
      ASSERT_TRUE(r);
      if (r->status == 201) {
        acked[id] = toml;
      } else {
        refused.emplace(r->status, r->body);
      }
    }
    ASSERT_TRUE(refused) << "the store never filled up";
    EXPECT_GT(acked.size(), 0u);
    EXPECT_EQ(refused->first, 507) << refused->second;
    json error = json::parse(refused->second)["error"];
    EXPECT_EQ(error["code"], "store_full");
    EXPECT_NE(error["message"].get<std::string>().find("full"), std::string::npos);
    // Still full, still said clearly; and everything else keeps working.
    auto again = save(c, "one-more", scenario(1000, 1500));
    ASSERT_TRUE(again);
    EXPECT_EQ(again->status, 507);
    std::set<std::string> ids = listed_ids(server);
    for (const auto& [id, toml] : acked) EXPECT_EQ(ids.count(id), 1u) << id;
    EXPECT_EQ(ids.count("one-more"), 0u) << "a refused save must not appear saved";
    auto route = c.Get("/v1/route?from=xian&to=almaty&depart=2026-03-02T08:00Z");
    EXPECT_EQ(route->status, 200);
    server.signal(SIGTERM);
    EXPECT_EQ(server.wait(), 0) << "stops cleanly";
  }
  Inspection after = inspect(db);
  EXPECT_EQ(after.integrity, "ok");
  EXPECT_EQ(after.rows, acked);
  ServerProcess roomy(db);  // no limit now: the same file serves again
  std::set<std::string> ids = listed_ids(roomy);
  for (const auto& [id, toml] : acked) EXPECT_EQ(ids.count(id), 1u) << id;
  httplib::Client c = roomy.client();
  auto saved = save(c, "after-the-fault", scenario(7));
  ASSERT_TRUE(saved);
  EXPECT_EQ(saved->status, 201);
}

}  // namespace
}  // namespace caravan
