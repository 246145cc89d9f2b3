// SweepTransport over MPI point-to-point messages.
#include <mpi.h>

#include <algorithm>
#include <thread>

#include "caravan/sweep_mpi.h"

namespace caravan {
namespace {

constexpr int kTag = 7;
// Longest sleep between polls: the most a message waits to be noticed.
constexpr std::chrono::microseconds kMaxPause{200};

}  // namespace

struct MpiTransport::Comm {
  MPI_Comm comm = MPI_COMM_NULL;
};

Result<std::unique_ptr<MpiTransport>> MpiTransport::init() {
  int provided = MPI_THREAD_SINGLE;
  if (MPI_Init_thread(nullptr, nullptr, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS) {
    return Error::internal("MPI could not start");
  }
  std::unique_ptr<MpiTransport> t(new MpiTransport());
  t->comm_ = std::make_unique<Comm>();
  MPI_Comm_dup(MPI_COMM_WORLD, &t->comm_->comm);
  MPI_Comm_rank(t->comm_->comm, &t->rank_);
  MPI_Comm_size(t->comm_->comm, &t->size_);
  if (provided < MPI_THREAD_FUNNELED) {
    return Error::internal("MPI gives no thread support (expected at least MPI_THREAD_FUNNELED)");
  }
  return t;
}

MpiTransport::~MpiTransport() {
  if (comm_ && comm_->comm != MPI_COMM_NULL) MPI_Comm_free(&comm_->comm);
  MPI_Finalize();
}

void MpiTransport::send(int to, std::string_view bytes) {
  MPI_Send(bytes.data(), static_cast<int>(bytes.size()), MPI_BYTE, to, kTag, comm_->comm);
}

std::optional<SweepTransport::Message> MpiTransport::receive(int from, std::chrono::microseconds wait) {
  const auto deadline = std::chrono::steady_clock::now() + wait;
  std::chrono::microseconds pause{10};
  for (;;) {
    int flag = 0;
    MPI_Status st;
    MPI_Iprobe(from == kAnyRank ? MPI_ANY_SOURCE : from, kTag, comm_->comm, &flag, &st);
    if (flag != 0) {
      int n = 0;
      MPI_Get_count(&st, MPI_BYTE, &n);
      Message m{st.MPI_SOURCE, std::string(static_cast<std::size_t>(n), '\0')};
      MPI_Recv(m.bytes.data(), n, MPI_BYTE, st.MPI_SOURCE, kTag, comm_->comm, MPI_STATUS_IGNORE);
      return m;
    }
    auto now = std::chrono::steady_clock::now();
    if (now >= deadline) return std::nullopt;
    std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(pause, deadline - now));
    pause = std::min(pause * 2, kMaxPause);
  }
}

std::vector<RankReadiness> MpiTransport::gather(const RankReadiness& mine) {
  std::uint64_t said[2] = {mine.ready ? 1u : 0u, mine.fingerprint};
  std::vector<std::uint64_t> all(2 * static_cast<std::size_t>(size_));
  MPI_Allgather(said, 2, MPI_UINT64_T, all.data(), 2, MPI_UINT64_T, comm_->comm);
  std::vector<RankReadiness> by_rank;
  for (std::size_t r = 0; r < static_cast<std::size_t>(size_); ++r)
    by_rank.push_back({all[2 * r] != 0, all[2 * r + 1]});
  return by_rank;
}

std::string MpiTransport::library_version() {
  char buf[MPI_MAX_LIBRARY_VERSION_STRING];
  int len = 0;
  MPI_Get_library_version(buf, &len);
  std::string v(buf, static_cast<std::size_t>(std::max(0, len)));
  return v.substr(0, v.find_first_of(",\n"));
}

}  // namespace caravan
