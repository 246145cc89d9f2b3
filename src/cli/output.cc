#include "output.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <iostream>
#include <streambuf>
#include <vector>

namespace caravan::cli {
namespace {

// A std::streambuf over a file descriptor that keeps the errno of the first
// failed write; every later write fails too, so nothing after a gap is sent.
class FdBuf : public std::streambuf {
 public:
  explicit FdBuf(int fd) : fd_(fd), buf_(64 * 1024) { setp(buf_.data(), buf_.data() + buf_.size()); }

  // errno of the first failure, 0 when none.
  int failure() const { return errno_; }
  void fail(int err) {
    if (errno_ == 0) errno_ = err;
  }

 protected:
  int_type overflow(int_type c) override {
    if (!drain()) return traits_type::eof();
    if (!traits_type::eq_int_type(c, traits_type::eof())) {
      *pptr() = traits_type::to_char_type(c);
      pbump(1);
    }
    return traits_type::not_eof(c);
  }

  int sync() override { return drain() ? 0 : -1; }

 private:
  bool drain() {
    if (errno_ != 0) return false;
    const char* p = pbase();
    while (p < pptr()) {
      ssize_t n = ::write(fd_, p, static_cast<std::size_t>(pptr() - p));
      if (n < 0) {
        if (errno == EINTR) continue;
        fail(errno);
        return false;
      }
      p += n;
    }
    setp(buf_.data(), buf_.data() + buf_.size());
    return true;
  }

  int fd_;
  std::vector<char> buf_;
  int errno_ = 0;
};

// Never destroyed: std::cout flushes through it after static destructors ran.
FdBuf& stdout_buf() {
  static FdBuf* buf = new FdBuf(STDOUT_FILENO);
  return *buf;
}

bool fd_closed(int fd) { return ::fcntl(fd, F_GETFD) == -1 && errno == EBADF; }

}  // namespace

void start_output() {
  bool stdout_closed = false;
  for (int fd : {STDIN_FILENO, STDOUT_FILENO, STDERR_FILENO}) {
    if (!fd_closed(fd)) continue;
    if (fd == STDOUT_FILENO) stdout_closed = true;
    // open(2) takes the lowest free descriptor, which is `fd`.
    int null = ::open("/dev/null", fd == STDIN_FILENO ? O_RDONLY : O_WRONLY);
    if (null >= 0 && null != fd) {
      ::dup2(null, fd);
      ::close(null);
    }
  }
  if (stdout_closed) stdout_buf().fail(EBADF);
  std::cout.rdbuf(&stdout_buf());
}

std::string finish_output() {
  std::cout.flush();
  int err = stdout_buf().failure();
  if (err == 0) return {};
  if (err == EBADF) return "standard output is closed";
  return std::strerror(err);
}

}  // namespace caravan::cli
