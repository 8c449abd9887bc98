// component/canon_call.cc: `canon lift` and `canon lower` for synchronous functions -- the
// call-level entry points of the Canonical ABI over the Val tree (definitions.py: Store.lift's
// func_inst, canon_lift, canon_lower), and call_lifted, the host's dynamic call.
//
// Invariants: instance entry flags are restored on every path (a trap included: the caller
// decides whether a trapped instance stays usable); may_leave is false exactly while a
// post-return function runs; a Subtask releases its lent handles and a Task its leftover
// borrows when the call ends, trapped or not. Flat arguments and results live in a small
// buffer; no Val is copied on the host-call path.
// Spec: CanonicalABI.md "canon lift", "canon lower".
#include <algorithm>
#include <optional>

#include "component/canon.h"

namespace zinc::component::canon {

namespace {

constexpr uint64_t kSubtaskReturned = 2;  // definitions.py: Subtask.State.RETURNED

// Restores the entry flags of `inst` when a call leaves it (definitions.py: leave_to).
class EnterGuard {
 public:
  EnterGuard(InstanceState* inst, const InstanceState* caller) : inst_(inst), caller_(caller) {
    inst_->enter_from(caller_);
  }
  ~EnterGuard() { inst_->leave_to(caller_); }
  EnterGuard(const EnterGuard&) = delete;
  EnterGuard& operator=(const EnterGuard&) = delete;

