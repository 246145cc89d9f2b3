#include "transport.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <deque>
#include <list>
#include <mutex>
#include <thread>
#include <vector>

namespace caravan::server {
namespace {

using Clock = std::chrono::steady_clock;

// A connection closed by the server is drained this long (what it still sends
// is read and dropped) so the client reads the answer before the socket goes
// away: closing with unread input would send a reset that can destroy the
// answer in the client's buffer.
constexpr auto kDrainTime = std::chrono::seconds(2);
// Bytes read from one connection per wake-up, so one fast client cannot
// hold the loop while others wait.
constexpr std::size_t kReadRounds = 4;
constexpr auto kSweepInterval = std::chrono::milliseconds(50);

enum class State {
  kIdle,      // between requests: no byte of the next one yet
  kReading,   // a request is coming in
  kServing,   // a worker has the request; not watched
  kWriting,   // the answer is going out
  kDraining,  // answered and shut for writing; input is read and dropped
};

std::string address_text(const sockaddr_storage& a, int* port) {
  char buf[INET6_ADDRSTRLEN] = "";
  if (a.ss_family == AF_INET) {
    const auto& v4 = reinterpret_cast<const sockaddr_in&>(a);
    inet_ntop(AF_INET, &v4.sin_addr, buf, sizeof buf);
    *port = ntohs(v4.sin_port);
  } else if (a.ss_family == AF_INET6) {
    const auto& v6 = reinterpret_cast<const sockaddr_in6&>(a);
    inet_ntop(AF_INET6, &v6.sin6_addr, buf, sizeof buf);
    *port = ntohs(v6.sin6_port);
  }
  return buf;
}

Peer peer_of(int fd) {
  Peer p;
  sockaddr_storage a{};
  socklen_t len = sizeof a;
  if (getpeername(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0) p.ip = address_text(a, &p.port);
  len = sizeof a;
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0) p.local_ip = address_text(a, &p.local_port);
  return p;
}

}  // namespace

struct Connection {
  Connection(int f, const RequestLimits& limits) : fd(f), reader(limits) {}
  int fd;
  Peer peer;
  RequestReader reader;
  std::string in;   // received and not yet taken by the reader (a pipelined next request)
  std::string out;  // to send
  std::size_t sent = 0;
  State state = State::kIdle;
  Clock::time_point since;                  // when `state` began
  bool close_after = false;                 // close once `out` is sent
  bool dead = false;                        // closed; freed after this round of events
  std::shared_ptr<std::atomic<bool>> gone;  // of the request being served
  std::uint32_t events = 0;                 // what epoll watches for
  std::list<std::unique_ptr<Connection>>::iterator self;
};

struct Job {
  Connection* connection;
  IncomingRequest request;
};

struct Done {
  Connection* connection;
  Outgoing response;
};

struct Transport::Impl {
  TransportOptions options;
  ServeFn serve;
  RejectFn reject;
  int listen_fd = -1, epoll_fd = -1, wake_fd = -1;
  int port = 0;
  std::atomic<bool> stopping{false};
  bool accepting = true;
  Clock::time_point accept_again{};

  std::list<std::unique_ptr<Connection>> connections;
  std::vector<std::unique_ptr<Connection>> graveyard;

  // Worker pool: jobs in, answers out (to the loop, woken through wake_fd).
  std::mutex mutex;
  std::condition_variable work;
  std::deque<Job> jobs;
  std::vector<Done> done;
  bool workers_quit = false;
  std::vector<std::thread> workers;
  std::size_t serving = 0;  // connections in kServing; loop thread only

  ~Impl() {
    for (auto& c : connections) ::close(c->fd);
    for (int fd : {listen_fd, epoll_fd, wake_fd}) {
      if (fd >= 0) ::close(fd);
    }
  }

  void watch(Connection& c, std::uint32_t events) {
    if (c.events == events) return;
    epoll_event ev{};
    ev.events = events;
    ev.data.ptr = &c;
    int op = c.events == 0 ? EPOLL_CTL_ADD : (events == 0 ? EPOLL_CTL_DEL : EPOLL_CTL_MOD);
    epoll_ctl(epoll_fd, op, c.fd, &ev);
    c.events = events;
  }

  void close_now(Connection& c) {
    if (c.dead) return;
    watch(c, 0);
    ::close(c.fd);
    c.dead = true;
    graveyard.push_back(std::move(*c.self));
    connections.erase(c.self);
  }

  void enter(Connection& c, State s) {
    c.state = s;
    c.since = Clock::now();
  }

