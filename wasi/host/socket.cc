// wasi/host/socket.cc: accept4 / recvmsg / sendmsg / shutdown wrappers.
#include "wasi/host/socket.h"

#include <fcntl.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <cerrno>
#include <climits>

namespace zinc::wasi::host {
namespace {

std::span<const iovec> clamp(std::span<const iovec> iovs) {
  return iovs.size() > IOV_MAX ? iovs.first(IOV_MAX) : iovs;
}

}  // namespace

HostResult<std::shared_ptr<Socket>> Socket::adopt(OwnedFd fd) {
  struct stat st;
  if (::fstat(fd.get(), &st) != 0) return fail_errno();
  if (!S_ISSOCK(st.st_mode)) return fail(Errno::NotSock);
  return std::shared_ptr<Socket>(new Socket(std::move(fd)));
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

}  // namespace zinc::wasi::host
