// wasi/host/errno.h: the error type of the host layer (wasi/host/), and its Result alias.
//
// Every host primitive reports failure as an `Errno` value (never an exception, never a
// message): POSIX errnos translated once by `errno_from_posix`, plus `NotCapable` for a path
// that would leave its sandbox. The rows live in errno.def. WASI layers translate `Errno` into
// their own numbering; the host layer knows nothing of WASI.
#pragma once

#include <cstdint>
#include <string_view>

#include "zinc/result.h"

namespace zinc::wasi::host {

enum class Errno : uint8_t {
#define ZINC_ERRNO(Name, posix) Name,
#include "wasi/host/errno.def"
#undef ZINC_ERRNO
};

/// The result of a host primitive: a value or an Errno.
template <typename T>
using HostResult = zinc::Result<T, Errno>;

/// `return fail(Errno::NoEnt);` from a function returning HostResult<T>.
inline Unexpected<Errno> fail(Errno e) {
  return Unexpected<Errno>{e};
}

/// Translates a POSIX errno value (unknown values become Io; 0 becomes Success).
Errno errno_from_posix(int posix_errno);

/// The current `errno`, translated.
Errno last_errno();

/// `fail(last_errno())`.
inline Unexpected<Errno> fail_errno() {
  return fail(last_errno());
}

/// The POSIX value of `e` (-1 for NotCapable), e.g. for strerror.
int posix_errno(Errno e);

/// The row name ("NoEnt", "NotCapable", ...), for messages and test output.
std::string_view errno_name(Errno e);

}  // namespace zinc::wasi::host
