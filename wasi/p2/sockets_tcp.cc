// wasi/p2/sockets_tcp.cc: wasi:sockets/tcp and tcp-create-socket 0.2 -- the tcp-socket state
// machine (unbound, bind-in-progress, bound, listen-in-progress, listening,
// connect-in-progress, connected, closed) over a non-blocking host socket, and the
// input-stream / output-stream pair of a connection.
//
// Choices (as Wasmtime where the WIT leaves room):
//  - bind and listen happen in start-*, finish-* only moves the state; a connect error shows
//    in finish-connect, after which the socket is closed;
//  - the streams of finish-connect / accept are children of their tcp-socket: dropping the
//    socket while a stream (or a pollable) lives traps ("resource has children"), so a stream
//    never outlives its descriptor; an accepted socket is not a child of its listener;
//  - the socket's pollable waits on its descriptor for readable or writable, which the kernel
//    makes ready exactly when finish-connect (connect done or failed) or accept (a connection
//    waiting) has an answer, and at once in the other states;
//  - output: check-write permits kWritePermit bytes when nothing is buffered and the socket
//    is writable; what the kernel does not take at once is buffered and sent by the next
//    stream calls (flush, check-write, write; blocking-flush waits for it). shutdown(send)
//    ends the output stream at once and sends FIN when the buffer has drained;
//  - errors of a connection (reset, ...) are last-operation-failed with the host error
//    (network-error-code gives its error-code); end of stream and a broken pipe are closed.
#include <algorithm>
#include <climits>
#include <cstring>

#include "wasi/p2/sockets.h"

namespace zinc::wasi::p2::sockets {
namespace {

/// Bytes check-write permits when the socket can take data.
constexpr uint64_t kWritePermit = 64 * 1024;
/// The most bytes one read returns.
constexpr uint64_t kMaxRead = 64 * 1024;
/// listen(2)'s backlog until set-listen-backlog-size.
constexpr int kDefaultBacklog = 128;

enum class TcpState : uint8_t {
  Unbound,
  BindStarted,
  Bound,
  ListenStarted,
  Listening,
  Connecting,
  Connected,  // the streams were handed out
  Closed,
};

/// A connection, shared by its tcp-socket and its two streams.
struct TcpConn {
  explicit TcpConn(std::shared_ptr<host::Socket> s) : sock(std::move(s)) {}
  ~TcpConn() { (void)push(); }  // a last try for buffered bytes
  TcpConn(const TcpConn&) = delete;
  TcpConn& operator=(const TcpConn&) = delete;

  /// Sends buffered bytes while the kernel takes them; then, once empty, a requested
  /// shutdown(send). A failure other than Again is returned (the buffer is then dropped).
  std::optional<host::Errno> push() {
    while (sent < pending.size()) {
      iovec iov{pending.data() + sent, pending.size() - sent};
      auto n = sock->send(std::span<const iovec>(&iov, 1));
      if (!n.ok()) {
        if (n.error() == host::Errno::Again) return std::nullopt;
        pending.clear();
        sent = 0;
        return n.error();
      }
      sent += *n;
    }
    pending.clear();
    sent = 0;
    if (shutdown_pending) {
      shutdown_pending = false;
      (void)sock->shutdown(false, true);
    }
    return std::nullopt;
  }

