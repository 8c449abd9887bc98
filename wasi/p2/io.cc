// wasi/p2/io.cc: wasi:io 0.2 -- error, poll (pollable, poll over many) and streams
// (input-stream, output-stream with check-write/flush semantics, splice), plus the stream
// objects over the host's stdio (make_input_stream / make_output_stream).
//
// Output streams follow the WIT contract: `write` takes at most what `check-write` last
// permitted (more traps, as in Wasmtime), `blocking-write-and-flush` at most 4096 bytes.
// Stdio writes complete synchronously, so a flush has nothing left to wait for.
#include <algorithm>
#include <cstring>

#include "wasi/host/clocks.h"
#include "wasi/host/poll.h"
#include "wasi/p2/host.h"

namespace zinc::wasi::p2 {

namespace {

/// Bytes a stdio output stream permits per write (check-write's answer).
constexpr uint64_t kStdioPermit = 1 << 20;
/// The most bytes one read returns (a guest asking for more gets this many at most).
constexpr uint64_t kMaxRead = 1 << 20;

class StdioInput final : public InputStreamRes {
 public:
  explicit StdioInput(std::shared_ptr<host::InputStream> in) : in_(std::move(in)) {}
  std::optional<StreamError> read(uint64_t max, bool blocking, std::string& out) override {
    out.clear();
    if (max == 0) return std::nullopt;
    if (!blocking && !is_ready(poll_source())) return std::nullopt;
    out.resize(std::min(max, kMaxRead));
    auto n = in_->read(std::span<uint8_t>(reinterpret_cast<uint8_t*>(out.data()), out.size()));
    if (!n.ok()) {
      out.clear();
      return StreamError::from(n.error());
    }
    out.resize(*n);
    if (*n == 0) return StreamError::at_end();
    return std::nullopt;
  }
  PollSource poll_source() override {
    PollSource s;
    if (in_->poll_fd() >= 0) {
      s.fd = in_->poll_fd();
      s.want_read = true;
    } else {
      std::shared_ptr<host::InputStream> in = in_;
      s.ready_test = [in] { return in->ready(); };
    }
    return s;
  }

 private:
  std::shared_ptr<host::InputStream> in_;
};

class StdioOutput final : public OutputStreamRes {
 public:
  explicit StdioOutput(std::shared_ptr<host::OutputStream> out) : out_(std::move(out)) {}
  std::optional<StreamError> check_write(uint64_t* permitted) override {
    if (closed_) return StreamError::at_end();
    *permitted = kStdioPermit;
    return std::nullopt;
  }
  std::optional<StreamError> write(std::span<const uint8_t> data) override {
    if (closed_) return StreamError::at_end();
    while (!data.empty()) {
      auto n = out_->write(data);
      if (!n.ok()) {
        if (n.error() == host::Errno::Pipe) closed_ = true;
        return StreamError::from(n.error());
      }
      if (*n == 0) return StreamError::failed("no space left in the output stream");
      data = data.subspan(*n);
    }
    return std::nullopt;
  }
  std::optional<StreamError> flush(bool) override {
    if (closed_) return StreamError::at_end();
    if (auto r = out_->flush(); !r.ok()) return StreamError::from(r.error());
    return std::nullopt;
  }
  PollSource poll_source() override { return {}; }  // writes never wait

