// Reading input files: only regular files, each within a size limit; and
// writing output files that are complete or absent.
#include "caravan/file.h"

#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>
#include <fstream>

namespace caravan {
namespace {

namespace fs = std::filesystem;

// A fresh folder under the system's temporary directory, removed afterwards.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "caravan-file-test-XXXXXX").string();
    path_ = ::mkdtemp(tmpl.data());
  }
  ~TempDir() { fs::remove_all(path_); }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

void write(const fs::path& p, const std::string& text) { std::ofstream(p, std::ios::binary) << text; }

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

TEST(ReadRegularFile, ReadsTheWholeFile) {
  TempDir d;
  std::string text(100'000, 'x');
  text += "\nend";
  write(d.path() / "a.csv", text);
  auto r = read_regular_file(d.path() / "a.csv", 1 << 20);
  ASSERT_TRUE(r.ok()) << r.status().to_string();
  EXPECT_EQ(*r, text);
}

TEST(ReadRegularFile, ReadsAFileOfExactlyTheLimitAndRefusesOneByteMore) {
  TempDir d;
  write(d.path() / "a", std::string(100, 'a'));
  write(d.path() / "b", std::string(101, 'b'));
  EXPECT_TRUE(read_regular_file(d.path() / "a", 100).ok());
  auto r = read_regular_file(d.path() / "b", 100);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidInput);
  EXPECT_EQ(r.error().to_string(), (d.path() / "b").string() + ": file too large (expected at most 100 bytes)");
}

TEST(ReadRegularFile, ReadsAnEmptyFile) {
  TempDir d;
  write(d.path() / "e", "");
  auto r = read_regular_file(d.path() / "e", 10);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(*r, "");
}

TEST(ReadRegularFile, MissingFileIsNotFound) {
  auto r = read_regular_file("/nonexistent/x.csv", 10);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kNotFound);
  EXPECT_EQ(r.error().to_string(), "/nonexistent/x.csv: no such file");
}

TEST(ReadRegularFile, RefusesADirectory) {
  TempDir d;
  auto r = read_regular_file(d.path(), 10);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, ErrorCode::kInvalidInput);
  EXPECT_EQ(r.error().message, "is a directory (expected a regular file; directories, FIFOs and devices are refused)");
}

// Before: the loaders opened a FIFO with std::ifstream, which blocks until a
// writer appears (forever, here).
TEST(ReadRegularFile, RefusesAFifoWithoutWaitingForAWriter) {
  TempDir d;
  fs::path fifo = d.path() / "links.csv";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  auto r = read_regular_file(fifo, 1 << 20);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "is a FIFO (expected a regular file; directories, FIFOs and devices are refused)");
  EXPECT_FALSE(open_regular_file(fifo).ok());
}

// Before: /dev/zero was read until memory ran out.
TEST(ReadRegularFile, RefusesADeviceThatNeverEnds) {
  auto r = read_regular_file("/dev/zero", 1 << 20);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().to_string(),
            "/dev/zero: is a device (expected a regular file; directories, FIFOs and devices are refused)");
  auto f = open_regular_file("/dev/zero");
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.error().code, ErrorCode::kInvalidInput);
}

TEST(OpenRegularFile, FollowsASymlinkToARegularFileButNotToADeviceOrNothing) {
  TempDir d;
  write(d.path() / "real.csv", "src,dst\n");
  fs::create_symlink(d.path() / "real.csv", d.path() / "link.csv");
  fs::create_symlink("/dev/zero", d.path() / "zero.csv");
  fs::create_symlink(d.path() / "gone.csv", d.path() / "dangling.csv");
  EXPECT_TRUE(open_regular_file(d.path() / "link.csv").ok());
  EXPECT_FALSE(open_regular_file(d.path() / "zero.csv").ok());
  auto r = open_regular_file(d.path() / "dangling.csv");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "symbolic link to a missing file (expected a regular file)");
}

TEST(FormatByteSize, UsesTheLargestWholeUnit) {
  EXPECT_EQ(format_byte_size(1), "1 byte");
  EXPECT_EQ(format_byte_size(1000), "1000 bytes");
  EXPECT_EQ(format_byte_size(4096), "4 KiB");
  EXPECT_EQ(format_byte_size(std::size_t{256} << 20), "256 MiB");
  EXPECT_EQ(format_byte_size((std::size_t{1} << 20) + 1024), "1025 KiB");
}

TEST(WriteFileAtomically, WritesTheFileAndLeavesNoTemporary) {
  TempDir d;
  fs::path p = d.path() / "edges.csv";
  Status s = write_file_atomically(p, [](std::FILE* f) { return std::fputs("src,dst\n0,1\n", f) >= 0; });
  ASSERT_TRUE(s.ok()) << s.to_string();
  EXPECT_EQ(slurp(p), "src,dst\n0,1\n");
  EXPECT_EQ(std::distance(fs::directory_iterator(d.path()), fs::directory_iterator()), 1);
}

TEST(WriteFileAtomically, AFailedWriteKeepsTheOldContentAndLeavesNoTemporary) {
  TempDir d;
  fs::path p = d.path() / "edges.csv";
  write(p, "old\n");
  Status s = write_file_atomically(p, [](std::FILE* f) {
    std::fputs("half", f);
    return false;
  });
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kInternal);
  EXPECT_EQ(slurp(p), "old\n");
  EXPECT_EQ(std::distance(fs::directory_iterator(d.path()), fs::directory_iterator()), 1);
}

// A file size limit makes the disk refuse writes past 64 KiB (EFBIG), as a
// full disk would with ENOSPC: the error names the file and the reason.
TEST(WriteFileAtomically, TheDiskRefusingAWriteIsAnErrorAndKeepsTheOldFile) {
  TempDir d;
  fs::path p = d.path() / "big.csv";
  write(p, "old\n");
  struct rlimit old {};
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &old), 0);
  struct rlimit small = old;
  small.rlim_cur = 64 * 1024;
  auto old_handler = ::signal(SIGXFSZ, SIG_IGN);
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &small), 0);
  Status s = write_file_atomically(p, [](std::FILE* f) {
    std::string chunk(4096, 'x');
    for (int i = 0; i < 64; ++i) {
      if (std::fwrite(chunk.data(), 1, chunk.size(), f) != chunk.size()) return false;
    }
    return true;
  });
  ::setrlimit(RLIMIT_FSIZE, &old);
  ::signal(SIGXFSZ, old_handler);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().to_string(), p.string() + ": cannot write: File too large");
  EXPECT_EQ(slurp(p), "old\n");
  EXPECT_EQ(std::distance(fs::directory_iterator(d.path()), fs::directory_iterator()), 1);
}

TEST(WriteFileAtomically, AMissingFolderIsAnError) {
  Status s = write_file_atomically("/nonexistent/dir/x.csv", [](std::FILE*) { return true; });
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().to_string(), "/nonexistent/dir/x.csv: cannot write: No such file or directory");
}

}  // namespace
}  // namespace caravan
