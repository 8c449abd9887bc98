// vm/interp/interp.h: running wasm functions in the threaded interpreter.
//
// `execute` runs one call from the host: the arguments are already in the store's value stack
// at `fp` (slot convention of runtime.h); on success the results are at fp[0..]. Nested calls
// (wasm -> host -> wasm) each run their own `execute` on the same value stack and frame stack.
#pragma once

#include <optional>

#include "vm/runtime.h"

namespace zinc::vm::interp {

/// How an execution ended, beyond success.
struct ExecOutcome {
  TrapCode trap = TrapCode::None;
  std::vector<FrameInfo> frames;     // wasm backtrace when trapped, innermost first
  std::optional<Error> host_error;   // a host function's error (incl. Exit) that unwound wasm
  std::string message;               // extra text (e.g. a translation failure)
};

/// Runs wasm function `func` with arguments at `fp`. `fp` must be inside the store's value
/// stack, at or above stack_top. Returns false (with `out` filled) on a trap or host error.
bool execute(StoreImpl& store, FuncInst* func, Slot* fp, ExecOutcome* out);

/// Calls a host function with arguments at `slots` (results written there); `caller` is the
/// calling instance or null when called from the host.
Result<void> call_host(StoreImpl& store, FuncInst* func, Slot* slots, InstanceInst* caller);

}  // namespace zinc::vm::interp