 private:
  std::shared_ptr<host::OutputStream> out_;
  bool closed_ = false;
};

// ---- wasi:io/error ----

Ret error_to_debug_string(Host& h, std::span<const cm::Val> a) {
  auto e = h.get<ErrorRes>(a[0], Kind::Error);
  if (!e.ok()) return unexpected(e.error());
  return ret(cm::Val::string((*e)->message));
}

// ---- wasi:io/poll ----

Ret pollable_ready(Host& h, std::span<const cm::Val> a) {
  auto p = h.get<Pollable>(a[0], Kind::Pollable);
  if (!p.ok()) return unexpected(p.error());
  return ret(cm::Val::boolean(is_ready((*p)->source)));
}

Ret pollable_block(Host& h, std::span<const cm::Val> a) {
  auto p = h.get<Pollable>(a[0], Kind::Pollable);
  if (!p.ok()) return unexpected(p.error());
  block_on((*p)->source);
  return none();
}

// poll: waits until at least one pollable is ready; returns the indices of the ready ones.
Ret poll(Host& h, std::span<const cm::Val> a) {
  const cm::Val& list = a[0];
  const size_t n = list.items.size();
  if (n == 0) return trap("wasi:io/poll#poll: the list of pollables is empty");
  std::vector<std::shared_ptr<Pollable>> ps;
  ps.reserve(n);
  for (const cm::Val& v : list.items) {
    auto p = h.get<Pollable>(v, Kind::Pollable);
    if (!p.ok()) return unexpected(p.error());
    ps.push_back(std::move(*p));
  }
  for (;;) {
    std::string ready;
    for (size_t i = 0; i < n; ++i) {
      if (is_ready(ps[i]->source)) {
        const uint32_t index = static_cast<uint32_t>(i);
        ready.append(reinterpret_cast<const char*>(&index), 4);
      }
    }
    if (!ready.empty()) return ret(cm::Val::packed_list(cm::ValKind::U32, std::move(ready)));
    // Nothing ready: wait for a descriptor, the earliest deadline, or (sources with only a
    // readiness test) a millisecond.
    std::vector<host::PollEntry> fds;
    std::optional<uint64_t> timeout;
    auto now = host::clock_now(host::ClockId::Monotonic);
    for (const auto& p : ps) {
      const PollSource& s = p->source;
      if (s.ready_test) {
        timeout = std::min<uint64_t>(timeout.value_or(UINT64_MAX), 1000000);
      } else if (s.deadline_ns) {
        const uint64_t left = now.ok() && *s.deadline_ns > *now ? *s.deadline_ns - *now : 0;
        timeout = std::min(timeout.value_or(UINT64_MAX), left);
      } else if (s.fd >= 0) {
        host::PollEntry e;
        e.fd = s.fd;
        e.want_read = s.want_read;
        e.want_write = s.want_write;
        fds.push_back(e);
      }
    }
    (void)host::poll_fds(fds, timeout);
  }
}

// ---- wasi:io/streams: input-stream ----

Ret input_read(Host& h, std::span<const cm::Val> a, bool blocking) {
  auto s = h.get<InputStreamRes>(a[0], Kind::InputStream);
  if (!s.ok()) return unexpected(s.error());
  std::string out;
  if (auto e = (*s)->read(a[1].bits, blocking, out)) {
    if (!out.empty()) return ret(ok(bytes_val(std::move(out))));  // the error comes next time
    auto v = h.stream_error(*e);
    if (!v.ok()) return unexpected(v.error());
    return ret(err(std::move(*v)));
  }
  return ret(ok(bytes_val(std::move(out))));
}
Ret input_read_nb(Host& h, std::span<const cm::Val> a) { return input_read(h, a, false); }
Ret input_read_b(Host& h, std::span<const cm::Val> a) { return input_read(h, a, true); }

Ret input_skip(Host& h, std::span<const cm::Val> a, bool blocking) {
  auto s = h.get<InputStreamRes>(a[0], Kind::InputStream);
  if (!s.ok()) return unexpected(s.error());
  uint64_t skipped = 0;
  if (auto e = (*s)->skip(a[1].bits, blocking, &skipped)) {
    if (skipped > 0) return ret(ok(cm::Val::u64(skipped)));
    auto v = h.stream_error(*e);
    if (!v.ok()) return unexpected(v.error());
    return ret(err(std::move(*v)));
  }
  return ret(ok(cm::Val::u64(skipped)));
}
Ret input_skip_nb(Host& h, std::span<const cm::Val> a) { return input_skip(h, a, false); }
Ret input_skip_b(Host& h, std::span<const cm::Val> a) { return input_skip(h, a, true); }

Ret input_subscribe(Host& h, std::span<const cm::Val> a) {
  auto s = h.get<InputStreamRes>(a[0], Kind::InputStream);
  if (!s.ok()) return unexpected(s.error());
  return ret(h.own(std::make_shared<Pollable>((*s)->poll_source()),
                   static_cast<uint32_t>(a[0].bits)));
}

// ---- wasi:io/streams: output-stream ----

Ret stream_result(Host& h, std::optional<StreamError> e, cm::Val value) {
  if (!e) return ret(ok(std::move(value)));
  auto v = h.stream_error(*e);
  if (!v.ok()) return unexpected(v.error());
  return ret(err(std::move(*v)));
}
Ret unit_result(Host& h, std::optional<StreamError> e) {
  if (!e) return ret(ok());
  auto v = h.stream_error(*e);
  if (!v.ok()) return unexpected(v.error());
  return ret(err(std::move(*v)));
}

Ret output_check_write(Host& h, std::span<const cm::Val> a) {
  auto s = h.get<OutputStreamRes>(a[0], Kind::OutputStream);
  if (!s.ok()) return unexpected(s.error());
  uint64_t permitted = 0;
  auto e = (*s)->check_write(&permitted);
  return stream_result(h, e, cm::Val::u64(permitted));
}

// write: more than check-write permits is a guest bug (the WIT says it traps).
Result<void> check_permitted(OutputStreamRes& s, uint64_t len, std::optional<StreamError>* e) {
  uint64_t permitted = 0;
  *e = s.check_write(&permitted);
  if (!*e && len > permitted) {
    return api_error(ErrorKind::Trap, "wasi:io/streams: write of " + std::to_string(len) +
                                          " bytes exceeds check-write's " +
                                          std::to_string(permitted));
  }
  return {};
}

Ret output_write(Host& h, std::span<const cm::Val> a) {
  auto s = h.get<OutputStreamRes>(a[0], Kind::OutputStream);
  if (!s.ok()) return unexpected(s.error());
  const std::string data = bytes_of(a[1]);
  std::optional<StreamError> e;
  if (auto r = check_permitted(**s, data.size(), &e); !r.ok()) return unexpected(r.error());
  if (e) return unit_result(h, e);
  return unit_result(h, (*s)->write({reinterpret_cast<const uint8_t*>(data.data()), data.size()}));
}

// The blocking-*-and-flush calls: waits for permits, writes `rest` in permitted pieces, then
// flushes.
Ret write_all_and_flush(Host& h, OutputStreamRes& s, std::span<const uint8_t> rest) {
  while (!rest.empty()) {
    block_on(s.poll_source());
    uint64_t permitted = 0;
    if (auto e = s.check_write(&permitted)) return unit_result(h, e);
    const size_t n = std::min<uint64_t>(permitted, rest.size());
    if (n == 0) continue;
    if (auto e = s.write(rest.first(n))) return unit_result(h, e);
    rest = rest.subspan(n);
  }
  return unit_result(h, s.flush(true));
}

Ret output_blocking_write_and_flush(Host& h, std::span<const cm::Val> a) {
  auto s = h.get<OutputStreamRes>(a[0], Kind::OutputStream);
  if (!s.ok()) return unexpected(s.error());
  const std::string data = bytes_of(a[1]);
  if (data.size() > OutputStreamRes::kMaxBlockingWrite) {
    return trap("wasi:io/streams: blocking-write-and-flush of " + std::to_string(data.size()) +
                " bytes (at most 4096)");
  }
  return write_all_and_flush(h, **s, {reinterpret_cast<const uint8_t*>(data.data()), data.size()});
}

Ret output_flush(Host& h, std::span<const cm::Val> a, bool blocking) {
  auto s = h.get<OutputStreamRes>(a[0], Kind::OutputStream);
  if (!s.ok()) return unexpected(s.error());
  return unit_result(h, (*s)->flush(blocking));
}
Ret output_flush_nb(Host& h, std::span<const cm::Val> a) { return output_flush(h, a, false); }
Ret output_flush_b(Host& h, std::span<const cm::Val> a) { return output_flush(h, a, true); }

Ret output_subscribe(Host& h, std::span<const cm::Val> a) {
  auto s = h.get<OutputStreamRes>(a[0], Kind::OutputStream);
  if (!s.ok()) return unexpected(s.error());
  return ret(h.own(std::make_shared<Pollable>((*s)->poll_source()),
                   static_cast<uint32_t>(a[0].bits)));
}

Ret output_write_zeroes(Host& h, std::span<const cm::Val> a) {
  auto s = h.get<OutputStreamRes>(a[0], Kind::OutputStream);
  if (!s.ok()) return unexpected(s.error());
  std::optional<StreamError> e;
  if (auto r = check_permitted(**s, a[1].bits, &e); !r.ok()) return unexpected(r.error());
  if (e) return unit_result(h, e);
  const std::vector<uint8_t> zeroes(a[1].bits, 0);  // bounded by check-write's permit
  return unit_result(h, (*s)->write(zeroes));
}

Ret output_blocking_write_zeroes_and_flush(Host& h, std::span<const cm::Val> a) {
  auto s = h.get<OutputStreamRes>(a[0], Kind::OutputStream);
  if (!s.ok()) return unexpected(s.error());
  if (a[1].bits > OutputStreamRes::kMaxBlockingWrite) {
    return trap("wasi:io/streams: blocking-write-zeroes-and-flush of " +
                std::to_string(a[1].bits) + " bytes (at most 4096)");
  }
  const std::vector<uint8_t> zeroes(a[1].bits, 0);
  return write_all_and_flush(h, **s, zeroes);
}

// splice: reads at most `len` bytes (no more than the output permits) and writes them.
Ret output_splice(Host& h, std::span<const cm::Val> a, bool blocking) {
  auto out = h.get<OutputStreamRes>(a[0], Kind::OutputStream);
  if (!out.ok()) return unexpected(out.error());
  auto in = h.get<InputStreamRes>(a[1], Kind::InputStream);
  if (!in.ok()) return unexpected(in.error());
  if (blocking) block_on((*out)->poll_source());
  uint64_t permitted = 0;
  if (auto e = (*out)->check_write(&permitted)) return stream_result(h, e, cm::Val::u64(0));
  const uint64_t len = std::min(a[2].bits, permitted);
  std::string buf;
  if (auto e = (*in)->read(len, blocking, buf); e && buf.empty()) {
    return stream_result(h, e, cm::Val::u64(0));
  }
  if (auto e = (*out)->write({reinterpret_cast<const uint8_t*>(buf.data()), buf.size()})) {
    return stream_result(h, e, cm::Val::u64(0));
  }
  if (blocking) {
    if (auto e = (*out)->flush(true)) return stream_result(h, e, cm::Val::u64(0));
  }
  return ret(ok(cm::Val::u64(buf.size())));
}
Ret output_splice_nb(Host& h, std::span<const cm::Val> a) { return output_splice(h, a, false); }
Ret output_splice_b(Host& h, std::span<const cm::Val> a) { return output_splice(h, a, true); }

constexpr FuncDef kFuncs[] = {
    {"wasi:io/error", "[method]error.to-debug-string", error_to_debug_string},
    {"wasi:io/poll", "[method]pollable.ready", pollable_ready},
    {"wasi:io/poll", "[method]pollable.block", pollable_block},
    {"wasi:io/poll", "poll", poll},
    {"wasi:io/streams", "[method]input-stream.read", input_read_nb},
    {"wasi:io/streams", "[method]input-stream.blocking-read", input_read_b},
    {"wasi:io/streams", "[method]input-stream.skip", input_skip_nb},
    {"wasi:io/streams", "[method]input-stream.blocking-skip", input_skip_b},
    {"wasi:io/streams", "[method]input-stream.subscribe", input_subscribe},
    {"wasi:io/streams", "[method]output-stream.check-write", output_check_write},
    {"wasi:io/streams", "[method]output-stream.write", output_write},
    {"wasi:io/streams", "[method]output-stream.blocking-write-and-flush",
     output_blocking_write_and_flush},
    {"wasi:io/streams", "[method]output-stream.flush", output_flush_nb},
    {"wasi:io/streams", "[method]output-stream.blocking-flush", output_flush_b},
    {"wasi:io/streams", "[method]output-stream.subscribe", output_subscribe},
    {"wasi:io/streams", "[method]output-stream.write-zeroes", output_write_zeroes},
    {"wasi:io/streams", "[method]output-stream.blocking-write-zeroes-and-flush",
     output_blocking_write_zeroes_and_flush},
    {"wasi:io/streams", "[method]output-stream.splice", output_splice_nb},
    {"wasi:io/streams", "[method]output-stream.blocking-splice", output_splice_b},
};

}  // namespace

std::span<const FuncDef> io_funcs() { return kFuncs; }

std::shared_ptr<InputStreamRes> make_input_stream(std::shared_ptr<host::InputStream> in) {
  return std::make_shared<StdioInput>(std::move(in));
}

std::shared_ptr<OutputStreamRes> make_output_stream(std::shared_ptr<host::OutputStream> out) {
  return std::make_shared<StdioOutput>(std::move(out));
}

}  // namespace zinc::wasi::p2
