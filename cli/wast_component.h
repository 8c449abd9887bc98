// cli/wast_component.h: the Component Model commands of WAST scripts (component-model-tests).
//
// A script mixes core and component commands; wast_runner.cc hands every command that defines,
// instantiates or asserts on a `(component ...)`, and every action on a component instance,
// to a ComponentScript. Components are instantiated with no host imports (the official tests
// are self-contained). Values are component values (component/text/values.h) compared with
// Val's `==`; trap and error assertions compare the expected text with our message (the
// tests use Wasmtime's wording, which the canonical ABI traps and the component validator
// reproduce).
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>

#include "decoder/text/wast.h"
#include "zinc/component.h"
#include "zinc/zinc.h"

namespace zinc::cli {

class ComponentScript {
 public:
  ComponentScript(Engine& engine, Store& store, std::string file)
      : engine_(engine), store_(store), file_(std::move(file)) {}

  /// Runs `c`; nullopt when it passed, else the failure message.
  std::optional<std::string> run(const decoder::text::Command& c);

  /// Whether `id` names a component instance (empty: the current instance is a component).
  bool has_instance(const std::string& id) const;
  /// The current instance is no longer a component (a core module was instantiated).
  void clear_current() { current_.reset(); }

 private:
  struct Compiled {
    std::optional<component::Component> component;
    std::string error;
    bool malformed = false;
  };
  Compiled compile(const decoder::text::ScriptModule& m);
  Result<component::Instance> instantiate(const component::Component& c);
  Result<std::vector<component::Val>> perform(const decoder::text::Action& a);
  component::TypeRef result_type_of(const decoder::text::Action& a);
  std::optional<std::string> module_command(const decoder::text::Command& c);

  Engine& engine_;
  Store& store_;
  std::string file_;
  std::map<std::string, component::Component> definitions_;
  std::map<std::string, component::Instance> named_;
  std::optional<component::Instance> current_;
};

}  // namespace zinc::cli
