// wasi/p2/sockets_udp.cc: wasi:sockets/udp and udp-create-socket 0.2 -- udp-socket (bind,
// `stream` to set up or change the peer association), incoming-datagram-stream and
// outgoing-datagram-stream over a non-blocking host socket.
//
// Choices (as Wasmtime where the WIT leaves room):
//  - the two datagram streams are children of their udp-socket (dropping the socket first
//    traps); calling `stream` again while the previous pair lives traps (the WIT allows it);
//  - check-send permits kSendPermit datagrams; after a send that would have blocked it permits
//    none until the socket is writable again (the outgoing stream's pollable waits for that);
//    send without a permit, or with more datagrams than permitted, traps;
//  - receive takes at most kMaxReceive datagrams a call (fewer than asked is allowed);
//  - the udp-socket's own pollable is always ready (no socket-level operation waits).
#include <algorithm>
#include <vector>

#include "wasi/p2/sockets.h"

namespace zinc::wasi::p2::sockets {
namespace {

constexpr uint64_t kSendPermit = 16;
constexpr uint64_t kMaxReceive = 64;
/// The largest UDP payload (and the receive buffer: a longer datagram cannot arrive).
constexpr size_t kMaxDatagram = 65535;

enum class UdpState : uint8_t { Unbound, BindStarted, Bound };

struct UdpSocketRes : Resource {
  UdpSocketRes(std::shared_ptr<host::Socket> s, bool is_v6)
      : Resource(Kind::UdpSocket), sock(std::move(s)), v6(is_v6) {}
  std::shared_ptr<host::Socket> sock;
  const bool v6;
  UdpState state = UdpState::Unbound;
  std::optional<host::IpEndpoint> remote;      // the association `stream` made
  std::weak_ptr<Resource> incoming, outgoing;  // the streams of the last `stream` call
};

struct IncomingRes : Resource {
  IncomingRes(std::shared_ptr<host::Socket> s, std::optional<host::IpEndpoint> r)
      : Resource(Kind::IncomingDatagramStream), sock(std::move(s)), remote(r) {}
  std::shared_ptr<host::Socket> sock;
  std::optional<host::IpEndpoint> remote;
};

struct OutgoingRes : Resource {
  OutgoingRes(std::shared_ptr<host::Socket> s, bool is_v6, std::optional<host::IpEndpoint> r)
      : Resource(Kind::OutgoingDatagramStream), sock(std::move(s)), v6(is_v6), remote(r) {}
  std::shared_ptr<host::Socket> sock;
  const bool v6;
  std::optional<host::IpEndpoint> remote;
  uint64_t permitted = 0;  // datagrams the last check-send allowed (0: none asked)
  bool waiting = false;    // a send would have blocked: no permit until writable
};

using Args = std::span<const cm::Val>;

/// UDP's reading of some errors (the WIT's udp error lists).
const char* udp_error_code(host::Errno e) {
  switch (e) {
    case host::Errno::ConnReset:
    case host::Errno::NetReset:
      return "remote-unreachable";
    case host::Errno::AddrNotAvail:
      return "address-in-use";  // connect: no ephemeral port for the implicit bind
    default:
      return error_code(e);
  }
}

// ---- udp-create-socket ----

Ret create_udp_socket(Host& h, Args a) {
  if (!h.config.network.udp) return fail("access-denied");
  const bool v6 = is_v6_family(a[0]);
  auto s = host::Socket::open(v6, /*stream=*/false);
  if (!s.ok()) return fail_os(s.error());
  return ok_own(h, std::make_shared<UdpSocketRes>(std::move(*s), v6));
}

// ---- udp-socket ----

Ret start_bind(Host& h, UdpSocketRes& u, Args a) {
  if (auto n = h.get(a[1], Kind::Network); !n.ok()) return unexpected(n.error());
  const host::IpEndpoint local = endpoint_of(a[2]);
  if (!policy_allows(h.config.network, local)) return fail("access-denied");
  if (!family_matches(local, u.v6)) return fail("invalid-argument");
  if (u.state != UdpState::Unbound) return fail("invalid-state");
  if (auto r = u.sock->bind(local); !r.ok()) {
    return fail(r.error() == host::Errno::AfNoSupport ? "invalid-argument" : error_code(r.error()));
  }
  u.state = UdpState::BindStarted;
  return ret(ok());
}

Ret finish_bind(Host&, UdpSocketRes& u, Args) {
  if (u.state != UdpState::BindStarted) return fail("not-in-progress");
  u.state = UdpState::Bound;
  return ret(ok());
}

Ret stream(Host& h, UdpSocketRes& u, Args a) {
  if (!u.incoming.expired() || !u.outgoing.expired()) {
    return trap(
        "wasi:sockets/udp: `stream` called while the streams of the previous call "
        "are alive (drop them first)");
  }
  if (u.state != UdpState::Bound) return fail("invalid-state");
  std::optional<host::IpEndpoint> remote;
  if (!a[1].items.empty()) {
    remote = endpoint_of(a[1].items[0]);
    if (!policy_allows(h.config.network, *remote)) return fail("access-denied");
    if (!is_valid_remote(*remote) || !family_matches(*remote, u.v6)) {
      return fail("invalid-argument");
    }
  }
  if (u.remote) {
    if (auto r = u.sock->disconnect(); !r.ok()) return fail(udp_error_code(r.error()));
    u.remote.reset();
  }
  if (remote) {
    if (auto r = u.sock->connect(*remote); !r.ok()) return fail(udp_error_code(r.error()));
    u.remote = remote;
  }
  const uint32_t rep = static_cast<uint32_t>(a[0].bits);
  auto in_obj = std::make_shared<IncomingRes>(u.sock, u.remote);
  auto out_obj = std::make_shared<OutgoingRes>(u.sock, u.v6, u.remote);
  u.incoming = in_obj;
  u.outgoing = out_obj;
  auto in = h.own(std::move(in_obj), rep);
  if (!in.ok()) return unexpected(in.error());
  auto out = h.own(std::move(out_obj), rep);
  if (!out.ok()) return unexpected(out.error());
  return ret(ok(cm::Val::tuple({std::move(*in), std::move(*out)})));
}

Ret local_address(Host&, UdpSocketRes& u, Args) {
  if (u.state != UdpState::Bound) return fail("invalid-state");
  auto e = u.sock->local_endpoint();
  if (!e.ok()) return fail_os(e.error());
  return ret(ok(socket_address_val(*e)));
}

Ret remote_address(Host&, UdpSocketRes& u, Args) {
  if (!u.remote) return fail("invalid-state");
  auto e = u.sock->peer_endpoint();
  if (!e.ok()) return fail_os(e.error());
  return ret(ok(socket_address_val(*e)));
}

Ret address_family(Host&, UdpSocketRes& u, Args) {
  return ret(family_val(u.v6));
}

Ret unicast_hop_limit(Host&, UdpSocketRes& u, Args) {
  return hop_limit(*u.sock, u.v6);
}
Ret set_unicast_hop_limit(Host&, UdpSocketRes& u, Args a) {
  return set_hop_limit(*u.sock, u.v6, a[1].bits);
}
Ret receive_buffer_size(Host&, UdpSocketRes& u, Args) {
  return buffer_size(*u.sock, host::SocketOption::RecvBuffer);
}
Ret set_receive_buffer_size(Host&, UdpSocketRes& u, Args a) {
  return set_buffer_size(*u.sock, host::SocketOption::RecvBuffer, a[1].bits);
}
Ret send_buffer_size(Host&, UdpSocketRes& u, Args) {
  return buffer_size(*u.sock, host::SocketOption::SendBuffer);
}
Ret set_send_buffer_size(Host&, UdpSocketRes& u, Args a) {
  return set_buffer_size(*u.sock, host::SocketOption::SendBuffer, a[1].bits);
}

Ret udp_subscribe(Host& h, UdpSocketRes&, Args a) {
  return ret(h.own(std::make_shared<Pollable>(PollSource{}), static_cast<uint32_t>(a[0].bits)));
}

// ---- incoming-datagram-stream ----

Ret receive(Host&, IncomingRes& in, Args a) {
  const uint64_t max = std::min(a[1].bits, kMaxReceive);
  std::vector<cm::Val> datagrams;
  std::string buf;
  while (datagrams.size() < max) {
    buf.resize(kMaxDatagram);
    host::IpEndpoint from;
    auto r = in.sock->recv_from({reinterpret_cast<uint8_t*>(buf.data()), buf.size()}, &from);
    if (!r.ok()) {
      if (r.error() == host::Errno::Again || !datagrams.empty()) break;
      return fail(udp_error_code(r.error()));
    }
    // The kernel filters by the association already; a stray datagram is dropped.
    if (in.remote && !same_address(unmapped(*in.remote), unmapped(from))) continue;
    buf.resize(r->bytes);
    datagrams.push_back(cm::Val::record({"data", "remote-address"},
                                        {bytes_val(std::move(buf)), socket_address_val(from)}));
    buf = std::string();
  }
  return ret(ok(cm::Val::list(std::move(datagrams))));
}

Ret incoming_subscribe(Host& h, IncomingRes& in, Args a) {
  PollSource s;
  s.fd = in.sock->fd();
  s.want_read = true;
  return ret(h.own(std::make_shared<Pollable>(std::move(s)), static_cast<uint32_t>(a[0].bits)));
}

// ---- outgoing-datagram-stream ----

Ret check_send(Host&, OutgoingRes& out, Args) {
  if (out.waiting) {
    if (!ready_now(out.sock->fd(), false, true)) return ret(ok(cm::Val::u64(0)));
    out.waiting = false;
  }
  if (out.permitted == 0) out.permitted = kSendPermit;
  return ret(ok(cm::Val::u64(out.permitted)));
}

/// Sends one outgoing-datagram: nullptr when sent, else its error-code ("would-block" when
/// the socket cannot take it now).
const char* send_one(Host& h, OutgoingRes& out, const cm::Val& datagram) {
  const std::string data = bytes_of(datagram.items[0]);
  if (data.size() > kMaxDatagram) return "datagram-too-large";
  const cm::Val& given = datagram.items[1];
  std::optional<host::IpEndpoint> to;
  if (!given.items.empty()) to = endpoint_of(given.items[0]);
  host::IpEndpoint addr;
  if (!out.remote && to) {
    if (!policy_allows(h.config.network, *to)) return "access-denied";
    addr = *to;
  } else if (out.remote && (!to || same_address(*out.remote, *to))) {
    addr = *out.remote;
  } else {
    return "invalid-argument";  // no destination, or not the associated one
  }
  if (!is_valid_remote(addr) || !family_matches(addr, out.v6)) return "invalid-argument";
  const std::span<const uint8_t> bytes(reinterpret_cast<const uint8_t*>(data.data()), data.size());
  auto r = out.sock->send_to(bytes, out.remote ? nullptr : &addr);
  if (!r.ok()) return udp_error_code(r.error());
  return nullptr;
}

Ret send(Host& h, OutgoingRes& out, Args a) {
  const size_t n = a[1].list_size();
  if (out.permitted == 0) {
    return trap("wasi:sockets/udp: send without a permit (call check-send first)");
  }
  if (n > out.permitted) {
    return trap("wasi:sockets/udp: send of " + std::to_string(n) + " datagrams exceeds " +
                "check-send's " + std::to_string(out.permitted));
  }
  out.permitted = 0;
  uint64_t count = 0;
  for (const cm::Val& datagram : a[1].items) {
    const char* error = send_one(h, out, datagram);
    if (error == nullptr) {
      ++count;
      continue;
    }
    if (count > 0) break;  // the WIT: never an error once a datagram went out
    if (std::string_view(error) == "would-block") {
      out.waiting = true;
      break;
    }
    return fail(error);
  }
  return ret(ok(cm::Val::u64(count)));
}

Ret outgoing_subscribe(Host& h, OutgoingRes& out, Args a) {
  PollSource s;
  s.fd = out.sock->fd();
  s.want_write = true;
  return ret(h.own(std::make_shared<Pollable>(std::move(s)), static_cast<uint32_t>(a[0].bits)));
}

template <Ret (*F)(Host&, UdpSocketRes&, Args)>
constexpr Handler m = method<UdpSocketRes, Kind::UdpSocket, F>;

constexpr const char* kUdp = "wasi:sockets/udp";

constexpr FuncDef kFuncs[] = {
    {"wasi:sockets/udp-create-socket", "create-udp-socket", create_udp_socket},
    {kUdp, "[method]udp-socket.start-bind", m<start_bind>},
    {kUdp, "[method]udp-socket.finish-bind", m<finish_bind>},
    {kUdp, "[method]udp-socket.stream", m<stream>},
    {kUdp, "[method]udp-socket.local-address", m<local_address>},
    {kUdp, "[method]udp-socket.remote-address", m<remote_address>},
    {kUdp, "[method]udp-socket.address-family", m<address_family>},
    {kUdp, "[method]udp-socket.unicast-hop-limit", m<unicast_hop_limit>},
    {kUdp, "[method]udp-socket.set-unicast-hop-limit", m<set_unicast_hop_limit>},
    {kUdp, "[method]udp-socket.receive-buffer-size", m<receive_buffer_size>},
    {kUdp, "[method]udp-socket.set-receive-buffer-size", m<set_receive_buffer_size>},
    {kUdp, "[method]udp-socket.send-buffer-size", m<send_buffer_size>},
    {kUdp, "[method]udp-socket.set-send-buffer-size", m<set_send_buffer_size>},
    {kUdp, "[method]udp-socket.subscribe", m<udp_subscribe>},
    {kUdp, "[method]incoming-datagram-stream.receive",
     method<IncomingRes, Kind::IncomingDatagramStream, receive>},
    {kUdp, "[method]incoming-datagram-stream.subscribe",
     method<IncomingRes, Kind::IncomingDatagramStream, incoming_subscribe>},
    {kUdp, "[method]outgoing-datagram-stream.check-send",
     method<OutgoingRes, Kind::OutgoingDatagramStream, check_send>},
    {kUdp, "[method]outgoing-datagram-stream.send",
     method<OutgoingRes, Kind::OutgoingDatagramStream, send>},
    {kUdp, "[method]outgoing-datagram-stream.subscribe",
     method<OutgoingRes, Kind::OutgoingDatagramStream, outgoing_subscribe>},
};

}  // namespace

std::span<const FuncDef> udp_funcs() {
  return kFuncs;
}

}  // namespace zinc::wasi::p2::sockets
