// wasi/host/clocks.cc: clock_gettime / clock_getres / clock_nanosleep wrappers.
#include "wasi/host/clocks.h"

#include <time.h>

#include <cerrno>

namespace zinc::wasi::host {
namespace {

clockid_t posix_clock(ClockId clock) {
  switch (clock) {
    case ClockId::Realtime:
      return CLOCK_REALTIME;
    case ClockId::Monotonic:
      return CLOCK_MONOTONIC;
    case ClockId::ProcessCpuTime:
      return CLOCK_PROCESS_CPUTIME_ID;
    case ClockId::ThreadCpuTime:
      return CLOCK_THREAD_CPUTIME_ID;
  }
  return CLOCK_MONOTONIC;
}

uint64_t to_ns(const timespec& ts) {
  if (ts.tv_sec < 0) return 0;
  auto sec = static_cast<uint64_t>(ts.tv_sec);
  if (sec > UINT64_MAX / 1'000'000'000u) return UINT64_MAX;
  return sec * 1'000'000'000u + static_cast<uint64_t>(ts.tv_nsec);
}

}  // namespace

HostResult<uint64_t> clock_now(ClockId clock) {
  timespec ts;
  if (clock_gettime(posix_clock(clock), &ts) != 0) return fail_errno();
  return to_ns(ts);
}

HostResult<uint64_t> clock_resolution(ClockId clock) {
  timespec ts;
  if (clock_getres(posix_clock(clock), &ts) != 0) return fail_errno();
  uint64_t ns = to_ns(ts);
  return ns == 0 ? uint64_t{1} : ns;
}

void sleep_ns(uint64_t ns) {
  timespec now;
  clock_gettime(CLOCK_MONOTONIC, &now);
  uint64_t deadline = to_ns(now);
  deadline = ns > UINT64_MAX - deadline ? UINT64_MAX : deadline + ns;
  timespec until;
  until.tv_sec = static_cast<time_t>(deadline / 1'000'000'000u);
  until.tv_nsec = static_cast<long>(deadline % 1'000'000'000u);
  while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &until, nullptr) == EINTR) {
  }
}

}  // namespace zinc::wasi::host
