// component/wit/parser.cc: recursive-descent parser from WIT tokens to the syntax tree (ast.h),
// following the grammar of WIT.md: package declarations (top-level and nested blocks),
// top-level `use`, interfaces, worlds (import/export of paths, functions and inline
// interfaces, `include ... with`), `use` items, type definitions, resources with constructor,
// methods and static functions, function types (`async func`), handle and generic types, and
// the gates `@since`, `@unstable`, `@deprecated` and `@external-id` (kept on the items).
// Invariant: the first error stops parsing; type nesting is bounded by kMaxNesting.
#include <charconv>

#include "component/wit/ast.h"

namespace zinc::component::wit {

namespace {

bool is_num(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return s.size() == 1 || s[0] != '0';
}

// Semantic Versioning 2.0: MAJOR.MINOR.PATCH(-pre)?(+build)?.
bool is_semver(std::string_view v) {
  size_t plus = v.find('+');
  std::string_view build = plus == std::string_view::npos ? "" : v.substr(plus + 1);
  if (plus != std::string_view::npos) {
    if (build.empty()) return false;
    v = v.substr(0, plus);
  }
  size_t dash = v.find('-');
  std::string_view pre = dash == std::string_view::npos ? "" : v.substr(dash + 1);
  if (dash != std::string_view::npos) {
    if (pre.empty()) return false;
    v = v.substr(0, dash);
  }
  for (int part = 0; part < 3; ++part) {
    size_t dot = v.find('.');
    std::string_view n = part < 2 ? v.substr(0, dot) : v;
    if (!is_num(n)) return false;
    if (part < 2) {
      if (dot == std::string_view::npos) return false;
      v = v.substr(dot + 1);
    }
  }
  auto idents_ok = [](std::string_view s) {
    while (true) {
      size_t dot = s.find('.');
      std::string_view id = s.substr(0, dot);
      if (id.empty()) return false;
      for (char c : id) {
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
              c == '-')) {
          return false;
        }
      }
      if (dot == std::string_view::npos) return true;
      s = s.substr(dot + 1);
    }
  };
  return (pre.empty() || idents_ok(pre)) && (build.empty() || idents_ok(build));
}

class Parser {
 public:
  Parser(std::vector<Token> toks) : t_(std::move(toks)) {}

  bool file(FileAst* out, std::string* error, Pos* error_pos) {
    out->blocks.emplace_back();
    PackageBlock& top = out->blocks.front();
    bool first = true;
    while (!at_eof() && ok_) {
      AttrSet attrs;
      if (!attributes(&attrs)) break;
      if (is_kw("package")) {
        const Pos pos = cur().pos;
        next();
        PackageName name;
        if (!package_name(&name)) break;
        if (is_punct(";")) {
          next();
          if (!first || top.name) {
            fail_at(pos, "the package declaration must come first in a file");
            break;
          }
          top.name = std::move(name);
          top.pos = pos;
          top.docs = std::move(attrs.docs);
        } else {
          PackageBlock nested;
          nested.name = std::move(name);
          nested.pos = pos;
          nested.nested = true;
          nested.docs = std::move(attrs.docs);
          if (!expect("{")) break;
          while (ok_ && !is_punct("}")) {
            if (at_eof()) {
              fail("expected `}` closing the package block");
              break;
            }
            AttrSet a;
            if (!attributes(&a) || !package_item(&nested, std::move(a))) break;
          }
          if (!ok_ || !expect("}")) break;
          out->blocks.push_back(std::move(nested));
        }
      } else if (!package_item(&top, std::move(attrs))) {
        break;
      }
      first = false;
    }
    if (!ok_) {
      *error = error_;
      *error_pos = error_pos_;
    }
    return ok_;
  }

 private:
  // ---- cursor ----
  const Token& cur() const { return t_[i_]; }
  const Token& peek(size_t k) const { return t_[std::min(i_ + k, t_.size() - 1)]; }
  bool at_eof() const { return cur().kind == Tok::Eof; }
  void next() {
    if (!at_eof()) ++i_;
  }
  bool is_punct(std::string_view p, size_t k = 0) const {
    return peek(k).kind == Tok::Punct && peek(k).text == p;
  }
  bool is_kw(std::string_view k, size_t at = 0) const {
    return peek(at).kind == Tok::Keyword && peek(at).text == k;
  }
  bool is_id(size_t k = 0) const { return peek(k).kind == Tok::Id; }
  // Whether token k+1 follows token k with nothing in between (k is an identifier or `:`).
  bool adjacent(size_t a, size_t b) const {
    const Token& x = peek(a);
    const Token& y = peek(b);
    const size_t len = x.text.size() + (x.escaped ? 1 : 0);
    return x.pos.line == y.pos.line && x.pos.col + len == y.pos.col;
  }

