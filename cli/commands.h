// cli/commands.h: the `zinc` subcommands and the exit-code contract they share.
//
// Each command lives in its own file and registers itself on the CLI11 app with an
// `add_*_command` function; the callback stores the command's exit status in `*status`.
// main.cc owns parsing and turns CLI11 usage errors into kExitUsage. Later commands
// (`run`, which becomes the default, `wast`, `explore`) are added the same way.
#pragma once

#include <CLI/CLI.hpp>

namespace zinc::cli {

/// Exit statuses of every zinc command (documented in `zinc --help`).
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;     // invalid module, unreadable file, ...
inline constexpr int kExitUsage = 2;       // bad command line
inline constexpr int kExitNotChecked = 3;  // e.g. a component given to `validate`

void add_validate_command(CLI::App& app, int* status);
void add_inspect_command(CLI::App& app, int* status);
void add_wast_command(CLI::App& app, int* status);
void add_run_command(CLI::App& app, int* status);
void add_wit_command(CLI::App& app, int* status);

}  // namespace zinc::cli
