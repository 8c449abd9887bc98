// wasi/p2/sockets.cc: wasi:sockets 0.2 -- network (error codes, the unstable
// network-error-code), instance-network, ip-name-lookup, the helpers of sockets.h, and
// sockets_funcs() (this file's table joined with sockets_tcp.cc's and sockets_udp.cc's).
//
// Policy (host::NetworkPolicy, nothing allowed by default): every bind, connect, datagram
// destination and name lookup is checked before anything else and answers access-denied when
// the policy does not allow it; accepted connections and received datagrams are not filtered.
// Name lookups run in the background (host::NameLookup): resolve-addresses never blocks, the
// stream's pollable waits for the answer. Literal addresses are answered without a lookup.
// IDNA is not implemented: a name with non-ASCII characters is invalid-argument.
// Spec: wasi/p2/wit/sockets.wit; semantics as Wasmtime's wasmtime-wasi.
#include "wasi/p2/sockets.h"

#include <algorithm>
#include <cctype>
#include <cstring>
#include <vector>

#include "wasi/host/name_lookup.h"
#include "wasi/host/poll.h"

namespace zinc::wasi::p2 {
namespace sockets {

namespace {

struct ErrnoCode {
  host::Errno e;
  const char* code;
};

// Host errors the error-code enum names (the rest are `unknown`).
constexpr ErrnoCode kErrnoCodes[] = {
    {host::Errno::Perm, "access-denied"},
    {host::Errno::Access, "access-denied"},
    {host::Errno::AddrInUse, "address-in-use"},
    {host::Errno::AddrNotAvail, "address-not-bindable"},
    {host::Errno::TimedOut, "timeout"},
    {host::Errno::ConnRefused, "connection-refused"},
    {host::Errno::ConnReset, "connection-reset"},
    {host::Errno::ConnAborted, "connection-aborted"},
    {host::Errno::Inval, "invalid-argument"},
    {host::Errno::HostUnreach, "remote-unreachable"},
    {host::Errno::NetDown, "remote-unreachable"},
    {host::Errno::NetUnreach, "remote-unreachable"},
    {host::Errno::IsConn, "invalid-state"},
    {host::Errno::NotConn, "invalid-state"},
    {host::Errno::DestAddrReq, "invalid-state"},
    {host::Errno::MsgSize, "datagram-too-large"},
    {host::Errno::NoMem, "out-of-memory"},
    {host::Errno::NoBufs, "out-of-memory"},
    {host::Errno::NotSup, "not-supported"},
    {host::Errno::NoProtoOpt, "not-supported"},
    {host::Errno::ProtoNoSupport, "not-supported"},
    {host::Errno::ProtoType, "not-supported"},
    {host::Errno::AfNoSupport, "not-supported"},
    {host::Errno::Again, "would-block"},
    {host::Errno::Already, "concurrency-conflict"},
    {host::Errno::MFile, "new-socket-limit"},
    {host::Errno::NFile, "new-socket-limit"},
};

constexpr uint8_t kMappedPrefix[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

bool is_mapped(const host::IpEndpoint& e) {
  return e.v6 && std::memcmp(e.addr, kMappedPrefix, 12) == 0;
}

bool is_zero(const uint8_t* p, size_t n) {
  return std::all_of(p, p + n, [](uint8_t b) { return b == 0; });
}

cm::Val ipv4_tuple(const uint8_t* a) {
  return cm::Val::tuple(
      {cm::Val::u8(a[0]), cm::Val::u8(a[1]), cm::Val::u8(a[2]), cm::Val::u8(a[3])});
}

cm::Val ipv6_tuple(const uint8_t* a) {
  std::vector<cm::Val> items;
  for (int i = 0; i < 8; ++i) {
    items.push_back(cm::Val::u16(static_cast<uint16_t>(a[2 * i] << 8 | a[2 * i + 1])));
  }
  return cm::Val::tuple(std::move(items));
}

}  // namespace

const char* error_code(host::Errno e) {
  for (const ErrnoCode& row : kErrnoCodes) {
    if (row.e == e) return row.code;
  }
  return "unknown";
}

host::IpEndpoint endpoint_of(const cm::Val& v) {
  host::IpEndpoint e;
  if (v.items.empty()) return e;
  const cm::Val& rec = v.items[0];
  if (v.str == "ipv6" && rec.items.size() == 4) {
    e.v6 = true;
    e.port = static_cast<uint16_t>(rec.items[0].bits);
    e.flow_info = static_cast<uint32_t>(rec.items[1].bits);
    const std::vector<cm::Val>& a = rec.items[2].items;
    for (size_t i = 0; i < 8 && i < a.size(); ++i) {
      e.addr[2 * i] = static_cast<uint8_t>(a[i].bits >> 8);
      e.addr[2 * i + 1] = static_cast<uint8_t>(a[i].bits);
    }
    e.scope_id = static_cast<uint32_t>(rec.items[3].bits);
  } else if (rec.items.size() == 2) {
    e.port = static_cast<uint16_t>(rec.items[0].bits);
    const std::vector<cm::Val>& a = rec.items[1].items;
    for (size_t i = 0; i < 4 && i < a.size(); ++i) e.addr[i] = static_cast<uint8_t>(a[i].bits);
  }
  return e;
}

cm::Val socket_address_val(const host::IpEndpoint& e) {
  if (!e.v6) {
    return cm::Val::variant(
        "ipv4", {cm::Val::record({"port", "address"}, {cm::Val::u16(e.port), ipv4_tuple(e.addr)})});
  }
  return cm::Val::variant(
      "ipv6", {cm::Val::record({"port", "flow-info", "address", "scope-id"},
                               {cm::Val::u16(e.port), cm::Val::u32(e.flow_info), ipv6_tuple(e.addr),
                                cm::Val::u32(e.scope_id)})});
}

cm::Val ip_address_val(const host::IpEndpoint& e) {
  return e.v6 ? cm::Val::variant("ipv6", {ipv6_tuple(e.addr)})
              : cm::Val::variant("ipv4", {ipv4_tuple(e.addr)});
}

bool policy_allows(const host::NetworkPolicy& p, const host::IpEndpoint& e) {
  if (p.inherit) return true;
  uint8_t a[16] = {};
  if (e.v6) {
    std::memcpy(a, e.addr, 16);
  } else {
    std::memcpy(a, kMappedPrefix, 12);
    std::memcpy(a + 12, e.addr, 4);
  }
  for (const host::NetworkPolicy::Range& r : p.allowed) {
    const unsigned bits = std::min<unsigned>(r.prefix_len, 128);
    const unsigned whole = bits / 8, rest = bits % 8;
    if (std::memcmp(a, r.addr, whole) != 0) continue;
    if (rest != 0) {
      const uint8_t mask = static_cast<uint8_t>(0xff << (8 - rest));
      if ((a[whole] & mask) != (r.addr[whole] & mask)) continue;
    }
    return true;
  }
  return false;
}

bool is_unicast(const host::IpEndpoint& e) {
  const host::IpEndpoint u = unmapped(e);
  if (u.v6) return u.addr[0] != 0xff;
  const bool multicast = (u.addr[0] & 0xf0) == 0xe0;
  const bool broadcast =
      u.addr[0] == 255 && u.addr[1] == 255 && u.addr[2] == 255 && u.addr[3] == 255;
  return !multicast && !broadcast;
}

bool family_matches(const host::IpEndpoint& e, bool v6_socket) {
  if (e.v6 != v6_socket) return false;
  if (!e.v6) return true;
  if (is_mapped(e)) return false;
  // ::a.b.c.d (IPv4-compatible, deprecated), but not :: or ::1.
  const bool compatible = is_zero(e.addr, 12) && !is_zero(e.addr + 12, 3);
  const bool compatible_low = is_zero(e.addr, 15) && e.addr[15] > 1;
  return !(compatible || compatible_low);
}

bool is_valid_remote(const host::IpEndpoint& e) {
  const host::IpEndpoint u = unmapped(e);
  return e.port != 0 && !is_zero(u.addr, u.v6 ? 16 : 4);
}

host::IpEndpoint unmapped(const host::IpEndpoint& e) {
  if (!is_mapped(e)) return e;
  host::IpEndpoint v4;
  std::memcpy(v4.addr, e.addr + 12, 4);
  v4.port = e.port;
  return v4;
}

bool same_address(const host::IpEndpoint& a, const host::IpEndpoint& b) {
  return a.v6 == b.v6 && a.port == b.port && std::memcmp(a.addr, b.addr, a.v6 ? 16 : 4) == 0;
}

Ret hop_limit(host::Socket& s, bool v6) {
  auto v = s.option(v6 ? host::SocketOption::UnicastHops : host::SocketOption::Ttl);
  if (!v.ok()) return fail_os(v.error());
  if (*v < 0 || *v > 255) return fail("not-supported");
  return ret(ok(cm::Val::u8(static_cast<uint8_t>(*v))));
}

Ret set_hop_limit(host::Socket& s, bool v6, uint64_t value) {
  // A packet with TTL 0 is never sent: the WIT makes 0 invalid (kernels disagree on it).
  if (value == 0) return fail("invalid-argument");
  auto r = s.set_option(v6 ? host::SocketOption::UnicastHops : host::SocketOption::Ttl,
                        static_cast<int>(value));
  if (!r.ok()) return fail_os(r.error());
  return ret(ok());
}

Ret buffer_size(host::Socket& s, host::SocketOption opt) {
  auto v = s.option(opt);
  if (!v.ok()) return fail_os(v.error());
  // Linux reports twice what was set (room for its bookkeeping): report what the guest asked.
  return ret(ok(cm::Val::u64(static_cast<uint64_t>(std::max(*v, 0)) / 2)));
}

Ret set_buffer_size(host::Socket& s, host::SocketOption opt, uint64_t value) {
  if (value == 0) return fail("invalid-argument");
  // A hint: clamped, as the kernel clamps it too.
  const int v = static_cast<int>(std::min<uint64_t>(value, INT32_MAX));
  auto r = s.set_option(opt, v);
  if (!r.ok() && r.error() != host::Errno::NoBufs) return fail_os(r.error());
  return ret(ok());
}

bool ready_now(int fd, bool read, bool write) {
  PollSource s;
  s.fd = fd;
  s.want_read = read;
  s.want_write = write;
  return is_ready(s);
}

namespace {

// ---- wasi:sockets/network, instance-network ----

Ret instance_network(Host& h, std::span<const cm::Val>) {
  return ret(h.own(std::make_shared<NetworkRes>()));
}

// network-error-code: the error-code of a stream error that came from a host error.
Ret network_error_code(Host& h, std::span<const cm::Val> a) {
  auto e = h.get<ErrorRes>(a[0], Kind::Error);
  if (!e.ok()) return unexpected(e.error());
  if (!(*e)->errno_code) return ret(cm::Val::option({}));
  return ret(cm::Val::option({cm::Val::enumeration(error_code(*(*e)->errno_code))}));
}

// ---- wasi:sockets/ip-name-lookup ----

/// The longest name resolve-addresses takes (a DNS name has at most 253 characters).
constexpr size_t kMaxName = 1024;

struct ResolveRes : Resource {
  ResolveRes() : Resource(Kind::ResolveAddressStream) {}
  std::shared_ptr<host::NameLookup> lookup;  // null: answered at once (a literal)
  bool answered = false;                     // `addresses` / `error` hold the answer
  std::vector<host::IpEndpoint> addresses;
  size_t next = 0;
  const char* error = nullptr;
};

const char* lookup_error_code(host::LookupError e) {
  switch (e) {
    case host::LookupError::NoName:
      return "name-unresolvable";
    case host::LookupError::Temporary:
      return "temporary-resolver-failure";
    case host::LookupError::Permanent:
      return "permanent-resolver-failure";
    case host::LookupError::NoMemory:
      return "out-of-memory";
    case host::LookupError::Failed:
      return "unknown";
  }
  return "unknown";
}

// Syntax of a domain name as a URL host (ASCII only): no spaces, controls or URL delimiters.
bool valid_domain(std::string_view name) {
  if (name.empty() || name.size() > kMaxName) return false;
  for (const char c : name) {
    const auto u = static_cast<unsigned char>(c);
    if (u <= 0x20 || u >= 0x7f) return false;
    if (std::strchr("#%/:<>?@[\\]^|", c) != nullptr) return false;
  }
  return true;
}

/// The answer as the WIT wants it: no IPv4-mapped addresses, each address once, in order.
void take_answer(ResolveRes& r) {
  auto answer = r.lookup->result();
  r.answered = true;
  if (!answer.ok()) {
    r.error = lookup_error_code(answer.error());
    return;
  }
  for (const host::IpEndpoint& raw : *answer) {
    host::IpEndpoint e = unmapped(raw);
    e.port = 0;
    e.flow_info = 0;
    if (!e.v6) e.scope_id = 0;
    if (std::none_of(r.addresses.begin(), r.addresses.end(),
                     [&](const host::IpEndpoint& x) { return x == e; })) {
      r.addresses.push_back(e);
    }
  }
}

Ret resolve_addresses(Host& h, std::span<const cm::Val> a) {
  if (auto n = h.get(a[0], Kind::Network); !n.ok()) return unexpected(n.error());
  const host::NetworkPolicy& p = h.config.network;
  if (!p.inherit && !p.name_lookup) return fail("access-denied");
  const std::string& name = a[1].str;
  auto r = std::make_shared<ResolveRes>();
  if (auto ip = host::parse_ip(name)) {
    r->answered = true;
    r->addresses.push_back(unmapped(*ip));
  } else if (!valid_domain(name)) {
    return fail("invalid-argument");
  } else {
    std::string lower(name);
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    r->lookup = host::NameLookup::start(std::move(lower));
    if (r->lookup->done()) {
      take_answer(*r);
      if (r->error != nullptr) return fail(r->error);  // known at once: said at once
    }
  }
  return ok_own(h, std::move(r));
}

Ret resolve_next_address(Host&, ResolveRes& r, std::span<const cm::Val>) {
  if (!r.answered) {
    if (!r.lookup->done()) return fail("would-block");
    take_answer(r);
  }
  if (r.error != nullptr) return fail(r.error);
  if (r.next >= r.addresses.size()) return ret(ok(cm::Val::option({})));
  return ret(ok(cm::Val::option({ip_address_val(r.addresses[r.next++])})));
}

Ret resolve_subscribe(Host& h, ResolveRes& r, std::span<const cm::Val> a) {
  PollSource s;  // answered: always ready
  if (r.lookup && r.lookup->poll_fd() >= 0) {
    s.fd = r.lookup->poll_fd();
    s.want_read = true;
  }
  return ret(h.own(std::make_shared<Pollable>(std::move(s)), static_cast<uint32_t>(a[0].bits)));
}

constexpr FuncDef kFuncs[] = {
    {"wasi:sockets/network", "network-error-code", network_error_code},
    {"wasi:sockets/instance-network", "instance-network", instance_network},
    {"wasi:sockets/ip-name-lookup", "resolve-addresses", resolve_addresses},
    {"wasi:sockets/ip-name-lookup", "[method]resolve-address-stream.resolve-next-address",
     method<ResolveRes, Kind::ResolveAddressStream, resolve_next_address>},
    {"wasi:sockets/ip-name-lookup", "[method]resolve-address-stream.subscribe",
     method<ResolveRes, Kind::ResolveAddressStream, resolve_subscribe>},
};

}  // namespace
}  // namespace sockets

std::span<const FuncDef> sockets_funcs() {
  static const std::vector<FuncDef> all = [] {
    std::vector<FuncDef> v(std::begin(sockets::kFuncs), std::end(sockets::kFuncs));
    for (auto table : {sockets::tcp_funcs(), sockets::udp_funcs()}) {
      v.insert(v.end(), table.begin(), table.end());
    }
    return v;
  }();
  return all;
}

}  // namespace zinc::wasi::p2
