#include "scenario_options.h"

#include <unistd.h>

#include <iostream>

#include "request_options.h"

namespace caravan::cli {

std::unique_ptr<Overlay> load_overlay(const Network& net, const std::filesystem::path& data_dir,
                                      const std::vector<std::string>& names, int* exit, std::vector<Scenario>* parsed) {
  auto loaded = load_named_scenarios(net, data_dir / "scenarios", names);
  if (!loaded) {
    *exit = report_request(loaded.errors());
    return nullptr;
  }
  std::vector<Scenario> scenarios = std::move(*loaded);
  auto ov = Overlay::build(net, scenarios);
  if (!ov) {
    *exit = report(ov.errors());
    return nullptr;
  }
  if (parsed != nullptr) *parsed = std::move(scenarios);
  return std::make_unique<Overlay>(std::move(*ov));
}

ProgressBar::ProgressBar(std::string label)
    : label_(std::move(label)),
      tty_(isatty(STDERR_FILENO) != 0),
      start_(std::chrono::steady_clock::now()),
      last_(start_) {}

ProgressBar::~ProgressBar() {
  if (drawn_) std::cerr << "\r\033[K" << std::flush;
}

void ProgressBar::update(std::size_t done, std::size_t total) {
  if (!tty_ || total == 0) return;
  auto now = std::chrono::steady_clock::now();
  if (now - start_ < std::chrono::seconds(1)) return;
  if (drawn_ && done < total && now - last_ < std::chrono::milliseconds(100)) return;
  last_ = now;
  drawn_ = true;
  const int width = 30;
  int filled = static_cast<int>(static_cast<double>(done) / static_cast<double>(total) * width);
  std::cerr << "\r" << label_ << " [" << std::string(static_cast<std::size_t>(filled), '#')
            << std::string(static_cast<std::size_t>(width - filled), ' ') << "] " << done << "/" << total << std::flush;
}

}  // namespace caravan::cli
