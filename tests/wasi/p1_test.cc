// tests/wasi/p1_test.cc: wasi_snapshot_preview1 through the embedding API.
//
// A shim module imports every P1 function with the signature written out here from the witx
// (independently of wasi/p1/functions.def) and exports a wasm wrapper for each, plus its memory.
// Tests call the wrappers and inspect guest memory, so struct layouts, errno values and traps
// are checked exactly as a guest sees them.
#include "wasi/p1/p1.h"

#include <sys/socket.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstring>
#include <initializer_list>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "tests/wasi/host_test_util.h"
#include "wasi/host/streams.h"
#include "zinc/zinc.h"

namespace zinc::wasi::p1 {
namespace {

using host::testing::make_dir;
using host::testing::make_symlink;
using host::testing::read_file;
using host::testing::TempDir;
using host::testing::write_file;

// witx errno values (typenames.witx order), spelled out independently of errno.def.
enum : int32_t {
  kSuccess = 0,
  kAcces = 2,
  kBadf = 8,
  kExist = 20,
  kIlseq = 25,
  kInval = 28,
  kIsdir = 31,
  kLoop = 32,
  kNametoolong = 37,
  kNoent = 44,
  kNotdir = 54,
  kNotempty = 55,
  kNotsock = 57,
  kNotsup = 58,
  kSpipe = 70,
  kNotcapable = 76,
};

struct Sig {
  const char* name;
  const char* params;
  const char* results;
};

// wasi_snapshot_preview1.witx, lowered to core wasm.
const Sig kSigs[] = {
    {"args_get", "i32 i32", "i32"},
    {"args_sizes_get", "i32 i32", "i32"},
    {"environ_get", "i32 i32", "i32"},
    {"environ_sizes_get", "i32 i32", "i32"},
    {"clock_res_get", "i32 i32", "i32"},
    {"clock_time_get", "i32 i64 i32", "i32"},
    {"fd_advise", "i32 i64 i64 i32", "i32"},
    {"fd_allocate", "i32 i64 i64", "i32"},
    {"fd_close", "i32", "i32"},
    {"fd_datasync", "i32", "i32"},
    {"fd_fdstat_get", "i32 i32", "i32"},
    {"fd_fdstat_set_flags", "i32 i32", "i32"},
    {"fd_fdstat_set_rights", "i32 i64 i64", "i32"},
    {"fd_filestat_get", "i32 i32", "i32"},
    {"fd_filestat_set_size", "i32 i64", "i32"},
    {"fd_filestat_set_times", "i32 i64 i64 i32", "i32"},
    {"fd_pread", "i32 i32 i32 i64 i32", "i32"},
    {"fd_prestat_get", "i32 i32", "i32"},
    {"fd_prestat_dir_name", "i32 i32 i32", "i32"},
    {"fd_pwrite", "i32 i32 i32 i64 i32", "i32"},
    {"fd_read", "i32 i32 i32 i32", "i32"},
    {"fd_readdir", "i32 i32 i32 i64 i32", "i32"},
    {"fd_renumber", "i32 i32", "i32"},
    {"fd_seek", "i32 i64 i32 i32", "i32"},
    {"fd_sync", "i32", "i32"},
    {"fd_tell", "i32 i32", "i32"},
    {"fd_write", "i32 i32 i32 i32", "i32"},
    {"path_create_directory", "i32 i32 i32", "i32"},
    {"path_filestat_get", "i32 i32 i32 i32 i32", "i32"},
    {"path_filestat_set_times", "i32 i32 i32 i32 i64 i64 i32", "i32"},
    {"path_link", "i32 i32 i32 i32 i32 i32 i32", "i32"},
    {"path_open", "i32 i32 i32 i32 i32 i64 i64 i32 i32", "i32"},
    {"path_readlink", "i32 i32 i32 i32 i32 i32", "i32"},
    {"path_remove_directory", "i32 i32 i32", "i32"},
    {"path_rename", "i32 i32 i32 i32 i32 i32", "i32"},
    {"path_symlink", "i32 i32 i32 i32 i32", "i32"},
    {"path_unlink_file", "i32 i32 i32", "i32"},
    {"poll_oneoff", "i32 i32 i32 i32", "i32"},
    {"proc_exit", "i32", ""},
    {"proc_raise", "i32", "i32"},
    {"sched_yield", "", "i32"},
    {"random_get", "i32 i32", "i32"},
    {"sock_accept", "i32 i32 i32", "i32"},
    {"sock_recv", "i32 i32 i32 i32 i32 i32", "i32"},
    {"sock_send", "i32 i32 i32 i32 i32", "i32"},
    {"sock_shutdown", "i32 i32", "i32"},
};

std::string shim_wat() {
  std::string imports, funcs;
  for (const Sig& s : kSigs) {
    std::string type = std::string("(param ") + s.params + ")" +
                       (*s.results ? std::string(" (result ") + s.results + ")" : "");
    imports += std::string("(import \"wasi_snapshot_preview1\" \"") + s.name + "\" (func $" +
               s.name + " " + type + "))\n";
    std::string body;
    int n = 0;
    for (const char* p = s.params; *p; ++p) {
      if (*p == 'i' && (p == s.params || p[-1] == ' ')) {
        body += "(local.get " + std::to_string(n++) + ") ";
      }
    }
    funcs += std::string("(func (export \"") + s.name + "\") " + type + " (call $" + s.name + " " +
             body + "))\n";
  }
  return "(module\n" + imports + "(memory (export \"memory\") 1)\n" + funcs + ")";
}

// One instance of the shim with its own WasiCtx.
struct Harness {
  Engine engine;
  Store store{engine};
  std::shared_ptr<WasiCtx> ctx;
  std::optional<Instance> instance;
  std::optional<Memory> memory;
  std::shared_ptr<host::MemoryOutputStream> out = std::make_shared<host::MemoryOutputStream>();
  std::shared_ptr<host::MemoryOutputStream> err = std::make_shared<host::MemoryOutputStream>();

