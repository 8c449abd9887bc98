// cli/wast_runner.cc: see wast_runner.h.
// Script semantics: https://github.com/WebAssembly/spec/tree/main/interpreter#scripts
#include "cli/wast_runner.h"
#include "cli/wast_component.h"

#include <cinttypes>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <sstream>

#include "decoder/decode.h"
#include "decoder/text/wast.h"
#include "zinc/zinc.h"

namespace zinc::cli {

namespace {

namespace text = decoder::text;
using text::Command;
using text::CommandKind;
using text::Value;

struct Outcome {
  enum Kind { Pass, Fail, Skip } kind = Pass;
  std::string message;
  static Outcome pass() { return {}; }
  static Outcome fail(std::string m) { return {Fail, std::move(m)}; }
  static Outcome skip(std::string m) { return {Skip, std::move(m)}; }
};

/// The spec's phrase matches ours when one is a prefix of the other: our phrase may be longer
/// ("unknown memory" vs the spec's "unknown memory 0") or shorter ("i32 constant out of range"
/// vs "i32 constant").
bool phrase_matches(std::string_view ours, std::string_view expected) {
  if (ours.empty() || expected.empty()) return false;
  return ours.starts_with(expected) || expected.starts_with(ours);
}

/// Other wordings the spec suites use for the same error (the 2.0 and 3.0 suites word some
/// errors differently; both name the same condition).
bool code_matches(decoder::ErrorCode code, std::string_view expected) {
  if (phrase_matches(decoder::error_text(code), expected)) return true;
  switch (code) {
    case decoder::ErrorCode::MalformedLaneIndex:  // 3.0: lane indices are u8 literals
      return phrase_matches("i8 constant out of range", expected);
    default:
      return false;
  }
}

std::string hex64(uint64_t v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "0x%" PRIx64, v);
  return buf;
}

bool is_nan32(uint32_t b) { return (b & 0x7F800000u) == 0x7F800000u && (b & 0x007FFFFFu) != 0; }
bool is_nan64(uint64_t b) {
  return (b & 0x7FF0000000000000ull) == 0x7FF0000000000000ull && (b & 0x000FFFFFFFFFFFFFull) != 0;
}
bool canonical32(uint32_t b) { return (b & 0x7FFFFFFFu) == 0x7FC00000u; }
bool canonical64(uint64_t b) { return (b & 0x7FFFFFFFFFFFFFFFull) == 0x7FF8000000000000ull; }
bool arithmetic32(uint32_t b) { return is_nan32(b) && (b & 0x00400000u) != 0; }
bool arithmetic64(uint64_t b) { return is_nan64(b) && (b & 0x0008000000000000ull) != 0; }

bool match_f32(uint32_t got, uint32_t want, Value::NanPattern nan) {
  switch (nan) {
    case Value::NanPattern::Canonical:
      return canonical32(got);
    case Value::NanPattern::Arithmetic:
      return arithmetic32(got);
    case Value::NanPattern::None:
      break;
  }
  return got == want;
}

bool match_f64(uint64_t got, uint64_t want, Value::NanPattern nan) {
  switch (nan) {
    case Value::NanPattern::Canonical:
      return canonical64(got);
    case Value::NanPattern::Arithmetic:
      return arithmetic64(got);
    case Value::NanPattern::None:
      break;
  }
  return got == want;
}

std::string describe(const Val& v) {
  switch (v.type()) {
    case ValType::I32:
      return "i32:" + hex64(static_cast<uint32_t>(v.i32()));
    case ValType::I64:
      return "i64:" + hex64(static_cast<uint64_t>(v.i64()));
    case ValType::F32:
      return "f32:" + hex64(v.f32_bits());
    case ValType::F64:
      return "f64:" + hex64(v.f64_bits());
    case ValType::V128:
      return "v128:" + hex64(v.v128().lane<uint64_t>(1)) + "_" +
             hex64(v.v128().lane<uint64_t>(0)).substr(2);
    case ValType::FuncRef:
      return v.is_null() ? "ref.null func" : "ref.func";
    case ValType::ExternRef:
      return v.is_null() ? "ref.null extern"
                         : "ref.extern " + std::to_string(v.externref()->value);
  }
  return "?";
}

std::string describe(const Value& v) {
  switch (v.kind) {
    case Value::Kind::I32:
      return "i32:" + hex64(static_cast<uint32_t>(v.bits[0]));
    case Value::Kind::I64:
      return "i64:" + hex64(v.bits[0]);
    case Value::Kind::F32:
      return v.nan[0] != Value::NanPattern::None ? "f32:nan-pattern"
                                                 : "f32:" + hex64(static_cast<uint32_t>(v.bits[0]));
    case Value::Kind::F64:
      return v.nan[0] != Value::NanPattern::None ? "f64:nan-pattern" : "f64:" + hex64(v.bits[0]);
    case Value::Kind::V128:
      return "v128:" + hex64(v.bits[1]) + "_" + hex64(v.bits[0]).substr(2);
    case Value::Kind::RefNull:
      return "ref.null";
    case Value::Kind::RefFunc:
      return "ref.func";
    case Value::Kind::RefExtern:
      return v.has_index ? "ref.extern " + std::to_string(v.index) : "ref.extern";
    case Value::Kind::RefHost:
      return "ref.host";
    case Value::Kind::RefOther:
      return "ref." + v.ref_kind;
    case Value::Kind::Either:
      return "either";
    case Value::Kind::Component:
      return v.text;
  }
  return "?";
}

bool matches(const Val& got, const Value& want) {
  switch (want.kind) {
    case Value::Kind::I32:
      return got.type() == ValType::I32 &&
             static_cast<uint32_t>(got.i32()) == static_cast<uint32_t>(want.bits[0]);
    case Value::Kind::I64:
      return got.type() == ValType::I64 && static_cast<uint64_t>(got.i64()) == want.bits[0];
    case Value::Kind::F32:
      return got.type() == ValType::F32 &&
             match_f32(got.f32_bits(), static_cast<uint32_t>(want.bits[0]), want.nan[0]);
    case Value::Kind::F64:
      return got.type() == ValType::F64 && match_f64(got.f64_bits(), want.bits[0], want.nan[0]);
    case Value::Kind::V128: {
      if (got.type() != ValType::V128) return false;
      const V128& v = got.v128();
      V128 w;
      std::memcpy(w.bytes, want.bits, 16);
      if (want.lane_float && want.lane_shape == 4) {
        for (unsigned i = 0; i < 4; ++i) {
          if (!match_f32(v.lane<uint32_t>(i), w.lane<uint32_t>(i), want.nan[i])) return false;
        }
        return true;
      }
      if (want.lane_float && want.lane_shape == 2) {
        for (unsigned i = 0; i < 2; ++i) {
          if (!match_f64(v.lane<uint64_t>(i), w.lane<uint64_t>(i), want.nan[i])) return false;
        }
        return true;
      }
      return v == w;
    }
    case Value::Kind::RefNull:
      if (want.heap.kind == decoder::HeapKind::Extern ||
          want.heap.kind == decoder::HeapKind::NoExtern) {
        return got.type() == ValType::ExternRef && got.is_null();
      }
      if (want.heap.kind == decoder::HeapKind::Func || want.heap.kind == decoder::HeapKind::NoFunc) {
        return got.type() == ValType::FuncRef && got.is_null();
      }
      return got.is_null();
    case Value::Kind::RefFunc:
      return got.type() == ValType::FuncRef && !got.is_null();
    case Value::Kind::RefExtern:
      if (got.type() != ValType::ExternRef || got.is_null()) return false;
      return !want.has_index || got.externref()->value == want.index;
    case Value::Kind::Either:
      for (const Value& alt : want.either) {
        if (matches(got, alt)) return true;
      }
      return false;
    case Value::Kind::RefHost:
    case Value::Kind::RefOther:
      return false;
    case Value::Kind::Component:  // a component value given to a core module
      return false;
  }
  return false;
}

std::optional<Val> to_val(const Value& v) {
  switch (v.kind) {
    case Value::Kind::I32:
      return Val::i32(static_cast<int32_t>(static_cast<uint32_t>(v.bits[0])));
    case Value::Kind::I64:
      return Val::i64(static_cast<int64_t>(v.bits[0]));
    case Value::Kind::F32:
      return Val::f32_bits(static_cast<uint32_t>(v.bits[0]));
    case Value::Kind::F64:
      return Val::f64_bits(v.bits[0]);
    case Value::Kind::V128: {
      V128 x;
      std::memcpy(x.bytes, v.bits, 16);
      return Val::v128(x);
    }
    case Value::Kind::RefNull:
      if (v.heap.kind == decoder::HeapKind::Extern || v.heap.kind == decoder::HeapKind::NoExtern) {
        return Val::externref(std::nullopt);
      }
      return Val::funcref(std::nullopt);
    case Value::Kind::RefExtern:
      if (!v.has_index) return std::nullopt;
      return Val::externref(ExternRef{v.index});
    default:
      return std::nullopt;
  }
}

/// The state of one script file.
class FileRun {
 public:
  FileRun(const WastOptions& options, std::string file)
      : file_(std::move(file)),
        engine_(options.config),
        store_(engine_),
        components_(engine_, store_, file_) {
    define_spectest();
  }

