// tests/wasi/p2_sockets_test.cc: wasi:sockets 0.2 (wasi/p2/sockets*.cc) driven through its
// handlers, over loopback only: TCP listen / connect / accept / echo (127.0.0.1, and ::1 when
// the machine has IPv6), a UDP round trip, ip-name-lookup of "localhost" and of literals, the
// network policy's denials, state-machine errors and socket options.
//
// Every call goes through the FuncDef tables by WIT name and its result is checked against the
// function's WIT result type (as canon_lower would), so a handler returning a wrongly shaped
// value fails here. Waiting is done with wasi:io/poll on the objects' pollables together with
// a monotonic-clock pollable for the test's deadline: each test gives up after kTestBudget.
#include <algorithm>
#include <catch2/catch.hpp>
#include <cstring>
#include <functional>
#include <initializer_list>
#include <memory>
#include <string>
#include <vector>

#include "component/text/component_text.h"
#include "component/wit/wit.h"
#include "wasi/host/clocks.h"
#include "wasi/host/socket.h"
#include "wasi/p2/host.h"
#include "wasi/p2/p2.h"
#include "zinc/zinc.h"

namespace zinc::wasi::p2 {
namespace {

namespace wit = component::wit;
using cm::Val;

constexpr uint64_t kTestBudget = 4'000'000'000;  // ns: every wait of a test ends before this

uint64_t now_ns() {
  return *host::clock_now(host::ClockId::Monotonic);
}

host::NetworkPolicy::Range range(std::initializer_list<uint8_t> v6, uint8_t prefix) {
  host::NetworkPolicy::Range r;
  std::copy(v6.begin(), v6.end(), r.addr);
  r.prefix_len = prefix;
  return r;
}

/// 127.0.0.0/8 (as IPv4-mapped IPv6) and ::1/128, plus name lookups.
host::NetworkPolicy loopback_policy() {
  host::NetworkPolicy p;
  p.allowed.push_back(range({0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 127, 0, 0, 0}, 96 + 8));
  p.allowed.push_back(range({0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1}, 128));
  p.name_lookup = true;
  return p;
}

Val ipv4(uint8_t a, uint8_t b, uint8_t c, uint8_t d, uint16_t port) {
  return Val::variant(
      "ipv4", {Val::record(
                  {"port", "address"},
                  {Val::u16(port), Val::tuple({Val::u8(a), Val::u8(b), Val::u8(c), Val::u8(d)})})});
}

Val ipv6_loopback(uint16_t port) {
  std::vector<Val> a(7, Val::u16(0));
  a.push_back(Val::u16(1));
  return Val::variant(
      "ipv6", {Val::record({"port", "flow-info", "address", "scope-id"},
                           {Val::u16(port), Val::u32(0), Val::tuple(std::move(a)), Val::u32(0)})});
}

Val loopback(bool v6, uint16_t port) {
  return v6 ? ipv6_loopback(port) : ipv4(127, 0, 0, 1, port);
}

uint16_t port_of(const Val& ip_socket_address) {
  return static_cast<uint16_t>(ip_socket_address.items.at(0).items.at(0).bits);
}

/// The payload of ok(...) (REQUIREs ok).
Val ok_of(const Val& r) {
  INFO("result: " << cm::to_wave(r));
  REQUIRE(r.kind == cm::ValKind::Result);
  REQUIRE(r.is_ok);
  return r.items.empty() ? Val() : r.items[0];
}

/// The error-code label of err(code) (REQUIREs err).
std::string err_of(const Val& r) {
  INFO("result: " << cm::to_wave(r));
  REQUIRE(r.kind == cm::ValKind::Result);
  REQUIRE(!r.is_ok);
  REQUIRE(r.items.size() == 1);
  return r.items[0].str;
}

std::string bytes(const Val& list) {
  std::string out;
  for (size_t i = 0; i < list.list_size(); ++i)
    out.push_back(static_cast<char>(list.list_item(i).bits));
  return out;
}

/// A WASI 0.2 host with the WIT declarations resolved; calls handlers by WIT name.
class Fixture {
 public:
  explicit Fixture(host::NetworkPolicy policy) : resolve_(types_, all_features()) {
    std::vector<wit::Resolve::SourceGroup> groups;
    for (const auto& [name, text] : wit_sources()) groups.push_back({{name, text}});
    auto r = resolve_.add_groups(groups);
    if (!r.ok()) FAIL(r.error().message);
    host::WasiConfig config;
    config.network = std::move(policy);
    host_ = std::make_unique<Host>(std::move(config), types_);
    deadline_ = now_ns() + kTestBudget;
  }

  Host& host() { return *host_; }

