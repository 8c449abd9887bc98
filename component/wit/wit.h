// component/wit/wit.h: WIT (the Wasm Interface Type text format) parsed and resolved into
// Component Model types, the base from which WASI host marshaling is generated.
//
// A `Resolve` loads WIT sources (a file, a package directory with `deps/`, or a folder of
// package folders, as wit-parser does), resolves `use` across interfaces and packages, and
// describes every interface and world: named types (interned `TypeRef`s; resources are fresh
// `ResourceType`s of the caller's TypeTable) and functions as interned `FuncType`s under their
// component-level names (`[constructor]r`, `[method]r.f`, `[static]r.f`, `f`). Besides the
// interned (structural) types, each type keeps its WIT shape (`Type`), so names survive for
// messages and code generation.
//
// Invariants: everything a Resolve returns lives as long as the Resolve; every TypeRef comes
// from the TypeTable given to it. Loading is all-or-nothing per call: on error the Resolve
// holds nothing of the failed call. Errors carry `file:line:col`.
// Spec: https://github.com/WebAssembly/component-model/blob/main/design/mvp/WIT.md
#pragma once

#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "zinc/component/types.h"
#include "zinc/result.h"

namespace zinc::component::wit {

/// `ns:name@version` (version may be empty).
struct PackageName {
  std::string ns;
  std::string name;
  std::string version;
  std::string to_string() const;  // "wasi:io@0.2.12"
  friend bool operator==(const PackageName&, const PackageName&) = default;
};

/// A feature gate (`@since`, `@unstable`, `@deprecated`), kept as written.
struct Gate {
  std::string since;       // @since(version = ...)
  std::string unstable;    // @unstable(feature = ...)
  std::string deprecated;  // @deprecated(version = ...)
  bool empty() const { return since.empty() && unstable.empty() && deprecated.empty(); }
};

struct TypeDef;
struct Interface;
struct Package;

/// A resolved WIT type: its WIT shape plus its interned Component Model type. Aliases are
/// transparent (a name bound by `type a = b` resolves to b's Type).
struct Type {
  ValKind kind = ValKind::Bool;
  const TypeDef* def = nullptr;       // a reference to a named record/variant/enum/flags/resource
  const Type* elem = nullptr;         // list, option, stream, future (may be null), map value
  const Type* key = nullptr;          // map
  const Type* ok = nullptr;           // result (may be null)
  const Type* err = nullptr;          // result (may be null)
  std::vector<const Type*> elems;     // tuple
  std::optional<uint32_t> length;     // fixed-length list
  const TypeDef* resource = nullptr;  // own / borrow: the resource's definition (or its `use`)
  TypeRef interned = nullptr;         // the Component Model type
};

enum class TypeDefKind : uint8_t { Alias, Record, Variant, Enum, Flags, Resource, Use };

/// A named type of an interface or world.
struct TypeDef {
  std::string name;
  TypeDefKind kind = TypeDefKind::Alias;
  const Type* type = nullptr;              // the type this name stands for (own<R> for resources)
  const ResourceType* resource = nullptr;  // Resource, or Use of a resource
  std::vector<std::pair<std::string, const Type*>> fields;  // record fields / variant cases
  std::vector<std::string> labels;                          // enum / flags
  const TypeDef* origin = nullptr;   // Use: the definition it names (never itself a Use)
  const Interface* owner = nullptr;  // null in worlds
  Gate gate;
  std::string docs;
};

enum class FunctionKind : uint8_t { Freestanding, Constructor, Method, Static };

struct Param {
  std::string name;
  const Type* type = nullptr;
};

/// A function of an interface or world.
struct Function {
  std::string name;      // component-level: "[method]descriptor.read", "get-random-bytes"
  std::string wit_name;  // as written: "read" ("descriptor" for constructors)
  FunctionKind kind = FunctionKind::Freestanding;
  const TypeDef* resource = nullptr;  // constructor/method/static
  std::vector<Param> params;          // methods: first is `self: borrow<R>`
  const Type* result = nullptr;       // null: none
  bool async = false;
  const FuncType* type = nullptr;  // interned
  std::string external_id;         // @external-id("...")
  Gate gate;
  std::string docs;
};

/// A resolved interface: its types (own and `use`d) and functions in declaration order.
struct Interface {
  std::string name;                  // empty for an inline interface of a world
  const Package* package = nullptr;  // null for inline interfaces
  std::vector<const TypeDef*> types;
  std::vector<Function> functions;
  std::vector<const Interface*> uses;  // interfaces this one `use`s types from
  Gate gate;
  std::string docs;

