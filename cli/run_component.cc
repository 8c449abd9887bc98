// cli/run_component.cc: `zinc run` for components.
//
// `--invoke 'name(arg, ...)'` calls an exported function with arguments written in WAVE
// (component/wave.h), checked against the function's parameter types, and prints the result
// in WAVE. Function names are the export's plain name or `interface#name` for a function of
// an exported instance (e.g. `wasi:cli/run@0.2.0#run`). Unknown exports, wrong arity and
// values that do not fit the parameter types are usage errors listing the signature.
// `--link NAME=FILE` composes: FILE is instantiated first and its export NAME (or, when it has
// none, its whole instance) satisfies the import NAME.
#include <cstdio>
#include <filesystem>
#include <string>

#include "cli/commands.h"
#include "cli/file_io.h"
#include "cli/run_component.h"
#include "component/wave.h"
#include "wasi/p2/p2.h"
#include "zinc/component.h"
#include "zinc/zinc.h"

namespace zinc::cli {

namespace {

std::string signature(const std::string& name, const component::FuncType& t) {
  std::string s = name + ": func(";
  for (size_t i = 0; i < t.params.size(); ++i) {
    if (i) s += ", ";
    s += t.params[i].label + ": " + component::to_string(t.params[i].type);
  }
  s += ")";
  if (t.result) s += " -> " + component::to_string(t.result);
  return s;
}

void list_exports(const std::vector<std::pair<std::string, component::Func>>& funcs) {
  if (funcs.empty()) {
    std::fprintf(stderr, "The component exports no functions.\n");
    return;
  }
  std::fprintf(stderr, "Exported functions:\n");
  for (const auto& [name, f] : funcs) {
    std::fprintf(stderr, "  %s\n", signature(name, f.type()).c_str());
  }
}

}  // namespace

int run_component(const ComponentRun& run, Engine& engine, Store& store,
                  std::span<const uint8_t> bytes,
                  int (*report_error)(const std::string& file, const Error& e)) {
  auto component = component::Component::compile(
      engine, bytes, std::filesystem::path(run.file).filename().string());
  if (!component) {
    std::fprintf(stderr, "Error: failed to compile `%s`: %s\n", run.file.c_str(),
                 component.error().message.c_str());
    return kExitFailure;
  }
  component::Linker linker(engine);
  for (const std::string& link : run.links) {
    const size_t eq = link.find('=');
    if (eq == std::string::npos || eq == 0 || eq + 1 == link.size()) {
      std::fprintf(stderr, "Error: --link takes NAME=FILE, got `%s`\n", link.c_str());
      return kExitUsage;
    }
    const std::string name = link.substr(0, eq), file = link.substr(eq + 1);
    auto bytes = read_binary(file);
    if (!bytes) {
      std::fprintf(stderr, "Error: --link %s: %s\n", name.c_str(), bytes.error().message.c_str());
      return kExitFailure;
    }
    auto dep = component::Component::compile(engine, *bytes, file);
    if (!dep) {
      std::fprintf(stderr, "Error: failed to compile `%s`: %s\n", file.c_str(),
                   dep.error().message.c_str());
      return kExitFailure;
    }
    auto dep_instance = linker.instantiate(store, *dep);
    if (!dep_instance) return report_error(file, dep_instance.error());
    // The import is satisfied by FILE's export of the same name (an interface it implements),
    // else by FILE's whole instance.
    component::Instance provided = *dep_instance;
    if (auto named = dep_instance->get_instance(store, name)) provided = *named;
    if (auto r = linker.define_instance(name, provided); !r) {
      std::fprintf(stderr, "Error: --link %s: %s\n", name.c_str(), r.error().message.c_str());
      return kExitUsage;
    }
  }
  std::vector<std::string> wasi_imports;
  for (const component::ExternInfo& i : component->imports()) {
    if (i.name.rfind("wasi:", 0) == 0) wasi_imports.push_back(i.name);
  }
  if (!wasi_imports.empty()) {
    if (auto r = add_wasi_p2(linker, run.wasi, wasi_imports); !r) {
      std::fprintf(stderr, "Error: %s\n", r.error().message.c_str());
      return kExitUsage;
    }
  }
  const bool command = run.invoke.empty() && wasi::p2::is_command(*component);
  if (!command && run.invoke.empty()) {
    std::fprintf(stderr,
                 "Error: `%s` is a component that does not export wasi:cli/run; use --invoke "
                 "'NAME(ARGS)' to call one of its functions.\n",
                 run.file.c_str());
    auto instance = linker.instantiate(store, *component);
    if (instance) list_exports(instance->funcs(store));
    return kExitFailure;
  }
  auto instance = linker.instantiate(store, *component);
  if (!instance) return report_error(run.file, instance.error());
  if (command) {
    auto code = wasi::p2::run_command(store, *instance);
    std::fflush(stdout);
    if (!code) return report_error(run.file, code.error());
    return *code;
  }
  const auto funcs = instance->funcs(store);
  std::string text = run.invoke;
  if (text.find('(') == std::string::npos) text += "()";
  auto inv = component::parse_invocation(text);
  if (!inv) {
    std::fprintf(stderr, "Error: invalid --invoke `%s`: %s\n", run.invoke.c_str(),
                 inv.error().message.c_str());
    return kExitUsage;
  }
  if (!run.args.empty()) {
    std::fprintf(stderr,
                 "Error: components take their arguments inside --invoke, e.g. --invoke "
                 "'%s(1, \"x\")'\n",
                 inv->name.c_str());
    return kExitUsage;
  }
  auto func = instance->get_func(store, inv->name);
  if (!func) {
    std::fprintf(stderr, "Error: the component has no exported function `%s`\n",
                 inv->name.c_str());
    list_exports(funcs);
    return kExitUsage;
  }
  const component::FuncType& type = func->type();
  if (inv->args.size() != type.params.size()) {
    std::fprintf(stderr, "Error: `%s` takes %zu argument%s, %zu given\n  %s\n",
                 inv->name.c_str(), type.params.size(), type.params.size() == 1 ? "" : "s",
                 inv->args.size(), signature(inv->name, type).c_str());
    return kExitUsage;
  }
  std::vector<component::Val> args;
  for (size_t i = 0; i < inv->args.size(); ++i) {
    auto v = component::parse_wave(inv->args[i], type.params[i].type);
    if (!v) {
      std::fprintf(stderr, "Error: argument %zu (`%s`) of `%s`: %s\n  %s\n", i + 1,
                   type.params[i].label.c_str(), inv->name.c_str(), v.error().message.c_str(),
                   signature(inv->name, type).c_str());
      return kExitUsage;
    }
    args.push_back(std::move(*v));
  }
  auto result = func->call(store, args);
  std::fflush(stdout);
  if (!result) return report_error(run.file, result.error());
  if (*result) std::printf("%s\n", component::to_wave(**result).c_str());
  std::fflush(stdout);
  return kExitOk;
}

}  // namespace zinc::cli
