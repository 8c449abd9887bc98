// component/canon_resource.cc: resource handles -- handle tables, own/borrow rules, borrow
// scopes (Task, Subtask), instance entry flags and the resource.new/drop/rep built-ins
// (definitions.py "Table State", "Resource State", ComponentInstance, canon_resource_*).
//
// Invariants: a trap check that the spec makes after removing a handle is made before, so a
// trapping call leaves every table as it was; a borrow handle never outlives its Task (the
// Task's destructor removes what a trap left behind); a lent handle (num_lends > 0) cannot be
// removed, so the indices a Subtask keeps stay valid until it releases them.
// Spec: CanonicalABI.md "Runtime State", "canon resource.new", "canon resource.drop",
// "canon resource.rep".
#include "component/canon.h"

namespace zinc::component::canon {

// ---- HandleTable (definitions.py: Table) ----

ResourceHandle* HandleTable::get(uint32_t i) {
  if (i >= array_.size() || !array_[i].used) return nullptr;
  return &array_[i].h;
}

std::optional<uint32_t> HandleTable::add(const ResourceHandle& h) {
  uint32_t i;
  if (!free_.empty()) {
    i = free_.back();
    free_.pop_back();
  } else {
    if (array_.size() > kMaxLength) return std::nullopt;
    i = static_cast<uint32_t>(array_.size());
    array_.emplace_back();
  }
  array_[i].used = true;
  array_[i].h = h;
  return i;
}

ResourceHandle HandleTable::remove(uint32_t i) {
  ResourceHandle h = array_[i].h;
  array_[i] = Slot{};
  free_.push_back(i);
  return h;
}

// ---- ResourceRegistry ----

void ResourceRegistry::define(const ResourceType* rt, InstanceState* impl, DtorFn dtor) {
  map_[rt] = ResourceImpl{impl, std::move(dtor)};
}

const ResourceImpl* ResourceRegistry::find(const ResourceType* rt) const {
  auto it = map_.find(rt);
  return it == map_.end() ? nullptr : &it->second;
}

// ---- InstanceState (definitions.py: ComponentInstance) ----

namespace {

bool is_self_or_ancestor(const InstanceState* of, const InstanceState* x) {
  for (const InstanceState* p = of; p != nullptr; p = p->parent) {
    if (p == x) return true;
  }
  return false;
}

}  // namespace

// definitions.py: ComponentInstance.may_enter_from (over entering_set)
bool InstanceState::may_enter_from(const InstanceState* caller) const {
  for (const InstanceState* p = this; p != nullptr; p = p->parent) {
    if (!is_self_or_ancestor(caller, p) && !p->may_enter) return false;
  }
  return true;
}

// definitions.py: ComponentInstance.enter_from
void InstanceState::enter_from(const InstanceState* caller) {
  for (InstanceState* p = this; p != nullptr; p = p->parent) {
    if (!is_self_or_ancestor(caller, p)) p->may_enter = false;
  }
  saved_context.push_back({context[0], context[1]});
  context[0] = context[1] = 0;
}

// definitions.py: ComponentInstance.leave_to
void InstanceState::leave_to(const InstanceState* caller) {
  for (InstanceState* p = this; p != nullptr; p = p->parent) {
    if (!is_self_or_ancestor(caller, p)) p->may_enter = true;
  }
  if (!saved_context.empty()) {
    context[0] = saved_context.back()[0];
    context[1] = saved_context.back()[1];
    saved_context.pop_back();
  }
}

bool InstanceState::implements(const ResourceType* rt) const {
  const ResourceImpl* r = resources ? resources->find(rt) : nullptr;
  return r != nullptr && r->impl == this;
}

// ---- Task and Subtask ----

Task::~Task() {
  if (num_borrows == 0) return;
  // A trap unwound the call: its borrows go with it.
  std::vector<uint32_t> dead;
  inst->handles.for_each([&](uint32_t i, ResourceHandle& h) {
    if (!h.own && h.borrow_scope == this) dead.push_back(i);
  });
  for (uint32_t i : dead) inst->handles.remove(i);
}

// definitions.py: Task.return_
bool Task::return_(Boundary b, Error* error) const {
  if (num_borrows > 0) {
    *error = trap_error(TrapKind::BorrowsRemain, b);
    return false;
  }
  return true;
}

// definitions.py: Subtask.add_lender
void Subtask::add_lender(uint32_t handle_index) {
  ResourceHandle* h = inst->handles.get(handle_index);
  if (h == nullptr) return;
  ++h->num_lends;
  lenders_.push_back(handle_index);
}

// definitions.py: Subtask.deliver_resolve
void Subtask::deliver_resolve() {
  for (uint32_t i : lenders_) {
    ResourceHandle* h = inst->handles.get(i);
    if (h != nullptr && h->num_lends > 0) --h->num_lends;
  }
  lenders_.clear();
}

// ---- handle helpers of lifting and lowering ----

const char* resource_definer(const InstanceState& inst, const ResourceType* rt) {
  const ResourceImpl* r = inst.resources ? inst.resources->find(rt) : nullptr;
  return r != nullptr && r->impl != nullptr ? "guest-defined" : "host-defined";
}

namespace {

// Table.get plus the type check shared by lift_own, lift_borrow and the built-ins.
template <class Trap>
ResourceHandle* checked_get(InstanceState& inst, uint32_t i, const ResourceType* rt, Trap trap) {
  ResourceHandle* h = inst.handles.get(i);
  if (h == nullptr) {
    trap(TrapKind::UnknownHandle, std::to_string(i), {}, {});
    return nullptr;
  }
  if (h->rt != rt) {
    trap(TrapKind::HandleWrongType, std::to_string(i), resource_definer(inst, rt),
         resource_definer(inst, h->rt));
    return nullptr;
  }
  return h;
}

auto cx_trap(Cx& cx) {
  return [&cx](TrapKind k, const std::string& a, std::string_view b, std::string_view c) {
    cx.trap(k, {a, b, c});
  };
}

}  // namespace

// definitions.py: lift_own (on any instance's table)
bool take_own(Cx& cx, InstanceState& inst, uint32_t i, const ResourceType* rt, uint32_t* rep) {
  ResourceHandle* h = checked_get(inst, i, rt, cx_trap(cx));
  if (h == nullptr) return false;
  if (h->num_lends != 0) return cx.trap(TrapKind::HandleLent);
  if (!h->own) return cx.trap(TrapKind::HandleNotOwned, {std::to_string(i)});
  *rep = h->rep;
  inst.handles.remove(i);
  return true;
}

// definitions.py: lift_borrow (on any instance's table)
bool take_borrow(Cx& cx, InstanceState& inst, Subtask* scope, uint32_t i, const ResourceType* rt,
                 uint32_t* rep) {
  ResourceHandle* h = checked_get(inst, i, rt, cx_trap(cx));
  if (h == nullptr) return false;
  *rep = h->rep;
  if (scope != nullptr) scope->add_lender(i);
  return true;
}

bool add_handle(Cx& cx, InstanceState& inst, const ResourceHandle& h, uint32_t* out) {
  std::optional<uint32_t> i = inst.handles.add(h);
  if (!i) return cx.trap(TrapKind::TableFull);
  if (!h.own && h.borrow_scope != nullptr) ++h.borrow_scope->num_borrows;
  *out = *i;
  return true;
}

// ---- the built-ins ----

namespace {

auto error_trap(Error* e) {
  return [e](TrapKind k, const std::string& a, std::string_view b, std::string_view c) {
    *e = trap_error(k, Boundary::Component, {a, b, c});
  };
}

}  // namespace

// definitions.py: canon_resource_new
Result<uint32_t> canon_resource_new(InstanceState& inst, const ResourceType* rt, uint32_t rep) {
  if (!inst.may_leave) return unexpected(trap_error(TrapKind::CannotLeave, Boundary::Component));
  ResourceHandle h;
  h.rt = rt;
  h.rep = rep;
  h.own = true;
  std::optional<uint32_t> i = inst.handles.add(h);
  if (!i) return unexpected(trap_error(TrapKind::TableFull, Boundary::Component));
  return *i;
}

// definitions.py: canon_resource_drop
Result<void> canon_resource_drop(InstanceState& inst, const ResourceType* rt, uint32_t i) {
  if (!inst.may_leave) return unexpected(trap_error(TrapKind::CannotLeave, Boundary::Component));
  Error e;
  ResourceHandle* h = checked_get(inst, i, rt, error_trap(&e));
  if (h == nullptr) return unexpected(std::move(e));
  if (h->num_lends != 0) return unexpected(trap_error(TrapKind::HandleLent, Boundary::Component));
  if (!h->own) {
    Task* scope = h->borrow_scope;
    inst.handles.remove(i);
    if (scope != nullptr && scope->num_borrows > 0) --scope->num_borrows;
    return {};
  }
  // The destructor runs as a call from `inst` into the implementing instance (the spec lifts
  // it into rt.impl and lowers it into inst), so entering must be allowed even without one.
  const ResourceImpl* ri = inst.resources ? inst.resources->find(rt) : nullptr;
  InstanceState* impl = ri ? ri->impl : nullptr;
  if (impl != nullptr && !impl->may_enter_from(&inst)) {
    return unexpected(trap_error(TrapKind::CannotEnter, Boundary::Component));
  }
  const uint32_t rep = h->rep;
  inst.handles.remove(i);
  if (ri == nullptr || !ri->dtor) return {};
  if (impl != nullptr) impl->enter_from(&inst);
  Result<void> r = ri->dtor(rep);
  if (impl != nullptr) impl->leave_to(&inst);
  return r;
}

// definitions.py: canon_resource_rep
Result<uint32_t> canon_resource_rep(InstanceState& inst, const ResourceType* rt, uint32_t i) {
  Error e;
  ResourceHandle* h = checked_get(inst, i, rt, error_trap(&e));
  if (h == nullptr) return unexpected(std::move(e));
  return h->rep;
}

}  // namespace zinc::component::canon
