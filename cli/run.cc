// cli/run.cc: `zinc run [OPTIONS] FILE [ARGS...]` (also the default command).
//
// Runs a core module (.wasm or .wat) or a component (run_component.cc): links the WASI Preview 1 host when the module imports it,
// calls `_initialize` if exported, then `--invoke NAME` with ARGS as its arguments (results
// printed one per line) or `_start` with ARGS as the program's arguments.
// Exit status as Wasmtime: the guest's proc_exit code; 1 for host-side errors (unreadable or
// invalid module, unknown import -- named); 134 with `Error: ...`, the wasm backtrace and
// `wasm trap: MESSAGE` on stderr when the guest traps; 2 for usage errors.
#include <chrono>
#include <cinttypes>
#include <cmath>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "cli/commands.h"
#include "cli/file_io.h"
#include "cli/run_component.h"
#include "cli/run_wasi.h"
#include "decoder/decode.h"
#include "zinc/zinc.h"

namespace zinc::cli {

namespace {

constexpr int kExitTrap = 134;

struct RunOptions {
  std::string file;
  std::vector<std::string> args;
  std::string invoke;
  std::vector<std::string> dirs;
  std::vector<std::string> envs;
  std::vector<std::string> wasi_opts;  // -S
  std::vector<std::string> allow_ips;  // --allow-ip
  std::vector<std::string> links;
  std::string tier = "interp";
  std::string memory = "guard";
  uint64_t fuel = 0;
  bool has_fuel = false;
  std::string timeout;
  uint64_t max_memory = 0;
  bool has_max_memory = false;
};

/// "10", "10s", "500ms", "2m", "1h", "250us" -> nanoseconds; false when malformed.
bool parse_duration(const std::string& text, std::chrono::nanoseconds* out) {
  size_t i = 0;
  while (i < text.size() && (std::isdigit(static_cast<unsigned char>(text[i])) || text[i] == '.')) {
    ++i;
  }
  if (i == 0) return false;
  double value = 0;
  try {
    value = std::stod(text.substr(0, i));
  } catch (...) {
    return false;
  }
  const std::string unit = text.substr(i);
  double scale = 1e9;
  if (unit.empty() || unit == "s") {
    scale = 1e9;
  } else if (unit == "ms") {
    scale = 1e6;
  } else if (unit == "us") {
    scale = 1e3;
  } else if (unit == "ns") {
    scale = 1;
  } else if (unit == "m") {
    scale = 60e9;
  } else if (unit == "h") {
    scale = 3600e9;
  } else {
    return false;
  }
  const double ns = value * scale;
  if (!std::isfinite(ns) || ns < 0 || ns > 9e18) return false;
  *out = std::chrono::nanoseconds(static_cast<int64_t>(ns));
  return true;
}

/// Parses a --invoke argument as a value of type `t` (integers in decimal or 0x hex, floats as
/// C literals incl. nan/inf).
bool parse_arg(const std::string& s, ValType t, Val* out) {
  char* end = nullptr;
  errno = 0;
  switch (t) {
    case ValType::I32: {
      const long long v = std::strtoll(s.c_str(), &end, 0);
      if (*end != 0 || errno != 0 || v < INT32_MIN || v > UINT32_MAX) return false;
      *out = Val::i32(static_cast<int32_t>(static_cast<uint32_t>(v)));
      return true;
    }
    case ValType::I64: {
      if (!s.empty() && s[0] == '-') {
        const long long v = std::strtoll(s.c_str(), &end, 0);
        if (*end != 0 || errno != 0) return false;
        *out = Val::i64(v);
      } else {
        const unsigned long long v = std::strtoull(s.c_str(), &end, 0);
        if (*end != 0 || errno != 0) return false;
        *out = Val::i64(static_cast<int64_t>(v));
      }
      return true;
    }
    case ValType::F32: {
      const float v = std::strtof(s.c_str(), &end);
      if (*end != 0) return false;
      *out = Val::f32(v);
      return true;
    }
    case ValType::F64: {
      const double v = std::strtod(s.c_str(), &end);
      if (*end != 0) return false;
      *out = Val::f64(v);
      return true;
    }
    default:
      return false;
  }
}

std::string format_val(const Val& v) {
  char buf[64];
  switch (v.type()) {
    case ValType::I32:
      return std::to_string(v.i32());
    case ValType::I64:
      return std::to_string(v.i64());
    case ValType::F32:
      std::snprintf(buf, sizeof buf, "%.9g", static_cast<double>(v.f32()));
      return buf;
    case ValType::F64:
      std::snprintf(buf, sizeof buf, "%.17g", v.f64());
      return buf;
    case ValType::V128: {
      std::string s = "0x";
      for (int i = 15; i >= 0; --i) {
        std::snprintf(buf, sizeof buf, "%02x", v.v128().bytes[i]);
        s += buf;
      }
      return s;
    }
    case ValType::FuncRef:
      return v.is_null() ? "null" : "<funcref>";
    case ValType::ExternRef:
      return v.is_null() ? "null" : "<externref " + std::to_string(v.externref()->value) + ">";
  }
  return "?";
}

/// Prints an execution error the way Wasmtime does and returns the exit status.
int report_error(const std::string& file, const Error& e) {
  if (e.kind == ErrorKind::Exit) return e.exit_code;
  if (e.kind == ErrorKind::Trap && e.trap) {
    std::fprintf(stderr, "Error: failed to run main module `%s`\n\nCaused by:\n", file.c_str());
    std::string trace = e.trap->backtrace();
    if (!trace.empty()) {
      std::fprintf(stderr, "    0: error while executing at wasm backtrace:\n");
      size_t start = 0;
      while (start < trace.size()) {
        const size_t nl = trace.find('\n', start);
        std::fprintf(stderr, "       %s\n", trace.substr(start, nl - start).c_str());
        start = nl == std::string::npos ? trace.size() : nl + 1;
      }
      std::fprintf(stderr, "    1: wasm trap: %s\n", e.trap->message.c_str());
    } else {
      std::fprintf(stderr, "    0: wasm trap: %s\n", e.trap->message.c_str());
    }
    return kExitTrap;
  }
  std::fprintf(stderr, "Error: %s\n", e.message.c_str());
  return kExitFailure;
}

/// Bumps the engine's epoch once after `timeout` unless cancelled first.
class Watchdog {
 public:
  Watchdog(const Engine& engine, std::chrono::nanoseconds timeout)
      : thread_([this, engine, timeout] {
          std::unique_lock<std::mutex> lock(mutex_);
          if (!cv_.wait_for(lock, timeout, [this] { return done_; })) engine.increment_epoch();
        }) {}
  ~Watchdog() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      done_ = true;
    }
    cv_.notify_all();
    thread_.join();
  }

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool done_ = false;
  std::thread thread_;
};

