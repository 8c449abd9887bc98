// wasi/p1/poll.cc: poll_oneoff — clock subscriptions and fd_read / fd_write readiness.
//
// One pass: decode every subscription (bad descriptors become immediate events with an error),
// turn clock subscriptions into a monotonic deadline, ppoll the host descriptors until the
// earliest deadline (not at all if something is already ready), then report every subscription
// that is ready. Regular files and in-memory streams are always ready, as witx says for files.
#include "wasi/host/poll.h"

#include <algorithm>
#include <optional>
#include <vector>

#include "wasi/host/clocks.h"
#include "wasi/p1/impl.h"

namespace zinc::wasi::p1 {
namespace {

using Kind = Descriptor::Kind;

struct Sub {
  uint64_t userdata = 0;
  Eventtype type = Eventtype::Clock;
  // Clock: monotonic deadline in ns.
  uint64_t deadline = 0;
  // Fd: either an immediate result or an index into the poll entries.
  bool immediate = false;
  Errno error = Errno::Success;
  uint64_t nbytes = 0;
  int poll_index = -1;
  // Filled in at the end.
  bool ready = false;
  bool hangup = false;
};

// Monotonic deadline of a clock subscription.
P1Result<uint64_t> clock_deadline(uint32_t id, uint64_t timeout, uint16_t flags, uint64_t now) {
  if (id >= kNumClockids) return fail(Errno::Inval);
  if (!(flags & subclockflags::kAbstime)) {
    return timeout > UINT64_MAX - now ? UINT64_MAX : now + timeout;
  }
  auto clock = static_cast<host::ClockId>(id);
  if (clock == host::ClockId::Monotonic) return timeout;
  // Other clocks: wait for the distance between their "now" and the absolute timeout.
  auto other_now = host::clock_now(clock);
  if (!other_now) return fail_host(other_now.error());
  uint64_t left = timeout > *other_now ? timeout - *other_now : 0;
  return left > UINT64_MAX - now ? UINT64_MAX : now + left;
}

// Decides how an fd subscription is watched: an immediate event or a host poll entry.
void plan_fd(Env& env, Sub& sub, uint32_t fd, std::vector<host::PollEntry>& entries) {
  auto d = env.descriptor(fd);
  if (!d) {
    sub.immediate = true;
    sub.error = Errno::BadF;
    return;
  }
  Descriptor& desc = **d;
  bool want_read = sub.type == Eventtype::FdRead;
  int poll_fd = -1;
  switch (desc.kind) {
    case Kind::File: {
      sub.immediate = true;
      if (want_read) {
        auto st = desc.file->stat();
        auto pos = desc.file->tell();
        if (st && pos && st->size > *pos) sub.nbytes = st->size - *pos;
      }
      return;
    }
    case Kind::Dir:
      sub.immediate = true;
      sub.error = Errno::IsDir;
      return;
    case Kind::InputStream:
      if (!want_read) {
        sub.immediate = true;
        sub.error = Errno::BadF;
        return;
      }
      poll_fd = desc.input->poll_fd();
      if (poll_fd < 0) {
        sub.immediate = desc.input->ready();
        if (!sub.immediate) return;  // never ready: behaves like a stream with no data
      }
      break;
    case Kind::OutputStream:
      if (want_read) {
        sub.immediate = true;
        sub.error = Errno::BadF;
        return;
      }
      poll_fd = desc.output->poll_fd();
      if (poll_fd < 0) sub.immediate = true;
      break;
    case Kind::Socket:
      poll_fd = desc.socket->fd();
      break;
  }
  if (sub.immediate) return;
  if (poll_fd < 0) return;
  host::PollEntry e;
  e.fd = poll_fd;
  e.want_read = want_read;
  e.want_write = !want_read;
  sub.poll_index = static_cast<int>(entries.size());
  entries.push_back(e);
}

}  // namespace

namespace impl {

Errno poll_oneoff(Env& env, uint32_t in, uint32_t out, uint32_t nsubscriptions,
                  uint32_t nevents_out) {
  using S = layout::Subscription;
  using E = layout::Event;
  if (nsubscriptions == 0) return Errno::Inval;
  auto in_span = env.object(in, 0, S::kAlign);
  if (!in_span) return in_span.error();
  auto subs_bytes = env.bytes(in, uint64_t{nsubscriptions} * S::kSize);
  if (!subs_bytes) return subs_bytes.error();
  auto out_span = env.object(out, 0, E::kAlign);
  if (!out_span) return out_span.error();
  auto events_bytes = env.bytes(out, uint64_t{nsubscriptions} * E::kSize);
  if (!events_bytes) return events_bytes.error();
  if (auto r = env.object(nevents_out, 4, 4); !r) return r.error();
  if (nsubscriptions > kMaxSubscriptions) return Errno::NoMem;

  auto now = host::clock_now(host::ClockId::Monotonic);
  if (!now) return errno_from_host(now.error());

  std::vector<Sub> subs(nsubscriptions);
  std::vector<host::PollEntry> entries;
  std::optional<uint64_t> earliest;
  bool any_immediate = false;
  for (uint32_t i = 0; i < nsubscriptions; ++i) {
    std::span<const uint8_t> s = subs_bytes->subspan(i * S::kSize, S::kSize);
    Sub& sub = subs[i];
    sub.userdata = get<uint64_t>(s, S::kUserdata);
    uint8_t tag = get<uint8_t>(s, S::kTag);
    if (tag > static_cast<uint8_t>(Eventtype::FdWrite)) return Errno::Inval;
    sub.type = static_cast<Eventtype>(tag);
    if (sub.type == Eventtype::Clock) {
      auto deadline =
          clock_deadline(get<uint32_t>(s, S::kClockId), get<uint64_t>(s, S::kClockTimeout),
                         get<uint16_t>(s, S::kClockFlags), *now);
      if (!deadline) {
        sub.immediate = true;
        sub.error = deadline.error();
        any_immediate = true;
        continue;
      }
      sub.deadline = *deadline;
      earliest = earliest ? std::min(*earliest, *deadline) : *deadline;
    } else {
      plan_fd(env, sub, get<uint32_t>(s, S::kFd), entries);
      any_immediate |= sub.immediate;
    }
  }

  if (!any_immediate && !earliest && entries.empty()) {
    return Errno::Inval;  // nothing could ever become ready
  }

  uint32_t nevents = 0;
  for (;;) {
    std::optional<uint64_t> timeout;  // nullopt: wait for a descriptor
    if (any_immediate) {
      timeout = 0;
    } else if (earliest) {
      timeout = *earliest > *now ? *earliest - *now : 0;
    }
    auto polled = host::poll_fds(entries, timeout);
    if (!polled) return errno_from_host(polled.error());
    auto after = host::clock_now(host::ClockId::Monotonic);
    if (!after) return errno_from_host(after.error());
    *now = *after;

    for (Sub& sub : subs) {
      if (sub.immediate) {
        sub.ready = true;
      } else if (sub.type == Eventtype::Clock) {
        sub.ready = sub.deadline <= *now;
      } else if (sub.poll_index >= 0) {
        const host::PollEntry& e = entries[static_cast<size_t>(sub.poll_index)];
        sub.ready = e.ready();
        sub.hangup = e.hangup;
        if (e.error && !e.readable && !e.writable && !e.hangup) sub.error = Errno::Io;
        if (sub.ready && sub.type == Eventtype::FdRead) {
          sub.nbytes = host::bytes_readable(e.fd).value_or(0);
        }
      }
      if (!sub.ready) continue;
      std::span<uint8_t> ev = events_bytes->subspan(nevents * E::kSize, E::kSize);
      std::fill(ev.begin(), ev.end(), uint8_t{0});
      put<uint64_t>(ev, E::kUserdata, sub.userdata);
      put<uint16_t>(ev, E::kError, static_cast<uint16_t>(sub.error));
      put<uint8_t>(ev, E::kType, static_cast<uint8_t>(sub.type));
      if (sub.type != Eventtype::Clock) {
        put<uint64_t>(ev, E::kNbytes, sub.nbytes);
        put<uint16_t>(ev, E::kFlags, sub.hangup ? eventrwflags::kHangup : 0);
      }
      ++nevents;
    }
    // A timed wait can end a hair before the deadline as the clock sees it: wait again.
    if (nevents > 0) break;
  }
  return env.store<uint32_t>(nevents_out, nevents);
}

}  // namespace impl
}  // namespace zinc::wasi::p1
