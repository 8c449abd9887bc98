// wasi/p2/filesystem.cc: wasi:filesystem 0.2 -- `types` (descriptor, directory-entry-stream,
// filesystem-error-code) and `preopens` -- over the sandboxed host objects of wasi/host/fs.h.
//
// A descriptor is a host::Dir or a host::File. All path resolution (and so the sandbox: "..",
// absolute paths and symlinks leading out fail with not-permitted) is host::Dir's; this file
// only checks arguments, enforces the descriptor's flags and translates values.
//
// Flags, as Wasmtime enforces them:
//  - a file's `read` / `write` are fixed at open-at (no `write` means opened for reading;
//    `create` and `truncate` imply `write`). Reading a file without `read`, or writing one
//    without `write` (read, write, the *-via-stream functions) fails with bad-descriptor, the
//    error the OS gives for such a descriptor; set-size needs `write` too.
//  - a directory's permission to mutate what is beneath it (`mutate-directory`) comes from the
//    directory it was opened from (every preopen has it), not from the flags the guest asks
//    for: the Preview 1 adapter never asks for it, and Wasmtime inherits it the same way.
//    Without it, open-at with create / truncate / write / mutate-directory and the other
//    mutating calls fail with read-only (the WIT's rule).
//  - file operations on a directory fail with bad-descriptor; path operations on a file with
//    not-directory.
// Streams over files read and write at their own offset (pread/pwrite), so several streams on
// one descriptor do not interfere; files are always ready for polling. A failed stream
// operation's error carries the host errno, which filesystem-error-code translates.
// Directory entry streams are children of their descriptor (dropping the descriptor first
// traps); they omit "." and "..".
// Spec: https://github.com/WebAssembly/WASI/tree/main/proposals/filesystem (0.2: wit/)
#include <algorithm>
#include <deque>
#include <string>
#include <utility>

#include "wasi/host/fs.h"
#include "wasi/p2/host.h"

