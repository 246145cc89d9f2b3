// The scenario TOML parser and the overlay it builds, against the real
// dataset. Properties: no crash, no leak, no hang; every error names the file;
// a scenario that parses builds an overlay or says why not.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "caravan/scenario.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace caravan;
  const Network& net = fuzz::real_network();
  auto sc = parse_scenario(std::string_view(reinterpret_cast<const char*>(data), size), "fuzz.toml", net);
  if (!sc) {
    for (const Error& e : sc.errors()) {
      if (e.file != "fuzz.toml") std::abort();
    }
    return 0;
  }
  fuzz::require_text(sc->name, "the scenario name");
  fuzz::require_text(sc->description, "the scenario description");
  auto ov = Overlay::build(net, {*sc});
  if (!ov && ov.errors().empty()) std::abort();
  return 0;
}
