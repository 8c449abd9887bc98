// component/wit/print.cc: resolved WIT back to WIT text (wit.h `to_wit`): types, functions,
// interfaces, worlds and whole packages, so a printed package parses and resolves to the same
// types again. Identifiers that are keywords are written with `%`.
// Invariant: aliases print as `type a = <target>`; `use`d names as `use` items of the
// interface that defines them.
#include "component/wit/ast.h"

namespace zinc::component::wit {

namespace {

std::string id(const std::string& name) {
  return is_keyword(name) ? "%" + name : name;
}

void params(std::string& s, const Function& f, size_t first) {
  s += "(";
  for (size_t i = first; i < f.params.size(); ++i) {
    s += (i > first ? ", " : "") + id(f.params[i].name) + ": " + to_wit(f.params[i].type);
  }
  s += ")";
}

std::string func_text(const Function& f) {
  std::string s = f.async ? "async func" : "func";
  params(s, f, f.kind == FunctionKind::Method ? 1 : 0);
  if (f.result) s += " -> " + to_wit(f.result);
  return s;
}

void gate(std::string& s, const Gate& g, const std::string& indent) {
  if (!g.since.empty()) s += indent + "@since(version = " + g.since + ")\n";
  if (!g.unstable.empty()) s += indent + "@unstable(feature = " + g.unstable + ")\n";
  if (!g.deprecated.empty()) s += indent + "@deprecated(version = " + g.deprecated + ")\n";
}

void typedef_text(std::string& s, const TypeDef& t, const std::vector<Function>& funcs,
                  const std::string& indent) {
  gate(s, t.gate, indent);
  const std::string name = id(t.name);
  switch (t.kind) {
    case TypeDefKind::Alias:
      s += indent + "type " + name + " = " + to_wit(t.type) + ";\n";
      return;
    case TypeDefKind::Use: {
      const Interface* from = t.origin->owner;
      s += indent + "use " + (from ? from->full_name() : "?") + ".{" + id(t.origin->name);
      if (t.origin->name != t.name) s += " as " + name;
      s += "};\n";
      return;
    }
    case TypeDefKind::Record:
    case TypeDefKind::Variant: {
      const bool record = t.kind == TypeDefKind::Record;
      s += indent + (record ? "record " : "variant ") + name + " {\n";
      for (const auto& [label, type] : t.fields) {
        s += indent + "  " + id(label);
        if (type) s += record ? ": " + to_wit(type) : "(" + to_wit(type) + ")";
        s += ",\n";
      }
      s += indent + "}\n";
      return;
    }
    case TypeDefKind::Enum:
    case TypeDefKind::Flags:
      s += indent + (t.kind == TypeDefKind::Enum ? "enum " : "flags ") + name + " {\n";
      for (const std::string& l : t.labels) s += indent + "  " + id(l) + ",\n";
      s += indent + "}\n";
      return;
    case TypeDefKind::Resource: {
      std::string body;
      for (const Function& f : funcs) {
        if (f.resource != &t) continue;
        gate(body, f.gate, indent + "  ");
        if (f.kind == FunctionKind::Constructor) {
          body += indent + "  constructor";
          params(body, f, 0);
          if (f.result && f.result->kind == ValKind::Result) body += " -> " + to_wit(f.result);
        } else {
          body += indent + "  " + id(f.wit_name) + ": " +
                  (f.kind == FunctionKind::Static ? "static " : "") + func_text(f);
        }
        body += ";\n";
      }
      s += indent + "resource " + name + (body.empty() ? ";\n" : " {\n" + body + indent + "}\n");
      return;
    }
  }
}

void interface_body(std::string& s, const Interface& i, const std::string& indent) {
  for (const TypeDef* t : i.types) typedef_text(s, *t, i.functions, indent);
  for (const Function& f : i.functions) {
    if (f.kind != FunctionKind::Freestanding) continue;
    gate(s, f.gate, indent);
    s += indent + id(f.name) + ": " + func_text(f) + ";\n";
  }
}

void world_items(std::string& s, const std::vector<WorldItem>& items, const char* dir) {
  for (const WorldItem& item : items) {
    switch (item.kind) {
      case WorldItemKind::Interface:
        if (item.iface->package == nullptr) {
          s += std::string("  ") + dir + " " + id(item.name) + ": interface {\n";
          interface_body(s, *item.iface, "    ");
          s += "  }\n";
        } else if (item.name == item.iface->full_name()) {
          s += std::string("  ") + dir + " " + item.name + ";\n";
        } else {
          s += std::string("  ") + dir + " " + id(item.name) + ": " + item.iface->full_name() +
               ";\n";
        }
        break;
      case WorldItemKind::Function:
        // A world resource's functions are printed with its definition.
        if (item.func->kind == FunctionKind::Freestanding) {
          s += std::string("  ") + dir + " " + id(item.name) + ": " + func_text(*item.func) + ";\n";
        }
        break;
      case WorldItemKind::Type: {
        std::vector<Function> funcs;
        for (const WorldItem& f : items) {
          if (f.kind == WorldItemKind::Function && f.func->resource == item.type) {
            funcs.push_back(*f.func);
          }
        }
        typedef_text(s, *item.type, funcs, "  ");
        break;
      }
    }
  }
}

}  // namespace

std::string to_wit(const Interface& i) {
  std::string s;
  gate(s, i.gate, "");
  s += "interface " + id(i.name) + " {\n";
  interface_body(s, i, "  ");
  return s + "}\n";
}

std::string to_wit(const World& w) {
  std::string s;
  gate(s, w.gate, "");
  s += "world " + id(w.name) + " {\n";
  world_items(s, w.imports, "import");
  world_items(s, w.exports, "export");
  return s + "}\n";
}

std::string to_wit(const Package& p) {
  std::string s = "package " + p.name.to_string() + ";\n";
  for (const Interface* i : p.interfaces) s += "\n" + to_wit(*i);
  for (const World* w : p.worlds) s += "\n" + to_wit(*w);
  return s;
}

}  // namespace zinc::component::wit
