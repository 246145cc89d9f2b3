// The `caravan` subcommands. Each registers its options on the CLI11 app and
// returns a runner that yields the process exit code (DESIGN.md section 10):
// 0 success, 1 no route / nothing found, 2 bad input, 3 internal error.
#pragma once

#include <functional>
#include <string>

#include <CLI/CLI.hpp>

#include "caravan/error.h"

namespace caravan::cli {

inline constexpr int kExitOk = 0;
inline constexpr int kExitNothingFound = 1;
inline constexpr int kExitBadInput = 2;
inline constexpr int kExitInternal = 3;

/// Exit code for an error, per DESIGN.md section 10.
int exit_code(const Error& e);
/// Prints `caravan: <error>` lines to stderr and returns the exit code of the first.
int report(const Errors& errors);

using Runner = std::function<int()>;

/// Each subcommand lives in its own file and registers itself on `app`,
/// returning what runs it when the user picked it.
Runner add_route_command(CLI::App& app);
Runner add_serve_command(CLI::App& app);
Runner add_data_command(CLI::App& app);
Runner add_matrix_command(CLI::App& app);
Runner add_compare_command(CLI::App& app);
Runner add_bench_command(CLI::App& app);
Runner add_simulate_command(CLI::App& app);
/// `caravan completion bash|zsh`, and the hidden `caravan manpage` the build
/// installs as caravan.1: both from `app`'s own definitions, so register them
/// last. `app` must outlive the runners.
Runner add_completion_command(CLI::App& app);
Runner add_manpage_command(CLI::App& app, const std::string& version);
Runner add_sweep_command(CLI::App& app);

}  // namespace caravan::cli