  // ---- accepting ----

  void accept_all() {
    for (;;) {
      int fd = ::accept4(listen_fd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (fd < 0) {
        if (errno == EINTR) continue;
        if (errno == EMFILE || errno == ENFILE) {
          // Out of descriptors: make room if anything can go, else pause.
          if (!evict_one()) pause_accepting();
        }
        return;
      }
      int one = 1;
      setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
      if (connections.size() >= options.max_connections && !evict_one()) {
        refuse(fd);
        continue;
      }
      auto c = std::make_unique<Connection>(fd, options.limits);
      c->peer = peer_of(fd);
      c->since = Clock::now();
      connections.push_front(std::move(c));
      Connection& conn = *connections.front();
      conn.self = connections.begin();
      watch(conn, EPOLLIN);
    }
  }

  void pause_accepting() {
    epoll_ctl(epoll_fd, EPOLL_CTL_DEL, listen_fd, nullptr);
    accepting = false;
    accept_again = Clock::now() + std::chrono::milliseconds(100);
  }

  // Closes the connection that matters least: drained or idle the longest,
  // else reading its request the longest. False when all are being answered.
  bool evict_one() {
    Connection* victim = nullptr;
    auto rank = [](State s) {
      return s == State::kDraining ? 0 : s == State::kIdle ? 1 : s == State::kReading ? 2 : 3;
    };
    for (auto& c : connections) {
      if (rank(c->state) == 3) continue;
      if (victim == nullptr || rank(c->state) < rank(victim->state) ||
          (rank(c->state) == rank(victim->state) && c->since < victim->since)) {
        victim = c.get();
      }
    }
    if (victim == nullptr) return false;
    close_now(*victim);
    return true;
  }

  void refuse(int fd) {
    std::string answer = reject({503, "server busy: too many connections (try again shortly)"}, peer_of(fd), nullptr,
                                Clock::duration::zero());
    [[maybe_unused]] ssize_t n = ::send(fd, answer.data(), answer.size(), MSG_NOSIGNAL);
    ::shutdown(fd, SHUT_RDWR);
    ::close(fd);
  }

  // ---- reading ----

  void on_readable(Connection& c) {
    std::array<char, 16384> buf;
    for (std::size_t round = 0; round < kReadRounds; ++round) {
      ssize_t n = ::recv(c.fd, buf.data(), buf.size(), 0);
      if (n < 0) {
        if (errno == EINTR) continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK) close_now(c);
        return;
      }
      if (n == 0) return close_now(c);  // the client is gone; a partial request is dropped
      if (c.state == State::kDraining) continue;
      c.in.append(buf.data(), static_cast<std::size_t>(n));
      take_input(c);
      if (c.dead || (c.state != State::kIdle && c.state != State::kReading)) return;
    }
  }

  void take_input(Connection& c) {
    while (!c.in.empty() && (c.state == State::kIdle || c.state == State::kReading)) {
      std::size_t used = c.reader.feed(c.in);
      c.in.erase(0, used);
      if (c.state == State::kIdle && c.reader.started()) enter(c, State::kReading);
      if (c.reader.take_continue()) send_more(c, "HTTP/1.1 100 Continue\r\n\r\n");
      if (c.dead) return;
      if (c.reader.state() == RequestReader::State::kDone) return dispatch(c);
      if (c.reader.state() == RequestReader::State::kFailed) return refuse_request(c, c.reader.rejection());
    }
  }

  void dispatch(Connection& c) {
    Job job{&c, {}};
    job.request.head = c.reader.head();
    job.request.body = std::move(c.reader.body());
    job.request.peer = c.peer;
    job.request.received = Clock::now();
    job.request.close = !c.reader.head().keep_alive || stopping;
    c.gone = std::make_shared<std::atomic<bool>>(false);
    job.request.gone = c.gone;
    enter(c, State::kServing);
    watch(c, EPOLLRDHUP);  // only a hang-up: a pipelined next request waits in the socket
    ++serving;
    {
      std::lock_guard<std::mutex> lock(mutex);
      jobs.push_back(std::move(job));
    }
    work.notify_one();
  }

  void refuse_request(Connection& c, const Rejection& r) {
    const RequestHead& head = c.reader.head();
    const Clock::duration took = c.state == State::kReading ? Clock::now() - c.since : Clock::duration::zero();
    c.close_after = true;
    enter(c, State::kWriting);
    send_more(c, reject(r, c.peer, head.method.empty() ? nullptr : &head, took));
  }

  // ---- writing ----

