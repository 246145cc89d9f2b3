#include "request_options.h"

#include <algorithm>
#include <chrono>

#include "commands.h"

namespace caravan::cli {
namespace {

std::string type_name(const OptionSpec& s) {
  switch (s.type) {
    case OptionType::kPlace:
      return "PLACE";
    case OptionType::kCount:
      return "INT";
    case OptionType::kNumber:
      return "NUMBER";
    case OptionType::kInstant:
      return "TIME";
    case OptionType::kChoice:
      return "WORD";
    case OptionType::kDemand:
      return "FILE";
    default:
      return "LIST";
  }
}

std::string help_of(const OptionSpec& s) {
  std::string h = std::string(s.help) + ": " + s.expected();
  if (s.is_list() && s.type != OptionType::kDemand) h += ", comma-separated or repeated";
  if (!s.default_text.empty()) h += " (default: " + std::string(s.default_text) + ")";
  return h;
}

}  // namespace

RequestOptions::RequestOptions(CLI::App* cmd, std::span<const OptionSpec> specs,
                               std::vector<std::string_view> positional) {
  for (const OptionSpec& s : specs) {
    Slot& slot = slots_.emplace_back();
    slot.name = std::string(s.name);
    const bool is_positional = std::find(positional.begin(), positional.end(), s.name) != positional.end();
    if (s.type == OptionType::kFlag) {
      slot.flag = true;
      slot.option = cmd->add_flag(s.cli_flag())->description(help_of(s));
      continue;
    }
    if (is_positional) {
      slot.positional = true;
      slot.option = cmd->add_option(std::string(s.name), slot.single, help_of(s))->type_name(type_name(s));
      if (s.required) slot.option->required();
      continue;
    }
    // One value per occurrence: `--via a --via b`, never `--via a b` (which
    // would swallow the positional arguments). Repeats reach the parser, which
    // refuses them for single-valued options.
    slot.option = cmd->add_option(s.cli_flag(), slot.values, help_of(s));
    slot.option->expected(1)->multi_option_policy(CLI::MultiOptionPolicy::TakeAll)->type_name(type_name(s));
  }
}

RequestFields RequestOptions::fields() const {
  RequestFields out;
  for (const Slot& s : slots_) {
    if (s.flag || s.positional) {
      if (s.option->count() > 0) out.push_back({s.name, s.flag ? "true" : s.single, {}});
      continue;
    }
    for (const std::string& v : s.values) out.push_back({s.name, v, {}});
  }
  return out;
}

int report_request(const Errors& errors) {
  Errors shown = errors;
  for (Error& e : shown) {
    if (!e.file.empty()) continue;  // a data file's error: its column is the file's
    if (e.column.empty() || e.column == "from" || e.column == "to") {
      e.column.clear();
      continue;
    }
    OptionSpec s{.name = e.column};
    const std::string prefix = e.column + ": ";
    if (e.message.rfind(prefix, 0) == 0) e.message = s.cli_flag() + ": " + e.message.substr(prefix.size());
    e.column.clear();
  }
  return report(shown);
}

RequestContext local_context() {
  return {RequestOrigin::kLocal, std::chrono::time_point_cast<Duration>(std::chrono::system_clock::now())};
}

}  // namespace caravan::cli
