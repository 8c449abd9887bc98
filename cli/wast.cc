// cli/wast.cc: `zinc wast [--tier T] [--expect FILE] FILE...`: runs WAST spec scripts.
//
// Prints each failing command as `FILE:LINE: what went wrong`, a summary line per file (unless
// --quiet) and ends with exactly `N passed, M failed` (`, K skipped` when anything was
// skipped). Exit status 0 only when nothing failed (after applying the expectations file).
#include <cinttypes>
#include <cstdio>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/wast_runner.h"

namespace zinc::cli {

namespace {

struct WastCommandOptions {
  std::vector<std::string> files;
  std::string tier = "interp";
  std::string memory = "guard";
  std::string expectations;
  bool quiet = false;
};

}  // namespace

void add_wast_command(CLI::App& app, int* status) {
  auto opts = std::make_shared<WastCommandOptions>();
  CLI::App* cmd = app.add_subcommand("wast", "Run WebAssembly spec test scripts (.wast)");
  cmd->add_option("files", opts->files, "Script files")->required();
  cmd->add_option("--tier", opts->tier, "Execution tier: interp")
      ->check(CLI::IsMember({"interp"}));
  cmd->add_option("--memory", opts->memory,
                  "Linear memory mode: guard (guard pages) or bounds (explicit checks)")
      ->check(CLI::IsMember({"guard", "bounds"}));
  cmd->add_option("--expect", opts->expectations,
                  "Expectations file: `file.wast:LINE reason` lines of known failures");
  cmd->add_flag("-q,--quiet", opts->quiet, "No per-file summary lines");
  cmd->callback([opts, status] {
    WastOptions w;
    w.config.tier = Tier::Interp;
    w.config.memory_mode = opts->memory == "bounds" ? MemoryMode::BoundsChecks
                                                    : MemoryMode::GuardPages;
    w.expectations = opts->expectations;
    w.quiet = opts->quiet;
    WastRunner runner(w);
    std::string error;
    if (!runner.load_expectations(&error)) {
      std::fprintf(stderr, "zinc wast: %s\n", error.c_str());
      *status = kExitUsage;
      return;
    }
    for (const std::string& f : opts->files) runner.run_file(f, stdout);
    runner.finish(stdout);
    const WastTotals& t = runner.totals();
    std::printf("%" PRIu64 " passed, %" PRIu64 " failed", t.passed, t.failed);
    if (t.skipped != 0) std::printf(", %" PRIu64 " skipped", t.skipped);
    std::printf("\n");
    std::fflush(stdout);
    *status = t.failed == 0 ? kExitOk : kExitFailure;
  });
}

}  // namespace zinc::cli
