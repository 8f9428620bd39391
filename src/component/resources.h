// Run-time state of the Canonical ABI (CanonicalABI.md "Component Instances", "Table State",
// "Resource State", "Tasks", "Subtask State") for synchronous calls: resource types, the
// per-instance handle table, the may_enter/may_leave flags, and the borrow bookkeeping of
// one lifted call (Task) and one lowered call (Subtask).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <unordered_set>
#include <vector>

#include "component/model/value.h"
#include "runtime/trap.h"

namespace bantam::runtime {
struct FuncInst;
class Store;
}  // namespace bantam::runtime

namespace bantam::component {

class ComponentInstance;
struct RuntimeInstance;

inline runtime::Trap abiTrap(std::string message) {
  return runtime::Trap(runtime::TrapKind::CanonicalAbi, std::move(message));
}
template <class T = void>
runtime::TrapOr<T> abiFail(std::string message) {
  return std::unexpected(abiTrap(std::move(message)));
}

// The identity of a resource type at run time (the spec's ResourceType: compared by
// identity, never structurally). A guest-defined resource belongs to the component instance
// that defined it (`impl`); a host-defined one has a host destructor instead.
class ResourceType {
 public:
  std::string name;
  // Host resources: called with the rep when a guest drops the last owning handle.
  std::function<void(uint32_t rep)> hostDtor;
  // Or, for hosts with per-instance tables: also told which component instance dropped it
  // (the one whose guest dropped the handle, or on which the host called dropResource).
  std::function<void(ComponentInstance& instance, uint32_t rep)> hostDtorIn;
  // Guest resources: the defining instance and its destructor (may be null).
  RuntimeInstance* impl = nullptr;
  runtime::FuncInst* dtor = nullptr;

  bool isHost() const { return impl == nullptr; }

  // Guest resources: the reps of owning handles lifted out of a component and not yet lowered
  // into one or dropped (held by the host, or in flight between two components). A host that
  // drops or passes on a handle it does not hold (twice, or forged) gets an error instead of
  // running the destructor twice.
  std::unordered_multiset<uint32_t> outstanding;
  void release(uint32_t rep) { outstanding.insert(rep); }
  bool reclaim(uint32_t rep) {
    auto it = outstanding.find(rep);
    if (it == outstanding.end()) return false;
    outstanding.erase(it);
    return true;
  }
};

struct Task;

// One element of a handle table (the spec's ResourceHandle).
struct HandleEntry {
  const ResourceType* rt = nullptr;  // nullptr: a free slot
  uint32_t rep = 0;
  bool own = false;
  uint32_t numLends = 0;       // live borrows lent from this handle
  Task* borrowScope = nullptr;  // borrow handles: the task that received them
};

// The spec's Table: index 0 is reserved; freed slots are reused first.
class HandleTable {
 public:
  static constexpr uint32_t kMaxLength = (1u << 28) - 1;
  HandleTable() { entries_.emplace_back(); }

  runtime::TrapOr<uint32_t> add(const HandleEntry& e);
  runtime::TrapOr<HandleEntry*> get(uint32_t i);
  runtime::TrapOr<HandleEntry> remove(uint32_t i);
  size_t liveCount() const { return entries_.size() - 1 - free_.size(); }
  // Back to a new table (a pooled instance between requests): no handle survives.
  void clear() {
    entries_.resize(1);
    entries_[0] = HandleEntry{};
    free_.clear();
  }

 private:
  std::vector<HandleEntry> entries_;
  std::vector<uint32_t> free_;
};

// A component instance as the Canonical ABI sees it: the root and each nested instantiation
// have one (CanonicalABI.md ComponentInstance, without the async state).
struct RuntimeInstance {
  HandleTable handles;
  bool mayEnter = true;
  bool mayLeave = true;
  RuntimeInstance* parent = nullptr;
  ComponentInstance* component = nullptr;
  std::string name;

  // Component Invariant #2 (no reentrance except donut wrapping): entering this instance
  // from `caller` (nullptr: the host) enters it and its ancestors that the caller is not in.
  bool mayEnterFrom(const RuntimeInstance* caller) const;
  void enterFrom(const RuntimeInstance* caller);
  void leaveTo(const RuntimeInstance* caller);
};

// A lifted (export) call in progress: borrows lowered into the callee must be dropped by
// the time it returns.
struct Task {
  uint32_t numBorrows = 0;
};

// A lowered (import) call in progress: handles lent as borrows for its duration.
struct Subtask {
  struct Lender {
    HandleTable* table;
    uint32_t index;
  };
  std::vector<Lender> lenders;
  void addLender(HandleTable& table, uint32_t index, HandleEntry& h) {
    ++h.numLends;
    lenders.push_back({&table, index});
  }
  // The call returned: every lent handle is given back.
  void deliverResolve();
};

}  // namespace bantam::component
