// The dataset loader on a whole dataset given as one input: files separated
// by lines `=== NAME` (tests/fuzz/make_seeds.py writes the seeds this way from
// slices of data/central-asia). Properties: no crash, no leak, no hang; a
// dataset that loads passes its own validation and holds only text.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_support.h"

namespace {

caravan::DatasetFiles split_files(std::string_view input) {
  caravan::DatasetFiles files;
  std::string* current = nullptr;
  std::size_t pos = 0;
  while (pos < input.size()) {
    std::size_t nl = input.find('\n', pos);
    std::string_view line = input.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    pos = nl == std::string_view::npos ? input.size() : nl + 1;
    if (line.substr(0, 4) == "=== ") {
      current = &files.text[std::string(line.substr(4))];
    } else if (current != nullptr) {
      current->append(line);
      if (nl != std::string_view::npos) current->push_back('\n');
    }
  }
  return files;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace caravan;
  DatasetFiles files = split_files(std::string_view(reinterpret_cast<const char*>(data), size));
  Errors warnings;
  auto net = load_network(files, &warnings);
  if (!net) {
    if (net.errors().empty()) std::abort();
    return 0;
  }
  if (!net->validate().empty()) std::abort();  // a loaded network is valid
  for (const Location& l : net->locations) {
    fuzz::require_text(l.id, "a location id");
    fuzz::require_text(l.name, "a location name");
    for (const std::string& a : l.aliases) fuzz::require_text(a, "an alias");
  }
  for (const Source& s : net->sources) {
    fuzz::require_text(s.title, "a source title");
    fuzz::require_text(s.note, "a source note");
  }
  fuzz::require_text(net->info.name, "the dataset name");
  fuzz::require_text(net->info.description, "the dataset description");
  return 0;
}
