// wasi/p2/linker.cc: binds the WASI 0.2 host into a component::Linker: resolves the WIT
// declarations (wasi/p2/wit/, embedded by embed_wit.py), defines each resource type and each
// function of the interface files' FuncDef tables with its WIT type, and runs commands.
// A FuncDef naming a function the WIT lacks is a host bug, reported as an error; a WIT
// function without a FuncDef stays undefined, so a component importing it fails to link,
// naming it (p2_test checks that none is left).
#include <algorithm>
#include <deque>
#include <initializer_list>
#include <mutex>
#include <set>
#include <span>
#include <string>
#include <utility>

#include "component/wit/wit.h"
#include "wasi/p2/host.h"
#include "wasi/p2/p2.h"

namespace zinc::wasi::p2 {

namespace {

struct ResourceRow {
  Kind kind;
  const char* iface;
  const char* name;
};

constexpr ResourceRow kResources[] = {
#define R(Name, iface, name) {Kind::Name, iface, name},
#include "wasi/p2/resources.def"
#undef R
};

std::string versioned(std::string_view iface) {
  return std::string(iface) + "@" + std::string(kVersion);
}

Error link_error(std::string message) {
  Error e;
  e.kind = ErrorKind::Link;
  e.message = std::move(message);
  return e;
}

}  // namespace

const char* kind_name(Kind k) {
  const size_t i = static_cast<size_t>(k);
  return i < std::size(kResources) ? kResources[i].name : "resource";
}

namespace {

/// The packages of wasi/p2/wit/ (file "NAME.wit" declares wasi:NAME) and those their
/// interfaces `use`, which must be resolved with them.
struct PackageRow {
  const char* name;
  std::initializer_list<const char*> deps;
};
const PackageRow kPackages[] = {
    {"io", {}},
    {"clocks", {"io"}},
    {"random", {}},
    {"cli", {"io"}},
    {"filesystem", {"io", "clocks"}},
    {"sockets", {"io", "clocks"}},
};

/// "wasi:filesystem/types@0.2.0" -> "filesystem" (empty for other names).
std::string_view wasi_package(std::string_view name) {
  if (name.substr(0, 5) != "wasi:") return {};
  name.remove_prefix(5);
  return name.substr(0, name.find_first_of("/@"));
}

/// "wasi:io/streams" -> "io".
std::string_view iface_package(std::string_view iface) { return wasi_package(iface); }

}  // namespace

namespace {

/// The WIT types the host binds for one set of packages, resolved once per TypeTable (so an
/// embedder making a linker per request neither re-parses the WIT nor grows the engine's
/// TypeTable with fresh copies of the same resources).
struct Bindings {
  std::set<std::string_view> packages;                       // what was resolved
  const cm::ResourceType* resources[kKinds] = {};            // null: package not bound
  std::vector<std::pair<const FuncDef*, const cm::FuncType*>> funcs;
};

Result<std::shared_ptr<const Bindings>> resolve_bindings(cm::TypeTable& tt,
                                                         const std::set<std::string_view>& wanted) {
  cm::wit::Features features;
  features.all = true;  // @unstable items too (exit-with-code, timezone, network-error-code)
  cm::wit::Resolve resolve(tt, features);
  std::vector<cm::wit::Resolve::SourceGroup> groups;
  for (const auto& [name, text] : wit_sources()) {
    const std::string_view file(name);
    if (wanted.count(file.substr(0, file.find('.')))) groups.push_back({{name, text}});
  }
  if (auto r = resolve.add_groups(groups); !r.ok()) {
    return unexpected(link_error("the WASI 0.2 declarations do not resolve: " +
                                 r.error().message));
  }
  auto b = std::make_shared<Bindings>();
  b->packages = wanted;
  for (const ResourceRow& row : kResources) {
    if (!wanted.count(iface_package(row.iface))) continue;
    const std::string iface = versioned(row.iface);
    const cm::wit::Interface* i = resolve.find_interface(iface);
    const cm::wit::TypeDef* t = i ? i->find_type(row.name) : nullptr;
    if (t == nullptr || t->resource == nullptr) {
      return unexpected(link_error("WASI 0.2 host: no resource " + iface + "#" + row.name));
    }
    b->resources[static_cast<size_t>(row.kind)] = t->resource;
  }
  for (auto table : {io_funcs(), clocks_funcs(), random_funcs(), cli_funcs(),
                     filesystem_funcs(), sockets_funcs()}) {
    for (const FuncDef& def : table) {
      if (!wanted.count(iface_package(def.iface))) continue;
      const std::string iface = versioned(def.iface);
      const cm::wit::Interface* i = resolve.find_interface(iface);
      const cm::wit::Function* f = i ? i->find_function(def.name) : nullptr;
      if (f == nullptr) {
        return unexpected(link_error("WASI 0.2 host: no function " + iface + "#" + def.name));
      }
      b->funcs.emplace_back(&def, f->type);
    }
  }
  return std::shared_ptr<const Bindings>(std::move(b));
}

/// resolve_bindings, cached per TypeTable (its serial): an entry resolved for a superset of
/// `wanted` serves too. The few most recent entries are kept.
Result<std::shared_ptr<const Bindings>> bindings(cm::TypeTable& tt,
                                                 const std::set<std::string_view>& wanted) {
  struct Entry {
    uint64_t serial;
    std::shared_ptr<const Bindings> bindings;
  };
  static std::mutex mutex;
  static std::deque<Entry> cache;
  constexpr size_t kCacheSize = 8;
  {
    std::lock_guard<std::mutex> lock(mutex);
    for (const Entry& e : cache) {
      if (e.serial == tt.serial() &&
          std::includes(e.bindings->packages.begin(), e.bindings->packages.end(),
                        wanted.begin(), wanted.end())) {
        return e.bindings;
      }
    }
  }
  auto b = resolve_bindings(tt, wanted);
  if (!b.ok()) return b;
  std::lock_guard<std::mutex> lock(mutex);
  cache.push_back({tt.serial(), *b});
  if (cache.size() > kCacheSize) cache.pop_front();
  return b;
}

/// The packages `imports` need (all for none), with their dependencies.
std::set<std::string_view> wanted_packages(std::span<const std::string> imports) {
  std::set<std::string_view> wanted;
  for (const PackageRow& p : kPackages) {
    bool want = imports.empty();
    for (const std::string& i : imports) want |= wasi_package(i) == p.name;
    if (!want) continue;
    wanted.insert(p.name);
    wanted.insert(p.deps.begin(), p.deps.end());
  }
  return wanted;
}

}  // namespace

Result<std::shared_ptr<Host>> add_to_linker(component::Linker& linker, host::WasiConfig config,
                                            std::span<const std::string> imports) {
  cm::TypeTable& tt = cm::types(linker.engine());
  // The packages to define: all, or those the imports name plus their dependencies.
  const std::set<std::string_view> wanted = wanted_packages(imports);
  auto b = bindings(tt, wanted);
  if (!b.ok()) return unexpected(b.error());
  auto host = std::make_shared<Host>(std::move(config), tt);
  for (const ResourceRow& row : kResources) {
    const cm::ResourceType* rt = (*b)->resources[static_cast<size_t>(row.kind)];
    if (rt == nullptr || !wanted.count(iface_package(row.iface))) continue;
    host->rt[static_cast<size_t>(row.kind)] = rt;
    std::weak_ptr<Host> weak = host;
    auto dtor = [weak](Store&, uint32_t rep) -> Result<void> {
      if (auto h = weak.lock()) return h->drop(rep);
      return {};
    };
    if (auto r = linker.define_resource(versioned(row.iface) + "#" + row.name, rt, dtor);
        !r.ok()) {
      return unexpected(r.error());
    }
  }
  Host* h = host.get();
  for (const auto& [def, type] : (*b)->funcs) {
    if (!wanted.count(iface_package(def->iface))) continue;
    Handler fn = def->fn;
    // The linker (and so this closure) lives at least as long as the instances using it; the
    // host is kept alive by the closure.
    auto call = [host, h, fn](Store&, std::span<const cm::Val> args) { return fn(*h, args); };
    if (auto r = linker.define_func(versioned(def->iface) + "#" + def->name, type, call);
        !r.ok()) {
      return unexpected(r.error());
    }
  }
  return host;
}

size_t live_resources(const Host& host) { return host.live(); }

namespace {

constexpr std::string_view kRun = "wasi:cli/run";

bool is_run_interface(std::string_view name) {
  return name.substr(0, kRun.size()) == kRun &&
         (name.size() == kRun.size() || name.substr(kRun.size(), 3) == "@0.");
}

}  // namespace

bool is_command(const component::Component& component) {
  for (const component::ExternInfo& e : component.exports()) {
    if (e.kind == component::ExternInfo::Kind::Instance && is_run_interface(e.name)) return true;
  }
  return false;
}

Result<int> run_command(Store& store, const component::Instance& instance) {
  std::optional<component::Func> run;
  for (const auto& [name, f] : instance.funcs(store)) {
    const size_t hash = name.rfind('#');
    if (hash != std::string::npos && is_run_interface(std::string_view(name).substr(0, hash)) &&
        name.substr(hash + 1) == "run") {
      run = f;
    }
  }
  if (!run) return unexpected(link_error("the component does not export wasi:cli/run#run"));
  auto r = run->call(store, {});
  if (!r.ok()) {
    if (r.error().kind == ErrorKind::Exit) return r.error().exit_code;
    return unexpected(r.error());
  }
  if (!*r || (*r)->kind != cm::ValKind::Result) {
    return unexpected(link_error("wasi:cli/run#run returned no result"));
  }
  return (*r)->is_ok ? 0 : 1;
}

}  // namespace zinc::wasi::p2
