// cli/main.cc: the `zinc` command-line entry point.
//
// Builds the CLI11 app from the per-command `add_*_command` functions (commands.h), handles
// `--version`, `--help` and `zinc help COMMAND`, and maps CLI11's parse errors to the exit-code
// contract: help/version exit 0, any usage error exits kExitUsage (2). CLI11 reports parse
// errors by throwing; they are caught here and never cross into Zinc's libraries.
#include <algorithm>
#include <cstdio>
#include <vector>
#include <iostream>
#include <string>

#include "cli/commands.h"
#include "zinc_config.h"

namespace {

using zinc::cli::kExitOk;
using zinc::cli::kExitUsage;

constexpr const char* kFooter =
    "Run 'zinc help COMMAND' or 'zinc COMMAND --help' for a command's options.\n\n"
    "Exit status: 0 success; 1 failure (invalid module, unreadable file); 2 usage error;\n"
    "3 input not checked (a component given to 'validate').";

void add_help_command(CLI::App& app, int* status) {
  auto topic = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand("help", "Show help for zinc or for one command");
  cmd->add_option("command", *topic, "Command to describe");
  cmd->callback([&app, topic, status] {
    if (topic->empty()) {
      std::cout << app.help();
      *status = kExitOk;
      return;
    }
    for (CLI::App* sub : app.get_subcommands({})) {
      if (sub->get_name() == *topic) {
        std::cout << sub->help("zinc");
        *status = kExitOk;
        return;
      }
    }
    std::fprintf(stderr, "zinc help: unknown command '%s'\n", topic->c_str());
    *status = kExitUsage;
  });
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app("zinc: a WebAssembly engine", "zinc");
  app.set_version_flag("--version", std::string("zinc ") + ZINC_VERSION);
  app.footer(kFooter);
  app.require_subcommand(1);

  int status = kExitOk;
  zinc::cli::add_run_command(app, &status);
  zinc::cli::add_validate_command(app, &status);
  zinc::cli::add_inspect_command(app, &status);
  zinc::cli::add_wast_command(app, &status);
  zinc::cli::add_wit_command(app, &status);
  add_help_command(app, &status);

  // `run` is the default command: `zinc [RUN OPTIONS] FILE ARGS...` means `zinc run ...`.
  std::vector<std::string> args(argv + 1, argv + argc);
  if (!args.empty() && args[0] != "-h" && args[0] != "--help" && args[0] != "--version") {
    bool is_command = false;
    for (CLI::App* sub : app.get_subcommands({})) is_command |= sub->get_name() == args[0];
    if (!is_command) args.insert(args.begin(), "run");
  }
  std::reverse(args.begin(), args.end());  // CLI11 parses a reversed vector

  try {
    app.parse(args);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    (void)app.exit(e);
    return kExitUsage;
  }
  return status;
}
