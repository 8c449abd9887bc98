// wasi/host/fs.cc: Dir and File (see fs.h for the invariants).
//
// Path operations all go through resolve_parent / open_beneath (resolve.h) and then issue one
// *at() syscall on a single component with AT_SYMLINK_NOFOLLOW (or a syscall that never
// follows its final component: mkdirat, unlinkat, renameat, symlinkat, linkat's new path). A
// trailing slash is passed through to those non-following syscalls so the kernel produces its
// usual errors ("file/" -> ENOTDIR, "dir/" for unlink -> EISDIR), and is checked by hand for
// lookups.
#include "wasi/host/fs.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>

#include "wasi/host/resolve.h"

namespace zinc::wasi::host {
namespace {

// readv/writev take at most IOV_MAX buffers; more just makes the transfer shorter, which
// callers of scatter/gather I/O must handle anyway.
std::span<const iovec> clamp_iovs(std::span<const iovec> iovs) {
  return iovs.size() > IOV_MAX ? iovs.first(IOV_MAX) : iovs;
}

uint64_t to_ns(const struct timespec& ts) {
  if (ts.tv_sec < 0) return 0;
  auto sec = static_cast<uint64_t>(ts.tv_sec);
  if (sec > UINT64_MAX / 1'000'000'000u) return UINT64_MAX;
  return sec * 1'000'000'000u + static_cast<uint64_t>(ts.tv_nsec);
}

struct timespec to_timespec(NewTime t) {
  switch (t.kind) {
    case NewTime::Kind::Keep:
      return {0, UTIME_OMIT};
    case NewTime::Kind::Now:
      return {0, UTIME_NOW};
    case NewTime::Kind::Set:
      break;
  }
  struct timespec ts;
  ts.tv_sec = static_cast<time_t>(t.ns / 1'000'000'000u);
  ts.tv_nsec = static_cast<long>(t.ns % 1'000'000'000u);
  return ts;
}

// "name" or "name/" for the syscalls that never follow their final component.
std::string with_slash(const ResolvedParent& rp) {
  return rp.trailing_slash ? rp.name + "/" : rp.name;
}

// A non-directory cannot be created under a name with a trailing slash: the error a POSIX
// system gives for "name/" when creating a symlink or hard link there (Linux says EEXIST for an
// existing file where others, and WASI's tests in strict mode, say ENOTDIR).
Errno trailing_slash_create_error(const ResolvedParent& rp) {
  struct stat st;
  if (::fstatat(rp.dir, rp.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) return last_errno();
  return S_ISDIR(st.st_mode) ? Errno::Exist : Errno::NotDir;
}

// Resolves a path for a lookup (stat, utimens, link source): a trailing slash follows a final
// symlink and requires a directory.
HostResult<ResolvedParent> resolve_lookup(int root, std::string_view path, bool follow) {
  return resolve_parent(root, path, follow || has_trailing_slash(path));
}

int open_flags(const OpenOptions& o) {
  int f = O_CLOEXEC | O_NOCTTY;
  if (o.write) {
    f |= o.read ? O_RDWR : O_WRONLY;
  } else {
    f |= O_RDONLY;
  }
  if (o.create) f |= O_CREAT;
  if (o.exclusive) f |= O_EXCL;
  if (o.truncate) f |= O_TRUNC;
  if (o.directory) f |= O_DIRECTORY;
  if (!o.follow) f |= O_NOFOLLOW;
  if (o.flags.append) f |= O_APPEND;
  if (o.flags.dsync) f |= O_DSYNC;
  if (o.flags.sync || o.flags.rsync) f |= O_SYNC;
  // Always non-blocking while opening, so a FIFO without a writer cannot hang the host; the
  // flag is cleared afterwards unless asked for.
  f |= O_NONBLOCK;
  return f;
}

}  // namespace

FileType file_type_from_mode(mode_t mode) {
  switch (mode & S_IFMT) {
    case S_IFREG:
      return FileType::RegularFile;
    case S_IFDIR:
      return FileType::Directory;
    case S_IFLNK:
      return FileType::SymbolicLink;
    case S_IFCHR:
      return FileType::CharacterDevice;
    case S_IFBLK:
      return FileType::BlockDevice;
    case S_IFIFO:
      return FileType::Fifo;
    case S_IFSOCK:
      return FileType::SocketStream;
    default:
      return FileType::Unknown;
  }
}

FileStat file_stat_from(const struct stat& st) {
  FileStat s;
  s.dev = static_cast<uint64_t>(st.st_dev);
  s.ino = static_cast<uint64_t>(st.st_ino);
  s.type = file_type_from_mode(st.st_mode);
  s.nlink = static_cast<uint64_t>(st.st_nlink);
  s.size = st.st_size < 0 ? 0 : static_cast<uint64_t>(st.st_size);
  s.atim = to_ns(st.st_atim);
  s.mtim = to_ns(st.st_mtim);
  s.ctim = to_ns(st.st_ctim);
  return s;
}

// ---------------------------------------------------------------------------------------------
// Dir

HostResult<std::shared_ptr<Dir>> Dir::open_host(const std::string& host_path) {
  int fd = ::open(host_path.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return fail_errno();
  return std::make_shared<Dir>(OwnedFd(fd));
}

HostResult<Dir::Opened> Dir::open_at(std::string_view path, const OpenOptions& options) {
  // open(2) would create a regular file or fail late; refuse up front.
  if (options.directory && options.create) return fail(Errno::Inval);
  // A directory wanted for lookups only needs no read permission: open it O_PATH.
  bool path_only = options.directory && !options.write && !options.create && !options.truncate;
  int flags = path_only ? (O_PATH | O_DIRECTORY | O_CLOEXEC | (options.follow ? 0 : O_NOFOLLOW))
                        : open_flags(options);
  auto fd = open_beneath(fd_.get(), path, flags, options.mode);
  if (!fd) return fail(fd.error());
  struct stat st;
  if (::fstat(fd->get(), &st) != 0) return fail_errno();
  Opened out;
  if (S_ISLNK(st.st_mode)) return fail(Errno::Loop);  // O_PATH | O_NOFOLLOW on a symlink
  if (S_ISDIR(st.st_mode)) {
    if (options.write) return fail(Errno::IsDir);
    out.dir = std::make_shared<Dir>(std::move(fd.value()));
    return out;
  }
  if (options.directory) return fail(Errno::NotDir);
  if (!options.flags.nonblock) {
    int fl = ::fcntl(fd->get(), F_GETFL);
    if (fl < 0 || ::fcntl(fd->get(), F_SETFL, fl & ~O_NONBLOCK) != 0) return fail_errno();
  }
  bool readable = options.read || !options.write;
  out.file = std::make_shared<File>(std::move(fd.value()), readable, options.write, options.flags);
  return out;
}

HostResult<FileStat> Dir::stat_at(std::string_view path, bool follow) const {
  auto rp = resolve_lookup(fd_.get(), path, follow);
  if (!rp) return fail(rp.error());
  struct stat st;
  if (::fstatat(rp->dir, rp->name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) return fail_errno();
  if (rp->trailing_slash && !S_ISDIR(st.st_mode)) return fail(Errno::NotDir);
  return file_stat_from(st);
}

HostResult<void> Dir::set_times_at(std::string_view path, bool follow, NewTime atime,
                                   NewTime mtime) const {
  auto rp = resolve_lookup(fd_.get(), path, follow);
  if (!rp) return fail(rp.error());
  if (rp->trailing_slash) {
    struct stat st;
    if (::fstatat(rp->dir, rp->name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) return fail_errno();
    if (!S_ISDIR(st.st_mode)) return fail(Errno::NotDir);
  }
  struct timespec ts[2] = {to_timespec(atime), to_timespec(mtime)};
  if (::utimensat(rp->dir, rp->name.c_str(), ts, AT_SYMLINK_NOFOLLOW) != 0) return fail_errno();
  return {};
}

HostResult<void> Dir::create_dir_at(std::string_view path) const {
  auto rp = resolve_parent(fd_.get(), path, /*follow_final=*/false);
  if (!rp) return fail(rp.error());
  if (::mkdirat(rp->dir, with_slash(*rp).c_str(), 0777) != 0) return fail_errno();
  return {};
}

HostResult<void> Dir::remove_dir_at(std::string_view path) const {
  auto rp = resolve_parent(fd_.get(), path, /*follow_final=*/false);
  if (!rp) return fail(rp.error());
  if (::unlinkat(rp->dir, with_slash(*rp).c_str(), AT_REMOVEDIR) != 0) return fail_errno();
  return {};
}

HostResult<void> Dir::unlink_file_at(std::string_view path) const {
  auto rp = resolve_parent(fd_.get(), path, /*follow_final=*/false);
  if (!rp) return fail(rp.error());
  if (::unlinkat(rp->dir, with_slash(*rp).c_str(), 0) != 0) return fail_errno();
  return {};
}

HostResult<std::string> Dir::read_link_at(std::string_view path) const {
  auto rp = resolve_lookup(fd_.get(), path, /*follow=*/false);
  if (!rp) return fail(rp.error());
  return read_link(rp->dir, rp->name.c_str());
}

HostResult<void> Dir::symlink_at(std::string_view target, std::string_view link_path) const {
  if (target.empty()) return fail(Errno::NoEnt);
  if (target.size() > kMaxPathLength) return fail(Errno::NameTooLong);
  if (target.find('\0') != std::string_view::npos) return fail(Errno::Inval);
  if (target.front() == '/') return fail(Errno::NotCapable);
  auto rp = resolve_parent(fd_.get(), link_path, /*follow_final=*/false);
  if (!rp) return fail(rp.error());
  if (rp->trailing_slash) return fail(trailing_slash_create_error(*rp));
  std::string t(target);
  if (::symlinkat(t.c_str(), rp->dir, rp->name.c_str()) != 0) return fail_errno();
  return {};
}

HostResult<void> Dir::rename(const Dir& from, std::string_view from_path, const Dir& to,
                             std::string_view to_path) {
  auto src = resolve_parent(from.fd(), from_path, /*follow_final=*/false);
  if (!src) return fail(src.error());
  auto dst = resolve_parent(to.fd(), to_path, /*follow_final=*/false);
  if (!dst) return fail(dst.error());
  if (::renameat(src->dir, with_slash(*src).c_str(), dst->dir, with_slash(*dst).c_str()) != 0) {
    return fail_errno();
  }
  return {};
}

HostResult<void> Dir::hard_link(const Dir& from, std::string_view from_path, bool follow,
                                const Dir& to, std::string_view to_path) {
  auto src = resolve_lookup(from.fd(), from_path, follow);
  if (!src) return fail(src.error());
  auto dst = resolve_parent(to.fd(), to_path, /*follow_final=*/false);
  if (!dst) return fail(dst.error());
  if (dst->trailing_slash) return fail(trailing_slash_create_error(*dst));
  if (src->trailing_slash) {
    // Only a directory can be named "x/", and directories cannot be hard-linked.
    struct stat st;
    if (::fstatat(src->dir, src->name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) return fail_errno();
    return fail(S_ISDIR(st.st_mode) ? Errno::Perm : Errno::NotDir);
  }
  // Flags 0: linkat never follows a symlink source then (any following was done above).
  if (::linkat(src->dir, src->name.c_str(), dst->dir, dst->name.c_str(), 0) != 0) {
    return fail_errno();
  }
  return {};
}

HostResult<FileStat> Dir::stat() const {
  struct stat st;
  if (::fstat(fd_.get(), &st) != 0) return fail_errno();
  return file_stat_from(st);
}

HostResult<void> Dir::set_times(NewTime atime, NewTime mtime) const {
  // "." relative to the directory is the directory itself; works on O_PATH descriptors.
  struct timespec ts[2] = {to_timespec(atime), to_timespec(mtime)};
  if (::utimensat(fd_.get(), ".", ts, 0) != 0) return fail_errno();
  return {};
}

HostResult<void> Dir::sync() const {
  OwnedFd fd(::openat(fd_.get(), ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (!fd) return fail_errno();
  if (::fsync(fd.get()) != 0) return fail_errno();
  return {};
}

HostResult<void> Dir::read_dir(uint64_t cookie, const std::function<bool(const DirEntry&)>& sink) {
  // Cookies are the kernel's d_off values (telldir positions): stable across calls and
  // unaffected by entries added or removed elsewhere in the directory.
  if (cookie > static_cast<uint64_t>(INT64_MAX)) return fail(Errno::Inval);
  if (!read_fd_) {
    int fd = ::openat(fd_.get(), ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return fail_errno();
    read_fd_.reset(fd);
  }
  if (::lseek(read_fd_.get(), static_cast<off_t>(cookie), SEEK_SET) < 0) return fail_errno();
  alignas(8) char buf[16 * 1024];
  for (;;) {
    long n = syscall(SYS_getdents64, read_fd_.get(), buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      return fail_errno();
    }
    if (n == 0) return {};
    for (long off = 0; off < n;) {
      // struct linux_dirent64 { u64 d_ino; s64 d_off; u16 d_reclen; u8 d_type; char d_name[]; }
      const char* rec = buf + off;
      uint64_t ino;
      int64_t d_off;
      uint16_t reclen;
      std::memcpy(&ino, rec, 8);
      std::memcpy(&d_off, rec + 8, 8);
      std::memcpy(&reclen, rec + 16, 2);
      auto d_type = static_cast<unsigned char>(rec[18]);
      const char* name = rec + 19;
      if (reclen == 0 || off + reclen > n) return fail(Errno::Io);
      off += reclen;
      DirEntry e;
      e.name.assign(name, strnlen(name, static_cast<size_t>(reclen) - 19));
      e.ino = ino;
      e.next = static_cast<uint64_t>(d_off);
      switch (d_type) {
        case DT_REG:
          e.type = FileType::RegularFile;
          break;
        case DT_DIR:
          e.type = FileType::Directory;
          break;
        case DT_LNK:
          e.type = FileType::SymbolicLink;
          break;
        case DT_CHR:
          e.type = FileType::CharacterDevice;
          break;
        case DT_BLK:
          e.type = FileType::BlockDevice;
          break;
        case DT_FIFO:
          e.type = FileType::Fifo;
          break;
        case DT_SOCK:
          e.type = FileType::SocketStream;
          break;
        default: {
          // DT_UNKNOWN: some filesystems only tell stat.
          struct stat st;
          if (::fstatat(read_fd_.get(), e.name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0) {
            e.type = file_type_from_mode(st.st_mode);
          }
          break;
        }
      }
      if (!sink(e)) return {};
    }
  }
}

// ---------------------------------------------------------------------------------------------
// File

HostResult<size_t> File::read(std::span<const iovec> iovs) {
  iovs = clamp_iovs(iovs);
  for (;;) {
    ssize_t n = ::readv(fd_.get(), iovs.data(), static_cast<int>(iovs.size()));
    if (n >= 0) return static_cast<size_t>(n);
    if (errno != EINTR) return fail_errno();
  }
}

HostResult<size_t> File::write(std::span<const iovec> iovs) {
  iovs = clamp_iovs(iovs);
  for (;;) {
    ssize_t n = ::writev(fd_.get(), iovs.data(), static_cast<int>(iovs.size()));
    if (n >= 0) return static_cast<size_t>(n);
    if (errno != EINTR) return fail_errno();
  }
}

HostResult<size_t> File::pread(std::span<const iovec> iovs, uint64_t offset) {
  iovs = clamp_iovs(iovs);
  if (offset > static_cast<uint64_t>(INT64_MAX)) return fail(Errno::Inval);
  for (;;) {
    ssize_t n =
        ::preadv(fd_.get(), iovs.data(), static_cast<int>(iovs.size()), static_cast<off_t>(offset));
    if (n >= 0) return static_cast<size_t>(n);
    if (errno != EINTR) return fail_errno();
  }
}

HostResult<size_t> File::pwrite(std::span<const iovec> iovs, uint64_t offset) {
  iovs = clamp_iovs(iovs);
  if (offset > static_cast<uint64_t>(INT64_MAX)) return fail(Errno::Inval);
  for (;;) {
    ssize_t n = ::pwritev(fd_.get(), iovs.data(), static_cast<int>(iovs.size()),
                          static_cast<off_t>(offset));
    if (n >= 0) return static_cast<size_t>(n);
    if (errno != EINTR) return fail_errno();
  }
}

HostResult<uint64_t> File::seek(int64_t offset, Whence whence) {
  int w = whence == Whence::Set ? SEEK_SET : whence == Whence::Cur ? SEEK_CUR : SEEK_END;
  off_t r = ::lseek(fd_.get(), static_cast<off_t>(offset), w);
  if (r < 0) return fail_errno();
  return static_cast<uint64_t>(r);
}

HostResult<uint64_t> File::tell() {
  return seek(0, Whence::Cur);
}

HostResult<void> File::sync() {
  if (::fsync(fd_.get()) != 0) return fail_errno();
  return {};
}

HostResult<void> File::datasync() {
  if (::fdatasync(fd_.get()) != 0) return fail_errno();
  return {};
}

HostResult<void> File::allocate(uint64_t offset, uint64_t len) {
  if (offset > static_cast<uint64_t>(INT64_MAX) || len > static_cast<uint64_t>(INT64_MAX) ||
      offset + len > static_cast<uint64_t>(INT64_MAX)) {
    return fail(Errno::FileTooBig);
  }
  if (len == 0) return fail(Errno::Inval);
  int r = ::posix_fallocate(fd_.get(), static_cast<off_t>(offset), static_cast<off_t>(len));
  if (r != 0) return fail(errno_from_posix(r));
  return {};
}

HostResult<void> File::set_size(uint64_t size) {
  if (size > static_cast<uint64_t>(INT64_MAX)) return fail(Errno::FileTooBig);
  if (::ftruncate(fd_.get(), static_cast<off_t>(size)) != 0) return fail_errno();
  return {};
}

HostResult<void> File::advise(uint64_t offset, uint64_t len, Advice advice) {
  if (offset > static_cast<uint64_t>(INT64_MAX) || len > static_cast<uint64_t>(INT64_MAX)) {
    return fail(Errno::Inval);
  }
  int a = POSIX_FADV_NORMAL;
  switch (advice) {
    case Advice::Normal:
      a = POSIX_FADV_NORMAL;
      break;
    case Advice::Sequential:
      a = POSIX_FADV_SEQUENTIAL;
      break;
    case Advice::Random:
      a = POSIX_FADV_RANDOM;
      break;
    case Advice::WillNeed:
      a = POSIX_FADV_WILLNEED;
      break;
    case Advice::DontNeed:
      a = POSIX_FADV_DONTNEED;
      break;
    case Advice::NoReuse:
      a = POSIX_FADV_NOREUSE;
      break;
  }
  int r = ::posix_fadvise(fd_.get(), static_cast<off_t>(offset), static_cast<off_t>(len), a);
  if (r != 0) return fail(errno_from_posix(r));
  return {};
}

HostResult<FileStat> File::stat() const {
  struct stat st;
  if (::fstat(fd_.get(), &st) != 0) return fail_errno();
  return file_stat_from(st);
}

HostResult<void> File::set_times(NewTime atime, NewTime mtime) {
  struct timespec ts[2] = {to_timespec(atime), to_timespec(mtime)};
  if (::futimens(fd_.get(), ts) != 0) return fail_errno();
  return {};
}

HostResult<FdFlags> File::flags() const {
  int fl = ::fcntl(fd_.get(), F_GETFL);
  if (fl < 0) return fail_errno();
  FdFlags f;
  f.append = (fl & O_APPEND) != 0;
  f.nonblock = (fl & O_NONBLOCK) != 0;
  f.dsync = requested_.dsync;
  f.rsync = requested_.rsync;
  f.sync = requested_.sync;
  return f;
}

HostResult<void> File::set_flags(const FdFlags& flags) {
  if (flags.dsync != requested_.dsync || flags.rsync != requested_.rsync ||
      flags.sync != requested_.sync) {
    return fail(Errno::Inval);
  }
  int fl = ::fcntl(fd_.get(), F_GETFL);
  if (fl < 0) return fail_errno();
  fl &= ~(O_APPEND | O_NONBLOCK);
  if (flags.append) fl |= O_APPEND;
  if (flags.nonblock) fl |= O_NONBLOCK;
  if (::fcntl(fd_.get(), F_SETFL, fl) != 0) return fail_errno();
  return {};
}

}  // namespace zinc::wasi::host
