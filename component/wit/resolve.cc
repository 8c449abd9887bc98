// component/wit/resolve.cc: name resolution of parsed WIT into interned Component Model types
// (WIT.md "Name resolution", "WIT Packages and `use`", "Union of Worlds with `include`",
// "Transitive imports and worlds").
//
// Interfaces are resolved depth-first along their `use` edges (any order of files and
// packages; a cycle is an error at the `use` that closes it), types depth-first along their
// references (a type that contains itself is an error; a resource may be named anywhere since
// handles do not contain the resource), then functions, then worlds along their `include`s.
// Items behind a disabled `@unstable` feature are dropped before resolution.
// Invariant: on error, everything this call added to the Resolve is removed again.
#include <algorithm>
#include <functional>
#include <map>

#include "component/wit/ast.h"

namespace zinc::component::wit {

namespace {

enum class State : uint8_t { Todo, Busy, Done };

struct Failure {
  Pos pos;
  std::string message;
};

// ---- bookkeeping of one add_groups call ----

struct PkgSrc;

struct IfaceSrc {
  const InterfaceDecl* decl = nullptr;
  const PackageBlock* block = nullptr;  // scope of bare interface names
  PkgSrc* pkg = nullptr;
  Interface* out = nullptr;
  State state = State::Todo;
  Pos used_at;  // where the DFS entered this interface, for cycle messages
};

struct WorldSrc {
  const WorldDecl* decl = nullptr;
  const PackageBlock* block = nullptr;
  PkgSrc* pkg = nullptr;
  World* out = nullptr;
  State state = State::Todo;
};

struct PkgSrc {
  Package* out = nullptr;
  std::vector<const PackageBlock*> blocks;
};

/// One name of an interface's or world's type namespace.
struct NameEntry {
  const TypeDecl* decl = nullptr;  // local definition (null for `use`d names)
  TypeDef* def = nullptr;          // once resolved
  State state = State::Todo;
};

struct Scope {
  std::map<std::string, NameEntry> names;
  const Interface* owner = nullptr;
};

}  // namespace

class Resolver {
 public:
  explicit Resolver(Resolve& r) : r_(r) {}

  Result<const Package*> run(const std::vector<Resolve::SourceGroup>& groups);

 private:
  bool fail(Pos pos, std::string m) {
    if (!failure_) failure_ = Failure{pos, std::move(m)};
    return false;
  }
  bool enabled(const Gate& g) const {
    return g.unstable.empty() || r_.features_.all || r_.features_.enabled.count(g.unstable);
  }
  std::string where(Pos p) const {
    const std::string& f = p.file < r_.files_.size() ? r_.files_[p.file] : "?";
    return f + ":" + std::to_string(p.line) + ":" + std::to_string(p.col);
  }

  bool collect(const std::vector<Resolve::SourceGroup>& groups, const Package** root);
  bool declare_block(PkgSrc* pkg, const PackageBlock* b);
  Package* find_package(const PackageName& n, bool* ambiguous) const;

  // Lookup of `use-path`s: an interface (or a world).
  const Interface* lookup_interface(const UsePath& p, const PackageBlock* block, PkgSrc* pkg,
                                    uint32_t depth = 0);
  const World* lookup_world(const UsePath& p, const PackageBlock* block, PkgSrc* pkg);

  bool resolve_interface(IfaceSrc* s, Pos from);
  bool resolve_items(const InterfaceDecl& d, const PackageBlock* block, PkgSrc* pkg, Interface* out,
                     Scope* scope, std::vector<Function>* funcs);
  bool add_uses(const std::vector<UseItem>& uses, const PackageBlock* block, PkgSrc* pkg,
                Scope* scope, std::vector<const TypeDef*>* types,
                std::vector<const Interface*>* deps);
  bool declare_types(const std::vector<TypeDecl>& decls, Scope* scope);
  bool resolve_entry(Scope* scope, NameEntry* e);
  TypeDef* resolve_typedecl(Scope* scope, const TypeDecl& d);
  const Type* resolve_type(Scope* scope, const TypeExpr& t);
  const Type* named(Scope* scope, const std::string& name, Pos pos);
  const Type* make(Type t, Pos pos);
  bool resolve_func(Scope* scope, const FuncDecl& f, const TypeDef* resource, Function* out);
  bool resolve_world(WorldSrc* s, Pos from);