  /// "wasi:filesystem/types@0.2.12" (the plain name for inline interfaces).
  std::string full_name() const;
  const TypeDef* find_type(std::string_view name) const;
  const Function* find_function(std::string_view name) const;  // component-level name
};

enum class WorldItemKind : uint8_t { Interface, Function, Type };

/// One import or export of a world.
struct WorldItem {
  std::string name;  // interface name "wasi:io/poll@0.2.12", or a plain name
  WorldItemKind kind = WorldItemKind::Interface;
  const Interface* iface = nullptr;  // Interface (named, or inline with a plain name)
  const Function* func = nullptr;    // Function
  const TypeDef* type = nullptr;     // Type (imports only)
  bool implicit = false;             // added because a listed interface `use`s it
};

/// A resolved world, `include`s flattened and transitive interface imports added (an
/// interface's `use` dependencies come before it).
struct World {
  std::string name;
  const Package* package = nullptr;
  std::vector<WorldItem> imports;
  std::vector<WorldItem> exports;
  Gate gate;
  std::string docs;

  std::string full_name() const;  // "wasi:cli/command@0.2.12"
  const WorldItem* find_import(std::string_view name) const;
  const WorldItem* find_export(std::string_view name) const;
};

struct Package {
  PackageName name;
  std::vector<const Interface*> interfaces;
  std::vector<const World*> worlds;
  std::string docs;
  const Interface* find_interface(std::string_view name) const;
  const World* find_world(std::string_view name) const;
};

/// Which gated items are kept. `@unstable` items are dropped unless their feature is enabled
/// (or all are); `@since`/`@deprecated` items are always kept.
struct Features {
  std::set<std::string> enabled;
  bool all = false;
};

/// A set of resolved WIT packages over one TypeTable.
class Resolve {
 public:
  explicit Resolve(TypeTable& table, Features features = {});
  ~Resolve();
  Resolve(const Resolve&) = delete;
  Resolve& operator=(const Resolve&) = delete;

  /// One source: (file name for messages, text).
  using Source = std::pair<std::string, std::string>;
  /// The files of one package (their top levels share one `package` name) plus the packages of
  /// their nested `package ... { }` blocks.
  using SourceGroup = std::vector<Source>;

  /// Parses and resolves groups of WIT sources together with everything loaded before.
  /// Returns the first group's package (the "root"; if its files declare no top-level package,
  /// the first nested one). A package already loaded is not loaded again (first one wins).
  Result<const Package*> add_groups(const std::vector<SourceGroup>& groups);
  Result<const Package*> add_source(std::string file_name, std::string text) {
    return add_groups({{{std::move(file_name), std::move(text)}}});
  }

  /// Loads a path as wit-parser does: a `.wit` file; a directory whose `*.wit` files form the
  /// root package, with dependencies in `deps/` (each a file or a folder of files); or a
  /// directory without `*.wit` files whose sub-folders are packages (returns null then).
  Result<const Package*> load_path(const std::string& path);

  const std::deque<Package>& packages() const { return packages_; }
  /// By full name; a name without version matches the only version loaded.
  const Package* find_package(std::string_view name) const;
  const Interface* find_interface(std::string_view full_name) const;  // "wasi:io/poll@0.2.12"
  const World* find_world(std::string_view full_name) const;
  /// The interface serving an import of `full_name` under semver compatibility (as Wasmtime
  /// matches WASI imports): the loaded version with the same major (for 0.x: the same major
  /// and minor) that is at least the requested one, the newest of them; exact match only for
  /// pre-release versions. "wasi:io/poll@0.2.3" finds wasi:io/poll@0.2.12.
  const Interface* find_compatible_interface(std::string_view full_name) const;
  /// World selection (WIT.md "Specifying a World"): with an empty `name`, the root package's
  /// only world; a plain name, that world of the root package; `ns:pkg/world@ver`, any loaded
  /// world. Errors say which worlds there are.
  Result<const World*> select_world(const Package* root, std::string_view name) const;

  TypeTable& table() { return table_; }

 private:
  friend class Resolver;
  TypeTable& table_;
  Features features_;
  std::deque<Package> packages_;
  std::deque<Interface> interfaces_;
  std::deque<World> worlds_;
  std::deque<TypeDef> typedefs_;
  std::deque<Type> types_;
  std::deque<Function> functions_;       // of worlds (interfaces hold their own)
  std::deque<std::string> files_;        // file names, indexed by source positions
  std::vector<const Type*> prim_types_;  // by ValKind, made by the constructor
};

/// WIT rendering of a resolved type: names for named types ("error-code"), structure otherwise
/// ("result<tuple<list<u8>, bool>, error-code>"); aliases print as what they stand for.
std::string to_wit(const Type* t);
/// "func(self: borrow<descriptor>, length: u64) -> result<_, error-code>" (`async func` too).
std::string to_wit(const Function& f);
/// WIT text of an interface, a world or a whole package (`package ...;` then its interfaces and
/// worlds) that parses and resolves to the same types again.
std::string to_wit(const Interface& i);
std::string to_wit(const World& w);
std::string to_wit(const Package& p);

/// Parses one WIT source without resolving it (syntax check; the fuzzer's entry point).
/// Returns an error "file:line:col: message" for malformed text.
Result<bool> parse_only(std::string_view file_name, std::string_view text);

}  // namespace zinc::component::wit
