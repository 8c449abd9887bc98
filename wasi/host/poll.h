// wasi/host/poll.h: waiting for descriptor readiness with a nanosecond timeout (ppoll(2)).
//
// The building block of WASI P1 poll_oneoff and of P2 pollables backed by host descriptors.
// Readiness is level-triggered and advisory: a ready descriptor may still block or fail later.
#pragma once

#include <cstdint>
#include <optional>
#include <span>

#include "wasi/host/errno.h"

namespace zinc::wasi::host {

struct PollEntry {
  int fd = -1;
  bool want_read = false;
  bool want_write = false;
  // Results.
  bool readable = false;
  bool writable = false;
  bool hangup = false;  // peer closed / end of stream
  bool error = false;   // error condition or invalid descriptor
  bool ready() const { return readable || writable || hangup || error; }
};

/// Waits until some entry is ready or `timeout_ns` passes (nullopt: no timeout; 0: just look).
/// Returns the number of ready entries (0 after a timeout). An empty `entries` just sleeps.
HostResult<size_t> poll_fds(std::span<PollEntry> entries, std::optional<uint64_t> timeout_ns);

/// Bytes readable without blocking (FIONREAD), when the descriptor can tell.
std::optional<uint64_t> bytes_readable(int fd);

}  // namespace zinc::wasi::host
