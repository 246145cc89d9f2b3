// caravan/file.h — reading input files so that no file can hang or exhaust
// the process, and writing output files so that none is left half-written.
//
// Every file caravan reads (dataset tables, scenarios, demand and calibration
// tables, graphs for `bench`, the server's token) comes through here. Only
// regular files are read: a FIFO would block forever and /dev/zero never ends,
// so directories, FIFOs, devices and sockets are refused with a clear error.
// Whole-file reads carry a size limit chosen by the caller.
//
// Errors name the file as given (`data/x/links.csv: …`): kNotFound when it
// does not exist or cannot be opened, kInvalidInput when it is not a regular
// file or is too large, kInternal for a failing read or write.
//
// Thread safety: reentrant; the functions share nothing.
#pragma once

#include <cstddef>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "caravan/error.h"

namespace caravan {

/// Size limits of the files caravan reads whole, in bytes. Each is far above
/// any real input (the embedded dataset's largest table is under 100 KiB).
inline constexpr std::size_t kMaxDatasetFileBytes = std::size_t{256} << 20;  ///< one dataset table
inline constexpr std::size_t kMaxTableFileBytes = std::size_t{64} << 20;     ///< demand, calibration
inline constexpr std::size_t kMaxScenarioFileBytes = std::size_t{4} << 20;   ///< one scenario TOML
inline constexpr std::size_t kMaxTokenFileBytes = 4096;                      ///< the server's token

/// An open file, closed when it goes out of scope.
using File = std::unique_ptr<std::FILE, int (*)(std::FILE*)>;

/// Opens `path` for reading when it is a regular file. The check is made on
/// the opened file itself, and opening never blocks (even on a FIFO).
Result<File> open_regular_file(const std::filesystem::path& path);

/// The whole content of the regular file `path`; fails when it holds more
/// than `max_bytes` (the message gives the limit).
Result<std::string> read_regular_file(const std::filesystem::path& path, std::size_t max_bytes);

/// Writes a file so that it either appears complete or not at all: `write`
/// fills a temporary file next to `path`, which is flushed to disk and renamed
/// over `path` only when every write succeeded. On any failure (a full disk,
/// `write` returning false) the temporary file is removed, `path` keeps its
/// old content, and the error says why (`edges.csv: cannot write: No space
/// left on device`). `write` returns false after a failed fwrite.
Status write_file_atomically(const std::filesystem::path& path, const std::function<bool(std::FILE*)>& write);

/// "64 MiB", "4 KiB", "17 bytes": a size limit as messages print it.
std::string format_byte_size(std::size_t bytes);

}  // namespace caravan
