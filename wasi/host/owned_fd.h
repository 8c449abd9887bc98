// wasi/host/owned_fd.h: OwnedFd, the sole owner of one host file descriptor.
//
// Invariant: an OwnedFd either holds -1 or a descriptor nobody else closes; it closes it exactly
// once (destructor or reset). Every descriptor the host layer opens is O_CLOEXEC.
#pragma once

#include <fcntl.h>
#include <unistd.h>

#include <utility>

#include "wasi/host/errno.h"

namespace zinc::wasi::host {

class OwnedFd {
 public:
  OwnedFd() = default;
  explicit OwnedFd(int fd) : fd_(fd) {}
  ~OwnedFd() { reset(); }
  OwnedFd(OwnedFd&& other) noexcept : fd_(other.release()) {}
  OwnedFd& operator=(OwnedFd&& other) noexcept {
    if (this != &other) reset(other.release());
    return *this;
  }
  OwnedFd(const OwnedFd&) = delete;
  OwnedFd& operator=(const OwnedFd&) = delete;

  int get() const { return fd_; }
  bool valid() const { return fd_ >= 0; }
  explicit operator bool() const { return valid(); }

  /// Gives up ownership without closing.
  int release() { return std::exchange(fd_, -1); }

  /// Closes the current descriptor (if any) and takes `fd`. close(2) errors are ignored: the
  /// descriptor is gone either way on Linux.
  void reset(int fd = -1) {
    if (fd_ >= 0) ::close(fd_);
    fd_ = fd;
  }

  /// A close-on-exec duplicate of `fd`.
  static HostResult<OwnedFd> dup(int fd) {
    int d = ::fcntl(fd, F_DUPFD_CLOEXEC, 0);
    if (d < 0) return fail_errno();
    return OwnedFd(d);
  }

 private:
  int fd_ = -1;
};

}  // namespace zinc::wasi::host
