// The handles of store objects: functions (calls), memories (bounds-checked access), globals,
// tables and instances (exports).
#include "api/impl.h"

namespace bantam {

namespace detail {

Extern toPublic(StoreImpl* s, const runtime::Extern& e) {
  switch (e.kind) {
    case wasm::ExternKind::Func: return Access::func(s, e.func);
    case wasm::ExternKind::Table: return Access::table(s, e.table);
    case wasm::ExternKind::Memory: return Access::memory(s, e.memory);
    case wasm::ExternKind::Global: return Access::global(s, e.global);
  }
  return Access::func(s, e.func);
}

runtime::Extern toRuntime(const Extern& e) {
  return std::visit([](const auto& h) { return runtime::Extern::of(Access::inst(h)); }, e);
}

StoreImpl* storeOf(const Extern& e) {
  return std::visit([](const auto& h) { return Access::storeOf(h); }, e);
}

}  // namespace detail

using detail::Access;

// --- Func ---

FuncType Func::type() const { return detail::toPublic(*func_->type); }

bool Func::hasType(std::span<const ValType> params, std::span<const ValType> results) const {
  const wasm::FuncType& t = *func_->type;
  auto same = [](std::span<const ValType> a, const std::vector<wasm::ValType>& b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i)
      if (detail::toRuntime(a[i]) != b[i]) return false;
    return true;
  };
  return same(params, t.params) && same(results, t.results);
}

Trap Func::typeMismatch(std::span<const ValType> params, std::span<const ValType> results) const {
  FuncType asked{{params.begin(), params.end()}, {results.begin(), results.end()}};
  return detail::invalidCall("function type mismatch: the function is " + func_->type->toString() +
                             ", called as " + asked.toString());
}

CallResult<void> Func::callRaw(std::span<ValRaw> io) const {
  auto r = store_->store.call(*func_, detail::toRuntime(io));
  if (!r) return std::unexpected(detail::toPublic(r.error()));
  return {};
}

CallResult<std::vector<Val>> Func::call(std::span<const Val> args) const {
  const wasm::FuncType& t = *func_->type;
  bool ok = args.size() == t.params.size();
  for (size_t i = 0; ok && i < args.size(); ++i) {
    ok = detail::toRuntime(args[i].type()) == t.params[i];
    // A funcref of another store would be a dangling pointer there.
    if (ok && args[i].type() == ValType::FuncRef && !args[i].isNull()) ok = Access::storeOf(args[i]) == store_;
  }
  if (!ok) {
    std::vector<ValType> given;
    for (const Val& v : args) given.push_back(v.type());
    return std::unexpected(typeMismatch(given, detail::toPublic(t).results));
  }
  std::vector<ValRaw> io(std::max(t.params.size(), t.results.size()));
  for (size_t i = 0; i < args.size(); ++i) io[i] = args[i].raw();
  if (auto r = callRaw(io); !r) return std::unexpected(std::move(r.error()));
  std::vector<Val> results;
  results.reserve(t.results.size());
  for (size_t i = 0; i < t.results.size(); ++i) results.push_back(Access::val(detail::toPublic(t.results[i]), io[i], store_));
  return results;
}

// --- Memory ---

namespace {
std::unexpected<Error> outOfBounds(uint64_t offset, uint64_t length, uint64_t size) {
  return std::unexpected(Error::make(ErrorKind::Usage, "out of bounds memory access")
                             .withContext("offset " + std::to_string(offset) + " + length " +
                                          std::to_string(length) + " > memory size " + std::to_string(size)));
}
}  // namespace

uint64_t Memory::size() const { return memory_->sizeBytes; }
uint64_t Memory::pages() const { return memory_->pages(); }

std::optional<uint64_t> Memory::grow(uint64_t deltaPages) const {
  int64_t old = memory_->grow(deltaPages);
  if (old < 0) return std::nullopt;
  return static_cast<uint64_t>(old);
}

Result<void> Memory::read(uint64_t offset, std::span<uint8_t> out) const {
  uint64_t size = memory_->sizeBytes;
  if (offset > size || out.size() > size - offset) return outOfBounds(offset, out.size(), size);
  if (!out.empty()) std::memcpy(out.data(), memory_->base + offset, out.size());
  return {};
}

Result<void> Memory::write(uint64_t offset, std::span<const uint8_t> bytes) const {
  uint64_t size = memory_->sizeBytes;
  if (offset > size || bytes.size() > size - offset) return outOfBounds(offset, bytes.size(), size);
  if (!bytes.empty()) std::memcpy(memory_->base + offset, bytes.data(), bytes.size());
  return {};
}

