// tests/component/ctext_dump.cc: writes every component of a WAST script as a standalone .wat
// and its encoding by component/text, for compare_jco.py (the byte comparison with
// wasm-tools' encoder as shipped in jco).
//
// Usage: ctext_dump FILE.wast OUTDIR. For the k-th `(component ...)` of the script (text or
// quote form) it writes OUTDIR/k.wat and either OUTDIR/k.wasm or OUTDIR/k.err (the error), and
// prints one line "k LINE COMMAND" per component (COMMAND: module, assert_invalid, ...).
// Component values of the script that do not parse are reported on stderr.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "component/text/values.h"
#include "decoder/text/wast.h"

namespace {

const char* command_name(zinc::decoder::text::CommandKind k) {
  using K = zinc::decoder::text::CommandKind;
  switch (k) {
    case K::AssertInvalid:
      return "assert_invalid";
    case K::AssertMalformed:
      return "assert_malformed";
    case K::AssertUnlinkable:
      return "assert_unlinkable";
    case K::AssertTrap:
      return "assert_trap";
    default:
      return "module";
  }
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 3) {
    std::cerr << "usage: ctext_dump FILE.wast OUTDIR\n";
    return 2;
  }
  std::ifstream in(argv[1], std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  std::string src = ss.str();
  auto script = zinc::decoder::text::parse_wast(src, argv[1]);
  if (!script) {
    std::cerr << script.error().to_string() << "\n";
    return 1;
  }
  std::string out = argv[2];
  int k = 0;
  // Every component value of the script's actions and results must parse (stderr otherwise).
  for (const auto& c : script->commands) {
    for (const auto* values : {&c.action.args, &c.expected}) {
      for (const auto& v : *values) {
        if (v.kind != zinc::decoder::text::Value::Kind::Component) continue;
        auto val = zinc::component::text::script_value(v, argv[1]);
        if (!val) std::cerr << "value: " << val.error().to_string() << "\n";
      }
    }
  }
  for (const auto& c : script->commands) {
    if (!c.has_module || !c.module.component) continue;
    if (c.module.format == zinc::decoder::text::ModuleFormat::Binary) continue;
    std::string wat =
        "(component " +
        (c.module.format == zinc::decoder::text::ModuleFormat::Text ? c.module.id + " "
                                                                    : std::string()) +
        c.module.text + ")\n";
    std::ofstream(out + "/" + std::to_string(k) + ".wat", std::ios::binary) << wat;
    auto bytes = zinc::component::text::encode_script_component(c.module, argv[1]);
    if (bytes) {
      std::ofstream(out + "/" + std::to_string(k) + ".wasm", std::ios::binary)
          .write(reinterpret_cast<const char*>(bytes->data()),
                 static_cast<std::streamsize>(bytes->size()));
    } else {
      std::ofstream(out + "/" + std::to_string(k) + ".err") << bytes.error().to_string() << "\n";
    }
    std::cout << k << " " << c.line << " " << command_name(c.kind) << "\n";
    ++k;
  }
  return 0;
}
