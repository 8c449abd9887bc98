// wasi/p2/host.cc: the WASI 0.2 host's resource table (Host), stream errors and waiting on
// poll sources (host.h).
#include <cstring>
#include <string>

#include "wasi/host/clocks.h"
#include "wasi/host/poll.h"
#include "wasi/p2/host.h"

namespace zinc::wasi::p2 {

Host::Host(host::WasiConfig c, cm::TypeTable& t)
    : config(std::move(c)), types(t), table_(kMaxResources) {}

Result<uint32_t> Host::push(std::shared_ptr<Resource> r, std::optional<uint32_t> parent) {
  std::shared_ptr<Resource> p;
  if (parent) {
    p = table_.get(*parent);
    if (!p) return api_error(ErrorKind::Trap, "WASI: parent resource is gone");
  }
  r->parent = parent;
  auto rep = table_.insert(std::move(r));
  if (!rep.ok()) {
    return api_error(ErrorKind::Trap, "WASI: the resource table is full (" +
                                          std::to_string(kMaxResources) + " objects)");
  }
  if (p) ++p->children;
  return *rep;
}

Result<cm::Val> Host::own(std::shared_ptr<Resource> r, std::optional<uint32_t> parent) {
  const Kind k = r->kind;
  auto rep = push(std::move(r), parent);
  if (!rep.ok()) return unexpected(rep.error());
  return cm::host_handle(cm::ValKind::Own, rt[static_cast<size_t>(k)], *rep);
}

Result<std::shared_ptr<Resource>> Host::get(const cm::Val& handle, Kind k) {
  std::shared_ptr<Resource> r =
      handle.bits <= 0xffffffffu ? table_.get(static_cast<uint32_t>(handle.bits)) : nullptr;
  if (!r || r->kind != k) {
    return api_error(ErrorKind::Trap, std::string("WASI: handle is not a live ") + kind_name(k));
  }
  return r;
}

Result<void> Host::drop(uint32_t rep) {
  std::shared_ptr<Resource> r = table_.get(rep);
  if (!r) return api_error(ErrorKind::Trap, "WASI: dropping an unknown resource");
  if (r->children > 0) {
    return api_error(ErrorKind::Trap, std::string("WASI: cannot drop a ") + kind_name(r->kind) +
                                          " that still has children (drop them first)");
  }
  if (r->parent) {
    if (std::shared_ptr<Resource> p = table_.get(*r->parent); p && p->children > 0) {
      --p->children;
    }
  }
  table_.remove(rep);
  return {};
}

Result<cm::Val> Host::stream_error(const StreamError& e) {
  if (e.closed) return cm::Val::variant("closed");
  auto error = own(std::make_shared<ErrorRes>(e.message, e.code));
  if (!error.ok()) return unexpected(error.error());
  return cm::Val::variant("last-operation-failed", {std::move(*error)});
}

StreamError StreamError::from(host::Errno e) {
  if (e == host::Errno::Pipe || e == host::Errno::ConnReset) return at_end();
  const int posix = host::posix_errno(e);
  StreamError out = failed(posix > 0 ? std::strerror(posix) : std::string(host::errno_name(e)));
  out.code = e;
  return out;
}

std::optional<StreamError> InputStreamRes::skip(uint64_t max, bool blocking, uint64_t* skipped) {
  std::string buf;
  auto e = read(max, blocking, buf);
  *skipped = buf.size();
  return e;
}

std::string bytes_of(const cm::Val& v) {
  if (v.packed) return v.str;
  std::string out;
  out.reserve(v.items.size());
  for (const cm::Val& x : v.items) out.push_back(static_cast<char>(x.bits));
  return out;
}

bool is_ready(const PollSource& s) {
  if (s.ready_test) return s.ready_test();
  if (s.deadline_ns) {
    auto now = host::clock_now(host::ClockId::Monotonic);
    return now.ok() && *now >= *s.deadline_ns;
  }
  if (s.fd < 0) return true;
  host::PollEntry e;
  e.fd = s.fd;
  e.want_read = s.want_read;
  e.want_write = s.want_write;
  auto n = host::poll_fds(std::span<host::PollEntry>(&e, 1), uint64_t{0});
  return !n.ok() || *n > 0;
}

void block_on(const PollSource& s) {
  while (!is_ready(s)) {
    if (s.deadline_ns) {
      auto now = host::clock_now(host::ClockId::Monotonic);
      if (now.ok() && *now < *s.deadline_ns) host::sleep_ns(*s.deadline_ns - *now);
    } else if (s.fd >= 0) {
      host::PollEntry e;
      e.fd = s.fd;
      e.want_read = s.want_read;
      e.want_write = s.want_write;
      (void)host::poll_fds(std::span<host::PollEntry>(&e, 1), std::nullopt);
    } else {
      host::sleep_ns(1000000);  // a ready test without a descriptor: check every millisecond
    }
  }
}

}  // namespace zinc::wasi::p2
