// component/canon_vm.cc: the Canonical ABI's bindings to the interpreter -- a core memory as a
// GuestMemory, core functions as CoreFn / ReallocFn (vm::invoke, the call path of the embedding
// API's Func::call). The only file of the canonical ABI that knows the runtime's objects.
#include "component/canon.h"
#include "vm/runtime.h"

namespace zinc::component::canon {

GuestMemory GuestMemory::of(vm::MemoryInst& m) {
  return GuestMemory(&m.base, &m.size);
}

CoreFn core_fn(vm::StoreImpl& store, vm::FuncInst* func) {
  return [&store, func](uint64_t* slots, size_t n) { return vm::invoke(store, func, slots, n); };
}

ReallocFn realloc_fn(vm::StoreImpl& store, vm::FuncInst* func) {
  return [&store, func](uint32_t old_ptr, uint32_t old_size, uint32_t align,
                        uint32_t new_size) -> Result<uint32_t> {
    uint64_t slots[4] = {old_ptr, old_size, align, new_size};
    Result<void> r = vm::invoke(store, func, slots, 4);
    if (!r) return unexpected(r.error());
    return static_cast<uint32_t>(slots[0]);
  };
}

}  // namespace zinc::component::canon
