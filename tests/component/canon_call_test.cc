// tests/component/canon_call_test.cc: canon_lift / canon_lower / call_lifted / call_fused,
// reentrance and may_leave traps, post-return, resource handles and their built-ins, and the
// bindings to the interpreter (canon_vm.cc).
#include <catch2/catch.hpp>

#include "tests/component/canon_test_util.h"
#include "zinc/zinc.h"

namespace zinc::component::canon::test {
namespace {

const FuncType* func(Types& ty, std::vector<TypeRef> params, TypeRef result) {
  FuncType f;
  for (size_t i = 0; i < params.size(); ++i)
    f.params.push_back({"p" + std::to_string(i), params[i]});
  f.result = result;
  return ty.table.intern_func(std::move(f));
}

template <class T>
std::string error_of(const Result<T>& r) {
  REQUIRE_FALSE(r.ok());
  CHECK(r.error().kind == ErrorKind::Trap);
  return r.error().message;
}

// Reads a UTF-8 string (ptr, len) of a guest.
std::string guest_str(Guest& g, uint32_t ptr, uint32_t len) {
  return std::string(reinterpret_cast<const char*>(g.mem.base + ptr), len);
}

TEST_CASE("canon call: a host calls a lifted string -> string export", "[canon][call]") {
  Types ty;
  Guest g;
  const TypeRef str = ty.p(ValKind::String);
  uint64_t post_return_arg = 0;
  int post_returns = 0;
  g.opts.post_return = [&](uint64_t* slots, size_t) -> Result<void> {
    post_return_arg = slots[0];
    ++post_returns;
    return {};
  };
  // The core function uppercases its argument into a fresh buffer and returns a pointer to
  // (ptr, len) (the result is spilled: two flat values > 1).
  auto callee = [&](uint64_t* slots, size_t n) -> Result<void> {
    REQUIRE(n >= 2);
    const uint32_t ptr = static_cast<uint32_t>(slots[0]), len = static_cast<uint32_t>(slots[1]);
    std::string s = guest_str(g, ptr, len);
    for (char& c : s) c = static_cast<char>(std::toupper(c));
    std::memcpy(g.mem.base + 4000, s.data(), s.size());
    g.mem.put32(2048, 4000);
    g.mem.put32(2052, len);
    slots[0] = 2048;
    return {};
  };
  LiftedFunc f(func(ty, {str}, str), g.opts, &g.inst, callee);
  const std::vector<Val> args = {Val::string("hello")};
  Result<std::vector<Val>> r = call_lifted(f, args);
  REQUIRE(r.ok());
  REQUIRE(r->size() == 1);
  CHECK((*r)[0] == Val::string("HELLO"));
  CHECK(post_returns == 1);
  CHECK(post_return_arg == 2048);
  CHECK(g.inst.may_enter);
  CHECK(g.inst.may_leave);
  // A mismatched argument never reaches the guest.
  const std::vector<Val> bad = {Val::u32(1)};
  CHECK(error_of(call_lifted(f, bad)).starts_with("value does not match type string"));
  CHECK(post_returns == 1);
}

TEST_CASE("canon call: 17 flat parameters spill through realloc", "[canon][call]") {
  Types ty;
  Guest g;
  const TypeRef u32 = ty.p(ValKind::U32);
  std::vector<TypeRef> ps(17, u32);
  auto callee = [&](uint64_t* slots, size_t) -> Result<void> {
    const uint32_t p = static_cast<uint32_t>(slots[0]);
    uint32_t sum = 0;
    for (uint32_t i = 0; i < 17; ++i) sum += g.mem.get32(p + 4 * i);
    slots[0] = sum;
    return {};
  };
  LiftedFunc f(func(ty, ps, u32), g.opts, &g.inst, callee);
  std::vector<Val> args;
  for (uint32_t i = 1; i <= 17; ++i) args.push_back(Val::u32(i));
  Result<std::vector<Val>> r = call_lifted(f, args);
  REQUIRE(r.ok());
  CHECK((*r)[0] == Val::u32(153));
}

TEST_CASE("canon call: a guest calls a host import through canon_lower", "[canon][call]") {
  Types ty;
  Guest g;
  const TypeRef str = ty.p(ValKind::String);
  LoweredFunc f(func(ty, {str, ty.p(ValKind::U32)}, str), g.opts, &g.inst);
  std::memcpy(g.mem.base + 100, "abc", 3);
  // A host function: gets its args, returns a result.
  auto host = [&](OnStart start, OnResolve resolve, InstanceState* caller) -> Result<void> {
    CHECK(caller == &g.inst);
    std::vector<Val> args;
    if (auto r = start(args); !r) return r;
    REQUIRE(args.size() == 2);
    std::vector<Val> results = {Val::string(args[0].str + std::to_string(args[1].bits))};
    return resolve(results);
  };
  // Flat parameters: the string (ptr, len), the u32, then the retptr of the spilled result.
  uint64_t full[4] = {100, 3, 7, 200};
  REQUIRE(canon_lower(f, host, full, 4).ok());
  CHECK(guest_str(g, g.mem.get32(200), g.mem.get32(204)) == "abc7");

  // A host that returns a wrongly typed value traps instead of writing it.
  auto wrong = [&](OnStart start, OnResolve resolve, InstanceState*) -> Result<void> {
    std::vector<Val> args;
    if (auto r = start(args); !r) return r;
    std::vector<Val> results = {Val::u32(1)};
    return resolve(results);
  };
  uint64_t again[4] = {100, 3, 7, 200};
  CHECK(error_of(canon_lower(f, wrong, again, 4)).starts_with("value does not match type"));
  // Bad arguments from the guest trap before the host runs.
  bool ran = false;
  auto never = [&](OnStart start, OnResolve, InstanceState*) -> Result<void> {
    std::vector<Val> args;
    if (auto r = start(args); !r) return r;
    ran = true;
    return {};
  };
  g.mem.base[100] = 0xff;
  uint64_t bad[4] = {100, 3, 7, 200};
  CHECK(error_of(canon_lower(f, never, bad, 4)).starts_with("invalid utf-8"));
  CHECK_FALSE(ran);
}

TEST_CASE("canon call: an async lower of a synchronous callee", "[canon][call]") {
  Types ty;
  Guest g;
  g.opts.async = true;
  const TypeRef u32 = ty.p(ValKind::U32);
  // Five u32 parameters are more than the 4 of an async lower: they come through memory;
  // the result goes to the out-param; the core result is Subtask.State.RETURNED.
  LoweredFunc f(func(ty, {u32, u32, u32, u32, u32}, u32), g.opts, &g.inst);
  for (uint32_t i = 0; i < 5; ++i) g.mem.put32(256 + 4 * i, 10 + i);
  auto host = [&](OnStart start, OnResolve resolve, InstanceState*) -> Result<void> {
    std::vector<Val> args;
    if (auto r = start(args); !r) return r;
    REQUIRE(args.size() == 5);
    uint32_t sum = 0;
    for (const Val& a : args) sum += static_cast<uint32_t>(a.bits);
    std::vector<Val> results = {Val::u32(sum)};
    return resolve(results);
  };
  uint64_t slots[2] = {256, 512};
  REQUIRE(canon_lower(f, host, slots, 2).ok());
  CHECK(slots[0] == 2);
  CHECK(g.mem.get32(512) == 60);
}

TEST_CASE("canon call: reentrance and may_leave traps", "[canon][call]") {
  Types ty;
  Guest g;
  const TypeRef u32 = ty.p(ValKind::U32);
  auto callee = [](uint64_t* slots, size_t) -> Result<void> {
    slots[0] = 1;
    return {};
  };
  LiftedFunc f(func(ty, {}, u32), g.opts, &g.inst, callee);
  g.inst.may_enter = false;
  CHECK(error_of(call_lifted(f, {})) == "cannot enter component instance");
  g.inst.may_enter = true;
  // A child instance cannot be entered while its parent is running.
  InstanceState child(nullptr, &g.inst);
  LiftedFunc fc(func(ty, {}, u32), g.opts, &child, callee);
  auto reenter = [&](uint64_t* slots, size_t) -> Result<void> {
    Result<std::vector<Val>> inner = call_lifted(fc, {});
    REQUIRE_FALSE(inner.ok());
    CHECK(inner.error().message == "cannot enter component instance");
    slots[0] = 2;
    return {};
  };
  LiftedFunc outer(func(ty, {}, u32), g.opts, &g.inst, reenter);
  REQUIRE(call_lifted(outer, {}).ok());
  CHECK(call_lifted(fc, {}).ok());  // and can be once the parent has returned

  // canon_lower while may_leave is clear (during post-return or realloc).
  LoweredFunc lf(func(ty, {}, nullptr), g.opts, &g.inst);
  auto host = [](OnStart, OnResolve, InstanceState*) -> Result<void> { return {}; };
  g.inst.may_leave = false;
  uint64_t slot = 0;
  CHECK(error_of(canon_lower(lf, host, &slot, 1)) == "cannot leave component instance");
  g.inst.may_leave = true;

  // post-return runs with may_leave clear: resource.new traps there.
  Guest h;
  const ResourceType* rt = ty.table.new_resource("r");
  std::string seen;
  h.opts.post_return = [&](uint64_t*, size_t) -> Result<void> {
    Result<uint32_t> r = canon_resource_new(h.inst, rt, 1);
    if (!r) seen = r.error().message;
    return {};
  };
  LiftedFunc pf(func(ty, {}, u32), h.opts, &h.inst, callee);
  REQUIRE(call_lifted(pf, {}).ok());
  CHECK(seen == "cannot leave component instance");
  CHECK(h.inst.may_leave);
}

TEST_CASE("canon resources: new, rep, drop, table reuse and misuse", "[canon][resource]") {
  Types ty;
  ResourceRegistry reg;
  InstanceState inst(&reg);
  const ResourceType* r1 = ty.table.new_resource("r1");
  const ResourceType* r2 = ty.table.new_resource("r2");
  std::vector<uint32_t> dropped;
  reg.define(r1, &inst, [&](uint32_t rep) -> Result<void> {
    dropped.push_back(rep);
    return {};
  });
  reg.define(r2, &inst);
  CHECK(*canon_resource_new(inst, r1, 100) == 1);
  CHECK(*canon_resource_new(inst, r1, 200) == 2);
  CHECK(*canon_resource_rep(inst, r1, 2) == 200);
  REQUIRE(canon_resource_drop(inst, r1, 1).ok());
  CHECK(dropped == std::vector<uint32_t>{100});
  CHECK(*canon_resource_new(inst, r2, 300) == 1);  // index reused
  CHECK(error_of(canon_resource_drop(inst, r1, 1)) ==
        "handle index 1 used with the wrong type, expected guest-defined resource but found a "
        "different guest-defined resource");
  CHECK(error_of(canon_resource_drop(inst, r1, 5)) == "unknown handle index 5");
  CHECK(error_of(canon_resource_drop(inst, r1, 0)) == "unknown handle index 0");
  CHECK(error_of(canon_resource_rep(inst, r1, 0xffffffffu)) == "unknown handle index 4294967295");
  REQUIRE(canon_resource_drop(inst, r2, 1).ok());
  CHECK(error_of(canon_resource_drop(inst, r2, 1)) == "unknown handle index 1");  // double drop
  CHECK(inst.handles.live() == 1);

  // A destructor runs inside its instance, which must be enterable.
  InstanceState user(&reg);
  CHECK(*canon_resource_new(user, r1, 7) == 1);
  inst.may_enter = false;
  CHECK(error_of(canon_resource_drop(user, r1, 1)) == "cannot enter component instance");
  CHECK(user.handles.live() == 1);  // the trap left the handle in place
  inst.may_enter = true;
  REQUIRE(canon_resource_drop(user, r1, 1).ok());
  CHECK(dropped.back() == 7);
}

TEST_CASE("canon resources: borrows are lent, scoped and must be dropped", "[canon][resource]") {
  Types ty;
  ResourceRegistry reg;
  const ResourceType* rt = ty.table.new_resource("r");
  const TypeRef own = ty.own(rt);
  const TypeRef borrow = ty.borrow(rt);
  Guest caller(StringEncoding::Utf8, &reg), callee(StringEncoding::Utf8, &reg);
  reg.define(rt, &caller.inst);  // the caller implements r
  const uint32_t h = *canon_resource_new(caller.inst, rt, 42);

  // The caller lends h to a call; while lent it cannot be dropped or moved.
  LoweredFunc lf(func(ty, {borrow}, nullptr), caller.opts, &caller.inst);
  std::string during;
  auto host = [&](OnStart start, OnResolve resolve, InstanceState*) -> Result<void> {
    std::vector<Val> args;
    if (auto r = start(args); !r) return r;
    CHECK(args[0].bits == 42);  // no host table: the Val holds the rep
    CHECK(caller.inst.handles.get(h)->num_lends == 1);
    Result<void> d = canon_resource_drop(caller.inst, rt, h);
    if (!d) during = d.error().message;
    std::vector<Val> none;
    return resolve(none);
  };
  uint64_t slot = h;
  REQUIRE(canon_lower(lf, host, &slot, 1).ok());
  CHECK(during == "cannot remove owned resource while borrowed");
  CHECK(caller.inst.handles.get(h)->num_lends == 0);

  // A borrow lowered into a callee must be dropped before it returns.
  int calls = 0;
  auto keeps = [&](uint64_t*, size_t) -> Result<void> {
    ++calls;
    return {};
  };
  LiftedFunc keep(func(ty, {borrow}, nullptr), callee.opts, &callee.inst, keeps);
  const std::vector<Val> args = {[] {
    Val v;
    v.kind = ValKind::Borrow;
    v.bits = 42;
    return v;
  }()};
  CHECK(error_of(call_lifted(keep, args)) == "borrow handles still remain at the end of the call");
  CHECK(callee.inst.handles.live() == 0);  // the unwound Task removed the borrow
  auto drops = [&](uint64_t* slots, size_t) -> Result<void> {
    CHECK(*canon_resource_rep(callee.inst, rt, static_cast<uint32_t>(slots[0])) == 42);
    return canon_resource_drop(callee.inst, rt, static_cast<uint32_t>(slots[0]));
  };
  LiftedFunc drop(func(ty, {borrow}, nullptr), callee.opts, &callee.inst, drops);
  REQUIRE(call_lifted(drop, args).ok());

  // Lowering a borrow into the implementing instance passes the rep itself.
  uint64_t seen = 0;
  auto rep = [&](uint64_t* slots, size_t) -> Result<void> {
    seen = slots[0];
    return {};
  };
  LiftedFunc self(func(ty, {borrow}, nullptr), caller.opts, &caller.inst, rep);
  REQUIRE(call_lifted(self, args).ok());
  CHECK(seen == 42);

  // own: moving a handle out of a table empties it; a borrow cannot be moved as own.
  Guest g(StringEncoding::Utf8, &reg);
  const uint32_t o = *canon_resource_new(g.inst, rt, 9);
  uint32_t r;
  REQUIRE(lift_own(*g.cx, o, own, &r));
  CHECK(r == 9);
  CHECK_FALSE(lift_own(*g.cx, o, own, &r));
  CHECK(g.error() == "unknown handle index 1");
}

TEST_CASE("canon resources: the host's handle table (HostHandles)", "[canon][resource]") {
  Types ty;
  ResourceRegistry reg;
  const ResourceType* rt = ty.table.new_resource("host-r");
  const TypeRef own = ty.own(rt);
  Guest g(StringEncoding::Utf8, &reg);
  InstanceState host_inst(&reg, nullptr, "host");
  HostHandles hh{&host_inst};
  // The host owns a resource (index 1 in its table) and passes it to the guest.
  const uint32_t hi = *canon_resource_new(host_inst, rt, 77);
  uint64_t got = 0;
  auto take = [&](uint64_t* slots, size_t) -> Result<void> {
    got = slots[0];
    slots[0] = slots[0];  // and gives it back
    return {};
  };
  LiftedFunc f(func(ty, {own}, own), g.opts, &g.inst, take);
  Val arg;
  arg.kind = ValKind::Own;
  arg.bits = hi;
  Result<std::vector<Val>> r = call_lifted(f, std::vector<Val>{arg}, &hh);
  REQUIRE(r.ok());
  CHECK(g.inst.handles.live() == 0);  // moved back out of the guest
  CHECK(host_inst.handles.live() == 1);
  CHECK(*canon_resource_rep(host_inst, rt, static_cast<uint32_t>((*r)[0].bits)) == 77);
  CHECK(got == 1);  // the guest's own table index
  // Passing a handle the host no longer has traps cleanly.
  Val stale = arg;
  stale.bits = 9;
  CHECK(error_of(call_lifted(f, std::vector<Val>{stale}, &hh)) == "unknown handle index 9");
}

// ---- fused component-to-component calls ----

// Two guests with a function func(s: string, l: list<u32>, r: record{a: u8, b: string}) ->
// tuple<string, u32>, called fused and through the Val path; both must give the same bytes.
struct FusedPair {
  Types ty;
  Guest a{StringEncoding::Utf8};
  Guest b{StringEncoding::Utf16};
  TypeRef str, lu32, rec, res;
  const FuncType* ft;
  int post_returns = 0;

