// wasi/host/clocks.h: the host clocks a guest may read, in nanoseconds.
//
// Realtime is nanoseconds since the Unix epoch (clamped at 0 and UINT64_MAX); Monotonic has an
// arbitrary epoch and never goes backwards; the CPU-time clocks measure this process / the
// calling thread. Nothing here blocks except sleep_ns.
#pragma once

#include <cstdint>

#include "wasi/host/errno.h"

namespace zinc::wasi::host {

enum class ClockId : uint8_t { Realtime, Monotonic, ProcessCpuTime, ThreadCpuTime };

HostResult<uint64_t> clock_now(ClockId clock);
HostResult<uint64_t> clock_resolution(ClockId clock);

/// Sleeps for `ns` nanoseconds of monotonic time (restarting after signals).
void sleep_ns(uint64_t ns);

}  // namespace zinc::wasi::host
