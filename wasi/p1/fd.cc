// wasi/p1/fd.cc: the fd_* functions of wasi_snapshot_preview1, and the filestat/filetype
// helpers path.cc shares.
//
// Behaviour on the wrong kind of descriptor follows Linux where it has an answer (a directory:
// IsDir for reads/writes; a stream: SPipe for seeks) and Wasmtime otherwise (BadF). Rights are
// reported, not enforced; fd_fdstat_set_rights answers NotSup, as in Wasmtime.
#include <algorithm>
#include <cstring>

#include "wasi/p1/impl.h"

namespace zinc::wasi::p1 {

using Kind = Descriptor::Kind;

Filetype filetype_from_host(host::FileType t) {
  switch (t) {
    case host::FileType::BlockDevice:
      return Filetype::BlockDevice;
    case host::FileType::CharacterDevice:
      return Filetype::CharacterDevice;
    case host::FileType::Directory:
      return Filetype::Directory;
    case host::FileType::RegularFile:
      return Filetype::RegularFile;
    case host::FileType::SocketDgram:
      return Filetype::SocketDgram;
    case host::FileType::SocketStream:
      return Filetype::SocketStream;
    case host::FileType::SymbolicLink:
      return Filetype::SymbolicLink;
    case host::FileType::Fifo:  // P1 has no FIFO type
    case host::FileType::Unknown:
      break;
  }
  return Filetype::Unknown;
}

Errno store_filestat(Env& env, uint32_t ptr, const host::FileStat& st) {
  using L = layout::Filestat;
  auto s = env.object(ptr, L::kSize, L::kAlign);
  if (!s) return s.error();
  std::fill(s->begin(), s->end(), uint8_t{0});
  put<uint64_t>(*s, L::kDev, st.dev);
  put<uint64_t>(*s, L::kIno, st.ino);
  put<uint8_t>(*s, L::kFiletype, static_cast<uint8_t>(filetype_from_host(st.type)));
  put<uint64_t>(*s, L::kNlink, st.nlink);
  put<uint64_t>(*s, L::kSize_, st.size);
  put<uint64_t>(*s, L::kAtim, st.atim);
  put<uint64_t>(*s, L::kMtim, st.mtim);
  put<uint64_t>(*s, L::kCtim, st.ctim);
  return Errno::Success;
}

P1Result<std::pair<host::NewTime, host::NewTime>> new_times(uint64_t atim, uint64_t mtim,
                                                            uint32_t fst_flags) {
  using namespace fstflags;
  if (fst_flags & ~kAll) return fail(Errno::Inval);
  if ((fst_flags & kAtim) && (fst_flags & kAtimNow)) return fail(Errno::Inval);
  if ((fst_flags & kMtim) && (fst_flags & kMtimNow)) return fail(Errno::Inval);
  auto pick = [](uint32_t flags, uint32_t set, uint32_t now, uint64_t value) {
    if (flags & set) return host::NewTime::at(value);
    if (flags & now) return host::NewTime::now();
    return host::NewTime::keep();
  };
  return std::make_pair(pick(fst_flags, kAtim, kAtimNow, atim),
                        pick(fst_flags, kMtim, kMtimNow, mtim));
}

P1Result<std::shared_ptr<host::Dir>> dir_of(Env& env, uint32_t fd) {
  auto d = env.descriptor(fd);
  if (!d) return fail(d.error());
  if ((*d)->kind != Kind::Dir) return fail(Errno::NotDir);
  return (*d)->dir;
}

namespace {

// Transfers larger than this are cut short (Linux does the same per read/write call), so byte
// counts always fit the guest's u32 `size`.
constexpr size_t kMaxTransfer = 0x7ffff000;

Filetype stream_filetype(bool terminal) {
  return terminal ? Filetype::CharacterDevice : Filetype::Unknown;
}

P1Result<size_t> read_stream(host::InputStream& in, const std::vector<iovec>& iovs) {
  // Streams fill one buffer per call, like a pipe's read(2).
  for (const iovec& v : iovs) {
    if (v.iov_len == 0) continue;
    auto n = in.read({static_cast<uint8_t*>(v.iov_base), std::min(v.iov_len, kMaxTransfer)});
    if (!n) return fail_host(n.error());
    return *n;
  }
  return size_t{0};
}

P1Result<size_t> write_stream(host::OutputStream& out, const std::vector<iovec>& iovs) {
  size_t total = 0;
  for (const iovec& v : iovs) {
    size_t len = std::min(v.iov_len, kMaxTransfer - total);
    if (len == 0) continue;
    auto n = out.write({static_cast<const uint8_t*>(v.iov_base), len});
    if (!n) {
      if (total > 0) break;
      return fail_host(n.error());
    }
    total += *n;
    if (*n < len || total >= kMaxTransfer) break;
  }
  return total;
}

// fd_read / fd_write / fd_pread / fd_pwrite share argument handling and the result store.
enum class Io : uint8_t { Read, Write, PRead, PWrite };

Errno transfer(Env& env, Io op, uint32_t fd, uint32_t iovs_ptr, uint32_t iovs_len, uint64_t offset,
               uint32_t result_out) {
  auto d = env.descriptor(fd);
  if (!d) return d.error();
  auto iovs = env.iovecs(iovs_ptr, iovs_len);
  if (!iovs) return iovs.error();
  Descriptor& desc = **d;
  P1Result<size_t> n = fail(Errno::BadF);
  switch (desc.kind) {
    case Kind::File: {
      host::HostResult<size_t> r = host::fail(host::Errno::BadF);
      switch (op) {
        case Io::Read:
          r = desc.file->read(*iovs);
          break;
        case Io::Write:
          r = desc.file->write(*iovs);
          break;
        case Io::PRead:
          r = desc.file->pread(*iovs, offset);
          break;
        case Io::PWrite:
          r = desc.file->pwrite(*iovs, offset);
          break;
      }
      n = r ? P1Result<size_t>(*r) : fail_host(r.error());
      break;
    }
    case Kind::Dir:
      n = fail(Errno::IsDir);
      break;
    case Kind::InputStream:
      if (op == Io::Read) n = read_stream(*desc.input, *iovs);
      if (op == Io::PRead || op == Io::PWrite) n = fail(Errno::SPipe);
      break;
    case Kind::OutputStream:
      if (op == Io::Write) n = write_stream(*desc.output, *iovs);
      if (op == Io::PRead || op == Io::PWrite) n = fail(Errno::SPipe);
      break;
    case Kind::Socket:
      if (op == Io::Read) {
        auto r = desc.socket->recv(*iovs, false, false);
        n = r ? P1Result<size_t>(r->bytes) : fail_host(r.error());
      } else if (op == Io::Write) {
        auto r = desc.socket->send(*iovs);
        n = r ? P1Result<size_t>(*r) : fail_host(r.error());
      } else {
        n = fail(Errno::SPipe);
      }
      break;
  }
  if (!n) return n.error();
  return env.store<uint32_t>(result_out, static_cast<uint32_t>(std::min(*n, kMaxTransfer)));
}

Errno seek(Env& env, uint32_t fd, int64_t offset, uint32_t whence, uint32_t out) {
  auto d = env.descriptor(fd);
  if (!d) return d.error();
  if (whence >= kNumWhence) return Errno::Inval;
  Descriptor& desc = **d;
  switch (desc.kind) {
    case Kind::File: {
      auto pos = desc.file->seek(offset, static_cast<host::Whence>(whence));
      if (!pos) return errno_from_host(pos.error());
      return env.store<uint64_t>(out, *pos);
    }
    case Kind::Dir:
      return Errno::IsDir;
    case Kind::InputStream:
    case Kind::OutputStream:
    case Kind::Socket:
      return Errno::SPipe;
  }
  return Errno::BadF;
}

Errno sync(Env& env, uint32_t fd, bool data_only) {
  auto d = env.descriptor(fd);
  if (!d) return d.error();
  Descriptor& desc = **d;
  host::HostResult<void> r;
  switch (desc.kind) {
    case Kind::File:
      r = data_only ? desc.file->datasync() : desc.file->sync();
      break;
    case Kind::Dir:
      r = desc.dir->sync();
      break;
    case Kind::OutputStream:
      r = desc.output->flush();
      break;
    case Kind::InputStream:
    case Kind::Socket:
      return Errno::Inval;  // what fsync(2) says for pipes and sockets
  }
  return r ? Errno::Success : errno_from_host(r.error());
}

uint16_t fdflags_from_host(const host::FdFlags& f) {
  uint16_t out = 0;
  if (f.append) out |= fdflags::kAppend;
  if (f.dsync) out |= fdflags::kDsync;
  if (f.nonblock) out |= fdflags::kNonblock;
  if (f.rsync) out |= fdflags::kRsync;
  if (f.sync) out |= fdflags::kSync;
  return out;
}

}  // namespace

host::FdFlags fdflags_to_host(uint32_t flags) {
  host::FdFlags f;
  f.append = flags & fdflags::kAppend;
  f.dsync = flags & fdflags::kDsync;
  f.nonblock = flags & fdflags::kNonblock;
  f.rsync = flags & fdflags::kRsync;
  f.sync = flags & fdflags::kSync;
  return f;
}

namespace impl {

Errno fd_read(Env& env, uint32_t fd, uint32_t iovs, uint32_t iovs_len, uint32_t nread_out) {
  return transfer(env, Io::Read, fd, iovs, iovs_len, 0, nread_out);
}

Errno fd_write(Env& env, uint32_t fd, uint32_t iovs, uint32_t iovs_len, uint32_t nwritten_out) {
  return transfer(env, Io::Write, fd, iovs, iovs_len, 0, nwritten_out);
}

Errno fd_pread(Env& env, uint32_t fd, uint32_t iovs, uint32_t iovs_len, uint64_t offset,
               uint32_t nread_out) {
  return transfer(env, Io::PRead, fd, iovs, iovs_len, offset, nread_out);
}

Errno fd_pwrite(Env& env, uint32_t fd, uint32_t iovs, uint32_t iovs_len, uint64_t offset,
                uint32_t nwritten_out) {
  return transfer(env, Io::PWrite, fd, iovs, iovs_len, offset, nwritten_out);
}

Errno fd_seek(Env& env, uint32_t fd, int64_t offset, uint32_t whence, uint32_t newoffset_out) {
  return seek(env, fd, offset, whence, newoffset_out);
}

Errno fd_tell(Env& env, uint32_t fd, uint32_t offset_out) {
  return seek(env, fd, 0, static_cast<uint32_t>(host::Whence::Cur), offset_out);
}

Errno fd_sync(Env& env, uint32_t fd) {
  return sync(env, fd, false);
}

Errno fd_datasync(Env& env, uint32_t fd) {
  return sync(env, fd, true);
}

Errno fd_close(Env& env, uint32_t fd) {
  return env.ctx().fds().remove(fd) ? Errno::Success : Errno::BadF;
}

Errno fd_renumber(Env& env, uint32_t fd, uint32_t to) {
  auto r = env.ctx().fds().renumber(fd, to);
  return r ? Errno::Success : errno_from_host(r.error());
}

Errno fd_advise(Env& env, uint32_t fd, uint64_t offset, uint64_t len, uint32_t advice) {
  auto d = env.descriptor(fd);
  if (!d) return d.error();
  if (advice >= kNumAdvice) return Errno::Inval;
  if ((*d)->kind != Kind::File) return (*d)->kind == Kind::Dir ? Errno::IsDir : Errno::SPipe;
  auto r = (*d)->file->advise(offset, len, static_cast<host::Advice>(advice));
  return r ? Errno::Success : errno_from_host(r.error());
}

Errno fd_allocate(Env& env, uint32_t fd, uint64_t offset, uint64_t len) {
  auto d = env.descriptor(fd);
  if (!d) return d.error();
  if ((*d)->kind != Kind::File) return (*d)->kind == Kind::Dir ? Errno::IsDir : Errno::BadF;
  auto r = (*d)->file->allocate(offset, len);
  return r ? Errno::Success : errno_from_host(r.error());
}

Errno fd_fdstat_get(Env& env, uint32_t fd, uint32_t fdstat_out) {
  using L = layout::Fdstat;
  auto d = env.descriptor(fd);
  if (!d) return d.error();
  Descriptor& desc = **d;
  Filetype type = Filetype::Unknown;
  uint16_t flags = 0;
  uint64_t base = 0;
  uint64_t inheriting = 0;
  switch (desc.kind) {
    case Kind::InputStream:
      type = stream_filetype(desc.input->is_terminal());
      base = inheriting = rights::kFdRead | rights::kPollFdReadwrite;
      break;
    case Kind::OutputStream:
      type = stream_filetype(desc.output->is_terminal());
      base = inheriting = rights::kFdWrite | rights::kPollFdReadwrite;
      break;
    case Kind::Dir:
      type = Filetype::Directory;
      base = rights::kDirectoryBase;
      inheriting = rights::kDirectoryInheriting;
      break;
    case Kind::File: {
      auto st = desc.file->stat();
      if (!st) return errno_from_host(st.error());
      type = filetype_from_host(st->type);
      auto f = desc.file->flags();
      if (!f) return errno_from_host(f.error());
      flags = fdflags_from_host(*f);
      base = rights::kFileBase;
      if (!desc.file->readable()) base &= ~rights::kFdRead;
      if (!desc.file->writable()) base &= ~rights::kFdWrite;
      inheriting = base;
      break;
    }
    case Kind::Socket: {
      auto t = desc.socket->type();
      if (!t) return errno_from_host(t.error());
      type = filetype_from_host(*t);
      auto nb = desc.socket->nonblocking();
      if (!nb) return errno_from_host(nb.error());
      flags = *nb ? fdflags::kNonblock : 0;
      base = inheriting = rights::kSocketBase;
      break;
    }
  }
  auto s = env.object(fdstat_out, L::kSize, L::kAlign);
  if (!s) return s.error();
  std::fill(s->begin(), s->end(), uint8_t{0});
  put<uint8_t>(*s, L::kFiletype, static_cast<uint8_t>(type));
  put<uint16_t>(*s, L::kFlags, flags);
  put<uint64_t>(*s, L::kRightsBase, base);
  put<uint64_t>(*s, L::kRightsInheriting, inheriting);
  return Errno::Success;
}

Errno fd_fdstat_set_flags(Env& env, uint32_t fd, uint32_t flags) {
  auto d = env.descriptor(fd);
  if (!d) return d.error();
  if (flags & ~fdflags::kAll) return Errno::Inval;
  Descriptor& desc = **d;
  if (desc.kind == Kind::File) {
    auto r = desc.file->set_flags(fdflags_to_host(flags));
    return r ? Errno::Success : errno_from_host(r.error());
  }
  if (desc.kind == Kind::Socket) {
    if (flags & ~fdflags::kNonblock) return Errno::Inval;
    auto r = desc.socket->set_nonblocking(flags & fdflags::kNonblock);
    return r ? Errno::Success : errno_from_host(r.error());
  }
  return Errno::BadF;
}

Errno fd_fdstat_set_rights(Env& env, uint32_t fd, uint64_t, uint64_t) {
  auto d = env.descriptor(fd);
  if (!d) return d.error();
  return Errno::NotSup;
}

Errno fd_filestat_get(Env& env, uint32_t fd, uint32_t filestat_out) {
  auto d = env.descriptor(fd);
  if (!d) return d.error();
  Descriptor& desc = **d;
  host::HostResult<host::FileStat> st = host::FileStat{};
  switch (desc.kind) {
    case Kind::File:
      st = desc.file->stat();
      break;
    case Kind::Dir:
      st = desc.dir->stat();
      break;
    case Kind::Socket:
      st = desc.socket->stat();
      break;
    case Kind::InputStream:
      st->type =
          desc.input->is_terminal() ? host::FileType::CharacterDevice : host::FileType::Unknown;
      break;
    case Kind::OutputStream:
      st->type =
          desc.output->is_terminal() ? host::FileType::CharacterDevice : host::FileType::Unknown;
      break;
  }
  if (!st) return errno_from_host(st.error());
  return store_filestat(env, filestat_out, *st);
}

Errno fd_filestat_set_size(Env& env, uint32_t fd, uint64_t size) {
  auto d = env.descriptor(fd);
  if (!d) return d.error();
  if ((*d)->kind != Kind::File) return (*d)->kind == Kind::Dir ? Errno::IsDir : Errno::BadF;
  auto r = (*d)->file->set_size(size);
  return r ? Errno::Success : errno_from_host(r.error());
}

Errno fd_filestat_set_times(Env& env, uint32_t fd, uint64_t atim, uint64_t mtim,
                            uint32_t fst_flags) {
  auto d = env.descriptor(fd);
  if (!d) return d.error();
  auto times = new_times(atim, mtim, fst_flags);
  if (!times) return times.error();
  Descriptor& desc = **d;
  host::HostResult<void> r = host::fail(host::Errno::BadF);
  if (desc.kind == Kind::File) r = desc.file->set_times(times->first, times->second);
  if (desc.kind == Kind::Dir) r = desc.dir->set_times(times->first, times->second);
  return r ? Errno::Success : errno_from_host(r.error());
}

Errno fd_prestat_get(Env& env, uint32_t fd, uint32_t prestat_out) {
  using L = layout::Prestat;
  auto d = env.descriptor(fd);
  if (!d) return d.error();
  if (!(*d)->preopen) return Errno::BadF;
  const std::string& name = (*d)->preopen_name;
  if (name.size() > UINT32_MAX) return Errno::Overflow;
  auto s = env.object(prestat_out, L::kSize, L::kAlign);
  if (!s) return s.error();
  std::fill(s->begin(), s->end(), uint8_t{0});
  put<uint8_t>(*s, L::kTag, kPreopentypeDir);
  put<uint32_t>(*s, L::kNameLen, static_cast<uint32_t>(name.size()));
  return Errno::Success;
}

Errno fd_prestat_dir_name(Env& env, uint32_t fd, uint32_t path, uint32_t path_len) {
  auto d = env.descriptor(fd);
  if (!d) return d.error();
  if (!(*d)->preopen) return Errno::BadF;
  const std::string& name = (*d)->preopen_name;
  if (path_len < name.size()) return Errno::NameTooLong;
  auto s = env.bytes(path, name.size());
  if (!s) return s.error();
  std::memcpy(s->data(), name.data(), name.size());
  return Errno::Success;
}

Errno fd_readdir(Env& env, uint32_t fd, uint32_t buf, uint32_t buf_len, uint64_t cookie,
                 uint32_t bufused_out) {
  using L = layout::Dirent;
  auto d = env.descriptor(fd);
  if (!d) return d.error();
  if ((*d)->kind != Kind::Dir) return Errno::NotDir;
  auto out = env.bytes(buf, buf_len);
  if (!out) return out.error();
  size_t used = 0;
  // Entries are written back to back; the last one is cut off where the buffer ends, which
  // tells the guest (bufused == buf_len) to come back with that entry's predecessor's cookie.
  auto append = [&](const uint8_t* data, size_t len) {
    size_t n = std::min(len, out->size() - used);
    if (n > 0) std::memcpy(out->data() + used, data, n);
    used += n;
    return used < out->size();
  };
  auto r = (*d)->dir->read_dir(cookie, [&](const host::DirEntry& e) {
    uint8_t header[L::kSize] = {};
    std::span<uint8_t> h(header);
    put<uint64_t>(h, L::kNext, e.next);
    put<uint64_t>(h, L::kIno, e.ino);
    put<uint32_t>(h, L::kNamlen, static_cast<uint32_t>(e.name.size()));
    put<uint8_t>(h, L::kType, static_cast<uint8_t>(filetype_from_host(e.type)));
    if (!append(header, sizeof header)) return false;
    return append(reinterpret_cast<const uint8_t*>(e.name.data()), e.name.size());
  });
  if (!r) return errno_from_host(r.error());
  return env.store<uint32_t>(bufused_out, static_cast<uint32_t>(used));
}

}  // namespace impl
}  // namespace zinc::wasi::p1
