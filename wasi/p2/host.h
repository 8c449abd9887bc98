// wasi/p2/host.h: the WASI 0.2 host's state and the conventions every interface file
// (io.cc, clocks.cc, random.cc, cli.cc, filesystem.cc, sockets.cc) follows.
//
// Marshaling is not written per function. The function types come from the WIT declarations
// in wasi/p2/wit/ (resolved by component/wit at link time); the Canonical ABI's generic
// value path moves arguments and results between guest memory and `Val`s of exactly those
// types; each WIT function is bound to a `Handler` by a row of a `FuncDef` table (one table
// per interface file, linker.cc walks them). A handler reads its arguments by position
// (the WIT parameter order) and returns a Val of the WIT result type; canon_lower checks
// the result against the type before storing it, so a handler's mistake traps instead of
// corrupting guest memory.
//
// Resources. Every WASI resource is a host object (`Resource` subclass) in one table; its
// index there is the `rep` the Component Model's handles carry (Linker::define_resource with
// the WIT's resource types). Host functions receive `borrow`/`own` arguments as reps
// (Host::get checks the object's kind). The guest dropping its handle runs Host::drop.
// Parent/child: an object made from another (a stream's pollable, a descriptor's directory
// entry stream...) records its parent; dropping a parent while it has live children traps
// ("resource has children"), as in Wasmtime, so no child outlives what it depends on.
// Invariants: the table holds at most kMaxResources objects (then calls trap); nothing a
// guest passes reaches an object of another kind; every guest-controlled size is capped
// before it reaches an allocation.
// Spec: https://github.com/WebAssembly/WASI/tree/main/proposals (0.2: wasi/p2/wit/)
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "wasi/host/config.h"
#include "wasi/host/errno.h"
#include "wasi/host/table.h"
#include "zinc/component.h"

namespace zinc::wasi::p2 {

namespace cm = zinc::component;

/// The WASI version whose WIT declarations the host implements; every 0.2.x import is served
/// by it (semver matching in component::Linker).
inline constexpr std::string_view kVersion = "0.2.12";

enum class Kind : uint8_t {
#define R(Name, iface, name) Name,
#include "wasi/p2/resources.def"
#undef R
  Count,
};
inline constexpr size_t kKinds = static_cast<size_t>(Kind::Count);
const char* kind_name(Kind k);  // the WIT resource name

/// A host object a guest holds handles to.
struct Resource {
  explicit Resource(Kind k) : kind(k) {}
  virtual ~Resource() = default;
  Resource(const Resource&) = delete;
  Resource& operator=(const Resource&) = delete;

  const Kind kind;
  std::optional<uint32_t> parent;  // the rep of the object this one depends on
  uint32_t children = 0;           // live objects whose parent this is
};

/// What a pollable waits for: a host descriptor's readiness, a monotonic-clock deadline, or a
/// readiness test (for sources without a descriptor). `fd` < 0 and no deadline and no test:
/// always ready.
struct PollSource {
  int fd = -1;
  bool want_read = false;
  bool want_write = false;
  std::optional<uint64_t> deadline_ns;  // monotonic clock
  std::function<bool()> ready_test;
};

/// wasi:io/poll pollable.
struct Pollable : Resource {
  explicit Pollable(PollSource s) : Resource(Kind::Pollable), source(std::move(s)) {}
  PollSource source;
};

/// wasi:io/error error: a message for to-debug-string, and the host error behind it when
/// there is one (wasi:filesystem's filesystem-error-code reports it).
struct ErrorRes : Resource {
  explicit ErrorRes(std::string m, std::optional<host::Errno> code = {})
      : Resource(Kind::Error), message(std::move(m)), errno_code(code) {}
  std::string message;
  std::optional<host::Errno> errno_code;
};

/// The outcome of a stream operation that did not succeed (wasi:io/streams stream-error).
struct StreamError {
  bool closed = false;  // else last-operation-failed with `message`
  std::string message;
  std::optional<host::Errno> code;  // the host error, when the failure came from one
  static StreamError at_end() { return {true, {}, {}}; }
  static StreamError failed(std::string m) { return {false, std::move(m), {}}; }
  static StreamError from(host::Errno e);
};

/// wasi:io/streams input-stream. Implementations: stdin (io.cc), files (filesystem.cc),
/// sockets (sockets.cc).
struct InputStreamRes : Resource {
  InputStreamRes() : Resource(Kind::InputStream) {}
  /// Reads at most `max` bytes into `out` (replacing its contents). Non-blocking: returns
  /// what is available now, possibly nothing. Blocking: waits for at least one byte. End of
  /// stream or failure: a StreamError.
  virtual std::optional<StreamError> read(uint64_t max, bool blocking, std::string& out) = 0;
  /// Skips at most `max` bytes (default: reads and discards); `*skipped` says how many.
  virtual std::optional<StreamError> skip(uint64_t max, bool blocking, uint64_t* skipped);
  /// What subscribe's pollable waits for (readable data or end of stream).
  virtual PollSource poll_source() = 0;
};

/// wasi:io/streams output-stream. Implementations as for InputStreamRes.
struct OutputStreamRes : Resource {
  OutputStreamRes() : Resource(Kind::OutputStream) {}
  /// Bytes a `write` may take now (0: not ready; may block for nothing). Error: closed/failed.
  virtual std::optional<StreamError> check_write(uint64_t* permitted) = 0;
  /// Writes all of `data` (at most what check_write permitted: the caller checks).
  virtual std::optional<StreamError> write(std::span<const uint8_t> data) = 0;
  /// Starts (non-blocking) or completes (blocking) a flush.
  virtual std::optional<StreamError> flush(bool blocking) = 0;
  /// What subscribe's pollable waits for (write permitted, or the stream closed).
  virtual PollSource poll_source() = 0;
  /// Most bytes check_write ever permits; blocking-write-and-flush takes at most 4096.
  static constexpr uint64_t kMaxBlockingWrite = 4096;
};

/// The per-store state of the WASI 0.2 host.
class Host {
 public:
  static constexpr uint32_t kMaxResources = 1u << 16;