  static std::string describe(const Token& t) {
    switch (t.kind) {
      case Tok::Eof:
        return "end of file";
      case Tok::String:
        return "a string literal";
      case Tok::Id:
        return "identifier `" + std::string(t.text) + "`";
      case Tok::Keyword:
        return "keyword `" + std::string(t.text) + "`";
      default:
        return "`" + std::string(t.text) + "`";
    }
  }

  bool fail_at(Pos pos, std::string m) {
    if (ok_) {
      ok_ = false;
      error_ = std::move(m);
      error_pos_ = pos;
    }
    return false;
  }
  bool fail(std::string m) { return fail_at(cur().pos, std::move(m)); }
  bool expected(std::string_view what) {
    return fail("expected " + std::string(what) + ", found " + describe(cur()));
  }
  bool expect(std::string_view p) {
    if (!is_punct(p)) return expected("`" + std::string(p) + "`");
    next();
    return true;
  }
  bool expect_kw(std::string_view k) {
    if (!is_kw(k)) return expected("`" + std::string(k) + "`");
    next();
    return true;
  }
  bool ident(std::string* out, Pos* pos = nullptr) {
    if (!is_id()) return expected("an identifier");
    *out = std::string(cur().text);
    if (pos) *pos = cur().pos;
    next();
    return true;
  }
  bool version(std::string* out) {
    if (cur().kind != Tok::Number || !is_semver(cur().text)) {
      return expected("a semantic version like `1.2.0`");
    }
    *out = std::string(cur().text);
    next();
    return true;
  }

  // ---- attributes: docs and gates ----
  bool attributes(AttrSet* a) {
    a->docs = std::move(t_[i_].docs);
    while (is_punct("@")) {
      next();
      std::string name;
      Pos pos = cur().pos;
      if (!ident(&name)) return false;
      if (name == "external-id") {
        if (!expect("(")) return false;
        if (cur().kind != Tok::String) return expected("a string literal");
        a->external_id = cur().decoded;
        next();
        if (!expect(")")) return false;
        continue;
      }
      std::string* slot = name == "since"        ? &a->gate.since
                          : name == "unstable"   ? &a->gate.unstable
                          : name == "deprecated" ? &a->gate.deprecated
                                                 : nullptr;
      if (slot == nullptr) return fail_at(pos, "unknown attribute `@" + name + "`");
      if (!slot->empty()) return fail_at(pos, "duplicate `@" + name + "` attribute");
      if (!expect("(")) return false;
      while (true) {
        std::string key;
        Pos kpos = cur().pos;
        if (!ident(&key) || !expect("=")) return false;
        std::string value;
        if (key == "version") {
          if (name == "unstable") return fail_at(kpos, "`@unstable` takes `feature = ...`");
          if (!version(&value)) return false;
          *slot = value;
        } else if (key == "feature") {
          if (!ident(&value)) return false;
          if (name == "unstable") *slot = value;  // older `@since(feature = ..)` is ignored
        } else {
          return fail_at(kpos, "unknown field `" + key + "` in `@" + name + "`");
        }
        if (!is_punct(",")) break;
        next();
      }
      if (!expect(")")) return false;
      if (slot->empty()) return fail_at(pos, "`@" + name + "` needs a value");
    }
    if (!a->gate.since.empty() && !a->gate.unstable.empty()) {
      return fail("an item cannot be both `@since` and `@unstable`");
    }
    return true;
  }

  // ---- names and paths ----
  bool package_name(PackageName* n) {
    if (!ident(&n->ns)) return false;
    if (!expect(":") || !ident(&n->name)) return false;
    if (is_punct(":") || is_punct("/")) {
      return fail("nested namespaces and packages are not supported");
    }
    if (is_punct("@")) {
      next();
      if (!version(&n->version)) return false;
    }
    return true;
  }

  bool use_path(UsePath* p) {
    p->pos = cur().pos;
    std::string first;
    if (!ident(&first)) return false;
    if (!is_punct(":")) {
      p->name = std::move(first);
      return true;
    }
    next();
    PackageName pkg;
    pkg.ns = std::move(first);
    if (!ident(&pkg.name)) return false;
    if (is_punct(":")) return fail("nested namespaces and packages are not supported");
    if (!is_punct("/")) return fail("expected `/` and an interface name after a package name");
    next();
    if (!ident(&p->name)) return false;
    if (is_punct("/")) return fail("nested packages are not supported");
    if (is_punct("@")) {
      next();
      if (!version(&pkg.version)) return false;
    }
    p->pkg = std::move(pkg);
    return true;
  }