  // Stdout and stderr are captured; stdin is empty unless `keep_stdin`.
  explicit Harness(WasiCtxBuilder builder = WasiCtxBuilder(), bool keep_stdin = false) {
    builder.stdout_stream(out).stderr_stream(err);
    if (!keep_stdin) builder.stdin_stream(std::make_shared<host::NullInputStream>());
    auto c = builder.build();
    REQUIRE(c);
    ctx = *c;
    std::string wat = shim_wat();
    auto module =
        Module::compile(engine, {reinterpret_cast<const uint8_t*>(wat.data()), wat.size()});
    REQUIRE(module);
    Linker linker(engine);
    REQUIRE(add_to_linker(linker, ctx));
    auto inst = linker.instantiate(store, *module);
    REQUIRE(inst);
    instance = *inst;
    memory = instance->get_memory(store, "memory");
    REQUIRE(memory);
  }
  // Calls the wrapper `name`; the errno, or the error (trap / exit).
  Result<int32_t> try_call(const char* name, std::initializer_list<Val> args) {
    auto f = instance->get_func(store, name);
    REQUIRE(f);
    std::vector<Val> a(args);
    auto r = f->call(store, a);
    if (!r) return unexpected(r.error());
    return r->empty() ? 0 : (*r)[0].i32();
  }
  int32_t call(const char* name, std::initializer_list<Val> args) {
    auto r = try_call(name, args);
    if (!r) FAIL("unexpected error from " << name << ": " << r.error().message);
    return *r;
  }

  uint8_t* mem() { return memory->data(store); }
  void put_u32(uint32_t at, uint32_t v) { std::memcpy(mem() + at, &v, 4); }
  void put_u64(uint32_t at, uint64_t v) { std::memcpy(mem() + at, &v, 8); }
  void put_bytes(uint32_t at, std::string_view s) { std::memcpy(mem() + at, s.data(), s.size()); }
  uint8_t u8(uint32_t at) { return mem()[at]; }
  uint16_t u16(uint32_t at) {
    uint16_t v;
    std::memcpy(&v, mem() + at, 2);
    return v;
  }
  uint32_t u32(uint32_t at) {
    uint32_t v;
    std::memcpy(&v, mem() + at, 4);
    return v;
  }
  uint64_t u64(uint32_t at) {
    uint64_t v;
    std::memcpy(&v, mem() + at, 8);
    return v;
  }
  std::string str(uint32_t at, size_t len) {
    return std::string(reinterpret_cast<char*>(mem() + at), len);
  }

  // path_open(dirfd, follow, path, oflags, rights, fdflags) -> errno; the fd lands at 0xff00.
  int32_t open(uint32_t dirfd, std::string_view path, uint32_t oflags = 0, uint64_t rights = 0,
               uint32_t fdflags = 0, uint32_t lookup = 1) {
    put_bytes(0x8000, path);
    return call("path_open", {Val::i32(int32_t(dirfd)), Val::i32(int32_t(lookup)), Val::i32(0x8000),
                              Val::i32(int32_t(path.size())), Val::i32(int32_t(oflags)),
                              Val::i64(int64_t(rights)), Val::i64(0), Val::i32(int32_t(fdflags)),
                              Val::i32(0xff00)});
  }
  uint32_t opened_fd() { return u32(0xff00); }

  // A path_* call taking (fd, path, path_len).
  int32_t path_op(const char* name, uint32_t fd, std::string_view path) {
    put_bytes(0x8000, path);
    return call(name, {Val::i32(int32_t(fd)), Val::i32(0x8000), Val::i32(int32_t(path.size()))});
  }

