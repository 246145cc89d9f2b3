// caravan/sweep_mpi.h — the sweep's transport over MPI.
//
// Built only where CMake finds MPI (target caravan::sweep_mpi, compile
// definition CARAVAN_HAVE_MPI); the sweep module itself knows nothing of
// MPI. Under `mpirun -np N` (or `srun`) every process creates one
// MpiTransport; rank 0 then coordinates the sweep and the others work
// (sweep.h, run_sweep). Messages are point-to-point on a duplicate of
// MPI_COMM_WORLD; waiting polls with short sleeps rather than spinning, so
// the coordinator leaves its core to the compute threads beside it.
//
// A rank that dies takes the job down: MPI's runtime (mpirun, or srun with
// --kill-on-bad-exit) stops every other rank, and rank 0's journal keeps
// what was done.
//
// Thread safety: MPI is initialised as MPI_THREAD_FUNNELED — only the thread
// that called init() may use the transport.
#pragma once

#include <memory>
#include <string>

#include "caravan/sweep.h"

namespace caravan {

class MpiTransport final : public SweepTransport {
 public:
  /// Initialises MPI; once per process. Fails with kInternal when MPI gives
  /// less than funneled thread support.
  static Result<std::unique_ptr<MpiTransport>> init();
  /// Finalises MPI.
  ~MpiTransport() override;
  MpiTransport(const MpiTransport&) = delete;
  MpiTransport& operator=(const MpiTransport&) = delete;

  int rank() const override { return rank_; }
  int size() const override { return size_; }
  void send(int to, std::string_view bytes) override;
  std::optional<Message> receive(int from, std::chrono::microseconds wait) override;
  std::vector<RankReadiness> gather(const RankReadiness& mine) override;

  /// The MPI library's own name for itself, first line (e.g. "Open MPI v4.1.4, …").
  static std::string library_version();

 private:
  MpiTransport() = default;
  struct Comm;
  std::unique_ptr<Comm> comm_;
  int rank_ = 0, size_ = 1;
};

}  // namespace caravan
