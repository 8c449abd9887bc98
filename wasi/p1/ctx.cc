// wasi/p1/ctx.cc: WasiCtxBuilder.
#include "wasi/p1/ctx.h"

#include <cstring>

extern char** environ;

namespace zinc::wasi::p1 {

WasiCtxBuilder::WasiCtxBuilder() {
  inherit_stdio();
}

WasiCtxBuilder& WasiCtxBuilder::args(std::vector<std::string> args) {
  args_ = std::move(args);
  return *this;
}

WasiCtxBuilder& WasiCtxBuilder::arg(std::string arg) {
  args_.push_back(std::move(arg));
  return *this;
}

WasiCtxBuilder& WasiCtxBuilder::env(std::string_view key, std::string_view value) {
  std::string kv;
  kv.reserve(key.size() + 1 + value.size());
  kv.append(key).append("=").append(value);
  env_.push_back(std::move(kv));
  return *this;
}

WasiCtxBuilder& WasiCtxBuilder::inherit_env() {
  for (char** e = environ; e && *e; ++e) env_.emplace_back(*e);
  return *this;
}

WasiCtxBuilder& WasiCtxBuilder::preopen_dir(std::string host_path, std::string guest_path) {
  dirs_.push_back({std::move(host_path), nullptr, std::move(guest_path)});
  return *this;
}

WasiCtxBuilder& WasiCtxBuilder::preopen_dir(std::shared_ptr<host::Dir> dir,
                                            std::string guest_path) {
  dirs_.push_back({std::string(), std::move(dir), std::move(guest_path)});
  return *this;
}

WasiCtxBuilder& WasiCtxBuilder::dir_option(std::string_view spec) {
  size_t sep = spec.find("::");
  if (sep == std::string_view::npos) return preopen_dir(std::string(spec), std::string(spec));
  return preopen_dir(std::string(spec.substr(0, sep)), std::string(spec.substr(sep + 2)));
}

WasiCtxBuilder& WasiCtxBuilder::preopen_socket(std::shared_ptr<host::Socket> socket) {
  sockets_.push_back(std::move(socket));
  return *this;
}

WasiCtxBuilder& WasiCtxBuilder::stdin_stream(std::shared_ptr<host::InputStream> in) {
  stdin_ = std::move(in);
  return *this;
}

WasiCtxBuilder& WasiCtxBuilder::stdout_stream(std::shared_ptr<host::OutputStream> out) {
  stdout_ = std::move(out);
  return *this;
}

WasiCtxBuilder& WasiCtxBuilder::stderr_stream(std::shared_ptr<host::OutputStream> out) {
  stderr_ = std::move(out);
  return *this;
}

WasiCtxBuilder& WasiCtxBuilder::inherit_stdio() {
  stdin_ = host::inherit_stdin();
  stdout_ = host::inherit_stdout();
  stderr_ = host::inherit_stderr();
  return *this;
}

WasiCtxBuilder& WasiCtxBuilder::network(host::NetworkPolicy policy) {
  network_ = std::move(policy);
  return *this;
}

Result<host::WasiConfig> WasiCtxBuilder::config() {
  host::WasiConfig c;
  c.args = args_;
  c.env = env_;
  c.stdin_stream = stdin_ ? stdin_ : std::make_shared<host::NullInputStream>();
  c.stdout_stream = stdout_ ? stdout_ : std::make_shared<host::NullOutputStream>();
  c.stderr_stream = stderr_ ? stderr_ : std::make_shared<host::NullOutputStream>();
  for (PendingDir& p : dirs_) {
    std::shared_ptr<host::Dir> dir = p.dir;
    if (!dir) {
      auto opened = host::Dir::open_host(p.host_path);
      if (!opened) {
        int e = host::posix_errno(opened.error());
        return api_error(ErrorKind::Generic,
                         "cannot open directory '" + p.host_path +
                             "' for the guest: " + (e > 0 ? std::strerror(e) : "not permitted"));
      }
      dir = *opened;
    }
    c.preopens.push_back({std::move(dir), p.guest_path});
  }
  c.sockets = sockets_;
  c.network = network_;
  return c;
}

Result<std::shared_ptr<WasiCtx>> WasiCtxBuilder::build() {
  auto c = config();
  if (!c.ok()) return unexpected(c.error());
  std::shared_ptr<WasiCtx> ctx(new WasiCtx());
  ctx->args_ = std::move(c->args);
  ctx->env_ = std::move(c->env);
  auto add = [&](Descriptor d) -> Result<void> {
    if (!ctx->fds_.insert(std::make_shared<Descriptor>(std::move(d)))) {
      return api_error(ErrorKind::Generic, "too many WASI descriptors");
    }
    return {};
  };
  Descriptor in;
  in.kind = Descriptor::Kind::InputStream;
  in.input = c->stdin_stream;
  Descriptor out;
  out.kind = Descriptor::Kind::OutputStream;
  out.output = c->stdout_stream;
  Descriptor err;
  err.kind = Descriptor::Kind::OutputStream;
  err.output = c->stderr_stream;
  for (Descriptor* d : {&in, &out, &err}) {
    if (auto r = add(std::move(*d)); !r) return unexpected(r.error());
  }
  for (host::WasiConfig::Preopen& p : c->preopens) {
    Descriptor d;
    d.kind = Descriptor::Kind::Dir;
    d.dir = std::move(p.dir);
    d.preopen = true;
    d.preopen_name = std::move(p.guest_path);
    if (auto r = add(std::move(d)); !r) return unexpected(r.error());
  }
  for (auto& s : c->sockets) {
    Descriptor d;
    d.kind = Descriptor::Kind::Socket;
    d.socket = s;
    if (auto r = add(std::move(d)); !r) return unexpected(r.error());
  }
  return ctx;
}

}  // namespace zinc::wasi::p1