namespace zinc::wasi::p2 {

namespace {

/// The most bytes one read (descriptor.read, a stream read) returns: a guest asking for more
/// gets at most this many, as the WIT allows.
constexpr uint64_t kMaxRead = 1 << 20;
/// Bytes a file output stream permits per write (check-write's answer).
constexpr uint64_t kFileWritePermit = 1 << 20;
/// Directory entries a directory-entry-stream reads from the host at a time.
constexpr size_t kDirBatch = 64;

// ---- error-code ----

struct ErrorCodeRow {
  host::Errno host;
  const char* label;  // the wasi:filesystem/types error-code case
};

// host::Errno -> error-code. Anything not listed is `io`. NotCapable (a path leaving its
// sandbox) is not-permitted, as the WIT's path resolution rules say.
constexpr ErrorCodeRow kErrorCodes[] = {
    {host::Errno::Access, "access"},
    {host::Errno::Again, "would-block"},
    {host::Errno::Already, "already"},
    {host::Errno::BadF, "bad-descriptor"},
    {host::Errno::Busy, "busy"},
    {host::Errno::Deadlock, "deadlock"},
    {host::Errno::Quota, "quota"},
    {host::Errno::Exist, "exist"},
    {host::Errno::FileTooBig, "file-too-large"},
    {host::Errno::IllegalSeq, "illegal-byte-sequence"},
    {host::Errno::InProgress, "in-progress"},
    {host::Errno::Interrupted, "interrupted"},
    {host::Errno::Inval, "invalid"},
    {host::Errno::Io, "io"},
    {host::Errno::IsDir, "is-directory"},
    {host::Errno::Loop, "loop"},
    {host::Errno::MLink, "too-many-links"},
    {host::Errno::MsgSize, "message-size"},
    {host::Errno::NameTooLong, "name-too-long"},
    {host::Errno::NoDev, "no-device"},
    {host::Errno::NoEnt, "no-entry"},
    {host::Errno::NoLock, "no-lock"},
    {host::Errno::NoMem, "insufficient-memory"},
    {host::Errno::NoSpace, "insufficient-space"},
    {host::Errno::NotDir, "not-directory"},
    {host::Errno::NotEmpty, "not-empty"},
    {host::Errno::NotRecoverable, "not-recoverable"},
    {host::Errno::NotSup, "unsupported"},
    {host::Errno::NoSys, "unsupported"},
    {host::Errno::NotTty, "no-tty"},
    {host::Errno::NxIo, "no-such-device"},
    {host::Errno::Overflow, "overflow"},
    {host::Errno::Perm, "not-permitted"},
    {host::Errno::NotCapable, "not-permitted"},
    {host::Errno::Pipe, "pipe"},
    {host::Errno::ReadOnlyFs, "read-only"},
    {host::Errno::SPipe, "invalid-seek"},
    {host::Errno::TxtBusy, "text-file-busy"},
    {host::Errno::XDev, "cross-device"},
};

const char* error_code_label(host::Errno e) {
  for (const ErrorCodeRow& row : kErrorCodes) {
    if (row.host == e) return row.label;
  }
  return "io";
}

cm::Val error_code(host::Errno e) {
  return cm::Val::enumeration(error_code_label(e));
}

// ---- results ----

Ret ok_val(cm::Val v) {
  return ret(ok(std::move(v)));
}
Ret ok_unit() {
  return ret(ok());
}
Ret fail_with(host::Errno e) {
  return ret(err(error_code(e)));
}
Ret unit_from(const host::HostResult<void>& r) {
  return r ? ok_unit() : fail_with(r.error());
}
// ok(v), where making `v` may trap (a new handle).
Ret ok_made(Result<cm::Val> v) {
  if (!v.ok()) return unexpected(v.error());
  return ok_val(std::move(*v));
}

// ---- values ----

bool has_flag(const cm::Val& flags, std::string_view label) {
  return std::find(flags.names.begin(), flags.names.end(), label) != flags.names.end();
}

const char* descriptor_type_label(host::FileType t) {
  switch (t) {
    case host::FileType::BlockDevice:
      return "block-device";
    case host::FileType::CharacterDevice:
      return "character-device";
    case host::FileType::Directory:
      return "directory";
    case host::FileType::RegularFile:
      return "regular-file";
    case host::FileType::SymbolicLink:
      return "symbolic-link";
    case host::FileType::Fifo:
      return "fifo";
    // Sockets are `unknown`, as in Wasmtime: the Preview 1 adapter traps on `socket`.
    case host::FileType::SocketDgram:
    case host::FileType::SocketStream:
    case host::FileType::Unknown:
      break;
  }
  return "unknown";
}

cm::Val descriptor_type(host::FileType t) {
  return cm::Val::enumeration(descriptor_type_label(t));
}

cm::Val datetime(uint64_t ns) {
  return cm::Val::record(
      {"seconds", "nanoseconds"},
      {cm::Val::u64(ns / 1000000000u), cm::Val::u32(static_cast<uint32_t>(ns % 1000000000u))});
}

cm::Val descriptor_stat(const host::FileStat& st) {
  return cm::Val::record(
      {"type", "link-count", "size", "data-access-timestamp", "data-modification-timestamp",
       "status-change-timestamp"},
      {descriptor_type(st.type), cm::Val::u64(st.nlink), cm::Val::u64(st.size),
       cm::Val::option({datetime(st.atim)}), cm::Val::option({datetime(st.mtim)}),
       cm::Val::option({datetime(st.ctim)})});
}

// A new-timestamp argument. A time beyond what the host represents (u64 nanoseconds since
// the epoch, until 2554) is overflow.
host::HostResult<host::NewTime> new_time(const cm::Val& v) {
  if (v.str == "no-change") return host::NewTime::keep();
  if (v.str == "now") return host::NewTime::now();
  const cm::Val& dt = v.items.at(0);
  const uint64_t seconds = dt.items.at(0).bits;
  const uint64_t nanos = dt.items.at(1).bits;
  constexpr uint64_t kNsPerSecond = 1000000000u;
  if (seconds > (UINT64_MAX - nanos) / kNsPerSecond) return host::fail(host::Errno::Overflow);
  return host::NewTime::at(seconds * kNsPerSecond + nanos);
}

// 128 bits from a file's identity (device and inode numbers), mixed so they are not the raw
// numbers; the same object always gives the same value (the Preview 1 adapter makes inode
// numbers from it).
uint64_t mix64(uint64_t x) {  // a bijective finalizer (splitmix64's)
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9u;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebu;
  x ^= x >> 31;
  return x;
}

cm::Val metadata_hash_value(const host::FileStat& st) {
  const uint64_t lower = mix64(mix64(st.dev ^ 0x243f6a8885a308d3u) + st.ino);
  const uint64_t upper = mix64(mix64(st.ino ^ 0x13198a2e03707344u) + (st.dev << 32 | st.dev >> 32));
  return cm::Val::record({"lower", "upper"}, {cm::Val::u64(lower), cm::Val::u64(upper)});
}

// Names and link targets come from the host filesystem and become WIT strings: they must be
// UTF-8 (else illegal-byte-sequence, as in Wasmtime).
bool is_utf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    const auto c = static_cast<uint8_t>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    size_t n;  // continuation bytes
    uint32_t cp, min;
    if ((c & 0xe0) == 0xc0) {
      n = 1;
      cp = c & 0x1f;
      min = 0x80;
    } else if ((c & 0xf0) == 0xe0) {
      n = 2;
      cp = c & 0x0f;
      min = 0x800;
    } else if ((c & 0xf8) == 0xf0) {
      n = 3;
      cp = c & 0x07;
      min = 0x10000;
    } else {
      return false;
    }
    if (s.size() - i <= n) return false;
    for (size_t k = 1; k <= n; ++k) {
      const auto cc = static_cast<uint8_t>(s[i + k]);
      if ((cc & 0xc0) != 0x80) return false;
      cp = cp << 6 | (cc & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    i += n + 1;
  }
  return true;
}

// ---- resources ----

struct DescriptorRes final : Resource {
  DescriptorRes(std::shared_ptr<host::Dir> d, bool may_mutate)
      : Resource(Kind::Descriptor), dir(std::move(d)), mutate(may_mutate) {}
  explicit DescriptorRes(std::shared_ptr<host::File> f)
      : Resource(Kind::Descriptor), file(std::move(f)) {}

