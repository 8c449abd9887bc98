// cli/file_io.cc: see file_io.h. Plain POSIX I/O so directories and special files give a clear
// errno-based message rather than an empty read.
#include "cli/file_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "decoder/impl_limits.h"

namespace zinc::cli {
namespace {

zinc::Result<std::vector<uint8_t>> os_error(const std::string& path, int err) {
  return zinc::unexpected(zinc::Error{path + ": " + std::strerror(err)});
}

constexpr size_t kMaxInput = zinc::decoder::limits::kMaxModuleSize;

}  // namespace

zinc::Result<std::vector<uint8_t>> read_whole_file(const std::string& path) {
  const bool is_stdin = path == "-";
  int fd = is_stdin ? STDIN_FILENO : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return os_error(path, errno);
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    int err = errno;
    if (!is_stdin) ::close(fd);
    return os_error(path, err);
  }
  if (S_ISDIR(st.st_mode)) {
    if (!is_stdin) ::close(fd);
    return os_error(path, EISDIR);
  }
  if (S_ISREG(st.st_mode) && static_cast<uint64_t>(st.st_size) > kMaxInput) {
    if (!is_stdin) ::close(fd);
    return zinc::unexpected(zinc::Error{path + ": file larger than the 1 GiB module limit"});
  }
  std::vector<uint8_t> bytes;
  if (S_ISREG(st.st_mode)) bytes.reserve(static_cast<size_t>(st.st_size));
  uint8_t buf[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      if (!is_stdin) ::close(fd);
      return os_error(path, err);
    }
    if (n == 0) break;
    if (bytes.size() + static_cast<size_t>(n) > kMaxInput) {
      if (!is_stdin) ::close(fd);
      return zinc::unexpected(zinc::Error{path + ": input larger than the 1 GiB module limit"});
    }
    bytes.insert(bytes.end(), buf, buf + n);
  }
  if (!is_stdin) ::close(fd);
  return bytes;
}

}  // namespace zinc::cli