Result<std::string> Memory::readString(uint64_t offset, uint64_t length) const {
  uint64_t size = memory_->sizeBytes;
  // Checked before allocating: a guest-supplied length must not size a host buffer.
  if (offset > size || length > size - offset) return outOfBounds(offset, length, size);
  return std::string(reinterpret_cast<const char*>(memory_->base + offset), length);
}

Result<void> Memory::writeString(uint64_t offset, std::string_view s) const {
  return write(offset, std::span(reinterpret_cast<const uint8_t*>(s.data()), s.size()));
}

std::span<uint8_t> Memory::data() const { return memory_->bytes(); }

// --- Global ---

ExternType Global::type() const {
  ExternType t;
  t.kind = ExternKind::Global;
  t.valType = detail::toPublic(global_->type.type);
  t.isMutable = global_->type.isMutable;
  return t;
}

Val Global::get() const { return Access::val(detail::toPublic(global_->type.type), detail::toPublic(global_->value), store_); }

Result<void> Global::set(const Val& value) const {
  if (!global_->type.isMutable) return fail(ErrorKind::Usage, "global is immutable");
  if (detail::toRuntime(value.type()) != global_->type.type)
    return fail(ErrorKind::Usage, std::string("type mismatch: the global is ") + wasm::valTypeName(global_->type.type) +
                                      ", the value " + valTypeName(value.type()));
  if (value.type() == ValType::FuncRef && !value.isNull() && Access::storeOf(value) != store_)
    return fail(ErrorKind::Usage, "the function belongs to another store");
  global_->value = detail::toRuntime(value.raw());
  return {};
}

// --- Table ---

ExternType Table::type() const {
  ExternType t;
  t.kind = ExternKind::Table;
  t.valType = detail::toPublic(table_->type.elemType);
  t.limits = detail::toPublic(table_->type.limits);
  return t;
}

uint32_t Table::size() const { return table_->size(); }

std::optional<Val> Table::get(uint32_t index) const {
  if (index >= table_->size()) return std::nullopt;
  ValRaw raw;
  raw.ref = table_->elems[index];
  return Access::val(detail::toPublic(table_->type.elemType), raw, store_);
}

namespace {
Result<void> checkRef(const Val& value, wasm::ValType elemType, detail::StoreImpl* store) {
  if (detail::toRuntime(value.type()) != elemType)
    return fail(ErrorKind::Usage, std::string("type mismatch: the table holds ") + wasm::valTypeName(elemType) +
                                      ", the value is " + valTypeName(value.type()));
  if (value.type() == ValType::FuncRef && !value.isNull() && Access::storeOf(value) != store)
    return fail(ErrorKind::Usage, "the function belongs to another store");
  return {};
}
}  // namespace

Result<void> Table::set(uint32_t index, const Val& value) const {
  BANTAM_TRY(checkRef(value, table_->type.elemType, store_));
  if (index >= table_->size()) return fail(ErrorKind::Usage, "out of bounds table access");
  table_->elems[index] = value.raw().ref;
  return {};
}

std::optional<uint32_t> Table::grow(uint32_t delta, const Val& init) const {
  if (!checkRef(init, table_->type.elemType, store_)) return std::nullopt;
  int64_t old = table_->grow(delta, init.raw().ref, store_->store.limits().maxTableElements);
  if (old < 0) return std::nullopt;
  return static_cast<uint32_t>(old);
}

// --- Instance ---

std::optional<Extern> Instance::getExport(std::string_view name) const {
  auto e = instance_->findExport(name);
  if (!e) return std::nullopt;
  return detail::toPublic(store_, *e);
}

namespace {
template <class T>
std::optional<T> exportAs(const Instance& i, std::string_view name) {
  auto e = i.getExport(name);
  if (!e || !std::holds_alternative<T>(*e)) return std::nullopt;
  return std::get<T>(*e);
}
}  // namespace

std::optional<Func> Instance::func(std::string_view name) const { return exportAs<Func>(*this, name); }
std::optional<Memory> Instance::memory(std::string_view name) const { return exportAs<Memory>(*this, name); }
std::optional<Global> Instance::global(std::string_view name) const { return exportAs<Global>(*this, name); }
std::optional<Table> Instance::table(std::string_view name) const { return exportAs<Table>(*this, name); }

std::vector<ExportType> Instance::exports() const {
  const wasm::Module& m = instance_->module->module;
  std::vector<ExportType> out;
  for (const wasm::Export& e : m.exports) out.push_back(ExportType{e.name, detail::externType(m, e.kind, e.index)});
  return out;
}

}  // namespace bantam
