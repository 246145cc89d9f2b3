// `caravan` — plans, prices and stress-tests freight across Central Asia.
// Thin: parses arguments, calls the library, prints, maps errors to exit codes.
#include <cstdio>
#include <exception>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "caravan/text.h"
#include "commands.h"
#include "output.h"

namespace caravan::cli {

int exit_code(const Error& e) {
  switch (e.code) {
    case ErrorCode::kInvalidInput:
    case ErrorCode::kNotFound:
      return kExitBadInput;
    case ErrorCode::kNoRoute:
      return kExitNothingFound;
    case ErrorCode::kInternal:
      return kExitInternal;
    case ErrorCode::kOverBudget:
      return kExitBadInput;
    case ErrorCode::kDeadline:
      return kExitInternal;
  }
  return kExitInternal;
}

int report(const Errors& errors) {
  for (const Error& e : errors) std::cerr << "caravan: " << e.to_string() << "\n";
  return errors.empty() ? kExitInternal : exit_code(errors.front());
}

namespace {

// The top level takes only --help, so its first word that is not an option
// names the command; CLI11 would print the help for `caravan NOSUCH --help`
// and exit 0. Returns the unknown word, or nothing.
std::optional<std::string> unknown_command(int argc, char** argv,
                                           const std::vector<std::pair<std::string, Runner>>& commands) {
  for (int i = 1; i < argc; ++i) {
    std::string_view a = argv[i];
    if (a.empty() || a[0] != '-') {
      for (const auto& c : commands) {
        if (c.first == a) return std::nullopt;
      }
      return std::string(a);
    }
  }
  return std::nullopt;
}

int run(int argc, char** argv) {
  CLI::App app{
      "caravan plans, prices and stress-tests freight across the corridors linking China, Central Asia,\n"
      "the Caspian, Europe and Iran: rail on 1435 and 1520 mm gauge, road, ferry, sea and air, with\n"
      "border crossings that take time, cost money, change gauge and close at night.",
      "caravan"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "caravan " CARAVAN_VERSION);
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
      {"route", add_route_command(app)},           {"data", add_data_command(app)},
      {"matrix", add_matrix_command(app)},         {"compare", add_compare_command(app)},
      {"simulate", add_simulate_command(app)},     {"sweep", add_sweep_command(app)},
      {"bench", add_bench_command(app)},           {"serve", add_serve_command(app)},
      {"completion", add_completion_command(app)}, {"manpage", add_manpage_command(app, CARAVAN_VERSION)},
  };
  if (auto word = unknown_command(argc, argv, commands)) {
    std::string names;
    for (std::size_t i = 0; i < commands.size(); ++i) {
      names += (i == 0 ? "" : i + 1 == commands.size() ? " or " : ", ") + commands[i].first;
    }
    return report({Error::invalid("unknown command \"" + sanitize_text(*word) + "\" (expected " + names + ")")});
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
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

}  // namespace
}  // namespace caravan::cli

int main(int argc, char** argv) {
  using namespace caravan::cli;
  start_output();
  int code = run(argc, argv);
  if (std::string why = finish_output(); !why.empty()) {
    std::cerr << "caravan: cannot write the output: " << why << "\n";
    return kExitInternal;
  }
  return code;
}
