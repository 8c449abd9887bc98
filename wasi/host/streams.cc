// wasi/host/streams.cc: descriptor-backed and in-memory stdio streams (see streams.h).
#include "wasi/host/streams.h"

#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>

namespace zinc::wasi::host {
namespace {

// Waits until `fd` is ready for `events` (for host descriptors that were left non-blocking).
void wait_fd(int fd, short events) {
  struct pollfd p = {fd, events, 0};
  while (::poll(&p, 1, -1) < 0 && errno == EINTR) {
  }
}

}  // namespace

FdInputStream::FdInputStream(int fd) : fd_(fd), terminal_(::isatty(fd) == 1) {}

HostResult<size_t> FdInputStream::read(std::span<uint8_t> out) {
  if (out.empty()) return size_t{0};
  for (;;) {
    ssize_t n = ::read(fd_, out.data(), out.size());
    if (n >= 0) return static_cast<size_t>(n);
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) {
      wait_fd(fd_, POLLIN);
      continue;
    }
    return fail_errno();
  }
}

FdOutputStream::FdOutputStream(int fd) : fd_(fd), terminal_(::isatty(fd) == 1) {}

HostResult<size_t> FdOutputStream::write(std::span<const uint8_t> data) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd_, data.data() + done, data.size() - done);
    if (n > 0) {
      done += static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      wait_fd(fd_, POLLOUT);
      continue;
    }
    if (done > 0) return done;
    return n < 0 ? fail_errno() : fail(Errno::Io);
  }
  return done;
}

std::shared_ptr<InputStream> inherit_stdin() {
  return std::make_shared<FdInputStream>(0);
}
std::shared_ptr<OutputStream> inherit_stdout() {
  return std::make_shared<FdOutputStream>(1);
}
std::shared_ptr<OutputStream> inherit_stderr() {
  return std::make_shared<FdOutputStream>(2);
}

HostResult<size_t> MemoryInputStream::read(std::span<uint8_t> out) {
  std::lock_guard<std::mutex> lock(mu_);
  size_t n = std::min(out.size(), data_.size() - pos_);
  std::copy_n(data_.begin() + static_cast<ptrdiff_t>(pos_), n, out.begin());
  pos_ += n;
  return n;
}

HostResult<size_t> MemoryOutputStream::write(std::span<const uint8_t> data) {
  std::lock_guard<std::mutex> lock(mu_);
  size_t room = capacity_ - data_.size();
  if (room == 0 && !data.empty()) return fail(Errno::NoSpace);
  size_t n = std::min(room, data.size());
  data_.insert(data_.end(), data.begin(), data.begin() + static_cast<ptrdiff_t>(n));
  return n;
}

std::vector<uint8_t> MemoryOutputStream::contents() const {
  std::lock_guard<std::mutex> lock(mu_);
  return data_;
}

std::string MemoryOutputStream::text() const {
  std::lock_guard<std::mutex> lock(mu_);
  return std::string(data_.begin(), data_.end());
}

}  // namespace zinc::wasi::host
