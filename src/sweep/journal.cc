// The cell record (journal line and wire format), the journal file, and
// writing a file atomically.
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cmath>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>
#include <utility>

#include "caravan/sweep.h"
#include "util.h"

namespace caravan {
namespace sweep_detail {

std::optional<std::string> read_text(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return text.str();
}

}  // namespace sweep_detail

namespace {

constexpr std::size_t kFields = 11;  // cell … message, checksum
constexpr std::string_view kJournalMagic = "caravan sweep journal 1";

// A record being written: each value is followed by a tab.
class Fields {
 public:
  template <class Number>
  Fields& number(Number v) {
    char buf[32];
    auto res = std::to_chars(buf, buf + sizeof buf, v);
    out_.append(buf, res.ptr);
    return tab();
  }
  Fields& optional(const std::optional<double>& v) { return v ? number(*v) : tab(); }
  Fields& text(std::string_view s) {
    out_ += s;
    return tab();
  }
  // Tabs and line breaks escaped, so a record stays one line.
  Fields& escaped(std::string_view s) {
    for (char c : s) {
      if (c == '\t' || c == '\n' || c == '\\') out_ += '\\';
      out_ += c == '\t' ? 't' : c == '\n' ? 'n' : c;
    }
    return tab();
  }
  std::string& str() { return out_; }

 private:
  Fields& tab() {
    out_ += '\t';
    return *this;
  }
  std::string out_;
};

std::uint32_t checksum(std::string_view s) {
  std::uint64_t h = sweep_detail::fnv1a(s);
  return static_cast<std::uint32_t>(h ^ (h >> 32));
}

std::string hex(std::uint64_t v, int digits) {
  static const char* kDigits = "0123456789abcdef";
  std::string out(static_cast<std::size_t>(digits), '0');
  for (int i = digits - 1; i >= 0; --i, v >>= 4) out[static_cast<std::size_t>(i)] = kDigits[v & 15];
  return out;
}

template <class T>
bool parse_number(std::string_view s, T& v) {
  if (s.empty()) return false;
  auto res = std::from_chars(s.data(), s.data() + s.size(), v);
  return res.ec == std::errc() && res.ptr == s.data() + s.size();
}

bool parse_optional(std::string_view s, std::optional<double>& v) {
  if (s.empty()) return true;
  double d = 0;
  if (!parse_number(s, d) || std::isnan(d)) return false;
  v = d;
  return true;
}

}  // namespace

std::string_view to_string(CellStatus s) {
  switch (s) {
    case CellStatus::kOk:
      return "ok";
    case CellStatus::kNoRoute:
      return "no_route";
    case CellStatus::kError:
      return "error";
  }
  return "error";
}

std::string encode_cell(const CellResult& r) {
  Fields f;
  f.number(r.cell).text(to_string(r.status)).number(r.hours).number(r.cost_usd_cents).number(r.co2_g);
  f.optional(r.p50_hours).optional(r.p95_hours).optional(r.on_time_probability).number(r.stuck_samples);
  f.escaped(r.message);
  std::string out = std::move(f.str());
  out += hex(checksum(out), 8);
  out += '\n';
  return out;
}

Result<CellResult> decode_cell(std::string_view line) {
  if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
  std::vector<std::string_view> f;
  for (std::size_t start = 0;;) {
    std::size_t tab = line.find('\t', start);
    f.push_back(line.substr(start, tab == std::string_view::npos ? std::string_view::npos : tab - start));
    if (tab == std::string_view::npos) break;
    start = tab + 1;
  }
  if (f.size() != kFields) {
    return Error::invalid("cell record has " + std::to_string(f.size()) + " fields (expected " +
                          std::to_string(kFields) + ")");
  }
  const std::size_t body = line.size() - f.back().size();  // up to and including the last tab
  if (f.back() != hex(checksum(line.substr(0, body)), 8)) return Error::invalid("cell record fails its checksum");
  CellResult r;
  bool ok = parse_number(f[0], r.cell) && parse_number(f[2], r.hours) && parse_number(f[3], r.cost_usd_cents) &&
            parse_number(f[4], r.co2_g) && parse_optional(f[5], r.p50_hours) && parse_optional(f[6], r.p95_hours) &&
            parse_optional(f[7], r.on_time_probability) && parse_number(f[8], r.stuck_samples);
  if (f[1] == "ok") {
    r.status = CellStatus::kOk;
  } else if (f[1] == "no_route") {
    r.status = CellStatus::kNoRoute;
  } else if (f[1] == "error") {
    r.status = CellStatus::kError;
  } else {
    ok = false;
  }
  if (!ok) return Error::invalid("cell record has a malformed field");
  for (std::size_t i = 0; i < f[9].size(); ++i) {
    char c = f[9][i];
    if (c == '\\' && i + 1 < f[9].size()) {
      char e = f[9][++i];
      r.message += e == 't' ? '\t' : e == 'n' ? '\n' : e;
    } else {
      r.message += c;
    }
  }
  return r;
}

// ---------------------------------------------------------------------------

namespace {

Error io_error(const std::filesystem::path& p, const char* what) {
  return Error::internal(p.string() + ": cannot " + what + " (" + std::strerror(errno) + ")");
}

Status write_all(int fd, std::string_view data, const std::filesystem::path& p) {
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return io_error(p, "write");
    data.remove_prefix(static_cast<std::size_t>(n));
  }
  return {};
}

std::string journal_header(std::uint64_t fingerprint, std::uint64_t cells) {
  return std::string(kJournalMagic) + " " + hex(fingerprint, 16) + " " + std::to_string(cells) + "\n";
}

}  // namespace

