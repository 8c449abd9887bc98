// wasi/p2/p2.h: WASI 0.2 (Preview 2) for components -- the entry point.
//
//   auto config = zinc::wasi::p1::WasiCtxBuilder().args({"app"}).dir_option(".").config();
//   zinc::component::Linker linker(engine);
//   auto host = zinc::wasi::p2::add_to_linker(linker, std::move(*config));
//   auto instance = linker.instantiate(store, component);
//   auto exit_code = zinc::wasi::p2::run_command(store, *instance);
//
// Every interface of wasi:io, wasi:clocks, wasi:random, wasi:cli, wasi:filesystem and
// wasi:sockets 0.2.12 is defined (functions and resource types, from wasi/p2/wit/); a
// component importing any 0.2.x version of them is served by these (semver matching). The
// host state belongs to one store at a time, like Preview 1's context.
// Spec: https://github.com/WebAssembly/WASI (v0.2.12)
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "wasi/host/config.h"
#include "zinc/component.h"
#include "zinc/engine.h"
#include "zinc/result.h"

namespace zinc::wasi::p2 {

class Host;

/// Defines the WASI 0.2 host in `linker` for a program configured by `config`. Returns the
/// host state (for live_resources). With `imports` (a component's import names, e.g.
/// Component::imports()), only the WASI packages they name (and those these depend on) are
/// resolved and defined: start-up work proportional to what the component uses.
Result<std::shared_ptr<Host>> add_to_linker(component::Linker& linker, host::WasiConfig config,
                                            std::span<const std::string> imports = {});

/// Resource objects the guest still holds (0 after a well-behaved program dropped everything).
size_t live_resources(const Host& host);

/// True when `component` exports `wasi:cli/run` (any 0.2.x version): a command.
bool is_command(const component::Component& component);

/// Runs a command: calls its `wasi:cli/run#run` export. Returns the exit code: 0 when run
/// returns ok, 1 when it returns err, N after wasi:cli/exit. Traps are errors.
Result<int> run_command(Store& store, const component::Instance& instance);

}  // namespace zinc::wasi::p2