int run(const RunOptions& opts) {
  Config config;
  config.tier = Tier::Interp;
  config.memory_mode = opts.memory == "bounds" ? MemoryMode::BoundsChecks : MemoryMode::GuardPages;
  config.consume_fuel = opts.has_fuel;
  std::chrono::nanoseconds timeout{0};
  if (!opts.timeout.empty()) {
    if (!parse_duration(opts.timeout, &timeout)) {
      std::fprintf(stderr, "zinc run: invalid --timeout '%s' (e.g. 10s, 500ms)\n",
                   opts.timeout.c_str());
      return kExitUsage;
    }
    config.epoch_interruption = true;
  }
  Engine engine(config);

  auto bytes = read_whole_file(opts.file);
  if (!bytes) {
    std::fprintf(stderr, "Error: %s\n", bytes.error().message.c_str());
    return kExitFailure;
  }
  if (looks_like_component_text(*bytes)) {
    bytes = to_binary(opts.file, std::move(*bytes));  // the component text encoder
    if (!bytes) {
      std::fprintf(stderr, "Error: failed to compile `%s`: %s\n", opts.file.c_str(),
                   bytes.error().message.c_str());
      return kExitFailure;
    }
  }
  const bool is_component =
      decoder::detect_binary_kind(*bytes) == decoder::BinaryKind::Component;
  auto module = is_component ? Result<Module>(unexpected(Error{}))
                             : Module::compile(engine, *bytes,
                                               std::filesystem::path(opts.file).filename().string());
  if (!is_component && !module) {
    std::fprintf(stderr, "Error: failed to compile `%s`: %s\n", opts.file.c_str(),
                 module.error().message.c_str());
    return kExitFailure;
  }

  Store store(engine);
  StoreLimits limits;
  if (opts.has_max_memory) limits.max_memory_bytes = opts.max_memory;
  store.set_limits(limits);
  if (opts.has_fuel) (void)store.set_fuel(opts.fuel);
  if (config.epoch_interruption) store.set_epoch_deadline(1);

  if (!is_component && !opts.links.empty()) {
    std::fprintf(stderr, "Error: --link applies to components; `%s` is a core module\n",
                 opts.file.c_str());
    return kExitUsage;
  }
  if (is_component) {
    std::optional<Watchdog> watchdog;
    if (config.epoch_interruption) watchdog.emplace(engine, timeout);
    ComponentRun run{opts.file, opts.invoke, opts.args, opts.links, {}};
    run.wasi.program = opts.file;
    run.wasi.args = opts.invoke.empty() ? opts.args : std::vector<std::string>{};
    run.wasi.dirs = opts.dirs;
    run.wasi.envs = opts.envs;
    run.wasi.wasi_options = opts.wasi_opts;
    run.wasi.allow_ips = opts.allow_ips;
    return run_component(run, engine, store, *bytes, &report_error);
  }

  Linker linker(engine);
  WasiSetup wasi;
  wasi.program = opts.file;
  wasi.args = opts.invoke.empty() ? opts.args : std::vector<std::string>{};
  wasi.dirs = opts.dirs;
  wasi.envs = opts.envs;
  wasi.wasi_options = opts.wasi_opts;
  wasi.allow_ips = opts.allow_ips;
  {
    Result<void> r = add_wasi(linker, wasi);
    if (!r.ok()) {
      std::fprintf(stderr, "Error: %s\n", r.error().message.c_str());
      return kExitUsage;
    }
  }

  std::optional<Watchdog> watchdog;
  if (config.epoch_interruption) watchdog.emplace(engine, timeout);

  auto instance = linker.instantiate(store, *module);
  if (!instance) return report_error(opts.file, instance.error());

  if (auto init = instance->get_func(store, "_initialize")) {
    auto r = init->call(store, {});
    if (!r.ok()) return report_error(opts.file, r.error());
  }

  if (!opts.invoke.empty()) {
    auto func = instance->get_func(store, opts.invoke);
    if (!func) {
      std::fprintf(stderr, "Error: module has no exported function `%s`\n", opts.invoke.c_str());
      return kExitFailure;
    }
    const FuncType type = func->type(store);
    if (opts.args.size() != type.params.size()) {
      std::fprintf(stderr, "Error: `%s` takes %zu arguments, %zu given\n", opts.invoke.c_str(),
                   type.params.size(), opts.args.size());
      return kExitUsage;
    }
    std::vector<Val> args;
    for (size_t i = 0; i < opts.args.size(); ++i) {
      Val v;
      if (!parse_arg(opts.args[i], type.params[i], &v)) {
        std::fprintf(stderr, "Error: argument %zu `%s` is not a valid %s\n", i + 1,
                     opts.args[i].c_str(), to_string(type.params[i]));
        return kExitUsage;
      }
      args.push_back(v);
    }
    auto results = func->call(store, args);
    if (!results.ok()) return report_error(opts.file, results.error());
    for (const Val& v : *results) std::printf("%s\n", format_val(v).c_str());
    std::fflush(stdout);
    return kExitOk;
  }

  auto start = instance->get_func(store, "_start");
  if (!start) {
    if (instance->get_func(store, "_initialize")) return kExitOk;  // a reactor: initialised
    std::fprintf(stderr,
                 "Error: module exports no `_start` function; use --invoke NAME to call an "
                 "export\n");
    return kExitFailure;
  }
  auto r = start->call(store, {});
  std::fflush(stdout);
  if (!r.ok()) return report_error(opts.file, r.error());
  return kExitOk;
}

}  // namespace

