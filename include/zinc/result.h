// zinc/result.h: the value-or-error type used at every Zinc API boundary.
//
// Errors are values, never exceptions (STYLE.md "Errors and traps are values"). `Result<T>` holds
// either a T or an E (default `zinc::Error`); accessing the wrong alternative is a programming
// error checked by assert in debug builds.
#pragma once

#include <cassert>
#include <cstdint>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

namespace zinc {

struct Trap;  // zinc/trap.h

/// What went wrong, for callers that react differently (the CLI's exit codes, the spec runner's
/// assert_* commands).
enum class ErrorKind : uint8_t {
  Generic,      // anything else (I/O, bad arguments to an API call)
  Decode,       // malformed binary or text
  Validate,     // invalid module
  Link,         // an import could not be satisfied (unknown or incompatible)
  Instantiate,  // instantiation failed without a trap (e.g. a limit)
  Trap,         // execution trapped: `trap` holds the code and the wasm backtrace
  Exit,         // the guest asked to exit (WASI proc_exit): `exit_code`
};

/// The error of Zinc's embedding API: a kind, a human-readable message and, for traps, the
/// trap itself. Subsystems with richer errors (the decoder's `decoder::Error` with code and
/// offset) use their own error type as `E`.
struct Error {
  std::string message;
  ErrorKind kind = ErrorKind::Generic;
  std::shared_ptr<const Trap> trap;  // kind == Trap
  int exit_code = 0;                 // kind == Exit
};

/// An Error of the given kind as the error alternative of a Result.
inline auto api_error(ErrorKind kind, std::string message);

/// Tag wrapper so `Result<T, E>` can be built from an error unambiguously, even when T and E
/// are convertible to each other.
template <typename E>
struct Unexpected {
  E error;
};

template <typename E>
Unexpected<std::decay_t<E>> unexpected(E&& e) {
  return {std::forward<E>(e)};
}

/// Either a value of type T or an error of type E.
template <typename T, typename E = Error>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::in_place_index<0>, std::move(value)) {}
  template <typename G>
  Result(Unexpected<G> e) : v_(std::in_place_index<1>, std::move(e.error)) {}

  /// True when a value is held.
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  T& value() & {
    assert(ok());
    return *std::get_if<0>(&v_);
  }
  const T& value() const& {
    assert(ok());
    return *std::get_if<0>(&v_);
  }
  T&& value() && {
    assert(ok());
    return std::move(*std::get_if<0>(&v_));
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  const E& error() const& {
    assert(!ok());
    return *std::get_if<1>(&v_);
  }
  E&& error() && {
    assert(!ok());
    return std::move(*std::get_if<1>(&v_));
  }

 private:
  std::variant<T, E> v_;
};

/// Result with no value: success or an error.
template <typename E>
class [[nodiscard]] Result<void, E> {
 public:
  Result() = default;
  template <typename G>
  Result(Unexpected<G> e) : err_(std::move(e.error)), ok_(false) {}

  bool ok() const { return ok_; }
  explicit operator bool() const { return ok_; }
  const E& error() const& {
    assert(!ok_);
    return err_;
  }

 private:
  E err_{};
  bool ok_ = true;
};

inline auto api_error(ErrorKind kind, std::string message) {
  Error e;
  e.kind = kind;
  e.message = std::move(message);
  return Unexpected<Error>{std::move(e)};
}

}  // namespace zinc
