// wasi/host/random.cc: getrandom(2) in a loop (it may return short counts for large buffers).
#include "wasi/host/random.h"

#include <sys/random.h>

#include <cerrno>

namespace zinc::wasi::host {

HostResult<void> random_fill(std::span<uint8_t> out) {
  size_t done = 0;
  while (done < out.size()) {
    ssize_t n = getrandom(out.data() + done, out.size() - done, 0);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail_errno();
    }
    done += static_cast<size_t>(n);
  }
  return {};
}

}  // namespace zinc::wasi::host
