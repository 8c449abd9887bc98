// wasi/host/poll.cc: ppoll(2) with restarts that keep the original deadline.
#include "wasi/host/poll.h"

#include <poll.h>
#include <sys/ioctl.h>
#include <time.h>

#include <cerrno>
#include <vector>

#include "wasi/host/clocks.h"

namespace zinc::wasi::host {

HostResult<size_t> poll_fds(std::span<PollEntry> entries, std::optional<uint64_t> timeout_ns) {
  std::vector<pollfd> fds(entries.size());
  for (size_t i = 0; i < entries.size(); ++i) {
    fds[i].fd = entries[i].fd;
    fds[i].events = static_cast<short>((entries[i].want_read ? POLLIN : 0) |
                                       (entries[i].want_write ? POLLOUT : 0));
    fds[i].revents = 0;
  }
  std::optional<uint64_t> deadline;
  if (timeout_ns) {
    auto now = clock_now(ClockId::Monotonic);
    if (!now) return fail(now.error());
    deadline = *timeout_ns > UINT64_MAX - *now ? UINT64_MAX : *now + *timeout_ns;
  }
  for (;;) {
    timespec ts;
    timespec* tsp = nullptr;
    if (deadline) {
      auto now = clock_now(ClockId::Monotonic);
      if (!now) return fail(now.error());
      uint64_t left = *deadline > *now ? *deadline - *now : 0;
      ts.tv_sec = static_cast<time_t>(left / 1'000'000'000u);
      ts.tv_nsec = static_cast<long>(left % 1'000'000'000u);
      tsp = &ts;
    }
    int n = ::ppoll(fds.data(), fds.size(), tsp, nullptr);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail_errno();
    }
    size_t ready = 0;
    for (size_t i = 0; i < entries.size(); ++i) {
      short r = fds[i].revents;
      entries[i].readable = (r & POLLIN) != 0;
      entries[i].writable = (r & POLLOUT) != 0;
      entries[i].hangup = (r & POLLHUP) != 0;
      entries[i].error = (r & (POLLERR | POLLNVAL)) != 0;
      if (entries[i].ready()) ++ready;
    }
    return ready;
  }
}

std::optional<uint64_t> bytes_readable(int fd) {
  int n = 0;
  if (::ioctl(fd, FIONREAD, &n) != 0 || n < 0) return std::nullopt;
  return static_cast<uint64_t>(n);
}

}  // namespace zinc::wasi::host