  FusedPair() {
    str = ty.p(ValKind::String);
    lu32 = ty.list(ty.p(ValKind::U32));
    rec = ty.record({{"a", ty.p(ValKind::U8)}, {"b", str}});
    res = ty.tuple({str, ty.p(ValKind::U32)});
    ft = func(ty, {str, lu32, rec}, res);
    b.opts.post_return = [this](uint64_t*, size_t) -> Result<void> {
      ++post_returns;
      return {};
    };
  }
  // The callee (utf16): returns (s ++ r.b, sum(l) + r.a) spilled at 8000.
  CoreFn callee() {
    return [this](uint64_t* s, size_t n) -> Result<void> {
      REQUIRE(n >= 7);
      std::vector<uint8_t> out(b.mem.base + s[0], b.mem.base + s[0] + 2 * s[1]);
      const std::vector<uint8_t> tail(b.mem.base + s[5], b.mem.base + s[5] + 2 * s[6]);
      out.insert(out.end(), tail.begin(), tail.end());
      uint32_t sum = static_cast<uint32_t>(s[4]);
      for (uint32_t i = 0; i < s[3]; ++i) sum += b.mem.get32(static_cast<uint32_t>(s[2]) + 4 * i);
      std::memcpy(b.mem.base + 9000, out.data(), out.size());
      b.mem.put32(8000, 9000);
      b.mem.put32(8004, static_cast<uint32_t>(out.size() / 2));
      b.mem.put32(8008, sum);
      s[0] = 8000;
      return {};
    };
  }
  // Flat arguments of the caller (utf8) with its values in memory; retptr 512.
  std::vector<uint64_t> args(std::string_view s, std::vector<uint32_t> l, uint8_t a,
                             std::string_view rb) {
    std::memcpy(a_mem(1000), s.data(), s.size());
    for (size_t i = 0; i < l.size(); ++i) this->a.mem.put32(2000 + 4 * i, l[i]);
    std::memcpy(a_mem(3000), rb.data(), rb.size());
    return {1000, s.size(), 2000, l.size(), a, 3000, rb.size(), 512};
  }
  uint8_t* a_mem(uint32_t at) { return a.mem.base + at; }
};

TEST_CASE("canon fused: values are copied memory to memory", "[canon][fused]") {
  FusedPair p;
  LoweredFunc lower(p.ft, p.a.opts, &p.a.inst);
  LiftedFunc lift(p.ft, p.b.opts, &p.b.inst, p.callee());
  std::vector<uint64_t> slots = p.args("h\xC3\xA9", {1, 2, 3}, 10, "\xF0\x9F\x98\x80!");
  REQUIRE(call_fused(lower, lift, slots.data(), slots.size()).ok());
  CHECK(p.post_returns == 1);
  const uint32_t sp = p.a.mem.get32(512), sl = p.a.mem.get32(516);
  CHECK(guest_str(p.a, sp, sl) == "h\xC3\xA9\xF0\x9F\x98\x80!");
  CHECK(p.a.mem.get32(520) == 16);
  CHECK(p.a.inst.may_enter);
  CHECK(p.b.inst.may_enter);

  // The Val path (canon_lower of a FuncInst that runs canon_lift) gives the same result.
  FusedPair q;
  LoweredFunc lower2(q.ft, q.a.opts, &q.a.inst);
  LiftedFunc lift2(q.ft, q.b.opts, &q.b.inst, q.callee());
  auto via_vals = [&](OnStart start, OnResolve resolve, InstanceState* caller) -> Result<void> {
    return canon_lift(lift2, caller, start, resolve);
  };
  std::vector<uint64_t> slots2 = q.args("h\xC3\xA9", {1, 2, 3}, 10, "\xF0\x9F\x98\x80!");
  REQUIRE(canon_lower(lower2, via_vals, slots2.data(), slots2.size(), Boundary::Component).ok());
  CHECK(guest_str(q.a, q.a.mem.get32(512), q.a.mem.get32(516)) == guest_str(p.a, sp, sl));
  CHECK(q.a.mem.get32(520) == 16);
}

TEST_CASE("canon fused: traps are the lift and lower traps", "[canon][fused]") {
  {
    FusedPair p;
    LoweredFunc lower(p.ft, p.a.opts, &p.a.inst);
    LiftedFunc lift(p.ft, p.b.opts, &p.b.inst, p.callee());
    std::vector<uint64_t> slots = p.args("\xC3", {}, 0, "");
    CHECK(error_of(call_fused(lower, lift, slots.data(), slots.size()))
              .starts_with("incomplete utf-8 byte sequence"));
    CHECK(p.post_returns == 0);
    CHECK(p.b.inst.may_enter);
  }
  {
    FusedPair p;
    LoweredFunc lower(p.ft, p.a.opts, &p.a.inst);
    LiftedFunc lift(p.ft, p.b.opts, &p.b.inst, p.callee());
    std::vector<uint64_t> slots = p.args("x", {}, 0, "");
    slots[7] = 514;  // misaligned retptr
    CHECK(error_of(call_fused(lower, lift, slots.data(), slots.size())) == "unaligned pointer");
  }
  {
    FusedPair p;
    LoweredFunc lower(p.ft, p.a.opts, &p.a.inst);
    LiftedFunc lift(p.ft, p.b.opts, &p.b.inst, p.callee());
    std::vector<uint64_t> slots = p.args("x", {}, 0, "");
    slots[2] = 0xfffffff0u;  // list out of bounds in the caller's memory
    slots[3] = 8;
    CHECK(error_of(call_fused(lower, lift, slots.data(), slots.size())) ==
          "list content out-of-bounds");
  }
  {
    FusedPair p;
    LoweredFunc lower(p.ft, p.a.opts, &p.a.inst);
    LiftedFunc lift(p.ft, p.b.opts, &p.b.inst, p.callee());
    p.b.inst.may_enter = false;
    std::vector<uint64_t> slots = p.args("x", {}, 0, "");
    CHECK(error_of(call_fused(lower, lift, slots.data(), slots.size())) ==
          "cannot enter component instance");
  }
}

TEST_CASE("canon fused: own handles move between tables, flags are masked", "[canon][fused]") {
  Types ty;
  ResourceRegistry reg;
  const ResourceType* rt = ty.table.new_resource("r");
  Guest a(StringEncoding::Utf8, &reg), b(StringEncoding::Utf8, &reg);
  reg.define(rt, &a.inst);
  const TypeRef own = ty.own(rt);
  const TypeRef fl = ty.flags(labels(3));
  const FuncType* ft = func(ty, {own, fl}, fl);
  uint64_t seen_handle = 0, seen_flags = 0;
  auto callee = [&](uint64_t* s, size_t) -> Result<void> {
    seen_handle = s[0];
    seen_flags = s[1];
    s[0] = 0xff;  // undefined bits set
    return {};
  };
  const uint32_t h = *canon_resource_new(a.inst, rt, 5);
  LoweredFunc lower(ft, a.opts, &a.inst);
  LiftedFunc lift(ft, b.opts, &b.inst, callee);
  uint64_t slots[2] = {h, 0xf5};
  REQUIRE(call_fused(lower, lift, slots, 2).ok());
  CHECK(a.inst.handles.live() == 0);
  CHECK(b.inst.handles.live() == 1);
  CHECK(*canon_resource_rep(b.inst, rt, static_cast<uint32_t>(seen_handle)) == 5);
  CHECK(seen_flags == 5);
  CHECK(slots[0] == 7);
}

// ---- bindings to the interpreter ----

TEST_CASE("canon vm: lifting a wasm export with a wasm realloc", "[canon][vm]") {
  Engine engine;
  Store store(engine);
  const std::string_view wat = R"((module
    (memory (export "mem") 1)
    (global $bump (mut i32) (i32.const 1024))
    (func (export "realloc") (param i32 i32 i32 i32) (result i32)
      (local $p i32)
      (local.set $p (i32.and (i32.add (global.get $bump) (i32.sub (local.get 2) (i32.const 1)))
                             (i32.sub (i32.const 0) (local.get 2))))
      (global.set $bump (i32.add (local.get $p) (local.get 3)))
      (local.get $p))
    ;; echo(s: string) -> string: returns a pointer to (ptr, len)
    (func (export "echo") (param i32 i32) (result i32)
      (i32.store (i32.const 16) (local.get 0))
      (i32.store (i32.const 20) (local.get 1))
      (i32.const 16)))
  )";
  Result<Module> m = Module::compile(
      engine, std::span<const uint8_t>(reinterpret_cast<const uint8_t*>(wat.data()), wat.size()));
  INFO((m.ok() ? std::string() : m.error().message));
  REQUIRE(m.ok());
  Result<Instance> inst = instantiate(store, *m, {});
  REQUIRE(inst.ok());
  std::optional<Memory> mem = inst->get_memory(store, "mem");
  std::optional<Func> echo = inst->get_func(store, "echo");
  std::optional<Func> realloc = inst->get_func(store, "realloc");
  REQUIRE((mem && echo && realloc));
  Types ty;
  InstanceState state;
  CanonicalOptions opts;
  opts.memory = GuestMemory::of(*mem->raw());
  opts.realloc = realloc_fn(*store.impl(), realloc->raw());
  const TypeRef str = ty.p(ValKind::String);
  LiftedFunc f(func(ty, {str}, str), opts, &state, core_fn(*store.impl(), echo->raw()));
  const std::string text = "z\xC3\xAFnc \xF0\x9F\x98\x80";
  Result<std::vector<Val>> r = call_lifted(f, std::vector<Val>{Val::string(text)});
  INFO((r.ok() ? std::string() : r.error().message));
  REQUIRE(r.ok());
  CHECK((*r)[0] == Val::string(text));
}

}  // namespace
}  // namespace zinc::component::canon::test