  void send_more(Connection& c, std::string_view bytes) {
    c.out.append(bytes);
    flush(c);
  }

  void flush(Connection& c) {
    while (c.sent < c.out.size()) {
      ssize_t n = ::send(c.fd, c.out.data() + c.sent, c.out.size() - c.sent, MSG_NOSIGNAL);
      if (n < 0) {
        if (errno == EINTR) continue;
        if (errno == EAGAIN || errno == EWOULDBLOCK) {
          watch(c, c.state == State::kReading ? EPOLLIN | EPOLLOUT : EPOLLOUT);
          return;
        }
        return close_now(c);
      }
      c.sent += static_cast<std::size_t>(n);
    }
    c.out.clear();
    c.sent = 0;
    if (c.state == State::kWriting) return answered(c);
    if (c.state == State::kReading || c.state == State::kIdle) watch(c, EPOLLIN);
  }

  void answered(Connection& c) {
    if (c.close_after || stopping) {
      // Shut our side and drop what the client still sends, so it reads the
      // answer instead of a reset.
      ::shutdown(c.fd, SHUT_WR);
      c.in.clear();
      enter(c, State::kDraining);
      watch(c, EPOLLIN);
      return;
    }
    c.reader.reset();
    enter(c, State::kIdle);
    watch(c, EPOLLIN);
    take_input(c);  // a pipelined request already here
  }

  void take_answers() {
    std::uint64_t n;
    [[maybe_unused]] ssize_t r = ::read(wake_fd, &n, sizeof n);
    std::vector<Done> ready;
    {
      std::lock_guard<std::mutex> lock(mutex);
      ready.swap(done);
    }
    for (Done& d : ready) {
      Connection& c = *d.connection;
      --serving;
      c.close_after = d.response.close;
      enter(c, State::kWriting);
      send_more(c, d.response.bytes);
    }
  }

  // ---- timers ----

  void sweep() {
    const Clock::time_point now = Clock::now();
    if (!accepting && now >= accept_again && !stopping) {
      epoll_event ev{};
      ev.events = EPOLLIN;
      ev.data.ptr = nullptr;
      epoll_ctl(epoll_fd, EPOLL_CTL_ADD, listen_fd, &ev);
      accepting = true;
    }
    for (auto it = connections.begin(); it != connections.end();) {
      Connection& c = **it++;
      const auto age = now - c.since;
      switch (c.state) {
        case State::kIdle:
          if (age > options.idle_timeout) close_now(c);
          break;
        case State::kReading:
          if (age > options.read_timeout) {
            refuse_request(c, {408, "request not received in time (expected all of it within " +
                                        std::to_string(options.read_timeout.count()) + " ms)"});
          }
          break;
        case State::kWriting:
          if (age > options.write_timeout) close_now(c);
          break;
        case State::kDraining:
          if (age > kDrainTime) close_now(c);
          break;
        case State::kServing:
          break;
      }
    }
  }

  // ---- stopping ----

  // On stop: no new connections, none kept that has no request in hand.
  void wind_down() {
    if (listen_fd >= 0) {
      epoll_ctl(epoll_fd, EPOLL_CTL_DEL, listen_fd, nullptr);
      ::close(listen_fd);
      listen_fd = -1;
    }
    for (auto it = connections.begin(); it != connections.end();) {
      Connection& c = **it++;
      if (c.state == State::kIdle || c.state == State::kReading || c.state == State::kDraining) close_now(c);
    }
  }

  void worker_loop() {
    for (;;) {
      Job job;
      {
        std::unique_lock<std::mutex> lock(mutex);
        work.wait(lock, [&] { return workers_quit || !jobs.empty(); });
        if (jobs.empty()) return;
        job = std::move(jobs.front());
        jobs.pop_front();
      }
      Outgoing out = serve(job.request);
      out.close = out.close || job.request.close;
      {
        std::lock_guard<std::mutex> lock(mutex);
        done.push_back({job.connection, std::move(out)});
      }
      std::uint64_t one = 1;
      [[maybe_unused]] ssize_t r = ::write(wake_fd, &one, sizeof one);
    }
  }

