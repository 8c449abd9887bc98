// vm/traps.h: the runtime's trap codes are the public zinc::TrapCode (zinc/traps.def).
#pragma once

#include "zinc/trap.h"

namespace zinc::vm {

using zinc::TrapCode;
using zinc::trap_message;

}  // namespace zinc::vm
