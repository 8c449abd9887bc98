// vm/interp/translate.h: wasm function bodies to the interpreter's internal code.
//
// `translate` runs the shared FunctionDecoder (decoder/function_decoder.h) over a validated body
// with the Translator interface, which keeps an abstract operand stack whose entries are either
// in their home slot, still a local (local.get folded into the consumer) or still a constant
// (folded as an immediate where a variant exists), and emits register-style instructions
// (code.h). Block boundaries put values in their home slots, so control-flow merges need no
// moves; branches copy only the values their label carries, and only when the slots differ.
#pragma once

#include <memory>
#include <string>

#include "vm/interp/code.h"

namespace zinc::vm {
struct CompiledModule;
}

namespace zinc::vm::interp {

/// Options that change the emitted code (not its meaning).
struct TranslateOptions {
  bool bounds_checks = false;  // explicit memory bounds checks (MemoryMode::BoundsChecks)
  bool fuel = false;           // charge fuel per basic block
  bool epoch = false;          // check the epoch at function entry and loop headers
};

/// Translates defined function `func_index` (function index space) of `cm`. The module is
/// validated, so failure means an implementation limit (reported in `error`).
std::unique_ptr<FuncCode> translate(const CompiledModule& cm, uint32_t func_index,
                                    const TranslateOptions& options, std::string* error);

/// The interpreter's handler addresses, indexed by IOp (interp.cc).
const void* const* handler_table();

}  // namespace zinc::vm::interp
