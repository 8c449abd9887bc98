// cli/file_io.cc: see file_io.h. Plain POSIX I/O so directories and special files give a clear
// errno-based message rather than an empty read.
#include "cli/file_io.h"

#include <cstring>

#include "component/text/component_text.h"
#include "decoder/text/wat_parser.h"

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

bool looks_like_component_text(const std::vector<uint8_t>& bytes) {
  size_t i = 0;
  const size_t n = bytes.size();
  while (i < n) {
    const uint8_t c = bytes[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
      ++i;
    } else if (c == ';' && i + 1 < n && bytes[i + 1] == ';') {
      while (i < n && bytes[i] != '\n') ++i;
    } else if (c == '(' && i + 1 < n && bytes[i + 1] == ';') {
      int depth = 1;
      i += 2;
      while (i < n && depth > 0) {
        if (bytes[i] == '(' && i + 1 < n && bytes[i + 1] == ';') {
          ++depth;
          i += 2;
        } else if (bytes[i] == ';' && i + 1 < n && bytes[i + 1] == ')') {
          --depth;
          i += 2;
        } else {
          ++i;
        }
      }
    } else {
      break;
    }
  }
  static constexpr char kWord[] = "(component";
  const size_t len = sizeof kWord - 1;
  if (n - i < len || std::memcmp(bytes.data() + i, kWord, len) != 0) return false;
  // The keyword must end there.
  if (i + len == n) return true;
  const uint8_t next = bytes[i + len];
  return next == ' ' || next == '\t' || next == '\n' || next == '\r' || next == '(' ||
         next == ')' || next == ';';
}

zinc::Result<std::vector<uint8_t>> to_binary(const std::string& name, std::vector<uint8_t> bytes) {
  std::string_view text(reinterpret_cast<const char*>(bytes.data()), bytes.size());
  if (looks_like_component_text(bytes)) {
    auto encoded = component::text::component_wat_to_binary(text, name);
    if (!encoded) return zinc::api_error(ErrorKind::Decode, encoded.error().to_string());
    return std::move(*encoded);
  }
  if (decoder::text::looks_like_text_module(bytes)) {
    auto encoded = decoder::text::wat_to_binary(text, name);
    if (!encoded) return zinc::api_error(ErrorKind::Decode, encoded.error().to_string());
    return std::move(*encoded);
  }
  return bytes;
}

zinc::Result<std::vector<uint8_t>> read_binary(const std::string& path) {
  auto bytes = read_whole_file(path);
  if (!bytes) return bytes;
  return to_binary(path, std::move(*bytes));
}

}  // namespace zinc::cli