  bool use_names(std::vector<UseName>* names, bool allow_empty) {
    if (!expect("{")) return false;
    while (!is_punct("}")) {
      UseName u;
      if (!ident(&u.name, &u.pos)) return false;
      if (is_kw("as")) {
        next();
        if (!ident(&u.as)) return false;
      }
      names->push_back(std::move(u));
      if (!is_punct(",")) break;
      next();
    }
    if (!allow_empty && names->empty()) return expected("a name");
    return expect("}");
  }

  // ---- items ----
  bool package_item(PackageBlock* b, AttrSet attrs) {
    if (is_kw("use")) {
      TopUse u;
      u.pos = cur().pos;
      next();
      if (!use_path(&u.path)) return false;
      if (is_kw("as")) {
        next();
        if (!ident(&u.as)) return false;
      }
      if (!expect(";")) return false;
      b->uses.push_back(std::move(u));
      return true;
    }
    if (is_kw("interface")) {
      InterfaceDecl d;
      d.attrs = std::move(attrs);
      next();
      if (!ident(&d.name, &d.pos) || !interface_body(&d)) return false;
      b->interfaces.push_back(std::move(d));
      return true;
    }
    if (is_kw("world")) {
      WorldDecl w;
      w.attrs = std::move(attrs);
      next();
      if (!ident(&w.name, &w.pos) || !world_body(&w)) return false;
      b->worlds.push_back(std::move(w));
      return true;
    }
    if (is_kw("package")) return fail("package blocks cannot be nested");
    return expected("`interface`, `world`, `use` or `package`");
  }

  bool use_item(UseItem* u) {
    u->pos = cur().pos;
    next();  // `use`
    if (!use_path(&u->path) || !expect(".")) return false;
    return use_names(&u->names, false) && expect(";");
  }

  bool is_typedef_start() const {
    return is_kw("type") || is_kw("record") || is_kw("variant") || is_kw("enum") ||
           is_kw("flags") || is_kw("resource");
  }

  bool interface_body(InterfaceDecl* d) {
    if (!expect("{")) return false;
    while (!is_punct("}")) {
      if (at_eof()) return expected("`}`");
      AttrSet attrs;
      if (!attributes(&attrs)) return false;
      if (is_kw("use")) {
        UseItem u;
        u.attrs = std::move(attrs);
        if (!use_item(&u)) return false;
        d->uses.push_back(std::move(u));
      } else if (is_typedef_start()) {
        TypeDecl t;
        t.attrs = std::move(attrs);
        if (!typedef_item(&t)) return false;
        d->types.push_back(std::move(t));
      } else if (is_id()) {
        FuncDecl f;
        f.attrs = std::move(attrs);
        f.pos = cur().pos;
        f.name = std::string(cur().text);
        next();
        if (!expect(":") || !func_type(&f) || !expect(";")) return false;
        d->funcs.push_back(std::move(f));
      } else {
        return expected("a type, function or `use` in the interface");
      }
    }
    next();
    return true;
  }

  bool world_body(WorldDecl* w) {
    if (!expect("{")) return false;
    while (!is_punct("}")) {
      if (at_eof()) return expected("`}`");
      AttrSet attrs;
      if (!attributes(&attrs)) return false;
      if (is_kw("import") || is_kw("export")) {
        ExternDecl e;
        e.attrs = std::move(attrs);
        e.is_export = is_kw("export");
        next();
        if (!extern_item(&e)) return false;
        w->externs.push_back(std::move(e));
      } else if (is_kw("use")) {
        UseItem u;
        u.attrs = std::move(attrs);
        if (!use_item(&u)) return false;
        w->uses.push_back(std::move(u));
      } else if (is_kw("include")) {
        IncludeDecl inc;
        inc.attrs = std::move(attrs);
        inc.pos = cur().pos;
        next();
        if (!use_path(&inc.path)) return false;
        if (is_kw("with")) {
          next();
          if (!use_names(&inc.with, false)) return false;
          for (const UseName& n : inc.with) {
            if (n.as.empty()) return fail_at(n.pos, "expected `as` in an `include ... with`");
          }
          if (is_punct(";")) next();
        } else if (!expect(";")) {
          return false;
        }
        w->includes.push_back(std::move(inc));
      } else if (is_typedef_start()) {
        TypeDecl t;
        t.attrs = std::move(attrs);
        if (!typedef_item(&t)) return false;
        w->types.push_back(std::move(t));
      } else {
        return expected("`import`, `export`, `include`, `use` or a type in the world");
      }
    }
    next();
    return true;
  }

