// wasi/p2/cli.cc: wasi:cli 0.2 -- environment (arguments, variables, initial-cwd), exit and
// exit-with-code, stdin/stdout/stderr streams and the terminal-* interfaces.
//
// `exit` ends the program with an Error of kind Exit (the CLI's exit code), as Preview 1's
// proc_exit does. Each get-stdout (etc.) call returns a new stream over the same host object.
#include "wasi/p2/host.h"

namespace zinc::wasi::p2 {

namespace {

struct TerminalRes : Resource {
  explicit TerminalRes(Kind k) : Resource(k) {}
};

Ret get_environment(Host& h, std::span<const cm::Val>) {
  std::vector<cm::Val> items;
  items.reserve(h.config.env.size());
  for (const std::string& kv : h.config.env) {
    const size_t eq = kv.find('=');
    std::string k = kv.substr(0, eq), v = eq == std::string::npos ? "" : kv.substr(eq + 1);
    items.push_back(cm::Val::tuple({cm::Val::string(std::move(k)), cm::Val::string(std::move(v))}));
  }
  return ret(cm::Val::list(std::move(items)));
}

Ret get_arguments(Host& h, std::span<const cm::Val>) {
  std::vector<cm::Val> items;
  for (const std::string& a : h.config.args) items.push_back(cm::Val::string(a));
  return ret(cm::Val::list(std::move(items)));
}

Ret initial_cwd(Host&, std::span<const cm::Val>) { return ret(cm::Val::option({})); }

Ret exit_with(int code) {
  Error e;
  e.kind = ErrorKind::Exit;
  e.exit_code = code;
  e.message = "exit with code " + std::to_string(code);
  return unexpected(std::move(e));
}
Ret exit(Host&, std::span<const cm::Val> a) { return exit_with(a[0].is_ok ? 0 : 1); }
Ret exit_with_code(Host&, std::span<const cm::Val> a) {
  return exit_with(static_cast<int>(a[0].bits & 0xff));
}

Ret get_stdin(Host& h, std::span<const cm::Val>) {
  return ret(h.own(make_input_stream(h.config.stdin_stream)));
}
Ret get_stdout(Host& h, std::span<const cm::Val>) {
  return ret(h.own(make_output_stream(h.config.stdout_stream)));
}
Ret get_stderr(Host& h, std::span<const cm::Val>) {
  return ret(h.own(make_output_stream(h.config.stderr_stream)));
}

Ret terminal(Host& h, bool is_terminal, Kind k) {
  if (!is_terminal) return ret(cm::Val::option({}));
  auto t = h.own(std::make_shared<TerminalRes>(k));
  if (!t.ok()) return unexpected(t.error());
  return ret(cm::Val::option({std::move(*t)}));
}
Ret get_terminal_stdin(Host& h, std::span<const cm::Val>) {
  return terminal(h, h.config.stdin_stream->is_terminal(), Kind::TerminalInput);
}
Ret get_terminal_stdout(Host& h, std::span<const cm::Val>) {
  return terminal(h, h.config.stdout_stream->is_terminal(), Kind::TerminalOutput);
}
Ret get_terminal_stderr(Host& h, std::span<const cm::Val>) {
  return terminal(h, h.config.stderr_stream->is_terminal(), Kind::TerminalOutput);
}

constexpr FuncDef kFuncs[] = {
    {"wasi:cli/environment", "get-environment", get_environment},
    {"wasi:cli/environment", "get-arguments", get_arguments},
    {"wasi:cli/environment", "initial-cwd", initial_cwd},
    {"wasi:cli/exit", "exit", exit},
    {"wasi:cli/exit", "exit-with-code", exit_with_code},
    {"wasi:cli/stdin", "get-stdin", get_stdin},
    {"wasi:cli/stdout", "get-stdout", get_stdout},
    {"wasi:cli/stderr", "get-stderr", get_stderr},
    {"wasi:cli/terminal-stdin", "get-terminal-stdin", get_terminal_stdin},
    {"wasi:cli/terminal-stdout", "get-terminal-stdout", get_terminal_stdout},
    {"wasi:cli/terminal-stderr", "get-terminal-stderr", get_terminal_stderr},
};

}  // namespace

std::span<const FuncDef> cli_funcs() { return kFuncs; }

}  // namespace zinc::wasi::p2