  Outcome run(const Command& c);

 private:
  struct Compiled {
    std::optional<Module> module;
    std::optional<Error> error;  // compile failure
    decoder::ErrorCode code = decoder::ErrorCode::None;  // decoder/text error code, if any
    bool text_error = false;  // the text itself was rejected: always "malformed"
  };

  Compiled compile(const text::ScriptModule& m);
  Result<Instance> instantiate(const Module& m);
  Result<std::vector<Val>> perform(const text::Action& a);
  std::optional<Instance> instance_named(const std::string& id);
  void define_spectest();

  Outcome module_command(const Command& c);
  Outcome assert_return(const Command& c);
  Outcome assert_trap(const Command& c, bool exhaustion);
  Outcome assert_invalid_or_malformed(const Command& c);
  Outcome assert_link(const Command& c, bool uninstantiable);

  std::string file_;
  Engine engine_;
  Store store_;
  std::map<std::string, Instance> named_;
  std::map<std::string, Module> definitions_;
  std::optional<Instance> current_;
  std::map<std::string, Instance> registry_;
  std::map<std::string, Extern, std::less<>> spectest_;
  ComponentScript components_;
  bool current_is_component_ = false;

  bool is_component_command(const Command& c) const;
};

bool FileRun::is_component_command(const Command& c) const {
  switch (c.kind) {
    case CommandKind::Module:
    case CommandKind::ModuleInstance:
    case CommandKind::AssertInvalid:
    case CommandKind::AssertMalformed:
    case CommandKind::AssertUnlinkable:
    case CommandKind::AssertUninstantiable:
      return c.module.component;
    case CommandKind::AssertTrap:
      if (c.has_module) return c.module.component;
      [[fallthrough]];
    case CommandKind::Action:
    case CommandKind::AssertReturn:
    case CommandKind::AssertExhaustion:
    case CommandKind::AssertException:
      return c.action.module.empty() ? current_is_component_
                                     : components_.has_instance(c.action.module);
    case CommandKind::Register:
      return components_.has_instance(c.instance_id) &&
             (!c.instance_id.empty() || current_is_component_);
  }
  return false;
}

void FileRun::define_spectest() {
  auto def = [&](const char* name, Extern e) { spectest_.emplace(name, e); };
  def("print", func_wrap(store_, [] {}));
  def("print_i32", func_wrap(store_, [](int32_t) {}));
  def("print_i64", func_wrap(store_, [](int64_t) {}));
  def("print_f32", func_wrap(store_, [](float) {}));
  def("print_f64", func_wrap(store_, [](double) {}));
  def("print_i32_f32", func_wrap(store_, [](int32_t, float) {}));
  def("print_f64_f64", func_wrap(store_, [](double, double) {}));
  def("global_i32", *Global::create(store_, {ValType::I32, false}, Val::i32(666)));
  def("global_i64", *Global::create(store_, {ValType::I64, false}, Val::i64(666)));
  def("global_f32", *Global::create(store_, {ValType::F32, false}, Val::f32(666.6f)));
  def("global_f64", *Global::create(store_, {ValType::F64, false}, Val::f64(666.6)));
  def("table", *Table::create(store_, {ValType::FuncRef, {10, 20}}, Val::funcref(std::nullopt)));
  def("memory", *Memory::create(store_, {{1, 2}, false, false}));
}

FileRun::Compiled FileRun::compile(const text::ScriptModule& m) {
  Compiled out;
  auto bin = text::encode_script_module(m, file_);
  if (!bin.ok()) {
    Error e;
    e.kind = ErrorKind::Decode;
    e.message = bin.error().to_string();
    out.error = std::move(e);
    out.code = bin.error().code;
    out.text_error = true;
    return out;
  }
  auto module = Module::from_binary(engine_, *bin, file_);
  if (!module.ok()) {
    out.error = module.error();
    // The API reports messages; the assertion compares codes, so ask the decoder for it.
    decoder::DecodeOptions opts;
    auto d = decoder::decode_module(*bin, opts);
    out.code = d.ok() ? decoder::ErrorCode::None : d.error().code;
    return out;
  }
  out.module = std::move(*module);
  return out;
}

Result<Instance> FileRun::instantiate(const Module& m) {
  std::vector<Extern> imports;
  for (const ImportType& imp : m.imports()) {
    std::optional<Extern> e;
    if (imp.module == "spectest") {
      auto it = spectest_.find(imp.name);
      if (it != spectest_.end()) e = it->second;
    } else if (auto it = registry_.find(imp.module); it != registry_.end()) {
      e = it->second.get_export(store_, imp.name);
    }
    if (!e) {
      return api_error(ErrorKind::Link,
                       "unknown import: `" + imp.module + "::" + imp.name + "`");
    }
    imports.push_back(*e);
  }
  return zinc::instantiate(store_, m, imports);
}

std::optional<Instance> FileRun::instance_named(const std::string& id) {
  if (id.empty()) return current_;
  auto it = named_.find(id);
  if (it == named_.end()) return std::nullopt;
  return it->second;
}

Result<std::vector<Val>> FileRun::perform(const text::Action& a) {
  std::optional<Instance> inst = instance_named(a.module);
  if (!inst) return api_error(ErrorKind::Generic, "no module " + a.module);
  if (a.kind == text::Action::Kind::Get) {
    auto g = inst->get_global(store_, a.name);
    if (!g) return api_error(ErrorKind::Generic, "no global export \"" + a.name + "\"");
    return std::vector<Val>{g->get(store_)};
  }
  auto f = inst->get_func(store_, a.name);
  if (!f) return api_error(ErrorKind::Generic, "no function export \"" + a.name + "\"");
  std::vector<Val> args;
  for (const Value& v : a.args) {
    auto val = to_val(v);
    if (!val) return api_error(ErrorKind::Generic, "unsupported argument " + describe(v));
    args.push_back(*val);
  }
  return f->call(store_, args);
}

Outcome FileRun::module_command(const Command& c) {
  if (c.kind == CommandKind::ModuleInstance) {
    auto it = definitions_.find(c.module_ref);
    if (it == definitions_.end()) return Outcome::fail("unknown module definition " + c.module_ref);
    auto inst = instantiate(it->second);
    if (!inst.ok()) return Outcome::fail("instantiation failed: " + inst.error().message);
    current_ = *inst;
    if (!c.instance_id.empty()) named_.insert_or_assign(c.instance_id, *inst);
    return Outcome::pass();
  }
  Compiled compiled = compile(c.module);
  if (!compiled.module) return Outcome::fail("module failed to compile: " + compiled.error->message);
  if (c.module.definition) {
    if (!c.module.id.empty()) definitions_.insert_or_assign(c.module.id, *compiled.module);
    return Outcome::pass();
  }
  auto inst = instantiate(*compiled.module);
  if (!inst.ok()) return Outcome::fail("instantiation failed: " + inst.error().message);
  current_ = *inst;
  if (!c.module.id.empty()) named_.insert_or_assign(c.module.id, *inst);
  return Outcome::pass();
}

Outcome FileRun::assert_return(const Command& c) {
  auto results = perform(c.action);
  if (!results.ok()) return Outcome::fail("unexpected failure: " + results.error().message);
  if (results->size() != c.expected.size()) {
    return Outcome::fail("expected " + std::to_string(c.expected.size()) + " results, got " +
                         std::to_string(results->size()));
  }
  for (size_t i = 0; i < c.expected.size(); ++i) {
    if (!matches((*results)[i], c.expected[i])) {
      return Outcome::fail("result " + std::to_string(i) + ": expected " +
                           describe(c.expected[i]) + ", got " + describe((*results)[i]));
    }
  }
  return Outcome::pass();
}

Outcome FileRun::assert_trap(const Command& c, bool exhaustion) {
  Error error;
  if (c.has_module) {
    Compiled compiled = compile(c.module);
    if (!compiled.module) return Outcome::fail("module failed to compile: " + compiled.error->message);
    auto inst = instantiate(*compiled.module);
    if (inst.ok()) return Outcome::fail("expected trap \"" + c.message + "\", instantiated");
    error = inst.error();
  } else {
    auto results = perform(c.action);
    if (results.ok()) {
      std::string got;
      for (const Val& v : *results) got += " " + describe(v);
      return Outcome::fail("expected trap \"" + c.message + "\", got" +
                           (got.empty() ? std::string(" no results") : got));
    }
    error = results.error();
  }
  if (error.kind != ErrorKind::Trap || !error.trap) {
    return Outcome::fail("expected trap \"" + c.message + "\", got error: " + error.message);
  }
  const std::string_view phrase = trap_message(error.trap->code);
  if (exhaustion && error.trap->code != TrapCode::StackExhausted) {
    return Outcome::fail("expected stack exhaustion, got trap: " + error.message);
  }
  if (!phrase_matches(phrase, c.message)) {
    return Outcome::fail("expected trap \"" + c.message + "\", got \"" + error.message + "\"");
  }
  return Outcome::pass();
}

Outcome FileRun::assert_invalid_or_malformed(const Command& c) {
  Compiled compiled = compile(c.module);
  const char* what = c.kind == CommandKind::AssertInvalid ? "invalid" : "malformed";
  if (compiled.module) return Outcome::fail(std::string("expected ") + what + " module (\"" +
                                            c.message + "\"), it compiled");
  const bool malformed = compiled.text_error || decoder::is_malformed(compiled.code);
  if (c.kind == CommandKind::AssertInvalid && malformed) {
    return Outcome::fail("expected invalid (\"" + c.message + "\"), got malformed: " +
                         compiled.error->message);
  }
  if (c.kind == CommandKind::AssertMalformed && !malformed) {
    return Outcome::fail("expected malformed (\"" + c.message + "\"), got invalid: " +
                         compiled.error->message);
  }
  if (!code_matches(compiled.code, c.message)) {
    return Outcome::fail("expected \"" + c.message + "\", got \"" + compiled.error->message +
                         "\"");
  }
  return Outcome::pass();
}

Outcome FileRun::assert_link(const Command& c, bool uninstantiable) {
  Compiled compiled = compile(c.module);
  if (!compiled.module) return Outcome::fail("module failed to compile: " + compiled.error->message);
  auto inst = instantiate(*compiled.module);
  if (inst.ok()) return Outcome::fail("expected failure \"" + c.message + "\", instantiated");
  const Error& e = inst.error();
  if (uninstantiable) {
    if (e.kind != ErrorKind::Trap || !e.trap) {
      return Outcome::fail("expected a trap \"" + c.message + "\", got: " + e.message);
    }
    if (!phrase_matches(trap_message(e.trap->code), c.message)) {
      return Outcome::fail("expected \"" + c.message + "\", got \"" + e.message + "\"");
    }
    return Outcome::pass();
  }
  if (e.kind != ErrorKind::Link) {
    return Outcome::fail("expected link error \"" + c.message + "\", got: " + e.message);
  }
  // Our link messages start with the spec's phrase ("unknown import", "incompatible import
  // type").
  const std::string_view phrase =
      e.message.starts_with("unknown import") ? "unknown import" : "incompatible import type";
  if (!phrase_matches(phrase, c.message)) {
    return Outcome::fail("expected \"" + c.message + "\", got \"" + e.message + "\"");
  }
  return Outcome::pass();
}

Outcome FileRun::run(const Command& c) {
  if (is_component_command(c)) {
    std::optional<std::string> failure = components_.run(c);
    // After a component instantiation (even a failed one) actions go to the components.
    if (c.kind == CommandKind::ModuleInstance ||
        (c.kind == CommandKind::Module && !c.module.definition)) {
      current_is_component_ = true;
    }
    return failure ? Outcome::fail(*failure) : Outcome::pass();
  }
  if (c.kind == CommandKind::ModuleInstance ||
      (c.kind == CommandKind::Module && !c.module.definition)) {
    current_is_component_ = false;
  }
  switch (c.kind) {
    case CommandKind::Module:
    case CommandKind::ModuleInstance:
      return module_command(c);
    case CommandKind::Register: {
      std::optional<Instance> inst = instance_named(c.instance_id);
      if (!inst) return Outcome::fail("register: no module " + c.instance_id);
      registry_.insert_or_assign(c.register_name, *inst);
      return Outcome::pass();
    }
    case CommandKind::Action: {
      auto r = perform(c.action);
      if (!r.ok()) return Outcome::fail("action failed: " + r.error().message);
      return Outcome::pass();
    }
    case CommandKind::AssertReturn:
      return assert_return(c);
    case CommandKind::AssertTrap:
      return assert_trap(c, false);
    case CommandKind::AssertExhaustion:
      return assert_trap(c, true);
    case CommandKind::AssertException:
      return Outcome::fail("assert_exception: exception handling is not supported yet");
    case CommandKind::AssertInvalid:
    case CommandKind::AssertMalformed:
      return assert_invalid_or_malformed(c);
    case CommandKind::AssertUnlinkable:
      return assert_link(c, false);
    case CommandKind::AssertUninstantiable:
      return assert_link(c, true);
  }
  return Outcome::fail("unknown command");
}

std::string read_text(const std::string& path, bool* ok) {
  std::ifstream in(path, std::ios::binary);
  *ok = static_cast<bool>(in);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

WastRunner::WastRunner(WastOptions options) : options_(std::move(options)) {}

bool WastRunner::load_expectations(std::string* error) {
  if (options_.expectations.empty()) return true;
  bool ok = false;
  const std::string text = read_text(options_.expectations, &ok);
  if (!ok) {
    *error = "cannot read expectations file " + options_.expectations;
    return false;
  }
  std::istringstream lines(text);
  std::string line;
  int n = 0;
  while (std::getline(lines, line)) {
    ++n;
    if (line.empty() || line[0] == '#') continue;
    const size_t space = line.find(' ');
    const std::string key = line.substr(0, space);
    if (key.find(".wast:") == std::string::npos || space == std::string::npos) {
      *error = options_.expectations + ":" + std::to_string(n) +
               ": expected `file.wast:LINE reason`";
      return false;
    }
    expected_[key] = line.substr(space + 1);
  }
  return true;
}

void WastRunner::run_file(const std::string& path, std::FILE* out) {
  const std::string name = std::filesystem::path(path).filename().string();
  files_run_.insert(name);
  bool ok = false;
  const std::string source = read_text(path, &ok);
  WastTotals file_totals;
  auto record = [&](uint32_t line, const Outcome& o) {
    const std::string key = name + ":" + std::to_string(line);
    auto exp = expected_.find(key);
    if (exp != expected_.end()) seen_.insert(key);
    if (o.kind == Outcome::Skip) {
      ++file_totals.skipped;
      return;
    }
    if (o.kind == Outcome::Pass) {
      if (exp != expected_.end()) {
        ++file_totals.failed;
        ++file_totals.unexpected_passes;
        std::fprintf(out, "%s:%u: UNEXPECTED PASS (listed: %s)\n", path.c_str(), line,
                     exp->second.c_str());
      } else {
        ++file_totals.passed;
      }
      return;
    }
    if (exp != expected_.end()) {
      ++file_totals.passed;
      ++file_totals.expected_failures;
      return;
    }
    ++file_totals.failed;
    std::fprintf(out, "%s:%u: %s\n", path.c_str(), line, o.message.c_str());
  };
  if (!ok) {
    std::fprintf(out, "%s: cannot read file\n", path.c_str());
    ++totals_.failed;
    return;
  }
  auto script = text::parse_wast(source, path);
  if (!script.ok()) {
    record(script.error().pos.line, Outcome::fail("script does not parse: " +
                                                  script.error().to_string()));
  } else {
    FileRun run(options_, name);
    for (const Command& c : script->commands) record(c.line, run.run(c));
  }
  if (!options_.quiet) {
    std::fprintf(out, "%s: %" PRIu64 " passed, %" PRIu64 " failed", path.c_str(),
                 file_totals.passed, file_totals.failed);
    if (file_totals.expected_failures != 0) {
      std::fprintf(out, " (%" PRIu64 " expected failures)", file_totals.expected_failures);
    }
    std::fprintf(out, "\n");
  }
  totals_.passed += file_totals.passed;
  totals_.failed += file_totals.failed;
  totals_.skipped += file_totals.skipped;
  totals_.expected_failures += file_totals.expected_failures;
  totals_.unexpected_passes += file_totals.unexpected_passes;
}

void WastRunner::finish(std::FILE* out) {
  for (const auto& [key, reason] : expected_) {
    const std::string file = key.substr(0, key.find(':'));
    if (files_run_.count(file) != 0 && seen_.count(key) == 0) {
      std::fprintf(out, "%s: listed in the expectations but no command ran there (%s)\n",
                   key.c_str(), reason.c_str());
      ++totals_.failed;
    }
  }
}

}  // namespace zinc::cli
