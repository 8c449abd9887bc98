// cli/run_wasi.cc: add_wasi (run_wasi.h). Until the WASI Preview 1 host lands (issue 5), no
// WASI imports are defined, so a module importing them fails to link naming the import.
#include "cli/run_wasi.h"

namespace zinc::cli {

Result<void> add_wasi(Linker&, const WasiSetup& setup) {
  if (!setup.dirs.empty()) {
    return api_error(ErrorKind::Generic, "--dir needs the WASI host, which is not built yet");
  }
  return {};
}

}  // namespace zinc::cli
