// component/wit/model.cc: the resolved WIT model's lookups and printing (wit.h), and loading WIT
// from the filesystem the way wit-parser does (WIT.md "Filesystem structure"): a file; a root
// package directory with `deps/`; or a folder of package folders.
// Invariant: directory entries are read in sorted order, so errors and package order do not
// depend on the filesystem.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "component/wit/ast.h"

namespace zinc::component::wit {

namespace fs = std::filesystem;

std::string PackageName::to_string() const {
  return ns + ":" + name + (version.empty() ? "" : "@" + version);
}

namespace {

std::string qualified(const Package* p, const std::string& item) {
  if (p == nullptr) return item;
  std::string s = p->name.ns + ":" + p->name.name + "/" + item;
  if (!p->name.version.empty()) s += "@" + p->name.version;
  return s;
}

// "ns:pkg/item@ver" split into its package name and item; false if not of that shape.
bool split_qualified(std::string_view s, PackageName* pkg, std::string* item) {
  const size_t colon = s.find(':'), slash = s.find('/');
  if (colon == std::string_view::npos || slash == std::string_view::npos || slash < colon) {
    return false;
  }
  const size_t at = s.find('@', slash);
  pkg->ns = std::string(s.substr(0, colon));
  pkg->name = std::string(s.substr(colon + 1, slash - colon - 1));
  *item = std::string(s.substr(slash + 1, at == std::string_view::npos ? at : at - slash - 1));
  pkg->version = at == std::string_view::npos ? "" : std::string(s.substr(at + 1));
  return true;
}

}  // namespace

std::string Interface::full_name() const {
  return qualified(package, name);
}

const TypeDef* Interface::find_type(std::string_view n) const {
  for (const TypeDef* t : types) {
    if (t->name == n) return t;
  }
  return nullptr;
}

const Function* Interface::find_function(std::string_view n) const {
  for (const Function& f : functions) {
    if (f.name == n) return &f;
  }
  return nullptr;
}

std::string World::full_name() const {
  return qualified(package, name);
}

const WorldItem* World::find_import(std::string_view n) const {
  for (const WorldItem& i : imports) {
    if (i.name == n) return &i;
  }
  return nullptr;
}

const WorldItem* World::find_export(std::string_view n) const {
  for (const WorldItem& i : exports) {
    if (i.name == n) return &i;
  }
  return nullptr;
}

const Interface* Package::find_interface(std::string_view n) const {
  for (const Interface* i : interfaces) {
    if (i->name == n) return i;
  }
  return nullptr;
}

const World* Package::find_world(std::string_view n) const {
  for (const World* w : worlds) {
    if (w->name == n) return w;
  }
  return nullptr;
}

const Package* Resolve::find_package(std::string_view name) const {
  const size_t at = name.find('@');
  const std::string_view base = name.substr(0, at);
  const Package* only = nullptr;
  int count = 0;
  for (const Package& p : packages_) {
    if (p.name.to_string() == name) return &p;
    if (at == std::string_view::npos && p.name.ns + ":" + p.name.name == base) {
      only = &p;
      ++count;
    }
  }
  return count == 1 ? only : nullptr;
}

const Interface* Resolve::find_interface(std::string_view full_name) const {
  PackageName pkg;
  std::string item;
  if (!split_qualified(full_name, &pkg, &item)) return nullptr;
  const Package* p = find_package(pkg.to_string());
  return p ? p->find_interface(item) : nullptr;
}

const World* Resolve::find_world(std::string_view full_name) const {
  PackageName pkg;
  std::string item;
  if (!split_qualified(full_name, &pkg, &item)) return nullptr;
  const Package* p = find_package(pkg.to_string());
  return p ? p->find_world(item) : nullptr;
}

namespace {

// MAJOR.MINOR.PATCH without pre-release or build parts; false otherwise.
bool numeric_version(std::string_view v, uint64_t out[3]) {
  for (int part = 0; part < 3; ++part) {
    const size_t dot = part < 2 ? v.find('.') : v.size();
    if (dot == std::string_view::npos || dot == 0 || dot > 18) return false;
    uint64_t n = 0;
    for (char c : v.substr(0, dot)) {
      if (c < '0' || c > '9') return false;
      n = n * 10 + static_cast<uint64_t>(c - '0');
    }
    out[part] = n;
    v = part < 2 ? v.substr(dot + 1) : std::string_view();
  }
  return true;
}

}  // namespace

const Interface* Resolve::find_compatible_interface(std::string_view full_name) const {
  if (const Interface* exact = find_interface(full_name)) return exact;
  PackageName want;
  std::string item;
  uint64_t w[3];
  if (!split_qualified(full_name, &want, &item) || !numeric_version(want.version, w)) {
    return nullptr;
  }
  const Interface* best = nullptr;
  uint64_t best_v[3] = {0, 0, 0};
  for (const Package& p : packages_) {
    uint64_t v[3];
    if (p.name.ns != want.ns || p.name.name != want.name || !numeric_version(p.name.version, v)) {
      continue;
    }
    const bool same_line = v[0] == w[0] && (w[0] != 0 || v[1] == w[1]);
    const bool at_least =
        std::lexicographical_compare(w, w + 3, v, v + 3) || std::equal(w, w + 3, v);
    const Interface* i = p.find_interface(item);
    if (!same_line || !at_least || !i) continue;
    if (!best || std::lexicographical_compare(best_v, best_v + 3, v, v + 3)) {
      best = i;
      std::copy(v, v + 3, best_v);
    }
  }
  return best;
}

Result<const World*> Resolve::select_world(const Package* root, std::string_view name) const {
  auto error = [](std::string m) { return unexpected(Error{std::move(m), ErrorKind::Generic}); };
  if (name.find(':') != std::string_view::npos) {
    if (const World* w = find_world(name)) return w;
    return error("world `" + std::string(name) + "` not found");
  }
  if (root == nullptr) return error("no root package to select a world from");
  std::string all;
  for (const World* w : root->worlds) all += (all.empty() ? "" : ", ") + w->name;
  if (name.empty()) {
    if (root->worlds.size() == 1) return root->worlds.front();
    return error("package `" + root->name.to_string() + "` has " +
                 std::to_string(root->worlds.size()) + " worlds (" + all +
                 "); name the one to use");
  }
  if (const World* w = root->find_world(name)) return w;
  return error("package `" + root->name.to_string() + "` has no world `" + std::string(name) +
               "` (worlds: " + all + ")");
}

// ---- printing ----

namespace {
std::string id(const std::string& name) {
  return is_keyword(name) ? "%" + name : name;
}
}  // namespace

std::string to_wit(const Type* t) {
  if (t == nullptr) return "_";
  if (t->kind == ValKind::Own) return id(t->resource->name);
  if (t->def) return id(t->def->name);
  auto args = [](std::initializer_list<const Type*> ts) {
    std::string s;
    for (const Type* a : ts) s += (s.empty() ? "" : ", ") + to_wit(a);
    return s;
  };
  switch (t->kind) {
    case ValKind::Borrow:
      return "borrow<" + id(t->resource->name) + ">";
    case ValKind::List:
      return "list<" + to_wit(t->elem) +
             (t->length ? ", " + std::to_string(*t->length) : std::string()) + ">";
    case ValKind::Option:
      return "option<" + to_wit(t->elem) + ">";
    case ValKind::Stream:
    case ValKind::Future:
      return std::string(kind_name(t->kind)) + (t->elem ? "<" + to_wit(t->elem) + ">" : "");
    case ValKind::Map:
      return "map<" + args({t->key, t->elem}) + ">";
    case ValKind::Result:
      if (!t->ok && !t->err) return "result";
      if (!t->err) return "result<" + to_wit(t->ok) + ">";
      return "result<" + args({t->ok, t->err}) + ">";
    case ValKind::Tuple: {
      std::string s;
      for (const Type* e : t->elems) s += (s.empty() ? "" : ", ") + to_wit(e);
      return "tuple<" + s + ">";
    }
    default:
      return kind_name(t->kind);
  }
}

std::string to_wit(const Function& f) {
  std::string s = f.async ? "async func(" : "func(";
  for (size_t i = 0; i < f.params.size(); ++i) {
    s += (i ? ", " : "") + id(f.params[i].name) + ": " + to_wit(f.params[i].type);
  }
  s += ")";
  if (f.result) s += " -> " + to_wit(f.result);
  return s;
}

// ---- filesystem ----

namespace {

Error io_error(const std::string& m) {
  return Error{m, ErrorKind::Generic};
}

bool read_text(const fs::path& p, std::string* out) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return false;
  std::stringstream ss;
  ss << in.rdbuf();
  *out = ss.str();
  return !in.bad();
}

std::vector<fs::path> sorted_entries(const fs::path& dir) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    out.push_back(it->path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

// The `*.wit` files directly in `dir` as one source group.
bool wit_files(const fs::path& dir, Resolve::SourceGroup* group, std::string* error) {
  for (const fs::path& p : sorted_entries(dir)) {
    std::error_code ec;
    if (p.extension() != ".wit" || !fs::is_regular_file(p, ec)) continue;
    std::string text;
    if (!read_text(p, &text)) {
      *error = "cannot read " + p.string();
      return false;
    }
    group->emplace_back(p.string(), std::move(text));
  }
  return true;
}

}  // namespace

Result<const Package*> Resolve::load_path(const std::string& path) {
  std::error_code ec;
  const fs::path root(path);
  std::vector<SourceGroup> groups;
  std::string error;
  if (fs::is_regular_file(root, ec)) {
    std::string text;
    if (!read_text(root, &text)) return unexpected(io_error("cannot read " + path));
    groups.push_back({{path, std::move(text)}});
    return add_groups(groups);
  }
  if (!fs::is_directory(root, ec)) {
    return unexpected(io_error(path + ": no such WIT file or directory"));
  }
  SourceGroup top;
  if (!wit_files(root, &top, &error)) return unexpected(io_error(error));
  if (!top.empty()) {
    groups.push_back(std::move(top));
    for (const fs::path& dep : sorted_entries(root / "deps")) {
      SourceGroup g;
      if (fs::is_directory(dep, ec)) {
        if (!wit_files(dep, &g, &error)) return unexpected(io_error(error));
      } else if (dep.extension() == ".wit") {
        std::string text;
        if (!read_text(dep, &text)) return unexpected(io_error("cannot read " + dep.string()));
        g.emplace_back(dep.string(), std::move(text));
      }
      if (!g.empty()) groups.push_back(std::move(g));
    }
    return add_groups(groups);
  }
  // A folder of package folders (like WASI's proposals): every sub-folder is one package.
  for (const fs::path& sub : sorted_entries(root)) {
    if (!fs::is_directory(sub, ec)) continue;
    SourceGroup g;
    if (!wit_files(sub, &g, &error)) return unexpected(io_error(error));
    if (!g.empty()) groups.push_back(std::move(g));
  }
  if (groups.empty()) return unexpected(io_error(path + ": no WIT files found"));
  Result<const Package*> r = add_groups(groups);
  if (!r.ok()) return r;
  return static_cast<const Package*>(nullptr);
}

}  // namespace zinc::component::wit
