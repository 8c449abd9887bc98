// wasi/p1/linker.cc: registers every function of functions.def with a zinc::Linker, and runs
// commands.
//
// Each wasm import becomes a host function whose signature is deduced from its implementation
// (impl::name's parameters after Env&), so the table in functions.def is the single source of
// the module's types.
#include "wasi/p1/impl.h"
#include "wasi/p1/p1.h"
#include "zinc/func.h"

namespace zinc::wasi::p1 {
namespace {

template <typename... A>
Result<void> define(Linker& linker, const char* name, std::shared_ptr<WasiCtx> ctx,
                    Errno (*fn)(Env&, A...)) {
  return linker.func_wrap(kModuleName, name,
                          [ctx, fn, name](Caller& caller, A... args) -> Result<int32_t> {
                            Env env(*ctx, caller, name);
                            Errno e = fn(env, args...);
                            if (e == Errno::Trap) return unexpected(env.take_error());
                            return static_cast<int32_t>(e);
                          });
}

// For proc_exit, which has no result: it always ends the call with an error (the exit).
template <typename... A>
Result<void> define_noret(Linker& linker, const char* name, std::shared_ptr<WasiCtx> ctx,
                          Errno (*fn)(Env&, A...)) {
  return linker.func_wrap(kModuleName, name,
                          [ctx, fn, name](Caller& caller, A... args) -> Result<void> {
                            Env env(*ctx, caller, name);
                            Errno e = fn(env, args...);
                            if (e == Errno::Trap) return unexpected(env.take_error());
                            return {};
                          });
}

}  // namespace

Result<void> add_to_linker(Linker& linker, std::shared_ptr<WasiCtx> ctx) {
  if (!ctx) return api_error(ErrorKind::Generic, "add_to_linker: no WASI context");
#define ZINC_P1_FUNC(name, ...) \
  if (auto r = define(linker, #name, ctx, &impl::name); !r) return r;
#define ZINC_P1_NORET(name, ...) \
  if (auto r = define_noret(linker, #name, ctx, &impl::name); !r) return r;
#include "wasi/p1/functions.def"
#undef ZINC_P1_NORET
#undef ZINC_P1_FUNC
  return {};
}

Result<int> run_command(Store& store, const Instance& instance) {
  auto start = instance.get_func(store, "_start");
  if (!start) return api_error(ErrorKind::Link, "the module exports no _start function");
  auto typed = start->typed<void()>(store);
  if (!typed) return unexpected(typed.error());
  auto r = typed->call(store);
  if (r.ok()) return 0;
  if (r.error().kind == ErrorKind::Exit) return r.error().exit_code;
  return unexpected(r.error());
}

}  // namespace zinc::wasi::p1
