// wasi/p2/sockets.h: what the wasi:sockets 0.2 files share (private to wasi/p2): error-code
// values, ip-socket-address <-> host::IpEndpoint, the address checks every bind / connect /
// send makes (network policy first, then the WIT's validity rules), and the socket options
// TCP and UDP have in common.
//
// sockets.cc: network, instance-network, ip-name-lookup, and sockets_funcs() (all tables);
// sockets_tcp.cc: tcp, tcp-create-socket; sockets_udp.cc: udp, udp-create-socket.
// Every socket is a non-blocking host socket (host::Socket::open); pollables wait on its
// descriptor, so no call here blocks except the `blocking-*` stream operations.
#pragma once

#include <optional>
#include <span>

#include "wasi/host/socket.h"
#include "wasi/p2/host.h"

namespace zinc::wasi::p2::sockets {

/// wasi:sockets/network network: the capability bind / connect / resolve take. One kind of
/// network: every handle stands for the host's network filtered by the NetworkPolicy.
struct NetworkRes : Resource {
  NetworkRes() : Resource(Kind::Network) {}
};

// ---- error-code ----

/// err(error-code `label`).
inline Ret fail(const char* label) {
  return ret(err(cm::Val::enumeration(label)));
}
/// The error-code of a host error (Wasmtime's mapping: EACCES/EPERM access-denied, EADDRINUSE
/// address-in-use, ...; unknown for those the WIT does not name). Again is would-block.
const char* error_code(host::Errno e);
inline Ret fail_os(host::Errno e) {
  return fail(error_code(e));
}
/// ok(an own handle of the new object `r`), or the trap when the table is full.
inline Ret ok_own(Host& h, std::shared_ptr<Resource> r, std::optional<uint32_t> parent = {}) {
  auto v = h.own(std::move(r), parent);
  if (!v.ok()) return unexpected(v.error());
  return ret(ok(std::move(*v)));
}

// ---- addresses ----

/// The endpoint an ip-socket-address value names (its type is checked by the caller's ABI).
host::IpEndpoint endpoint_of(const cm::Val& ip_socket_address);
cm::Val socket_address_val(const host::IpEndpoint& e);
/// ip-address (the port ignored).
cm::Val ip_address_val(const host::IpEndpoint& e);
/// ip-address-family.
inline cm::Val family_val(bool v6) {
  return cm::Val::enumeration(v6 ? "ipv6" : "ipv4");
}
inline bool is_v6_family(const cm::Val& family) {
  return family.str == "ipv6";
}

/// Whether the policy lets the guest use `e` (bind to it, connect or send to it).
bool policy_allows(const host::NetworkPolicy& p, const host::IpEndpoint& e);
/// Not multicast (nor the IPv4 broadcast address).
bool is_unicast(const host::IpEndpoint& e);
/// `e` is of the socket's family; IPv4-mapped and (deprecated) IPv4-compatible IPv6 addresses
/// never are (IPv6 sockets are IPV6_V6ONLY).
bool family_matches(const host::IpEndpoint& e, bool v6_socket);
/// A usable destination: a specified address and a nonzero port.
bool is_valid_remote(const host::IpEndpoint& e);
/// IPv4-mapped IPv6 (::ffff:a.b.c.d) as IPv4; anything else unchanged.
host::IpEndpoint unmapped(const host::IpEndpoint& e);
/// Same address and port (flow info and scope are not compared).
bool same_address(const host::IpEndpoint& a, const host::IpEndpoint& b);

// ---- options TCP and UDP share ----

Ret hop_limit(host::Socket& s, bool v6);
Ret set_hop_limit(host::Socket& s, bool v6, uint64_t value);
/// receive-buffer-size / send-buffer-size (`opt` RecvBuffer or SendBuffer).
Ret buffer_size(host::Socket& s, host::SocketOption opt);
Ret set_buffer_size(host::Socket& s, host::SocketOption opt, uint64_t value);

/// A readiness check without waiting (the `finish-connect` / `check-send` test).
bool ready_now(int fd, bool read, bool write);

/// Binds a method handler `F(host, object, args)` to a FuncDef handler that first looks the
/// `self` argument up as a `T` of kind `K`.
template <class T, Kind K, Ret (*F)(Host&, T&, std::span<const cm::Val>)>
Ret method(Host& h, std::span<const cm::Val> a) {
  auto self = h.get<T>(a[0], K);
  if (!self.ok()) return unexpected(self.error());
  return F(h, **self, a);
}

/// The tables of sockets_tcp.cc and sockets_udp.cc (sockets_funcs() joins them).
std::span<const FuncDef> tcp_funcs();
std::span<const FuncDef> udp_funcs();

}  // namespace zinc::wasi::p2::sockets
