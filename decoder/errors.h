// decoder/errors.h: decode/validation errors as values.
//
// An Error carries the code (errors.def), the byte offset in the module where it was found,
// for errors inside a function body the function index, and a free-form detail. `message()`
// renders "<spec text>: <detail>" and never includes the offset, which callers print themselves.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "zinc/result.h"

namespace zinc::decoder {

enum class ErrorCode : uint16_t {
  None = 0,
#define E(Name, text) Name,
#include "decoder/errors.def"
#undef E
};

/// The spec's wording for an error code ("type mismatch", "unexpected end", ...).
std::string_view error_text(ErrorCode code);

/// True for codes that mean "malformed" (binary/text syntax) rather than "invalid" (validation).
bool is_malformed(ErrorCode code);

struct Error {
  ErrorCode code = ErrorCode::None;
  size_t offset = 0;                     // byte offset in the module binary
  static constexpr uint32_t kNoFunc = UINT32_MAX;
  uint32_t func_index = kNoFunc;         // function index when inside a body
  std::string detail;

  /// "<spec text>" or "<spec text>: <detail>".
  std::string message() const;
};

template <typename T>
using Result = zinc::Result<T, Error>;

inline Unexpected<Error> make_error(ErrorCode code, size_t offset, std::string detail = {}) {
  return {Error{code, offset, Error::kNoFunc, std::move(detail)}};
}

}  // namespace zinc::decoder
