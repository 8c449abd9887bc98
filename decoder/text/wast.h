// decoder/text/wast.h: WAST scripts (the spec test-suite format) parsed into commands.
//
// A script is a list of commands with their source lines. Modules inside commands are kept as
// source (text modules: the text of their fields with its position; `quote` modules: the
// concatenated strings; `binary` modules: the bytes), so the runner encodes each one when it
// gets there and malformed text modules produce their errors at that point.
// `encode_script_module` turns any of them into a binary module.
// Spec: https://github.com/WebAssembly/spec/tree/main/interpreter#scripts
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "decoder/text/lexer.h"
#include "decoder/types.h"

namespace zinc::decoder::text {

enum class ModuleFormat : uint8_t { Text, Binary, Quote };

struct ScriptModule {
  ModuleFormat format = ModuleFormat::Text;
  std::string id;           // `$name` (with the `$`) or empty
  bool definition = false;  // `(module definition ...)`: compiled, not instantiated
  std::string text;         // Text: the module's fields; Quote: the concatenated strings
  std::vector<uint8_t> binary;  // Binary: the bytes
  Position pos;             // position of `text`'s first character (Text), else of `(module`
  // `(component ...)` (and `(component definition|instance ...)`): the same forms, encoded by
  // component/text/values.h encode_script_component, not by encode_script_module.
  bool component = false;
};

/// Binary encoding of a script module (text and quote modules are parsed here). Components
/// are refused (see ScriptModule::component).
TextResult<std::vector<uint8_t>> encode_script_module(const ScriptModule& m,
                                                      std::string_view filename = {});

/// A constant argument or an expected result.
struct Value {
  enum class Kind : uint8_t {
    I32, I64, F32, F64, V128,
    RefNull,    // heap: the null's heap type
    RefFunc,    // `(ref.func)` (any) or `(ref.func N)`
    RefExtern,  // `(ref.extern N)` or `(ref.extern)` (any non-null extern)
    RefHost,    // `(ref.host N)`
    RefOther,   // 3.0 result patterns `(ref.struct)`, `(ref.i31)`, ...: ref_kind names it
    Either,     // `(either v ...)`: alternatives in `either`
    Component,  // a component value (`str.const`, `list.const`, ...): `text` is its source,
                // parsed into a Val by component/text/values.h script_value
  };
  /// Float (and per-lane float) patterns for expected results.
  enum class NanPattern : uint8_t { None, Canonical, Arithmetic };

  Kind kind = Kind::I32;
  uint64_t bits[2] = {0, 0};  // scalars in bits[0]; v128 little-endian in bits[0..1]
  uint8_t lane_shape = 0;     // v128: lane count (16, 8, 4, 2); 0 when not v128
  bool lane_float = false;    // v128 lanes are f32/f64
  NanPattern nan[16] = {};    // per lane (index 0 for scalars)
  HeapType heap;              // RefNull
  bool has_index = false;     // RefFunc/RefExtern/RefHost with a number
  uint32_t index = 0;
  std::string ref_kind;       // RefOther: "struct", "i31", ...
  std::vector<Value> either;  // Either
  std::string text;           // Component: the value's source text, from its `(`
  Position pos;               // Component: position of `text`
};

/// True for the keywords that start a component value (`str.const`, `option.some`, ...).
bool is_component_value_keyword(std::string_view keyword);

struct Action {
  enum class Kind : uint8_t { Invoke, Get } kind = Kind::Invoke;
  std::string module;  // `$id` or empty for the current module
  std::string name;
  std::vector<Value> args;
};

enum class CommandKind : uint8_t {
  Module,            // define (and unless `definition`, instantiate) `module`
  ModuleInstance,    // `(module instance $i $m?)`: instance_id / module_ref; for
                     // `(component instance ...)` module.component is set
  Register,          // `(register "name" $m?)`
  Action,            // bare invoke/get
  AssertReturn,
  AssertTrap,        // on `action`, or on instantiating `module` when has_module
  AssertExhaustion,
  AssertException,
  AssertInvalid,
  AssertMalformed,
  AssertUnlinkable,
  AssertUninstantiable,
};

struct Command {
  CommandKind kind = CommandKind::Module;
  uint32_t line = 0;
  bool has_module = false;
  ScriptModule module;
  Action action;
  std::vector<Value> expected;  // AssertReturn
  std::string message;          // expected failure text of assert_trap/invalid/malformed/...
  std::string register_name;    // Register
  std::string instance_id;      // Register: module id; ModuleInstance: instance id
  std::string module_ref;       // ModuleInstance: the definition's id
  /// `assert_malformed_custom` / `assert_invalid_custom` (kind AssertMalformed/AssertInvalid):
  /// the module is rejected only by an engine that interprets its custom annotations
  /// (`@metadata.code.branch_hint`, `@custom`, `@name`); Zinc ignores annotations.
  bool custom_annotation = false;
};

struct Script {
  std::vector<Command> commands;
};

/// Parses a whole .wast file. Modules are not encoded here (see encode_script_module).
TextResult<Script> parse_wast(std::string_view text, std::string_view filename = {});

}  // namespace zinc::decoder::text
