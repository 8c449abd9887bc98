// component/text/parser.h: the component text parser's internal state (private to
// component/text/).
//
// One pass over the tokens, in text order, with the wast crate's expansion and resolution
// folded in: each definition is parsed into a template (its binary bytes with holes for the
// references it makes), inline types it contains are emitted as definitions of their own as
// soon as they are parsed, then its holes are resolved -- which may emit `alias` definitions
// (for `$i "x"` references and identifiers of enclosing scopes) -- and finally the definition
// itself is emitted and given its index. Definitions are numbered when they are emitted, so
// every index space is built incrementally exactly as the binary decoder will rebuild it.
// Errors are sticky: the first is kept and every parse function returns false after it.
// Split by seam: parser.cc (cursor, scopes, resolution, emission, driver), fields.cc (component
// definitions, canon built-ins), types.cc (value, function, component, instance and core types,
// extern types).
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "component/text/component_text.h"
#include "decoder/text/encoder.h"

namespace zinc::component::text {

using decoder::ErrorCode;
using decoder::text::ByteWriter;
using decoder::text::TokenKind;

/// The index spaces of a component (and of component, instance and module types).
enum class Ns : uint8_t {
  CoreFunc,
  CoreTable,
  CoreMemory,
  CoreGlobal,
  CoreTag,
  CoreType,
  CoreModule,
  CoreInstance,
  Func,
  Value,
  Type,
  Component,
  Instance,
};
inline constexpr size_t kNsCount = 13;

/// Per index space: the text keyword(s), the name used in messages and the binary `sort`
/// (core sorts are written `0x00 sort` in component sortidx positions).
struct NsInfo {
  std::string_view keyword;  // after `core` for core spaces
  std::string_view desc;
  bool core;
  uint8_t sort;
};
const NsInfo& ns_info(Ns ns);

/// A reference as written: an index or identifier, then export names (`$i "a" "b"` means
/// export "b" of export "a" of instance $i). Core references have at most one name.
struct Ref {
  Ns ns = Ns::Func;
  const Token* idx = nullptr;
  std::vector<std::string> names;
};

/// A value type as written: a primitive type's code, a type reference (resolved when the
/// definition using it is emitted) or the index of an inline type already emitted.
struct ValRef {
  enum Kind : uint8_t { Prim, Ref, Index } kind = Prim;
  uint8_t prim = 0;
  const Token* ref = nullptr;
  uint32_t index = 0;
};

/// The bytes of one definition with holes for its references. Holes are resolved in order of
/// `phase` then position (the wast crate's resolution order), and written where they stand.
struct Tpl {
  struct Hole {
    size_t at;
    bool is_val;
    ValRef val;
    Ref ref;
    int phase;
  };
  ByteWriter w;
  std::vector<Hole> holes;

  void val(const ValRef& v, int phase = 0) { holes.push_back({w.size(), true, v, {}, phase}); }
  void ref(Ref r, int phase = 0) { holes.push_back({w.size(), false, {}, std::move(r), phase}); }
  void append(const Tpl& o) {
    size_t base = w.size();
    w.append(o.w);
    for (Hole h : o.holes) {
      h.at += base;
      holes.push_back(std::move(h));
    }
  }
};

/// What a definition is, which picks its section (component scope) or its declarator prefix
/// (type scopes).
enum class Item : uint8_t {
  CoreInstance = 2,
  CoreType = 3,
  Instance = 5,
  Alias = 6,
  Type = 7,
  Canon = 8,
  Import = 10,
  Export = 11,
};

struct Scope {
  enum class Kind : uint8_t { Component, ComponentType, InstanceType, ModuleType } kind;
  std::string id;  // without `$`; empty when anonymous
  struct Space {
    std::unordered_map<std::string, uint32_t> names;
    uint32_t count = 0;
  };
  Space spaces[kNsCount];
  ByteWriter out;      // Component: finished sections; types: encoded declarators
  uint32_t decls = 0;  // types: declarator count
  int section = -1;    // Component: id of the section being filled
  ByteWriter sec;
  uint32_t sec_count = 0;
  struct TailExport {
    ByteWriter name;  // extern name with attributes, encoded
    Ns ns;
    uint32_t index;
  };
  std::vector<TailExport> tail;  // inline `(export "x")`s, emitted at the end
};

class CParser {
 public:
  explicit CParser(std::span<const Token> tokens);
  TextResult<std::vector<uint8_t>> run(std::string_view id);

  // ---- cursor (parser.cc) ----
  const Token& peek(size_t k = 0) const { return pos_ + k < end_ ? tokens_[pos_ + k] : eof_; }
  const Token& next() { return pos_ < end_ ? tokens_[pos_++] : eof_; }
  bool at(TokenKind k) const { return peek().kind == k; }
  bool at_keyword(std::string_view kw, size_t k = 0) const {
    return peek(k).kind == TokenKind::Keyword && peek(k).text == kw;
  }
  bool at_lparen_keyword(std::string_view kw) const {
    return at(TokenKind::LParen) && at_keyword(kw, 1);
  }
  bool at_index(size_t k = 0) const {
    return peek(k).kind == TokenKind::Int || peek(k).kind == TokenKind::Id;
  }
  bool expect(TokenKind k);
  bool expect_keyword(std::string_view kw);
  bool expect_rparen() { return expect(TokenKind::RParen); }
  bool fail(ErrorCode code, const Token& t, std::string detail = {});
  bool fail_unexpected(const Token& t);
  bool ok() const { return !error_; }
  bool parse_u32(uint32_t* out);
  bool parse_string(std::string* out);
  bool parse_name(std::string* out);  // a string that must be valid UTF-8
  const Token* parse_opt_id();        // an Id token, or nullptr
  bool enter(const Token& at);        // nesting limit check; pair with leave()
  void leave() { --depth_; }

