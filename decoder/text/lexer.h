// decoder/text/lexer.h: tokens of the WebAssembly text format (WAT and WAST scripts).
//
// The lexer turns a whole source text into a vector of tokens in one pass. Tokens are views
// into the source (the caller keeps it alive) and carry their 1-based line:column. Comments
// (`;;` line, nested `(; ;)` block) and annotations `(@name ...)` are skipped. Number tokens are
// only produced for text that matches the spec's number grammar exactly; any other run of
// identifier characters that does not start with a letter is `Reserved`, so malformed numbers
// such as `0x` or `1_` reach the parser as reserved tokens ("unknown operator").
// Spec: https://webassembly.github.io/spec/core/text/lexical.html
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "decoder/errors.h"

namespace zinc::decoder::text {

enum class TokenKind : uint8_t {
  LParen,
  RParen,
  Keyword,   // starts with a lowercase letter: `module`, `i32.add`, `offset=4`, `nan:0x1` is Float
  Id,        // `$name` or `$"quoted"`; text includes the `$`
  String,    // text includes the quotes; decode with decode_string
  Int,       // integer literal (sign, decimal or hex, `_` separators)
  Float,     // float literal (decimal, hex, inf, nan, nan:0x...)
  Reserved,  // any other run of identifier characters
  Eof,
};

/// A position in the source, 1-based.
struct Position {
  uint32_t line = 1;
  uint32_t col = 1;
};

struct Token {
  TokenKind kind = TokenKind::Eof;
  Position pos;
  std::string_view text;
};

/// A text-format error: code (errors.def wording), location and detail.
struct TextError {
  ErrorCode code = ErrorCode::None;
  Position pos;
  std::string file;
  std::string detail;

  /// "<spec text>" or "<spec text>: <detail>".
  std::string message() const;
  /// "file:line:col: <message>".
  std::string to_string() const;
};

template <typename T>
using TextResult = zinc::Result<T, TextError>;

inline Unexpected<TextError> text_error(ErrorCode code, Position pos, std::string detail = {}) {
  return {TextError{code, pos, {}, std::move(detail)}};
}

/// Tokenizes `source`. The last token is always Eof. `start` is the position of the first
/// character (for texts cut out of a larger file).
TextResult<std::vector<Token>> tokenize(std::string_view source, Position start = {});

/// Decodes the bytes of a String token (escapes resolved). The token was checked by the lexer.
std::string decode_string(std::string_view token_text);

/// The name of an Id token without the `$` (quoted ids decoded).
std::string id_name(std::string_view token_text);

}  // namespace zinc::decoder::text
