// wasi/p1/env.cc: checked guest-memory access and traps for wasi_snapshot_preview1 calls.
#include "wasi/p1/env.h"

#include "wasi/host/resolve.h"
#include "zinc/engine.h"

namespace zinc::wasi::p1 {

Errno errno_from_host(host::Errno e) {
  switch (e) {
#define ZINC_P1_ERRNO(Name, code, witx) \
  case host::Errno::Name:               \
    return Errno::Name;
#include "wasi/p1/errno.def"
#undef ZINC_P1_ERRNO
  }
  return Errno::Io;
}

bool is_valid_utf8(std::string_view s) {
  size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<uint8_t>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    int n;
    uint32_t cp;
    if ((c & 0xe0) == 0xc0) {
      n = 1;
      cp = c & 0x1f;
    } else if ((c & 0xf0) == 0xe0) {
      n = 2;
      cp = c & 0x0f;
    } else if ((c & 0xf8) == 0xf0) {
      n = 3;
      cp = c & 0x07;
    } else {
      return false;
    }
    if (s.size() - i <= static_cast<size_t>(n)) return false;
    for (int k = 1; k <= n; ++k) {
      auto cc = static_cast<uint8_t>(s[i + k]);
      if ((cc & 0xc0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3f);
    }
    // Overlong encodings, surrogates and values beyond U+10FFFF are invalid.
    static constexpr uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMin[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return false;
    i += static_cast<size_t>(n) + 1;
  }
  return true;
}

P1Result<std::shared_ptr<Descriptor>> Env::descriptor(uint32_t fd) {
  auto d = ctx_.fds().get(fd);
  if (!d) return fail(Errno::BadF);
  return d;
}

P1Result<std::span<uint8_t>> Env::bytes(uint32_t ptr, uint64_t len) {
  if (len == 0) return std::span<uint8_t>();
  if (!memory_looked_up_) {
    memory_ = caller_.memory();
    memory_looked_up_ = true;
  }
  if (!memory_) return fail(trap(std::string("wasi ") + func_ + ": the module exports no memory"));
  auto s = memory_->span(caller_.store(), ptr, len);
  if (!s) {
    return fail(trap("out of bounds memory access: wasi " + std::string(func_) + " argument [" +
                         std::to_string(ptr) + ", +" + std::to_string(len) + ")",
                     TrapCode::MemoryOutOfBounds));
  }
  return *s;
}

P1Result<std::span<uint8_t>> Env::object(uint32_t ptr, uint32_t size, uint32_t align) {
  if (ptr % align != 0) {
    return fail(trap("wasi " + std::string(func_) + ": misaligned pointer " + std::to_string(ptr)));
  }
  return bytes(ptr, size);
}

P1Result<std::string_view> Env::string(uint32_t ptr, uint32_t len) {
  auto s = bytes(ptr, len);
  if (!s) return fail(s.error());
  if (len > host::kMaxPathLength) return fail(Errno::NameTooLong);
  std::string_view v(reinterpret_cast<const char*>(s->data()), s->size());
  if (!is_valid_utf8(v)) return fail(Errno::IllegalSeq);
  return v;
}

P1Result<std::vector<iovec>> Env::iovecs(uint32_t ptr, uint32_t len) {
  // The whole array must be in bounds, even the part beyond kMaxIovecs that is not used.
  if (len > 0 && ptr % layout::Iovec::kAlign != 0) {
    return fail(
        trap("wasi " + std::string(func_) + ": misaligned iovec array " + std::to_string(ptr)));
  }
  auto all = bytes(ptr, uint64_t{len} * layout::Iovec::kSize);
  if (!all) return fail(all.error());
  std::vector<iovec> out;
  uint32_t n = len < kMaxIovecs ? len : kMaxIovecs;
  out.reserve(n);
  for (uint32_t i = 0; i < n; ++i) {
    auto buf = get<uint32_t>(*all, i * layout::Iovec::kSize + layout::Iovec::kBuf);
    auto buf_len = get<uint32_t>(*all, i * layout::Iovec::kSize + layout::Iovec::kBufLen);
    auto b = bytes(buf, buf_len);
    if (!b) return fail(b.error());
    if (buf_len == 0) continue;
    out.push_back(iovec{b->data(), b->size()});
  }
  return out;
}

Errno Env::trap(std::string message, TrapCode code) {
  auto t = std::make_shared<Trap>();
  t->code = code;
  t->message = message;
  error_ = Error{};
  error_.kind = ErrorKind::Trap;
  error_.message = std::move(message);
  error_.trap = std::move(t);
  return Errno::Trap;
}

Errno Env::exit(uint32_t code) {
  error_ = Error{};
  error_.kind = ErrorKind::Exit;
  error_.exit_code = static_cast<int>(code);
  error_.message = "wasi proc_exit(" + std::to_string(code) + ")";
  return Errno::Trap;
}

}  // namespace zinc::wasi::p1
