// wasi/p1/env.h: what one wasi_snapshot_preview1 call works with: the WasiCtx, checked access
// to the caller's linear memory, and the trap (or exit) that ends the call instead of an errno.
//
// Invariants:
//  - guest memory is touched only through spans obtained from zinc::Memory::span, i.e. bounds
//    checked; a pointer out of bounds or misaligned for its type traps (witx-docs: "If a
//    misaligned pointer is passed to a function, the function shall trap", likewise out of
//    bounds) — it never becomes an errno and never reaches host memory;
//  - spans are valid for the duration of the call only (memory cannot grow during a host call);
//  - host allocations driven by guest values are capped (iovec count, path length, poll
//    subscriptions), never proportional to an arbitrary guest size.
// Internal to wasi/p1.
#pragma once

#include <sys/uio.h>

#include <bit>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "wasi/p1/ctx.h"
#include "wasi/p1/types.h"
#include "zinc/extern.h"
#include "zinc/func.h"
#include "zinc/result.h"
#include "zinc/trap.h"

namespace zinc::wasi::p1 {

static_assert(std::endian::native == std::endian::little,
              "guest structs are written with host byte order");

template <typename T>
using P1Result = zinc::Result<T, Errno>;

/// `return fail(Errno::BadF);` in a function returning P1Result<T>.
inline Unexpected<Errno> fail(Errno e) {
  return Unexpected<Errno>{e};
}
inline Unexpected<Errno> fail_host(host::Errno e) {
  return Unexpected<Errno>{errno_from_host(e)};
}

/// At most this many iovecs are used per call (Linux IOV_MAX); the rest are ignored, which
/// makes the transfer shorter, as POSIX allows.
inline constexpr uint32_t kMaxIovecs = 1024;
/// poll_oneoff subscriptions per call (more: NoMem, like an exhausted host-call budget).
inline constexpr uint32_t kMaxSubscriptions = 4096;

// Little-endian field access within a checked span (offsets are compile-time layout constants).
template <typename T>
void put(std::span<uint8_t> s, uint32_t off, T v) {
  std::memcpy(s.data() + off, &v, sizeof(T));
}
template <typename T>
T get(std::span<const uint8_t> s, uint32_t off) {
  T v;
  std::memcpy(&v, s.data() + off, sizeof(T));
  return v;
}

class Env {
 public:
  Env(WasiCtx& ctx, Caller& caller, const char* func) : ctx_(ctx), caller_(caller), func_(func) {}

  WasiCtx& ctx() { return ctx_; }
  const char* func() const { return func_; }

  /// The descriptor `fd`, or BadF.
  P1Result<std::shared_ptr<Descriptor>> descriptor(uint32_t fd);

  /// [ptr, ptr + len) of guest memory (no alignment requirement). Empty ranges are not
  /// checked: a zero-length buffer may point anywhere.
  P1Result<std::span<uint8_t>> bytes(uint32_t ptr, uint64_t len);
  /// A struct or scalar of `size` bytes aligned to `align`.
  P1Result<std::span<uint8_t>> object(uint32_t ptr, uint32_t size, uint32_t align);

  template <typename T>
  P1Result<T> load(uint32_t ptr) {
    auto s = object(ptr, sizeof(T), alignof(T));
    if (!s) return fail(s.error());
    return get<T>(*s, 0);
  }
  /// Stores an aligned scalar; returns Success or Trap.
  template <typename T>
  Errno store(uint32_t ptr, T v) {
    auto s = object(ptr, sizeof(T), alignof(T));
    if (!s) return s.error();
    put<T>(*s, 0, v);
    return Errno::Success;
  }

  /// A path argument: bounds checked (trap), at most host::kMaxPathLength bytes (NameTooLong),
  /// valid UTF-8 (IllegalSeq). Points into guest memory.
  P1Result<std::string_view> string(uint32_t ptr, uint32_t len);

  /// An iovec/ciovec array as host iovecs pointing into guest memory (at most kMaxIovecs).
  P1Result<std::vector<iovec>> iovecs(uint32_t ptr, uint32_t len);

  /// Records a trap for this call and returns Errno::Trap.
  Errno trap(std::string message, TrapCode code = TrapCode::HostTrap);
  /// Records an exit (proc_exit) and returns Errno::Trap.
  Errno exit(uint32_t code);
  /// The recorded trap or exit (after a call returned Errno::Trap).
  Error take_error() { return std::move(error_); }

 private:
  WasiCtx& ctx_;
  Caller& caller_;
  const char* func_;
  std::optional<Memory> memory_;
  bool memory_looked_up_ = false;
  Error error_;
};

bool is_valid_utf8(std::string_view s);

}  // namespace zinc::wasi::p1