  std::shared_ptr<host::Socket> sock;
  bool read_closed = false;       // shutdown(receive), end of stream or a failed read
  bool write_closed = false;      // shutdown(send) or a failed write: writes answer closed
  bool shutdown_pending = false;  // shutdown(send) asked, waiting for `pending` to drain
  std::string pending;            // written by the guest, not yet taken by the kernel
  size_t sent = 0;                // bytes of `pending` already sent
};

/// A failed socket operation as a stream error: closed for a broken pipe, else
/// last-operation-failed carrying the host error.
StreamError stream_failure(host::Errno e) {
  if (e == host::Errno::Pipe) return StreamError::at_end();
  const int posix = host::posix_errno(e);
  StreamError out =
      StreamError::failed(posix > 0 ? std::strerror(posix) : std::string(host::errno_name(e)));
  out.code = e;
  return out;
}

class TcpInput final : public InputStreamRes {
 public:
  explicit TcpInput(std::shared_ptr<TcpConn> c) : c_(std::move(c)) {}
  std::optional<StreamError> read(uint64_t max, bool blocking, std::string& out) override {
    out.clear();
    if (c_->read_closed) return StreamError::at_end();
    if (max == 0) return std::nullopt;
    out.resize(std::min(max, kMaxRead));
    for (;;) {
      iovec iov{out.data(), out.size()};
      auto r = c_->sock->recv(std::span<const iovec>(&iov, 1), false, false);
      if (r.ok()) {
        out.resize(r->bytes);
        if (r->bytes > 0) return std::nullopt;
        c_->read_closed = true;
        return StreamError::at_end();
      }
      if (r.error() == host::Errno::Again && blocking) {
        block_on(poll_source());
        continue;
      }
      out.clear();
      if (r.error() == host::Errno::Again) return std::nullopt;
      c_->read_closed = true;
      return stream_failure(r.error());
    }
  }
  PollSource poll_source() override {
    PollSource s;
    s.fd = c_->sock->fd();
    s.want_read = true;
    return s;
  }

 private:
  std::shared_ptr<TcpConn> c_;
};

class TcpOutput final : public OutputStreamRes {
 public:
  explicit TcpOutput(std::shared_ptr<TcpConn> c) : c_(std::move(c)) {}
  std::optional<StreamError> check_write(uint64_t* permitted) override {
    *permitted = 0;
    if (auto e = push()) return e;
    if (c_->write_closed) return StreamError::at_end();
    if (c_->pending.empty() && ready_now(c_->sock->fd(), false, true)) *permitted = kWritePermit;
    return std::nullopt;
  }
  std::optional<StreamError> write(std::span<const uint8_t> data) override {
    if (auto e = push()) return e;
    if (c_->write_closed) return StreamError::at_end();
    c_->pending.append(reinterpret_cast<const char*>(data.data()), data.size());
    return push();
  }
  std::optional<StreamError> flush(bool blocking) override {
    if (auto e = push()) return e;
    while (blocking && !c_->pending.empty()) {
      block_on(poll_source());
      if (auto e = push()) return e;
    }
    if (c_->write_closed && c_->pending.empty()) return StreamError::at_end();
    return std::nullopt;
  }
  PollSource poll_source() override {
    PollSource s;
    s.fd = c_->sock->fd();
    s.want_write = true;
    return s;
  }

 private:
  // Sends what is buffered; a failure ends the stream (reported once, then closed).
  std::optional<StreamError> push() {
    if (auto e = c_->push()) {
      const bool was_closed = c_->write_closed;
      c_->write_closed = true;
      if (!was_closed) return stream_failure(*e);
    }
    return std::nullopt;
  }

