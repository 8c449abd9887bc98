// tests/wasi/p2_fs_test.cc: wasi:filesystem 0.2 (wasi/p2/filesystem.cc) through its handlers.
//
// The fixture defines the WASI 0.2 host in a component::Linker over a fresh temporary directory
// (preopened as "/"), then calls the FuncDef handlers of filesystem_funcs() / io_funcs() by
// their WIT names. Every argument and every result is checked against the function's WIT type
// (resolved from the same declarations the linker uses), as canon_lower would, so a result of
// the wrong shape fails here rather than trapping a guest.
#include <sys/stat.h>

#include <catch2/catch.hpp>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "component/wit/wit.h"
#include "tests/wasi/host_test_util.h"
#include "wasi/host/resolve.h"
#include "wasi/p1/ctx.h"
#include "wasi/p2/host.h"
#include "wasi/p2/p2.h"
#include "zinc/zinc.h"

namespace zinc::wasi::p2 {

std::span<const std::pair<const char*, const char*>> wit_sources();  // generated

namespace {

using cm::Val;
using host::testing::make_dir;
using host::testing::make_symlink;
using host::testing::read_file;
using host::testing::TempDir;
using host::testing::write_file;

constexpr const char* kTypes = "wasi:filesystem/types";
constexpr const char* kStreams = "wasi:io/streams";

class Fs {
 public:
  explicit Fs(const std::string& root)
      : linker_(engine_), resolve_(cm::types(engine_), features()) {
    auto config = p1::WasiCtxBuilder().preopen_dir(root, "/").config();
    REQUIRE(config.ok());
    auto host = add_to_linker(linker_, std::move(*config));
    REQUIRE(host.ok());
    host_ = *host;
    std::vector<cm::wit::Resolve::SourceGroup> groups;
    for (const auto& [name, text] : wit_sources()) groups.push_back({{name, text}});
    REQUIRE(resolve_.add_groups(groups).ok());
  }

  Host& host() { return *host_; }

  const cm::wit::Interface* wit_interface(const std::string& iface) {
    return resolve_.find_interface(iface + "@" + std::string(kVersion));
  }
  const cm::wit::Function* wit_function(const std::string& iface, const std::string& name) {
    const cm::wit::Interface* i = wit_interface(iface);
    return i ? i->find_function(name) : nullptr;
  }

  /// Calls a host function; the call must not trap.
  Val call(const char* iface, const std::string& name, std::vector<Val> args) {
    auto r = try_call(iface, name, std::move(args));
    INFO(name << ": " << (r.ok() ? "" : r.error().message));
    REQUIRE(r.ok());
    return *r;
  }

  /// Calls a host function; a trap is returned as an error.
  Result<Val> try_call(const char* iface, const std::string& name, std::vector<Val> args) {
    const cm::wit::Function* f = wit_function(iface, name);
    INFO(iface << "#" << name);
    REQUIRE(f != nullptr);
    REQUIRE(args.size() == f->type->params.size());
    for (size_t i = 0; i < args.size(); ++i) {
      INFO("argument " << i);
      REQUIRE(cm::matches(args[i], f->type->params[i].type));
    }
    Handler fn = nullptr;
    for (auto table : {filesystem_funcs(), io_funcs()}) {
      for (const FuncDef& def : table) {
        if (std::string_view(def.iface) == iface && def.name == name) fn = def.fn;
      }
    }
    REQUIRE(fn != nullptr);
    auto r = fn(*host_, args);
    if (!r.ok()) return unexpected(r.error());
    if (!f->type->result) {
      REQUIRE(!r->has_value());
      return Val();
    }
    REQUIRE(r->has_value());
    INFO("result " << cm::to_wave(**r));
    REQUIRE(cm::matches(**r, f->type->result));
    return **r;
  }

  Val method(const std::string& name, const Val& self, std::vector<Val> args = {}) {
    args.insert(args.begin(), cm::borrow_of(self));
    return call(kTypes, "[method]descriptor." + name, std::move(args));
  }

  /// The preopened root directory (a new handle).
  Val root() {
    Val dirs = call("wasi:filesystem/preopens", "get-directories", {});
    REQUIRE(dirs.items.size() == 1);
    return dirs.items[0].items[0];
  }

