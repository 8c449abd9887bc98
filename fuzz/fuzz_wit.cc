// fuzz/fuzz_wit.cc: libFuzzer target for the WIT parser and resolver (component/wit/).
//
// Every input is parsed (`parse_only`) and resolved as one WIT file (`Resolve::add_source`);
// after a successful resolution every interface's and world's functions and types are printed
// back (`to_wit`, `to_string`). A finding is any crash, hang, leak or sanitizer report; WIT
// errors are expected results. Invariants checked: an error starts with "fuzz.wit:LINE:COL: ",
// parsing and resolving agree on syntax errors, a failed resolution leaves no package behind,
// every resolved function's interned type has one parameter per WIT parameter, and the resolved
// packages printed back to WIT (`to_wit`) resolve again to the same functions.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "component/wit/wit.h"

namespace {

namespace wit = zinc::component::wit;

[[noreturn]] void invariant_broken(const char* what) {
  std::fprintf(stderr, "fuzz_wit: invariant broken: %s\n", what);
  std::abort();
}

// "fuzz.wit:LINE:COL: message" with positive LINE and COL.
void check_error(const std::string& m) {
  constexpr std::string_view kFile = "fuzz.wit:";
  if (!std::string_view(m).starts_with(kFile)) invariant_broken("error without the file name");
  size_t i = kFile.size();
  for (int part = 0; part < 2; ++part) {
    const size_t start = i;
    while (i < m.size() && m[i] >= '0' && m[i] <= '9') ++i;
    if (i == start || m[start] == '0' || i >= m.size() || m[i] != ':') {
      invariant_broken("error without line:col");
    }
    ++i;
  }
}

void check_function(const wit::Function& f) {
  (void)wit::to_wit(f);
  if (f.type == nullptr || f.type->params.size() != f.params.size()) {
    invariant_broken("interned function type does not match its WIT parameters");
  }
  (void)zinc::component::to_string(*f.type);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  auto parsed = wit::parse_only("fuzz.wit", text);
  if (!parsed.ok()) check_error(parsed.error().message);

  zinc::component::TypeTable table;
  wit::Features features;
  features.all = size > 0 && (data[0] & 1);
  wit::Resolve r(table, features);
  auto resolved = r.add_source("fuzz.wit", text);
  if (!resolved.ok()) {
    check_error(resolved.error().message);
    if (!r.packages().empty()) invariant_broken("a failed resolution left a package behind");
    return 0;
  }
  if (!parsed.ok()) invariant_broken("resolved a file that does not parse");
  for (const wit::Package& p : r.packages()) {
    for (const wit::Interface* i : p.interfaces) {
      for (const wit::TypeDef* t : i->types) (void)zinc::component::to_string(t->type->interned);
      for (const wit::Function& f : i->functions) check_function(f);
    }
    for (const wit::World* w : p.worlds) {
      for (const auto* items : {&w->imports, &w->exports}) {
        for (const wit::WorldItem& item : *items) {
          if (item.func) check_function(*item.func);
          if (item.iface) {
            for (const wit::Function& f : item.iface->functions) check_function(f);
          }
        }
      }
    }
  }
  // Printed back to WIT, the packages must resolve again to the same function types.
  std::vector<wit::Resolve::SourceGroup> groups;
  for (const wit::Package& p : r.packages()) {
    groups.push_back({{"fuzz.wit", wit::to_wit(p)}});
  }
  zinc::component::TypeTable table2;
  wit::Resolve again(table2, features);
  auto reloaded = again.add_groups(groups);
  if (!reloaded.ok()) {
    std::fprintf(stderr, "%s\n", reloaded.error().message.c_str());
    invariant_broken("printed WIT does not resolve again");
  }
  for (const wit::Package& p : r.packages()) {
    for (const wit::Interface* i : p.interfaces) {
      const wit::Interface* j = again.find_interface(i->full_name());
      if (!j || j->functions.size() != i->functions.size()) {
        invariant_broken("printed interface differs");
      }
      for (size_t k = 0; k < i->functions.size(); ++k) {
        if (wit::to_wit(i->functions[k]) != wit::to_wit(j->functions[k])) {
          invariant_broken("printed function differs");
        }
      }
    }
  }
  return 0;
}
