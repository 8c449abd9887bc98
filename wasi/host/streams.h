// wasi/host/streams.h: byte streams for a guest's stdin, stdout and stderr.
//
// An InputStream / OutputStream is either a host descriptor (inherited stdio: not owned, never
// closed), an in-memory buffer (tests, the CLI's captured output, piped input), or null.
// Invariants:
//  - read() blocks until at least one byte or end of stream (0); write() writes every byte it
//    reports, and reports fewer only when a capacity is reached (then the rest is dropped);
//  - memory buffers are bounded: a MemoryOutputStream stops at its capacity (NoSpace), so a
//    guest cannot make the host allocate without limit;
//  - buffers are mutex-protected so an embedder may read captured output from another thread.
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "wasi/host/errno.h"

namespace zinc::wasi::host {

class InputStream {
 public:
  virtual ~InputStream() = default;
  /// Reads up to out.size() bytes; 0 means end of stream (or an empty `out`).
  virtual HostResult<size_t> read(std::span<uint8_t> out) = 0;
  /// A host descriptor poll(2) can wait on for readability, or -1 (then ask ready()).
  virtual int poll_fd() const { return -1; }
  /// Whether read() would return without blocking (for streams without a poll_fd).
  virtual bool ready() const { return true; }
  virtual bool is_terminal() const { return false; }
};

class OutputStream {
 public:
  virtual ~OutputStream() = default;
  /// Writes `data`; returns how much was written (all of it unless a capacity was reached).
  virtual HostResult<size_t> write(std::span<const uint8_t> data) = 0;
  virtual HostResult<void> flush() { return {}; }
  /// A host descriptor poll(2) can wait on for writability, or -1 (always writable).
  virtual int poll_fd() const { return -1; }
  virtual bool is_terminal() const { return false; }
};

/// A host descriptor, not owned (inherited stdio).
class FdInputStream final : public InputStream {
 public:
  explicit FdInputStream(int fd);
  HostResult<size_t> read(std::span<uint8_t> out) override;
  int poll_fd() const override { return fd_; }
  bool is_terminal() const override { return terminal_; }

 private:
  int fd_;
  bool terminal_;
};

class FdOutputStream final : public OutputStream {
 public:
  explicit FdOutputStream(int fd);
  HostResult<size_t> write(std::span<const uint8_t> data) override;
  int poll_fd() const override { return fd_; }
  bool is_terminal() const override { return terminal_; }

 private:
  int fd_;
  bool terminal_;
};

std::shared_ptr<InputStream> inherit_stdin();
std::shared_ptr<OutputStream> inherit_stdout();
std::shared_ptr<OutputStream> inherit_stderr();

/// Reads from a fixed buffer, then end of stream.
class MemoryInputStream final : public InputStream {
 public:
  explicit MemoryInputStream(std::vector<uint8_t> data) : data_(std::move(data)) {}
  explicit MemoryInputStream(std::string_view text) : data_(text.begin(), text.end()) {}
  HostResult<size_t> read(std::span<uint8_t> out) override;

 private:
  std::mutex mu_;
  std::vector<uint8_t> data_;
  size_t pos_ = 0;
};

/// Collects everything written, up to `capacity` bytes.
class MemoryOutputStream final : public OutputStream {
 public:
  static constexpr size_t kDefaultCapacity = size_t{64} << 20;
  explicit MemoryOutputStream(size_t capacity = kDefaultCapacity) : capacity_(capacity) {}
  HostResult<size_t> write(std::span<const uint8_t> data) override;

  std::vector<uint8_t> contents() const;
  std::string text() const;

 private:
  mutable std::mutex mu_;
  size_t capacity_;
  std::vector<uint8_t> data_;
};

/// Always at end of stream (a closed stdin).
class NullInputStream final : public InputStream {
 public:
  HostResult<size_t> read(std::span<uint8_t>) override { return size_t{0}; }
};

/// Discards everything.
class NullOutputStream final : public OutputStream {
 public:
  HostResult<size_t> write(std::span<const uint8_t> data) override { return data.size(); }
};

}  // namespace zinc::wasi::host
