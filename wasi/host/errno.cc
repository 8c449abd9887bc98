// wasi/host/errno.cc: POSIX errno -> host::Errno translation, generated from errno.def.
#include "wasi/host/errno.h"

#include <cerrno>

namespace zinc::wasi::host {

Errno errno_from_posix(int posix_errno) {
  switch (posix_errno) {
#define ZINC_ERRNO(Name, posix) \
  case posix:                   \
    return Errno::Name;
#include "wasi/host/errno.def"
#undef ZINC_ERRNO
    default:
      return Errno::Io;
  }
}

int posix_errno(Errno e) {
  switch (e) {
#define ZINC_ERRNO(Name, posix) \
  case Errno::Name:             \
    return posix;
#include "wasi/host/errno.def"
#undef ZINC_ERRNO
  }
  return -1;
}

Errno last_errno() {
  return errno_from_posix(errno);
}

std::string_view errno_name(Errno e) {
  switch (e) {
#define ZINC_ERRNO(Name, posix) \
  case Errno::Name:             \
    return #Name;
#include "wasi/host/errno.def"
#undef ZINC_ERRNO
  }
  return "?";
}

}  // namespace zinc::wasi::host
