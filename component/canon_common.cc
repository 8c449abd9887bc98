// component/canon_common.cc: what every part of the Canonical ABI shares: trap messages
// (canon_traps.def), the LiftLowerContext (realloc calls, sticky errors, the host allocation
// budget) and type layout helpers. The adapters to runtime objects are in canon_vm.cc.
// Spec: CanonicalABI.md "Lifting and Lowering Context", "Alignment", "Element Size".
#include <algorithm>

#include "component/canon.h"
#include "vm/runtime.h"

namespace zinc::component::canon {

namespace {

struct TrapText {
  const char* host;
  const char* component;
};

constexpr TrapText kTrapTexts[] = {
#define C(Name, host, component) {host, component},
#include "component/canon_traps.def"
#undef C
};

}  // namespace

std::string trap_text(TrapKind k, Boundary b, std::initializer_list<std::string_view> args) {
  const TrapText& t = kTrapTexts[static_cast<size_t>(k)];
  const std::string_view fmt = b == Boundary::Host ? t.host : t.component;
  std::string s;
  s.reserve(fmt.size() + 16);
  auto arg = args.begin();
  for (size_t i = 0; i < fmt.size(); ++i) {
    if (fmt[i] == '{' && i + 1 < fmt.size() && fmt[i + 1] == '}') {
      if (arg != args.end()) s += *arg++;
      ++i;
    } else {
      s += fmt[i];
    }
  }
  return s;
}

Error trap_error(TrapKind k, Boundary b, std::initializer_list<std::string_view> args) {
  return vm::trap_error(TrapCode::ComponentTrap, {}, trap_text(k, b, args));
}

const char* encoding_name(StringEncoding e) {
  switch (e) {
    case StringEncoding::Utf8:
      return "utf8";
    case StringEncoding::Utf16:
      return "utf16";
    case StringEncoding::Latin1Utf16:
      return "latin1+utf16";
  }
  return "?";
}

// ---- LiftLowerContext ----

// definitions.py: LiftLowerContext.reallocate (allocate is reallocate(0, 0, ...)). The realloc
// runs with may_leave cleared, so it cannot call imports; restored on every path.
bool LiftLowerContext::reallocate(uint32_t old_ptr, uint32_t old_size, uint32_t alignment,
                                  uint32_t new_size, uint32_t* out) {
  if (!opts.realloc) return trap(TrapKind::ReallocMissing);
  const bool saved = inst ? inst->may_leave : true;
  if (inst) inst->may_leave = false;
  Result<uint32_t> r = opts.realloc(old_ptr, old_size, alignment, new_size);
  if (inst) inst->may_leave = saved;
  if (!r) return fail(r.error());
  *out = *r;
  return true;
}

bool LiftLowerContext::trap(TrapKind k, std::initializer_list<std::string_view> args) {
  if (!error_) error_ = std::make_unique<Error>(trap_error(k, boundary, args));
  return false;
}

bool LiftLowerContext::fail(Error e) {
  if (!error_) error_ = std::make_unique<Error>(std::move(e));
  return false;
}

Error LiftLowerContext::take_error() {
  Error e = error_ ? std::move(*error_) : Error{};
  error_.reset();
  return e;
}

bool LiftLowerContext::charge(uint64_t bytes) {
  if (bytes > host_budget) {
    return trap(TrapKind::HostValueTooLarge, {std::to_string(host_budget)});
  }
  host_budget -= bytes;
  return true;
}

// ---- layout ----

// definitions.py: max_case_alignment
uint32_t max_case_alignment(const ValType& variant) {
  uint32_t a = 1;
  for (const Case& c : variant.cases) {
    if (c.type != nullptr) a = std::max(a, c.type->align);
  }
  return a;
}

uint32_t variant_payload_offset(const ValType& variant) {
  return static_cast<uint32_t>(align_to(variant.discriminant_size(), max_case_alignment(variant)));
}

// definitions.py: alignment_record / elem_size_record of despecialize(TupleType(ts))
TupleLayout tuple_layout(std::span<const TypeRef> ts) {
  TupleLayout l;
  uint64_t s = 0;
  for (TypeRef t : ts) {
    l.align = std::max(l.align, t->align);
    s = align_to(s, t->align);
    l.offsets.push_back(static_cast<uint32_t>(s));
    s += t->size;
  }
  l.size = static_cast<uint32_t>(std::min<uint64_t>(align_to(s, l.align), UINT32_MAX));
  return l;
}

size_t flat_count_slow(std::span<const TypeRef> ts) {
  size_t n = 0;
  for (TypeRef t : ts) {
    n += t->flat.size();
    if (n > kMaxFlatParams) return kMaxFlatParams + 1;
  }
  return n;
}

FuncTypes::FuncTypes(const FuncType& ft) {
  params.reserve(ft.params.size());
  for (const Field& p : ft.params) params.push_back(p.type);
  if (ft.result != nullptr) results.push_back(ft.result);
}

}  // namespace zinc::component::canon
