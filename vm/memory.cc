// vm/memory.cc: linear memories and tables.
//
// GuardPages mode (32-bit memories with 64 KiB pages): the memory reserves 8 GiB + 64 KiB of
// PROT_NONE address space once; growing makes more of it read/write, so the memory never moves
// and any address + offset (both below 2^32) + access size lands inside the reservation, where
// an access past the committed size faults (signals.cc turns that into a trap).
// BoundsChecks mode and other memories: exactly the current size is mapped and grows with
// mremap, which may move it; every access is checked by the interpreter.
// Guest-controlled growth is fallible: failure returns -1 to the guest, never aborts.
#include <sys/mman.h>

#include <cerrno>
#include <cstring>

#include "decoder/impl_limits.h"
#include "vm/runtime.h"
#include "vm/signals.h"

namespace zinc::vm {

namespace {

constexpr uint64_t kGuardReservation = (uint64_t{8} << 30) + (uint64_t{64} << 10);

uint8_t* map_bytes(size_t bytes, int prot) {
  void* p = mmap(nullptr, bytes, prot, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
  return p == MAP_FAILED ? nullptr : static_cast<uint8_t*>(p);
}

size_t page_round(uint64_t bytes) {
  const uint64_t page = 4096;
  return static_cast<size_t>((bytes + page - 1) & ~(page - 1));
}

}  // namespace

Result<MemoryInst*> create_memory(StoreImpl& s, const decoder::MemoryType& type) {
  const Config& config = s.engine->config;
  if (s.memories.size() >= s.limits.max_memories) {
    return api_error(ErrorKind::Instantiate, "memory count limit exceeded");
  }
  auto m = std::make_unique<MemoryInst>();
  m->store = &s;
  m->type = type;
  const uint32_t page_log2 = type.page_size_log2;
  const uint64_t spec_max_pages =
      type.limits.is64 ? (uint64_t{1} << (64 - page_log2 - 1))
                       : (uint64_t{1} << (32 - page_log2));  // 4 GiB of 32-bit address space
  uint64_t max_pages = type.limits.has_max ? type.limits.max : spec_max_pages;
  if (max_pages > spec_max_pages) max_pages = spec_max_pages;
  const uint64_t limit_pages = s.limits.max_memory_bytes >> page_log2;
  if (max_pages > limit_pages) max_pages = limit_pages;
  m->max_pages = max_pages;
  const uint64_t initial = type.limits.min;
  if (initial > max_pages) {
    return api_error(ErrorKind::Instantiate,
                     "memory of " + std::to_string(initial) + " pages exceeds the limit of " +
                         std::to_string(max_pages) + " pages");
  }
  const uint64_t bytes = initial << page_log2;
  m->guarded = config.memory_mode == MemoryMode::GuardPages && !type.limits.is64 &&
               page_log2 == 16;
  if (m->guarded) {
    ensure_signal_handlers();
    m->base = map_bytes(kGuardReservation, PROT_NONE);
    if (m->base == nullptr) {
      return api_error(ErrorKind::Instantiate, "cannot reserve address space for a memory");
    }
    m->reserved = kGuardReservation;
    if (bytes != 0 && mprotect(m->base, page_round(bytes), PROT_READ | PROT_WRITE) != 0) {
      munmap(m->base, m->reserved);
      m->base = nullptr;
      return api_error(ErrorKind::Instantiate, "cannot commit memory");
    }
    m->committed = page_round(bytes);
    if (!register_guarded_region(m->base, m->reserved)) {
      munmap(m->base, m->reserved);
      m->base = nullptr;
      return api_error(ErrorKind::Instantiate, "too many guarded memories in this process");
    }
  } else if (bytes != 0) {
    m->base = map_bytes(page_round(bytes), PROT_READ | PROT_WRITE);
    if (m->base == nullptr) return api_error(ErrorKind::Instantiate, "cannot allocate memory");
    m->reserved = page_round(bytes);
    m->committed = m->reserved;
  }
  m->size = bytes;
  MemoryInst* raw = m.get();
  s.memories.push_back(std::move(m));
  return raw;
}

int64_t MemoryInst::grow(uint64_t delta) {
  const uint64_t old_pages = pages();
  if (delta == 0) return static_cast<int64_t>(old_pages);
  if (delta > max_pages || old_pages > max_pages - delta) return -1;
  // The store's limit as it is now (it may have changed since the memory was created).
  if (store != nullptr && old_pages + delta > (store->limits.max_memory_bytes >> type.page_size_log2)) {
    return -1;
  }
  const uint64_t new_size = (old_pages + delta) << type.page_size_log2;
  const size_t need = page_round(new_size);
  if (guarded) {
    if (need > committed) {
      if (mprotect(base + committed, need - committed, PROT_READ | PROT_WRITE) != 0) return -1;
      committed = need;
    }
  } else if (need > reserved) {
    uint8_t* p;
    if (base == nullptr) {
      p = map_bytes(need, PROT_READ | PROT_WRITE);
      if (p == nullptr) return -1;
    } else {
      void* q = mremap(base, reserved, need, MREMAP_MAYMOVE);
      if (q == MAP_FAILED) return -1;
      p = static_cast<uint8_t*>(q);
    }
    base = p;
    reserved = need;
    committed = need;
  }
  size = new_size;
  return static_cast<int64_t>(old_pages);
}

MemoryInst::~MemoryInst() {
  if (base == nullptr) return;
  if (guarded) unregister_guarded_region(base);
  munmap(base, reserved);
}

int64_t TableInst::grow(uint64_t delta, Slot init) {
  const uint64_t old = elems.size();
  if (delta > max || old > max - delta) return -1;
  if (store != nullptr && old + delta > store->limits.max_table_elements) return -1;
  if (delta == 0) return static_cast<int64_t>(old);
  try {
    elems.resize(old + delta, init);
  } catch (const std::bad_alloc&) {
    return -1;
  }
  return static_cast<int64_t>(old);
}

}  // namespace zinc::vm
