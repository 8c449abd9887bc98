// component/text/values.h: the component side of WAST scripts: component values and
// component script modules.
//
// decoder/text/wast.h parses scripts without knowing the Component Model (decoder/ sits below
// component/): a `(component ...)` command keeps its text like a module does (ScriptModule
// with `component` set), and a component value argument or result (`(str.const "x")`,
// `(record.const (field "a" u32.const 1))`, ...) is kept as its source text (Value::Kind::
// Component). This file turns both into what the component runtime consumes: a component
// binary, and a `Val` tree (include/zinc/component/val.h).
// Value syntax (the wast crate's `WastVal`): bool.const true|false; u8/s8/u16/s16/u32/s32/
// u64/s64.const INT; f32/f64.const FLOAT; char.const "c" (one scalar value); str.const "s";
// list.const v*; tuple.const v*; record.const (field "l" kind.const ...)* (the field's value
// without parentheses, as wast writes it; a parenthesized one is accepted); variant.const "l" v?;
// enum.const "l"; option.none; option.some v; result.ok v?; result.err v?; flags.const "l"*.
// Signed integers accept both the signed and the unsigned range of their width (s8.const 255
// is -1); unsigned ones only the unsigned range.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "component/text/component_text.h"
#include "decoder/text/wast.h"
#include "zinc/component/val.h"

namespace zinc::component::text {

/// The binary encoding of a script component (text, quote or binary form).
TextResult<std::vector<uint8_t>> encode_script_component(const decoder::text::ScriptModule& m,
                                                         std::string_view filename = {});

/// A component value of a script: a Kind::Component value is parsed from its text; a core
/// `f32.const`/`f64.const` (the same syntax in both worlds) becomes an f32/f64 Val. Any other
/// core value is an error (it has no component type).
TextResult<Val> script_value(const decoder::text::Value& v, std::string_view filename = {});

/// Parses one component value, `(kind.const ...)`, from `text` (which starts at `start`).
TextResult<Val> parse_component_value(std::string_view text, Position start = {});

}  // namespace zinc::component::text
