// vm/signals.h: turning faults in guarded linear memory into traps.
//
// In MemoryMode::GuardPages, 32-bit memories sit in an 8 GiB reservation whose inaccessible
// part catches every out-of-bounds access. The SIGSEGV/SIGBUS handler checks that the faulting
// thread is running wasm (an Activation is active and not inside a host call) and that the
// address lies in a registered reservation; then it longjmps to the activation, which reports
// "out of bounds memory access". Any other fault is passed to the handler that was installed
// before ours (or the default action), so the host's own handlers keep working.
#pragma once

#include <csetjmp>
#include <cstddef>
#include <cstdint>

namespace zinc::vm {

struct FuncInst;

/// One host->wasm entry on this thread. Nested entries link through `prev`.
struct Activation {
  sigjmp_buf jmp;
  Activation* prev = nullptr;
  size_t base_depth = 0;         // StoreImpl::frames size at entry
  bool in_wasm = false;          // false while a host function runs
  const uint8_t* fault_pc = nullptr;  // interpreter pc of the last guarded memory access
  FuncInst* func = nullptr;      // function running at fault_pc
};

/// The innermost activation of the calling thread (null outside wasm).
Activation*& current_activation();

/// Installs the process-wide handlers once (idempotent, thread-safe).
void ensure_signal_handlers();

/// Registers / unregisters an address range whose faults are wasm traps. Registration fails
/// (false) when the table of regions is full.
bool register_guarded_region(const uint8_t* base, size_t size);
void unregister_guarded_region(const uint8_t* base);

}  // namespace zinc::vm