  std::shared_ptr<TcpConn> c_;
};

struct TcpSocketRes : Resource {
  TcpSocketRes(std::shared_ptr<host::Socket> s, bool is_v6, TcpState st)
      : Resource(Kind::TcpSocket), sock(std::move(s)), v6(is_v6), state(st) {}
  std::shared_ptr<host::Socket> sock;
  const bool v6;
  TcpState state;
  int backlog = kDefaultBacklog;
  std::optional<host::Errno> connect_error;  // connect(2) failed at once: finish-connect says so
  std::shared_ptr<TcpConn> conn;             // Connected
};

using Args = std::span<const cm::Val>;

/// ok((input-stream, output-stream)) of a new connection of socket `rep`.
Result<cm::Val> stream_pair(Host& h, TcpSocketRes& t, uint32_t rep) {
  t.state = TcpState::Connected;
  t.conn = std::make_shared<TcpConn>(t.sock);
  auto in = h.own(std::make_shared<TcpInput>(t.conn), rep);
  if (!in.ok()) return unexpected(in.error());
  auto out = h.own(std::make_shared<TcpOutput>(t.conn), rep);
  if (!out.ok()) return unexpected(out.error());
  return cm::Val::tuple({std::move(*in), std::move(*out)});
}

// ---- tcp-create-socket ----

Ret create_tcp_socket(Host& h, Args a) {
  if (!h.config.network.tcp) return fail("access-denied");
  const bool v6 = is_v6_family(a[0]);
  auto s = host::Socket::open(v6, /*stream=*/true);
  if (!s.ok()) return fail_os(s.error());  // not-supported, new-socket-limit, ...
  return ok_own(h, std::make_shared<TcpSocketRes>(std::move(*s), v6, TcpState::Unbound));
}

// ---- bind / connect / listen / accept ----

Ret start_bind(Host& h, TcpSocketRes& t, Args a) {
  if (auto n = h.get(a[1], Kind::Network); !n.ok()) return unexpected(n.error());
  const host::IpEndpoint local = endpoint_of(a[2]);
  if (!policy_allows(h.config.network, local)) return fail("access-denied");
  if (!is_unicast(local) || !family_matches(local, t.v6)) return fail("invalid-argument");
  if (t.state != TcpState::Unbound) return fail("invalid-state");
  // The WIT: a bind must not be refused for a recently closed socket's TIME_WAIT.
  (void)t.sock->set_option(host::SocketOption::ReuseAddr, 1);
  if (auto r = t.sock->bind(local); !r.ok()) {
    return fail(r.error() == host::Errno::AfNoSupport ? "invalid-argument" : error_code(r.error()));
  }
  t.state = TcpState::BindStarted;
  return ret(ok());
}

Ret finish_bind(Host&, TcpSocketRes& t, Args) {
  if (t.state != TcpState::BindStarted) return fail("not-in-progress");
  t.state = TcpState::Bound;
  return ret(ok());
}

const char* connect_error_code(host::Errno e) {
  // Linux: no ephemeral port left for the implicit bind.
  return e == host::Errno::AddrNotAvail ? "address-in-use" : error_code(e);
}

Ret start_connect(Host& h, TcpSocketRes& t, Args a) {
  if (auto n = h.get(a[1], Kind::Network); !n.ok()) return unexpected(n.error());
  const host::IpEndpoint remote = endpoint_of(a[2]);
  if (!policy_allows(h.config.network, remote)) return fail("access-denied");
  if (t.state == TcpState::Connecting) return fail("concurrency-conflict");
  if (t.state != TcpState::Unbound && t.state != TcpState::Bound) return fail("invalid-state");
  if (!is_unicast(remote) || !is_valid_remote(remote) || !family_matches(remote, t.v6)) {
    return fail("invalid-argument");
  }
  t.state = TcpState::Connecting;
  if (auto r = t.sock->connect(remote); !r.ok() && r.error() != host::Errno::InProgress) {
    t.connect_error = r.error();
  }
  return ret(ok());
}

Ret finish_connect(Host& h, TcpSocketRes& t, Args a) {
  if (t.state != TcpState::Connecting) return fail("not-in-progress");
  if (t.connect_error) {
    t.state = TcpState::Closed;
    return fail(connect_error_code(*t.connect_error));
  }
  if (!ready_now(t.sock->fd(), false, true)) return fail("would-block");
  if (auto r = t.sock->take_error(); !r.ok()) {
    t.state = TcpState::Closed;
    return fail(connect_error_code(r.error()));
  }
  auto pair = stream_pair(h, t, static_cast<uint32_t>(a[0].bits));
  if (!pair.ok()) return unexpected(pair.error());
  return ret(ok(std::move(*pair)));
}

Ret start_listen(Host&, TcpSocketRes& t, Args) {
  if (t.state != TcpState::Bound) return fail("invalid-state");
  t.state = TcpState::ListenStarted;
  return ret(ok());
}

Ret finish_listen(Host&, TcpSocketRes& t, Args) {
  if (t.state != TcpState::ListenStarted) return fail("not-in-progress");
  if (auto r = t.sock->listen(t.backlog); !r.ok()) {
    t.state = TcpState::Closed;
    return fail_os(r.error());
  }
  t.state = TcpState::Listening;
  return ret(ok());
}

Ret accept(Host& h, TcpSocketRes& t, Args) {
  if (t.state != TcpState::Listening) return fail("invalid-state");
  auto c = t.sock->accept(/*nonblock=*/true);
  if (!c.ok()) {
    switch (c.error()) {
      // Linux hands a connection's pending network error to accept(2): the connection was
      // lost before it was accepted.
      case host::Errno::ConnReset:
      case host::Errno::NetReset:
      case host::Errno::HostUnreach:
      case host::Errno::NetDown:
      case host::Errno::NetUnreach:
      case host::Errno::Proto:
      case host::Errno::NoProtoOpt:
      case host::Errno::NotSup:
        return fail("connection-aborted");
      default:
        return fail_os(c.error());  // would-block, new-socket-limit, ...
    }
  }
  auto client = std::make_shared<TcpSocketRes>(std::move(*c), t.v6, TcpState::Connected);
  auto rep = h.push(client);
  if (!rep.ok()) return unexpected(rep.error());
  auto pair = stream_pair(h, *client, *rep);
  if (!pair.ok()) return unexpected(pair.error());
  cm::Val socket =
      cm::host_handle(cm::ValKind::Own, h.rt[static_cast<size_t>(Kind::TcpSocket)], *rep);
  return ret(ok(
      cm::Val::tuple({std::move(socket), std::move(pair->items[0]), std::move(pair->items[1])})));
}

// ---- addresses and state ----

Ret local_address(Host&, TcpSocketRes& t, Args) {
  switch (t.state) {
    case TcpState::Bound:
    case TcpState::ListenStarted:
    case TcpState::Listening:
    case TcpState::Connecting:
    case TcpState::Connected: {
      auto e = t.sock->local_endpoint();
      if (!e.ok()) return fail_os(e.error());
      return ret(ok(socket_address_val(*e)));
    }
    default:
      return fail("invalid-state");
  }
}

Ret remote_address(Host&, TcpSocketRes& t, Args) {
  if (t.state != TcpState::Connected) return fail("invalid-state");
  auto e = t.sock->peer_endpoint();
  if (!e.ok()) return fail_os(e.error());
  return ret(ok(socket_address_val(*e)));
}

Ret is_listening(Host&, TcpSocketRes& t, Args) {
  return ret(cm::Val::boolean(t.state == TcpState::Listening));
}

Ret address_family(Host&, TcpSocketRes& t, Args) {
  return ret(family_val(t.v6));
}

Ret set_listen_backlog_size(Host&, TcpSocketRes& t, Args a) {
  if (a[1].bits == 0) return fail("invalid-argument");
  const int value = static_cast<int>(std::min<uint64_t>(a[1].bits, INT_MAX));
  switch (t.state) {
    case TcpState::Unbound:
    case TcpState::BindStarted:
    case TcpState::Bound:
    case TcpState::ListenStarted:
      t.backlog = value;  // for finish-listen
      return ret(ok());
    case TcpState::Listening:
      // Linux takes a second listen(2) as a new backlog.
      if (!t.sock->listen(value).ok()) return fail("not-supported");
      t.backlog = value;
      return ret(ok());
    default:
      return fail("invalid-state");
  }
}

// ---- options ----

constexpr uint64_t kNanosPerSecond = 1000000000;
/// Linux's limits for TCP_KEEPIDLE / TCP_KEEPINTVL (seconds) and TCP_KEEPCNT.
constexpr uint64_t kMaxKeepSeconds = 32767;
constexpr uint64_t kMaxKeepCount = 127;

Ret get_option(TcpSocketRes& t, host::SocketOption opt, uint64_t scale) {
  if (t.state == TcpState::Closed) return fail("invalid-state");
  auto v = t.sock->option(opt);
  if (!v.ok()) return fail_os(v.error());
  const uint64_t n = static_cast<uint64_t>(std::max(*v, 0)) * scale;
  if (opt == host::SocketOption::KeepAlive) return ret(ok(cm::Val::boolean(n != 0)));
  if (opt == host::SocketOption::KeepCount) return ret(ok(cm::Val::u32(static_cast<uint32_t>(n))));
  return ret(ok(cm::Val::u64(n)));
}

Ret set_option(TcpSocketRes& t, host::SocketOption opt, uint64_t value) {
  if (t.state == TcpState::Closed) return fail("invalid-state");
  auto r = t.sock->set_option(opt, static_cast<int>(value));
  if (!r.ok()) return fail_os(r.error());
  return ret(ok());
}

// A keep-alive duration: 0 is invalid; others clamped to [1 s, the kernel's maximum].
Ret set_keep_duration(TcpSocketRes& t, host::SocketOption opt, uint64_t ns) {
  if (ns == 0) return fail("invalid-argument");
  return set_option(t, opt, std::clamp<uint64_t>(ns / kNanosPerSecond, 1, kMaxKeepSeconds));
}

Ret keep_alive_enabled(Host&, TcpSocketRes& t, Args) {
  return get_option(t, host::SocketOption::KeepAlive, 1);
}
Ret set_keep_alive_enabled(Host&, TcpSocketRes& t, Args a) {
  return set_option(t, host::SocketOption::KeepAlive, a[1].bits != 0 ? 1 : 0);
}
Ret keep_alive_idle_time(Host&, TcpSocketRes& t, Args) {
  return get_option(t, host::SocketOption::KeepIdle, kNanosPerSecond);
}
Ret set_keep_alive_idle_time(Host&, TcpSocketRes& t, Args a) {
  return set_keep_duration(t, host::SocketOption::KeepIdle, a[1].bits);
}
Ret keep_alive_interval(Host&, TcpSocketRes& t, Args) {
  return get_option(t, host::SocketOption::KeepInterval, kNanosPerSecond);
}
Ret set_keep_alive_interval(Host&, TcpSocketRes& t, Args a) {
  return set_keep_duration(t, host::SocketOption::KeepInterval, a[1].bits);
}
Ret keep_alive_count(Host&, TcpSocketRes& t, Args) {
  return get_option(t, host::SocketOption::KeepCount, 1);
}
Ret set_keep_alive_count(Host&, TcpSocketRes& t, Args a) {
  if (a[1].bits == 0) return fail("invalid-argument");
  return set_option(t, host::SocketOption::KeepCount, std::min(a[1].bits, kMaxKeepCount));
}
Ret tcp_hop_limit(Host&, TcpSocketRes& t, Args) {
  if (t.state == TcpState::Closed) return fail("invalid-state");
  return hop_limit(*t.sock, t.v6);
}
Ret tcp_set_hop_limit(Host&, TcpSocketRes& t, Args a) {
  if (t.state == TcpState::Closed) return fail("invalid-state");
  return set_hop_limit(*t.sock, t.v6, a[1].bits);
}
Ret receive_buffer_size(Host&, TcpSocketRes& t, Args) {
  if (t.state == TcpState::Closed) return fail("invalid-state");
  return buffer_size(*t.sock, host::SocketOption::RecvBuffer);
}
Ret set_receive_buffer_size(Host&, TcpSocketRes& t, Args a) {
  if (t.state == TcpState::Closed) return fail("invalid-state");
  return set_buffer_size(*t.sock, host::SocketOption::RecvBuffer, a[1].bits);
}
Ret send_buffer_size(Host&, TcpSocketRes& t, Args) {
  if (t.state == TcpState::Closed) return fail("invalid-state");
  return buffer_size(*t.sock, host::SocketOption::SendBuffer);
}
Ret set_send_buffer_size(Host&, TcpSocketRes& t, Args a) {
  if (t.state == TcpState::Closed) return fail("invalid-state");
  return set_buffer_size(*t.sock, host::SocketOption::SendBuffer, a[1].bits);
}

// ---- subscribe / shutdown ----

Ret tcp_subscribe(Host& h, TcpSocketRes& t, Args a) {
  PollSource s;
  s.fd = t.sock->fd();
  s.want_read = true;
  s.want_write = true;
  return ret(h.own(std::make_shared<Pollable>(std::move(s)), static_cast<uint32_t>(a[0].bits)));
}

Ret shutdown(Host&, TcpSocketRes& t, Args a) {
  if (t.state != TcpState::Connected || !t.conn) return fail("invalid-state");
  const std::string& how = a[1].str;
  TcpConn& c = *t.conn;
  if (how != "send" && !c.read_closed) {
    (void)t.sock->shutdown(true, false);  // errors (a reset peer) change nothing for the guest
    c.read_closed = true;
  }
  if (how != "receive" && !c.write_closed) {
    c.write_closed = true;
    c.shutdown_pending = true;
    (void)c.push();  // FIN now, or once the buffered bytes are out
  }
  return ret(ok());
}

template <Ret (*F)(Host&, TcpSocketRes&, Args)>
constexpr Handler m = method<TcpSocketRes, Kind::TcpSocket, F>;

constexpr const char* kTcp = "wasi:sockets/tcp";

constexpr FuncDef kFuncs[] = {
    {"wasi:sockets/tcp-create-socket", "create-tcp-socket", create_tcp_socket},
    {kTcp, "[method]tcp-socket.start-bind", m<start_bind>},
    {kTcp, "[method]tcp-socket.finish-bind", m<finish_bind>},
    {kTcp, "[method]tcp-socket.start-connect", m<start_connect>},
    {kTcp, "[method]tcp-socket.finish-connect", m<finish_connect>},
    {kTcp, "[method]tcp-socket.start-listen", m<start_listen>},
    {kTcp, "[method]tcp-socket.finish-listen", m<finish_listen>},
    {kTcp, "[method]tcp-socket.accept", m<accept>},
    {kTcp, "[method]tcp-socket.local-address", m<local_address>},
    {kTcp, "[method]tcp-socket.remote-address", m<remote_address>},
    {kTcp, "[method]tcp-socket.is-listening", m<is_listening>},
    {kTcp, "[method]tcp-socket.address-family", m<address_family>},
    {kTcp, "[method]tcp-socket.set-listen-backlog-size", m<set_listen_backlog_size>},
    {kTcp, "[method]tcp-socket.keep-alive-enabled", m<keep_alive_enabled>},
    {kTcp, "[method]tcp-socket.set-keep-alive-enabled", m<set_keep_alive_enabled>},
    {kTcp, "[method]tcp-socket.keep-alive-idle-time", m<keep_alive_idle_time>},
    {kTcp, "[method]tcp-socket.set-keep-alive-idle-time", m<set_keep_alive_idle_time>},
    {kTcp, "[method]tcp-socket.keep-alive-interval", m<keep_alive_interval>},
    {kTcp, "[method]tcp-socket.set-keep-alive-interval", m<set_keep_alive_interval>},
    {kTcp, "[method]tcp-socket.keep-alive-count", m<keep_alive_count>},
    {kTcp, "[method]tcp-socket.set-keep-alive-count", m<set_keep_alive_count>},
    {kTcp, "[method]tcp-socket.hop-limit", m<tcp_hop_limit>},
    {kTcp, "[method]tcp-socket.set-hop-limit", m<tcp_set_hop_limit>},
    {kTcp, "[method]tcp-socket.receive-buffer-size", m<receive_buffer_size>},
    {kTcp, "[method]tcp-socket.set-receive-buffer-size", m<set_receive_buffer_size>},
    {kTcp, "[method]tcp-socket.send-buffer-size", m<send_buffer_size>},
    {kTcp, "[method]tcp-socket.set-send-buffer-size", m<set_send_buffer_size>},
    {kTcp, "[method]tcp-socket.subscribe", m<tcp_subscribe>},
    {kTcp, "[method]tcp-socket.shutdown", m<shutdown>},
};

}  // namespace

std::span<const FuncDef> tcp_funcs() {
  return kFuncs;
}

}  // namespace zinc::wasi::p2::sockets
