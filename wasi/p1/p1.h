// wasi/p1/p1.h: WASI Preview 1 (`wasi_snapshot_preview1`) for core modules — the entry point.
//
//   auto ctx = zinc::wasi::p1::WasiCtxBuilder()
//                  .args({"prog.wasm", "arg"})
//                  .env("KEY", "value")
//                  .dir_option("/host/data::/data")
//                  .build();
//   zinc::Linker linker(engine);
//   zinc::wasi::p1::add_to_linker(linker, *ctx);
//   auto instance = linker.instantiate(store, module);
//   auto exit_code = zinc::wasi::p1::run_command(store, *instance);
//
// Every function of the witx module is defined (functions.def). Calls return WASI errnos; bad
// guest pointers trap; proc_exit ends the program with an Error of kind Exit.
// Spec: https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/docs.md
#pragma once

#include <memory>
#include <string_view>

#include "wasi/p1/ctx.h"
#include "zinc/engine.h"
#include "zinc/module.h"
#include "zinc/result.h"

namespace zinc::wasi::p1 {

inline constexpr std::string_view kModuleName = "wasi_snapshot_preview1";

/// Defines every wasi_snapshot_preview1 function in `linker`, operating on `ctx`. The context
/// must belong to one store at a time (it holds that program's descriptors).
Result<void> add_to_linker(Linker& linker, std::shared_ptr<WasiCtx> ctx);

/// Runs a WASI command: calls the instance's `_start` export (type [] -> []). Returns the exit
/// code: 0 when _start returns, N after proc_exit(N). Traps and other failures are errors.
Result<int> run_command(Store& store, const Instance& instance);

}  // namespace zinc::wasi::p1
