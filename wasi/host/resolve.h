// wasi/host/resolve.h: path resolution that never leaves a directory capability.
//
// Every guest path is resolved beneath a directory file descriptor (the "root": a preopen or a
// directory opened from one). Invariants, whichever resolver runs:
//  - absolute paths, absolute symlink targets and ".." above the root fail with NotCapable;
//  - symlinks are followed by this code (or by openat2 under RESOLVE_BENEATH), never by a
//    syscall that could walk outside the root: every *at() call made on a resolved parent gets a
//    single component and, where the syscall could follow it, AT_SYMLINK_NOFOLLOW / O_NOFOLLOW;
//  - at most kMaxSymlinkExpansions symlinks are expanded per walk (then Loop);
//  - a trailing slash means "must be a directory" (and, for lookups, follows a final symlink);
//  - magic links (/proc/self/fd/N) are never followed.
// Two resolvers: openat2(2) with RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS when the kernel has it
// (probed once at run time), else a component-by-component walk with O_PATH | O_NOFOLLOW that
// keeps a stack of ancestor descriptors so ".." cannot race past the root.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <string>
#include <string_view>

#include "wasi/host/errno.h"
#include "wasi/host/owned_fd.h"

namespace zinc::wasi::host {

inline constexpr int kMaxSymlinkExpansions = 40;
/// Longest path accepted from a guest (Linux PATH_MAX, terminator excluded).
inline constexpr size_t kMaxPathLength = 4095;

enum class Resolver : uint8_t {
  Auto,        // openat2 when available, else the manual walk
  ManualOnly,  // always the manual walk (tests run every sandbox case through both)
};

/// Process-wide resolver choice; for tests only (Auto by default).
void set_resolver_for_testing(Resolver resolver);

/// Whether openat2 with RESOLVE_BENEATH works on this kernel (probed once).
bool openat2_supported();

/// Rejects what no resolver accepts: empty (NoEnt), too long (NameTooLong), embedded NUL
/// (Inval), absolute (NotCapable).
HostResult<void> check_relative_path(std::string_view path);

inline bool has_trailing_slash(std::string_view path) {
  return !path.empty() && path.back() == '/';
}

/// open(2) of `path` beneath `root`. `flags` are open(2) flags (O_CLOEXEC is always added);
/// O_NOFOLLOW applies to the final component only, as in open(2).
HostResult<OwnedFd> open_beneath(int root, std::string_view path, int flags, mode_t mode = 0);

/// The directory containing the final component of `path`, resolved beneath `root`.
struct ResolvedParent {
  OwnedFd owned;     // the parent directory when it is not `root` itself
  int dir = -1;      // owned.get(), or `root` (borrowed: valid while the caller holds root)
  std::string name;  // one component: non-empty, no '/', never ".."; "." means `dir` itself
  bool trailing_slash = false;  // the path ended in '/'
};

/// Resolves all but the final component of `path` (following symlinks, sandboxed). With
/// `follow_final`, a symlink in the final component is expanded too (sandboxed, repeatedly), so
/// `name` is then not a symlink unless the tree changes concurrently. A final "." or ".." is
/// resolved as a directory and returned as `name` = ".".
HostResult<ResolvedParent> resolve_parent(int root, std::string_view path, bool follow_final);

/// readlinkat(dir, name) into a string (targets longer than kMaxPathLength fail NameTooLong).
HostResult<std::string> read_link(int dir, const char* name);

}  // namespace zinc::wasi::host
