// cli/run_wasi.cc: add_wasi (run_wasi.h) over the WASI Preview 1 host (wasi/p1/).
#include "cli/run_wasi.h"

#include <cstdlib>
#include <string_view>

#include "wasi/p1/p1.h"

namespace zinc::cli {

Result<void> add_wasi(Linker& linker, const WasiSetup& setup) {
  wasi::p1::WasiCtxBuilder b;
  std::vector<std::string> argv;
  argv.push_back(setup.program);
  argv.insert(argv.end(), setup.args.begin(), setup.args.end());
  b.args(std::move(argv));
  for (const std::string& d : setup.dirs) b.dir_option(d);
  for (const std::string& e : setup.envs) {
    const size_t eq = e.find('=');
    if (eq == std::string::npos) {
      // `--env NAME` passes the host's value through (nothing when the host has none).
      if (const char* v = std::getenv(e.c_str())) b.env(e, v);
    } else {
      if (eq == 0) return api_error(ErrorKind::Generic, "--env '" + e + "': empty name");
      b.env(std::string_view(e).substr(0, eq), std::string_view(e).substr(eq + 1));
    }
  }
  auto ctx = b.build();
  if (!ctx.ok()) return unexpected(ctx.error());
  return wasi::p1::add_to_linker(linker, *ctx);
}

}  // namespace zinc::cli
