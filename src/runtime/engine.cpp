// The type registry and the engine object.
#include "runtime/engine.h"

#include <algorithm>

#include "runtime/vmctx.h"

namespace bantam::runtime {

namespace {
// A compact byte key per signature: the value type encodings, params then results, with a
// separator that no value type uses.
std::string signatureKey(const wasm::FuncType& type) {
  std::string key;
  key.reserve(type.params.size() + type.results.size() + 1);
  for (auto t : type.params) key.push_back(static_cast<char>(t));
  key.push_back('\0');
  for (auto t : type.results) key.push_back(static_cast<char>(t));
  return key;
}
}  // namespace

uint32_t TypeRegistry::intern(const wasm::FuncType& type) {
  std::string key = signatureKey(type);
  std::lock_guard lock(mutex_);
  auto [it, inserted] = byKey_.try_emplace(std::move(key), static_cast<uint32_t>(types_.size()));
  if (inserted) types_.push_back(std::make_unique<wasm::FuncType>(type));
  return it->second;
}

const wasm::FuncType& TypeRegistry::lookup(uint32_t id) const {
  std::lock_guard lock(mutex_);
  // Entries are heap-allocated and never removed, so the reference outlives the lock.
  return *types_.at(id);
}

Engine::Engine(std::unique_ptr<ExecutionEngine> exec) : exec_(std::move(exec)) {}
Engine::~Engine() = default;

void Engine::incrementEpoch() {
  uint64_t now = epoch.fetch_add(1) + 1;
  std::lock_guard lock(deadlineMutex_);
  for (VMStoreContext* s : deadlineStores_) {
    // The cached deadline is 0 while fuel is on; the limit is then UINTPTR_MAX already.
    if (std::atomic_ref(s->epochDeadline).load(std::memory_order_relaxed) > now) continue;
    // seq_cst (with the epoch's increment above) pairs with Store::refreshEntryLimit, which
    // stores the stack limit and then re-reads the epoch: one of the two sees the other.
    std::atomic_ref(s->entryLimit).store(UINTPTR_MAX);
  }
}

void Engine::watchDeadline(VMStoreContext* store) {
  std::lock_guard lock(deadlineMutex_);
  deadlineStores_.push_back(store);
}

void Engine::unwatchDeadline(VMStoreContext* store) {
  std::lock_guard lock(deadlineMutex_);
  auto it = std::find(deadlineStores_.begin(), deadlineStores_.end(), store);
  if (it == deadlineStores_.end()) return;
  *it = deadlineStores_.back();
  deadlineStores_.pop_back();
}

size_t Engine::watchedStores() {
  std::lock_guard lock(deadlineMutex_);
  return deadlineStores_.size();
}

}  // namespace bantam::runtime
