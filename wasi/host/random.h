// wasi/host/random.h: cryptographically secure random bytes from the kernel (getrandom(2)).
#pragma once

#include <cstdint>
#include <span>

#include "wasi/host/errno.h"

namespace zinc::wasi::host {

/// Fills `out` completely (blocking only until the kernel's pool is initialised at boot).
HostResult<void> random_fill(std::span<uint8_t> out);

}  // namespace zinc::wasi::host