  // ---- scopes, resolution and emission (parser.cc) ----
  Scope& cur() { return scopes_.back(); }
  void push_scope(Scope::Kind kind, const Token* id);
  bool add(Ns ns, const Token* id, uint32_t* index = nullptr);
  bool resolve_ns(Ns ns, const Token& t, uint32_t* out);
  bool resolve_ref(const Ref& r, uint32_t* out);
  bool resolve_val(const ValRef& v, ByteWriter* w);
  /// Resolves the holes of `t`, then writes it as a definition of kind `item`; when `ns` is set
  /// the definition gets the next index of that space, bound to `id`.
  bool emit(Item item, const Tpl& t, std::optional<Ns> ns = std::nullopt, const Token* id = nullptr,
            uint32_t* index = nullptr);
  ByteWriter& begin(Item item);
  void emit_section(uint8_t id, const ByteWriter& body);
  void flush();
  std::vector<uint8_t> finish_component();  // preamble + sections of the current scope

  // ---- definitions (fields.cc) ----
  bool parse_fields();  // component fields up to the closing `)` (not consumed)
  bool parse_field();
  bool parse_core_module();
  bool parse_core_instance();
  bool parse_core_func();
  bool parse_component();
  bool parse_instance();
  bool parse_alias();  // `(alias ...)`: a definition, or a declarator in a type
  bool parse_type_field();
  bool parse_canon();
  bool parse_func();
  bool parse_start();
  bool parse_import();  // a definition, or a declarator in a component type
  bool parse_export();
  bool parse_inline_exports(std::vector<ByteWriter>* names);
  bool parse_inline_import(ByteWriter* name);  // `(import "x" attrs)` if present
  void add_tail_exports(std::vector<ByteWriter>& names, Ns ns, uint32_t index);
  /// After `(func`, `(component` or `(instance`: `$id? (export "x")* (import "x")?`. With the
  /// inline import the definition is an import (a type use follows); otherwise
  /// `body(const Token* id, uint32_t* index)` parses the rest and emits the definition. The
  /// inline exports then name its index. Defined in, and only used by, fields.cc.
  template <typename Body>
  bool parse_importable(Ns ns, Body body);
  bool parse_alias_export(bool core, Ref* inst, std::string* name);  // `core? export $i "x"`
  bool emit_export_alias(Ns ns, bool core, Ref inst, const std::string& name, const Token* id,
                         uint32_t* index = nullptr);
  bool parse_extern_decl(Item item);  // `"x" sig)`: an import, or an export declarator
  bool parse_extern_name(ByteWriter* out);
  bool parse_sort(Ns* out, bool core_only);
  bool parse_item_ref(Ns ns, Ref* out);       // after `(kind`: idx names*
  bool parse_index_or_ref(Ns ns, Ref* out);   // idx | (kind idx names*)
  bool parse_core_ref(Ns ns, Ref* out);       // idx | (core kind idx name?) | legacy
  bool parse_core_contents(Ns ns, Ref* out);  // after `(memory`: idx name? | (core ...)
  bool parse_canon_opts(Tpl* t);
  bool parse_canon_lift(Tpl* t);                     // `lift (core func ...) opts`
  bool parse_canon_core(const Token& kw, Tpl* t);    // a built-in producing a core func
  bool parse_core_exports(Tpl* t);                   // a core instance's bundle of exports
  bool parse_instance_exports(Tpl* t);               // an instance's bundle of exports
  bool parse_component_export_item(Tpl* t, Ns* ns);  // `(sort idx names*)` as sortidx

  // ---- types (types.cc) ----
  bool parse_val_type(ValRef* out);
  bool parse_val_type_paren(Tpl* t);             // after `(`, at the keyword of a defvaltype
  bool parse_type_def(Tpl* t, const Token* id);  // after `(type $id? exports*`: a deftype
  bool parse_func_type(Tpl* t);                  // params/results (after `func`)
  bool parse_decls(Scope::Kind kind);            // component/instance type declarators until `)`
  bool parse_module_type_decls();
  bool parse_core_type_field();  // `(core type $id? (func ...) | (module ...))`
  bool parse_core_val_type(ByteWriter* w);
  bool parse_core_func_type(ByteWriter* w);    // `(param ...)* (result ...)*`
  bool parse_core_extern_type(ByteWriter* w);  // `(func ...)`, `(memory ...)`, ...
  bool parse_core_limits(ByteWriter* w, bool memory);
  /// `(type idx names*)` or an inline func/component/instance type (emitted as a type
  /// definition); appends the type index (or its hole) to `t`.
  enum class UseKind : uint8_t { Func, Component, Instance };
  bool parse_type_use(UseKind kind, Tpl* t, int phase = 0);
  bool parse_core_module_type_use(Tpl* t);
  bool parse_item_sig(bool allow_id, Tpl* t, Ns* ns, const Token** id);

  // ---- state ----
  const Token* tokens_;
  size_t end_;
  size_t pos_ = 0;
  Token eof_;
  std::optional<TextError> error_;
  std::deque<Scope> scopes_;
  // Per module-type scope: the encoded function types of its explicit `(type (func ...))`
  // declarators -> their index; an equal inline function type of an import or export reuses
  // that index (as wast does) instead of declaring a new type.
  std::vector<std::unordered_map<std::string, uint32_t>> module_func_types_;
  uint32_t depth_ = 0;
};

}  // namespace zinc::component::text
