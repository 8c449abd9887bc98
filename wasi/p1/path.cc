// wasi/p1/path.cc: the path_* functions of wasi_snapshot_preview1.
//
// All sandboxing is in wasi/host (resolve.h): these functions only check the guest's
// arguments, pick the directory descriptor and translate flags. Like Wasmtime, path_link refuses
// lookupflags::symlink_follow (Inval) and path_open derives read/write access from the
// requested rights (fd_read / fd_readdir -> read; fd_write, fd_datasync, fd_allocate,
// fd_filestat_set_size -> write; neither -> read).
#include <algorithm>
#include <cstring>

#include "wasi/p1/impl.h"

namespace zinc::wasi::p1 {
namespace {

// A directory descriptor and a path string, the first arguments of most path_* functions.
struct DirPath {
  std::shared_ptr<host::Dir> dir;
  std::string_view path;
};

P1Result<DirPath> dir_path(Env& env, uint32_t fd, uint32_t path, uint32_t path_len) {
  auto dir = dir_of(env, fd);
  if (!dir) return fail(dir.error());
  auto p = env.string(path, path_len);
  if (!p) return fail(p.error());
  return DirPath{*dir, *p};
}

Errno from(const host::HostResult<void>& r) {
  return r ? Errno::Success : errno_from_host(r.error());
}

}  // namespace

namespace impl {

Errno path_create_directory(Env& env, uint32_t fd, uint32_t path, uint32_t path_len) {
  auto dp = dir_path(env, fd, path, path_len);
  if (!dp) return dp.error();
  return from(dp->dir->create_dir_at(dp->path));
}

Errno path_remove_directory(Env& env, uint32_t fd, uint32_t path, uint32_t path_len) {
  auto dp = dir_path(env, fd, path, path_len);
  if (!dp) return dp.error();
  return from(dp->dir->remove_dir_at(dp->path));
}

Errno path_unlink_file(Env& env, uint32_t fd, uint32_t path, uint32_t path_len) {
  auto dp = dir_path(env, fd, path, path_len);
  if (!dp) return dp.error();
  return from(dp->dir->unlink_file_at(dp->path));
}

Errno path_filestat_get(Env& env, uint32_t fd, uint32_t flags, uint32_t path, uint32_t path_len,
                        uint32_t filestat_out) {
  if (flags & ~lookupflags::kAll) return Errno::Inval;
  auto dp = dir_path(env, fd, path, path_len);
  if (!dp) return dp.error();
  auto st = dp->dir->stat_at(dp->path, flags & lookupflags::kSymlinkFollow);
  if (!st) return errno_from_host(st.error());
  return store_filestat(env, filestat_out, *st);
}

Errno path_filestat_set_times(Env& env, uint32_t fd, uint32_t flags, uint32_t path,
                              uint32_t path_len, uint64_t atim, uint64_t mtim, uint32_t fst_flags) {
  if (flags & ~lookupflags::kAll) return Errno::Inval;
  auto times = new_times(atim, mtim, fst_flags);
  if (!times) return times.error();
  auto dp = dir_path(env, fd, path, path_len);
  if (!dp) return dp.error();
  return from(dp->dir->set_times_at(dp->path, flags & lookupflags::kSymlinkFollow, times->first,
                                    times->second));
}

Errno path_link(Env& env, uint32_t old_fd, uint32_t old_flags, uint32_t old_path,
                uint32_t old_path_len, uint32_t new_fd, uint32_t new_path, uint32_t new_path_len) {
  if (old_flags & ~lookupflags::kAll) return Errno::Inval;
  auto from_dp = dir_path(env, old_fd, old_path, old_path_len);
  if (!from_dp) return from_dp.error();
  auto to_dp = dir_path(env, new_fd, new_path, new_path_len);
  if (!to_dp) return to_dp.error();
  if (old_flags & lookupflags::kSymlinkFollow) return Errno::Inval;
  return from(host::Dir::hard_link(*from_dp->dir, from_dp->path, false, *to_dp->dir, to_dp->path));
}

Errno path_rename(Env& env, uint32_t fd, uint32_t old_path, uint32_t old_path_len, uint32_t new_fd,
                  uint32_t new_path, uint32_t new_path_len) {
  auto from_dp = dir_path(env, fd, old_path, old_path_len);
  if (!from_dp) return from_dp.error();
  auto to_dp = dir_path(env, new_fd, new_path, new_path_len);
  if (!to_dp) return to_dp.error();
  return from(host::Dir::rename(*from_dp->dir, from_dp->path, *to_dp->dir, to_dp->path));
}

Errno path_symlink(Env& env, uint32_t old_path, uint32_t old_path_len, uint32_t fd,
                   uint32_t new_path, uint32_t new_path_len) {
  auto target = env.string(old_path, old_path_len);
  if (!target) return target.error();
  auto dp = dir_path(env, fd, new_path, new_path_len);
  if (!dp) return dp.error();
  return from(dp->dir->symlink_at(*target, dp->path));
}

Errno path_readlink(Env& env, uint32_t fd, uint32_t path, uint32_t path_len, uint32_t buf,
                    uint32_t buf_len, uint32_t bufused_out) {
  auto dp = dir_path(env, fd, path, path_len);
  if (!dp) return dp.error();
  auto target = dp->dir->read_link_at(dp->path);
  if (!target) return errno_from_host(target.error());
  // Like readlink(2): the target is cut to the buffer, without a terminator.
  size_t n = std::min<size_t>(target->size(), buf_len);
  auto out = env.bytes(buf, n);
  if (!out) return out.error();
  std::memcpy(out->data(), target->data(), n);
  return env.store<uint32_t>(bufused_out, static_cast<uint32_t>(n));
}

Errno path_open(Env& env, uint32_t fd, uint32_t dirflags, uint32_t path, uint32_t path_len,
                uint32_t oflags, uint64_t rights_base, uint64_t /*rights_inheriting*/,
                uint32_t fdflags, uint32_t fd_out) {
  if (dirflags & ~lookupflags::kAll) return Errno::Inval;
  if (oflags & ~oflags::kAll) return Errno::Inval;
  if (fdflags & ~fdflags::kAll) return Errno::Inval;
  auto dp = dir_path(env, fd, path, path_len);
  if (!dp) return dp.error();
  // Check the result pointer first, so a bad pointer cannot strand an opened descriptor.
  if (auto out = env.object(fd_out, 4, 4); !out) return out.error();

  host::OpenOptions o;
  bool read = rights_base & (rights::kFdRead | rights::kFdReaddir);
  bool write = rights_base & (rights::kFdWrite | rights::kFdDatasync | rights::kFdAllocate |
                              rights::kFdFilestatSetSize);
  o.read = read || !write;
  o.write = write;
  o.create = oflags & oflags::kCreat;
  o.exclusive = oflags & oflags::kExcl;
  o.truncate = oflags & oflags::kTrunc;
  o.directory = oflags & oflags::kDirectory;
  o.follow = dirflags & lookupflags::kSymlinkFollow;
  o.flags = fdflags_to_host(fdflags);
  auto opened = dp->dir->open_at(dp->path, o);
  if (!opened) return errno_from_host(opened.error());

  auto desc = std::make_shared<Descriptor>();
  if (opened->dir) {
    desc->kind = Descriptor::Kind::Dir;
    desc->dir = std::move(opened->dir);
  } else {
    desc->kind = Descriptor::Kind::File;
    desc->file = std::move(opened->file);
  }
  auto handle = env.ctx().fds().insert(std::move(desc));
  if (!handle) return errno_from_host(handle.error());
  return env.store<uint32_t>(fd_out, *handle);
}

}  // namespace impl
}  // namespace zinc::wasi::p1