  Val open(const Val& dir, const std::string& path, std::vector<std::string> oflags,
           std::vector<std::string> flags, bool follow = false) {
    return method("open-at", dir,
                  {Val::flags(follow ? std::vector<std::string>{"symlink-follow"}
                                     : std::vector<std::string>{}),
                   Val::string(path), Val::flags(std::move(oflags)), Val::flags(std::move(flags))});
  }

  Result<void> drop(const Val& handle) { return host_->drop(static_cast<uint32_t>(handle.bits)); }

 private:
  static cm::wit::Features features() {
    cm::wit::Features f;
    f.all = true;
    return f;
  }

  Engine engine_;
  cm::Linker linker_;
  std::shared_ptr<Host> host_;
  cm::wit::Resolve resolve_;
};

// The payload of ok(v).
const Val& ok_value(const Val& result) {
  INFO(cm::to_wave(result));
  REQUIRE(result.kind == cm::ValKind::Result);
  REQUIRE(result.is_ok);
  REQUIRE(result.items.size() == 1);
  return result.items[0];
}

bool is_ok(const Val& result) {
  REQUIRE(result.kind == cm::ValKind::Result);
  return result.is_ok;
}

// The error-code label of err(code), or "ok".
std::string error_of(const Val& result) {
  REQUIRE(result.kind == cm::ValKind::Result);
  if (result.is_ok) return "ok";
  REQUIRE(result.items.size() == 1);
  return result.items[0].str;
}

Val no_flags() {
  return Val::flags({});
}
Val follow() {
  return Val::flags({"symlink-follow"});
}

Val timestamp(uint64_t seconds, uint32_t nanos) {
  return Val::variant(
      "timestamp", {Val::record({"seconds", "nanoseconds"}, {Val::u64(seconds), Val::u32(nanos)})});
}

// descriptor-stat field `i` (0 type, 1 link-count, 2 size, 3..5 timestamps).
const Val& stat_field(const Val& stat, size_t i) {
  return stat.items.at(i);
}

uint64_t mtime_ns(const Val& stat) {
  const Val& dt = stat_field(stat, 4).items.at(0);
  return dt.items[0].bits * 1000000000u + dt.items[1].bits;
}

TEST_CASE("wasi:filesystem: every WIT function has a handler", "[wasi][p2][fs]") {
  TempDir tmp;
  Fs fs(tmp.path());
  std::set<std::string> wit, defined;
  for (const char* iface : {"wasi:filesystem/types", "wasi:filesystem/preopens"}) {
    const cm::wit::Interface* i = fs.wit_interface(iface);
    REQUIRE(i != nullptr);
    for (const cm::wit::Function& f : i->functions) wit.insert(std::string(iface) + "#" + f.name);
  }
  for (const FuncDef& def : filesystem_funcs()) {
    CHECK(defined.insert(std::string(def.iface) + "#" + def.name).second);  // no duplicates
  }
  CHECK(wit == defined);
  CHECK(wit.size() == 30);
}

TEST_CASE("wasi:filesystem: preopens", "[wasi][p2][fs]") {
  TempDir tmp;
  Fs fs(tmp.path());
  Val a = fs.call("wasi:filesystem/preopens", "get-directories", {});
  Val b = fs.call("wasi:filesystem/preopens", "get-directories", {});
  REQUIRE(a.items.size() == 1);
  CHECK(a.items[0].items[1].str == "/");
  CHECK(a.items[0].items[0].bits != b.items[0].items[0].bits);  // new handles each time
  Val root = a.items[0].items[0];
  CHECK(ok_value(fs.method("get-type", root)).str == "directory");
  std::vector<std::string> flags = ok_value(fs.method("get-flags", root)).names;
  CHECK(std::set<std::string>(flags.begin(), flags.end()) ==
        std::set<std::string>{"read", "mutate-directory"});
  CHECK(fs.method("is-same-object", root, {cm::borrow_of(b.items[0].items[0])}).as_bool());
}

TEST_CASE("wasi:filesystem: open, write, read, stat", "[wasi][p2][fs]") {
  TempDir tmp;
  Fs fs(tmp.path());
  Val root = fs.root();
  Val f = ok_value(fs.open(root, "new.txt", {"create"}, {"read", "write"}));
  CHECK(ok_value(fs.method("write", f, {bytes_val("hello world"), Val::u64(0)})).bits == 11);
  CHECK(ok_value(fs.method("write", f, {bytes_val("W"), Val::u64(6)})).bits == 1);
  CHECK(read_file(tmp / "new.txt") == "hello World");

  Val r = ok_value(fs.method("read", f, {Val::u64(5), Val::u64(6)}));
  CHECK(bytes_of(r.items[0]) == "World");
  CHECK(!r.items[1].as_bool());
  r = ok_value(fs.method("read", f, {Val::u64(100), Val::u64(11)}));
  CHECK(bytes_of(r.items[0]).empty());
  CHECK(r.items[1].as_bool());  // end of file

  Val st = ok_value(fs.method("stat", f));
  CHECK(stat_field(st, 0).str == "regular-file");
  CHECK(stat_field(st, 1).bits == 1);
  CHECK(stat_field(st, 2).bits == 11);
  CHECK(ok_value(fs.method("get-type", f)).str == "regular-file");
  std::vector<std::string> flags = ok_value(fs.method("get-flags", f)).names;
  CHECK(std::set<std::string>(flags.begin(), flags.end()) ==
        std::set<std::string>{"read", "write"});

  Val st_at = ok_value(fs.method("stat-at", root, {no_flags(), Val::string("new.txt")}));
  CHECK(stat_field(st_at, 2).bits == 11);

  CHECK(is_ok(fs.method("set-size", f, {Val::u64(5)})));
  CHECK(read_file(tmp / "new.txt") == "hello");
  CHECK(is_ok(fs.method("sync", f)));
  CHECK(is_ok(fs.method("sync-data", f)));
  CHECK(is_ok(fs.method("advise", f, {Val::u64(0), Val::u64(5), Val::enumeration("sequential")})));
  CHECK(is_ok(fs.method("sync", root)));

  // truncate empties; create + exclusive on an existing file fails.
  Val t = ok_value(fs.open(root, "new.txt", {"truncate"}, {"write"}));
  CHECK(read_file(tmp / "new.txt").empty());
  CHECK(error_of(fs.open(root, "new.txt", {"create", "exclusive"}, {"write"})) == "exist");
  CHECK(fs.drop(t).ok());
  CHECK(fs.drop(f).ok());
  CHECK(fs.drop(root).ok());
  CHECK(live_resources(fs.host()) == 0);
}

TEST_CASE("wasi:filesystem: open-at errors and flag checks", "[wasi][p2][fs]") {
  TempDir tmp;
  REQUIRE(write_file(tmp / "file", "data"));
  REQUIRE(make_dir(tmp / "dir"));
  REQUIRE(make_symlink("file", tmp / "link"));
  Fs fs(tmp.path());
  Val root = fs.root();
  CHECK(error_of(fs.open(root, "missing", {}, {"read"})) == "no-entry");
  CHECK(error_of(fs.open(root, "file", {"directory"}, {"read"})) == "not-directory");
  CHECK(error_of(fs.open(root, "dir", {"directory", "create"}, {"read"})) == "invalid");
  CHECK(error_of(fs.open(root, "dir", {}, {"read", "write"})) == "is-directory");
  CHECK(error_of(fs.open(root, "link", {}, {"read"})) == "loop");  // no symlink-follow
  Val via_link = ok_value(fs.open(root, "link", {}, {"read"}, /*follow=*/true));
  CHECK(bytes_of(ok_value(fs.method("read", via_link, {Val::u64(10), Val::u64(0)})).items[0]) ==
        "data");

  // A read-only file: writes fail with bad-descriptor.
  Val ro = ok_value(fs.open(root, "file", {}, {"read"}));
  CHECK(error_of(fs.method("write", ro, {bytes_val("x"), Val::u64(0)})) == "bad-descriptor");
  CHECK(error_of(fs.method("write-via-stream", ro, {Val::u64(0)})) == "bad-descriptor");
  CHECK(error_of(fs.method("append-via-stream", ro)) == "bad-descriptor");
  CHECK(error_of(fs.method("set-size", ro, {Val::u64(0)})) == "bad-descriptor");
  // A write-only file: reads fail with bad-descriptor.
  Val wo = ok_value(fs.open(root, "file", {}, {"write"}));
  CHECK(error_of(fs.method("read", wo, {Val::u64(1), Val::u64(0)})) == "bad-descriptor");
  CHECK(error_of(fs.method("read-via-stream", wo, {Val::u64(0)})) == "bad-descriptor");
  CHECK(read_file(tmp / "file") == "data");

  // File operations on a directory, directory operations on a file.
  Val dir = ok_value(fs.open(root, "dir", {"directory"}, {"read"}));
  CHECK(error_of(fs.method("read", dir, {Val::u64(1), Val::u64(0)})) == "bad-descriptor");
  CHECK(error_of(fs.method("read-via-stream", dir, {Val::u64(0)})) == "bad-descriptor");
  CHECK(error_of(fs.method("set-size", dir, {Val::u64(0)})) == "bad-descriptor");
  CHECK(error_of(fs.method("stat-at", ro, {no_flags(), Val::string("x")})) == "not-directory");
  CHECK(error_of(fs.method("read-directory", ro)) == "not-directory");
  CHECK(error_of(fs.method("open-at", ro,
                           {no_flags(), Val::string("x"), no_flags(), Val::flags({"read"})})) ==
        "not-directory");
  // A directory opened from the preopen may be mutated too (inherited, as in Wasmtime).
  std::vector<std::string> flags = ok_value(fs.method("get-flags", dir)).names;
  CHECK(std::set<std::string>(flags.begin(), flags.end()) ==
        std::set<std::string>{"read", "mutate-directory"});
  CHECK(is_ok(fs.method("create-directory-at", dir, {Val::string("sub")})));
  struct stat st;
  CHECK(::stat((tmp / "dir/sub").c_str(), &st) == 0);

  // A handle that is not a live descriptor traps.
  CHECK(!fs.try_call(kTypes, "[method]descriptor.stat",
                     {cm::host_handle(cm::ValKind::Borrow, nullptr, 12345)})
             .ok());
  auto error = fs.host().own(std::make_shared<ErrorRes>("an error, not a descriptor"));
  REQUIRE(error.ok());
  CHECK(!fs.try_call(kTypes, "[method]descriptor.stat", {cm::borrow_of(*error)}).ok());
}

TEST_CASE("wasi:filesystem: streams", "[wasi][p2][fs]") {
  TempDir tmp;
  Fs fs(tmp.path());
  Val root = fs.root();
  Val f = ok_value(fs.open(root, "s.txt", {"create"}, {"read", "write"}));
  Val out = ok_value(fs.method("write-via-stream", f, {Val::u64(2)}));
  uint64_t permit =
      ok_value(fs.call(kStreams, "[method]output-stream.check-write", {cm::borrow_of(out)})).bits;
  CHECK(permit >= 4096);
  CHECK(is_ok(
      fs.call(kStreams, "[method]output-stream.write", {cm::borrow_of(out), bytes_val("abc")})));
  CHECK(is_ok(fs.call(kStreams, "[method]output-stream.blocking-write-and-flush",
                      {cm::borrow_of(out), bytes_val("de")})));
  CHECK(read_file(tmp / "s.txt") == std::string("\0\0abcde", 7));

  Val app = ok_value(fs.method("append-via-stream", f));
  CHECK(is_ok(fs.call(kStreams, "[method]output-stream.blocking-write-and-flush",
                      {cm::borrow_of(app), bytes_val("XY")})));
  CHECK(is_ok(
      fs.call(kStreams, "[method]output-stream.write-zeroes", {cm::borrow_of(app), Val::u64(1)})));
  CHECK(read_file(tmp / "s.txt") == std::string("\0\0abcdeXY\0", 10));

  Val in = ok_value(fs.method("read-via-stream", f, {Val::u64(4)}));
  Val r = fs.call(kStreams, "[method]input-stream.blocking-read", {cm::borrow_of(in), Val::u64(3)});
  CHECK(bytes_of(ok_value(r)) == "cde");
  r = fs.call(kStreams, "[method]input-stream.read", {cm::borrow_of(in), Val::u64(100)});
  CHECK(bytes_of(ok_value(r)) == std::string("XY\0", 3));
  r = fs.call(kStreams, "[method]input-stream.read", {cm::borrow_of(in), Val::u64(100)});
  REQUIRE(!r.is_ok);
  CHECK(r.items[0].str == "closed");  // end of file

  // Files are always ready.
  Val p = fs.call(kStreams, "[method]input-stream.subscribe", {cm::borrow_of(in)});
  Handler ready = nullptr;
  for (const FuncDef& def : io_funcs()) {
    if (std::string_view(def.name) == "[method]pollable.ready") ready = def.fn;
  }
  REQUIRE(ready != nullptr);
  Val borrow_p = cm::borrow_of(p);
  auto is_ready = ready(fs.host(), std::span<const Val>(&borrow_p, 1));
  REQUIRE(is_ready.ok());
  CHECK((*is_ready)->as_bool());

  // Streams do not depend on their descriptor's handle.
  CHECK(fs.drop(f).ok());
  CHECK(is_ok(fs.call(kStreams, "[method]output-stream.blocking-write-and-flush",
                      {cm::borrow_of(out), bytes_val("!")})));
  CHECK(read_file(tmp / "s.txt") == std::string("\0\0abcde!Y\0", 10));  // at its own offset
  CHECK(fs.drop(p).ok());
  for (const Val& s : {in, out, app, root}) CHECK(fs.drop(s).ok());
  CHECK(live_resources(fs.host()) == 0);
}

TEST_CASE("wasi:filesystem: a failed stream read has an error-code", "[wasi][p2][fs]") {
  TempDir tmp;
  REQUIRE(::mkfifo((tmp / "fifo").c_str(), 0600) == 0);
  Fs fs(tmp.path());
  Val root = fs.root();
  Val fifo = ok_value(fs.open(root, "fifo", {}, {"read"}));
  CHECK(ok_value(fs.method("get-type", fifo)).str == "fifo");
  Val in = ok_value(fs.method("read-via-stream", fifo, {Val::u64(0)}));
  // A FIFO has no offsets: pread fails (ESPIPE).
  Val r = fs.call(kStreams, "[method]input-stream.read", {cm::borrow_of(in), Val::u64(10)});
  REQUIRE(!r.is_ok);
  REQUIRE(r.items[0].str == "last-operation-failed");
  Val error = r.items[0].items[0];
  Val code = fs.call(kTypes, "filesystem-error-code", {cm::borrow_of(error)});
  REQUIRE(code.items.size() == 1);
  CHECK(code.items[0].str == "invalid-seek");

  // An error that did not come from the host has no error-code.
  auto plain = fs.host().own(std::make_shared<ErrorRes>("not a filesystem error"));
  REQUIRE(plain.ok());
  CHECK(fs.call(kTypes, "filesystem-error-code", {cm::borrow_of(*plain)}).items.empty());
}

TEST_CASE("wasi:filesystem: read-directory", "[wasi][p2][fs]") {
  TempDir tmp;
  REQUIRE(write_file(tmp / "a", "1"));
  REQUIRE(write_file(tmp / "b", "22"));
  REQUIRE(make_dir(tmp / "c"));
  REQUIRE(make_symlink("a", tmp / "d"));
  for (int i = 0; i < 150; ++i) REQUIRE(write_file(tmp / ("many" + std::to_string(i)), ""));
  Fs fs(tmp.path());
  Val root = fs.root();
  Val s = ok_value(fs.method("read-directory", root));
  std::map<std::string, std::string> seen;
  for (;;) {
    Val e = ok_value(
        fs.call(kTypes, "[method]directory-entry-stream.read-directory-entry", {cm::borrow_of(s)}));
    if (e.items.empty()) break;
    const Val& entry = e.items[0];
    CHECK(seen.emplace(entry.items[1].str, entry.items[0].str).second);  // no repeats
  }
  CHECK(seen.size() == 154);  // no "." or ".."
  CHECK(seen["a"] == "regular-file");
  CHECK(seen["c"] == "directory");
  CHECK(seen["d"] == "symbolic-link");
  CHECK(seen.count(".") == 0);
  // Still at the end.
  CHECK(ok_value(fs.call(kTypes, "[method]directory-entry-stream.read-directory-entry",
                         {cm::borrow_of(s)}))
            .items.empty());

  // The stream is a child of its descriptor.
  CHECK(!fs.drop(root).ok());
  CHECK(fs.drop(s).ok());
  CHECK(fs.drop(root).ok());
}

TEST_CASE("wasi:filesystem: rename, link, symlink, unlink, remove", "[wasi][p2][fs]") {
  TempDir tmp;
  REQUIRE(write_file(tmp / "a", "A"));
  REQUIRE(make_dir(tmp / "d"));
  Fs fs(tmp.path());
  Val root = fs.root();
  Val d = ok_value(fs.open(root, "d", {"directory"}, {"read"}));

  CHECK(
      is_ok(fs.method("rename-at", root, {Val::string("a"), cm::borrow_of(d), Val::string("b")})));
  CHECK(read_file(tmp / "d/b") == "A");
  CHECK(error_of(fs.method("rename-at", root,
                           {Val::string("a"), cm::borrow_of(d), Val::string("c")})) == "no-entry");

  CHECK(is_ok(fs.method("link-at", d,
                        {no_flags(), Val::string("b"), cm::borrow_of(root), Val::string("hard")})));
  CHECK(read_file(tmp / "hard") == "A");
  CHECK(error_of(fs.method(
            "link-at", d,
            {follow(), Val::string("b"), cm::borrow_of(root), Val::string("hard2")})) == "invalid");
  Val x = ok_value(fs.open(root, "hard", {}, {"read"}));
  Val y = ok_value(fs.open(d, "b", {}, {"read"}));
  CHECK(fs.method("is-same-object", x, {cm::borrow_of(y)}).as_bool());
  CHECK(!fs.method("is-same-object", x, {cm::borrow_of(root)}).as_bool());
  CHECK(stat_field(ok_value(fs.method("stat", x)), 1).bits == 2);  // link count

  // metadata-hash: one object, one hash; not the raw inode number.
  Val hx = ok_value(fs.method("metadata-hash", x));
  CHECK(hx == ok_value(fs.method("metadata-hash", y)));
  CHECK(hx == ok_value(fs.method("metadata-hash-at", root, {no_flags(), Val::string("hard")})));
  CHECK(!(hx == ok_value(fs.method("metadata-hash", root))));
  struct stat st;
  REQUIRE(::stat((tmp / "hard").c_str(), &st) == 0);
  CHECK(hx.items[0].bits != st.st_ino);
  CHECK(hx.items[0].bits != hx.items[1].bits);

  CHECK(is_ok(fs.method("symlink-at", root, {Val::string("d/b"), Val::string("sym")})));
  CHECK(ok_value(fs.method("readlink-at", root, {Val::string("sym")})).str == "d/b");
  CHECK(stat_field(ok_value(fs.method("stat-at", root, {no_flags(), Val::string("sym")})), 0).str ==
        "symbolic-link");
  CHECK(stat_field(ok_value(fs.method("stat-at", root, {follow(), Val::string("sym")})), 0).str ==
        "regular-file");
  CHECK(error_of(fs.method("readlink-at", root, {Val::string("hard")})) == "invalid");
  CHECK(error_of(fs.method("symlink-at", root, {Val::string("x"), Val::string("sym")})) == "exist");

  CHECK(error_of(fs.method("remove-directory-at", root, {Val::string("d")})) == "not-empty");
  CHECK(error_of(fs.method("unlink-file-at", root, {Val::string("d")})) == "is-directory");
  CHECK(is_ok(fs.method("unlink-file-at", root, {Val::string("sym")})));
  CHECK(is_ok(fs.method("unlink-file-at", d, {Val::string("b")})));
  CHECK(is_ok(fs.method("create-directory-at", root, {Val::string("d/e")})));
  CHECK(error_of(fs.method("create-directory-at", root, {Val::string("d/e")})) == "exist");
  CHECK(is_ok(fs.method("remove-directory-at", d, {Val::string("e")})));
  CHECK(is_ok(fs.method("remove-directory-at", root, {Val::string("d")})));
  CHECK(!host::testing::exists_nofollow(tmp / "d"));
}

TEST_CASE("wasi:filesystem: set-times", "[wasi][p2][fs]") {
  TempDir tmp;
  REQUIRE(write_file(tmp / "f", ""));
  Fs fs(tmp.path());
  Val root = fs.root();
  CHECK(is_ok(fs.method(
      "set-times-at", root,
      {no_flags(), Val::string("f"), Val::variant("no-change"), timestamp(1000000000, 5)})));
  Val st = ok_value(fs.method("stat-at", root, {no_flags(), Val::string("f")}));
  CHECK(mtime_ns(st) == 1000000000000000005u);
  Val f = ok_value(fs.open(root, "f", {}, {"write"}));
  CHECK(is_ok(fs.method("set-times", f, {timestamp(7, 0), Val::variant("no-change")})));
  st = ok_value(fs.method("stat", f));
  CHECK(stat_field(st, 3).items.at(0).items[0].bits == 7);  // atime seconds
  CHECK(mtime_ns(st) == 1000000000000000005u);
  CHECK(is_ok(fs.method("set-times", root, {Val::variant("now"), Val::variant("now")})));
  CHECK(error_of(fs.method("set-times", f, {timestamp(UINT64_MAX, 0), Val::variant("now")})) ==
        "overflow");
}

// Restores the default path resolver when a test that chose one ends.
struct ResolverGuard {
  explicit ResolverGuard(host::Resolver r) { host::set_resolver_for_testing(r); }
  ~ResolverGuard() { host::set_resolver_for_testing(host::Resolver::Auto); }
  ResolverGuard(const ResolverGuard&) = delete;
  ResolverGuard& operator=(const ResolverGuard&) = delete;
};

TEST_CASE("wasi:filesystem: the sandbox holds", "[wasi][p2][fs]") {
  const host::Resolver mode = GENERATE(host::Resolver::Auto, host::Resolver::ManualOnly);
  ResolverGuard guard(mode);
  TempDir outer;
  REQUIRE(make_dir(outer / "root"));
  REQUIRE(make_dir(outer / "root/sub"));
  REQUIRE(write_file(outer / "secret", "secret"));
  REQUIRE(make_symlink("../secret", outer / "root/up"));
  REQUIRE(make_symlink(outer / "secret", outer / "root/abs"));
  REQUIRE(make_symlink("../up", outer / "root/sub/upup"));
  Fs fs(outer / "root");
  Val root = fs.root();
  Val sub = ok_value(fs.open(root, "sub", {"directory"}, {"read"}));
  for (const char* path :
       {"../secret", "/etc/passwd", "sub/../../secret", "up", "abs", "sub/upup"}) {
    INFO(path);
    CHECK(error_of(fs.open(root, path, {}, {"read"}, /*follow=*/true)) == "not-permitted");
    CHECK(error_of(fs.method("stat-at", root, {follow(), Val::string(path)})) == "not-permitted");
    CHECK(error_of(fs.method("metadata-hash-at", root, {follow(), Val::string(path)})) ==
          "not-permitted");
  }
  // A directory opened beneath the preopen is a capability of its own: ".." leaves it.
  CHECK(error_of(fs.open(sub, "..", {"directory"}, {"read"})) == "not-permitted");
  CHECK(error_of(fs.open(sub, "upup", {}, {"read"}, /*follow=*/true)) == "not-permitted");
  CHECK(error_of(fs.method("create-directory-at", sub, {Val::string("../../x")})) ==
        "not-permitted");
  CHECK(error_of(fs.method("create-directory-at", root, {Val::string("/tmp/x")})) ==
        "not-permitted");
  CHECK(error_of(fs.method("symlink-at", root, {Val::string("/etc"), Val::string("l")})) ==
        "not-permitted");
  CHECK(error_of(fs.method("rename-at", root,
                           {Val::string("sub"), cm::borrow_of(root), Val::string("../moved")})) ==
        "not-permitted");
  CHECK(error_of(fs.method("link-at", root,
                           {no_flags(), Val::string("../secret"), cm::borrow_of(root),
                            Val::string("stolen")})) == "not-permitted");
  CHECK(error_of(fs.method("unlink-file-at", root, {Val::string("../secret")})) == "not-permitted");
  CHECK(error_of(fs.open(root, "../escape", {"create"}, {"write"})) == "not-permitted");
  // The links themselves are visible without following them.
  CHECK(ok_value(fs.method("readlink-at", root, {Val::string("up")})).str == "../secret");
  CHECK(error_of(fs.method("readlink-at", root, {Val::string("abs")})) == "not-permitted");
  CHECK(read_file(outer / "secret") == "secret");
  CHECK(!host::testing::exists_nofollow(outer / "moved"));
  CHECK(!host::testing::exists_nofollow(outer / "escape"));
  CHECK(!host::testing::exists_nofollow(outer / "x"));
  CHECK(!host::testing::exists_nofollow(outer / "root/stolen"));
}

}  // namespace
}  // namespace zinc::wasi::p2
