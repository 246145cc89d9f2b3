// The options of a request (caravan/request.h) as CLI11 options: every
// option of the table under its `--kebab-case` flag, with the table's help,
// limits and default, collected as request fields for the shared parser.
#pragma once

#include <deque>
#include <span>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "caravan/request.h"

namespace caravan::cli {

class RequestOptions {
 public:
  /// Registers `specs` on `cmd`; those named in `positional` become
  /// positional arguments, in that order. Local-only options are included.
  RequestOptions(CLI::App* cmd, std::span<const OptionSpec> specs, std::vector<std::string_view> positional = {});
  RequestOptions(const RequestOptions&) = delete;
  RequestOptions& operator=(const RequestOptions&) = delete;

  /// What the user gave, one field per value, as the parsers take them.
  RequestFields fields() const;

 private:
  struct Slot {
    std::string name;
    std::vector<std::string> values;  // options: every occurrence
    std::string single;               // positional arguments
    bool flag = false, positional = false;
    CLI::Option* option = nullptr;
  };
  std::deque<Slot> slots_;  // stable addresses: CLI11 writes into them
};

/// Reports request errors as report() does, with the option spelled as
/// on the command line (`--cargo-tonnes: bad value …`).
int report_request(const Errors& errors);

/// The request context of a command run now, from this machine.
RequestContext local_context();

}  // namespace caravan::cli
