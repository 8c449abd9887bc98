// cli/run_component.h: `zinc run` of a component (run_component.cc); run.cc detects the
// component and hands over after setting up the engine and store.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "cli/run_wasi.h"
#include "zinc/zinc.h"

namespace zinc::cli {

struct ComponentRun {
  std::string file;
  std::string invoke;             // `name(arg, ...)` in WAVE, or empty
  std::vector<std::string> args;  // must be empty: component arguments go inside --invoke
  /// --link NAME=FILE: FILE (a component) is instantiated first and its export NAME (or its
  /// whole instance) satisfies the instance import NAME (in order, so a later FILE may import
  /// an earlier one).
  std::vector<std::string> links;
  /// The WASI 0.2 host's configuration (defined when the component imports wasi:*).
  WasiSetup wasi;
};

/// Compiles, instantiates and runs the component in `bytes`; returns the exit status.
/// `report_error` prints an execution error (trap, exit) as `zinc run` does for modules.
int run_component(const ComponentRun& run, Engine& engine, Store& store,
                  std::span<const uint8_t> bytes,
                  int (*report_error)(const std::string& file, const Error& e));

}  // namespace zinc::cli