  // Bounds the depth-first recursion through names, `use`s and `include`s (bad input must
  // not exhaust the stack).
  static constexpr uint32_t kMaxDepth = 1000;
  struct DepthGuard {
    explicit DepthGuard(uint32_t* d) : d_(d) { ++*d_; }
    ~DepthGuard() { --*d_; }
    uint32_t* d_;
  };
  bool too_deep(Pos pos) {
    return depth_ > kMaxDepth && !fail(pos, "definitions refer to each other too deeply");
  }

  Resolve& r_;
  uint32_t depth_ = 0;
  std::optional<Failure> failure_;
  std::deque<FileAst> asts_;
  std::deque<PkgSrc> pkgs_;
  std::deque<IfaceSrc> ifaces_;
  std::deque<WorldSrc> worlds_;
  std::map<const Interface*, IfaceSrc*> iface_src_;
  std::map<const World*, WorldSrc*> world_src_;
  std::map<const Package*, PkgSrc*> pkg_src_;
};

// ---- collecting packages ----

Package* Resolver::find_package(const PackageName& n, bool* ambiguous) const {
  Package* only = nullptr;
  int count = 0;
  for (Package& p : r_.packages_) {
    if (p.name == n) return &p;
    if (n.version.empty() && p.name.ns == n.ns && p.name.name == n.name) {
      only = &p;
      ++count;
    }
  }
  if (ambiguous) *ambiguous = count > 1;
  return count == 1 ? only : nullptr;
}

bool Resolver::declare_block(PkgSrc* pkg, const PackageBlock* b) {
  pkg->blocks.push_back(b);
  Package& p = *pkg->out;
  auto taken = [&](const std::string& name) {
    return p.find_interface(name) != nullptr || p.find_world(name) != nullptr;
  };
  for (const InterfaceDecl& d : b->interfaces) {
    if (!enabled(d.attrs.gate)) continue;
    if (taken(d.name)) {
      return fail(d.pos, "`" + d.name + "` is defined more than once in package `" +
                             p.name.to_string() + "`");
    }
    Interface& i = r_.interfaces_.emplace_back();
    i.name = d.name;
    i.package = &p;
    i.gate = d.attrs.gate;
    i.docs = d.attrs.docs;
    p.interfaces.push_back(&i);
    IfaceSrc& s = ifaces_.emplace_back(IfaceSrc{&d, b, pkg, &i});
    iface_src_[&i] = &s;
  }
  for (const WorldDecl& d : b->worlds) {
    if (!enabled(d.attrs.gate)) continue;
    if (taken(d.name)) {
      return fail(d.pos, "`" + d.name + "` is defined more than once in package `" +
                             p.name.to_string() + "`");
    }
    World& w = r_.worlds_.emplace_back();
    w.name = d.name;
    w.package = &p;
    w.gate = d.attrs.gate;
    w.docs = d.attrs.docs;
    p.worlds.push_back(&w);
    WorldSrc& s = worlds_.emplace_back(WorldSrc{&d, b, pkg, &w});
    world_src_[&w] = &s;
  }
  return true;
}

bool Resolver::collect(const std::vector<Resolve::SourceGroup>& groups, const Package** root) {
  std::set<std::string> preexisting;
  for (const Package& p : r_.packages_) preexisting.insert(p.name.to_string());
  auto package_for = [&](const PackageName& n, PkgSrc** out) {
    *out = nullptr;
    const std::string key = n.to_string();
    if (preexisting.count(key)) return true;  // loaded by an earlier call: first one wins
    for (PkgSrc& s : pkgs_) {
      if (s.out->name == n) {
        *out = &s;
        return true;
      }
    }
    Package& p = r_.packages_.emplace_back();
    p.name = n;
    PkgSrc& s = pkgs_.emplace_back();
    s.out = &p;
    pkg_src_[&p] = &s;
    *out = &s;
    return true;
  };

  for (size_t g = 0; g < groups.size(); ++g) {
    // Parse the group's files; their top levels form one package.
    std::vector<const FileAst*> files;
    for (const Resolve::Source& src : groups[g]) {
      const uint32_t index = static_cast<uint32_t>(r_.files_.size());
      r_.files_.push_back(src.first);
      FileAst& ast = asts_.emplace_back();
      std::string error;
      Pos pos;
      if (!parse_file(src.second, index, &ast, &error, &pos)) return fail(pos, error);
      files.push_back(&ast);
    }
    std::optional<PackageName> name;
    Pos name_pos;
    bool has_items = false;
    for (const FileAst* f : files) {
      const PackageBlock& top = f->blocks.front();
      has_items |= !top.interfaces.empty() || !top.worlds.empty() || !top.uses.empty();
      if (!top.name) continue;
      if (name && !(*name == *top.name)) {
        return fail(top.pos, "package `" + top.name->to_string() + "` conflicts with package `" +
                                 name->to_string() + "` declared at " + where(name_pos));
      }
      name = top.name;
      name_pos = top.pos;
    }
    if (has_items && !name) {
      return fail(Pos{files.empty() ? 0 : files.front()->file, 1, 1},
                  "no `package` declaration in the files of this package");
    }
    PkgSrc* top_pkg = nullptr;
    if (name) {
      if (!package_for(*name, &top_pkg)) return false;
      for (const FileAst* f : files) {
        if (top_pkg && !declare_block(top_pkg, &f->blocks.front())) return false;
      }
      if (top_pkg) {
        for (const FileAst* f : files) {
          if (top_pkg->out->docs.empty()) top_pkg->out->docs = f->blocks.front().docs;
        }
      }
      if (g == 0 && !*root) {
        bool ambiguous = false;
        *root = top_pkg ? top_pkg->out : find_package(*name, &ambiguous);
      }
    }
    for (const FileAst* f : files) {
      for (size_t b = 1; b < f->blocks.size(); ++b) {
        PkgSrc* nested = nullptr;
        if (!package_for(*f->blocks[b].name, &nested)) return false;
        if (nested && !declare_block(nested, &f->blocks[b])) return false;
        if (g == 0 && !*root && nested) *root = nested->out;
      }
    }
  }
  return true;
}

// ---- lookups ----

const Interface* Resolver::lookup_interface(const UsePath& p, const PackageBlock* block,
                                            PkgSrc* pkg, uint32_t depth) {
  if (p.pkg) {
    bool ambiguous = false;
    Package* target = find_package(*p.pkg, &ambiguous);
    if (!target) {
      fail(p.pos, ambiguous ? "package `" + p.pkg->to_string() +
                                  "` is ambiguous: several versions are loaded; add `@version`"
                            : "package `" + p.pkg->to_string() + "` not found");
      return nullptr;
    }
    const Interface* i = target->find_interface(p.name);
    if (!i) {
      fail(p.pos,
           "interface `" + p.name + "` not found in package `" + target->name.to_string() + "`");
    }
    return i;
  }
  if (block) {
    for (const TopUse& u : block->uses) {
      const std::string& local = u.as.empty() ? u.path.name : u.as;
      if (local != p.name) continue;
      if (depth > 0 || (!u.path.pkg && u.as.empty())) break;  // `use x;` names x itself
      return lookup_interface(u.path, nullptr, pkg, depth + 1);
    }
  }
  const Interface* i = pkg ? pkg->out->find_interface(p.name) : nullptr;
  if (!i) fail(p.pos, "interface `" + p.name + "` does not exist");
  return i;
}

const World* Resolver::lookup_world(const UsePath& p, const PackageBlock* block, PkgSrc* pkg) {
  const Package* target = pkg ? pkg->out : nullptr;
  std::string name = p.name;
  if (p.pkg) {
    bool ambiguous = false;
    target = find_package(*p.pkg, &ambiguous);
    if (!target) {
      fail(p.pos, "package `" + p.pkg->to_string() + "` not found");
      return nullptr;
    }
  } else if (block) {
    for (const TopUse& u : block->uses) {
      if ((u.as.empty() ? u.path.name : u.as) != p.name || !u.path.pkg) continue;
      bool ambiguous = false;
      target = find_package(*u.path.pkg, &ambiguous);
      name = u.path.name;
      break;
    }
  }
  const World* w = target ? target->find_world(name) : nullptr;
  if (!w) fail(p.pos, "world `" + p.name + "` does not exist");
  return w;
}

// ---- types ----

const Type* Resolver::make(Type t, Pos pos) {
  if (t.interned == nullptr) {
    ValType v;
    v.kind = t.kind;
    auto in = [](const Type* x) { return x ? x->interned : nullptr; };
    v.elem = in(t.elem);
    v.key = in(t.key);
    v.ok = in(t.ok);
    v.err = in(t.err);
    v.length = t.length;
    for (const Type* e : t.elems) v.elems.push_back(e->interned);
    if (t.resource) v.resource = t.resource->resource;
    std::string error;
    t.interned = r_.table_.intern(std::move(v), &error);
    if (!t.interned) {
      fail(pos, error);
      return nullptr;
    }
  }
  return &r_.types_.emplace_back(std::move(t));
}

const Type* Resolver::named(Scope* scope, const std::string& name, Pos pos) {
  auto it = scope->names.find(name);
  if (it == scope->names.end()) {
    fail(pos, "type `" + name + "` is not defined");
    return nullptr;
  }
  NameEntry& e = it->second;
  if (e.state == State::Busy) {
    fail(pos, "type `" + name + "` refers to itself");
    return nullptr;
  }
  DepthGuard guard(&depth_);
  if (too_deep(pos) || !resolve_entry(scope, &e)) return nullptr;
  return e.def->type;
}

bool Resolver::resolve_entry(Scope* scope, NameEntry* e) {
  if (e->def) return true;
  if (e->state == State::Busy) return false;
  e->state = State::Busy;
  e->def = resolve_typedecl(scope, *e->decl);
  e->state = State::Done;
  return e->def != nullptr;
}

TypeDef* Resolver::resolve_typedecl(Scope* scope, const TypeDecl& d) {
  TypeDef& def = r_.typedefs_.emplace_back();
  def.name = d.name;
  def.kind = d.kind;
  def.owner = scope->owner;
  def.gate = d.attrs.gate;
  def.docs = d.attrs.docs;
  Type t;
  t.def = &def;
  switch (d.kind) {
    case TypeDefKind::Alias:
      def.type = resolve_type(scope, d.alias);
      return def.type ? &def : nullptr;
    case TypeDefKind::Resource:
      def.resource = r_.table_.new_resource(d.name);
      t.kind = ValKind::Own;
      t.resource = &def;
      break;
    case TypeDefKind::Record:
      t.kind = ValKind::Record;
      for (const NamedType& f : d.fields) {
        const Type* ft = resolve_type(scope, f.type);
        if (!ft) return nullptr;
        def.fields.emplace_back(f.name, ft);
      }
      break;
    case TypeDefKind::Variant:
      t.kind = ValKind::Variant;
      for (const auto& [n, payload] : d.cases) {
        const Type* ct = nullptr;
        if (payload && !(ct = resolve_type(scope, *payload))) return nullptr;
        def.fields.emplace_back(n.name, ct);
      }
      break;
    case TypeDefKind::Enum:
    case TypeDefKind::Flags:
      t.kind = d.kind == TypeDefKind::Enum ? ValKind::Enum : ValKind::Flags;
      for (const UseName& l : d.labels) def.labels.push_back(l.name);
      break;
    case TypeDefKind::Use:
      return nullptr;
  }
  // Intern the definition's structure (fields/cases/labels live in the TypeDef).
  ValType v;
  v.kind = t.kind;
  if (t.kind == ValKind::Record) {
    for (const auto& [n, ft] : def.fields) v.fields.push_back({n, ft->interned});
  } else if (t.kind == ValKind::Variant) {
    for (const auto& [n, ct] : def.fields) v.cases.push_back({n, ct ? ct->interned : nullptr});
  } else if (t.kind == ValKind::Own) {
    v.resource = def.resource;
  } else {
    v.labels = def.labels;
  }
  std::string error;
  t.interned = r_.table_.intern(std::move(v), &error);
  if (!t.interned) {
    fail(d.pos, "`" + d.name + "`: " + error);
    return nullptr;
  }
  def.type = &r_.types_.emplace_back(std::move(t));
  return &def;
}

const Type* Resolver::resolve_type(Scope* scope, const TypeExpr& e) {
  using K = TypeExpr::Kind;
  Type t;
  switch (e.kind) {
    case K::Prim:
      return r_.prim_types_[static_cast<size_t>(e.prim)];
    case K::Named:
      return named(scope, e.name, e.pos);
    case K::Own:
    case K::Borrow: {
      const Type* r = named(scope, e.name, e.pos);
      if (!r) return nullptr;
      if (r->kind != ValKind::Own || r->def == nullptr ||
          (r->def->kind != TypeDefKind::Resource && r->def->kind != TypeDefKind::Use)) {
        return fail(e.pos, "`" + e.name + "` is not a resource type"), nullptr;
      }
      if (e.kind == K::Own) return r;
      t.kind = ValKind::Borrow;
      t.resource = r->resource;
      return make(std::move(t), e.pos);
    }
    case K::List:
    case K::Option:
    case K::Stream:
    case K::Future:
      t.kind = e.kind == K::List     ? ValKind::List
               : e.kind == K::Option ? ValKind::Option
               : e.kind == K::Stream ? ValKind::Stream
                                     : ValKind::Future;
      if (!e.args.empty() && !(t.elem = resolve_type(scope, e.args[0]))) return nullptr;
      t.length = e.length;
      return make(std::move(t), e.pos);
    case K::Tuple:
      t.kind = ValKind::Tuple;
      for (const TypeExpr& a : e.args) {
        const Type* at = resolve_type(scope, a);
        if (!at) return nullptr;
        t.elems.push_back(at);
      }
      return make(std::move(t), e.pos);
    case K::Map:
      t.kind = ValKind::Map;
      if (!(t.key = resolve_type(scope, e.args[0])) || !(t.elem = resolve_type(scope, e.args[1]))) {
        return nullptr;
      }
      if (!is_primitive(t.key->kind) || t.key->kind == ValKind::F32 ||
          t.key->kind == ValKind::F64 || t.key->kind == ValKind::ErrorContext) {
        return fail(e.args[0].pos, "map keys must be integers, char, bool or string"), nullptr;
      }
      return make(std::move(t), e.pos);
    case K::Result: {
      t.kind = ValKind::Result;
      size_t i = 0;
      if (e.has_ok && !(t.ok = resolve_type(scope, e.args[i++]))) return nullptr;
      if (e.has_err && !(t.err = resolve_type(scope, e.args[i]))) return nullptr;
      return make(std::move(t), e.pos);
    }
  }
  return nullptr;
}

// ---- interfaces ----

bool Resolver::add_uses(const std::vector<UseItem>& uses, const PackageBlock* block, PkgSrc* pkg,
                        Scope* scope, std::vector<const TypeDef*>* types,
                        std::vector<const Interface*>* deps) {
  for (const UseItem& u : uses) {
    if (!enabled(u.attrs.gate)) continue;
    const Interface* target = lookup_interface(u.path, block, pkg);
    if (!target) return false;
    auto src = iface_src_.find(target);
    if (src != iface_src_.end() && !resolve_interface(src->second, u.path.pos)) return false;
    if (std::find(deps->begin(), deps->end(), target) == deps->end()) deps->push_back(target);
    for (const UseName& n : u.names) {
      const TypeDef* origin = target->find_type(n.name);
      if (!origin) {
        return fail(n.pos, "type `" + n.name + "` is not defined in interface `" +
                               target->full_name() + "`");
      }
      const std::string& local = n.as.empty() ? n.name : n.as;
      if (scope->names.count(local)) {
        return fail(n.pos, "name `" + local + "` is defined more than once");
      }
      TypeDef& def = r_.typedefs_.emplace_back();
      def.name = local;
      def.kind = TypeDefKind::Use;
      def.origin = origin->origin ? origin->origin : origin;
      def.resource = origin->resource;
      def.owner = scope->owner;
      def.gate = u.attrs.gate;
      def.docs = u.attrs.docs;
      if (origin->resource) {
        Type t = *origin->type;
        t.def = &def;
        t.resource = &def;
        def.type = &r_.types_.emplace_back(std::move(t));
      } else if (origin->kind == TypeDefKind::Alias ||
                 (origin->kind == TypeDefKind::Use && origin->type->def != origin)) {
        def.type = origin->type;
      } else {
        Type t = *origin->type;
        t.def = &def;
        def.type = &r_.types_.emplace_back(std::move(t));
      }
      scope->names[local] = NameEntry{nullptr, &def, State::Done};
      types->push_back(&def);
    }
  }
  return true;
}

bool Resolver::declare_types(const std::vector<TypeDecl>& decls, Scope* scope) {
  for (const TypeDecl& d : decls) {
    if (!enabled(d.attrs.gate)) continue;
    if (scope->names.count(d.name)) {
      return fail(d.pos, "name `" + d.name + "` is defined more than once");
    }
    scope->names[d.name] = NameEntry{&d, nullptr, State::Todo};
  }
  return true;
}

bool Resolver::resolve_func(Scope* scope, const FuncDecl& f, const TypeDef* resource,
                            Function* out) {
  out->kind = f.kind;
  out->resource = resource;
  out->async = f.async;
  out->gate = f.attrs.gate;
  out->docs = f.attrs.docs;
  out->external_id = f.attrs.external_id;
  out->wit_name = f.kind == FunctionKind::Constructor ? resource->name : f.name;
  switch (f.kind) {
    case FunctionKind::Freestanding:
      out->name = f.name;
      break;
    case FunctionKind::Constructor:
      out->name = "[constructor]" + resource->name;
      break;
    case FunctionKind::Method:
      out->name = "[method]" + resource->name + "." + f.name;
      break;
    case FunctionKind::Static:
      out->name = "[static]" + resource->name + "." + f.name;
      break;
  }
  if (f.kind == FunctionKind::Method) {
    Type self;
    self.kind = ValKind::Borrow;
    self.resource = resource;
    const Type* st = make(std::move(self), f.pos);
    if (!st) return false;
    out->params.push_back({"self", st});
  }
  for (const NamedType& p : f.params) {
    for (const Param& q : out->params) {
      if (q.name == p.name) return fail(p.pos, "parameter `" + p.name + "` is defined twice");
    }
    const Type* pt = resolve_type(scope, p.type);
    if (!pt) return false;
    out->params.push_back({p.name, pt});
  }
  if (f.result) {
    if (!(out->result = resolve_type(scope, *f.result))) return false;
  }
  if (f.kind == FunctionKind::Constructor) {
    const Type* own = resource->type;
    if (!out->result) {
      out->result = own;
    } else if (out->result->kind != ValKind::Result || out->result->ok == nullptr ||
               out->result->ok->interned != own->interned) {
      return fail(f.result->pos, "a constructor's result must be `" + resource->name +
                                     "` or `result<" + resource->name + ", E>`");
    }
  }
  FuncType ft;
  ft.async = f.async;
  for (const Param& p : out->params) ft.params.push_back({p.name, p.type->interned});
  ft.result = out->result ? out->result->interned : nullptr;
  out->type = r_.table_.intern_func(std::move(ft));
  return true;
}

bool Resolver::resolve_items(const InterfaceDecl& d, const PackageBlock* block, PkgSrc* pkg,
                             Interface* out, Scope* scope, std::vector<Function>* funcs) {
  scope->owner = out;
  if (!add_uses(d.uses, block, pkg, scope, &out->types, &out->uses)) return false;
  if (!declare_types(d.types, scope)) return false;
  std::set<std::string> func_names;
  for (const FuncDecl& f : d.funcs) {
    if (!enabled(f.attrs.gate)) continue;
    if (scope->names.count(f.name) || !func_names.insert(f.name).second) {
      return fail(f.pos, "name `" + f.name + "` is defined more than once");
    }
  }
  for (const TypeDecl& t : d.types) {
    if (!enabled(t.attrs.gate)) continue;
    NameEntry& e = scope->names[t.name];
    if (!resolve_entry(scope, &e)) return false;
    out->types.push_back(e.def);
  }
  for (const TypeDecl& t : d.types) {
    if (!enabled(t.attrs.gate) || t.kind != TypeDefKind::Resource) continue;
    const TypeDef* res = scope->names[t.name].def;
    std::set<std::string> names;
    bool has_ctor = false;
    for (const FuncDecl& f : t.funcs) {
      if (!enabled(f.attrs.gate)) continue;
      if (f.kind == FunctionKind::Constructor) {
        if (has_ctor) return fail(f.pos, "resource `" + t.name + "` has two constructors");
        has_ctor = true;
      } else if (!names.insert(f.name).second) {
        return fail(f.pos,
                    "`" + f.name + "` is defined more than once in resource `" + t.name + "`");
      }
      Function fn;
      if (!resolve_func(scope, f, res, &fn)) return false;
      funcs->push_back(std::move(fn));
    }
  }
  for (const FuncDecl& f : d.funcs) {
    if (!enabled(f.attrs.gate)) continue;
    Function fn;
    if (!resolve_func(scope, f, nullptr, &fn)) return false;
    funcs->push_back(std::move(fn));
  }
  return true;
}

bool Resolver::resolve_interface(IfaceSrc* s, Pos from) {
  if (s->state == State::Done) return true;
  if (s->state == State::Busy) {
    return fail(from,
                "interface `" + s->out->full_name() + "` depends on itself through `use` (cycle)");
  }
  s->state = State::Busy;
  DepthGuard guard(&depth_);
  if (too_deep(from)) return false;
  Scope scope;
  if (!resolve_items(*s->decl, s->block, s->pkg, s->out, &scope, &s->out->functions)) {
    return false;
  }
  s->state = State::Done;
  return true;
}

// ---- worlds ----

bool Resolver::resolve_world(WorldSrc* s, Pos from) {
  if (s->state == State::Done) return true;
  if (s->state == State::Busy) {
    return fail(from, "world `" + s->out->full_name() + "` includes itself (cycle)");
  }
  s->state = State::Busy;
  DepthGuard guard(&depth_);
  if (too_deep(from)) return false;
  const WorldDecl& d = *s->decl;
  World& w = *s->out;
  Scope scope;

  auto add = [&](std::vector<WorldItem>* items, WorldItem item, Pos pos) {
    for (WorldItem& x : *items) {
      if (x.name != item.name) continue;
      if (x.kind == WorldItemKind::Interface && item.kind == WorldItemKind::Interface &&
          x.iface == item.iface && x.iface->package != nullptr && x.name == x.iface->full_name()) {
        x.implicit &= item.implicit;  // the same interface twice: de-duplicated
        return true;
      }
      return fail(pos, std::string(items == &w.imports ? "import" : "export") + " `" + item.name +
                           "` conflicts with another of the same name");
    }
    items->push_back(std::move(item));
    return true;
  };

  // `use`d types and type definitions are world imports.
  std::vector<const TypeDef*> types;
  std::vector<const Interface*> deps;
  if (!add_uses(d.uses, s->block, s->pkg, &scope, &types, &deps)) return false;
  if (!declare_types(d.types, &scope)) return false;
  for (const TypeDecl& t : d.types) {
    if (!enabled(t.attrs.gate)) continue;
    NameEntry& e = scope.names[t.name];
    if (!resolve_entry(&scope, &e)) return false;
    types.push_back(e.def);
  }
  for (const Interface* dep : deps) {
    if (!add(&w.imports, {dep->full_name(), WorldItemKind::Interface, dep, nullptr, nullptr, true},
             d.pos)) {
      return false;
    }
  }
  for (const TypeDef* t : types) {
    if (!add(&w.imports, {t->name, WorldItemKind::Type, nullptr, nullptr, t}, d.pos)) return false;
  }
  // A world's resources' functions are imported functions ("[method]r.f", ...).
  for (const TypeDecl& t : d.types) {
    if (!enabled(t.attrs.gate) || t.kind != TypeDefKind::Resource) continue;
    for (const FuncDecl& fd : t.funcs) {
      if (!enabled(fd.attrs.gate)) continue;
      Function& f = r_.functions_.emplace_back();
      if (!resolve_func(&scope, fd, scope.names[t.name].def, &f)) return false;
      if (!add(&w.imports, {f.name, WorldItemKind::Function, nullptr, &f}, fd.pos)) return false;
    }
  }

  for (const ExternDecl& e : d.externs) {
    if (!enabled(e.attrs.gate)) continue;
    std::vector<WorldItem>* items = e.is_export ? &w.exports : &w.imports;
    WorldItem item;
    switch (e.kind) {
      case ExternDecl::Kind::Path:
      case ExternDecl::Kind::NamedPath: {
        const Interface* i = lookup_interface(e.path, s->block, s->pkg);
        if (!i) return false;
        auto src = iface_src_.find(i);
        if (src != iface_src_.end() && !resolve_interface(src->second, e.path.pos)) return false;
        item = {e.kind == ExternDecl::Kind::Path ? i->full_name() : e.name,
                WorldItemKind::Interface, i};
        break;
      }
      case ExternDecl::Kind::Func: {
        Function& f = r_.functions_.emplace_back();
        if (!resolve_func(&scope, e.func, nullptr, &f)) return false;
        item = {e.name, WorldItemKind::Function, nullptr, &f};
        break;
      }
      case ExternDecl::Kind::Interface: {
        Interface& i = r_.interfaces_.emplace_back();
        i.name = e.name;
        i.gate = e.attrs.gate;
        i.docs = e.attrs.docs;
        Scope inner;
        if (!resolve_items(e.iface, s->block, s->pkg, &i, &inner, &i.functions)) return false;
        item = {e.name, WorldItemKind::Interface, &i};
        break;
      }
    }
    if (!add(items, std::move(item), e.pos)) return false;
  }

  for (const IncludeDecl& inc : d.includes) {
    if (!enabled(inc.attrs.gate)) continue;
    const World* other = lookup_world(inc.path, s->block, s->pkg);
    if (!other) return false;
    auto src = world_src_.find(other);
    if (src != world_src_.end() && !resolve_world(src->second, inc.path.pos)) return false;
    std::vector<bool> used(inc.with.size(), false);
    for (int side = 0; side < 2; ++side) {
      const std::vector<WorldItem>& from_items = side == 0 ? other->imports : other->exports;
      std::vector<WorldItem>* into = side == 0 ? &w.imports : &w.exports;
      for (WorldItem item : from_items) {
        const bool interface_name = item.kind == WorldItemKind::Interface &&
                                    item.iface->package != nullptr &&
                                    item.name == item.iface->full_name();
        for (size_t k = 0; k < inc.with.size(); ++k) {
          if (inc.with[k].name != item.name) continue;
          if (interface_name) {
            return fail(inc.with[k].pos,
                        "`with` cannot rename the interface name `" + item.name + "`");
          }
          item.name = inc.with[k].as;
          used[k] = true;
        }
        if (!add(into, std::move(item), inc.pos)) return false;
      }
    }
    for (size_t k = 0; k < inc.with.size(); ++k) {
      if (!used[k]) {
        return fail(inc.with[k].pos, "`" + inc.with[k].name + "` is not an import or export of `" +
                                         other->full_name() + "`");
      }
    }
  }

  // Transitive imports: an interface's `use` dependencies are imported before it; exported
  // interfaces' dependencies are imported unless they are exported too.
  auto exported = [&](const Interface* i) {
    for (const WorldItem& x : w.exports) {
      if (x.iface == i && x.name == i->full_name()) return true;
    }
    return false;
  };
  std::vector<WorldItem> imports;
  std::set<const Interface*> placed;
  std::function<void(const Interface*)> place_deps = [&](const Interface* i) {
    for (const Interface* dep : i->uses) {
      if (placed.count(dep) || exported(dep)) continue;
      place_deps(dep);
      placed.insert(dep);
      imports.push_back({dep->full_name(), WorldItemKind::Interface, dep, nullptr, nullptr, true});
    }
  };
  for (const WorldItem& x : w.imports) {
    if (x.kind == WorldItemKind::Interface) {
      const bool by_name = x.iface->package != nullptr && x.name == x.iface->full_name();
      if (by_name && placed.count(x.iface)) {
        // Already brought in as a dependency: now it is listed explicitly too.
        for (WorldItem& y : imports) y.implicit &= !(y.iface == x.iface && y.name == x.name);
        continue;
      }
      place_deps(x.iface);
      if (by_name) placed.insert(x.iface);
    }
    imports.push_back(x);
  }
  for (const WorldItem& x : w.exports) {
    if (x.kind == WorldItemKind::Interface) place_deps(x.iface);
  }
  w.imports = std::move(imports);
  s->state = State::Done;
  return true;
}

// ---- driver ----

Result<const Package*> Resolver::run(const std::vector<Resolve::SourceGroup>& groups) {
  const Package* root = nullptr;
  if (collect(groups, &root)) {
    for (IfaceSrc& s : ifaces_) {
      if (!resolve_interface(&s, s.decl->pos)) break;
    }
  }
  if (!failure_) {
    for (WorldSrc& s : worlds_) {
      if (!resolve_world(&s, s.decl->pos)) break;
    }
  }
  if (failure_) {
    return unexpected(Error{where(failure_->pos) + ": " + failure_->message, ErrorKind::Decode});
  }
  return root;
}

// ---- Resolve ----

Resolve::Resolve(TypeTable& table, Features features)
    : table_(table), features_(std::move(features)) {
  for (int k = 0; k <= static_cast<int>(ValKind::ErrorContext); ++k) {
    Type t;
    t.kind = static_cast<ValKind>(k);
    t.interned = table_.prim(t.kind);
    prim_types_.push_back(&types_.emplace_back(std::move(t)));
  }
}

Resolve::~Resolve() = default;

Result<const Package*> Resolve::add_groups(const std::vector<SourceGroup>& groups) {
  const size_t n_packages = packages_.size(), n_interfaces = interfaces_.size(),
               n_worlds = worlds_.size(), n_typedefs = typedefs_.size(), n_types = types_.size(),
               n_functions = functions_.size(), n_files = files_.size();
  Result<const Package*> r = Resolver(*this).run(groups);
  if (!r.ok()) {
    packages_.resize(n_packages);
    interfaces_.resize(n_interfaces);
    worlds_.resize(n_worlds);
    typedefs_.resize(n_typedefs);
    types_.resize(n_types);
    functions_.resize(n_functions);
    files_.resize(n_files);
  }
  return r;
}

}  // namespace zinc::component::wit