  bool extern_item(ExternDecl* e) {
    e->pos = cur().pos;
    if (!is_id()) return expected("an interface or a name");
    // `ns:pkg/iface` (a path) versus `name: extern-type`; `a:b` written without spaces is a
    // package name, which cannot be imported (WIT.md "Item: world").
    if (is_punct(":", 1) && is_id(2) && !is_punct("/", 3) && adjacent(0, 1) && adjacent(1, 2)) {
      return fail("`" + std::string(cur().text) + ":" + std::string(peek(2).text) +
                  "` is a package, not an interface; write `name: " + std::string(peek(2).text) +
                  "` for a named import or export of an interface");
    }
    if (is_punct(":", 1) && !(is_id(2) && is_punct("/", 3))) {
      e->name = std::string(cur().text);
      next();
      next();
      if (is_kw("interface")) {
        e->kind = ExternDecl::Kind::Interface;
        e->iface.pos = e->pos;
        next();
        return interface_body(&e->iface);
      }
      if (is_kw("func") || is_kw("async")) {
        e->kind = ExternDecl::Kind::Func;
        e->func.name = e->name;
        e->func.pos = e->pos;
        e->func.attrs = e->attrs;
        return func_type(&e->func) && expect(";");
      }
      e->kind = ExternDecl::Kind::NamedPath;
      return use_path(&e->path) && expect(";");
    }
    e->kind = ExternDecl::Kind::Path;
    return use_path(&e->path) && expect(";");
  }

  bool typedef_item(TypeDecl* t) {
    const std::string_view kw = cur().text;
    next();
    if (!ident(&t->name, &t->pos)) return false;
    if (kw == "type") {
      t->kind = TypeDefKind::Alias;
      return expect("=") && type(&t->alias, 0) && expect(";");
    }
    if (kw == "resource") {
      t->kind = TypeDefKind::Resource;
      if (is_punct(";")) {
        next();
        return true;
      }
      return resource_body(t);
    }
    if (!expect("{")) return false;
    while (!is_punct("}")) {
      UseName n;
      if (!ident(&n.name, &n.pos)) return false;
      if (kw == "record") {
        NamedType f{n.name, n.pos, {}};
        if (!expect(":") || !type(&f.type, 0)) return false;
        t->fields.push_back(std::move(f));
      } else if (kw == "variant") {
        std::optional<TypeExpr> payload;
        if (is_punct("(")) {
          next();
          payload.emplace();
          if (!type(&*payload, 0) || !expect(")")) return false;
        }
        t->cases.emplace_back(std::move(n), std::move(payload));
      } else {
        t->labels.push_back(std::move(n));
      }
      if (!is_punct(",")) break;
      next();
    }
    t->kind = kw == "record"    ? TypeDefKind::Record
              : kw == "variant" ? TypeDefKind::Variant
              : kw == "enum"    ? TypeDefKind::Enum
                                : TypeDefKind::Flags;
    return expect("}");
  }

  bool resource_body(TypeDecl* t) {
    next();  // `{`
    while (!is_punct("}")) {
      if (at_eof()) return expected("`}`");
      FuncDecl f;
      if (!attributes(&f.attrs)) return false;
      f.pos = cur().pos;
      if (is_kw("constructor")) {
        next();
        f.kind = FunctionKind::Constructor;
        if (!params(&f)) return false;
        if (is_punct("->")) {
          next();
          f.result.emplace();
          if (!type(&*f.result, 0)) return false;
        }
      } else {
        if (!ident(&f.name) || !expect(":")) return false;
        f.kind = FunctionKind::Method;
        if (is_kw("static")) {
          f.kind = FunctionKind::Static;
          next();
        }
        if (!func_type(&f)) return false;
      }
      if (!expect(";")) return false;
      t->funcs.push_back(std::move(f));
    }
    next();
    return true;
  }

  bool func_type(FuncDecl* f) {
    if (is_kw("async")) {
      f->async = true;
      next();
    }
    if (!expect_kw("func") || !params(f)) return false;
    if (is_punct("->")) {
      next();
      if (is_punct("(")) return fail("named or multiple results are not supported; use a tuple");
      f->result.emplace();
      if (!type(&*f->result, 0)) return false;
    }
    return true;
  }