Result<SweepJournal> SweepJournal::open(const std::filesystem::path& path, std::uint64_t fingerprint,
                                        std::uint64_t cells, bool restart) {
  SweepJournal j;
  j.path_ = path;
  j.fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (j.fd_ < 0) return io_error(path, "open the journal");
  if (::flock(j.fd_, LOCK_EX | LOCK_NB) != 0) {
    return Error::invalid(path.string() + ": another sweep is writing this journal (expected one sweep per folder)");
  }
  if (restart && ::ftruncate(j.fd_, 0) != 0) return io_error(path, "truncate the journal");
  std::optional<std::string> text = sweep_detail::read_text(path);
  if (!text) return io_error(path, "read the journal");
  const std::string header = journal_header(fingerprint, cells);
  // Everything up to the last line break is whole; a torn last line (or
  // header) is dropped.
  std::size_t whole = text->rfind('\n');
  whole = whole == std::string::npos ? 0 : whole + 1;
  if (whole < text->size() && ::ftruncate(j.fd_, static_cast<off_t>(whole)) != 0) {
    return io_error(path, "truncate the journal");
  }
  std::string_view done(text->data(), whole);
  if (done.empty()) {
    Status s = write_all(j.fd_, header, path);
    if (!s.ok()) return s;
    return j;
  }
  if (done.substr(0, header.size()) != header) {
    return Error::invalid(path.string() +
                          ": holds the results of another grid, dataset or caravan version (expected the journal of "
                          "this sweep; discard it to start afresh)");
  }
  done.remove_prefix(header.size());
  std::set<std::uint64_t> seen;
  for (std::uint32_t line = 2; !done.empty(); ++line) {
    std::size_t end = done.find('\n');
    auto r = decode_cell(done.substr(0, end));
    done.remove_prefix(end + 1);
    if (r && (r->cell >= cells || !seen.insert(r->cell).second))
      r = Error::invalid("cell record repeats or is out of range");
    if (!r) return Error::at(path.string(), line, "", "damaged journal: " + r.error().message);
    j.recovered_.push_back(std::move(*r));
  }
  return j;
}

SweepJournal::~SweepJournal() {
  if (fd_ >= 0) ::close(fd_);
}
SweepJournal::SweepJournal(SweepJournal&& o) noexcept
    : path_(std::move(o.path_)), fd_(std::exchange(o.fd_, -1)), recovered_(std::move(o.recovered_)) {}
SweepJournal& SweepJournal::operator=(SweepJournal&& o) noexcept {
  if (this != &o) {
    if (fd_ >= 0) ::close(fd_);
    path_ = std::move(o.path_);
    fd_ = std::exchange(o.fd_, -1);
    recovered_ = std::move(o.recovered_);
  }
  return *this;
}

Status SweepJournal::append(std::string_view lines) {
  if (lines.empty()) return {};
  return write_all(fd_, lines, path_);
}

Status SweepJournal::remove() {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  std::error_code ec;
  std::filesystem::remove(path_, ec);
  if (ec) return Error::internal(path_.string() + ": cannot remove the journal (" + ec.message() + ")");
  return {};
}

Status write_file_atomically(const std::filesystem::path& path, std::string_view text) {
  std::filesystem::path tmp = path;
  tmp += ".tmp-" + std::to_string(::getpid());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return io_error(tmp, "create");
  Status s = write_all(fd, text, tmp);
  if (s.ok() && ::fsync(fd) != 0) s = io_error(tmp, "sync");
  if (::close(fd) != 0 && s.ok()) s = io_error(tmp, "close");
  if (s.ok() && std::rename(tmp.c_str(), path.c_str()) != 0) s = io_error(path, "write");
  if (!s.ok()) ::unlink(tmp.c_str());
  return s;
}

}  // namespace caravan
