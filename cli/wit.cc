// cli/wit.cc: `zinc wit FILE`: a component's world printed as WIT.
//
// The world lists the component's imports and exports in order. Instances named by an
// interface (`ns:pkg/iface@ver`) are printed as `import ns:pkg/iface@ver;` and their contents
// in a `package ns:pkg@ver { interface iface { ... } }` block after the world, as
// `wasm-tools component wit` does; instances with a plain name become inline
// `import name: interface { ... }`. Type exports of an instance give names to the types its
// functions use (records, variants, enums, flags, resources); `[constructor]r`, `[method]r.m`
// and `[static]r.m` functions are printed inside `resource r { ... }`. Anonymous compound
// types are printed structurally.
// Spec: https://github.com/WebAssembly/component-model/blob/main/design/mvp/WIT.md
#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "cli/commands.h"
#include "cli/file_io.h"
#include "component/component.h"
#include "component/decode.h"
#include "component/runtime.h"
#include "zinc/component.h"
#include "zinc/zinc.h"

namespace zinc::cli {

namespace {

using component::ExternType;
using component::Item;
using component::TypeRef;
using component::ValKind;

/// Names of the types and resources in scope (one instance or the world).
struct Names {
  std::map<TypeRef, std::string> types;
  std::map<const component::ResourceType*, std::string> resources;
};

std::string id(const std::string& name) {
  // WIT keywords used as names take a `%` prefix.
  static const char* kKeywords[] = {"use", "type", "func", "u8", "u16", "u32", "u64", "s8",
                                    "s16", "s32", "s64", "f32", "f64", "char", "bool", "string",
                                    "record", "enum", "flags", "variant", "resource", "own",
                                    "borrow", "list", "option", "result", "tuple", "interface",
                                    "world", "import", "export", "package", "include", "static",
                                    "constructor", "future", "stream", "with", "as", "from"};
  for (const char* k : kKeywords) {
    if (name == k) return "%" + name;
  }
  return name;
}

std::string type_name(TypeRef t, const Names& n);

std::string type_ref(TypeRef t, const Names& n) {
  auto it = n.types.find(t);
  if (it != n.types.end()) return id(it->second);
  return type_name(t, n);
}

std::string type_name(TypeRef t, const Names& n) {
  if (component::is_primitive(t->kind)) return component::kind_name(t->kind);
  std::string s;
  switch (t->kind) {
    case ValKind::List:
      s = "list<" + type_ref(t->elem, n);
      if (t->length) s += ", " + std::to_string(*t->length);
      return s + ">";
    case ValKind::Option: return "option<" + type_ref(t->elem, n) + ">";
    case ValKind::Result:
      if (!t->ok && !t->err) return "result";
      if (!t->err) return "result<" + type_ref(t->ok, n) + ">";
      return "result<" + (t->ok ? type_ref(t->ok, n) : std::string("_")) + ", " +
             type_ref(t->err, n) + ">";
    case ValKind::Tuple:
      s = "tuple<";
      for (size_t i = 0; i < t->elems.size(); ++i) s += (i ? ", " : "") + type_ref(t->elems[i], n);
      return s + ">";
    case ValKind::Own:
    case ValKind::Borrow: {
      auto it = n.resources.find(t->resource);
      const std::string r = it != n.resources.end() ? id(it->second) : t->resource->debug_name;
      return t->kind == ValKind::Own ? r : "borrow<" + r + ">";
    }
    case ValKind::Stream: return t->elem ? "stream<" + type_ref(t->elem, n) + ">" : "stream";
    case ValKind::Future: return t->elem ? "future<" + type_ref(t->elem, n) + ">" : "future";
    case ValKind::Map: return "map<" + type_ref(t->key, n) + ", " + type_ref(t->elem, n) + ">";
    default:
      // An anonymous record/variant/enum/flags (not expressible inline in WIT).
      return component::to_string(t);
  }
}

/// The body of a named type definition: `record name { ... }`, `enum name { ... }`, ...
std::string type_def(const std::string& name, TypeRef t, const Names& n,
                     const std::string& indent) {
  std::string s;
  const std::string in = indent + "  ";
  switch (t->kind) {
    case ValKind::Record:
      s = indent + "record " + id(name) + " {\n";
      for (const auto& f : t->fields) s += in + id(f.label) + ": " + type_ref(f.type, n) + ",\n";
      return s + indent + "}\n";
    case ValKind::Variant:
      s = indent + "variant " + id(name) + " {\n";
      for (const auto& c : t->cases) {
        s += in + id(c.label);
        if (c.type) s += "(" + type_ref(c.type, n) + ")";
        s += ",\n";
      }
      return s + indent + "}\n";
    case ValKind::Enum:
    case ValKind::Flags:
      s = indent + (t->kind == ValKind::Enum ? "enum " : "flags ") + id(name) + " {\n";
      for (const auto& l : t->labels) s += in + id(l) + ",\n";
      return s + indent + "}\n";
    default:
      return indent + "type " + id(name) + " = " + type_name(t, n) + ";\n";
  }
}

std::string func_sig(const component::FuncType& f, const Names& n, size_t skip_params = 0) {
  std::string s = f.async ? "async func(" : "func(";
  for (size_t i = skip_params; i < f.params.size(); ++i) {
    if (i > skip_params) s += ", ";
    s += id(f.params[i].label) + ": " + type_ref(f.params[i].type, n);
  }
  s += ")";
  if (f.result) s += " -> " + type_ref(f.result, n);
  return s;
}

const component::FuncType* func_of(const Item& item) {
  if (item.type.kind != ExternType::Kind::Func || item.type.type == nullptr) return nullptr;
  return static_cast<const component::FuncTypeNode*>(item.type.type)->type;
}

/// Names the type exports of `items` (types first, so functions print with names).
void collect_names(const std::vector<Item>& items, Names& n) {
  for (const Item& item : items) {
    if (item.type.kind != ExternType::Kind::Type) continue;
    for (const component::TypeNode* node : {item.type.created, item.type.type}) {
      if (node == nullptr) continue;
      if (node->kind == component::TypeNode::Kind::Resource) {
        const auto* ra = static_cast<const component::ResourceAlias*>(node);
        n.resources.emplace(ra->resource, item.name);
        break;
      }
      if (node->kind == component::TypeNode::Kind::Defined) {
        const auto* dt = static_cast<const component::DefinedType*>(node);
        if (dt->type) n.types.emplace(dt->type, item.name);
        break;
      }
    }
  }
}

/// The items of an interface body (types, resources with their functions, functions).
std::string interface_body(const std::vector<Item>& items, Names n, const std::string& indent) {
  collect_names(items, n);
  std::string s;
  // Resource functions grouped by resource name.
  std::map<std::string, std::vector<const Item*>> resource_funcs;
  for (const Item& item : items) {
    const std::string& nm = item.name;
    if (nm.rfind("[constructor]", 0) == 0) {
      resource_funcs[nm.substr(13)].push_back(&item);
    } else if (nm.rfind("[method]", 0) == 0 || nm.rfind("[static]", 0) == 0) {
      const std::string rest = nm.substr(8);
      resource_funcs[rest.substr(0, rest.find('.'))].push_back(&item);
    }
  }
  for (const Item& item : items) {
    if (item.type.kind == ExternType::Kind::Type) {
      const component::TypeNode* node = item.type.created ? item.type.created : item.type.type;
      if (node && node->kind == component::TypeNode::Kind::Resource) {
        auto it = resource_funcs.find(item.name);
        if (it == resource_funcs.end()) {
          s += indent + "resource " + id(item.name) + ";\n";
          continue;
        }
        s += indent + "resource " + id(item.name) + " {\n";
        for (const Item* f : it->second) {
          const component::FuncType* ft = func_of(*f);
          if (!ft) continue;
          const std::string& nm = f->name;
          if (nm.rfind("[constructor]", 0) == 0) {
            std::string sig = func_sig(*ft, n);
            // Constructors have no written result.
            const size_t arrow = sig.rfind(" -> ");
            if (arrow != std::string::npos) sig.resize(arrow);
            s += indent + "  constructor" + sig.substr(sig.find('(')) + ";\n";
          } else if (nm.rfind("[method]", 0) == 0) {
            s += indent + "  " + id(nm.substr(nm.find('.') + 1)) + ": " + func_sig(*ft, n, 1) +
                 ";\n";
          } else {
            s += indent + "  " + id(nm.substr(nm.find('.') + 1)) + ": static " +
                 func_sig(*ft, n) + ";\n";
          }
        }
        s += indent + "}\n";
        continue;
      }
      const auto* dt = static_cast<const component::DefinedType*>(item.type.type);
      if (dt && dt->type) {
        Names without = n;
        without.types.erase(dt->type);  // print the definition, not its own name
        s += type_def(item.name, dt->type, without, indent);
      }
    }
  }
  for (const Item& item : items) {
    if (item.type.kind != ExternType::Kind::Func) continue;
    if (item.name[0] == '[') continue;  // printed with its resource
    if (const component::FuncType* ft = func_of(item)) {
      s += indent + id(item.name) + ": " + func_sig(*ft, n) + ";\n";
    }
  }
  return s;
}

bool is_interface_name(const std::string& name) { return name.find(':') != std::string::npos; }

int wit(const std::string& path) {
  auto bytes = read_binary(path);
  if (!bytes) {
    std::fprintf(stderr, "Error: %s\n", bytes.error().message.c_str());
    return kExitFailure;
  }
  Engine engine;
  auto c = component::Component::compile(engine, *bytes, path);
  if (!c) {
    std::fprintf(stderr, "Error: %s: %s\n", path.c_str(), c.error().message.c_str());
    return kExitFailure;
  }
  const component::ComponentTypeNode* type = c->impl()->component->type;
  if (type == nullptr) {
    std::fprintf(stderr, "Error: %s: the component has no type\n", path.c_str());
    return kExitFailure;
  }
  Names world_names;
  collect_names(type->imports.items, world_names);
  collect_names(type->exports.items, world_names);
  std::string out = "package root:component;\n\nworld root {\n";
  // package "ns:pkg@ver" -> interface name -> body
  std::map<std::string, std::map<std::string, std::string>> packages;
  auto emit = [&](const Item& item, const char* dir) {
    if (item.type.kind == ExternType::Kind::Instance && item.type.type) {
      const auto* it = static_cast<const component::InstanceTypeNode*>(item.type.type);
      if (is_interface_name(item.name)) {
        out += std::string("  ") + dir + " " + item.name + ";\n";
        // "ns:pkg/iface@ver" -> package "ns:pkg@ver", interface "iface"
        std::string name = item.name, version;
        const size_t at = name.find('@');
        if (at != std::string::npos) {
          version = name.substr(at);
          name.resize(at);
        }
        const size_t slash = name.find('/');
        const std::string pkg = name.substr(0, slash) + version;
        const std::string iface = slash == std::string::npos ? name : name.substr(slash + 1);
        packages[pkg][iface] = interface_body(it->exports.items, world_names, "    ");
      } else {
        out += std::string("  ") + dir + " " + id(item.name) + ": interface {\n" +
               interface_body(it->exports.items, world_names, "    ") + "  }\n";
      }
    } else if (const component::FuncType* ft = func_of(item)) {
      out += std::string("  ") + dir + " " + id(item.name) + ": " + func_sig(*ft, world_names) +
             ";\n";
    } else if (item.type.kind == ExternType::Kind::Type) {
      const component::TypeNode* node = item.type.created ? item.type.created : item.type.type;
      if (node && node->kind == component::TypeNode::Kind::Resource) {
        out += std::string("  ") + dir + " " + id(item.name) + ": resource;\n";
      } else if (item.type.type && item.type.type->kind == component::TypeNode::Kind::Defined) {
        Names without = world_names;
        const auto* dt = static_cast<const component::DefinedType*>(item.type.type);
        without.types.erase(dt->type);
        out += type_def(item.name, dt->type, without, "  ");
      }
    } else {
      out += std::string("  // ") + dir + " " + item.name + ": " + item.type.desc() +
             " (not expressible in WIT)\n";
    }
  };
  for (const Item& item : type->imports.items) emit(item, "import");
  for (const Item& item : type->exports.items) emit(item, "export");
  out += "}\n";
  for (const auto& [pkg, ifaces] : packages) {
    out += "\npackage " + pkg + " {\n";
    bool first = true;
    for (const auto& [iface, body] : ifaces) {
      if (!first) out += "\n";
      first = false;
      out += "  interface " + id(iface) + " {\n" + body + "  }\n";
    }
    out += "}\n";
  }
  std::fputs(out.c_str(), stdout);
  return kExitOk;
}

}  // namespace

void add_wit_command(CLI::App& app, int* status) {
  auto file = std::make_shared<std::string>();
  CLI::App* cmd = app.add_subcommand("wit", "Print a component's world as WIT");
  cmd->add_option("file", *file, "Component (.wasm)")->required();
  cmd->callback([file, status] { *status = wit(*file); });
}

}  // namespace zinc::cli