  bool params(FuncDecl* f) {
    if (!expect("(")) return false;
    while (!is_punct(")")) {
      NamedType p;
      if (!ident(&p.name, &p.pos) || !expect(":") || !type(&p.type, 0)) return false;
      f->params.push_back(std::move(p));
      if (!is_punct(",")) break;
      next();
    }
    return expect(")");
  }

  // ---- types ----
  bool type(TypeExpr* t, uint32_t depth) {
    if (depth > kMaxNesting) return fail("type nested too deeply");
    t->pos = cur().pos;
    if (is_id()) {
      t->kind = TypeExpr::Kind::Named;
      t->name = std::string(cur().text);
      next();
      return true;
    }
    if (cur().kind != Tok::Keyword) return expected("a type");
    const std::string_view kw = cur().text;
    if (auto p = prim_kind(kw)) {
      t->kind = TypeExpr::Kind::Prim;
      t->prim = *p;
      next();
      return true;
    }
    next();
    auto one_arg = [&](TypeExpr::Kind k) {
      t->kind = k;
      t->args.emplace_back();
      return expect("<") && type(&t->args.back(), depth + 1) && expect(">");
    };
    if (kw == "list") {
      t->kind = TypeExpr::Kind::List;
      t->args.emplace_back();
      if (!expect("<") || !type(&t->args.back(), depth + 1)) return false;
      if (is_punct(",")) {
        next();
        uint32_t n = 0;
        const std::string_view s = cur().text;
        auto r = std::from_chars(s.data(), s.data() + s.size(), n);
        if (cur().kind != Tok::Number || r.ec != std::errc() || r.ptr != s.data() + s.size() ||
            n == 0) {
          return expected("a list length from 1 to 2^32-1");
        }
        t->length = n;
        next();
      }
      return expect(">");
    }
    if (kw == "option") return one_arg(TypeExpr::Kind::Option);
    if (kw == "own" || kw == "borrow") {
      t->kind = kw == "own" ? TypeExpr::Kind::Own : TypeExpr::Kind::Borrow;
      return expect("<") && ident(&t->name) && expect(">");
    }
    if (kw == "stream" || kw == "future") {
      t->kind = kw == "stream" ? TypeExpr::Kind::Stream : TypeExpr::Kind::Future;
      if (!is_punct("<")) return true;
      return one_arg(t->kind);
    }
    if (kw == "tuple") {
      t->kind = TypeExpr::Kind::Tuple;
      if (!expect("<")) return false;
      while (!is_punct(">")) {
        t->args.emplace_back();
        if (!type(&t->args.back(), depth + 1)) return false;
        if (!is_punct(",")) break;
        next();
      }
      return expect(">");
    }
    if (kw == "map") {
      t->kind = TypeExpr::Kind::Map;
      t->args.resize(2);
      return expect("<") && type(&t->args[0], depth + 1) && expect(",") &&
             type(&t->args[1], depth + 1) && expect(">");
    }
    if (kw == "result") {
      t->kind = TypeExpr::Kind::Result;
      if (!is_punct("<")) return true;
      next();
      if (is_punct("_")) {
        next();
      } else {
        t->has_ok = true;
        t->args.emplace_back();
        if (!type(&t->args.back(), depth + 1)) return false;
      }
      if (is_punct(",")) {
        next();
        t->has_err = true;
        t->args.emplace_back();
        if (!type(&t->args.back(), depth + 1)) return false;
      } else if (!t->has_ok) {
        return expected("`,` and an error type after `result<_`");
      }
      return expect(">");
    }
    --i_;
    return expected("a type");
  }

  std::vector<Token> t_;
  size_t i_ = 0;
  bool ok_ = true;
  std::string error_;
  Pos error_pos_;
};

}  // namespace

bool parse_file(std::string_view src, uint32_t file, FileAst* out, std::string* error,
                Pos* error_pos) {
  std::vector<Token> toks;
  if (!lex(src, file, &toks, error, error_pos)) return false;
  out->file = file;
  return Parser(std::move(toks)).file(out, error, error_pos);
}

Result<bool> parse_only(std::string_view file_name, std::string_view text) {
  FileAst ast;
  std::string error;
  Pos pos;
  if (!parse_file(text, 0, &ast, &error, &pos)) {
    return unexpected(Error{std::string(file_name) + ":" + std::to_string(pos.line) + ":" +
                                std::to_string(pos.col) + ": " + error,
                            ErrorKind::Decode});
  }
  return true;
}

}  // namespace zinc::component::wit
