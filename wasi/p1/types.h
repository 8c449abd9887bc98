// wasi/p1/types.h: the witx types of wasi_snapshot_preview1 as the guest sees them.
//
// Spec: https://github.com/WebAssembly/WASI/blob/main/legacy/preview1/witx/typenames.witx and
// wasi_snapshot_preview1.witx. Guest structs are never mapped onto C++ structs: they are read and
// written field by field at the byte offsets below (little-endian, wasm32 layout), so host
// padding and endianness cannot leak into guest memory.
#pragma once

#include <cstdint>

#include "wasi/host/errno.h"

namespace zinc::wasi::p1 {

/// `errno`. `Trap` is not a WASI value: it marks a call that must trap (or exit) instead of
/// returning, with the reason recorded in the call's Env.
enum class Errno : uint16_t {
#define ZINC_P1_ERRNO(Name, code, witx) Name = code,
#include "wasi/p1/errno.def"
#undef ZINC_P1_ERRNO
  Trap = 0xffff,
};

/// host::Errno -> witx errno (same-named rows).
Errno errno_from_host(host::Errno e);

// `rights` bits, in witx order.
namespace rights {
inline constexpr uint64_t kFdDatasync = 1ull << 0;
inline constexpr uint64_t kFdRead = 1ull << 1;
inline constexpr uint64_t kFdSeek = 1ull << 2;
inline constexpr uint64_t kFdFdstatSetFlags = 1ull << 3;
inline constexpr uint64_t kFdSync = 1ull << 4;
inline constexpr uint64_t kFdTell = 1ull << 5;
inline constexpr uint64_t kFdWrite = 1ull << 6;
inline constexpr uint64_t kFdAdvise = 1ull << 7;
inline constexpr uint64_t kFdAllocate = 1ull << 8;
inline constexpr uint64_t kPathCreateDirectory = 1ull << 9;
inline constexpr uint64_t kPathCreateFile = 1ull << 10;
inline constexpr uint64_t kPathLinkSource = 1ull << 11;
inline constexpr uint64_t kPathLinkTarget = 1ull << 12;
inline constexpr uint64_t kPathOpen = 1ull << 13;
inline constexpr uint64_t kFdReaddir = 1ull << 14;
inline constexpr uint64_t kPathReadlink = 1ull << 15;
inline constexpr uint64_t kPathRenameSource = 1ull << 16;
inline constexpr uint64_t kPathRenameTarget = 1ull << 17;
inline constexpr uint64_t kPathFilestatGet = 1ull << 18;
inline constexpr uint64_t kPathFilestatSetSize = 1ull << 19;
inline constexpr uint64_t kPathFilestatSetTimes = 1ull << 20;
inline constexpr uint64_t kFdFilestatGet = 1ull << 21;
inline constexpr uint64_t kFdFilestatSetSize = 1ull << 22;
inline constexpr uint64_t kFdFilestatSetTimes = 1ull << 23;
inline constexpr uint64_t kPathSymlink = 1ull << 24;
inline constexpr uint64_t kPathRemoveDirectory = 1ull << 25;
inline constexpr uint64_t kPathUnlinkFile = 1ull << 26;
inline constexpr uint64_t kPollFdReadwrite = 1ull << 27;
inline constexpr uint64_t kSockShutdown = 1ull << 28;
inline constexpr uint64_t kSockAccept = 1ull << 29;

// What fd_fdstat_get reports. Rights are not enforced (as in current engines); these are the
// sets userlands (wasi-libc, Rust std) expect to see.
inline constexpr uint64_t kDirectoryBase =
    kPathCreateDirectory | kPathCreateFile | kPathLinkSource | kPathLinkTarget | kPathOpen |
    kFdReaddir | kPathReadlink | kPathRenameSource | kPathRenameTarget | kPathSymlink |
    kPathRemoveDirectory | kPathUnlinkFile | kPathFilestatGet | kPathFilestatSetTimes |
    kFdFilestatGet | kFdFilestatSetTimes;
inline constexpr uint64_t kFileBase =
    kFdDatasync | kFdRead | kFdSeek | kFdFdstatSetFlags | kFdSync | kFdTell | kFdWrite | kFdAdvise |
    kFdAllocate | kFdFilestatGet | kFdFilestatSetSize | kFdFilestatSetTimes | kPollFdReadwrite;
inline constexpr uint64_t kDirectoryInheriting = kDirectoryBase | kFileBase;
inline constexpr uint64_t kSocketBase = kFdRead | kFdWrite | kFdFdstatSetFlags | kFdFilestatGet |
                                        kPollFdReadwrite | kSockShutdown | kSockAccept;
}  // namespace rights

enum class Filetype : uint8_t {
  Unknown = 0,
  BlockDevice = 1,
  CharacterDevice = 2,
  Directory = 3,
  RegularFile = 4,
  SocketDgram = 5,
  SocketStream = 6,
  SymbolicLink = 7,
};

// Flag sets (witx `flags`): bit values and the mask of defined bits.
namespace fdflags {
inline constexpr uint16_t kAppend = 1 << 0;
inline constexpr uint16_t kDsync = 1 << 1;
inline constexpr uint16_t kNonblock = 1 << 2;
inline constexpr uint16_t kRsync = 1 << 3;
inline constexpr uint16_t kSync = 1 << 4;
inline constexpr uint32_t kAll = 0x1f;
}  // namespace fdflags
namespace oflags {
inline constexpr uint16_t kCreat = 1 << 0;
inline constexpr uint16_t kDirectory = 1 << 1;
inline constexpr uint16_t kExcl = 1 << 2;
inline constexpr uint16_t kTrunc = 1 << 3;
inline constexpr uint32_t kAll = 0xf;
}  // namespace oflags
namespace lookupflags {
inline constexpr uint32_t kSymlinkFollow = 1 << 0;
inline constexpr uint32_t kAll = 0x1;
}  // namespace lookupflags
namespace fstflags {
inline constexpr uint16_t kAtim = 1 << 0;
inline constexpr uint16_t kAtimNow = 1 << 1;
inline constexpr uint16_t kMtim = 1 << 2;
inline constexpr uint16_t kMtimNow = 1 << 3;
inline constexpr uint32_t kAll = 0xf;
}  // namespace fstflags
namespace subclockflags {
inline constexpr uint16_t kAbstime = 1 << 0;
}
namespace eventrwflags {
inline constexpr uint16_t kHangup = 1 << 0;
}
namespace riflags {
inline constexpr uint16_t kPeek = 1 << 0;
inline constexpr uint16_t kWaitall = 1 << 1;
inline constexpr uint32_t kAll = 0x3;
}  // namespace riflags
namespace roflags {
inline constexpr uint16_t kDataTruncated = 1 << 0;
}
namespace sdflags {
inline constexpr uint8_t kRd = 1 << 0;
inline constexpr uint8_t kWr = 1 << 1;
inline constexpr uint32_t kAll = 0x3;
}  // namespace sdflags

// Enums (witx `enum`): the number of defined values.
inline constexpr uint32_t kNumClockids = 4;  // realtime, monotonic, process/thread cputime
inline constexpr uint32_t kNumWhence = 3;    // set, cur, end
inline constexpr uint32_t kNumAdvice = 6;    // normal .. noreuse
inline constexpr uint32_t kNumSignals = 31;  // none .. sys
enum class Eventtype : uint8_t { Clock = 0, FdRead = 1, FdWrite = 2 };
inline constexpr uint8_t kPreopentypeDir = 0;

// Struct layouts (wasm32): size, alignment and field offsets.
namespace layout {
struct Iovec {  // iovec and ciovec
  static constexpr uint32_t kSize = 8, kAlign = 4, kBuf = 0, kBufLen = 4;
};
struct Fdstat {
  static constexpr uint32_t kSize = 24, kAlign = 8;
  static constexpr uint32_t kFiletype = 0, kFlags = 2, kRightsBase = 8, kRightsInheriting = 16;
};
struct Filestat {
  static constexpr uint32_t kSize = 64, kAlign = 8;
  static constexpr uint32_t kDev = 0, kIno = 8, kFiletype = 16, kNlink = 24, kSize_ = 32,
                            kAtim = 40, kMtim = 48, kCtim = 56;
};
struct Dirent {  // followed by d_namlen bytes of name (no terminator)
  static constexpr uint32_t kSize = 24;
  static constexpr uint32_t kNext = 0, kIno = 8, kNamlen = 16, kType = 20;
};
struct Prestat {
  static constexpr uint32_t kSize = 8, kAlign = 4, kTag = 0, kNameLen = 4;
};
struct Subscription {
  static constexpr uint32_t kSize = 48, kAlign = 8;
  static constexpr uint32_t kUserdata = 0, kTag = 8;
  // tag == clock
  static constexpr uint32_t kClockId = 16, kClockTimeout = 24, kClockPrecision = 32,
                            kClockFlags = 40;
  // tag == fd_read / fd_write
  static constexpr uint32_t kFd = 16;
};
struct Event {
  static constexpr uint32_t kSize = 32, kAlign = 8;
  static constexpr uint32_t kUserdata = 0, kError = 8, kType = 10, kNbytes = 16, kFlags = 24;
};
}  // namespace layout

}  // namespace zinc::wasi::p1