  // fd_write of one buffer; returns the errno, the count lands at 0xff10.
  int32_t write(uint32_t fd, std::string_view data) {
    put_bytes(0x9000, data);
    put_u32(0xa000, 0x9000);
    put_u32(0xa004, uint32_t(data.size()));
    return call("fd_write",
                {Val::i32(int32_t(fd)), Val::i32(0xa000), Val::i32(1), Val::i32(0xff10)});
  }
  int32_t read(uint32_t fd, uint32_t len) {
    put_u32(0xa000, 0x9000);
    put_u32(0xa004, len);
    return call("fd_read",
                {Val::i32(int32_t(fd)), Val::i32(0xa000), Val::i32(1), Val::i32(0xff10)});
  }
};

void require_trap(const Result<int32_t>& r, TrapCode code) {
  REQUIRE(!r);
  CHECK(r.error().kind == ErrorKind::Trap);
  REQUIRE(r.error().trap);
  CHECK(r.error().trap->code == code);
}

TEST_CASE("p1: every function links with its witx signature", "[wasi][p1]") {
  Harness h;
  Linker linker(h.engine);
  REQUIRE(add_to_linker(linker, h.ctx));
  for (const Sig& s : kSigs) CHECK(linker.get(h.store, kModuleName, s.name).has_value());
  CHECK(h.call("sched_yield", {}) == kSuccess);
}

TEST_CASE("p1: args and environment", "[wasi][p1]") {
  Harness h(std::move(WasiCtxBuilder().args({"prog", "a", "bc"}).env("K", "V")));
  CHECK(h.call("args_sizes_get", {Val::i32(0x10), Val::i32(0x14)}) == kSuccess);
  CHECK(h.u32(0x10) == 3);
  CHECK(h.u32(0x14) == 10);
  CHECK(h.call("args_get", {Val::i32(0x100), Val::i32(0x200)}) == kSuccess);
  CHECK(h.u32(0x100) == 0x200);
  CHECK(h.u32(0x104) == 0x205);
  CHECK(h.u32(0x108) == 0x207);
  CHECK(h.str(0x200, 10) == std::string("prog\0a\0bc\0", 10));
  CHECK(h.call("environ_sizes_get", {Val::i32(0x10), Val::i32(0x14)}) == kSuccess);
  CHECK(h.u32(0x10) == 1);
  CHECK(h.u32(0x14) == 4);
  CHECK(h.call("environ_get", {Val::i32(0x100), Val::i32(0x200)}) == kSuccess);
  CHECK(h.str(0x200, 4) == std::string("K=V\0", 4));

  Harness empty;  // nothing inherited by default
  CHECK(empty.call("environ_sizes_get", {Val::i32(0x10), Val::i32(0x14)}) == kSuccess);
  CHECK(empty.u32(0x10) == 0);
  CHECK(empty.u32(0x14) == 0);
}

TEST_CASE("p1: bad guest pointers trap", "[wasi][p1]") {
  Harness h(std::move(WasiCtxBuilder().args({"prog"})));
  require_trap(h.try_call("args_sizes_get", {Val::i32(65536), Val::i32(0)}),
               TrapCode::MemoryOutOfBounds);
  require_trap(h.try_call("args_sizes_get", {Val::i32(-4), Val::i32(0)}),
               TrapCode::MemoryOutOfBounds);
  require_trap(h.try_call("args_sizes_get", {Val::i32(2), Val::i32(8)}), TrapCode::HostTrap);
  require_trap(h.try_call("args_get", {Val::i32(0), Val::i32(65535)}), TrapCode::MemoryOutOfBounds);
  require_trap(h.try_call("random_get", {Val::i32(65000), Val::i32(1000)}),
               TrapCode::MemoryOutOfBounds);
  require_trap(h.try_call("clock_time_get", {Val::i32(1), Val::i64(0), Val::i32(65536)}),
               TrapCode::MemoryOutOfBounds);
  // An iovec array reaching past the end, or an iovec buffer that does.
  require_trap(h.try_call("fd_write", {Val::i32(1), Val::i32(65528), Val::i32(2), Val::i32(0)}),
               TrapCode::MemoryOutOfBounds);
  require_trap(
      h.try_call("fd_write", {Val::i32(1), Val::i32(0), Val::i32(0x10000000), Val::i32(0)}),
      TrapCode::MemoryOutOfBounds);
  h.put_u32(0, 65000);
  h.put_u32(4, 1000);
  require_trap(h.try_call("fd_write", {Val::i32(1), Val::i32(0), Val::i32(1), Val::i32(16)}),
               TrapCode::MemoryOutOfBounds);
  // Zero-length buffers may point anywhere; thousands of empty iovecs are fine (and capped).
  h.put_u32(0, 0xffffff00);
  h.put_u32(4, 0);
  CHECK(h.call("fd_write", {Val::i32(1), Val::i32(0), Val::i32(1), Val::i32(16)}) == kSuccess);
  std::memset(h.mem() + 0x1000, 0, 8 * 3000);
  CHECK(h.call("fd_write", {Val::i32(1), Val::i32(0x1000), Val::i32(3000), Val::i32(16)}) ==
        kSuccess);
  CHECK(h.u32(16) == 0);
}

TEST_CASE("p1: clocks, random, proc_exit, proc_raise", "[wasi][p1]") {
  Harness h;
  CHECK(h.call("clock_time_get", {Val::i32(1), Val::i64(0), Val::i32(0x10)}) == kSuccess);
  uint64_t t0 = h.u64(0x10);
  CHECK(h.call("clock_time_get", {Val::i32(1), Val::i64(0), Val::i32(0x10)}) == kSuccess);
  CHECK(h.u64(0x10) >= t0);
  CHECK(h.call("clock_time_get", {Val::i32(0), Val::i64(0), Val::i32(0x10)}) == kSuccess);
  CHECK(h.u64(0x10) > uint64_t{1'600'000'000} * 1'000'000'000);
  for (int id = 0; id < 4; ++id) {
    CHECK(h.call("clock_res_get", {Val::i32(id), Val::i32(0x18)}) == kSuccess);
    CHECK(h.u64(0x18) > 0);
  }
  CHECK(h.call("clock_res_get", {Val::i32(4), Val::i32(0x18)}) == kInval);

  std::memset(h.mem() + 0x100, 0, 256);
  CHECK(h.call("random_get", {Val::i32(0x100), Val::i32(256)}) == kSuccess);
  bool nonzero = false;
  for (int i = 0; i < 256; ++i) nonzero |= h.u8(0x100 + i) != 0;
  CHECK(nonzero);

  auto exit = h.try_call("proc_exit", {Val::i32(42)});
  REQUIRE(!exit);
  CHECK(exit.error().kind == ErrorKind::Exit);
  CHECK(exit.error().exit_code == 42);
  require_trap(h.try_call("proc_raise", {Val::i32(6)}), TrapCode::HostTrap);
}

TEST_CASE("p1: stdio streams", "[wasi][p1]") {
  Harness h;
  h.put_bytes(0x100, "hello ");
  h.put_bytes(0x200, "world");
  h.put_u32(0x10, 0x100);
  h.put_u32(0x14, 6);
  h.put_u32(0x18, 0x200);
  h.put_u32(0x1c, 5);
  CHECK(h.call("fd_write", {Val::i32(1), Val::i32(0x10), Val::i32(2), Val::i32(0x20)}) == kSuccess);
  CHECK(h.u32(0x20) == 11);
  CHECK(h.out->text() == "hello world");
  CHECK(h.write(2, "oops") == kSuccess);
  CHECK(h.err->text() == "oops");
  CHECK(h.write(0, "x") == kBadf);
  CHECK(h.write(99, "x") == kBadf);
  CHECK(h.read(1, 4) == kBadf);
  CHECK(h.call("fd_seek", {Val::i32(1), Val::i64(0), Val::i32(0), Val::i32(0x20)}) == kSpipe);
  CHECK(h.call("sock_shutdown", {Val::i32(1), Val::i32(1)}) == kNotsock);
  CHECK(h.call("sock_shutdown", {Val::i32(3), Val::i32(1)}) == kBadf);
}

TEST_CASE("p1: stdin from a buffer", "[wasi][p1]") {
  WasiCtxBuilder b;
  b.stdin_stream(std::make_shared<host::MemoryInputStream>(std::string_view("input")));
  Harness h(std::move(b), /*keep_stdin=*/true);
  CHECK(h.read(0, 3) == kSuccess);
  CHECK(h.u32(0xff10) == 3);
  CHECK(h.str(0x9000, 3) == "inp");
  CHECK(h.read(0, 100) == kSuccess);
  CHECK(h.u32(0xff10) == 2);
  CHECK(h.str(0x9000, 2) == "ut");
  CHECK(h.read(0, 100) == kSuccess);
  CHECK(h.u32(0xff10) == 0);
  CHECK(h.write(0, "x") == kBadf);
  CHECK(h.call("fd_pread", {Val::i32(0), Val::i32(0xa000), Val::i32(1), Val::i64(0),
                            Val::i32(0x30)}) == kSpipe);
}

struct FsHarness {
  TempDir tmp;
  std::unique_ptr<Harness> h;
  FsHarness() {
    REQUIRE(make_dir(tmp / "sandbox"));
    REQUIRE(write_file(tmp / "secret", "secret"));
    REQUIRE(make_symlink("/etc", tmp / "sandbox/etc"));
    h = std::make_unique<Harness>(
        std::move(WasiCtxBuilder().dir_option(tmp / "sandbox" + "::/sandbox")));
  }
};

TEST_CASE("p1: preopens, fdstat and prestat layouts", "[wasi][p1]") {
  FsHarness fx;
  Harness& h = *fx.h;
  // prestat: tag u8 @0, pr_name_len u32 @4.
  std::memset(h.mem() + 0x10, 0xee, 8);
  CHECK(h.call("fd_prestat_get", {Val::i32(3), Val::i32(0x10)}) == kSuccess);
  CHECK(h.u8(0x10) == 0);
  CHECK(h.u32(0x14) == 8);
  CHECK(h.call("fd_prestat_dir_name", {Val::i32(3), Val::i32(0x20), Val::i32(8)}) == kSuccess);
  CHECK(h.str(0x20, 8) == "/sandbox");
  CHECK(h.call("fd_prestat_dir_name", {Val::i32(3), Val::i32(0x20), Val::i32(7)}) == kNametoolong);
  CHECK(h.call("fd_prestat_get", {Val::i32(1), Val::i32(0x10)}) == kBadf);
  CHECK(h.call("fd_prestat_get", {Val::i32(4), Val::i32(0x10)}) == kBadf);

  // fdstat: filetype u8 @0, flags u16 @2, rights_base u64 @8, rights_inheriting u64 @16.
  std::memset(h.mem() + 0x40, 0xee, 24);
  CHECK(h.call("fd_fdstat_get", {Val::i32(3), Val::i32(0x40)}) == kSuccess);
  CHECK(h.u8(0x40) == 3);  // directory
  CHECK(h.u8(0x41) == 0);  // padding is zeroed
  CHECK(h.u16(0x42) == 0);
  CHECK((h.u64(0x48) & (1u << 13)) != 0);  // path_open
  CHECK((h.u64(0x48) & (1u << 2)) == 0);   // no fd_seek on directories
  CHECK((h.u64(0x50) & (1u << 1)) != 0);   // fd_read inheritable
  CHECK(h.call("fd_fdstat_get", {Val::i32(1), Val::i32(0x40)}) == kSuccess);
  CHECK(h.u8(0x40) == 0);                 // not a terminal
  CHECK((h.u64(0x48) & (1u << 6)) != 0);  // fd_write
  CHECK(h.call("fd_fdstat_set_rights", {Val::i32(3), Val::i64(0), Val::i64(0)}) == kNotsup);
  CHECK(h.call("fd_fdstat_set_rights", {Val::i32(9), Val::i64(0), Val::i64(0)}) == kBadf);
  require_trap(h.try_call("fd_fdstat_get", {Val::i32(3), Val::i32(0x44)}), TrapCode::HostTrap);

  // Closing and renumbering.
  CHECK(h.open(3, ".", 2) == kSuccess);
  uint32_t dup = h.opened_fd();
  CHECK(dup == 4);
  CHECK(h.call("fd_renumber", {Val::i32(int32_t(dup)), Val::i32(3)}) == kSuccess);
  CHECK(h.call("fd_prestat_get", {Val::i32(3), Val::i32(0x10)}) == kBadf);  // no longer a preopen
  CHECK(h.call("fd_close", {Val::i32(int32_t(dup))}) == kBadf);
  CHECK(h.call("fd_renumber", {Val::i32(3), Val::i32(9)}) == kBadf);
  CHECK(h.call("fd_close", {Val::i32(3)}) == kSuccess);
  CHECK(h.call("fd_close", {Val::i32(3)}) == kBadf);
}

TEST_CASE("p1: files through path_open", "[wasi][p1]") {
  FsHarness fx;
  Harness& h = *fx.h;
  const uint64_t rw = (1u << 1) | (1u << 6);
  CHECK(h.open(3, "f.txt", /*creat*/ 1, rw) == kSuccess);
  uint32_t fd = h.opened_fd();
  CHECK(h.write(fd, "0123456789") == kSuccess);
  CHECK(h.u32(0xff10) == 10);
  CHECK(read_file(fx.tmp / "sandbox/f.txt") == "0123456789");
  CHECK(h.call("fd_seek", {Val::i32(int32_t(fd)), Val::i64(-4), Val::i32(1), Val::i32(0x20)}) ==
        kSuccess);
  CHECK(h.u64(0x20) == 6);
  CHECK(h.call("fd_tell", {Val::i32(int32_t(fd)), Val::i32(0x20)}) == kSuccess);
  CHECK(h.u64(0x20) == 6);
  CHECK(h.read(fd, 100) == kSuccess);
  CHECK(h.u32(0xff10) == 4);
  CHECK(h.str(0x9000, 4) == "6789");
  CHECK(h.call("fd_seek", {Val::i32(int32_t(fd)), Val::i64(0), Val::i32(3), Val::i32(0x20)}) ==
        kInval);

  // pread/pwrite leave the position alone.
  h.put_u32(0xa000, 0x9100);
  h.put_u32(0xa004, 3);
  CHECK(h.call("fd_pread", {Val::i32(int32_t(fd)), Val::i32(0xa000), Val::i32(1), Val::i64(2),
                            Val::i32(0x30)}) == kSuccess);
  CHECK(h.str(0x9100, 3) == "234");

  // filestat: dev @0, ino @8, filetype u8 @16, nlink @24, size @32, atim/mtim/ctim @40/48/56.
  std::memset(h.mem() + 0x100, 0xee, 64);
  CHECK(h.call("fd_filestat_get", {Val::i32(int32_t(fd)), Val::i32(0x100)}) == kSuccess);
  CHECK(h.u8(0x110) == 4);
  CHECK(h.u8(0x111) == 0);
  CHECK(h.u64(0x118) == 1);
  CHECK(h.u64(0x120) == 10);
  CHECK(h.u64(0x130) > 0);
  struct stat st;
  REQUIRE(::stat((fx.tmp / "sandbox/f.txt").c_str(), &st) == 0);
  CHECK(h.u64(0x108) == st.st_ino);
  CHECK(h.u64(0x100) == st.st_dev);

  CHECK(h.call("fd_filestat_set_size", {Val::i32(int32_t(fd)), Val::i64(3)}) == kSuccess);
  CHECK(h.call("fd_filestat_set_times", {Val::i32(int32_t(fd)), Val::i64(0),
                                         Val::i64(5'000'000'000), Val::i32(4)}) == kSuccess);
  h.put_bytes(0x8000, "f.txt");
  CHECK(h.call("path_filestat_get", {Val::i32(3), Val::i32(0), Val::i32(0x8000), Val::i32(5),
                                     Val::i32(0x100)}) == kSuccess);
  CHECK(h.u64(0x120) == 3);
  CHECK(h.u64(0x130) == 5'000'000'000);
  CHECK(h.call("fd_filestat_set_times",
               {Val::i32(int32_t(fd)), Val::i64(0), Val::i64(0), Val::i32(4 | 8)}) == kInval);
  CHECK(h.call("fd_filestat_set_times",
               {Val::i32(int32_t(fd)), Val::i64(0), Val::i64(0), Val::i32(16)}) == kInval);

  // Flags: append on, then off.
  CHECK(h.call("fd_fdstat_set_flags", {Val::i32(int32_t(fd)), Val::i32(1)}) == kSuccess);
  CHECK(h.call("fd_fdstat_get", {Val::i32(int32_t(fd)), Val::i32(0x40)}) == kSuccess);
  CHECK(h.u16(0x42) == 1);
  CHECK(h.u8(0x40) == 4);
  CHECK((h.u64(0x48) & rw) == rw);
  CHECK(h.call("fd_fdstat_set_flags", {Val::i32(int32_t(fd)), Val::i32(0x20)}) == kInval);
  CHECK(h.call("fd_allocate", {Val::i32(int32_t(fd)), Val::i64(0), Val::i64(100)}) == kSuccess);
  CHECK(h.call("fd_advise", {Val::i32(int32_t(fd)), Val::i64(0), Val::i64(10), Val::i32(1)}) ==
        kSuccess);
  CHECK(h.call("fd_advise", {Val::i32(int32_t(fd)), Val::i64(0), Val::i64(10), Val::i32(6)}) ==
        kInval);
  CHECK(h.call("fd_sync", {Val::i32(int32_t(fd))}) == kSuccess);
  CHECK(h.call("fd_datasync", {Val::i32(int32_t(fd))}) == kSuccess);
  CHECK(h.call("fd_close", {Val::i32(int32_t(fd))}) == kSuccess);

  // Read-only opens cannot write; directories cannot be read like files.
  CHECK(h.open(3, "f.txt", 0, 1u << 1) == kSuccess);
  fd = h.opened_fd();
  CHECK(h.write(fd, "x") == kBadf);
  CHECK(h.call("fd_fdstat_get", {Val::i32(int32_t(fd)), Val::i32(0x40)}) == kSuccess);
  CHECK((h.u64(0x48) & (1u << 6)) == 0);
  CHECK(h.read(3, 10) == kIsdir);
  CHECK(h.open(3, ".", 2, rw) == kIsdir);
  CHECK(h.open(3, "f.txt", 1 | 4) == kExist);
  CHECK(h.open(3, "missing") == kNoent);
  CHECK(h.open(fd, "x") == kNotdir);
  CHECK(h.open(3, "f.txt", 0, 0, 0x40) == kInval);
  CHECK(h.open(3, "f.txt", 0x10) == kInval);
}

TEST_CASE("p1: path functions and the sandbox", "[wasi][p1]") {
  FsHarness fx;
  Harness& h = *fx.h;
  CHECK(h.open(3, "../secret") == kNotcapable);
  CHECK(h.open(3, "/etc/passwd") == kNotcapable);
  CHECK(h.open(3, "etc/passwd") == kNotcapable);
  CHECK(h.open(3, "etc", 0, 0, 0, /*nofollow*/ 0) == kLoop);
  CHECK(h.open(3, std::string_view("bad\xff", 4)) == kIlseq);
  CHECK(h.open(3, std::string(5000, 'a')) == kNametoolong);
  CHECK(h.path_op("path_create_directory", 3, "../escape") == kNotcapable);
  CHECK(h.path_op("path_unlink_file", 3, "../secret") == kNotcapable);
  CHECK(read_file(fx.tmp / "secret") == "secret");

  CHECK(h.path_op("path_create_directory", 3, "d") == kSuccess);
  CHECK(h.path_op("path_create_directory", 3, "d") == kExist);
  CHECK(h.path_op("path_create_directory", 3, "d/e") == kSuccess);
  CHECK(h.path_op("path_remove_directory", 3, "d") == kNotempty);
  CHECK(h.path_op("path_unlink_file", 3, "d") == kIsdir);
  CHECK(h.path_op("path_remove_directory", 3, "d/e/") == kSuccess);
  CHECK(h.path_op("path_create_directory", 1, "x") == kNotdir);
  CHECK(h.path_op("path_create_directory", 42, "x") == kBadf);

  // Symlinks: stored verbatim, absolute targets refused, readlink truncates.
  h.put_bytes(0x7000, "target-name");
  h.put_bytes(0x8000, "lnk");
  CHECK(h.call("path_symlink", {Val::i32(0x7000), Val::i32(11), Val::i32(3), Val::i32(0x8000),
                                Val::i32(3)}) == kSuccess);
  h.put_bytes(0x7000, "/etc");
  h.put_bytes(0x8000, "abs");
  CHECK(h.call("path_symlink", {Val::i32(0x7000), Val::i32(4), Val::i32(3), Val::i32(0x8000),
                                Val::i32(3)}) == kNotcapable);
  h.put_bytes(0x8000, "lnk");
  std::memset(h.mem() + 0x7000, 0, 16);
  CHECK(h.call("path_readlink", {Val::i32(3), Val::i32(0x8000), Val::i32(3), Val::i32(0x7000),
                                 Val::i32(6), Val::i32(0x20)}) == kSuccess);
  CHECK(h.u32(0x20) == 6);
  CHECK(h.str(0x7000, 8) == std::string("target\0\0", 8));

  // Rename and link, including across descriptors.
  CHECK(h.open(3, "a", 1) == kSuccess);
  CHECK(h.open(3, "d", 2) == kSuccess);
  uint32_t d = h.opened_fd();
  h.put_bytes(0x7000, "a");
  h.put_bytes(0x8000, "b");
  CHECK(h.call("path_rename", {Val::i32(3), Val::i32(0x7000), Val::i32(1), Val::i32(int32_t(d)),
                               Val::i32(0x8000), Val::i32(1)}) == kSuccess);
  CHECK(read_file(fx.tmp / "sandbox/d/b").empty());
  h.put_bytes(0x7000, "b");
  h.put_bytes(0x8000, "c");
  CHECK(h.call("path_link", {Val::i32(int32_t(d)), Val::i32(0), Val::i32(0x7000), Val::i32(1),
                             Val::i32(3), Val::i32(0x8000), Val::i32(1)}) == kSuccess);
  CHECK(h.call("path_link", {Val::i32(int32_t(d)), Val::i32(1), Val::i32(0x7000), Val::i32(1),
                             Val::i32(3), Val::i32(0x8000), Val::i32(1)}) == kInval);
  h.put_bytes(0x7000, "../secret");
  CHECK(h.call("path_link", {Val::i32(3), Val::i32(0), Val::i32(0x7000), Val::i32(9), Val::i32(3),
                             Val::i32(0x8000), Val::i32(1)}) == kNotcapable);
  // path_filestat_get with and without following.
  h.put_bytes(0x8000, "lnk");
  CHECK(h.call("path_filestat_get", {Val::i32(3), Val::i32(0), Val::i32(0x8000), Val::i32(3),
                                     Val::i32(0x100)}) == kSuccess);
  CHECK(h.u8(0x110) == 7);  // symbolic_link
  CHECK(h.call("path_filestat_get", {Val::i32(3), Val::i32(1), Val::i32(0x8000), Val::i32(3),
                                     Val::i32(0x100)}) == kNoent);
  CHECK(h.call("path_filestat_get", {Val::i32(3), Val::i32(2), Val::i32(0x8000), Val::i32(3),
                                     Val::i32(0x100)}) == kInval);
  CHECK(h.call("path_filestat_set_times", {Val::i32(3), Val::i32(0), Val::i32(0x8000), Val::i32(3),
                                           Val::i64(0), Val::i64(0), Val::i32(1 | 2)}) == kInval);
}

// Parses fd_readdir output: name -> (d_next, d_ino, d_type).
struct Dirent {
  uint64_t next, ino;
  uint8_t type;
};
std::vector<std::pair<std::string, Dirent>> parse_dirents(Harness& h, uint32_t at, uint32_t used) {
  std::vector<std::pair<std::string, Dirent>> out;
  uint32_t off = 0;
  while (used - off >= 24) {
    uint32_t namlen = h.u32(at + off + 16);
    if (used - off - 24 < namlen) break;
    Dirent d{h.u64(at + off), h.u64(at + off + 8), h.u8(at + off + 20)};
    out.emplace_back(h.str(at + off + 24, namlen), d);
    off += 24 + namlen;
  }
  return out;
}

TEST_CASE("p1: fd_readdir layout and cookies", "[wasi][p1]") {
  FsHarness fx;
  Harness& h = *fx.h;
  for (int i = 0; i < 20; ++i)
    REQUIRE(write_file(fx.tmp / ("sandbox/file" + std::to_string(i)), ""));
  CHECK(h.call("fd_readdir", {Val::i32(3), Val::i32(0x1000), Val::i32(4096), Val::i64(0),
                              Val::i32(0x20)}) == kSuccess);
  uint32_t used = h.u32(0x20);
  CHECK(used < 4096);
  auto all = parse_dirents(h, 0x1000, used);
  std::set<std::string> names;
  for (auto& [name, d] : all) {
    names.insert(name);
    if (name == "file3") {
      struct stat st;
      REQUIRE(::stat((fx.tmp / "sandbox/file3").c_str(), &st) == 0);
      CHECK(d.ino == st.st_ino);
      CHECK(d.type == 4);
    }
    if (name == "." || name == "..") CHECK(d.type == 3);
    if (name == "etc") CHECK(d.type == 7);
  }
  CHECK(names.size() == 23);  // 20 files, etc, ".", ".."

  // A small buffer is filled completely (the last entry cut short); resuming from the last
  // whole entry's cookie eventually visits every entry exactly once.
  std::multiset<std::string> seen;
  uint64_t cookie = 0;
  for (int rounds = 0; rounds < 100; ++rounds) {
    CHECK(h.call("fd_readdir", {Val::i32(3), Val::i32(0x1000), Val::i32(64),
                                Val::i64(int64_t(cookie)), Val::i32(0x20)}) == kSuccess);
    used = h.u32(0x20);
    auto chunk = parse_dirents(h, 0x1000, used);
    for (auto& [name, d] : chunk) seen.insert(name);
    if (used < 64) break;
    REQUIRE(!chunk.empty());
    cookie = chunk.back().second.next;
  }
  CHECK(seen.size() == 23);
  CHECK(std::set<std::string>(seen.begin(), seen.end()).size() == 23);
  CHECK(h.call("fd_readdir", {Val::i32(1), Val::i32(0x1000), Val::i32(64), Val::i64(0),
                              Val::i32(0x20)}) == kNotdir);
}

TEST_CASE("p1: poll_oneoff clocks and streams", "[wasi][p1]") {
  Harness h;
  // subscription: userdata @0, tag u8 @8, clock {id u32 @16, timeout u64 @24, precision @32,
  // flags u16 @40}; fd_readwrite {fd u32 @16}. event: userdata @0, error u16 @8, type u8 @10,
  // nbytes u64 @16, flags u16 @24.
  auto clock_sub = [&](uint32_t at, uint64_t userdata, uint64_t timeout_ns) {
    std::memset(h.mem() + at, 0, 48);
    h.put_u64(at, userdata);
    h.mem()[at + 8] = 0;
    h.put_u32(at + 16, 1);  // monotonic
    h.put_u64(at + 24, timeout_ns);
  };
  clock_sub(0x100, 0x1234, 1'000'000);
  std::memset(h.mem() + 0x400, 0xee, 64);
  CHECK(h.call("poll_oneoff", {Val::i32(0x100), Val::i32(0x400), Val::i32(1), Val::i32(0x20)}) ==
        kSuccess);
  CHECK(h.u32(0x20) == 1);
  CHECK(h.u64(0x400) == 0x1234);
  CHECK(h.u16(0x408) == 0);
  CHECK(h.u8(0x40a) == 0);
  CHECK(h.u64(0x410) == 0);

  // A writable stream beats a long timeout.
  clock_sub(0x100, 1, 10'000'000'000);
  std::memset(h.mem() + 0x130, 0, 48);
  h.put_u64(0x130, 2);
  h.mem()[0x138] = 2;   // fd_write
  h.put_u32(0x140, 1);  // stdout
  CHECK(h.call("poll_oneoff", {Val::i32(0x100), Val::i32(0x400), Val::i32(2), Val::i32(0x20)}) ==
        kSuccess);
  REQUIRE(h.u32(0x20) == 1);
  CHECK(h.u64(0x400) == 2);
  CHECK(h.u8(0x40a) == 2);

  // A bad descriptor is reported as an event with an error.
  h.put_u32(0x140, 77);
  CHECK(h.call("poll_oneoff", {Val::i32(0x100), Val::i32(0x400), Val::i32(2), Val::i32(0x20)}) ==
        kSuccess);
  REQUIRE(h.u32(0x20) == 1);
  CHECK(h.u16(0x408) == kBadf);

  CHECK(h.call("poll_oneoff", {Val::i32(0x100), Val::i32(0x400), Val::i32(0), Val::i32(0x20)}) ==
        kInval);
  h.mem()[0x108] = 9;  // bad tag
  CHECK(h.call("poll_oneoff", {Val::i32(0x100), Val::i32(0x400), Val::i32(1), Val::i32(0x20)}) ==
        kInval);
  require_trap(
      h.try_call("poll_oneoff", {Val::i32(0x104), Val::i32(0x400), Val::i32(1), Val::i32(0x20)}),
      TrapCode::HostTrap);
  require_trap(
      h.try_call("poll_oneoff", {Val::i32(0xfff0), Val::i32(0x400), Val::i32(1), Val::i32(0x20)}),
      TrapCode::MemoryOutOfBounds);
}

TEST_CASE("p1: sockets", "[wasi][p1]") {
  int sv[2];
  REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) == 0);
  auto sock = host::Socket::adopt(host::OwnedFd(sv[0]));
  REQUIRE(sock);
  Harness h(std::move(WasiCtxBuilder().preopen_socket(*sock)));
  // No preopened directories: the socket is fd 3.
  CHECK(h.call("fd_fdstat_get", {Val::i32(3), Val::i32(0x40)}) == kSuccess);
  CHECK(h.u8(0x40) == 6);  // socket_stream
  h.put_bytes(0x100, "ping");
  h.put_u32(0x10, 0x100);
  h.put_u32(0x14, 4);
  CHECK(h.call("sock_send", {Val::i32(3), Val::i32(0x10), Val::i32(1), Val::i32(0),
                             Val::i32(0x20)}) == kSuccess);
  CHECK(h.u32(0x20) == 4);
  char buf[8];
  CHECK(::read(sv[1], buf, sizeof buf) == 4);
  CHECK(::write(sv[1], "pong!", 5) == 5);
  h.put_u32(0x14, 8);
  CHECK(h.call("sock_recv", {Val::i32(3), Val::i32(0x10), Val::i32(1), Val::i32(0), Val::i32(0x20),
                             Val::i32(0x24)}) == kSuccess);
  CHECK(h.u32(0x20) == 5);
  CHECK(h.u16(0x24) == 0);
  CHECK(h.str(0x100, 5) == "pong!");
  CHECK(h.call("sock_send",
               {Val::i32(3), Val::i32(0x10), Val::i32(1), Val::i32(1), Val::i32(0x20)}) == kInval);
  CHECK(h.call("sock_shutdown", {Val::i32(3), Val::i32(0)}) == kInval);
  CHECK(h.call("sock_shutdown", {Val::i32(3), Val::i32(2)}) == kSuccess);
  CHECK(::read(sv[1], buf, sizeof buf) == 0);
  CHECK(h.call("sock_accept", {Val::i32(3), Val::i32(0), Val::i32(0x20)}) != kSuccess);
  CHECK(h.call("sock_accept", {Val::i32(1), Val::i32(0), Val::i32(0x20)}) == kNotsock);
  ::close(sv[1]);
}

TEST_CASE("p1: run_command maps proc_exit to an exit code", "[wasi][p1]") {
  const char* wat = R"((module
    (import "wasi_snapshot_preview1" "proc_exit" (func $exit (param i32)))
    (memory (export "memory") 1)
    (func (export "_start") (call $exit (i32.const 7)) unreachable)))";
  Engine engine;
  Store store(engine);
  auto module = Module::compile(engine, {reinterpret_cast<const uint8_t*>(wat), std::strlen(wat)});
  REQUIRE(module);
  auto ctx = WasiCtxBuilder().build();
  REQUIRE(ctx);
  Linker linker(engine);
  REQUIRE(add_to_linker(linker, *ctx));
  auto inst = linker.instantiate(store, *module);
  REQUIRE(inst);
  auto code = run_command(store, *inst);
  REQUIRE(code);
  CHECK(*code == 7);
}

TEST_CASE("p1: a missing preopen directory fails the build", "[wasi][p1]") {
  auto ctx = WasiCtxBuilder().dir_option("/nonexistent/zinc::/x").build();
  REQUIRE(!ctx);
  CHECK(ctx.error().message.find("/nonexistent/zinc") != std::string::npos);
}

}  // namespace
}  // namespace zinc::wasi::p1
