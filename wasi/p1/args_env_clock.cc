// wasi/p1/args_env_clock.cc: args_*, environ_*, clock_*, random_get, proc_*, sched_yield.
#include <sched.h>

#include <string>
#include <vector>

#include "wasi/host/clocks.h"
#include "wasi/host/random.h"
#include "wasi/p1/impl.h"

namespace zinc::wasi::p1 {
namespace {

// The argv/environ convention: `ptrs` receives one u32 pointer per string, each pointing into
// `buf`, which receives the strings back to back, each NUL-terminated.
Errno store_string_list(Env& env, const std::vector<std::string>& list, uint32_t ptrs,
                        uint32_t buf) {
  uint64_t total = 0;
  for (const auto& s : list) total += s.size() + 1;
  if (!list.empty() && ptrs % 4 != 0) {
    return env.trap("wasi " + std::string(env.func()) + ": misaligned pointer array");
  }
  auto ptr_span = env.bytes(ptrs, uint64_t{list.size()} * 4);
  if (!ptr_span) return ptr_span.error();
  auto buf_span = env.bytes(buf, total);
  if (!buf_span) return buf_span.error();
  uint64_t off = 0;
  for (size_t i = 0; i < list.size(); ++i) {
    // In bounds of a 32-bit memory, so buf + off fits in u32.
    put<uint32_t>(*ptr_span, static_cast<uint32_t>(i * 4), static_cast<uint32_t>(buf + off));
    std::memcpy(buf_span->data() + off, list[i].data(), list[i].size());
    off += list[i].size();
    (*buf_span)[off++] = 0;
  }
  return Errno::Success;
}

Errno store_list_sizes(Env& env, const std::vector<std::string>& list, uint32_t count_out,
                       uint32_t size_out) {
  uint64_t total = 0;
  for (const auto& s : list) total += s.size() + 1;
  if (list.size() > UINT32_MAX || total > UINT32_MAX) return Errno::Overflow;
  if (Errno e = env.store<uint32_t>(count_out, static_cast<uint32_t>(list.size()));
      e != Errno::Success) {
    return e;
  }
  return env.store<uint32_t>(size_out, static_cast<uint32_t>(total));
}

P1Result<host::ClockId> clock_of(uint32_t id) {
  if (id >= kNumClockids) return fail(Errno::Inval);
  return static_cast<host::ClockId>(id);  // same order as witx clockid
}

}  // namespace

namespace impl {

Errno args_get(Env& env, uint32_t argv, uint32_t argv_buf) {
  return store_string_list(env, env.ctx().args(), argv, argv_buf);
}

Errno args_sizes_get(Env& env, uint32_t argc_out, uint32_t argv_buf_size_out) {
  return store_list_sizes(env, env.ctx().args(), argc_out, argv_buf_size_out);
}

Errno environ_get(Env& env, uint32_t environ, uint32_t environ_buf) {
  return store_string_list(env, env.ctx().env(), environ, environ_buf);
}

Errno environ_sizes_get(Env& env, uint32_t count_out, uint32_t buf_size_out) {
  return store_list_sizes(env, env.ctx().env(), count_out, buf_size_out);
}

Errno clock_res_get(Env& env, uint32_t clock_id, uint32_t resolution_out) {
  auto clock = clock_of(clock_id);
  if (!clock) return clock.error();
  auto res = host::clock_resolution(*clock);
  if (!res) return errno_from_host(res.error());
  return env.store<uint64_t>(resolution_out, *res);
}

Errno clock_time_get(Env& env, uint32_t clock_id, uint64_t /*precision*/, uint32_t time_out) {
  auto clock = clock_of(clock_id);
  if (!clock) return clock.error();
  auto now = host::clock_now(*clock);
  if (!now) return errno_from_host(now.error());
  return env.store<uint64_t>(time_out, *now);
}

Errno random_get(Env& env, uint32_t buf, uint32_t buf_len) {
  auto s = env.bytes(buf, buf_len);
  if (!s) return s.error();
  if (auto r = host::random_fill(*s); !r) return errno_from_host(r.error());
  return Errno::Success;
}

Errno proc_exit(Env& env, uint32_t rval) {
  return env.exit(rval);
}

Errno proc_raise(Env& env, uint32_t sig) {
  if (sig >= kNumSignals) return Errno::Inval;
  return env.trap("wasi proc_raise(" + std::to_string(sig) + "): signals are not supported");
}

Errno sched_yield(Env&) {
  ::sched_yield();
  return Errno::Success;
}

}  // namespace impl
}  // namespace zinc::wasi::p1
