// wasi/p1/ctx.h: the state of one WASI Preview 1 program: arguments, environment and the
// descriptor table (stdio at 0-2, preopened directories from 3), built with WasiCtxBuilder.
//
// Invariants: the environment is exactly what the builder was given (empty by default; nothing
// leaks from the host unless inherit_env() is asked for); preopens are opened when build() runs
// and get consecutive descriptors from 3 in the order given; descriptors hold host objects
// (wasi/host) shared with any call still using them. A WasiCtx belongs to one store (not
// thread-safe), like the store itself.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "wasi/host/config.h"
#include "wasi/host/fs.h"
#include "wasi/host/socket.h"
#include "wasi/host/streams.h"
#include "wasi/host/table.h"
#include "zinc/result.h"

namespace zinc::wasi::p1 {

/// What a guest descriptor refers to.
struct Descriptor {
  enum class Kind : uint8_t { InputStream, OutputStream, File, Dir, Socket };
  Kind kind = Kind::File;
  std::shared_ptr<host::InputStream> input;    // InputStream
  std::shared_ptr<host::OutputStream> output;  // OutputStream
  std::shared_ptr<host::File> file;            // File
  std::shared_ptr<host::Dir> dir;              // Dir
  std::shared_ptr<host::Socket> socket;        // Socket
  bool preopen = false;                        // Dir given by the embedder
  std::string preopen_name;                    // its guest path (fd_prestat_dir_name)
};

class WasiCtx {
 public:
  const std::vector<std::string>& args() const { return args_; }
  /// "KEY=VALUE" strings.
  const std::vector<std::string>& env() const { return env_; }
  host::Table<Descriptor>& fds() { return fds_; }
  const host::Table<Descriptor>& fds() const { return fds_; }

 private:
  friend class WasiCtxBuilder;
  WasiCtx() = default;
  std::vector<std::string> args_;
  std::vector<std::string> env_;
  host::Table<Descriptor> fds_;
};

class WasiCtxBuilder {
 public:
  WasiCtxBuilder();

  /// argv, including argv[0] (the program name) if the guest should see one.
  WasiCtxBuilder& args(std::vector<std::string> args);
  WasiCtxBuilder& arg(std::string arg);
  WasiCtxBuilder& env(std::string_view key, std::string_view value);
  /// Every variable of the host process.
  WasiCtxBuilder& inherit_env();

  /// Preopens host directory `host_path` as `guest_path` (opened by build()).
  WasiCtxBuilder& preopen_dir(std::string host_path, std::string guest_path);
  /// Preopens an already open directory capability.
  WasiCtxBuilder& preopen_dir(std::shared_ptr<host::Dir> dir, std::string guest_path);
  /// The CLI's `--dir HOST[::GUEST]` (GUEST defaults to HOST).
  WasiCtxBuilder& dir_option(std::string_view spec);
  /// An already open socket (listening or connected) for sock_accept / sock_recv / ...
  WasiCtxBuilder& preopen_socket(std::shared_ptr<host::Socket> socket);

  /// Standard streams; inherited from the host process unless replaced.
  WasiCtxBuilder& stdin_stream(std::shared_ptr<host::InputStream> in);
  WasiCtxBuilder& stdout_stream(std::shared_ptr<host::OutputStream> out);
  WasiCtxBuilder& stderr_stream(std::shared_ptr<host::OutputStream> out);
  WasiCtxBuilder& inherit_stdio();

  /// Network access for Preview 2 sockets (nothing by default).
  WasiCtxBuilder& network(host::NetworkPolicy policy);

  /// Opens the preopens and assembles the context. Fails (kind Generic) when a preopen
  /// directory cannot be opened, naming it.
  Result<std::shared_ptr<WasiCtx>> build();
  /// Opens the preopens and returns the configuration (what the Preview 2 host starts from).
  Result<host::WasiConfig> config();

 private:
  struct PendingDir {
    std::string host_path;
    std::shared_ptr<host::Dir> dir;  // set when given open
    std::string guest_path;
  };
  std::vector<std::string> args_;
  std::vector<std::string> env_;
  std::vector<PendingDir> dirs_;
  std::vector<std::shared_ptr<host::Socket>> sockets_;
  std::shared_ptr<host::InputStream> stdin_;
  std::shared_ptr<host::OutputStream> stdout_;
  std::shared_ptr<host::OutputStream> stderr_;
  host::NetworkPolicy network_;
};

}  // namespace zinc::wasi::p1
