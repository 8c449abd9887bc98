// cli/wast_runner.h: runs WAST spec scripts against the embedding API.
//
// Every command of the spec interpreter's script language is executed (module definitions and
// instances, register, invoke/get, assert_return with NaN and lane patterns, assert_trap,
// assert_exhaustion, assert_invalid, assert_malformed, assert_unlinkable,
// assert_uninstantiable) with a fresh Store per file and the `spectest` host module.
// Error-message assertions compare the spec's phrase with the phrase of our error *code*
// (decoder/errors.def, zinc/traps.def), so our messages can carry details and stay our own.
//
// Expectations: a file of `file.wast:LINE reason` lines lists commands known to fail. A listed
// failure counts as passed-as-expected, an unlisted one fails, and a listed command that
// passes fails too ("unexpected pass"), so the list must stay exact.
#pragma once

#include <cstdio>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "zinc/engine.h"

namespace zinc::cli {

struct WastOptions {
  Config config;                 // engine configuration (tier, memory mode)
  std::string expectations;      // path of an expectations file, or empty
  bool quiet = false;            // no per-file summary lines
  bool print_passes = false;
};

struct WastTotals {
  uint64_t passed = 0;
  uint64_t failed = 0;
  uint64_t skipped = 0;
  uint64_t expected_failures = 0;  // included in passed
  uint64_t unexpected_passes = 0;  // included in failed
};

class WastRunner {
 public:
  explicit WastRunner(WastOptions options);

  /// Loads the expectations file (if any). False with a message on a malformed file.
  bool load_expectations(std::string* error);
  /// Runs one script file; failures are printed to `out` as they happen.
  void run_file(const std::string& path, std::FILE* out);
  /// Listed expectations whose file was run but whose line never failed nor passed (e.g. the
  /// line no longer holds a command): reported as failures at the end.
  void finish(std::FILE* out);

  const WastTotals& totals() const { return totals_; }

 private:
  WastOptions options_;
  WastTotals totals_;
  std::map<std::string, std::string> expected_;  // "file.wast:LINE" -> reason
  std::set<std::string> seen_;                   // expectation keys whose command ran
  std::set<std::string> files_run_;
};

}  // namespace zinc::cli
