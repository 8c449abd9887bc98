// decoder/text/wat_parser.h: WebAssembly text modules to binary modules.
//
// One path to trust: a text module is encoded to the binary format and then decoded and
// validated by `decode_module` like any other binary. The parser checks only what the text
// format itself requires (syntax, identifier resolution, literal ranges, label matching);
// type errors are left for the validator.
// Spec: https://webassembly.github.io/spec/core/text/modules.html
#pragma once

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

#include "decoder/text/lexer.h"

namespace zinc::decoder::text {

/// Parses a text module, either `(module $id? field*)` or a bare sequence of fields, and
/// returns its binary encoding. Errors carry `filename` and the line:col of the offending token
/// (`start` is the position of the text's first character).
TextResult<std::vector<uint8_t>> wat_to_binary(std::string_view text,
                                               std::string_view filename = {},
                                               Position start = {});

/// True when `bytes` look like a text module rather than a binary: they do not start with the
/// binary magic `\0asm`, and their first character after whitespace and comments is `(` (as
/// every text module's is). Tools use it to pick the parser; other bytes are left to the binary
/// decoder, whose error ("magic header not detected") fits them.
bool looks_like_text_module(std::span<const uint8_t> bytes);

/// Encodes the module whose tokens are `tokens`: either the `(` `module` ... `)` of one module
/// (an optional `$id` after `module` is skipped) or bare fields. Errors carry no file name.
TextResult<std::vector<uint8_t>> encode_module_tokens(std::span<const Token> tokens);

}  // namespace zinc::decoder::text
