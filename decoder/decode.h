// decoder/decode.h: entry points of the decoder library.
//
// `decode_module` decodes and (unless disabled) validates a core module binary in one pass and
// returns the immutable Module IR, or the first error with its byte offset. Allocation is
// proportional to the bytes present, never to counts the input claims.
#pragma once

#include <cstdint>
#include <memory>
#include <span>

#include "decoder/errors.h"
#include "decoder/wasm_features.h"
#include "decoder/module.h"

namespace zinc::decoder {

struct DecodeOptions {
  Features features;
  bool validate = true;  // false: structure only (no function body / module validation)
};

/// What a binary's 8-byte preamble says it is.
enum class BinaryKind { CoreModule, Component, Unknown };
BinaryKind detect_binary_kind(std::span<const uint8_t> bytes);

Result<std::shared_ptr<const Module>> decode_module(std::span<const uint8_t> bytes,
                                                   const DecodeOptions& options = {});

/// Validates one function body of a module whose other sections are decoded (called by the
/// module decoder for each body of the code section). Fills body.max_stack_height and
/// body.max_control_depth. Errors carry the function index and the offset of the instruction.
Result<void> validate_function(const Module& module, FunctionBody& body, const Features& features);

}  // namespace zinc::decoder
