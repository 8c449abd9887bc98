// tests/wasi/p2_test.cc: the WASI 0.2 host (wasi/p2) -- its declarations and tables, and a
// component using wasi:cli/stdout and wasi:io/streams through the whole stack (component
// linker, canonical ABI, host resources).
//
// The declarations in wasi/p2/wit/ must describe exactly the official WASI 0.2.12 packages in
// $ZINC_SHARED/wasi-wit-0.2.12 (every type and function signature), and every function in
// them must be bound to a handler, so any 0.2.x command component finds everything it imports.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "component/text/component_text.h"
#include "component/wit/wit.h"
#include "wasi/host/streams.h"
#include "wasi/p2/host.h"
#include "wasi/p2/p2.h"
#include "zinc/zinc.h"

namespace zinc::wasi::p2 {
namespace {

namespace wit = component::wit;

std::string shared_dir() {
  const char* env = std::getenv("ZINC_SHARED");
  return env ? env : std::string(ZINC_SOURCE_ROOT) + "/../shared";
}

const char* const kPackages[] = {"wasi:io@0.2.12",      "wasi:clocks@0.2.12",
                                 "wasi:random@0.2.12",  "wasi:cli@0.2.12",
                                 "wasi:filesystem@0.2.12", "wasi:sockets@0.2.12"};

void load_embedded(wit::Resolve& r) {
  std::vector<wit::Resolve::SourceGroup> groups;
  for (const auto& [name, text] : wit_sources()) groups.push_back({{name, text}});
  auto p = r.add_groups(groups);
  if (!p.ok()) FAIL(p.error().message);
}

/// "iface#func" -> WIT signature, and "iface#type" -> WIT shape, for the packages above.
std::map<std::string, std::string> signatures(const wit::Resolve& r) {
  std::map<std::string, std::string> out;
  for (const char* name : kPackages) {
    const wit::Package* p = r.find_package(name);
    if (p == nullptr) FAIL("package " << name << " not loaded");
    for (const wit::Interface* i : p->interfaces) {
      for (const wit::Function& f : i->functions) {
        out[i->full_name() + "#" + f.name] = wit::to_wit(f);
      }
      for (const wit::TypeDef* t : i->types) {
        std::string shape = std::to_string(static_cast<int>(t->kind)) + " ";
        if (t->type) shape += wit::to_wit(t->type);
        for (const auto& [label, ft] : t->fields) {
          shape += " " + label + ":" + (ft ? wit::to_wit(ft) : "_");
        }
        for (const std::string& l : t->labels) shape += " " + l;
        out[i->full_name() + "#type " + t->name] = shape;
      }
    }
  }
  return out;
}

TEST_CASE("wasi p2: the declarations equal the official WASI 0.2.12 WIT", "[wasi][p2]") {
  component::TypeTable t1, t2;
  wit::Features all;
  all.all = true;
  wit::Resolve ours(t1, all), official(t2, all);
  load_embedded(ours);
  const std::string dir = shared_dir() + "/wasi-wit-0.2.12";
  for (const char* pkg : {"io", "clocks", "random", "filesystem", "sockets", "cli"}) {
    auto p = official.load_path(dir + "/" + pkg);
    if (!p.ok()) FAIL("cannot load " << dir << "/" << pkg << ": " << p.error().message);
  }
  const auto a = signatures(ours), b = signatures(official);
  CHECK(a.size() > 200);
  for (const auto& [k, v] : b) {
    auto it = a.find(k);
    if (it == a.end()) {
      FAIL_CHECK("missing in wasi/p2/wit: " << k);
    } else if (it->second != v) {
      FAIL_CHECK(k << ": ours " << it->second << ", official " << v);
    }
  }
  CHECK(a.size() == b.size());
}

TEST_CASE("wasi p2: every declared function has a handler", "[wasi][p2]") {
  component::TypeTable tt;
  wit::Features all;
  all.all = true;
  wit::Resolve r(tt, all);
  load_embedded(r);
  std::set<std::string> bound;
  for (auto table : {io_funcs(), clocks_funcs(), random_funcs(), cli_funcs(), filesystem_funcs(),
                     sockets_funcs()}) {
    for (const FuncDef& d : table) {
      CHECK(bound.insert(std::string(d.iface) + "#" + d.name).second);  // once each
    }
  }
  std::vector<std::string> missing;
  for (const char* name : kPackages) {
    const wit::Package* p = r.find_package(name);
    REQUIRE(p != nullptr);
    for (const wit::Interface* i : p->interfaces) {
      const std::string iface = "wasi:" + p->name.name + "/" + i->name;
      if (iface == "wasi:cli/run") continue;  // exported by commands, not a host interface
      for (const wit::Function& f : i->functions) {
        if (!bound.count(iface + "#" + f.name)) missing.push_back(iface + "#" + f.name);
      }
    }
  }
  INFO("functions without a handler: " << missing.size());
  for (const std::string& m : missing) UNSCOPED_INFO(m);
  CHECK(missing.empty());
}

// A component writing to stdout through wasi:cli/stdout and wasi:io/streams (the imports as
// wit-component lays them out: resources bound by earlier imports reached with outer aliases).
constexpr std::string_view kHello = R"((component
  (import "wasi:io/error@0.2.0" (instance $e (export "error" (type (sub resource)))))
  (alias export $e "error" (type $error))
  (import "wasi:io/poll@0.2.0" (instance $p (export "pollable" (type (sub resource)))))
  (alias export $p "pollable" (type $pollable))
  (import "wasi:io/streams@0.2.3" (instance $s
    (alias outer 1 $error (type $err))
    (export "error" (type $err2 (eq $err)))
    (alias outer 1 $pollable (type $pl))
    (export "pollable" (type $pl2 (eq $pl)))
    (export "output-stream" (type $os (sub resource)))
    (type $se (variant (case "last-operation-failed" (own $err2)) (case "closed")))
    (export "stream-error" (type $se2 (eq $se)))
    (type $r (result (error $se2)))
    (type $bytes (list u8))
    (type $b (borrow $os))
    (export "[method]output-stream.blocking-write-and-flush"
      (func (param "self" $b) (param "contents" $bytes) (result $r)))
    (type $pown (own $pl2))
    (export "[method]output-stream.subscribe" (func (param "self" $b) (result $pown)))
  ))
  (alias export $s "output-stream" (type $output-stream))
  (import "wasi:cli/stdout@0.2.0" (instance $stdout
    (alias outer 1 $output-stream (type $os))
    (export "output-stream" (type $os2 (eq $os)))
    (type $o (own $os2))
    (export "get-stdout" (func (result $o)))
  ))
  (core module $libc (memory (export "mem") 1))
  (core instance $libc (instantiate $libc))
  (alias export $stdout "get-stdout" (func $get-stdout))
  (alias export $s "[method]output-stream.blocking-write-and-flush" (func $write))
  (alias export $s "[method]output-stream.subscribe" (func $subscribe))
  (core func $get-stdout' (canon lower (func $get-stdout)))
  (core func $write' (canon lower (func $write) (memory $libc "mem")))
  (core func $subscribe' (canon lower (func $subscribe)))
  (core func $drop-os (canon resource.drop $output-stream))
  (core func $drop-pl (canon resource.drop $pollable))
  (core module $m
    (import "libc" "mem" (memory 1))
    (import "h" "get-stdout" (func $get (result i32)))
    (import "h" "write" (func $write (param i32 i32 i32 i32)))
    (import "h" "subscribe" (func $sub (param i32) (result i32)))
    (import "h" "drop-os" (func $drop-os (param i32)))
    (import "h" "drop-pl" (func $drop-pl (param i32)))
    (data (i32.const 16) "hello\n")
    (func (export "hello") (result i32)
      (local $s i32)
      (local.set $s (call $get))
      (call $write (local.get $s) (i32.const 16) (i32.const 6) (i32.const 64))
      (call $drop-os (local.get $s))
      (i32.load8_u (i32.const 64)))
    (func (export "too-long") (result i32)
      (local $s i32)
      (local.set $s (call $get))
      (call $write (local.get $s) (i32.const 0) (i32.const 5000) (i32.const 64))
      (i32.load8_u (i32.const 64)))
    (func (export "child-then-parent")
      (local $s i32) (local $p i32)
      (local.set $s (call $get))
      (local.set $p (call $sub (local.get $s)))
      (call $drop-pl (local.get $p))
      (call $drop-os (local.get $s)))
    (func (export "parent-first")
      (local $s i32)
      (local.set $s (call $get))
      (drop (call $sub (local.get $s)))
      (call $drop-os (local.get $s))))
  (core instance $i (instantiate $m
    (with "libc" (instance $libc))
    (with "h" (instance
      (export "get-stdout" (func $get-stdout')) (export "write" (func $write'))
      (export "subscribe" (func $subscribe')) (export "drop-os" (func $drop-os))
      (export "drop-pl" (func $drop-pl))))))
  (func (export "hello") (result u32) (canon lift (core func $i "hello")))
  (func (export "too-long") (result u32) (canon lift (core func $i "too-long")))
  (func (export "child-then-parent") (canon lift (core func $i "child-then-parent")))
  (func (export "parent-first") (canon lift (core func $i "parent-first")))
))";

TEST_CASE("wasi p2: a component writes to stdout; resources are checked and freed",
          "[wasi][p2]") {
  Engine engine;
  auto bin = component::text::component_wat_to_binary(kHello, "hello.wat");
  REQUIRE(bin.ok());
  auto c = component::Component::compile(engine, *bin, "hello");
  REQUIRE(c.ok());
  auto out = std::make_shared<host::MemoryOutputStream>();
  host::WasiConfig config;
  config.stdin_stream = std::make_shared<host::NullInputStream>();
  config.stdout_stream = out;
  config.stderr_stream = std::make_shared<host::NullOutputStream>();
  component::Linker linker(engine);
  auto host = add_to_linker(linker, config);
  REQUIRE(host.ok());
  Store store(engine);
  auto inst = linker.instantiate(store, *c);
  if (!inst.ok()) FAIL(inst.error().message);

  auto call = [&](const char* name) { return inst->get_func(store, name)->call(store, {}); };
  auto hello = call("hello");
  REQUIRE(hello.ok());
  CHECK((*hello)->bits == 0);  // result::ok
  CHECK(out->text() == "hello\n");
  CHECK(live_resources(**host) == 0);

  REQUIRE(call("child-then-parent").ok());
  CHECK(live_resources(**host) == 0);

  // A write over 4096 bytes traps (the WIT contract), as does dropping a stream whose
  // pollable is still alive.
  auto too_long = call("too-long");
  REQUIRE_FALSE(too_long.ok());
  CHECK(too_long.error().message.find("4096") != std::string::npos);
  auto parent_first = call("parent-first");
  REQUIRE_FALSE(parent_first.ok());
  CHECK(parent_first.error().message.find("children") != std::string::npos);
}

}  // namespace
}  // namespace zinc::wasi::p2
