// wasi/p1/impl.h: declarations of the wasi_snapshot_preview1 implementations (generated from
// functions.def) and the helpers they share. Internal to wasi/p1.
//
// Each implementation returns the errno the guest sees, or Errno::Trap after recording a trap or
// exit in its Env. The files split along the witx groups: args_env_clock.cc (args, environ,
// clocks, random, proc, sched), fd.cc (fd_*), path.cc (path_*), poll.cc (poll_oneoff),
// sock.cc (sock_*).
#pragma once

#include <cstdint>
#include <span>

#include "wasi/host/fs.h"
#include "wasi/p1/env.h"
#include "wasi/p1/types.h"

namespace zinc::wasi::p1 {
namespace impl {

#define ZINC_P1_FUNC(name, ...) Errno name(Env& env __VA_OPT__(, ) __VA_ARGS__);
#include "wasi/p1/functions.def"
#undef ZINC_P1_FUNC

}  // namespace impl

Filetype filetype_from_host(host::FileType t);

/// Writes a filestat (layout::Filestat) to guest memory at `ptr`: Success or Trap.
Errno store_filestat(Env& env, uint32_t ptr, const host::FileStat& st);

/// The NewTime pair of fd/path_filestat_set_times, or Inval for contradictory flags.
P1Result<std::pair<host::NewTime, host::NewTime>> new_times(uint64_t atim, uint64_t mtim,
                                                            uint32_t fst_flags);

/// witx fdflags -> host flags (bits beyond fdflags::kAll are the caller's to reject).
host::FdFlags fdflags_to_host(uint32_t flags);

/// The guest's directory descriptor `fd`: BadF if none, NotDir if not a directory.
P1Result<std::shared_ptr<host::Dir>> dir_of(Env& env, uint32_t fd);

}  // namespace zinc::wasi::p1
