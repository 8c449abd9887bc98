// component/decode.h: the entry point that decodes and validates a component binary.
//
// `decode_component` reads a whole component (layer 1) in one pass: every section of
// Binary.md, nested components to any depth (an explicit stack, not recursion; the nesting
// limit is kMaxComponentNesting), nested core modules through the core decoder/validator
// unchanged. It validates as it goes (index spaces are built incrementally, every definition
// only refers to earlier ones) and returns the immutable IR (component/component.h) or the
// first error with its byte offset. Allocation is proportional to the bytes present: counts
// are checked against the bytes left before anything is reserved, and type-level work (type
// sizes, substitutions during instantiation checks) is capped (kMaxTypeSize, kMaxTypeNodes).
// Spec: https://github.com/WebAssembly/component-model/blob/main/design/mvp/Binary.md
#pragma once

#include <cstdint>
#include <memory>
#include <span>

#include "component/component.h"
#include "component/errors.h"
#include "decoder/wasm_features.h"
#include "zinc/component/types.h"
#include "zinc/result.h"

namespace zinc::component {

/// Implementation limits (beyond the spec's).
inline constexpr uint32_t kMaxComponentNesting = 1000;  // nested component sections
inline constexpr uint32_t kMaxTypeDepth = 100;     // wasmparser's MAX_WASM_COMPONENT_TYPE_DEPTH
inline constexpr uint32_t kMaxTypeSize = 1000000;  // wasmparser's MAX_WASM_TYPE_SIZE
inline constexpr size_t kMaxTypeNodes = 4000000;   // type nodes one decode may create

/// Decodes and validates a component binary. Value and function types are interned in
/// `types` (so they compare by pointer with every other component of the same table).
Result<std::shared_ptr<const ComponentIR>, ComponentError> decode_component(
    std::span<const uint8_t> bytes, TypeTable& types,
    const decoder::Features& features = decoder::Features{});

}  // namespace zinc::component
