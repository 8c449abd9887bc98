// wasi/host/table.h: Table<T>, small integer handles -> owned objects.
//
// The descriptor table of WASI Preview 1 (fds) and the resource table of Preview 2/3 (handles)
// are both this: a dense vector of shared_ptr<T> slots indexed by handle. Invariants:
//  - a handle is live iff its slot is non-null; get() of anything else returns nullptr;
//  - insert() always takes the lowest free handle (POSIX open(2) order), so handles stay small;
//  - at most `max_entries` handles are live; beyond that insert() fails with MFile, so a guest
//    cannot grow host memory without bound through the table;
//  - objects are shared_ptr so a host call can keep using an object while the guest closes or
//    renumbers its handle; the object dies with its last reference.
// Not thread-safe: a table belongs to one store.
#pragma once

#include <algorithm>
#include <cstdint>
#include <functional>
#include <memory>
#include <queue>
#include <vector>

#include "wasi/host/errno.h"

namespace zinc::wasi::host {

template <typename T>
class Table {
 public:
  static constexpr uint32_t kDefaultMaxEntries = 1u << 16;

  explicit Table(uint32_t max_entries = kDefaultMaxEntries) : max_entries_(max_entries) {}

  /// Stores `object` at the lowest free handle.
  HostResult<uint32_t> insert(std::shared_ptr<T> object) {
    if (!object) return fail(Errno::Inval);
    if (live_ >= max_entries_) return fail(Errno::MFile);
    while (!free_.empty()) {
      uint32_t h = free_.top();
      free_.pop();
      if (h < slots_.size() && !slots_[h]) {
        slots_[h] = std::move(object);
        ++live_;
        return h;
      }
    }
    uint32_t h = static_cast<uint32_t>(slots_.size());
    slots_.push_back(std::move(object));
    ++live_;
    return h;
  }

  /// Stores `object` at `handle`, which must be free (setup of stdio and preopens).
  HostResult<void> insert_at(uint32_t handle, std::shared_ptr<T> object) {
    if (!object) return fail(Errno::Inval);
    if (handle < slots_.size() && slots_[handle]) return fail(Errno::Exist);
    if (live_ >= max_entries_ || handle >= max_entries_) return fail(Errno::MFile);
    while (slots_.size() <= handle) {
      free_.push(static_cast<uint32_t>(slots_.size()));
      slots_.emplace_back();
    }
    slots_[handle] = std::move(object);
    ++live_;
    return {};
  }

  /// The object at `handle`, or nullptr.
  std::shared_ptr<T> get(uint32_t handle) const {
    return handle < slots_.size() ? slots_[handle] : nullptr;
  }
  bool contains(uint32_t handle) const { return handle < slots_.size() && slots_[handle]; }

  /// Removes and returns the object at `handle` (nullptr when there is none).
  std::shared_ptr<T> remove(uint32_t handle) {
    if (!contains(handle)) return nullptr;
    std::shared_ptr<T> out = std::move(slots_[handle]);
    slots_[handle] = nullptr;
    --live_;
    free_.push(handle);
    trim();
    return out;
  }

  /// Moves the object at `from` to `to`, dropping what `to` held (both must be live; BadF
  /// otherwise). Renumbering a handle onto itself is a no-op.
  HostResult<void> renumber(uint32_t from, uint32_t to) {
    if (!contains(from) || !contains(to)) return fail(Errno::BadF);
    if (from == to) return {};
    slots_[to] = std::move(slots_[from]);
    slots_[from] = nullptr;
    --live_;
    free_.push(from);
    trim();
    return {};
  }

  /// Number of live handles.
  size_t size() const { return live_; }

  /// Calls f(handle, T&) for every live handle in increasing order.
  template <typename F>
  void for_each(F&& f) const {
    for (uint32_t h = 0; h < slots_.size(); ++h) {
      if (slots_[h]) f(h, *slots_[h]);
    }
  }

 private:
  // Drops trailing empty slots so the vector never outgrows the highest live handle.
  // Rebuilds the free list when stale entries dominate, so it stays O(slots).
  void trim() {
    while (!slots_.empty() && !slots_.back()) slots_.pop_back();
    if (free_.size() > slots_.size() + 16) {
      free_ = {};
      for (uint32_t h = 0; h < slots_.size(); ++h) {
        if (!slots_[h]) free_.push(h);
      }
    }
  }

  uint32_t max_entries_;
  size_t live_ = 0;
  std::vector<std::shared_ptr<T>> slots_;
  // Candidate free handles, lowest first. May hold stale entries (now live or beyond the end):
  // insert() skips those lazily.
  std::priority_queue<uint32_t, std::vector<uint32_t>, std::greater<uint32_t>> free_;
};

}  // namespace zinc::wasi::host
