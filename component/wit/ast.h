// component/wit/ast.h: the WIT lexer's tokens and the syntax tree the parser builds (private to
// component/wit/). The tree keeps every name with its source position (file index, line,
// column) so the resolver can report `file:line:col`; it holds no resolved information.
// Spec: design/mvp/WIT.md "Lexical structure" and the grammar of its "Item" sections.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "component/wit/wit.h"

namespace zinc::component::wit {

/// Nesting limit for types and block comments (bad input must not exhaust the stack).
inline constexpr uint32_t kMaxNesting = 100;

struct Pos {
  uint32_t file = 0;  // index into the Resolve's file names
  uint32_t line = 1;
  uint32_t col = 1;
};

enum class Tok : uint8_t {
  Eof,
  Id,       // identifier (text without the `%`), `escaped` when written with `%`
  Keyword,  // a reserved word (text)
  Number,   // digits and what may follow in a semver: 0.2.12, 1.0.0-rc.1+b, 4
  String,   // "..." (text: the contents, escapes decoded)
  Punct,    // one of = , : ; ( ) { } < > * -> / . @ _  (text)
};

struct Token {
  Tok kind = Tok::Eof;
  std::string_view text;
  std::string decoded;  // String tokens
  Pos pos;
  bool escaped = false;  // an identifier written with `%`
  std::string docs;      // `///` and `/** */` comments right before this token
};

/// Splits a WIT source into tokens. Returns false with `error` ("line:col: message" relative to
/// `file`) on a lexical error.
bool lex(std::string_view src, uint32_t file, std::vector<Token>* out, std::string* error,
         Pos* error_pos);

// ---- syntax tree ----

struct TypeExpr {
  enum class Kind : uint8_t {
    Prim,
    Named,
    List,
    Tuple,
    Option,
    Result,
    Borrow,
    Own,
    Stream,
    Future,
    Map
  };
  Kind kind = Kind::Prim;
  ValKind prim = ValKind::Bool;
  std::string name;  // Named, Borrow, Own
  Pos pos;
  std::vector<TypeExpr> args;      // List/Option/Stream/Future: [elem]; Tuple: elems; Map: [k, v]
  std::optional<uint32_t> length;  // List
  bool has_ok = false, has_err = false;  // Result: args = [ok?, err?] in that order
};

struct AttrSet {
  Gate gate;
  std::string external_id;
  std::string docs;
};

struct UsePath {
  std::string name;                // interface name (bare or in the package)
  std::optional<PackageName> pkg;  // set for `ns:pkg/name@ver`
  Pos pos;
};

struct UseName {
  std::string name;
  std::string as;  // empty: same name
  Pos pos;
};

struct UseItem {
  UsePath path;
  std::vector<UseName> names;
  AttrSet attrs;
  Pos pos;
};

struct NamedType {
  std::string name;
  Pos pos;
  TypeExpr type;
};

struct FuncDecl {
  std::string name;  // as written (for constructors: empty)
  Pos pos;
  FunctionKind kind = FunctionKind::Freestanding;
  bool async = false;
  std::vector<NamedType> params;
  std::optional<TypeExpr> result;
  AttrSet attrs;
};

struct TypeDecl {
  std::string name;
  Pos pos;
  TypeDefKind kind = TypeDefKind::Alias;
  TypeExpr alias;                                                  // Alias
  std::vector<NamedType> fields;                                   // Record
  std::vector<std::pair<UseName, std::optional<TypeExpr>>> cases;  // Variant (UseName: name+pos)
  std::vector<UseName> labels;                                     // Enum, Flags
  std::vector<FuncDecl> funcs;                                     // Resource
  AttrSet attrs;
};

struct InterfaceDecl {
  std::string name;  // empty for an inline interface
  Pos pos;
  std::vector<UseItem> uses;
  std::vector<TypeDecl> types;
  std::vector<FuncDecl> funcs;
  AttrSet attrs;
};

struct IncludeDecl {
  UsePath path;
  std::vector<UseName> with;  // name `as` new-name
  AttrSet attrs;
  Pos pos;
};

/// An import or export of a world.
struct ExternDecl {
  enum class Kind : uint8_t { Path, Func, Interface, NamedPath };
  Kind kind = Kind::Path;
  bool is_export = false;
  std::string name;  // plain name (Func, Interface, NamedPath)
  Pos pos;
  UsePath path;         // Path, NamedPath
  FuncDecl func;        // Func
  InterfaceDecl iface;  // Interface
  AttrSet attrs;
};

struct WorldDecl {
  std::string name;
  Pos pos;
  std::vector<ExternDecl> externs;
  std::vector<UseItem> uses;
  std::vector<TypeDecl> types;
  std::vector<IncludeDecl> includes;
  AttrSet attrs;
};

struct TopUse {
  UsePath path;
  std::string as;  // empty: the interface's name
  Pos pos;
};

/// The items of one `package` scope in one file: the file's top level (package may be absent
/// in files other than the one declaring it) or a nested `package ... { }` block.
struct PackageBlock {
  std::optional<PackageName> name;
  Pos pos;
  std::vector<TopUse> uses;
  std::vector<InterfaceDecl> interfaces;
  std::vector<WorldDecl> worlds;
  std::string docs;
  bool nested = false;
};

struct FileAst {
  uint32_t file = 0;
  std::vector<PackageBlock> blocks;  // [0]: the top level; then nested blocks
};

/// Parses a whole WIT file. On error returns false with `*error_pos` and `*error`.
bool parse_file(std::string_view src, uint32_t file, FileAst* out, std::string* error,
                Pos* error_pos);

/// The keyword table (WIT.md "Keywords"), and the primitive types among them.
bool is_keyword(std::string_view s);
std::optional<ValKind> prim_kind(std::string_view s);

}  // namespace zinc::component::wit
