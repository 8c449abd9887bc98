// component/wave.h: parsing WAVE text (WebAssembly Value Encoding) into component values.
//
// WAVE is the value syntax of `zinc run --invoke 'name(arg, ...)'` and Wasmtime's CLI:
// true, 123, -9, 3.14, nan, -inf, 'x', "text", """multi-line""", (tuple), [list],
// {field: value} (option fields may be omitted), case / case(payload), some(x) / none /
// "flat" options, ok / ok(x) / err(x) / flat ok, {flag, ...}, %keyword labels, // comments.
// Parsing is directed by the expected type, so the same text means a variant case or a
// bool as the type says. Errors name the column and what was expected.
// Spec: https://github.com/bytecodealliance/wasm-tools/tree/main/crates/wasm-wave (README and
// wave_ebnf.md).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "zinc/component/types.h"
#include "zinc/component/val.h"
#include "zinc/result.h"

namespace zinc::component {

/// Parses one value of type `t` (surrounding whitespace and comments allowed).
Result<Val> parse_wave(std::string_view text, TypeRef t);

/// An invocation `name(arg, ...)`: the name (a plain or `%`-escaped label, or an
/// interface-qualified name such as `wasi:cli/run#run` or `[method]res.get`) and the text of
/// its arguments split at top-level commas. Arguments are parsed later against the function's
/// parameter types (parse_wave).
struct Invocation {
  std::string name;
  std::vector<std::string> args;
};
Result<Invocation> parse_invocation(std::string_view text);

}  // namespace zinc::component
