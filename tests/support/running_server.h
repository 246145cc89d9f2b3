// A caravan Server for tests: on 127.0.0.1, an ephemeral port, its own
// thread, over the embedded dataset, with the access log kept in memory.
#pragma once

#include <httplib.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "caravan/load.h"
#include "caravan/server.h"

namespace caravan::testing {

inline constexpr const char* kToken = "test-token-0123456789abcdef";
inline const std::filesystem::path kData = CARAVAN_TEST_DATA_DIR;

inline std::shared_ptr<const Network> dataset() {
  static std::shared_ptr<const Network> net = [] {
    auto n = load_network(kData);
    if (!n) throw std::runtime_error(to_string(n.errors()));
    return std::make_shared<const Network>(std::move(n).value());
  }();
  return net;
}

inline std::filesystem::path temp_db() {
  static std::atomic<int> n{0};
  auto dir = std::filesystem::temp_directory_path() / ("caravan-server-test-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  auto p = dir / ("s" + std::to_string(n++) + ".sqlite");
  std::filesystem::remove(p);
  return p;
}

// A server running on its own thread for the life of the object.
class RunningServer {
 public:
  explicit RunningServer(ServerOptions o) {
    o.bind = "127.0.0.1";
    o.port = 0;
    o.access_log = [this](std::string_view line) {
      std::lock_guard<std::mutex> lock(mutex_);
      log_.emplace_back(line);
    };
    auto s = Server::create(dataset(), std::move(o));
    if (!s) throw std::runtime_error(to_string(s.errors()));
    server_ = std::move(*s);
    thread_ = std::thread([this] { status_ = server_->run(); });
  }
  ~RunningServer() { stop(); }
  void stop() {
    if (thread_.joinable()) {
      server_->stop();
      thread_.join();
    }
  }
  int port() const { return server_->port(); }
  std::vector<std::string> log() {
    std::lock_guard<std::mutex> lock(mutex_);
    return log_;
  }

  httplib::Client client() const {
    httplib::Client c("127.0.0.1", port());
    c.set_read_timeout(120);
    return c;
  }

 private:
  std::unique_ptr<Server> server_;
  std::thread thread_;
  Status status_;
  std::mutex mutex_;
  std::vector<std::string> log_;
};

inline ServerOptions default_options() {
  ServerOptions o;
  o.token = kToken;
  o.scenario_dir = kData / "scenarios";
  o.db_path = temp_db();
  return o;
}

}  // namespace caravan::testing