  /// Calls iface#name; a trap is an error.
  Result<std::optional<Val>> try_call(const std::string& iface, const std::string& name,
                                      std::vector<Val> args) {
    const FuncDef* def = nullptr;
    for (auto table : {io_funcs(), clocks_funcs(), sockets_funcs()}) {
      for (const FuncDef& d : table) {
        if (iface == d.iface && name == d.name) def = &d;
      }
    }
    INFO(iface << "#" << name);
    REQUIRE(def != nullptr);
    const wit::Interface* i = resolve_.find_interface(iface + "@0.2.12");
    REQUIRE(i != nullptr);
    const wit::Function* f = i->find_function(name);
    REQUIRE(f != nullptr);
    REQUIRE(args.size() == f->type->params.size());
    auto r = def->fn(*host_, args);
    if (r.ok()) {
      REQUIRE(r->has_value() == (f->type->result != nullptr));
      if (*r) {
        INFO("result: " << cm::to_wave(**r));
        CHECK(cm::matches(**r, f->type->result));
      }
    }
    return r;
  }

  /// Calls iface#name, which must not trap; its result (or an empty Val).
  Val call(const std::string& iface, const std::string& name, std::vector<Val> args = {}) {
    auto r = try_call(iface, name, std::move(args));
    INFO(iface << "#" << name << (r.ok() ? std::string() : ": " + r.error().message));
    REQUIRE(r.ok());
    return *r ? **r : Val();
  }

  /// A method of `self` (an own handle; passed as borrow).
  Val method(const std::string& iface, const std::string& name, const Val& self,
             std::vector<Val> args = {}) {
    args.insert(args.begin(), cm::borrow_of(self));
    return call(iface, name, std::move(args));
  }
  Val tcp(const std::string& m, const Val& self, std::vector<Val> args = {}) {
    return method("wasi:sockets/tcp", "[method]tcp-socket." + m, self, std::move(args));
  }
  Val udp(const std::string& m, const Val& self, std::vector<Val> args = {}) {
    return method("wasi:sockets/udp", "[method]udp-socket." + m, self, std::move(args));
  }

  /// Waits with wasi:io/poll until `pollable` is ready; fails the test at the deadline.
  void wait(const Val& pollable) {
    const uint64_t now = now_ns();
    REQUIRE(now < deadline_);
    Val timer =
        call("wasi:clocks/monotonic-clock", "subscribe-duration", {Val::u64(deadline_ - now)});
    Val ready =
        call("wasi:io/poll", "poll", {Val::list({cm::borrow_of(pollable), cm::borrow_of(timer)})});
    drop(timer);
    bool socket_ready = false;
    for (size_t i = 0; i < ready.list_size(); ++i) socket_ready |= ready.list_item(i).bits == 0;
    REQUIRE(socket_ready);  // else the deadline passed
  }

  /// Subscribes to `self` (with `subscribe_name`), waits, drops the pollable.
  void wait_on(const std::string& iface, const std::string& subscribe_name, const Val& self) {
    Val p = method(iface, subscribe_name, self);
    wait(p);
    drop(p);
  }

  /// Retries a wasi:sockets call answering would-block, waiting on `self`'s pollable between.
  Val until_ready(const std::string& iface, const std::string& subscribe_name, const Val& self,
                  const std::function<Val()>& attempt) {
    for (;;) {
      Val r = attempt();
      if (r.is_ok || r.items.empty() || r.items[0].str != "would-block") return r;
      wait_on(iface, subscribe_name, self);
    }
  }

  Result<void> try_drop(const Val& handle) {
    return host_->drop(static_cast<uint32_t>(handle.bits));
  }
  void drop(const Val& handle) {
    auto r = try_drop(handle);
    INFO((r.ok() ? std::string() : r.error().message));
    REQUIRE(r.ok());
  }

  /// Writes all of `data` to an output-stream (check-write, write, flush).
  void write_all(const Val& out, const std::string& data) {
    std::string rest = data;
    while (!rest.empty()) {
      const uint64_t n =
          ok_of(method("wasi:io/streams", "[method]output-stream.check-write", out)).bits;
      if (n == 0) {
        wait_on("wasi:io/streams", "[method]output-stream.subscribe", out);
        continue;
      }
      const std::string chunk = rest.substr(0, n);
      ok_of(method("wasi:io/streams", "[method]output-stream.write", out,
                   {Val::packed_list(cm::ValKind::U8, chunk)}));
      rest = rest.substr(chunk.size());
    }
    ok_of(method("wasi:io/streams", "[method]output-stream.blocking-flush", out));
  }

  /// Reads from an input-stream until `n` bytes came (or the stream ended).
  std::string read_n(const Val& in, size_t n) {
    std::string got;
    while (got.size() < n) {
      Val r =
          method("wasi:io/streams", "[method]input-stream.read", in, {Val::u64(n - got.size())});
      if (!r.is_ok) break;
      const std::string chunk = bytes(r.items[0]);
      if (chunk.empty()) wait_on("wasi:io/streams", "[method]input-stream.subscribe", in);
      got += chunk;
    }
    return got;
  }

 private:
  static wit::Features all_features() {
    wit::Features f;
    f.all = true;
    return f;
  }

