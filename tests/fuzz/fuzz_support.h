// Shared by the libFuzzer harnesses (tests/fuzz, docs/fuzzing.md): the real
// dataset loaded once, and the checks a harness asserts on what it got back.
#pragma once

#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "caravan/load.h"
#include "caravan/text.h"

namespace caravan::fuzz {

/// The embedded dataset ($CARAVAN_DATA or the source tree's), loaded on first
/// use; aborts when it does not load, since every input would then be moot.
inline const Network& real_network() {
  static const Network* net = [] {
    auto n = load_network(default_data_dir());
    if (!n) {
      std::fprintf(stderr, "fuzz: the dataset does not load:\n%s\n", to_string(n.errors()).c_str());
      std::abort();
    }
    return new Network(std::move(n).value());
  }();
  return *net;
}

/// Aborts (a finding) when `s`, something the library handed back, is not text:
/// what the loaders return must never carry bytes that are not UTF-8.
inline void require_text(std::string_view s, const char* what) {
  if (!find_text_faults(s, 1).empty()) {
    std::fprintf(stderr, "fuzz: %s is not UTF-8 text\n", what);
    std::abort();
  }
}

}  // namespace caravan::fuzz
