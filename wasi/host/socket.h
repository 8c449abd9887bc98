// wasi/host/socket.h: IP sockets as host objects -- the operations WASI P1 has
// (sock_accept/recv/send/shutdown) on descriptors the embedder hands over already open, and
// those WASI 0.2 sockets need (socket/bind/connect/listen, addresses, datagrams, options) on
// sockets the host opens itself.
//
// Invariants: a Socket owns a descriptor that fstat(2) said is a socket (or that socket(2) just
// made); sends never raise SIGPIPE (MSG_NOSIGNAL); every socket this file opens or accepts is
// close-on-exec; sockets opened by `open` are non-blocking and, for IPv6, IPV6_V6ONLY (an IPv6
// socket never carries IPv4 traffic). No policy lives here: callers decide what is allowed.
#pragma once

#include <sys/uio.h>

#include <cstdint>
#include <memory>
#include <span>

#include "wasi/host/errno.h"
#include "wasi/host/fs.h"
#include "wasi/host/owned_fd.h"

namespace zinc::wasi::host {

/// An IP address with a port: IPv4 (`addr[0..3]`, the rest zero) or IPv6 (16 bytes, network
/// order). As a bare address (name lookup results, policy checks) the port is 0.
struct IpEndpoint {
  bool v6 = false;
  uint8_t addr[16] = {};
  uint16_t port = 0;
  uint32_t flow_info = 0;  // IPv6 only
  uint32_t scope_id = 0;   // IPv6 only
  friend bool operator==(const IpEndpoint&, const IpEndpoint&) = default;
};

/// Socket options with an integer value (getsockopt/setsockopt). Durations are in seconds, as
/// the kernel takes them; buffer sizes as the kernel reports them (Linux doubles what is set).
enum class SocketOption : uint8_t {
  ReuseAddr,     // SO_REUSEADDR
  KeepAlive,     // SO_KEEPALIVE
  KeepIdle,      // TCP_KEEPIDLE
  KeepInterval,  // TCP_KEEPINTVL
  KeepCount,     // TCP_KEEPCNT
  Ttl,           // IP_TTL
  UnicastHops,   // IPV6_UNICAST_HOPS
  RecvBuffer,    // SO_RCVBUF
  SendBuffer,    // SO_SNDBUF
};

class Socket {
 public:
  /// Takes `fd` if it is a socket (NotSock otherwise).
  static HostResult<std::shared_ptr<Socket>> adopt(OwnedFd fd);
  /// A new non-blocking TCP (`stream`) or UDP socket of the IPv4 or IPv6 family.
  static HostResult<std::shared_ptr<Socket>> open(bool v6, bool stream);

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

  // ---- sockets the host opened (open) ----

  HostResult<void> bind(const IpEndpoint& local);
  /// connect(2); on a non-blocking socket a connection under way fails with InProgress.
  HostResult<void> connect(const IpEndpoint& remote);
  /// Dissolves a datagram socket's association (connect to AF_UNSPEC).
  HostResult<void> disconnect();
  HostResult<void> listen(int backlog);
  HostResult<IpEndpoint> local_endpoint() const;
  HostResult<IpEndpoint> peer_endpoint() const;
  /// The pending error of the socket (SO_ERROR, cleared by reading): ok when none.
  HostResult<void> take_error();
  /// One datagram, without waiting (Again when none); `from` its source. Longer datagrams are
  /// cut to `buf` (`truncated`).
  HostResult<Received> recv_from(std::span<uint8_t> buf, IpEndpoint* from);
  /// One datagram to `to` (nullptr: the connected peer), without waiting.
  HostResult<size_t> send_to(std::span<const uint8_t> data, const IpEndpoint* to);
  HostResult<int> option(SocketOption opt) const;
  HostResult<void> set_option(SocketOption opt, int value);

 private:
  explicit Socket(OwnedFd fd) : fd_(std::move(fd)) {}
  OwnedFd fd_;
};

}  // namespace zinc::wasi::host
