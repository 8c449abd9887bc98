// zinc/module.h: Module (compiled once, immutable, shareable), Instance, Linker and the
// pre-linked InstancePre for cheap repeated instantiation.
//
//   zinc::Engine engine;
//   auto module = zinc::Module::compile(engine, bytes);          // binary or text (.wat)
//   zinc::Store store(engine);
//   zinc::Linker linker(engine);
//   linker.func_wrap("env", "add", [](int32_t a, int32_t b) { return a + b; });
//   auto instance = linker.instantiate(store, *module);
//   auto run = instance->get_func(store, "run")->typed<int32_t()>(store);
//   auto result = run->call(store);
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "zinc/engine.h"
#include "zinc/extern.h"
#include "zinc/func.h"
#include "zinc/result.h"
#include "zinc/types.h"

namespace zinc {

namespace vm {
struct CompiledModule;
}

class Module {
 public:
  /// Decodes and validates a module: a binary, or WebAssembly text when `bytes` does not start
  /// with the binary magic. Errors are of kind Decode or Validate and name the byte offset
  /// (binary) or line:column (text).
  static Result<Module> compile(const Engine& engine, std::span<const uint8_t> bytes,
                                std::string_view name = {});
  /// Like compile, but `bytes` must be a binary module (never read as text).
  static Result<Module> from_binary(const Engine& engine, std::span<const uint8_t> bytes,
                                    std::string_view name = {});

  std::vector<ImportType> imports() const;
  std::vector<ExportType> exports() const;
  /// The name-section module name, else the name given to compile, else empty.
  std::string name() const;

  const std::shared_ptr<const vm::CompiledModule>& impl() const { return impl_; }

 private:
  explicit Module(std::shared_ptr<const vm::CompiledModule> impl) : impl_(std::move(impl)) {}
  std::shared_ptr<const vm::CompiledModule> impl_;
};

class Instance {
 public:
  explicit Instance(vm::InstanceInst* i) : i_(i) {}

  std::optional<Extern> get_export(const Store& store, std::string_view name) const;
  std::optional<Func> get_func(const Store& store, std::string_view name) const;
  std::optional<Memory> get_memory(const Store& store, std::string_view name) const;
  std::optional<Table> get_table(const Store& store, std::string_view name) const;
  std::optional<Global> get_global(const Store& store, std::string_view name) const;
  /// Every export in definition order.
  std::vector<std::pair<std::string, Extern>> exports(const Store& store) const;

  vm::InstanceInst* raw() const { return i_; }

 private:
  vm::InstanceInst* i_;
};

/// Instantiates a module with the given imports in import order (no name resolution). Runs
/// the start function. Link errors (missing or mistyped import) are of kind Link; a trap in
/// the start function or in segment initialisation is of kind Trap.
Result<Instance> instantiate(Store& store, const Module& module, std::span<const Extern> imports);

class InstancePre;

/// Resolves imports by (module, name). Definitions are either store-bound externs (define) or
/// host functions not bound to any store (func_wrap / func_new), which are created in each
/// store the first time an instance there needs them.
class Linker {
 public:
  explicit Linker(const Engine& engine);

  /// Later definitions of the same (module, name) replace earlier ones when shadowing is
  /// allowed; otherwise defining one twice is an error.
  void allow_shadowing(bool allow) { allow_shadowing_ = allow; }

  Result<void> define(std::string_view module, std::string_view name, const Extern& item);
  /// Every export of `instance` under `module`.
  Result<void> define_instance(const Store& store, std::string_view module, Instance instance);
  Result<void> define_host_func(std::string_view module, std::string_view name,
                                std::shared_ptr<const HostFuncDef> def);
  template <typename F>
  Result<void> func_wrap(std::string_view module, std::string_view name, F&& f) {
    return define_host_func(module, name, detail::make_host_func(std::forward<F>(f)));
  }
  Result<void> func_new(std::string_view module, std::string_view name, const FuncType& type,
                        DynamicHostFunc fn);

  /// The definition of (module, name) as an extern of `store` (host functions are created
  /// in the store on first use).
  std::optional<Extern> get(Store& store, std::string_view module, std::string_view name) const;

  Result<Instance> instantiate(Store& store, const Module& module) const;
  /// Resolves and type-checks every import now, so instantiating many times is cheap.
  Result<InstancePre> instantiate_pre(const Module& module) const;

 private:
  friend class InstancePre;
  struct Definition {
    std::optional<Extern> item;                  // store-bound
    std::shared_ptr<const HostFuncDef> host;     // store-independent host function
    const vm::StoreImpl* store = nullptr;        // owner of `item`
  };
  Result<void> add(std::string_view module, std::string_view name, Definition def);
  Result<const Definition*> resolve(const ImportType& import) const;

  Engine engine_;
  bool allow_shadowing_ = false;
  std::map<std::pair<std::string, std::string>, Definition, std::less<>> defs_;
};

/// A module whose imports are already resolved against a Linker (a snapshot of its
/// definitions): instantiate() only creates the instance.
class InstancePre {
 public:
  Result<Instance> instantiate(Store& store) const;
  const Module& module() const { return module_; }

 private:
  friend class Linker;
  InstancePre(Module module, std::vector<Linker::Definition> imports)
      : module_(std::move(module)), imports_(std::move(imports)) {}
  Module module_;
  std::vector<Linker::Definition> imports_;
};

}  // namespace zinc