 private:
  InstanceState* inst_;
  const InstanceState* caller_;
};

// The number of flat result slots of a lifted call: the results, or one pointer when they
// are spilled.
size_t flat_result_slots(const LiftedFunc& f) {
  const size_t n = flat_count(f.types.results);
  return n > kMaxFlatResults ? 1 : n;
}

// The lift side of a call once the arguments are known: lowers them into the callee, calls,
// lifts the results, checks the borrows, runs post-return.
Result<void> lift_call(const LiftedFunc& f, InstanceState* caller, std::span<const Val> args,
                       std::vector<Val>& results, HostHandles* host, Task& task,
                       bool vals_checked) {
  const Boundary b = caller ? Boundary::Component : Boundary::Host;
  InstanceState* inst = f.inst;
  Cx cx(f.opts, inst, &task);
  cx.boundary = b;
  cx.host = host;
  cx.vals_checked = vals_checked;
  FlatValues flat;
  if (!lower_flat_values(cx, kMaxFlatParams, args, f.types.params, flat)) {
    return unexpected(cx.take_error());
  }
  const size_t num_results = flat_result_slots(f);
  // At least one slot, so a core function of no parameters and no results gets a buffer too.
  if (flat.size() < std::max<size_t>(num_results, 1)) flat.resize(std::max<size_t>(num_results, 1));
  if (Result<void> r = f.callee(flat.data(), flat.size()); !r) return r;
  CoreValueIter vi(flat.data(), num_results);
  if (!lift_flat_values(cx, kMaxFlatResults, vi, f.types.results, results)) {
    return unexpected(cx.take_error());
  }
  Error e;
  if (!task.return_(b, &e)) return unexpected(std::move(e));
  if (f.opts.post_return) {
    inst->may_leave = false;
    Result<void> r = f.opts.post_return(flat.data(), flat.size());
    inst->may_leave = true;
    if (!r) return r;
  }
  return {};
}

Result<void> check_entry(const LiftedFunc& f, InstanceState* caller) {
  const Boundary b = caller ? Boundary::Component : Boundary::Host;
  if (f.opts.async || f.opts.callback) {
    return unexpected(trap_error(TrapKind::NotImplemented, b, {"an async lift"}));
  }
  if (!f.inst->may_enter_from(caller)) return unexpected(trap_error(TrapKind::CannotEnter, b));
  return {};
}

// Whether a call can lower a borrow into the callee, i.e. needs a Task as the borrow scope:
// only through its parameters (validation keeps borrows out of results).
bool params_have_borrow(const LiftedFunc& f) {
  for (TypeRef t : f.types.params) {
    if (t->has_borrow) return true;
  }
  return false;
}

}  // namespace

// definitions.py: Store.lift's func_inst + canon_lift (synchronous)
Result<void> canon_lift(const LiftedFunc& f, InstanceState* caller, OnStart on_start,
                        OnResolve on_resolve, HostHandles* host) {
  if (Result<void> r = check_entry(f, caller); !r) return r;
  EnterGuard guard(f.inst, caller);
  Task task(f.inst);
  std::vector<Val> args;
  if (Result<void> r = on_start(args); !r) return r;  // definitions.py: Task.start
  std::vector<Val> results;
  if (Result<void> r = lift_call(f, caller, args, results, host, task, false); !r) return r;
  return on_resolve(results);
}

Result<std::vector<Val>> call_lifted(const LiftedFunc& f, std::span<const Val> args,
                                     HostHandles* host, bool args_checked) {
  if (args.size() != f.types.params.size()) {
    return unexpected(trap_error(TrapKind::ValueMismatch, Boundary::Host, {to_string(*f.type)}));
  }
  for (size_t i = 0; i < args.size() && !args_checked; ++i) {
    if (!matches(args[i], f.types.params[i])) {
      return unexpected(
          trap_error(TrapKind::ValueMismatch, Boundary::Host, {to_string(f.types.params[i])}));
    }
  }
  if (Result<void> r = check_entry(f, nullptr); !r) return unexpected(r.error());
  EnterGuard guard(f.inst, nullptr);
  Task task(f.inst);
  std::vector<Val> results;
  if (Result<void> r = lift_call(f, nullptr, args, results, host, task, true); !r) {
    return unexpected(r.error());
  }
  return results;
}

// The typed fast path: the same steps as call_lifted without Val vectors; a Task only when a
// borrow can be lowered, and the failure paths out of the way.
Result<void> call_lifted_flat(const LiftedFunc& f, LowerFn lower, LiftFn lift) {
  InstanceState* inst = f.inst;
  if (f.opts.async || f.opts.callback || !inst->may_enter_from(nullptr)) {
    return check_entry(f, nullptr);
  }
  EnterGuard guard(inst, nullptr);
  std::optional<Task> task;
  if (params_have_borrow(f)) task.emplace(inst);
  Cx cx(f.opts, inst, task ? &*task : nullptr);
  FlatValues flat;
  if (!lower(cx, flat)) return unexpected(cx.take_error());
  const size_t num_results = flat_result_slots(f);
  // At least one slot, so a core function of no parameters and no results gets a buffer too.
  if (flat.size() < std::max<size_t>(num_results, 1)) flat.resize(std::max<size_t>(num_results, 1));
  if (Result<void> r = f.callee(flat.data(), flat.size()); !r) return r;
  CoreValueIter vi(flat.data(), num_results);
  if (!lift(cx, vi)) return unexpected(cx.take_error());
  if (vi.overrun()) return unexpected(trap_error(TrapKind::CoreValueCount, Boundary::Host));
  if (task && task->num_borrows > 0) {
    Error e;
    if (!task->return_(Boundary::Host, &e)) return unexpected(std::move(e));
  }
  if (f.opts.post_return) {
    inst->may_leave = false;
    Result<void> r = f.opts.post_return(flat.data(), flat.size());
    inst->may_leave = true;
    if (!r) return r;
  }
  return {};
}

// definitions.py: Store.lower's core_func_inst + canon_lower. Every callee here is
// synchronous (an async lift traps), so an async lower always finds its subtask resolved
// when the callee returns: it passes at most 4 flat parameters, writes results through the
// out-param and returns Subtask.State.RETURNED, as the spec's `subtask.resolved()` branch.
Result<void> canon_lower(const LoweredFunc& f, FuncInst callee, uint64_t* slots, size_t num_slots,
                         Boundary boundary, HostHandles* host) {
  InstanceState* inst = f.inst;
  if (!inst->may_leave) return unexpected(trap_error(TrapKind::CannotLeave, boundary));
  if (f.opts.callback) {
    return unexpected(trap_error(TrapKind::NotImplemented, boundary, {"a lower with callback"}));
  }
  const bool async = f.opts.async;
  const uint32_t max_flat_params = async ? kMaxFlatAsyncParams : kMaxFlatParams;
  const uint32_t max_flat_results = async ? 0 : kMaxFlatResults;
  const size_t flat_params = flat_count(f.types.params);
  const size_t flat_results = flat_count(f.types.results);
  const bool results_spilled = flat_results > max_flat_results;
  const size_t num_in =
      (flat_params > max_flat_params ? 1 : flat_params) + (results_spilled ? 1 : 0);
  const size_t num_out = async ? 1 : results_spilled ? 0 : flat_results;
  if (num_slots < std::max(num_in, num_out)) {
    return unexpected(trap_error(TrapKind::CoreValueCount, boundary));
  }
  CoreValueIter flat_args(slots, num_in);
  Subtask subtask(inst);
  Cx cx(f.opts, inst, nullptr, &subtask);
  cx.boundary = boundary;
  cx.host = host;
  FlatValues out;
  bool resolved = false;
  auto on_start = [&](std::vector<Val>& args) -> Result<void> {
    if (!lift_flat_values(cx, max_flat_params, flat_args, f.types.params, args)) {
      return unexpected(cx.take_error());
    }
    return {};
  };
  auto on_resolve = [&](std::vector<Val>& results) -> Result<void> {
    if (boundary == Boundary::Host) {  // a host's results are checked like its arguments
      cx.vals_checked = true;
      bool ok = results.size() == f.types.results.size();
      for (size_t i = 0; ok && i < results.size(); ++i)
        ok = matches(results[i], f.types.results[i]);
      if (!ok) {
        return unexpected(trap_error(TrapKind::ValueMismatch, boundary, {to_string(*f.type)}));
      }
    }
    if (!lower_flat_values(cx, max_flat_results, results, f.types.results, out, &flat_args)) {
      return unexpected(cx.take_error());
    }
    resolved = true;
    return {};
  };
  if (Result<void> r = callee(on_start, on_resolve, inst); !r) return r;
  if (!resolved) {
    return unexpected(trap_error(TrapKind::ValueMismatch, boundary, {to_string(*f.type)}));
  }
  subtask.deliver_resolve();
  if (async) {
    slots[0] = kSubtaskReturned;
  } else {
    std::copy(out.begin(), out.end(), slots);
  }
  return {};
}

}  // namespace zinc::component::canon
