// component/text/component_text.h: Component Model text (`(component ...)`) to the component
// binary format.
//
// One path to trust, as for core modules: a text component is encoded to the binary format
// (Binary.md) and then decoded and validated by `decode_component` like any other binary. The
// encoder checks only what the text format itself requires (syntax, identifier resolution in
// every index space, literal ranges); type and validity errors are left to the validator, so
// deliberately invalid components (assert_invalid) encode faithfully. Embedded core modules
// `(core module ...)` are encoded by the core text encoder (decoder/text/wat_parser.h)
// unchanged.
//
// The encoding follows wasm-tools' `wast` crate, the reference implementation of the text
// format, so the bytes match `wasm-tools parse` apart from name custom sections (not emitted):
//   * consecutive definitions of the same kind share one section;
//   * inline type uses and inline value types become type definitions placed just before the
//     definition that uses them (never deduplicated), innermost first;
//   * `$i "x"` references become `alias export` definitions placed just before their user,
//     after the inline types; an identifier found only in an enclosing scope becomes an
//     `alias outer` (core modules, core types, types and components only), bound locally;
//   * inline `(export "x")` abbreviations become export definitions at the end of the
//     component, in text order; inline `(instance (export ...))` arguments of instantiations
//     become instances placed before the instantiation.
// Spec: https://github.com/WebAssembly/component-model/blob/main/design/mvp/Explainer.md
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "decoder/text/lexer.h"

namespace zinc::component::text {

using decoder::text::Position;
using decoder::text::TextError;
using decoder::text::TextResult;
using decoder::text::Token;

/// Implementation limit: nesting of components, component/instance/module types and inline
/// value types. Deeper text is an implementation-limit error, never a stack overflow.
inline constexpr uint32_t kMaxTextNesting = 100;

/// Parses `(component $id? field*)` (or a bare sequence of component fields) and returns the
/// component binary. Errors carry `filename` and the line:col of the offending token (`start`
/// is the position of the text's first character).
TextResult<std::vector<uint8_t>> component_wat_to_binary(std::string_view text,
                                                         std::string_view filename = {},
                                                         Position start = {});

/// Encodes the component fields in `tokens` (no enclosing `(component`), `id` being the
/// component's own identifier (with its `$`, or empty), which `alias outer $id ...` may name.
TextResult<std::vector<uint8_t>> encode_component_tokens(std::span<const Token> tokens,
                                                         std::string_view id = {});

}  // namespace zinc::component::text
