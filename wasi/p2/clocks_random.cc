// wasi/p2/clocks_random.cc: wasi:clocks 0.2 (monotonic-clock with subscribe-instant /
// subscribe-duration pollables, wall-clock, the unstable timezone: UTC) and wasi:random 0.2
// (random, insecure, insecure-seed), over wasi/host/clocks.h and random.h.
//
// Random byte requests are capped at kMaxRandomBytes per call (a guest asking for more traps
// rather than making the host allocate without bound).
#include <cstring>
#include <random>

#include "wasi/host/clocks.h"
#include "wasi/host/random.h"
#include "wasi/p2/host.h"

namespace zinc::wasi::p2 {

namespace {

constexpr uint64_t kMaxRandomBytes = uint64_t{64} << 20;

Ret clock_value(host::ClockId id, bool resolution) {
  auto v = resolution ? host::clock_resolution(id) : host::clock_now(id);
  if (!v.ok()) return trap("the host clock is unavailable");
  return ret(cm::Val::u64(*v));
}

Ret mono_now(Host&, std::span<const cm::Val>) {
  return clock_value(host::ClockId::Monotonic, false);
}
Ret mono_resolution(Host&, std::span<const cm::Val>) {
  return clock_value(host::ClockId::Monotonic, true);
}

Ret subscribe(Host& h, uint64_t deadline) {
  PollSource s;
  s.deadline_ns = deadline;
  return ret(h.own(std::make_shared<Pollable>(std::move(s))));
}
Ret mono_subscribe_instant(Host& h, std::span<const cm::Val> a) { return subscribe(h, a[0].bits); }
Ret mono_subscribe_duration(Host& h, std::span<const cm::Val> a) {
  auto now = host::clock_now(host::ClockId::Monotonic);
  if (!now.ok()) return trap("the host clock is unavailable");
  const uint64_t d = a[0].bits;
  return subscribe(h, *now > UINT64_MAX - d ? UINT64_MAX : *now + d);
}

cm::Val datetime(uint64_t ns) {
  return cm::Val::record({"seconds", "nanoseconds"},
                         {cm::Val::u64(ns / 1000000000u),
                          cm::Val::u32(static_cast<uint32_t>(ns % 1000000000u))});
}
Ret wall_now(Host&, std::span<const cm::Val>) {
  auto v = host::clock_now(host::ClockId::Realtime);
  if (!v.ok()) return trap("the host clock is unavailable");
  return ret(datetime(*v));
}
Ret wall_resolution(Host&, std::span<const cm::Val>) {
  auto v = host::clock_resolution(host::ClockId::Realtime);
  if (!v.ok()) return trap("the host clock is unavailable");
  return ret(datetime(*v));
}

// The guest sees UTC: the sandbox does not reveal the host's time zone.
Ret tz_display(Host&, std::span<const cm::Val>) {
  return ret(cm::Val::record({"utc-offset", "name", "in-daylight-saving-time"},
                             {cm::Val::s32(0), cm::Val::string("UTC"), cm::Val::boolean(false)}));
}
Ret tz_utc_offset(Host&, std::span<const cm::Val>) { return ret(cm::Val::s32(0)); }

Ret random_bytes(Host&, std::span<const cm::Val> a) {
  const uint64_t n = a[0].bits;
  if (n > kMaxRandomBytes) {
    return trap("wasi:random: " + std::to_string(n) + " random bytes asked for at once (at most " +
                std::to_string(kMaxRandomBytes) + ")");
  }
  std::string out(n, '\0');
  if (!host::random_fill({reinterpret_cast<uint8_t*>(out.data()), out.size()}).ok()) {
    return trap("the host's random source failed");
  }
  return ret(bytes_val(std::move(out)));
}
Ret random_u64(Host&, std::span<const cm::Val>) {
  uint64_t v = 0;
  if (!host::random_fill({reinterpret_cast<uint8_t*>(&v), sizeof v}).ok()) {
    return trap("the host's random source failed");
  }
  return ret(cm::Val::u64(v));
}
Ret insecure_seed(Host& h, std::span<const cm::Val> a) {
  auto lo = random_u64(h, a), hi = random_u64(h, a);
  if (!lo.ok()) return lo;
  if (!hi.ok()) return hi;
  return ret(cm::Val::tuple({std::move(**lo), std::move(**hi)}));
}

constexpr FuncDef kFuncs[] = {
    {"wasi:clocks/monotonic-clock", "now", mono_now},
    {"wasi:clocks/monotonic-clock", "resolution", mono_resolution},
    {"wasi:clocks/monotonic-clock", "subscribe-instant", mono_subscribe_instant},
    {"wasi:clocks/monotonic-clock", "subscribe-duration", mono_subscribe_duration},
    {"wasi:clocks/wall-clock", "now", wall_now},
    {"wasi:clocks/wall-clock", "resolution", wall_resolution},
    {"wasi:clocks/timezone", "display", tz_display},
    {"wasi:clocks/timezone", "utc-offset", tz_utc_offset},
};

constexpr FuncDef kRandomFuncs[] = {
    {"wasi:random/random", "get-random-bytes", random_bytes},
    {"wasi:random/random", "get-random-u64", random_u64},
    // The insecure variants use the same source: cheap enough, and never predictable.
    {"wasi:random/insecure", "get-insecure-random-bytes", random_bytes},
    {"wasi:random/insecure", "get-insecure-random-u64", random_u64},
    {"wasi:random/insecure-seed", "insecure-seed", insecure_seed},
};

}  // namespace

std::span<const FuncDef> clocks_funcs() { return kFuncs; }
std::span<const FuncDef> random_funcs() { return kRandomFuncs; }

}  // namespace zinc::wasi::p2
