// zinc/trap.h: traps as values: a code from traps.def, the spec's message and a wasm backtrace.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace zinc {

enum class TrapCode : uint8_t {
  None = 0,
#define T(Name, text) Name,
#include "zinc/traps.def"
#undef T
};

/// The spec's wording for a trap ("integer divide by zero", ...); "" for None.
constexpr std::string_view trap_message(TrapCode code) {
  switch (code) {
    case TrapCode::None:
      return "";
#define T(Name, text)  \
  case TrapCode::Name: \
    return text;
#include "zinc/traps.def"
#undef T
  }
  return "unknown trap";
}

/// One wasm frame of a trap's backtrace, innermost first.
struct FrameInfo {
  std::string module_name;     // from the name section, or empty
  uint32_t func_index = 0;     // in the module's function index space
  std::string func_name;       // from the name section, or empty
  uint32_t module_offset = 0;  // byte offset in the module of the trapping/calling instruction
  bool has_offset = false;     // false when the exact instruction is not known
};

struct Trap {
  TrapCode code = TrapCode::None;
  std::string message;             // trap_message(code), or a host function's own text
  std::vector<FrameInfo> frames;   // innermost first

  /// "    0: 0x1a2b - module!func" lines, as Wasmtime prints them.
  std::string backtrace() const;
};

}  // namespace zinc
