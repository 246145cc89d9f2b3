// caravan/load.h — reading and validating a dataset folder.
//
// A dataset is a folder of CSV files (DESIGN.md section 5, a contract):
// dataset.toml, sources.csv, locations.csv, links.csv, crossings.csv,
// services.csv, fx.csv, emission_factors.csv. Loading checks every row and
// reports every problem, each as
//     links.csv:42: column to: unknown location "hamburg-n" (expected a location id)
// A dataset with any error is never returned: the result is the full list of
// errors instead. Warnings (suspicious but usable rows) are returned beside a
// good network.
//
// Thread safety: load functions are reentrant; they share nothing.
#pragma once

#include <filesystem>
#include <map>
#include <string>

#include "caravan/error.h"
#include "caravan/network.h"

namespace caravan {

/// The text of each dataset file by its name (`locations.csv` …). Lets tests
/// and embedders load datasets from memory. A missing optional file is absent.
struct DatasetFiles {
  std::map<std::string, std::string> text;
};

/// Reads the dataset files from `dir`. Fails with not_found when the folder
/// or a required file is missing.
Result<DatasetFiles> read_dataset_files(const std::filesystem::path& dir);

/// Parses and validates a dataset. On success returns the Network and appends
/// any warnings to `*warnings` when given; on failure returns every error found.
Result<Network> load_network(const DatasetFiles& files, Errors* warnings = nullptr);

/// read_dataset_files + load_network.
Result<Network> load_network(const std::filesystem::path& dir, Errors* warnings = nullptr);

/// The folder of the embedded default dataset, the first of: $CARAVAN_DATA;
/// `central-asia` in installed_share_dir() when it is there (an installed or
/// unpacked caravan uses its own copy); the source tree's `data/central-asia`;
/// `share/caravan/central-asia` under the configured install prefix.
std::filesystem::path default_data_dir();

/// `share/caravan` beside the running program: `<program dir>/../share/caravan`
/// (read from /proc/self/exe), so that an install under any prefix, or a
/// package unpacked anywhere, finds its dataset and web map. Empty when the
/// program's path cannot be read. The folder need not exist.
std::filesystem::path installed_share_dir();

}  // namespace caravan
