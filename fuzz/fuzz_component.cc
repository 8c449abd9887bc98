// fuzz/fuzz_component.cc: libFuzzer target for component binary decoding and validation
// (component/decode.h).
//
// Every input goes through decode_component with a fresh TypeTable. A finding is a crash, a
// hang, a leak, a sanitizer report (ASan + UBSan), an allocation beyond libFuzzer's limits, or
// a broken IR invariant of a component that validated: every definition's offset lies inside
// the input, every index-space entry points at an existing definition (or none), nested
// components lie inside their parent, and the component type lists each import and export.
// Seeds: fuzz/corpus_component/ (make them with tests/component/make_fixtures.py).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <span>
#include <vector>

#include "component/decode.h"

namespace {

using namespace zinc::component;

[[noreturn]] void invariant_broken(const char* what) {
  std::fprintf(stderr, "fuzz_component: IR invariant broken: %s\n", what);
  std::abort();
}

template <typename T>
void check_space(const std::vector<IndexEntry<T>>& space, const ComponentIR& c) {
  for (const auto& e : space) {
    if (e.def != kNoDef && e.def >= c.definitions.size()) {
      invariant_broken("index entry names a missing definition");
    }
  }
}

void check(const ComponentIR& c, size_t input_size) {
  // An explicit worklist: nested components may be deep.
  std::vector<const ComponentIR*> work{&c};
  while (!work.empty()) {
    const ComponentIR* x = work.back();
    work.pop_back();
    if (x->offset + x->size > input_size) invariant_broken("component outside the input");
    if (x->type == nullptr) invariant_broken("component without a type");
    if (x->type->imports.items.size() != x->imports.size()) {
      invariant_broken("import count differs from the component type");
    }
    if (x->type->exports.items.size() != x->exports.size()) {
      invariant_broken("export count differs from the component type");
    }
    for (const Definition& d : x->definitions) {
      if (d.offset >= input_size) invariant_broken("definition offset outside the input");
      if (const auto* nested = std::get_if<ComponentDef>(&d.def)) {
        if (nested->component->offset < x->offset)
          invariant_broken("nested component before parent");
        work.push_back(nested->component.get());
      }
    }
    const IndexSpaces& s = x->spaces;
    check_space(s.core_funcs, *x);
    check_space(s.core_tables, *x);
    check_space(s.core_memories, *x);
    check_space(s.core_globals, *x);
    check_space(s.core_types, *x);
    check_space(s.core_modules, *x);
    check_space(s.core_instances, *x);
    check_space(s.funcs, *x);
    check_space(s.types, *x);
    check_space(s.components, *x);
    check_space(s.instances, *x);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  TypeTable types;
  auto c = decode_component(std::span<const uint8_t>(data, size), types);
  if (!c) {
    if (c.error().message.empty() && c.error().code != ErrorCode::CoreMalformed) {
      invariant_broken("error without a message");
    }
    return 0;
  }
  check(*c.value(), size);
  return 0;
}
