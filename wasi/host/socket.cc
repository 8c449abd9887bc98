// wasi/host/socket.cc: socket / bind / connect / listen / accept4 / recvmsg / sendmsg /
// shutdown / sockopt wrappers, and the sockaddr <-> IpEndpoint conversions.
#include "wasi/host/socket.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <climits>
#include <cstring>

namespace zinc::wasi::host {
namespace {

std::span<const iovec> clamp(std::span<const iovec> iovs) {
  return iovs.size() > IOV_MAX ? iovs.first(IOV_MAX) : iovs;
}

socklen_t to_sockaddr(const IpEndpoint& e, sockaddr_storage* ss) {
  std::memset(ss, 0, sizeof *ss);
  if (e.v6) {
    auto* a = reinterpret_cast<sockaddr_in6*>(ss);
    a->sin6_family = AF_INET6;
    a->sin6_port = htons(e.port);
    a->sin6_flowinfo = htonl(e.flow_info);
    std::memcpy(&a->sin6_addr, e.addr, 16);
    a->sin6_scope_id = e.scope_id;
    return sizeof *a;
  }
  auto* a = reinterpret_cast<sockaddr_in*>(ss);
  a->sin_family = AF_INET;
  a->sin_port = htons(e.port);
  std::memcpy(&a->sin_addr, e.addr, 4);
  return sizeof *a;
}

HostResult<IpEndpoint> from_sockaddr(const sockaddr_storage& ss) {
  IpEndpoint e;
  if (ss.ss_family == AF_INET6) {
    const auto* a = reinterpret_cast<const sockaddr_in6*>(&ss);
    e.v6 = true;
    e.port = ntohs(a->sin6_port);
    e.flow_info = ntohl(a->sin6_flowinfo);
    std::memcpy(e.addr, &a->sin6_addr, 16);
    e.scope_id = a->sin6_scope_id;
    return e;
  }
  if (ss.ss_family == AF_INET) {
    const auto* a = reinterpret_cast<const sockaddr_in*>(&ss);
    e.port = ntohs(a->sin_port);
    std::memcpy(e.addr, &a->sin_addr, 4);
    return e;
  }
  return fail(Errno::AfNoSupport);
}

struct OptionRow {
  int level;
  int name;
};

OptionRow option_row(SocketOption opt) {
  switch (opt) {
    case SocketOption::ReuseAddr:
      return {SOL_SOCKET, SO_REUSEADDR};
    case SocketOption::KeepAlive:
      return {SOL_SOCKET, SO_KEEPALIVE};
    case SocketOption::KeepIdle:
      return {IPPROTO_TCP, TCP_KEEPIDLE};
    case SocketOption::KeepInterval:
      return {IPPROTO_TCP, TCP_KEEPINTVL};
    case SocketOption::KeepCount:
      return {IPPROTO_TCP, TCP_KEEPCNT};
    case SocketOption::Ttl:
      return {IPPROTO_IP, IP_TTL};
    case SocketOption::UnicastHops:
      return {IPPROTO_IPV6, IPV6_UNICAST_HOPS};
    case SocketOption::RecvBuffer:
      return {SOL_SOCKET, SO_RCVBUF};
    case SocketOption::SendBuffer:
      return {SOL_SOCKET, SO_SNDBUF};
  }
  return {SOL_SOCKET, -1};
}

}  // namespace

HostResult<std::shared_ptr<Socket>> Socket::adopt(OwnedFd fd) {
  struct stat st;
  if (::fstat(fd.get(), &st) != 0) return fail_errno();
  if (!S_ISSOCK(st.st_mode)) return fail(Errno::NotSock);
  return std::shared_ptr<Socket>(new Socket(std::move(fd)));
}

HostResult<std::shared_ptr<Socket>> Socket::open(bool v6, bool stream) {
  const int fd = ::socket(v6 ? AF_INET6 : AF_INET,
                          (stream ? SOCK_STREAM : SOCK_DGRAM) | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return fail_errno();
  std::shared_ptr<Socket> s(new Socket(OwnedFd(fd)));
  if (v6) {
    const int on = 1;
    if (::setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof on) != 0) return fail_errno();
  }
  return s;
}

HostResult<std::shared_ptr<Socket>> Socket::accept(bool nonblock) {
  for (;;) {
    int fd = ::accept4(fd_.get(), nullptr, nullptr, SOCK_CLOEXEC | (nonblock ? SOCK_NONBLOCK : 0));
    if (fd >= 0) return std::shared_ptr<Socket>(new Socket(OwnedFd(fd)));
    if (errno != EINTR) return fail_errno();
  }
}

HostResult<Socket::Received> Socket::recv(std::span<const iovec> iovs, bool peek, bool wait_all) {
  iovs = clamp(iovs);
  msghdr msg{};
  msg.msg_iov = const_cast<iovec*>(iovs.data());
  msg.msg_iovlen = iovs.size();
  int flags = (peek ? MSG_PEEK : 0) | (wait_all ? MSG_WAITALL : 0);
  for (;;) {
    ssize_t n = ::recvmsg(fd_.get(), &msg, flags);
    if (n >= 0) return Received{static_cast<size_t>(n), (msg.msg_flags & MSG_TRUNC) != 0};
    if (errno != EINTR) return fail_errno();
  }
}

HostResult<size_t> Socket::send(std::span<const iovec> iovs) {
  iovs = clamp(iovs);
  msghdr msg{};
  msg.msg_iov = const_cast<iovec*>(iovs.data());
  msg.msg_iovlen = iovs.size();
  for (;;) {
    ssize_t n = ::sendmsg(fd_.get(), &msg, MSG_NOSIGNAL);
    if (n >= 0) return static_cast<size_t>(n);
    if (errno != EINTR) return fail_errno();
  }
}

HostResult<void> Socket::shutdown(bool read, bool write) {
  if (!read && !write) return fail(Errno::Inval);
  int how = read && write ? SHUT_RDWR : read ? SHUT_RD : SHUT_WR;
  if (::shutdown(fd_.get(), how) != 0) return fail_errno();
  return {};
}

HostResult<FileType> Socket::type() const {
  int t = 0;
  socklen_t len = sizeof t;
  if (::getsockopt(fd_.get(), SOL_SOCKET, SO_TYPE, &t, &len) != 0) return fail_errno();
  if (t == SOCK_STREAM) return FileType::SocketStream;
  if (t == SOCK_DGRAM) return FileType::SocketDgram;
  return FileType::Unknown;
}

HostResult<FileStat> Socket::stat() const {
  struct stat st;
  if (::fstat(fd_.get(), &st) != 0) return fail_errno();
  FileStat s = file_stat_from(st);
  if (auto t = type()) s.type = *t;
  return s;
}

HostResult<bool> Socket::nonblocking() const {
  int fl = ::fcntl(fd_.get(), F_GETFL);
  if (fl < 0) return fail_errno();
  return (fl & O_NONBLOCK) != 0;
}

HostResult<void> Socket::set_nonblocking(bool on) {
  int fl = ::fcntl(fd_.get(), F_GETFL);
  if (fl < 0) return fail_errno();
  fl = on ? (fl | O_NONBLOCK) : (fl & ~O_NONBLOCK);
  if (::fcntl(fd_.get(), F_SETFL, fl) != 0) return fail_errno();
  return {};
}

HostResult<void> Socket::bind(const IpEndpoint& local) {
  sockaddr_storage ss;
  const socklen_t len = to_sockaddr(local, &ss);
  if (::bind(fd_.get(), reinterpret_cast<const sockaddr*>(&ss), len) != 0) return fail_errno();
  return {};
}

HostResult<void> Socket::connect(const IpEndpoint& remote) {
  sockaddr_storage ss;
  const socklen_t len = to_sockaddr(remote, &ss);
  // An interrupted connect goes on in the background (as EINPROGRESS would say).
  if (::connect(fd_.get(), reinterpret_cast<const sockaddr*>(&ss), len) != 0) {
    return fail(errno == EINTR ? Errno::InProgress : last_errno());
  }
  return {};
}

HostResult<void> Socket::disconnect() {
  sockaddr_storage ss{};
  ss.ss_family = AF_UNSPEC;
  if (::connect(fd_.get(), reinterpret_cast<const sockaddr*>(&ss), sizeof ss) != 0) {
    return fail_errno();
  }
  return {};
}

HostResult<void> Socket::listen(int backlog) {
  if (::listen(fd_.get(), backlog) != 0) return fail_errno();
  return {};
}

HostResult<IpEndpoint> Socket::local_endpoint() const {
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  if (::getsockname(fd_.get(), reinterpret_cast<sockaddr*>(&ss), &len) != 0) return fail_errno();
  return from_sockaddr(ss);
}

HostResult<IpEndpoint> Socket::peer_endpoint() const {
  sockaddr_storage ss{};
  socklen_t len = sizeof ss;
  if (::getpeername(fd_.get(), reinterpret_cast<sockaddr*>(&ss), &len) != 0) return fail_errno();
  return from_sockaddr(ss);
}

HostResult<void> Socket::take_error() {
  int e = 0;
  socklen_t len = sizeof e;
  if (::getsockopt(fd_.get(), SOL_SOCKET, SO_ERROR, &e, &len) != 0) return fail_errno();
  if (e != 0) return fail(errno_from_posix(e));
  return {};
}

HostResult<Socket::Received> Socket::recv_from(std::span<uint8_t> buf, IpEndpoint* from) {
  sockaddr_storage ss{};
  for (;;) {
    socklen_t len = sizeof ss;
    const ssize_t n = ::recvfrom(fd_.get(), buf.data(), buf.size(), MSG_DONTWAIT | MSG_TRUNC,
                                 reinterpret_cast<sockaddr*>(&ss), &len);
    if (n >= 0) {
      if (from != nullptr) {
        auto e = from_sockaddr(ss);
        if (!e.ok()) return fail(e.error());
        *from = *e;
      }
      const size_t got = static_cast<size_t>(n);
      return Received{std::min(got, buf.size()), got > buf.size()};
    }
    if (errno != EINTR) return fail_errno();
  }
}

HostResult<size_t> Socket::send_to(std::span<const uint8_t> data, const IpEndpoint* to) {
  sockaddr_storage ss;
  const socklen_t len = to != nullptr ? to_sockaddr(*to, &ss) : 0;
  for (;;) {
    const ssize_t n =
        ::sendto(fd_.get(), data.data(), data.size(), MSG_DONTWAIT | MSG_NOSIGNAL,
                 to != nullptr ? reinterpret_cast<const sockaddr*>(&ss) : nullptr, len);
    if (n >= 0) return static_cast<size_t>(n);
    if (errno != EINTR) return fail_errno();
  }
}

HostResult<int> Socket::option(SocketOption opt) const {
  const OptionRow row = option_row(opt);
  int v = 0;
  socklen_t len = sizeof v;
  if (::getsockopt(fd_.get(), row.level, row.name, &v, &len) != 0) return fail_errno();
  return v;
}

HostResult<void> Socket::set_option(SocketOption opt, int value) {
  const OptionRow row = option_row(opt);
  if (::setsockopt(fd_.get(), row.level, row.name, &value, sizeof value) != 0) {
    return fail_errno();
  }
  return {};
}

}  // namespace zinc::wasi::host