  Status loop() {
    std::array<epoll_event, 64> events;
    Clock::time_point last_sweep = Clock::now();
    bool wound_down = false;
    for (;;) {
      if (stopping) {  // each round: connections answered since close too
        wind_down();
        wound_down = true;
      }
      if (wound_down && connections.empty() && serving == 0) return {};
      int n = epoll_wait(epoll_fd, events.data(), static_cast<int>(events.size()),
                         static_cast<int>(kSweepInterval.count()));
      if (n < 0 && errno != EINTR) return Error::internal("the connection loop failed: epoll_wait");
      for (int i = 0; i < n; ++i) {
        void* p = events[i].data.ptr;
        if (p == nullptr) {
          if (listen_fd >= 0) accept_all();
        } else if (p == &wake_fd) {
          take_answers();
        } else {
          auto& c = *static_cast<Connection*>(p);
          if (c.dead) continue;
          if (c.state == State::kServing && (events[i].events & (EPOLLRDHUP | EPOLLHUP | EPOLLERR)) != 0) {
            c.gone->store(true, std::memory_order_relaxed);
            watch(c, 0);  // level-triggered: once is enough; the answer, if any, fails to send and closes it
            continue;
          }
          if ((events[i].events & (EPOLLOUT | EPOLLHUP | EPOLLERR)) != 0 && !c.out.empty()) flush(c);
          if (!c.dead && (events[i].events & (EPOLLIN | EPOLLHUP | EPOLLERR)) != 0 &&
              (c.state == State::kIdle || c.state == State::kReading || c.state == State::kDraining)) {
            on_readable(c);
          }
        }
      }
      graveyard.clear();
      if (Clock::now() - last_sweep >= kSweepInterval) {
        sweep();
        graveyard.clear();
        last_sweep = Clock::now();
      }
    }
  }
};

Transport::Transport(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Transport::~Transport() {
  stop();
  {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    impl_->workers_quit = true;
  }
  impl_->work.notify_all();
  for (auto& t : impl_->workers) t.join();
}

Result<std::unique_ptr<Transport>> Transport::listen(const std::string& host, int port, TransportOptions options,
                                                     ServeFn serve, RejectFn reject) {
  auto impl = std::make_unique<Impl>();
  impl->options = std::move(options);
  impl->serve = std::move(serve);
  impl->reject = std::move(reject);
  const std::string where = port == 0 ? host : host + ":" + std::to_string(port);
  const Error cannot = Error::internal("cannot listen on " + where +
                                       (port == 0 ? " (no free port)" : " (address in use or not available)"));

  addrinfo hints{};
  hints.ai_family = AF_UNSPEC;
  hints.ai_socktype = SOCK_STREAM;
  hints.ai_flags = AI_PASSIVE;
  addrinfo* found = nullptr;
  if (getaddrinfo(host.c_str(), std::to_string(port).c_str(), &hints, &found) != 0) return cannot;
  for (addrinfo* a = found; a != nullptr && impl->listen_fd < 0; a = a->ai_next) {
    int fd = ::socket(a->ai_family, a->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, a->ai_protocol);
    if (fd < 0) continue;
    // SO_REUSEADDR only: SO_REUSEPORT would let a second server share the port.
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (::bind(fd, a->ai_addr, a->ai_addrlen) == 0 && ::listen(fd, SOMAXCONN) == 0) {
      impl->listen_fd = fd;
    } else {
      ::close(fd);
    }
  }
  freeaddrinfo(found);
  if (impl->listen_fd < 0) return cannot;
  sockaddr_storage bound{};
  socklen_t len = sizeof bound;
  getsockname(impl->listen_fd, reinterpret_cast<sockaddr*>(&bound), &len);
  address_text(bound, &impl->port);

  impl->epoll_fd = epoll_create1(EPOLL_CLOEXEC);
  impl->wake_fd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
  if (impl->epoll_fd < 0 || impl->wake_fd < 0) return Error::internal("cannot set up the connection loop");
  epoll_event ev{};
  ev.events = EPOLLIN;
  ev.data.ptr = nullptr;
  epoll_ctl(impl->epoll_fd, EPOLL_CTL_ADD, impl->listen_fd, &ev);
  ev.data.ptr = &impl->wake_fd;
  epoll_ctl(impl->epoll_fd, EPOLL_CTL_ADD, impl->wake_fd, &ev);

  Impl* raw = impl.get();
  for (unsigned i = 0; i < std::max(1u, raw->options.workers); ++i)
    raw->workers.emplace_back([raw] { raw->worker_loop(); });
  return std::unique_ptr<Transport>(new Transport(std::move(impl)));
}

int Transport::port() const { return impl_->port; }

Status Transport::run() { return impl_->loop(); }

void Transport::stop() {
  impl_->stopping = true;
  std::uint64_t one = 1;
  [[maybe_unused]] ssize_t r = ::write(impl_->wake_fd, &one, sizeof one);
}

}  // namespace caravan::server
