// zinc/zinc.h: the whole embedding API.
//
// Engine and Store (engine.h), Module / Instance / Linker / InstancePre (module.h), functions,
// host functions and typed calls (func.h), memories, tables, globals (extern.h), values
// (val.h), traps (trap.h), Result and Error (result.h). See examples/ for a complete program.
#pragma once

#include "zinc/engine.h"
#include "zinc/extern.h"
#include "zinc/func.h"
#include "zinc/module.h"
#include "zinc/result.h"
#include "zinc/trap.h"
#include "zinc/types.h"
#include "zinc/val.h"