  std::shared_ptr<host::Dir> dir;  // exactly one of dir and file is set
  std::shared_ptr<host::File> file;
  bool mutate = false;  // dir: objects beneath it may be created, removed, renamed, changed
};

struct DirectoryEntryStreamRes final : Resource {
  explicit DirectoryEntryStreamRes(std::shared_ptr<host::Dir> d)
      : Resource(Kind::DirectoryEntryStream), dir(std::move(d)) {}

  std::shared_ptr<host::Dir> dir;
  uint64_t cookie = 0;  // where the next batch starts (host::Dir::read_dir's cookie)
  std::deque<host::DirEntry> batch;
  bool at_end = false;
};

class FileInput final : public InputStreamRes {
 public:
  FileInput(std::shared_ptr<host::File> file, uint64_t offset)
      : file_(std::move(file)), offset_(offset) {}

  std::optional<StreamError> read(uint64_t max, bool, std::string& out) override {
    out.clear();
    if (max == 0) return std::nullopt;
    out.resize(std::min(max, kMaxRead));
    iovec v{out.data(), out.size()};
    auto n = file_->pread({&v, 1}, offset_);
    if (!n) {
      out.clear();
      return StreamError::from(n.error());
    }
    out.resize(*n);
    if (*n == 0) return StreamError::at_end();
    offset_ += *n;
    return std::nullopt;
  }
  PollSource poll_source() override { return {}; }  // files are always ready

 private:
  std::shared_ptr<host::File> file_;
  uint64_t offset_;
};

class FileOutput final : public OutputStreamRes {
 public:
  FileOutput(std::shared_ptr<host::File> file, std::optional<uint64_t> offset)
      : file_(std::move(file)), offset_(offset) {}

