// Shared by the commands that take scenarios, samples and long-running work:
// loading `--scenario` files into an Overlay, and a progress bar on stderr.
#pragma once

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "caravan/request.h"
#include "caravan/scenario.h"
#include "commands.h"

namespace caravan::cli {

/// Loads the named scenarios (ids of the dataset in `data_dir`, or paths;
/// request.h) in order and builds their overlay. Reports errors (file:line)
/// and returns nullptr on failure; `*exit` gets the code. With no names,
/// returns an empty overlay.
std::unique_ptr<Overlay> load_overlay(const Network& net, const std::filesystem::path& data_dir,
                                      const std::vector<std::string>& names, int* exit,
                                      std::vector<Scenario>* parsed = nullptr);

/// A progress bar on stderr, drawn only when stderr is a terminal and the work
/// has run for more than a second. Call update() from one thread at a time.
class ProgressBar {
 public:
  explicit ProgressBar(std::string label);
  ~ProgressBar();
  void update(std::size_t done, std::size_t total);

 private:
  std::string label_;
  bool tty_;
  bool drawn_ = false;
  std::chrono::steady_clock::time_point start_;
  std::chrono::steady_clock::time_point last_;
};

}  // namespace caravan::cli
