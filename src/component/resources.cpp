// Handle tables, reentrance flags and borrow bookkeeping (CanonicalABI.md "Table State",
// "Component Instances", "Subtask State").
#include "component/resources.h"

#include "common/error.h"

namespace bantam::component {

runtime::TrapOr<uint32_t> HandleTable::add(const HandleEntry& e) {
  if (!free_.empty()) {
    uint32_t i = free_.back();
    free_.pop_back();
    entries_[i] = e;
    return i;
  }
  if (entries_.size() > kMaxLength) return abiFail<uint32_t>("handle table is full (2^28 handles)");
  entries_.push_back(e);
  return static_cast<uint32_t>(entries_.size() - 1);
}

runtime::TrapOr<HandleEntry*> HandleTable::get(uint32_t i) {
  if (i >= entries_.size() || entries_[i].rt == nullptr)
    return abiFail<HandleEntry*>("unknown handle index " + std::to_string(i));
  return &entries_[i];
}

runtime::TrapOr<HandleEntry> HandleTable::remove(uint32_t i) {
  HandleEntry* h = BANTAM_TRY(get(i));
  HandleEntry e = *h;
  *h = HandleEntry{};
  free_.push_back(i);
  return e;
}

namespace {
bool isAncestorOrSelf(const RuntimeInstance* a, const RuntimeInstance* of) {
  for (const RuntimeInstance* p = of; p; p = p->parent)
    if (p == a) return true;
  return false;
}
}  // namespace

bool RuntimeInstance::mayEnterFrom(const RuntimeInstance* caller) const {
  for (const RuntimeInstance* i = this; i; i = i->parent)
    if (!isAncestorOrSelf(i, caller) && !i->mayEnter) return false;
  return true;
}

void RuntimeInstance::enterFrom(const RuntimeInstance* caller) {
  for (RuntimeInstance* i = this; i; i = i->parent)
    if (!isAncestorOrSelf(i, caller)) i->mayEnter = false;
}

void RuntimeInstance::leaveTo(const RuntimeInstance* caller) {
  for (RuntimeInstance* i = this; i; i = i->parent)
    if (!isAncestorOrSelf(i, caller)) i->mayEnter = true;
}

void Subtask::deliverResolve() {
  for (const Lender& l : lenders) {
    auto h = l.table->get(l.index);
    if (h && (*h)->numLends > 0) --(*h)->numLends;
  }
  lenders.clear();
}

}  // namespace bantam::component
