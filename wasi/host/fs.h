// wasi/host/fs.h: sandboxed filesystem objects: Dir (a directory capability) and File.
//
// Invariants:
//  - a Dir is a directory descriptor (O_PATH | O_DIRECTORY for preopens and directory opens;
//    plain O_RDONLY when a directory was opened like a file). Every path a Dir method takes is
//    resolved beneath that descriptor by resolve.h: nothing a guest passes can name a file
//    outside the Dir, including through symlinks, "..", absolute paths or hard links;
//  - a File is a non-directory descriptor opened through a Dir; its read/write position and
//    O_APPEND / O_NONBLOCK state live in the kernel's open file description;
//  - symlink targets are stored as given (only resolution is sandboxed), except absolute
//    targets, which no resolution could ever follow and which are refused (NotCapable);
//  - no method throws or aborts on guest input; sizes that reach allocations are bounded.
// These are OS primitives with no WASI types; wasi/p1 (and later p2/p3) adapt them.
#pragma once

#include <sys/stat.h>
#include <sys/uio.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "wasi/host/errno.h"
#include "wasi/host/owned_fd.h"

namespace zinc::wasi::host {

enum class FileType : uint8_t {
  Unknown,
  BlockDevice,
  CharacterDevice,
  Directory,
  RegularFile,
  SocketDgram,
  SocketStream,
  SymbolicLink,
  Fifo,
};

/// What stat(2) says, with times in nanoseconds since the Unix epoch (clamped at 0).
struct FileStat {
  uint64_t dev = 0;
  uint64_t ino = 0;
  FileType type = FileType::Unknown;
  uint64_t nlink = 0;
  uint64_t size = 0;
  uint64_t atim = 0;
  uint64_t mtim = 0;
  uint64_t ctim = 0;
};

FileStat file_stat_from(const struct stat& st);
FileType file_type_from_mode(mode_t mode);

/// A new value for one timestamp of set_times.
struct NewTime {
  enum class Kind : uint8_t { Keep, Now, Set };
  Kind kind = Kind::Keep;
  uint64_t ns = 0;  // Kind::Set: nanoseconds since the epoch

  static NewTime keep() { return {}; }
  static NewTime now() { return {Kind::Now, 0}; }
  static NewTime at(uint64_t ns) { return {Kind::Set, ns}; }
};

enum class Whence : uint8_t { Set, Cur, End };

enum class Advice : uint8_t { Normal, Sequential, Random, WillNeed, DontNeed, NoReuse };

/// Descriptor flags that can be queried (and, for append/nonblock, changed).
struct FdFlags {
  bool append = false;
  bool nonblock = false;
  bool dsync = false;  // O_DSYNC
  bool rsync = false;  // O_RSYNC (as requested at open: Linux folds it into O_SYNC)
  bool sync = false;   // O_SYNC
};

struct OpenOptions {
  bool read = true;
  bool write = false;
  bool create = false;
  bool exclusive = false;  // with create: fail if it exists
  bool truncate = false;
  bool directory = false;  // fail unless a directory
  bool follow = true;      // follow a symlink in the final component
  FdFlags flags;           // append / nonblock / sync variants for the new descriptor
  mode_t mode = 0666;      // for create (the process umask applies)
};

/// One directory entry; `next` is the cookie that resumes reading after it.
struct DirEntry {
  std::string name;
  uint64_t ino = 0;
  FileType type = FileType::Unknown;
  uint64_t next = 0;
};

class File;

/// A directory capability.
class Dir {
 public:
  explicit Dir(OwnedFd fd) : fd_(std::move(fd)) {}

  /// Opens a host directory to hand to a guest (a preopen). Host paths are trusted.
  static HostResult<std::shared_ptr<Dir>> open_host(const std::string& host_path);

  int fd() const { return fd_.get(); }

  /// What `open_at` opened: exactly one of the two is set.
  struct Opened {
    std::shared_ptr<File> file;
    std::shared_ptr<Dir> dir;
  };
  HostResult<Opened> open_at(std::string_view path, const OpenOptions& options);

  HostResult<FileStat> stat_at(std::string_view path, bool follow) const;
  HostResult<void> set_times_at(std::string_view path, bool follow, NewTime atime,
                                NewTime mtime) const;
  HostResult<void> create_dir_at(std::string_view path) const;
  HostResult<void> remove_dir_at(std::string_view path) const;
  HostResult<void> unlink_file_at(std::string_view path) const;
  HostResult<std::string> read_link_at(std::string_view path) const;
  /// Creates symlink `link_path` (beneath this Dir) containing `target` verbatim.
  HostResult<void> symlink_at(std::string_view target, std::string_view link_path) const;
  /// rename(2) between two sandboxed paths (possibly under different Dirs).
  static HostResult<void> rename(const Dir& from, std::string_view from_path, const Dir& to,
                                 std::string_view to_path);
  /// Hard link: both paths sandboxed; `follow` dereferences a final symlink of the source.
  static HostResult<void> hard_link(const Dir& from, std::string_view from_path, bool follow,
                                    const Dir& to, std::string_view to_path);

  HostResult<FileStat> stat() const;
  HostResult<void> set_times(NewTime atime, NewTime mtime) const;
  HostResult<void> sync() const;

  /// Calls `sink` for each entry from position `cookie` (0 = start, else an entry's `next`)
  /// until the directory ends or `sink` returns false. Includes "." and "..".
  HostResult<void> read_dir(uint64_t cookie, const std::function<bool(const DirEntry&)>& sink);

 private:
  OwnedFd fd_;
  OwnedFd read_fd_;  // O_RDONLY | O_DIRECTORY twin for getdents64, opened on first read_dir
};

/// An open non-directory file.
class File {
 public:
  File(OwnedFd fd, bool readable, bool writable, FdFlags requested)
      : fd_(std::move(fd)), readable_(readable), writable_(writable), requested_(requested) {}

  int fd() const { return fd_.get(); }
  bool readable() const { return readable_; }
  bool writable() const { return writable_; }

  /// Scatter/gather I/O at the current position (read/write) or at `offset` (pread/pwrite).
  HostResult<size_t> read(std::span<const iovec> iovs);
  HostResult<size_t> write(std::span<const iovec> iovs);
  HostResult<size_t> pread(std::span<const iovec> iovs, uint64_t offset);
  HostResult<size_t> pwrite(std::span<const iovec> iovs, uint64_t offset);

  HostResult<uint64_t> seek(int64_t offset, Whence whence);
  HostResult<uint64_t> tell();

  HostResult<void> sync();
  HostResult<void> datasync();
  /// Ensures [offset, offset + len) is allocated, growing the file if needed.
  HostResult<void> allocate(uint64_t offset, uint64_t len);
  HostResult<void> set_size(uint64_t size);
  HostResult<void> advise(uint64_t offset, uint64_t len, Advice advice);

  HostResult<FileStat> stat() const;
  HostResult<void> set_times(NewTime atime, NewTime mtime);

  HostResult<FdFlags> flags() const;
  /// Changes O_APPEND and O_NONBLOCK (the sync flags cannot change after open: Inval).
  HostResult<void> set_flags(const FdFlags& flags);

 private:
  OwnedFd fd_;
  bool readable_;
  bool writable_;
  FdFlags requested_;
};

}  // namespace zinc::wasi::host
