// vm/signals.cc: see signals.h.
//
// The region table is a fixed array of atomics so the signal handler can read it without
// locks; registration takes a mutex only against other registrations. Handlers run on an
// alternate signal stack when the thread has one (SA_ONSTACK) and with SA_NODEFER, so the
// longjmp out of the handler leaves the signal unblocked without saving the mask at setjmp.
#include "vm/signals.h"

#include <signal.h>

#include <atomic>
#include <cstring>
#include <mutex>

namespace zinc::vm {

namespace {

constexpr size_t kMaxRegions = 4096;

struct Region {
  std::atomic<uintptr_t> base{0};
  std::atomic<size_t> size{0};
};

Region g_regions[kMaxRegions];
std::mutex g_regions_mutex;

struct sigaction g_prev_segv;
struct sigaction g_prev_bus;

bool in_guarded_region(uintptr_t addr) {
  for (Region& r : g_regions) {
    const uintptr_t base = r.base.load(std::memory_order_acquire);
    if (base != 0 && addr >= base && addr - base < r.size.load(std::memory_order_relaxed)) {
      return true;
    }
  }
  return false;
}

void forward(int sig, siginfo_t* info, void* ctx) {
  const struct sigaction& prev = sig == SIGBUS ? g_prev_bus : g_prev_segv;
  if (prev.sa_flags & SA_SIGINFO) {
    if (prev.sa_sigaction != nullptr) {
      prev.sa_sigaction(sig, info, ctx);
      return;
    }
  } else if (prev.sa_handler != SIG_DFL && prev.sa_handler != SIG_IGN) {
    prev.sa_handler(sig);
    return;
  }
  // Default action: reinstall it and return; the faulting instruction re-executes and the
  // process dies with the original signal (and a core dump), as without Zinc.
  signal(sig, SIG_DFL);
}

void handler(int sig, siginfo_t* info, void* ctx) {
  Activation* act = current_activation();
  if (act != nullptr && act->in_wasm &&
      in_guarded_region(reinterpret_cast<uintptr_t>(info->si_addr))) {
    siglongjmp(act->jmp, 1);
  }
  forward(sig, info, ctx);
}

}  // namespace

Activation*& current_activation() {
  thread_local Activation* act = nullptr;
  return act;
}

void ensure_signal_handlers() {
  static std::once_flag once;
  std::call_once(once, [] {
    struct sigaction sa;
    std::memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = handler;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, &g_prev_segv);
    sigaction(SIGBUS, &sa, &g_prev_bus);
  });
}

bool register_guarded_region(const uint8_t* base, size_t size) {
  std::lock_guard<std::mutex> lock(g_regions_mutex);
  for (Region& r : g_regions) {
    if (r.base.load(std::memory_order_relaxed) == 0) {
      r.size.store(size, std::memory_order_relaxed);
      r.base.store(reinterpret_cast<uintptr_t>(base), std::memory_order_release);
      return true;
    }
  }
  return false;
}

void unregister_guarded_region(const uint8_t* base) {
  std::lock_guard<std::mutex> lock(g_regions_mutex);
  for (Region& r : g_regions) {
    if (r.base.load(std::memory_order_relaxed) == reinterpret_cast<uintptr_t>(base)) {
      r.base.store(0, std::memory_order_release);
      r.size.store(0, std::memory_order_relaxed);
      return;
    }
  }
}

}  // namespace zinc::vm
