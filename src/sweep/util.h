// Internal to the sweep module: hashing and reading whole files.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace caravan::sweep_detail {

inline constexpr std::uint64_t kFnvOffset = 14695981039346656037ULL;

/// FNV-1a 64, continuing from `h`: cheap, stable across platforms, and
/// enough to tell one sweep's inputs from another's (not a defence against
/// anyone crafting collisions).
inline std::uint64_t fnv1a(std::string_view s, std::uint64_t h = kFnvOffset) {
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

/// The whole file, or nullopt when it cannot be read.
std::optional<std::string> read_text(const std::filesystem::path& path);

}  // namespace caravan::sweep_detail
