// cli/wast_component.cc: see wast_component.h.
#include "cli/wast_component.h"

#include <string_view>
#include <utility>

#include "component/text/values.h"

namespace zinc::cli {

namespace text = decoder::text;
using text::Command;
using text::CommandKind;

namespace {

/// The expected text appears in our message (Wasmtime's messages, which the tests quote, are
/// often longer than the quoted part; ours carry the same phrase).
/// Wasmtime's phrases that the tests quote, for errors whose wording is ours (the core text
/// format's, shared with the core spec suites).
constexpr std::pair<std::string_view, std::string_view> kPhraseAliases[] = {
    {"invalid string escape", "unknown escape"},
};

/// An empty expected text accepts any error (binary.wast's assert_malformed uses it).
bool message_matches(const std::string& ours, const std::string& expected) {
  if (expected.empty() || ours.find(expected) != std::string::npos) return true;
  for (const auto& [theirs, mine] : kPhraseAliases) {
    if (expected == theirs && ours.find(mine) != std::string::npos) return true;
  }
  return false;
}

std::string describe(const std::vector<component::Val>& vs) {
  std::string s;
  for (const component::Val& v : vs) s += (s.empty() ? "" : ", ") + component::to_wave(v);
  return s.empty() ? "no results" : s;
}

/// Script values are written without their types; a few need the type to become the Val a
/// lift produces: a map is written as `list.const` of 2-tuples. Walks `t` and converts.
void coerce(component::Val& v, component::TypeRef t, uint32_t depth = 0) {
  using component::ValKind;
  if (t == nullptr || depth > 100) return;
  switch (t->kind) {
    case ValKind::Map:
      if (v.kind == ValKind::List && !v.packed) v.kind = ValKind::Map;
      if (v.kind == ValKind::Map) {
        for (component::Val& e : v.items) {
          if (e.items.size() == 2) {
            coerce(e.items[0], t->key, depth + 1);
            coerce(e.items[1], t->elem, depth + 1);
          }
        }
      }
      return;
    case ValKind::List:
      if (!v.packed) {
        for (component::Val& e : v.items) coerce(e, t->elem, depth + 1);
      }
      return;
    case ValKind::Record:
      for (size_t i = 0; i < v.items.size() && i < t->fields.size(); ++i) {
        coerce(v.items[i], t->fields[i].type, depth + 1);
      }
      return;
    case ValKind::Tuple:
      for (size_t i = 0; i < v.items.size() && i < t->elems.size(); ++i) {
        coerce(v.items[i], t->elems[i], depth + 1);
      }
      return;
    case ValKind::Variant:
      for (const component::Case& c : t->cases) {
        if (c.label == v.str && !v.items.empty()) coerce(v.items[0], c.type, depth + 1);
      }
      return;
    case ValKind::Option:
      if (!v.items.empty()) coerce(v.items[0], t->elem, depth + 1);
      return;
    case ValKind::Result:
      if (!v.items.empty()) coerce(v.items[0], v.is_ok ? t->ok : t->err, depth + 1);
      return;
    default:
      return;
  }
}

}  // namespace

bool ComponentScript::has_instance(const std::string& id) const {
  if (id.empty()) return current_.has_value();
  return named_.count(id) != 0;
}

ComponentScript::Compiled ComponentScript::compile(const text::ScriptModule& m) {
  Compiled out;
  auto bin = component::text::encode_script_component(m, file_);
  if (!bin.ok()) {
    out.error = bin.error().to_string();
    out.malformed = true;
    return out;
  }
  auto c = component::Component::compile(engine_, *bin, file_);
  if (!c.ok()) {
    out.error = c.error().message;
    out.malformed = c.error().kind == ErrorKind::Decode;
    return out;
  }
  out.component = std::move(*c);
  return out;
}

Result<component::Instance> ComponentScript::instantiate(const component::Component& c) {
  component::Linker linker(engine_);
  return linker.instantiate(store_, c);
}

Result<std::vector<component::Val>> ComponentScript::perform(const text::Action& a) {
  std::optional<component::Instance> inst = current_;
  if (!a.module.empty()) {
    auto it = named_.find(a.module);
    if (it == named_.end()) return api_error(ErrorKind::Generic, "no component " + a.module);
    inst = it->second;
  }
  if (!inst) return api_error(ErrorKind::Generic, "no component instance");
  if (a.kind == text::Action::Kind::Get) {
    return api_error(ErrorKind::Generic, "`get` of a component value is not supported");
  }
  auto f = inst->get_func(store_, a.name);
  if (!f) return api_error(ErrorKind::Generic, "no function export \"" + a.name + "\"");
  std::vector<component::Val> args;
  const component::FuncType& type = f->type();
  for (size_t i = 0; i < a.args.size(); ++i) {
    auto val = component::text::script_value(a.args[i], file_);
    if (!val.ok()) return api_error(ErrorKind::Generic, val.error().to_string());
    if (i < type.params.size()) coerce(*val, type.params[i].type);
    args.push_back(std::move(*val));
  }
  auto r = f->call(store_, args);
  if (!r.ok()) return unexpected(r.error());
  std::vector<component::Val> out;
  if (*r) out.push_back(std::move(**r));
  return out;
}

component::TypeRef ComponentScript::result_type_of(const text::Action& a) {
  std::optional<component::Instance> inst = current_;
  if (!a.module.empty()) {
    auto it = named_.find(a.module);
    if (it == named_.end()) return nullptr;
    inst = it->second;
  }
  if (!inst) return nullptr;
  auto f = inst->get_func(store_, a.name);
  return f ? f->type().result : nullptr;
}

std::optional<std::string> ComponentScript::module_command(const Command& c) {
  if (c.kind == CommandKind::ModuleInstance || !c.module.definition) current_.reset();
  if (c.kind == CommandKind::ModuleInstance) {
    auto it = definitions_.find(c.module_ref);
    if (it == definitions_.end()) return "unknown component definition " + c.module_ref;
    auto inst = instantiate(it->second);
    if (!inst.ok()) return "instantiation failed: " + inst.error().message;
    current_ = *inst;
    if (!c.instance_id.empty()) named_.insert_or_assign(c.instance_id, *inst);
    return std::nullopt;
  }
  Compiled compiled = compile(c.module);
  if (!compiled.component) return "component failed to compile: " + compiled.error;
  if (c.module.definition) {
    if (!c.module.id.empty()) definitions_.insert_or_assign(c.module.id, *compiled.component);
    return std::nullopt;
  }
  auto inst = instantiate(*compiled.component);
  if (!inst.ok()) return "instantiation failed: " + inst.error().message;
  current_ = *inst;
  if (!c.module.id.empty()) named_.insert_or_assign(c.module.id, *inst);
  return std::nullopt;
}

std::optional<std::string> ComponentScript::run(const Command& c) {
  switch (c.kind) {
    case CommandKind::Module:
    case CommandKind::ModuleInstance:
      return module_command(c);
    case CommandKind::Register:
      return "register of a component instance is not supported";
    case CommandKind::Action: {
      auto r = perform(c.action);
      if (!r.ok()) return "action failed: " + r.error().message;
      return std::nullopt;
    }
    case CommandKind::AssertReturn: {
      auto r = perform(c.action);
      if (!r.ok()) return "unexpected failure: " + r.error().message;
      std::vector<component::Val> want;
      component::TypeRef result_type = result_type_of(c.action);
      for (const text::Value& v : c.expected) {
        auto val = component::text::script_value(v, file_);
        if (!val.ok()) return "bad expected value: " + val.error().to_string();
        coerce(*val, result_type);
        want.push_back(std::move(*val));
      }
      if (*r != want) return "expected " + describe(want) + ", got " + describe(*r);
      return std::nullopt;
    }
    case CommandKind::AssertTrap:
    case CommandKind::AssertExhaustion: {
      Error error;
      if (c.has_module) {
        Compiled compiled = compile(c.module);
        if (!compiled.component) return "component failed to compile: " + compiled.error;
        auto inst = instantiate(*compiled.component);
        if (inst.ok()) return "expected trap \"" + c.message + "\", instantiated";
        error = inst.error();
      } else {
        auto r = perform(c.action);
        if (r.ok()) return "expected trap \"" + c.message + "\", got " + describe(*r);
        error = r.error();
      }
      if (error.kind != ErrorKind::Trap) {
        return "expected trap \"" + c.message + "\", got error: " + error.message;
      }
      // Wasmtime prefixes traps raised by wasm with "wasm trap: ", which some tests quote.
      std::string ours = error.message + " | wasm trap: " + error.message;
      if (error.trap) ours += " | " + error.trap->message + " | " + std::string(trap_message(error.trap->code));
      if (!message_matches(ours, c.message)) {
        return "expected trap \"" + c.message + "\", got \"" + error.message + "\"";
      }
      return std::nullopt;
    }
    case CommandKind::AssertInvalid:
    case CommandKind::AssertMalformed: {
      Compiled compiled = compile(c.module);
      const bool invalid = c.kind == CommandKind::AssertInvalid;
      if (compiled.component) {
        return std::string("expected ") + (invalid ? "invalid" : "malformed") +
               " component (\"" + c.message + "\"), it compiled";
      }
      if (!message_matches(compiled.error, c.message)) {
        return "expected \"" + c.message + "\", got \"" + compiled.error + "\"";
      }
      return std::nullopt;
    }
    case CommandKind::AssertUnlinkable:
    case CommandKind::AssertUninstantiable: {
      Compiled compiled = compile(c.module);
      if (!compiled.component) return "component failed to compile: " + compiled.error;
      auto inst = instantiate(*compiled.component);
      if (inst.ok()) return "expected failure \"" + c.message + "\", instantiated";
      if (!message_matches(inst.error().message, c.message)) {
        return "expected \"" + c.message + "\", got \"" + inst.error().message + "\"";
      }
      return std::nullopt;
    }
    case CommandKind::AssertException:
      return "assert_exception on a component is not supported";
  }
  return "unknown command";
}

}  // namespace zinc::cli