  cm::TypeTable types_;
  wit::Resolve resolve_;
  std::unique_ptr<Host> host_;
  uint64_t deadline_ = 0;
};

bool ipv6_loopback_available() {
  auto s = host::Socket::open(/*v6=*/true, /*stream=*/true);
  if (!s.ok()) return false;
  host::IpEndpoint e;
  e.v6 = true;
  e.addr[15] = 1;
  return (*s)->bind(e).ok();
}

Val family(bool v6) {
  return Val::enumeration(v6 ? "ipv6" : "ipv4");
}

void tcp_echo(bool v6) {
  Fixture f(loopback_policy());
  Val net = f.call("wasi:sockets/instance-network", "instance-network");

  Val listener = ok_of(f.call("wasi:sockets/tcp-create-socket", "create-tcp-socket", {family(v6)}));
  CHECK(f.tcp("address-family", listener).str == (v6 ? "ipv6" : "ipv4"));
  ok_of(f.tcp("start-bind", listener, {cm::borrow_of(net), loopback(v6, 0)}));
  ok_of(f.tcp("finish-bind", listener));
  ok_of(f.tcp("start-listen", listener));
  CHECK_FALSE(f.tcp("is-listening", listener).as_bool());
  ok_of(f.tcp("finish-listen", listener));
  CHECK(f.tcp("is-listening", listener).as_bool());
  const uint16_t port = port_of(ok_of(f.tcp("local-address", listener)));
  CHECK(port != 0);
  CHECK(err_of(f.tcp("accept", listener)) == "would-block");  // nobody yet

  Val client = ok_of(f.call("wasi:sockets/tcp-create-socket", "create-tcp-socket", {family(v6)}));
  ok_of(f.tcp("start-connect", client, {cm::borrow_of(net), loopback(v6, port)}));
  CHECK(err_of(f.tcp("start-connect", client, {cm::borrow_of(net), loopback(v6, port)})) ==
        "concurrency-conflict");
  Val streams = ok_of(f.until_ready("wasi:sockets/tcp", "[method]tcp-socket.subscribe", client,
                                    [&] { return f.tcp("finish-connect", client); }));
  CHECK(err_of(f.tcp("finish-connect", client)) == "not-in-progress");
  const Val c_in = streams.items.at(0), c_out = streams.items.at(1);
  CHECK(port_of(ok_of(f.tcp("remote-address", client))) == port);

  Val accepted = ok_of(f.until_ready("wasi:sockets/tcp", "[method]tcp-socket.subscribe", listener,
                                     [&] { return f.tcp("accept", listener); }));
  const Val server = accepted.items.at(0), s_in = accepted.items.at(1),
            s_out = accepted.items.at(2);
  CHECK(port_of(ok_of(f.tcp("remote-address", server))) ==
        port_of(ok_of(f.tcp("local-address", client))));
  CHECK(f.tcp("address-family", server).str == (v6 ? "ipv6" : "ipv4"));

  // Echo: client -> server -> client, a message larger than one write permit.
  std::string message;
  for (int i = 0; i < 100000; ++i) message.push_back(static_cast<char>('a' + i % 26));
  f.write_all(c_out, message);
  const std::string at_server = f.read_n(s_in, message.size());
  CHECK(at_server == message);
  f.write_all(s_out, at_server);
  CHECK(f.read_n(c_in, message.size()) == message);

  // shutdown(send): the server reads the end of the stream; the client's output is closed.
  ok_of(f.tcp("shutdown", client, {Val::enumeration("send")}));
  ok_of(f.tcp("shutdown", client, {Val::enumeration("send")}));  // idempotent
  f.wait_on("wasi:io/streams", "[method]input-stream.subscribe", s_in);
  Val end = f.method("wasi:io/streams", "[method]input-stream.read", s_in, {Val::u64(10)});
  REQUIRE_FALSE(end.is_ok);
  CHECK(end.items.at(0).str == "closed");
  Val closed = f.method("wasi:io/streams", "[method]output-stream.check-write", c_out);
  REQUIRE_FALSE(closed.is_ok);
  CHECK(closed.items.at(0).str == "closed");
  CHECK(err_of(f.tcp("shutdown", listener, {Val::enumeration("both")})) == "invalid-state");

  // The streams are the socket's children: the socket cannot go first.
  CHECK_FALSE(f.try_drop(client).ok());
  for (const Val& h : {c_in, c_out, s_in, s_out}) f.drop(h);
  for (const Val& h : {client, server, listener, net}) f.drop(h);
  CHECK(f.host().live() == 0);
}

TEST_CASE("wasi p2 sockets: TCP echo over 127.0.0.1", "[wasi][p2][sockets]") {
  tcp_echo(false);
}

TEST_CASE("wasi p2 sockets: TCP echo over ::1", "[wasi][p2][sockets]") {
  if (!ipv6_loopback_available()) {
    WARN("no IPv6 loopback on this machine: skipped");
    return;
  }
  tcp_echo(true);
}

TEST_CASE("wasi p2 sockets: TCP connection errors and reset", "[wasi][p2][sockets]") {
  Fixture f(loopback_policy());
  Val net = f.call("wasi:sockets/instance-network", "instance-network");
  // A bound socket that does not listen: connecting to its port is refused.
  Val bound = ok_of(f.call("wasi:sockets/tcp-create-socket", "create-tcp-socket", {family(false)}));
  ok_of(f.tcp("start-bind", bound, {cm::borrow_of(net), ipv4(127, 0, 0, 1, 0)}));
  ok_of(f.tcp("finish-bind", bound));
  const uint16_t port = port_of(ok_of(f.tcp("local-address", bound)));
  Val client =
      ok_of(f.call("wasi:sockets/tcp-create-socket", "create-tcp-socket", {family(false)}));
  ok_of(f.tcp("start-connect", client, {cm::borrow_of(net), ipv4(127, 0, 0, 1, port)}));
  Val r = f.until_ready("wasi:sockets/tcp", "[method]tcp-socket.subscribe", client,
                        [&] { return f.tcp("finish-connect", client); });
  CHECK(err_of(r) == "connection-refused");
  // Then the socket is closed.
  CHECK(err_of(f.tcp("local-address", client)) == "invalid-state");
  CHECK(err_of(f.tcp("start-connect", client, {cm::borrow_of(net), ipv4(127, 0, 0, 1, port)})) ==
        "invalid-state");

  // A peer that closes with unread data resets the connection: the reader's stream error
  // carries the error-code (network-error-code).
  ok_of(f.tcp("start-listen", bound));
  ok_of(f.tcp("finish-listen", bound));
  Val c2 = ok_of(f.call("wasi:sockets/tcp-create-socket", "create-tcp-socket", {family(false)}));
  ok_of(f.tcp("start-connect", c2, {cm::borrow_of(net), ipv4(127, 0, 0, 1, port)}));
  Val streams = ok_of(f.until_ready("wasi:sockets/tcp", "[method]tcp-socket.subscribe", c2,
                                    [&] { return f.tcp("finish-connect", c2); }));
  Val accepted = ok_of(f.until_ready("wasi:sockets/tcp", "[method]tcp-socket.subscribe", bound,
                                     [&] { return f.tcp("accept", bound); }));
  f.write_all(streams.items[1], "unread");
  f.wait_on("wasi:io/streams", "[method]input-stream.subscribe", accepted.items[1]);
  for (const Val& h : {accepted.items[1], accepted.items[2], accepted.items[0]}) f.drop(h);
  f.wait_on("wasi:io/streams", "[method]input-stream.subscribe", streams.items[0]);
  Val failed =
      f.method("wasi:io/streams", "[method]input-stream.read", streams.items[0], {Val::u64(10)});
  REQUIRE_FALSE(failed.is_ok);
  REQUIRE(failed.items.at(0).str == "last-operation-failed");
  const Val error = failed.items[0].items.at(0);
  Val code = f.call("wasi:sockets/network", "network-error-code", {cm::borrow_of(error)});
  REQUIRE(code.items.size() == 1);
  CHECK(code.items[0].str == "connection-reset");
  f.drop(error);
  for (const Val& h : {streams.items[0], streams.items[1], c2, client, bound, net}) f.drop(h);
  CHECK(f.host().live() == 0);
}

TEST_CASE("wasi p2 sockets: TCP states and options", "[wasi][p2][sockets]") {
  Fixture f(loopback_policy());
  Val net = f.call("wasi:sockets/instance-network", "instance-network");
  Val s = ok_of(f.call("wasi:sockets/tcp-create-socket", "create-tcp-socket", {family(false)}));
  CHECK(err_of(f.tcp("finish-bind", s)) == "not-in-progress");
  CHECK(err_of(f.tcp("start-listen", s)) == "invalid-state");
  CHECK(err_of(f.tcp("local-address", s)) == "invalid-state");
  CHECK(err_of(f.tcp("remote-address", s)) == "invalid-state");
  CHECK(err_of(f.tcp("accept", s)) == "invalid-state");
  CHECK(err_of(f.tcp("finish-connect", s)) == "not-in-progress");
  CHECK(err_of(f.tcp("start-bind", s, {cm::borrow_of(net), ipv6_loopback(0)})) ==
        "invalid-argument");  // the wrong family
  CHECK(err_of(f.tcp("start-connect", s, {cm::borrow_of(net), ipv4(127, 0, 0, 1, 0)})) ==
        "invalid-argument");  // port 0
  CHECK(err_of(f.tcp("set-listen-backlog-size", s, {Val::u64(0)})) == "invalid-argument");
  ok_of(f.tcp("set-listen-backlog-size", s, {Val::u64(16)}));

  ok_of(f.tcp("set-keep-alive-enabled", s, {Val::boolean(true)}));
  CHECK(ok_of(f.tcp("keep-alive-enabled", s)).as_bool());
  ok_of(f.tcp("set-keep-alive-enabled", s, {Val::boolean(false)}));
  CHECK_FALSE(ok_of(f.tcp("keep-alive-enabled", s)).as_bool());
  ok_of(f.tcp("set-keep-alive-idle-time", s, {Val::u64(30'000'000'000)}));
  CHECK(ok_of(f.tcp("keep-alive-idle-time", s)).bits == 30'000'000'000);
  CHECK(err_of(f.tcp("set-keep-alive-idle-time", s, {Val::u64(0)})) == "invalid-argument");
  ok_of(f.tcp("set-keep-alive-interval", s, {Val::u64(7'000'000'000)}));
  CHECK(ok_of(f.tcp("keep-alive-interval", s)).bits == 7'000'000'000);
  ok_of(f.tcp("set-keep-alive-count", s, {Val::u32(5)}));
  CHECK(ok_of(f.tcp("keep-alive-count", s)).bits == 5);
  CHECK(err_of(f.tcp("set-keep-alive-count", s, {Val::u32(0)})) == "invalid-argument");
  ok_of(f.tcp("set-hop-limit", s, {Val::u8(42)}));
  CHECK(ok_of(f.tcp("hop-limit", s)).bits == 42);
  CHECK(err_of(f.tcp("set-hop-limit", s, {Val::u8(0)})) == "invalid-argument");
  ok_of(f.tcp("set-receive-buffer-size", s, {Val::u64(65536)}));
  CHECK(ok_of(f.tcp("receive-buffer-size", s)).bits >= 4096);
  CHECK(err_of(f.tcp("set-send-buffer-size", s, {Val::u64(0)})) == "invalid-argument");
  CHECK(ok_of(f.tcp("send-buffer-size", s)).bits > 0);

  // The socket's pollable is ready at once when nothing is in progress.
  Val p = f.tcp("subscribe", s);
  CHECK(f.method("wasi:io/poll", "[method]pollable.ready", p).as_bool());
  CHECK_FALSE(f.try_drop(s).ok());  // the pollable is its child
  f.drop(p);
  f.drop(s);
  f.drop(net);
  CHECK(f.host().live() == 0);
}

TEST_CASE("wasi p2 sockets: UDP round trip over 127.0.0.1", "[wasi][p2][sockets]") {
  Fixture f(loopback_policy());
  Val net = f.call("wasi:sockets/instance-network", "instance-network");
  auto bound_socket = [&] {
    Val s = ok_of(f.call("wasi:sockets/udp-create-socket", "create-udp-socket", {family(false)}));
    CHECK(err_of(f.udp("local-address", s)) == "invalid-state");
    CHECK(err_of(f.udp("stream", s, {Val::option({})})) == "invalid-state");
    ok_of(f.udp("start-bind", s, {cm::borrow_of(net), ipv4(127, 0, 0, 1, 0)}));
    ok_of(f.udp("finish-bind", s));
    return s;
  };
  Val a = bound_socket(), b = bound_socket();
  const uint16_t pa = port_of(ok_of(f.udp("local-address", a)));
  const uint16_t pb = port_of(ok_of(f.udp("local-address", b)));
  CHECK(pa != pb);

  Val as = ok_of(f.udp("stream", a, {Val::option({})}));  // unconnected
  Val bs = ok_of(f.udp("stream", b, {Val::option({ipv4(127, 0, 0, 1, pa)})}));
  CHECK(err_of(f.udp("remote-address", a)) == "invalid-state");
  CHECK(port_of(ok_of(f.udp("remote-address", b))) == pa);
  // A second `stream` while these live traps.
  CHECK_FALSE(f.try_call("wasi:sockets/udp", "[method]udp-socket.stream",
                         {cm::borrow_of(a), Val::option({})})
                  .ok());

  const std::string udp = "wasi:sockets/udp";
  auto check_send = [&](const Val& out) {
    return ok_of(f.method(udp, "[method]outgoing-datagram-stream.check-send", out)).bits;
  };
  auto send = [&](const Val& out, const std::string& data, std::vector<Val> to) {
    return f.method(udp, "[method]outgoing-datagram-stream.send", out,
                    {Val::list({Val::record(
                        {"data", "remote-address"},
                        {Val::packed_list(cm::ValKind::U8, data), Val::option(std::move(to))})})});
  };
  auto receive_one = [&](const Val& in) {
    for (;;) {
      Val got = ok_of(f.method(udp, "[method]incoming-datagram-stream.receive", in, {Val::u64(8)}));
      if (got.list_size() > 0) {
        REQUIRE(got.list_size() == 1);
        return got.list_item(0);
      }
      f.wait_on(udp, "[method]incoming-datagram-stream.subscribe", in);
    }
  };

  // a -> b (a names the destination), b -> a (b's association is the destination).
  REQUIRE(check_send(as.items[1]) >= 1);
  CHECK(ok_of(send(as.items[1], "ping", {ipv4(127, 0, 0, 1, pb)})).bits == 1);
  Val ping = receive_one(bs.items[0]);
  CHECK(bytes(ping.items.at(0)) == "ping");
  CHECK(port_of(ping.items.at(1)) == pa);

  REQUIRE(check_send(bs.items[1]) >= 1);
  CHECK(ok_of(send(bs.items[1], "pong", {})).bits == 1);
  Val pong = receive_one(as.items[0]);
  CHECK(bytes(pong.items.at(0)) == "pong");
  CHECK(port_of(pong.items.at(1)) == pb);

  // b is associated with a: another destination is invalid; an unconnected stream needs one.
  REQUIRE(check_send(bs.items[1]) >= 1);
  CHECK(err_of(send(bs.items[1], "x", {ipv4(127, 0, 0, 1, pb)})) == "invalid-argument");
  REQUIRE(check_send(as.items[1]) >= 1);
  CHECK(err_of(send(as.items[1], "x", {})) == "invalid-argument");
  // send without a permit traps.
  CHECK_FALSE(f.try_call(udp, "[method]outgoing-datagram-stream.send",
                         {cm::borrow_of(as.items[1]), Val::list({})})
                  .ok());
  CHECK(ok_of(f.method(udp, "[method]incoming-datagram-stream.receive", as.items[0], {Val::u64(0)}))
            .list_size() == 0);

  Val p = f.udp("subscribe", a);
  CHECK(f.method("wasi:io/poll", "[method]pollable.ready", p).as_bool());
  f.drop(p);
  CHECK_FALSE(f.try_drop(a).ok());  // its streams live
  for (const Val& h : {as.items[0], as.items[1], bs.items[0], bs.items[1]}) f.drop(h);
  // After the streams are gone, `stream` may be called again (disconnecting b).
  Val bs2 = ok_of(f.udp("stream", b, {Val::option({})}));
  CHECK(err_of(f.udp("remote-address", b)) == "invalid-state");
  for (const Val& h : {bs2.items[0], bs2.items[1], a, b, net}) f.drop(h);
  CHECK(f.host().live() == 0);
}

std::vector<std::string> resolve_all(Fixture& f, const Val& net, const std::string& name) {
  const std::string lookup = "wasi:sockets/ip-name-lookup";
  Val stream = ok_of(f.call(lookup, "resolve-addresses", {cm::borrow_of(net), Val::string(name)}));
  std::vector<std::string> out;
  for (;;) {
    Val r = f.until_ready(lookup, "[method]resolve-address-stream.subscribe", stream, [&] {
      return f.method(lookup, "[method]resolve-address-stream.resolve-next-address", stream);
    });
    Val next = ok_of(r);
    if (next.items.empty()) break;
    out.push_back(cm::to_wave(next.items[0]));
  }
  f.drop(stream);
  return out;
}

TEST_CASE("wasi p2 sockets: ip-name-lookup of localhost and of literals", "[wasi][p2][sockets]") {
  Fixture f(loopback_policy());
  Val net = f.call("wasi:sockets/instance-network", "instance-network");
  const std::vector<std::string> local = resolve_all(f, net, "localhost");
  INFO("localhost resolved to " << local.size() << " addresses");
  REQUIRE_FALSE(local.empty());
  const Val v4 =
      Val::variant("ipv4", {Val::tuple({Val::u8(127), Val::u8(0), Val::u8(0), Val::u8(1)})});
  std::vector<Val> one(7, Val::u16(0));
  one.push_back(Val::u16(1));
  const Val v6 = Val::variant("ipv6", {Val::tuple(one)});
  for (const std::string& a : local) {
    CHECK((a == cm::to_wave(v4) || a == cm::to_wave(v6)));
  }
  CHECK(resolve_all(f, net, "LocalHost").size() == local.size());
  CHECK(resolve_all(f, net, "127.0.0.1") == std::vector<std::string>{cm::to_wave(v4)});
  CHECK(resolve_all(f, net, "::1") == std::vector<std::string>{cm::to_wave(v6)});
  CHECK(resolve_all(f, net, "[::1]") == std::vector<std::string>{cm::to_wave(v6)});
  const std::string lookup = "wasi:sockets/ip-name-lookup";
  for (const char* bad : {"", "exa mple.com", "a/b", "user@host", "h\xc3\xa9.example"}) {
    INFO("name " << bad);
    CHECK(err_of(f.call(lookup, "resolve-addresses", {cm::borrow_of(net), Val::string(bad)})) ==
          "invalid-argument");
  }
  f.drop(net);
  CHECK(f.host().live() == 0);
}

TEST_CASE("wasi p2 sockets: the network policy denies what it does not allow",
          "[wasi][p2][sockets]") {
  SECTION("nothing allowed") {
    Fixture f(host::NetworkPolicy{});
    Val net = f.call("wasi:sockets/instance-network", "instance-network");
    Val t = ok_of(f.call("wasi:sockets/tcp-create-socket", "create-tcp-socket", {family(false)}));
    CHECK(err_of(f.tcp("start-bind", t, {cm::borrow_of(net), ipv4(127, 0, 0, 1, 0)})) ==
          "access-denied");
    CHECK(err_of(f.tcp("start-connect", t, {cm::borrow_of(net), ipv4(127, 0, 0, 1, 80)})) ==
          "access-denied");
    Val u = ok_of(f.call("wasi:sockets/udp-create-socket", "create-udp-socket", {family(true)}));
    CHECK(err_of(f.udp("start-bind", u, {cm::borrow_of(net), ipv6_loopback(0)})) ==
          "access-denied");
    CHECK(err_of(f.call("wasi:sockets/ip-name-lookup", "resolve-addresses",
                        {cm::borrow_of(net), Val::string("localhost")})) == "access-denied");
    for (const Val& h : {t, u, net}) f.drop(h);
    CHECK(f.host().live() == 0);
  }
  SECTION("another range, and the protocol switches") {
    host::NetworkPolicy p;
    p.allowed.push_back(range({0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 0, 0, 0}, 96 + 8));
    p.tcp = false;
    Fixture f(p);
    Val net = f.call("wasi:sockets/instance-network", "instance-network");
    CHECK(err_of(f.call("wasi:sockets/tcp-create-socket", "create-tcp-socket", {family(false)})) ==
          "access-denied");
    Val u = ok_of(f.call("wasi:sockets/udp-create-socket", "create-udp-socket", {family(false)}));
    CHECK(err_of(f.udp("start-bind", u, {cm::borrow_of(net), ipv4(127, 0, 0, 1, 0)})) ==
          "access-denied");
    CHECK(err_of(f.udp("start-bind", u, {cm::borrow_of(net), ipv4(11, 0, 0, 1, 0)})) ==
          "access-denied");
    // Allowed but malformed: the WIT's own error.
    Val u6 = ok_of(f.call("wasi:sockets/udp-create-socket", "create-udp-socket", {family(true)}));
    std::vector<Val> mapped = {Val::u16(0), Val::u16(0),      Val::u16(0),      Val::u16(0),
                               Val::u16(0), Val::u16(0xffff), Val::u16(0x0a00), Val::u16(1)};
    Val mapped_addr = Val::variant(
        "ipv6", {Val::record({"port", "flow-info", "address", "scope-id"},
                             {Val::u16(0), Val::u32(0), Val::tuple(mapped), Val::u32(0)})});
    CHECK(err_of(f.udp("start-bind", u6, {cm::borrow_of(net), mapped_addr})) == "invalid-argument");
    for (const Val& h : {u, u6, net}) f.drop(h);
  }
  SECTION("inherit-network allows every address and name lookups") {
    host::NetworkPolicy p;
    p.inherit = true;
    Fixture f(p);
    Val net = f.call("wasi:sockets/instance-network", "instance-network");
    CHECK(resolve_all(f, net, "127.0.0.1").size() == 1);
    f.drop(net);
  }
}

// ---- through the component linker ----

// A component binding a UDP socket to 127.0.0.1:PORT through the imports as wit-component lays
// them out. `bind(port)` returns 0 when bound, 1 + the error-code's index when start-bind
// failed, 100 + it when create-udp-socket did.
constexpr std::string_view kUdpBind = R"((component
  (import "wasi:sockets/network@0.2.0" (instance $net
    (export "network" (type (sub resource)))
    (type $ec (enum "unknown" "access-denied" "not-supported" "invalid-argument" "out-of-memory"
      "timeout" "concurrency-conflict" "not-in-progress" "would-block" "invalid-state"
      "new-socket-limit" "address-not-bindable" "address-in-use" "remote-unreachable"
      "connection-refused" "connection-reset" "connection-aborted" "datagram-too-large"
      "name-unresolvable" "temporary-resolver-failure" "permanent-resolver-failure"))
    (export "error-code" (type $ec2 (eq $ec)))
    (type $fam (enum "ipv4" "ipv6"))
    (export "ip-address-family" (type $fam2 (eq $fam)))
    (type $v4 (tuple u8 u8 u8 u8))
    (export "ipv4-address" (type $v4e (eq $v4)))
    (type $v6 (tuple u16 u16 u16 u16 u16 u16 u16 u16))
    (export "ipv6-address" (type $v6e (eq $v6)))
    (type $sa4 (record (field "port" u16) (field "address" $v4e)))
    (export "ipv4-socket-address" (type $sa4e (eq $sa4)))
    (type $sa6 (record (field "port" u16) (field "flow-info" u32) (field "address" $v6e)
                       (field "scope-id" u32)))
    (export "ipv6-socket-address" (type $sa6e (eq $sa6)))
    (type $sa (variant (case "ipv4" $sa4e) (case "ipv6" $sa6e)))
    (export "ip-socket-address" (type $sae (eq $sa)))))
  (alias export $net "network" (type $network))
  (alias export $net "error-code" (type $error-code))
  (alias export $net "ip-address-family" (type $family))
  (alias export $net "ip-socket-address" (type $addr))
  (import "wasi:sockets/instance-network@0.2.0" (instance $inet
    (alias outer 1 $network (type $n))
    (export "network" (type $n2 (eq $n)))
    (type $o (own $n2))
    (export "instance-network" (func (result $o)))))
  (import "wasi:sockets/udp@0.2.0" (instance $udp
    (alias outer 1 $network (type $n))
    (export "network" (type $n2 (eq $n)))
    (alias outer 1 $error-code (type $ec))
    (export "error-code" (type $ec2 (eq $ec)))
    (alias outer 1 $addr (type $a))
    (export "ip-socket-address" (type $a2 (eq $a)))
    (export "udp-socket" (type $s (sub resource)))
    (type $bs (borrow $s))
    (type $bn (borrow $n2))
    (type $r (result (error $ec2)))
    (export "[method]udp-socket.start-bind"
      (func (param "self" $bs) (param "network" $bn) (param "local-address" $a2) (result $r)))))
  (alias export $udp "udp-socket" (type $udp-socket))
  (import "wasi:sockets/udp-create-socket@0.2.0" (instance $ucs
    (alias outer 1 $error-code (type $ec))
    (export "error-code" (type $ec2 (eq $ec)))
    (alias outer 1 $family (type $f))
    (export "ip-address-family" (type $f2 (eq $f)))
    (alias outer 1 $udp-socket (type $s))
    (export "udp-socket" (type $s2 (eq $s)))
    (type $o (own $s2))
    (type $r (result $o (error $ec2)))
    (export "create-udp-socket" (func (param "address-family" $f2) (result $r)))))
  (core module $libc (memory (export "mem") 1))
  (core instance $libc (instantiate $libc))
  (alias export $inet "instance-network" (func $instance-network))
  (alias export $ucs "create-udp-socket" (func $create))
  (alias export $udp "[method]udp-socket.start-bind" (func $start-bind))
  (core func $instance-network' (canon lower (func $instance-network)))
  (core func $create' (canon lower (func $create) (memory $libc "mem")))
  (core func $start-bind' (canon lower (func $start-bind) (memory $libc "mem")))
  (core func $drop-socket (canon resource.drop $udp-socket))
  (core func $drop-network (canon resource.drop $network))
  (core module $m
    (import "libc" "mem" (memory 1))
    (import "h" "instance-network" (func $inet (result i32)))
    (import "h" "create" (func $create (param i32 i32)))
    (import "h" "start-bind" (func $bind (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32
                                               i32 i32 i32)))
    (import "h" "drop-socket" (func $drop-socket (param i32)))
    (import "h" "drop-network" (func $drop-network (param i32)))
    (func (export "bind") (param $port i32) (result i32)
      (local $net i32) (local $sock i32) (local $r i32)
      (local.set $net (call $inet))
      (call $create (i32.const 0) (i32.const 64))
      (if (i32.load8_u (i32.const 64))
        (then
          (call $drop-network (local.get $net))
          (return (i32.add (i32.const 100) (i32.load8_u (i32.const 68))))))
      (local.set $sock (i32.load (i32.const 68)))
      (call $bind (local.get $sock) (local.get $net)
        (i32.const 0) (local.get $port) (i32.const 127) (i32.const 0) (i32.const 0) (i32.const 1)
        (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)
        (i32.const 128))
      (local.set $r (i32.const 0))
      (if (i32.load8_u (i32.const 128))
        (then (local.set $r (i32.add (i32.const 1) (i32.load8_u (i32.const 129))))))
      (call $drop-socket (local.get $sock))
      (call $drop-network (local.get $net))
      (local.get $r)))
  (core instance $i (instantiate $m
    (with "libc" (instance $libc))
    (with "h" (instance
      (export "instance-network" (func $instance-network')) (export "create" (func $create'))
      (export "start-bind" (func $start-bind')) (export "drop-socket" (func $drop-socket))
      (export "drop-network" (func $drop-network))))))
  (func (export "bind") (param "port" u16) (result u32) (canon lift (core func $i "bind")))
))";

TEST_CASE("wasi p2 sockets: a component binds a UDP socket through the linker",
          "[wasi][p2][sockets]") {
  Engine engine;
  auto bin = component::text::component_wat_to_binary(kUdpBind, "udp-bind.wat");
  if (!bin.ok()) FAIL(bin.error().message());
  auto c = component::Component::compile(engine, *bin, "udp-bind");
  if (!c.ok()) FAIL(c.error().message);
  auto run = [&](host::NetworkPolicy policy) -> uint64_t {
    host::WasiConfig config;
    config.network = std::move(policy);
    component::Linker linker(engine);
    auto host = add_to_linker(linker, config);
    REQUIRE(host.ok());
    Store store(engine);
    auto inst = linker.instantiate(store, *c);
    if (!inst.ok()) FAIL(inst.error().message);
    const Val port = Val::u16(0);
    auto r = inst->get_func(store, "bind")->call(store, std::span<const Val>(&port, 1));
    if (!r.ok()) FAIL(r.error().message);
    CHECK(live_resources(**host) == 0);
    return (*r)->bits;
  };
  CHECK(run(loopback_policy()) == 0);
  CHECK(run(host::NetworkPolicy{}) == 1 + 1);  // access-denied
  host::NetworkPolicy no_udp = loopback_policy();
  no_udp.udp = false;
  CHECK(run(no_udp) == 100 + 1);
}

}  // namespace
}  // namespace zinc::wasi::p2
