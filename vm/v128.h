// vm/v128.h: the runtime's v128 is the public zinc::V128 (zinc/v128.h): 16 bytes, 16-byte
// aligned, little-endian lanes, accessed with lane<T>(i) / set_lane<T>(i, v).
#pragma once

#include "zinc/v128.h"

namespace zinc::vm {

using zinc::V128;

}  // namespace zinc::vm
