// The place-name resolver and autocomplete on arbitrary queries, against the
// real dataset. Properties: no crash, no leak; a resolved place is a valid
// index; suggestions stay within the limit and are distinct.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "caravan/places.h"
#include "fuzz_support.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace caravan;
  const Network& net = fuzz::real_network();
  const std::string_view query(reinterpret_cast<const char*>(data), size);
  (void)normalize_place_name(query);
  auto r = resolve_place(net, query);
  if (r.ok() && r->v >= net.locations.size()) std::abort();
  if (!r.ok() && r.error().code != ErrorCode::kNotFound && r.error().code != ErrorCode::kInvalidInput) std::abort();
  constexpr std::size_t kLimit = 8;
  std::vector<LocationIdx> found = search_places(net, query, kLimit);
  if (found.size() > kLimit) std::abort();
  for (std::size_t i = 0; i < found.size(); ++i) {
    if (found[i].v >= net.locations.size()) std::abort();
    for (std::size_t j = 0; j < i; ++j) {
      if (found[j] == found[i]) std::abort();
    }
  }
  return 0;
}
