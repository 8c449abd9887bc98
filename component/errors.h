// component/errors.h: decode and validation errors of component binaries, as values.
//
// A ComponentError carries the code (errors.def), the byte offset in the outermost binary where
// it was found and the rendered message: the code's template with its `{}` placeholders filled,
// preceded by any contexts added while unwinding ("type mismatch for import `f`: expected 0
// parameters, found 1"). The message never includes the offset; callers print it. Inside the
// decoder a `Diag` holds the first error (sticky), and functions return false after setting it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>

namespace zinc::component {

enum class ErrorCode : uint16_t {
  None = 0,
#define E(Name, text) Name,
#include "component/errors.def"
#undef E
};

/// The template of a code ("instance {} has no export named `{}`").
std::string_view error_template(ErrorCode code);

/// True for codes that mean "malformed" (binary syntax) rather than "invalid".
bool is_malformed(ErrorCode code);

/// Fills the `{}` placeholders of `tmpl` in order with `args` (missing ones stay empty).
std::string format_template(std::string_view tmpl, const std::string* args, size_t count);

namespace internal {
inline std::string to_arg(std::string_view s) {
  return std::string(s);
}
inline std::string to_arg(const std::string& s) {
  return s;
}
inline std::string to_arg(const char* s) {
  return s;
}
inline std::string to_arg(char c) {
  return std::string(1, c);
}
template <typename T>
requires std::is_integral_v<T> std::string to_arg(T v) {
  return std::to_string(v);
}
}  // namespace internal

struct ComponentError {
  ErrorCode code = ErrorCode::None;
  size_t offset = 0;
  std::string message;

  bool malformed() const { return is_malformed(code); }

  template <typename... A>
  static ComponentError make(ErrorCode code, size_t offset, const A&... args) {
    const std::string strs[] = {std::string(), internal::to_arg(args)...};
    return {code, offset, format_template(error_template(code), strs + 1, sizeof...(A))};
  }

  /// Prepends a context phrase: "context: message".
  template <typename... A>
  void add_context(ErrorCode ctx, const A&... args) {
    const std::string strs[] = {std::string(), internal::to_arg(args)...};
    message = format_template(error_template(ctx), strs + 1, sizeof...(A)) + ": " + message;
  }
};

/// The first error of a decode (sticky): later failures do not overwrite it.
class Diag {
 public:
  bool failed() const { return err_.code != ErrorCode::None; }
  const ComponentError& error() const { return err_; }
  ComponentError take() { return std::move(err_); }

  /// Records an error (unless one is already recorded) and returns false.
  template <typename... A>
  bool fail(ErrorCode code, size_t offset, const A&... args) {
    if (!failed()) err_ = ComponentError::make(code, offset, args...);
    return false;
  }
  bool fail(ComponentError e) {
    if (!failed()) err_ = std::move(e);
    return false;
  }
  /// Adds a context to the recorded error; returns false (for `return d.context(...)`).
  template <typename... A>
  bool context(ErrorCode ctx, const A&... args) {
    if (failed()) err_.add_context(ctx, args...);
    return false;
  }
  /// Forgets the recorded error (used when a failed check is one alternative of several).
  void clear() { err_ = ComponentError{}; }

 private:
  ComponentError err_;
};

}  // namespace zinc::component
