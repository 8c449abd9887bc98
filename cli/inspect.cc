// cli/inspect.cc: `zinc inspect FILE`.
//
// Prints what a module contains, in Zinc's own readable format (the information of
// `wasm-objdump -h -x`): the section table with payload offsets and sizes, types, imports,
// functions with body offsets/sizes and names from the `name` section, tables, memories,
// globals, exports, start, segments and custom sections. A structurally sound but invalid module
// is still shown (decoded without validation) with a note; a malformed one is an error (exit 1).
// A component is recognised and its top-level sections listed (component_info.cc). A text module
// (not starting with `\0asm`, first token `(`) is encoded first and its encoding shown; malformed
// text is an error printed as `FILE:LINE:COL: message` (exit 1).
#include <cinttypes>
#include <cstdio>
#include <span>
#include <string>
#include <string_view>

#include "cli/commands.h"
#include "cli/component_info.h"
#include "cli/file_io.h"
#include "decoder/decode.h"
#include "decoder/reader.h"
#include "decoder/text/wat_parser.h"

namespace zinc::cli {
namespace {

using decoder::ExternKind;
using decoder::Module;
using decoder::SectionId;

struct InspectOptions {
  std::string file;
  bool sections_only = false;
};

std::string types_string(const std::vector<decoder::ValType>& types) {
  std::string s = "(";
  for (size_t i = 0; i < types.size(); ++i) {
    if (i) s += ", ";
    s += decoder::to_string(types[i]);
  }
  return s + ")";
}

std::string func_type_string(const Module& m, uint32_t type_index) {
  std::string s = "type[" + std::to_string(type_index) + "]";
  if (type_index < m.types.size()) {
    const decoder::FuncType& ft = m.types[type_index].func;
    s += " " + types_string(ft.params) + " -> " + types_string(ft.results);
  }
  return s;
}

std::string limits_string(const decoder::Limits& l) {
  std::string s = "min " + std::to_string(l.min);
  if (l.has_max) s += ", max " + std::to_string(l.max);
  if (l.shared) s += ", shared";
  if (l.is64) s += ", 64-bit";
  return s;
}

/// Entry count of a non-custom section (the leading u32), or the index for start / data count.
std::string section_summary(const Module& m, const decoder::SectionInfo& s) {
  if (s.id == SectionId::Custom) return "\"" + s.custom_name + "\"";
  decoder::Reader r(m.bytes.data() + s.payload.offset, m.bytes.data() + s.payload.end(),
                    s.payload.offset);
  uint32_t n = r.u32();
  if (!r.ok()) return "";
  if (s.id == SectionId::Start) return "func[" + std::to_string(n) + "]";
  return std::to_string(n) + (n == 1 ? " entry" : " entries");
}

void print_sections(const Module& m) {
  std::printf("\nSections (%zu):\n  %-10s %-10s %-10s %-12s %s\n", m.sections.size(), "start",
              "end", "size", "section", "contents");
  for (const decoder::SectionInfo& s : m.sections) {
    std::printf("  0x%08" PRIx32 " 0x%08" PRIx32 " %-10" PRIu32 " %-12s %s\n", s.payload.offset,
                s.payload.end(), s.payload.size, decoder::section_name(s.id),
                section_summary(m, s).c_str());
  }
}

void print_types_and_imports(const Module& m) {
  if (!m.types.empty()) std::printf("\nTypes (%zu):\n", m.types.size());
  for (uint32_t i = 0; i < m.types.size(); ++i) {
    std::printf("  %s\n", func_type_string(m, i).c_str());
  }
  if (!m.imports.empty()) std::printf("\nImports (%zu):\n", m.imports.size());
  for (const decoder::Import& im : m.imports) {
    std::string what;
    switch (im.kind) {
      case ExternKind::Func:
        if (im.index < m.funcs.size()) what = func_type_string(m, m.funcs[im.index].type_index);
        break;
      case ExternKind::Table:
        if (im.index < m.tables.size()) {
          what = decoder::to_string(m.tables[im.index].elem) + ", " +
                 limits_string(m.tables[im.index].limits);
        }
        break;
      case ExternKind::Memory:
        if (im.index < m.memories.size()) what = limits_string(m.memories[im.index].limits);
        break;
      case ExternKind::Global:
        if (im.index < m.globals.size()) {
          const decoder::GlobalType& g = m.globals[im.index].type;
          what = std::string(g.mut ? "mut " : "") + decoder::to_string(g.type);
        }
        break;
      case ExternKind::Tag:
        break;
    }
    std::printf("  %s[%" PRIu32 "] %s.%s: %s\n", decoder::to_string(im.kind), im.index,
                im.module.c_str(), im.name.c_str(), what.c_str());
  }
}

void print_functions(const Module& m) {
  uint64_t code_bytes = 0;
  for (const decoder::FunctionBody& b : m.bodies) code_bytes += b.range.size;
  std::printf("\nFunctions (%zu: %" PRIu32 " imported, %" PRIu32 " defined, %" PRIu64
              " bytes of bodies):\n",
              m.funcs.size(), m.num_imported_funcs, m.num_defined_funcs(), code_bytes);
  for (const decoder::FunctionBody& b : m.bodies) {
    std::string name(m.func_name(b.func_index));
    std::string type = b.func_index < m.funcs.size()
                           ? func_type_string(m, m.funcs[b.func_index].type_index)
                           : std::string("?");
    std::printf("  func[%" PRIu32 "]%s%s%s %s\n    body 0x%08" PRIx32 " size %" PRIu32 ", %" PRIu32
                " locals, max stack %" PRIu32 ", max depth %" PRIu32 "\n",
                b.func_index, name.empty() ? "" : " \"", name.c_str(), name.empty() ? "" : "\"",
                type.c_str(), b.range.offset, b.range.size, b.num_locals, b.max_stack_height,
                b.max_control_depth);
  }
}

void print_tables_memories_globals(const Module& m) {
  if (!m.tables.empty()) std::printf("\nTables (%zu):\n", m.tables.size());
  for (uint32_t i = 0; i < m.tables.size(); ++i) {
    std::printf("  table[%" PRIu32 "] %s, %s%s\n", i, decoder::to_string(m.tables[i].elem).c_str(),
                limits_string(m.tables[i].limits).c_str(),
                i < m.num_imported_tables ? " (imported)" : "");
  }
  if (!m.memories.empty()) std::printf("\nMemories (%zu):\n", m.memories.size());
  for (uint32_t i = 0; i < m.memories.size(); ++i) {
    std::printf("  memory[%" PRIu32 "] pages %s%s\n", i,
                limits_string(m.memories[i].limits).c_str(),
                i < m.num_imported_memories ? " (imported)" : "");
  }
  if (!m.globals.empty()) std::printf("\nGlobals (%zu):\n", m.globals.size());
  for (uint32_t i = 0; i < m.globals.size(); ++i) {
    const decoder::Global& g = m.globals[i];
    std::printf("  global[%" PRIu32 "] %s%s%s\n", i, g.type.mut ? "mut " : "",
                decoder::to_string(g.type.type).c_str(), g.imported ? " (imported)" : "");
  }
}

const char* mode_name(decoder::SegmentMode mode) {
  switch (mode) {
    case decoder::SegmentMode::Active:
      return "active";
    case decoder::SegmentMode::Passive:
      return "passive";
    case decoder::SegmentMode::Declarative:
      return "declarative";
  }
  return "?";
}

void print_exports_and_segments(const Module& m) {
  if (!m.exports.empty()) std::printf("\nExports (%zu):\n", m.exports.size());
  for (const decoder::Export& e : m.exports) {
    std::printf("  \"%s\" -> %s[%" PRIu32 "]\n", e.name.c_str(), decoder::to_string(e.kind),
                e.index);
  }
  if (m.start) std::printf("\nStart: func[%" PRIu32 "]\n", *m.start);
  if (!m.elems.empty()) std::printf("\nElement segments (%zu):\n", m.elems.size());
  for (uint32_t i = 0; i < m.elems.size(); ++i) {
    const decoder::ElemSegment& e = m.elems[i];
    std::printf("  elem[%" PRIu32 "] %s", i, mode_name(e.mode));
    if (e.mode == decoder::SegmentMode::Active) std::printf(" table[%" PRIu32 "]", e.table_index);
    std::printf(", %" PRIu32 " x %s\n", e.size(), decoder::to_string(e.type).c_str());
  }
  if (!m.datas.empty()) std::printf("\nData segments (%zu):\n", m.datas.size());
  for (uint32_t i = 0; i < m.datas.size(); ++i) {
    const decoder::DataSegment& d = m.datas[i];
    std::printf("  data[%" PRIu32 "] %s", i, mode_name(d.mode));
    if (d.mode == decoder::SegmentMode::Active) std::printf(" memory[%" PRIu32 "]", d.memory_index);
    std::printf(", %" PRIu32 " bytes at 0x%08" PRIx32 "\n", d.bytes.size, d.bytes.offset);
  }
}

void print_customs_and_names(const Module& m) {
  if (!m.customs.empty()) std::printf("\nCustom sections (%zu):\n", m.customs.size());
  for (const decoder::CustomSection& c : m.customs) {
    std::printf("  \"%s\": %" PRIu32 " bytes at 0x%08" PRIx32 "\n", c.name.c_str(), c.payload.size,
                c.payload.offset);
  }
  const decoder::NameSection& n = m.names;
  if (n.module_name || !n.function_names.empty() || !n.local_names.empty()) {
    std::printf("\nName section: module %s, %zu function names, local names for %zu functions\n",
                n.module_name ? ("\"" + *n.module_name + "\"").c_str() : "(unnamed)",
                n.function_names.size(), n.local_names.size());
  }
}

int inspect_file(const InspectOptions& opts) {
  auto bytes = read_whole_file(opts.file);
  if (!bytes) {
    std::fprintf(stderr, "%s\n", bytes.error().message.c_str());
    return kExitFailure;
  }
  if (looks_like_component_text(*bytes)) {
    bytes = to_binary(opts.file, std::move(*bytes));
    if (!bytes) {
      std::fprintf(stderr, "%s\n", bytes.error().message.c_str());
      return kExitFailure;
    }
  }
  std::span<const uint8_t> span(bytes->data(), bytes->size());
  const bool from_text = decoder::text::looks_like_text_module(span);
  if (from_text) {
    std::string_view text(reinterpret_cast<const char*>(span.data()), span.size());
    auto encoded = decoder::text::wat_to_binary(text, opts.file);
    if (!encoded) {
      std::fprintf(stderr, "%s\n", encoded.error().to_string().c_str());
      return kExitFailure;
    }
    *bytes = std::move(*encoded);
    span = std::span<const uint8_t>(bytes->data(), bytes->size());
  }
  if (decoder::detect_binary_kind(span) == decoder::BinaryKind::Component) {
    return print_component_sections(opts.file, span);
  }
  auto module = decoder::decode_module(span);
  if (!module) {
    decoder::Error error = module.error();
    decoder::DecodeOptions structure_only;
    structure_only.validate = false;
    module = decoder::decode_module(span, structure_only);
    if (!module) {
      std::fprintf(stderr, "%s: 0x%zx: %s\n", opts.file.c_str(), error.offset,
                   error.message().c_str());
      return kExitFailure;
    }
    std::fprintf(stderr, "%s: note: module is invalid: 0x%zx: %s%s\n", opts.file.c_str(),
                 error.offset, error.message().c_str(),
                 error.func_index == decoder::Error::kNoFunc
                     ? ""
                     : (" (in function " + std::to_string(error.func_index) + ")").c_str());
  }
  const Module& m = **module;
  std::printf("%s: WebAssembly module, version 1, %zu bytes%s\n", opts.file.c_str(), m.bytes.size(),
              from_text ? " (encoded from text)" : "");
  print_sections(m);
  if (!opts.sections_only) {
    print_types_and_imports(m);
    print_functions(m);
    print_tables_memories_globals(m);
    print_exports_and_segments(m);
    print_customs_and_names(m);
  }
  std::fflush(stdout);
  return kExitOk;
}

}  // namespace

void add_inspect_command(CLI::App& app, int* status) {
  auto opts = std::make_shared<InspectOptions>();
  CLI::App* cmd = app.add_subcommand("inspect", "Show the sections and contents of a module");
  cmd->add_option("file", opts->file,
                  "Module or component file (.wasm, or a .wat text module); '-' reads stdin")
      ->required();
  cmd->add_flag("-s,--sections", opts->sections_only, "Show only the section table");
  cmd->footer(
      "Lists sections (payload offsets and sizes), types, imports, functions with body\n"
      "offsets and sizes and their names from the 'name' section, tables, memories, globals,\n"
      "exports, segments and custom sections. For a component, lists its top-level sections.\n"
      "A text module (WAT) is encoded to binary first and its encoding shown; malformed text\n"
      "is reported as 'FILE:LINE:COL: message'.\n\n"
      "Exit status: 0 shown (an invalid but well-formed module is shown with a note);\n"
      "1 malformed or unreadable; 2 usage error.");
  cmd->callback([opts, status] { *status = inspect_file(*opts); });
}

}  // namespace zinc::cli
