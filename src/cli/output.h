// Standard output of `caravan`, written so that a failed write is never
// silent: a full disk (`> /dev/full`) or a closed stdout (`>&-`) ends the
// command with exit 3 and a message on stderr that says why.
#pragma once

#include <string>

namespace caravan::cli {

/// Points std::cout at file descriptor 1 through a buffer that remembers the
/// first failed write. When fds 0, 1 or 2 are closed, /dev/null takes their
/// place, so that no file the command opens later (a dataset table, the
/// scenario database) can become "standard output"; a closed stdout is
/// then reported by finish_output(). Call once, first thing in main().
void start_output();

/// Flushes std::cout. Returns an empty string when everything written has
/// reached fd 1, else the reason (`No space left on device`,
/// `standard output is closed`).
std::string finish_output();

}  // namespace caravan::cli
