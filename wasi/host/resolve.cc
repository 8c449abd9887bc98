// wasi/host/resolve.cc: sandboxed path resolution (see resolve.h for the invariants).
//
// openat2(2): https://man7.org/linux/man-pages/man2/openat2.2.html. The manual walk mirrors
// what RESOLVE_BENEATH does in the kernel: descend with O_PATH | O_NOFOLLOW one component at a
// time, expand symlinks ourselves, and pop a stack of held ancestor descriptors on "..", so a
// concurrent rename cannot make ".." escape.
#include "wasi/host/resolve.h"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <deque>
#include <vector>

namespace zinc::wasi::host {
namespace {

std::atomic<Resolver> g_resolver{Resolver::Auto};

// How often openat2 may report a concurrent rename/mount (EAGAIN) before the manual walk,
// which has no such failure mode, takes over.
constexpr int kOpenat2Retries = 8;

bool use_openat2() {
  return g_resolver.load(std::memory_order_relaxed) == Resolver::Auto && openat2_supported();
}

long raw_openat2(int dirfd, const char* path, int flags, mode_t mode, uint64_t resolve) {
  open_how how{};
  how.flags = static_cast<uint64_t>(flags);
  how.mode = ((flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE) ? mode : 0;
  how.resolve = resolve;
  return syscall(SYS_openat2, dirfd, path, &how, sizeof how);
}

// openat2 beneath `root`. Returns NoSys when the caller should use the manual walk instead.
HostResult<OwnedFd> openat2_beneath(int root, const std::string& path, int flags, mode_t mode) {
  for (int attempt = 0; attempt < kOpenat2Retries; ++attempt) {
    long r = raw_openat2(root, path.c_str(), flags | O_CLOEXEC, mode,
                         RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS);
    if (r >= 0) return OwnedFd(static_cast<int>(r));
    if (errno == EINTR || errno == EAGAIN) continue;
    if (errno == EXDEV) return fail(Errno::NotCapable);
    if (errno == ENOSYS) return fail(Errno::NoSys);
    return fail_errno();
  }
  return fail(Errno::NoSys);
}

// Splits on '/', dropping empty components (so "a//b/" is {"a", "b"}).
void push_components(std::string_view path, std::deque<std::string>& out, bool at_front) {
  std::vector<std::string> parts;
  size_t i = 0;
  while (i < path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    if (j > i) parts.emplace_back(path.substr(i, j - i));
    i = j + 1;
  }
  if (at_front) {
    out.insert(out.begin(), parts.begin(), parts.end());
  } else {
    out.insert(out.end(), parts.begin(), parts.end());
  }
}

// The manual walk: opens directory `path` (every component followed) beneath `root`.
HostResult<OwnedFd> walk_to_dir(int root, std::string_view path) {
  auto start = OwnedFd::dup(root);
  if (!start) return fail(start.error());
  OwnedFd cur = std::move(start.value());
  std::vector<OwnedFd> ancestors;  // ancestors.empty() <=> cur is the root
  std::deque<std::string> pending;
  push_components(path, pending, /*at_front=*/false);
  int expansions = 0;
  while (!pending.empty()) {
    std::string c = std::move(pending.front());
    pending.pop_front();
    if (c == ".") continue;
    if (c == "..") {
      if (ancestors.empty()) return fail(Errno::NotCapable);
      cur = std::move(ancestors.back());
      ancestors.pop_back();
      continue;
    }
    OwnedFd next(::openat(cur.get(), c.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC));
    if (!next) return fail_errno();
    struct stat st;
    if (::fstat(next.get(), &st) != 0) return fail_errno();
    if (S_ISLNK(st.st_mode)) {
      if (++expansions > kMaxSymlinkExpansions) return fail(Errno::Loop);
      auto target = read_link(next.get(), "");
      if (!target) return fail(target.error());
      if (target->empty()) return fail(Errno::NoEnt);
      if (target->front() == '/') return fail(Errno::NotCapable);
      push_components(*target, pending, /*at_front=*/true);
      continue;
    }
    if (!S_ISDIR(st.st_mode)) return fail(Errno::NotDir);
    ancestors.push_back(std::move(cur));
    cur = std::move(next);
  }
  return cur;
}

// Opens directory `path` beneath `root` as O_PATH | O_DIRECTORY.
HostResult<OwnedFd> open_dir_beneath(int root, std::string_view path) {
  if (use_openat2()) {
    std::string p(path);
    auto r = openat2_beneath(root, p, O_PATH | O_DIRECTORY, 0);
    if (r || r.error() != Errno::NoSys) return r;
  }
  return walk_to_dir(root, path);
}

// `path` without its trailing slashes (never empty for a checked relative path).
std::string_view strip_trailing_slashes(std::string_view path) {
  while (path.size() > 1 && path.back() == '/') path.remove_suffix(1);
  return path;
}

}  // namespace

void set_resolver_for_testing(Resolver resolver) {
  g_resolver.store(resolver, std::memory_order_relaxed);
}

bool openat2_supported() {
  // -1 unknown, 0 no, 1 yes. Racing first calls probe twice; both get the same answer. The
  // probe asks for "/" beneath the cwd: a kernel with openat2 refuses with EXDEV (no descriptor
  // is created, and the answer does not depend on the cwd); ENOSYS, or EPERM from a seccomp
  // filter, means no openat2.
  static std::atomic<int> state{-1};
  int s = state.load(std::memory_order_relaxed);
  if (s < 0) {
    long r =
        raw_openat2(AT_FDCWD, "/", O_PATH | O_CLOEXEC, 0, RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS);
    s = (r >= 0 || errno == EXDEV) ? 1 : 0;
    if (r >= 0) ::close(static_cast<int>(r));
    state.store(s, std::memory_order_relaxed);
  }
  return s == 1;
}

HostResult<void> check_relative_path(std::string_view path) {
  if (path.empty()) return fail(Errno::NoEnt);
  if (path.size() > kMaxPathLength) return fail(Errno::NameTooLong);
  if (path.find('\0') != std::string_view::npos) return fail(Errno::Inval);
  if (path.front() == '/') return fail(Errno::NotCapable);
  return {};
}

HostResult<std::string> read_link(int dir, const char* name) {
  char buf[kMaxPathLength + 1];
  ssize_t n = ::readlinkat(dir, name, buf, sizeof buf);
  if (n < 0) return fail_errno();
  if (static_cast<size_t>(n) >= sizeof buf) return fail(Errno::NameTooLong);
  return std::string(buf, static_cast<size_t>(n));
}

HostResult<ResolvedParent> resolve_parent(int root, std::string_view path, bool follow_final) {
  if (auto ok = check_relative_path(path); !ok) return fail(ok.error());
  std::string cur(path);
  int expansions = 0;
  for (;;) {
    ResolvedParent out;
    out.trailing_slash = has_trailing_slash(cur);
    std::string_view p = strip_trailing_slashes(cur);
    size_t slash = p.rfind('/');
    std::string_view parent =
        slash == std::string_view::npos ? std::string_view{} : p.substr(0, slash);
    std::string_view name = slash == std::string_view::npos ? p : p.substr(slash + 1);
    if (name == "." || name == "..") {
      auto dir = open_dir_beneath(root, p);
      if (!dir) return fail(dir.error());
      out.owned = std::move(dir.value());
      out.dir = out.owned.get();
      out.name.assign(1, '.');  // (not = "."; GCC 12 -Wrestrict false positive at -O2)
      return out;
    }
    if (parent.empty()) {
      out.dir = root;
    } else {
      auto dir = open_dir_beneath(root, parent);
      if (!dir) return fail(dir.error());
      out.owned = std::move(dir.value());
      out.dir = out.owned.get();
    }
    out.name = std::string(name);
    if (follow_final) {
      auto target = read_link(out.dir, out.name.c_str());
      if (target) {
        if (++expansions > kMaxSymlinkExpansions) return fail(Errno::Loop);
        if (target->empty()) return fail(Errno::NoEnt);
        if (target->front() == '/') return fail(Errno::NotCapable);
        std::string next = parent.empty() ? *target : std::string(parent) + "/" + *target;
        if (out.trailing_slash) next += '/';
        cur = std::move(next);
        continue;
      }
      // Not a symlink (Inval) or nothing there (NoEnt): the final component stays as is.
      if (target.error() != Errno::Inval && target.error() != Errno::NoEnt) {
        return fail(target.error());
      }
    }
    return out;
  }
}

HostResult<OwnedFd> open_beneath(int root, std::string_view path, int flags, mode_t mode) {
  if (auto ok = check_relative_path(path); !ok) return fail(ok.error());
  if (use_openat2()) {
    auto r = openat2_beneath(root, std::string(path), flags, mode);
    if (r || r.error() != Errno::NoSys) return r;
  }
  // Manual: resolve the parent (and, unless O_NOFOLLOW, a final symlink) ourselves, then open
  // one component that the kernel must not follow. A trailing slash follows, as open(2) does.
  bool trailing = has_trailing_slash(path);
  bool follow = !(flags & O_NOFOLLOW) || trailing;
  auto rp = resolve_parent(root, path, follow);
  if (!rp) return fail(rp.error());
  int f = flags | O_NOFOLLOW | O_CLOEXEC;
  if (rp->trailing_slash) f |= O_DIRECTORY;
  if (rp->trailing_slash && (flags & O_CREAT)) {
    // open(2) refuses to create "name/" (EISDIR) but opens an existing directory.
    f &= ~(O_CREAT | O_EXCL);
    int fd = ::openat(rp->dir, rp->name.c_str(), f);
    if (fd < 0) return fail(errno == ENOENT ? Errno::IsDir : last_errno());
    return OwnedFd(fd);
  }
  int fd = ::openat(rp->dir, rp->name.c_str(), f, mode);
  if (fd < 0) return fail_errno();
  return OwnedFd(fd);
}

}  // namespace zinc::wasi::host
