#include "caravan/file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstring>
#include <utility>

namespace caravan {
namespace {

Error file_error(ErrorCode code, const std::filesystem::path& path, std::string message) {
  return Error{code, std::move(message), path.string(), 0, ""};
}

std::string kind_of(mode_t mode) {
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISCHR(mode) || S_ISBLK(mode)) return "a device";
  if (S_ISSOCK(mode)) return "a socket";
  return "not a regular file";
}

// Closes `fd` on scope exit unless released.
struct FdGuard {
  int fd;
  ~FdGuard() {
    if (fd >= 0) ::close(fd);
  }
  int release() { return std::exchange(fd, -1); }
};

// Opens `path` read-only without blocking (a FIFO with no writer would block
// open(2)) and checks, on the descriptor, that it is a regular file.
Result<int> open_checked(const std::filesystem::path& path, struct stat& st) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) {
    int err = errno;
    struct stat link {};
    if (err == ENOENT && ::lstat(path.c_str(), &link) == 0 && S_ISLNK(link.st_mode)) {
      return file_error(ErrorCode::kNotFound, path, "symbolic link to a missing file (expected a regular file)");
    }
    if (err == ENOENT || err == ENOTDIR) return file_error(ErrorCode::kNotFound, path, "no such file");
    return file_error(ErrorCode::kNotFound, path, std::string("cannot open: ") + std::strerror(err));
  }
  FdGuard guard{fd};
  if (::fstat(fd, &st) != 0) {
    return file_error(ErrorCode::kInternal, path, std::string("cannot stat: ") + std::strerror(errno));
  }
  if (!S_ISREG(st.st_mode)) {
    std::string what = kind_of(st.st_mode);
    return file_error(ErrorCode::kInvalidInput, path,
                      (what.rfind("not", 0) == 0 ? what : "is " + what) +
                          " (expected a regular file; directories, FIFOs and devices are refused)");
  }
  // Reads from a regular file never block; clear the flag for stdio's sake.
  int flags = ::fcntl(fd, F_GETFL);
  if (flags >= 0) ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
  return guard.release();
}

}  // namespace

std::string format_byte_size(std::size_t bytes) {
  if (bytes >= (std::size_t{1} << 20) && bytes % (std::size_t{1} << 20) == 0)
    return std::to_string(bytes >> 20) + " MiB";
  if (bytes >= 1024 && bytes % 1024 == 0) return std::to_string(bytes >> 10) + " KiB";
  return std::to_string(bytes) + (bytes == 1 ? " byte" : " bytes");
}

Result<File> open_regular_file(const std::filesystem::path& path) {
  struct stat st {};
  auto fd = open_checked(path, st);
  if (!fd) return fd.errors();
  File f(::fdopen(*fd, "rb"), &std::fclose);
  if (!f) {
    int err = errno;
    ::close(*fd);
    return file_error(ErrorCode::kInternal, path, std::string("cannot open: ") + std::strerror(err));
  }
  return f;
}

Result<std::string> read_regular_file(const std::filesystem::path& path, std::size_t max_bytes) {
  struct stat st {};
  auto fd = open_checked(path, st);
  if (!fd) return fd.errors();
  FdGuard guard{*fd};
  auto too_large = [&] {
    return file_error(ErrorCode::kInvalidInput, path,
                      "file too large (expected at most " + format_byte_size(max_bytes) + ")");
  };
  if (st.st_size < 0 || static_cast<std::uintmax_t>(st.st_size) > max_bytes) return too_large();
  std::string text;
  text.resize(static_cast<std::size_t>(st.st_size));
  std::size_t got = 0;
  // The size may change while reading; read until end of file, one byte past
  // the limit at most, so a growing file cannot run past it.
  while (true) {
    if (got == text.size()) {
      if (text.size() > max_bytes) return too_large();
      text.resize(std::min(max_bytes + 1, std::max<std::size_t>(text.size() * 2, 4096)));
    }
    ssize_t n = ::read(guard.fd, text.data() + got, text.size() - got);
    if (n < 0) {
      if (errno == EINTR) continue;
      return file_error(ErrorCode::kInternal, path, std::string("cannot read: ") + std::strerror(errno));
    }
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
  }
  if (got > max_bytes) return too_large();
  text.resize(got);
  return text;
}

Status write_file_atomically(const std::filesystem::path& path, const std::function<bool(std::FILE*)>& write) {
  static std::atomic<unsigned> counter{0};
  std::filesystem::path tmp = path;
  tmp += ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  if (fd < 0) return file_error(ErrorCode::kNotFound, path, std::string("cannot write: ") + std::strerror(errno));
  std::FILE* f = ::fdopen(fd, "wb");
  if (f == nullptr) {
    int err = errno;
    ::close(fd);
    ::unlink(tmp.c_str());
    return file_error(ErrorCode::kInternal, path, std::string("cannot write: ") + std::strerror(err));
  }
  errno = 0;
  bool ok = write(f) && std::fflush(f) == 0 && !std::ferror(f) && ::fsync(::fileno(f)) == 0;
  int err = errno;
  if (std::fclose(f) != 0 && ok) {
    ok = false;
    err = errno;
  }
  if (ok && std::rename(tmp.c_str(), path.c_str()) != 0) {
    ok = false;
    err = errno;
  }
  if (!ok) {
    ::unlink(tmp.c_str());
    return file_error(ErrorCode::kInternal, path,
                      std::string("cannot write: ") + (err != 0 ? std::strerror(err) : "write failed"));
  }
  return Status();
}

}  // namespace caravan
