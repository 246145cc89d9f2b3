// `caravan` — plans, prices and stress-tests freight across Central Asia.
// Thin: parses arguments, calls the library, prints, maps errors to exit codes.
#include <cstdio>
#include <exception>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include "commands.h"

namespace caravan::cli {

int exit_code(const Error& e) {
  switch (e.code) {
    case ErrorCode::kInvalidInput:
    case ErrorCode::kNotFound: return kExitBadInput;
    case ErrorCode::kNoRoute: return kExitNothingFound;
    case ErrorCode::kInternal: return kExitInternal;
    case ErrorCode::kOverBudget: return kExitBadInput;
    case ErrorCode::kDeadline: return kExitInternal;
  }
  return kExitInternal;
}

int report(const Errors& errors) {
  for (const Error& e : errors) std::cerr << "caravan: " << e.to_string() << "\n";
  return errors.empty() ? kExitInternal : exit_code(errors.front());
}

}  // namespace caravan::cli

int main(int argc, char** argv) {
  using namespace caravan::cli;
  CLI::App app{
      "caravan plans, prices and stress-tests freight across the corridors linking China, Central Asia,\n"
      "the Caspian, Europe and Iran: rail on 1435 and 1520 mm gauge, road, ferry, sea and air, with\n"
      "border crossings that take time, cost money, change gauge and close at night.",
      "caravan"};
  app.require_subcommand(1);
  app.footer(
      "\nExamples:\n"
      "  caravan route xian tashkent                      Pareto options, fastest first\n"
      "  caravan route Xi'an Tashkent --units 2 --unit FEU --depart 2026-03-02T08:00+08:00\n"
      "  caravan route xian baku --via aktau --avoid RU   the Middle Corridor, avoiding Russia\n"
      "  caravan route urumqi almaty --by cost --format json\n"
      "  caravan simulate --demand data/central-asia/demand.csv   queues under a year's flows\n"
      "  caravan sweep --grid data/central-asia/sweeps/small.toml measures × dates × seeds × lanes\n"
      "\nRun `caravan COMMAND --help` for the options of a command.\n"
      "Exit codes: 0 success, 1 no route or nothing found, 2 bad input, 3 internal error.");
  // Subcommand name -> runner. Adding a command: a file in src/cli and one line here.
  std::vector<std::pair<std::string, Runner>> commands = {
      {"route", add_route_command(app)},
      {"data", add_data_command(app)},
      {"matrix", add_matrix_command(app)},
      {"compare", add_compare_command(app)},
      {"simulate", add_simulate_command(app)},
      {"sweep", add_sweep_command(app)},
      {"bench", add_bench_command(app)},
      {"serve", add_serve_command(app)},
  };
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitBadInput;
  }
  try {
    for (CLI::App* sub : app.get_subcommands()) {
      for (auto& [name, run] : commands) {
        if (sub->get_name() == name) return run();
      }
    }
  } catch (const std::exception& e) {
    std::cerr << "caravan: internal error: " << e.what() << "\n";
    return kExitInternal;
  }
  return kExitBadInput;
}