  Host(host::WasiConfig config, cm::TypeTable& types);
  Host(const Host&) = delete;
  Host& operator=(const Host&) = delete;

  host::WasiConfig config;
  cm::TypeTable& types;
  /// The resource types of wasi/p2/wit/ (set by linker.cc).
  const cm::ResourceType* rt[kKinds] = {};

  /// Adds `r` (a child of `parent` when given); its rep, or a trap when the table is full.
  Result<uint32_t> push(std::shared_ptr<Resource> r, std::optional<uint32_t> parent = {});
  /// An own handle Val for a new object (push + host_handle).
  Result<cm::Val> own(std::shared_ptr<Resource> r, std::optional<uint32_t> parent = {});
  /// The object of kind `k` a handle argument names (trap: unknown rep or wrong kind).
  Result<std::shared_ptr<Resource>> get(const cm::Val& handle, Kind k);
  template <class T>
  Result<std::shared_ptr<T>> get(const cm::Val& handle, Kind k) {
    auto r = get(handle, k);
    if (!r.ok()) return unexpected(r.error());
    return std::static_pointer_cast<T>(*r);
  }
  /// The guest dropped its last handle to `rep` (the resource's destructor).
  Result<void> drop(uint32_t rep);
  /// Objects alive (for tests: nothing leaks after a run).
  size_t live() const { return table_.size(); }

  /// The Val of a stream-error (`closed`, or `last-operation-failed` with a new error).
  Result<cm::Val> stream_error(const StreamError& e);

  /// Host state of individual interfaces (created on first use by their files).
  std::shared_ptr<void> fs_state, socket_state;

 private:
  host::Table<Resource> table_;
};

// ---- handlers ----

using Ret = Result<std::optional<cm::Val>>;
using Handler = Ret (*)(Host& host, std::span<const cm::Val> args);

/// One WIT function bound to its implementation.
struct FuncDef {
  const char* iface;  // "wasi:io/streams" (no version)
  const char* name;   // component-level name: "[method]output-stream.write"
  Handler fn;
};

/// The WIT declarations (wasi/p2/wit/*.wit, embedded at build time): (file name, text).
std::span<const std::pair<const char*, const char*>> wit_sources();

/// The tables of the interface files.
std::span<const FuncDef> io_funcs();
std::span<const FuncDef> clocks_funcs();
std::span<const FuncDef> random_funcs();
std::span<const FuncDef> cli_funcs();
std::span<const FuncDef> filesystem_funcs();
std::span<const FuncDef> sockets_funcs();

// ---- Val helpers for handlers ----

inline Ret none() { return std::optional<cm::Val>(); }
inline Ret ret(cm::Val v) { return std::optional<cm::Val>(std::move(v)); }
inline cm::Val ok() { return cm::Val::result(true); }
inline cm::Val ok(cm::Val v) { return cm::Val::result(true, {std::move(v)}); }
inline cm::Val err(cm::Val v) { return cm::Val::result(false, {std::move(v)}); }
inline cm::Val bytes_val(std::string bytes) {
  return cm::Val::packed_list(cm::ValKind::U8, std::move(bytes));
}
/// The bytes of a list<u8> argument (either list form).
std::string bytes_of(const cm::Val& v);
/// A trap with `message` (the guest's call fails).
inline Ret trap(std::string message) { return api_error(ErrorKind::Trap, std::move(message)); }

/// Ret from a Result<Val> (for handlers that build a Val which may trap).
inline Ret ret(Result<cm::Val> v) {
  if (!v.ok()) return unexpected(v.error());
  return std::optional<cm::Val>(std::move(*v));
}

/// Blocks until the pollable source `s` is ready.
void block_on(const PollSource& s);
/// True when `s` is ready now.
bool is_ready(const PollSource& s);

}  // namespace zinc::wasi::p2

namespace zinc::wasi::p2 {

/// Streams over the host's stdio objects (io.cc), for wasi:cli's get-stdin/stdout/stderr.
std::shared_ptr<InputStreamRes> make_input_stream(std::shared_ptr<host::InputStream> in);
std::shared_ptr<OutputStreamRes> make_output_stream(std::shared_ptr<host::OutputStream> out);

}  // namespace zinc::wasi::p2