  std::optional<StreamError> check_write(uint64_t* permitted) override {
    *permitted = kFileWritePermit;
    return std::nullopt;
  }
  std::optional<StreamError> write(std::span<const uint8_t> data) override {
    if (!offset_) {
      // Append: the descriptor's own position is used by nothing else in Preview 2 (reads and
      // writes take offsets), so it can be moved to the end for each write.
      if (auto end = file_->seek(0, host::Whence::End); !end) return StreamError::from(end.error());
    }
    while (!data.empty()) {
      iovec v{const_cast<uint8_t*>(data.data()), data.size()};
      auto n = offset_ ? file_->pwrite({&v, 1}, *offset_) : file_->write({&v, 1});
      if (!n) return StreamError::from(n.error());
      if (*n == 0) return StreamError::failed("the file took no bytes");
      if (offset_) *offset_ += *n;
      data = data.subspan(*n);
    }
    return std::nullopt;
  }
  std::optional<StreamError> flush(bool) override { return std::nullopt; }  // writes are done
  PollSource poll_source() override { return {}; }

 private:
  std::shared_ptr<host::File> file_;
  std::optional<uint64_t> offset_;  // none: append
};

// ---- descriptor methods ----

// Handler wrappers: look up `self` (a trap when it is not a live descriptor), then require a
// file (else bad-descriptor) or a directory (else not-directory).
using Method = Ret (*)(Host&, DescriptorRes&, std::span<const cm::Val>);
using FileMethod = Ret (*)(Host&, DescriptorRes&, host::File&, std::span<const cm::Val>);
using DirMethod = Ret (*)(Host&, DescriptorRes&, host::Dir&, std::span<const cm::Val>);

template <Method Body>
Ret method(Host& h, std::span<const cm::Val> a) {
  auto d = h.get<DescriptorRes>(a[0], Kind::Descriptor);
  if (!d.ok()) return unexpected(d.error());
  return Body(h, **d, a);
}

template <FileMethod Body>
Ret file_method(Host& h, std::span<const cm::Val> a) {
  auto d = h.get<DescriptorRes>(a[0], Kind::Descriptor);
  if (!d.ok()) return unexpected(d.error());
  if (!(*d)->file) return fail_with(host::Errno::BadF);
  std::shared_ptr<host::File> f = (*d)->file;
  return Body(h, **d, *f, a);
}

template <DirMethod Body>
Ret dir_method(Host& h, std::span<const cm::Val> a) {
  auto d = h.get<DescriptorRes>(a[0], Kind::Descriptor);
  if (!d.ok()) return unexpected(d.error());
  if (!(*d)->dir) return fail_with(host::Errno::NotDir);
  std::shared_ptr<host::Dir> dir = (*d)->dir;
  return Body(h, **d, *dir, a);
}

// Mutating path operations need the directory's mutate permission.
template <DirMethod Body>
Ret mutating_dir_method(Host& h, std::span<const cm::Val> a) {
  auto d = h.get<DescriptorRes>(a[0], Kind::Descriptor);
  if (!d.ok()) return unexpected(d.error());
  if (!(*d)->dir) return fail_with(host::Errno::NotDir);
  if (!(*d)->mutate) return fail_with(host::Errno::ReadOnlyFs);
  std::shared_ptr<host::Dir> dir = (*d)->dir;
  return Body(h, **d, *dir, a);
}

// Why the second directory of link-at / rename-at cannot be used (Success: it can).
host::Errno target_error(const DescriptorRes& d) {
  if (!d.dir) return host::Errno::NotDir;
  if (!d.mutate) return host::Errno::ReadOnlyFs;
  return host::Errno::Success;
}

// The streams share the host file, not the handle: they stay usable if the descriptor is
// dropped first (as in Wasmtime, they are not its children).
Ret read_via_stream(Host& h, DescriptorRes& d, host::File& f, std::span<const cm::Val> a) {
  if (!f.readable()) return fail_with(host::Errno::BadF);
  return ok_made(h.own(std::make_shared<FileInput>(d.file, a[1].bits)));
}

Ret write_via_stream(Host& h, DescriptorRes& d, host::File& f, std::span<const cm::Val> a) {
  if (!f.writable()) return fail_with(host::Errno::BadF);
  return ok_made(h.own(std::make_shared<FileOutput>(d.file, a[1].bits)));
}

Ret append_via_stream(Host& h, DescriptorRes& d, host::File& f, std::span<const cm::Val>) {
  if (!f.writable()) return fail_with(host::Errno::BadF);
  return ok_made(h.own(std::make_shared<FileOutput>(d.file, std::nullopt)));
}

Ret advise(Host&, DescriptorRes&, host::File& f, std::span<const cm::Val> a) {
  static constexpr std::pair<const char*, host::Advice> kAdvice[] = {
      {"normal", host::Advice::Normal},      {"sequential", host::Advice::Sequential},
      {"random", host::Advice::Random},      {"will-need", host::Advice::WillNeed},
      {"dont-need", host::Advice::DontNeed}, {"no-reuse", host::Advice::NoReuse},
  };
  for (const auto& [label, advice] : kAdvice) {
    if (a[3].str == label) return unit_from(f.advise(a[1].bits, a[2].bits, advice));
  }
  return fail_with(host::Errno::Inval);
}

Ret sync_data(Host&, DescriptorRes& d, std::span<const cm::Val>) {
  return unit_from(d.file ? d.file->datasync() : d.dir->sync());
}

Ret sync_all(Host&, DescriptorRes& d, std::span<const cm::Val>) {
  return unit_from(d.file ? d.file->sync() : d.dir->sync());
}

Ret get_flags(Host&, DescriptorRes& d, std::span<const cm::Val>) {
  std::vector<std::string> set;
  if (d.dir) {
    set.emplace_back("read");
    if (d.mutate) set.emplace_back("mutate-directory");
    return ok_val(cm::Val::flags(std::move(set)));
  }
  auto fl = d.file->flags();
  if (!fl) return fail_with(fl.error());
  if (d.file->readable()) set.emplace_back("read");
  if (d.file->writable()) set.emplace_back("write");
  if (fl->sync) set.emplace_back("file-integrity-sync");
  if (fl->dsync) set.emplace_back("data-integrity-sync");
  if (fl->rsync) set.emplace_back("requested-write-sync");
  return ok_val(cm::Val::flags(std::move(set)));
}

Ret get_type(Host&, DescriptorRes& d, std::span<const cm::Val>) {
  if (d.dir) return ok_val(descriptor_type(host::FileType::Directory));
  auto st = d.file->stat();
  if (!st) return fail_with(st.error());
  return ok_val(descriptor_type(st->type));
}

Ret set_size(Host&, DescriptorRes&, host::File& f, std::span<const cm::Val> a) {
  if (!f.writable()) return fail_with(host::Errno::BadF);
  return unit_from(f.set_size(a[1].bits));
}

Ret set_times(Host&, DescriptorRes& d, std::span<const cm::Val> a) {
  auto atime = new_time(a[1]);
  if (!atime) return fail_with(atime.error());
  auto mtime = new_time(a[2]);
  if (!mtime) return fail_with(mtime.error());
  if (d.file) return unit_from(d.file->set_times(*atime, *mtime));
  if (!d.mutate) return fail_with(host::Errno::ReadOnlyFs);
  return unit_from(d.dir->set_times(*atime, *mtime));
}

// read(length, offset) -> (bytes, end): end is set when nothing was left to read.
Ret read_at(Host&, DescriptorRes&, host::File& f, std::span<const cm::Val> a) {
  if (!f.readable()) return fail_with(host::Errno::BadF);
  const uint64_t length = a[1].bits;
  if (length == 0) {
    return ok_val(cm::Val::tuple({bytes_val({}), cm::Val::boolean(false)}));
  }
  std::string buf(std::min(length, kMaxRead), '\0');
  iovec v{buf.data(), buf.size()};
  auto n = f.pread({&v, 1}, a[2].bits);
  if (!n) return fail_with(n.error());
  buf.resize(*n);
  return ok_val(cm::Val::tuple({bytes_val(std::move(buf)), cm::Val::boolean(*n == 0)}));
}

Ret write_at(Host&, DescriptorRes&, host::File& f, std::span<const cm::Val> a) {
  if (!f.writable()) return fail_with(host::Errno::BadF);
  std::string data = bytes_of(a[1]);
  iovec v{data.data(), data.size()};
  auto n = f.pwrite({&v, 1}, a[2].bits);
  if (!n) return fail_with(n.error());
  return ok_val(cm::Val::u64(*n));
}

Ret read_directory(Host& h, DescriptorRes& d, host::Dir&, std::span<const cm::Val> a) {
  return ok_made(
      h.own(std::make_shared<DirectoryEntryStreamRes>(d.dir), static_cast<uint32_t>(a[0].bits)));
}

Ret create_directory_at(Host&, DescriptorRes&, host::Dir& dir, std::span<const cm::Val> a) {
  return unit_from(dir.create_dir_at(a[1].str));
}

Ret stat_self(Host&, DescriptorRes& d, std::span<const cm::Val>) {
  auto st = d.file ? d.file->stat() : d.dir->stat();
  if (!st) return fail_with(st.error());
  return ok_val(descriptor_stat(*st));
}

Ret stat_at(Host&, DescriptorRes&, host::Dir& dir, std::span<const cm::Val> a) {
  auto st = dir.stat_at(a[2].str, has_flag(a[1], "symlink-follow"));
  if (!st) return fail_with(st.error());
  return ok_val(descriptor_stat(*st));
}

Ret set_times_at(Host&, DescriptorRes&, host::Dir& dir, std::span<const cm::Val> a) {
  auto atime = new_time(a[3]);
  if (!atime) return fail_with(atime.error());
  auto mtime = new_time(a[4]);
  if (!mtime) return fail_with(mtime.error());
  return unit_from(dir.set_times_at(a[2].str, has_flag(a[1], "symlink-follow"), *atime, *mtime));
}

// link-at: following a symlink source is refused (invalid), as in Wasmtime and Preview 1.
Ret link_at(Host& h, DescriptorRes&, host::Dir& dir, std::span<const cm::Val> a) {
  auto to = h.get<DescriptorRes>(a[3], Kind::Descriptor);
  if (!to.ok()) return unexpected(to.error());
  if (auto e = target_error(**to); e != host::Errno::Success) return fail_with(e);
  if (has_flag(a[1], "symlink-follow")) return fail_with(host::Errno::Inval);
  return unit_from(host::Dir::hard_link(dir, a[2].str, false, *(*to)->dir, a[4].str));
}

Ret open_at(Host& h, DescriptorRes& d, host::Dir& dir, std::span<const cm::Val> a) {
  const cm::Val& oflags = a[3];
  const cm::Val& flags = a[4];
  host::OpenOptions o;
  o.create = has_flag(oflags, "create");
  o.directory = has_flag(oflags, "directory");
  o.exclusive = o.create && has_flag(oflags, "exclusive");
  o.truncate = has_flag(oflags, "truncate");
  o.write = has_flag(flags, "write") || o.create || o.truncate;
  o.read = has_flag(flags, "read") || !o.write;
  o.follow = has_flag(a[1], "symlink-follow");
  o.flags.sync = has_flag(flags, "file-integrity-sync");
  o.flags.dsync = has_flag(flags, "data-integrity-sync");
  o.flags.rsync = has_flag(flags, "requested-write-sync");
  if (!d.mutate && (o.write || has_flag(flags, "mutate-directory"))) {
    return fail_with(host::Errno::ReadOnlyFs);
  }
  if (o.directory && (o.create || has_flag(oflags, "exclusive") || o.truncate)) {
    return fail_with(host::Errno::Inval);
  }
  auto opened = dir.open_at(a[2].str, o);
  if (!opened) return fail_with(opened.error());
  if (opened->dir) {
    return ok_made(h.own(std::make_shared<DescriptorRes>(std::move(opened->dir), d.mutate)));
  }
  return ok_made(h.own(std::make_shared<DescriptorRes>(std::move(opened->file))));
}

// readlink-at: an absolute target (which no resolution could follow) is not-permitted, as the
// WIT says (the host tree may hold such links; guests cannot make them).
Ret readlink_at(Host&, DescriptorRes&, host::Dir& dir, std::span<const cm::Val> a) {
  auto target = dir.read_link_at(a[1].str);
  if (!target) return fail_with(target.error());
  if (!target->empty() && target->front() == '/') return fail_with(host::Errno::NotCapable);
  if (!is_utf8(*target)) return fail_with(host::Errno::IllegalSeq);
  return ok_val(cm::Val::string(std::move(*target)));
}

Ret remove_directory_at(Host&, DescriptorRes&, host::Dir& dir, std::span<const cm::Val> a) {
  return unit_from(dir.remove_dir_at(a[1].str));
}

Ret rename_at(Host& h, DescriptorRes&, host::Dir& dir, std::span<const cm::Val> a) {
  auto to = h.get<DescriptorRes>(a[2], Kind::Descriptor);
  if (!to.ok()) return unexpected(to.error());
  if (auto e = target_error(**to); e != host::Errno::Success) return fail_with(e);
  return unit_from(host::Dir::rename(dir, a[1].str, *(*to)->dir, a[3].str));
}

Ret symlink_at(Host&, DescriptorRes&, host::Dir& dir, std::span<const cm::Val> a) {
  return unit_from(dir.symlink_at(a[1].str, a[2].str));
}

Ret unlink_file_at(Host&, DescriptorRes&, host::Dir& dir, std::span<const cm::Val> a) {
  return unit_from(dir.unlink_file_at(a[1].str));
}

host::HostResult<host::FileStat> stat_of(const DescriptorRes& d) {
  return d.file ? d.file->stat() : d.dir->stat();
}

// is-same-object: same device and inode. Its result has no error case: a descriptor that
// cannot be examined is not the same object as anything.
Ret is_same_object(Host& h, DescriptorRes& d, std::span<const cm::Val> a) {
  auto other = h.get<DescriptorRes>(a[1], Kind::Descriptor);
  if (!other.ok()) return unexpected(other.error());
  auto x = stat_of(d);
  auto y = stat_of(**other);
  return ret(cm::Val::boolean(x && y && x->dev == y->dev && x->ino == y->ino));
}

Ret metadata_hash(Host&, DescriptorRes& d, std::span<const cm::Val>) {
  auto st = stat_of(d);
  if (!st) return fail_with(st.error());
  return ok_val(metadata_hash_value(*st));
}

Ret metadata_hash_at(Host&, DescriptorRes&, host::Dir& dir, std::span<const cm::Val> a) {
  auto st = dir.stat_at(a[2].str, has_flag(a[1], "symlink-follow"));
  if (!st) return fail_with(st.error());
  return ok_val(metadata_hash_value(*st));
}

// ---- directory-entry-stream ----

Ret read_directory_entry(Host& h, std::span<const cm::Val> a) {
  auto s = h.get<DirectoryEntryStreamRes>(a[0], Kind::DirectoryEntryStream);
  if (!s.ok()) return unexpected(s.error());
  DirectoryEntryStreamRes& st = **s;
  if (st.batch.empty() && !st.at_end) {
    bool full = false;
    auto r = st.dir->read_dir(st.cookie, [&](const host::DirEntry& e) {
      st.cookie = e.next;
      if (e.name != "." && e.name != "..") st.batch.push_back(e);
      full = st.batch.size() >= kDirBatch;
      return !full;
    });
    if (!r) return fail_with(r.error());
    st.at_end = !full;
  }
  if (st.batch.empty()) return ok_val(cm::Val::option({}));
  host::DirEntry e = std::move(st.batch.front());
  st.batch.pop_front();
  if (!is_utf8(e.name)) return fail_with(host::Errno::IllegalSeq);
  return ok_val(cm::Val::option({cm::Val::record(
      {"type", "name"}, {descriptor_type(e.type), cm::Val::string(std::move(e.name))})}));
}

// ---- free functions ----

Ret filesystem_error_code(Host& h, std::span<const cm::Val> a) {
  auto e = h.get<ErrorRes>(a[0], Kind::Error);
  if (!e.ok()) return unexpected(e.error());
  if (!(*e)->errno_code) return ret(cm::Val::option({}));
  return ret(cm::Val::option({error_code(*(*e)->errno_code)}));
}

Ret get_directories(Host& h, std::span<const cm::Val>) {
  std::vector<cm::Val> items;
  items.reserve(h.config.preopens.size());
  for (const host::WasiConfig::Preopen& p : h.config.preopens) {
    auto d = h.own(std::make_shared<DescriptorRes>(p.dir, /*may_mutate=*/true));
    if (!d.ok()) return unexpected(d.error());
    items.push_back(cm::Val::tuple({std::move(*d), cm::Val::string(p.guest_path)}));
  }
  return ret(cm::Val::list(std::move(items)));
}

constexpr const char* kTypes = "wasi:filesystem/types";

constexpr FuncDef kFuncs[] = {
    {kTypes, "[method]descriptor.read-via-stream", file_method<read_via_stream>},
    {kTypes, "[method]descriptor.write-via-stream", file_method<write_via_stream>},
    {kTypes, "[method]descriptor.append-via-stream", file_method<append_via_stream>},
    {kTypes, "[method]descriptor.advise", file_method<advise>},
    {kTypes, "[method]descriptor.sync-data", method<sync_data>},
    {kTypes, "[method]descriptor.get-flags", method<get_flags>},
    {kTypes, "[method]descriptor.get-type", method<get_type>},
    {kTypes, "[method]descriptor.set-size", file_method<set_size>},
    {kTypes, "[method]descriptor.set-times", method<set_times>},
    {kTypes, "[method]descriptor.read", file_method<read_at>},
    {kTypes, "[method]descriptor.write", file_method<write_at>},
    {kTypes, "[method]descriptor.read-directory", dir_method<read_directory>},
    {kTypes, "[method]descriptor.sync", method<sync_all>},
    {kTypes, "[method]descriptor.create-directory-at", mutating_dir_method<create_directory_at>},
    {kTypes, "[method]descriptor.stat", method<stat_self>},
    {kTypes, "[method]descriptor.stat-at", dir_method<stat_at>},
    {kTypes, "[method]descriptor.set-times-at", mutating_dir_method<set_times_at>},
    {kTypes, "[method]descriptor.link-at", mutating_dir_method<link_at>},
    {kTypes, "[method]descriptor.open-at", dir_method<open_at>},
    {kTypes, "[method]descriptor.readlink-at", dir_method<readlink_at>},
    {kTypes, "[method]descriptor.remove-directory-at", mutating_dir_method<remove_directory_at>},
    {kTypes, "[method]descriptor.rename-at", mutating_dir_method<rename_at>},
    {kTypes, "[method]descriptor.symlink-at", mutating_dir_method<symlink_at>},
    {kTypes, "[method]descriptor.unlink-file-at", mutating_dir_method<unlink_file_at>},
    {kTypes, "[method]descriptor.is-same-object", method<is_same_object>},
    {kTypes, "[method]descriptor.metadata-hash", method<metadata_hash>},
    {kTypes, "[method]descriptor.metadata-hash-at", dir_method<metadata_hash_at>},
    {kTypes, "[method]directory-entry-stream.read-directory-entry", read_directory_entry},
    {kTypes, "filesystem-error-code", filesystem_error_code},
    {"wasi:filesystem/preopens", "get-directories", get_directories},
};

}  // namespace

std::span<const FuncDef> filesystem_funcs() {
  return kFuncs;
}

}  // namespace zinc::wasi::p2