void add_run_command(CLI::App& app, int* status) {
  auto opts = std::make_shared<RunOptions>();
  CLI::App* cmd = app.add_subcommand("run", "Run a WebAssembly module (the default command)");
  cmd->add_option("file", opts->file, "Module (.wasm or .wat)")->required();
  cmd->add_option("args", opts->args, "Arguments: the program's, or --invoke's");
  cmd->add_option("--invoke", opts->invoke, "Call this export instead of _start; prints results");
  // One value per occurrence (repeat the option): a vector option would otherwise swallow FILE.
  cmd->add_option("--dir", opts->dirs, "Preopen a host directory: HOST[::GUEST] (repeatable)")
      ->allow_extra_args(false);
  cmd->add_option("--env", opts->envs,
                  "Guest environment variable: NAME=VALUE, or NAME to inherit (repeatable)")
      ->allow_extra_args(false);
  cmd->add_option("-S", opts->wasi_opts,
                  "WASI option (as Wasmtime's): inherit-network, allow-ip-name-lookup, tcp=n, "
                  "udp=n (repeatable or comma-separated)")
      ->allow_extra_args(false);
  cmd->add_option("--allow-ip", opts->allow_ips,
                  "Let the guest's sockets use the addresses of CIDR (127.0.0.0/8, ::1; "
                  "repeatable)")
      ->allow_extra_args(false);
  cmd->add_option("--link", opts->links,
                  "Components: instantiate FILE first; its export NAME (or its whole instance) "
                  "satisfies the import NAME: NAME=FILE (repeatable)")
      ->allow_extra_args(false);
  cmd->add_option("--tier", opts->tier, "Execution tier: interp")->check(CLI::IsMember({"interp"}));
  cmd->add_option("--memory", opts->memory, "Linear memory mode: guard or bounds")
      ->check(CLI::IsMember({"guard", "bounds"}));
  cmd->add_option("--fuel", opts->fuel, "Trap after N units of fuel (about one per instruction)")
      ->each([opts](const std::string&) { opts->has_fuel = true; });
  cmd->add_option("--timeout", opts->timeout, "Trap with 'interrupt' after DURATION (10s, 500ms)");
  cmd->add_option("--max-memory-size", opts->max_memory, "Maximum bytes of each linear memory")
      ->each([opts](const std::string&) { opts->has_max_memory = true; });
  // Everything after FILE belongs to the guest, options included.
  cmd->positionals_at_end(false);
  cmd->prefix_command(true);
  cmd->footer(
      "Options go before FILE; everything after FILE is passed to the guest (or to --invoke).\n\n"
      "Network (WASI 0.2 sockets): nothing by default. -S inherit-network allows every address,\n"
      "--allow-ip CIDR those in CIDR; -S allow-ip-name-lookup allows name lookups (implied by\n"
      "inherit-network); -S tcp=n / -S udp=n turn a protocol off.\n\n"
      "Exit status: the guest's exit code; 1 host error (unreadable or invalid module, unknown\n"
      "import); 2 usage error; 134 the guest trapped.");
  cmd->callback([opts, cmd, status] {
    for (const std::string& extra : cmd->remaining()) opts->args.push_back(extra);
    *status = run(*opts);
  });
}

}  // namespace zinc::cli
