// wasi/host/socket.h: the minimal socket operations WASI P1 has (sock_accept/recv/send/shutdown)
// on descriptors the embedder hands over already open (listening or connected).
//
// Invariants: a Socket owns a descriptor that fstat(2) said is a socket; sends never raise
// SIGPIPE (MSG_NOSIGNAL); accepted sockets are close-on-exec.
#pragma once

#include <sys/uio.h>

#include <memory>
#include <span>

#include "wasi/host/errno.h"
#include "wasi/host/fs.h"
#include "wasi/host/owned_fd.h"

namespace zinc::wasi::host {

class Socket {
 public:
  /// Takes `fd` if it is a socket (NotSock otherwise).
  static HostResult<std::shared_ptr<Socket>> adopt(OwnedFd fd);

  int fd() const { return fd_.get(); }

  /// Accepts a connection (blocking unless this socket is non-blocking); `nonblock` sets
  /// O_NONBLOCK on the accepted socket.
  HostResult<std::shared_ptr<Socket>> accept(bool nonblock);

  struct Received {
    size_t bytes = 0;
    bool truncated = false;  // a datagram was longer than the buffers
  };
  HostResult<Received> recv(std::span<const iovec> iovs, bool peek, bool wait_all);
  HostResult<size_t> send(std::span<const iovec> iovs);
  HostResult<void> shutdown(bool read, bool write);

  /// SocketStream or SocketDgram (Unknown for other kinds).
  HostResult<FileType> type() const;
  HostResult<FileStat> stat() const;
  HostResult<bool> nonblocking() const;
  HostResult<void> set_nonblocking(bool on);

 private:
  explicit Socket(OwnedFd fd) : fd_(std::move(fd)) {}
  OwnedFd fd_;
};

}  // namespace zinc::wasi::host
