// wasi/p1/sock.cc: sock_accept, sock_recv, sock_send, sock_shutdown on descriptors the embedder
// preopened as sockets (WasiCtxBuilder::preopen_socket). Other descriptors answer NotSock.
#include "wasi/p1/impl.h"

namespace zinc::wasi::p1 {
namespace {

P1Result<std::shared_ptr<host::Socket>> socket_of(Env& env, uint32_t fd) {
  auto d = env.descriptor(fd);
  if (!d) return fail(d.error());
  if ((*d)->kind != Descriptor::Kind::Socket) return fail(Errno::NotSock);
  return (*d)->socket;
}

}  // namespace

namespace impl {

Errno sock_accept(Env& env, uint32_t fd, uint32_t flags, uint32_t fd_out) {
  auto s = socket_of(env, fd);
  if (!s) return s.error();
  if (flags & ~uint32_t{fdflags::kNonblock}) return Errno::Inval;
  if (auto out = env.object(fd_out, 4, 4); !out) return out.error();
  auto conn = (*s)->accept(flags & fdflags::kNonblock);
  if (!conn) return errno_from_host(conn.error());
  auto desc = std::make_shared<Descriptor>();
  desc->kind = Descriptor::Kind::Socket;
  desc->socket = std::move(*conn);
  auto handle = env.ctx().fds().insert(std::move(desc));
  if (!handle) return errno_from_host(handle.error());
  return env.store<uint32_t>(fd_out, *handle);
}

Errno sock_recv(Env& env, uint32_t fd, uint32_t ri_data, uint32_t ri_data_len, uint32_t ri_flags,
                uint32_t ro_datalen_out, uint32_t ro_flags_out) {
  auto s = socket_of(env, fd);
  if (!s) return s.error();
  if (ri_flags & ~riflags::kAll) return Errno::Inval;
  auto iovs = env.iovecs(ri_data, ri_data_len);
  if (!iovs) return iovs.error();
  auto r = (*s)->recv(*iovs, ri_flags & riflags::kPeek, ri_flags & riflags::kWaitall);
  if (!r) return errno_from_host(r.error());
  if (Errno e = env.store<uint32_t>(ro_datalen_out, static_cast<uint32_t>(r->bytes));
      e != Errno::Success) {
    return e;
  }
  return env.store<uint16_t>(ro_flags_out, r->truncated ? roflags::kDataTruncated : 0);
}

Errno sock_send(Env& env, uint32_t fd, uint32_t si_data, uint32_t si_data_len, uint32_t si_flags,
                uint32_t so_datalen_out) {
  auto s = socket_of(env, fd);
  if (!s) return s.error();
  if (si_flags != 0) return Errno::Inval;  // siflags has no defined bits
  auto iovs = env.iovecs(si_data, si_data_len);
  if (!iovs) return iovs.error();
  auto n = (*s)->send(*iovs);
  if (!n) return errno_from_host(n.error());
  return env.store<uint32_t>(so_datalen_out, static_cast<uint32_t>(*n));
}

Errno sock_shutdown(Env& env, uint32_t fd, uint32_t how) {
  auto s = socket_of(env, fd);
  if (!s) return s.error();
  if (how == 0 || (how & ~sdflags::kAll)) return Errno::Inval;
  auto r = (*s)->shutdown(how & sdflags::kRd, how & sdflags::kWr);
  return r ? Errno::Success : errno_from_host(r.error());
}

}  // namespace impl
}  // namespace zinc::wasi::p1
