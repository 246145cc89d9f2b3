// Scenarios by id or path, for local requests (the server resolves ids
// through its catalog).
#include <algorithm>
#include <system_error>

#include "caravan/request.h"

namespace caravan {
namespace {

Error scenario_error(std::string message, ErrorCode code) {
  Error e{code, "scenario: " + std::move(message), {}, 0, "scenario"};
  return e;
}

}  // namespace

bool is_scenario_path(std::string_view name) {
  return name.find('/') != std::string_view::npos || (name.size() >= 5 && name.substr(name.size() - 5) == ".toml");
}

std::vector<std::string> scenario_ids_in(const std::filesystem::path& dir) {
  std::vector<std::string> ids;
  std::error_code ec;
  for (const auto& e : std::filesystem::directory_iterator(dir, ec)) {
    if (e.is_regular_file(ec) && e.path().extension() == ".toml") ids.push_back(e.path().stem().string());
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

Result<std::vector<Scenario>> load_named_scenarios(const Network& net, const std::filesystem::path& scenario_dir,
                                                   const std::vector<std::string>& names) {
  std::vector<Scenario> out;
  for (const std::string& name : names) {
    std::filesystem::path file = name;
    if (!is_scenario_path(name)) {
      file = scenario_dir / (name + ".toml");
      std::error_code ec;
      if (!std::filesystem::is_regular_file(file, ec)) {
        std::string known;
        for (const std::string& id : scenario_ids_in(scenario_dir)) known += (known.empty() ? "" : ", ") + id;
        return scenario_error("unknown scenario \"" + name + "\" (expected a path to a .toml file or " +
                                  (known.empty() ? std::string("the id of a scenario of the dataset")
                                                 : "one of the dataset's: " + known) +
                                  ")",
                              ErrorCode::kNotFound);
      }
    }
    auto sc = load_scenario_file(file, net);
    if (!sc) return sc.errors();  // file:line messages name the file already
    out.push_back(std::move(*sc));
  }
  return out;
}

}  // namespace caravan
