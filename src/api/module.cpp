// Module: loading from binary, text or file, and the module's import and export types.
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "api/impl.h"
#include "wasm/text/wat.h"

namespace bantam {

namespace detail {

ExternType externType(const wasm::Module& m, wasm::ExternKind kind, uint32_t index) {
  ExternType t;
  switch (kind) {
    case wasm::ExternKind::Func:
      t.kind = ExternKind::Func;
      t.func = toPublic(m.funcType(wasm::FuncIdx(index)));
      break;
    case wasm::ExternKind::Table:
      t.kind = ExternKind::Table;
      t.valType = toPublic(m.tableSpace[index].elemType);
      t.limits = toPublic(m.tableSpace[index].limits);
      break;
    case wasm::ExternKind::Memory:
      t.kind = ExternKind::Memory;
      t.limits = toPublic(m.memorySpace[index].limits);
      break;
    case wasm::ExternKind::Global:
      t.kind = ExternKind::Global;
      t.valType = toPublic(m.globalSpace[index].type);
      t.isMutable = m.globalSpace[index].isMutable;
      break;
  }
  return t;
}

}  // namespace detail

Result<Module> Module::fromBinary(const Engine& engine, std::span<const uint8_t> bytes, std::string name) {
  auto shared = detail::Access::engineShared(engine);
  auto compiled = BANTAM_TRY(runtime::compileModule(shared->engine, bytes, std::move(name)));
  return detail::Access::makeModule(
      std::make_shared<const detail::ModuleImpl>(detail::ModuleImpl{std::move(shared), std::move(compiled)}));
}

Result<Module> Module::fromText(const Engine& engine, std::string_view wat, std::string name) {
  wasm::text::WatOptions options;
  options.fileName = name;
  auto bytes = BANTAM_TRY(wasm::text::parseWat(wat, options));
  return fromBinary(engine, bytes, std::move(name));
}

Result<Module> Module::fromFile(const Engine& engine, const std::string& path) {
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (f == nullptr)
    return std::unexpected(Error::make(ErrorKind::Io, std::string("cannot open file: ") + std::strerror(errno))
                               .withSource(path));
  std::string content;
  char buf[65536];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) content.append(buf, n);
  bool failed = std::ferror(f) != 0;
  std::fclose(f);
  if (failed) return std::unexpected(Error::make(ErrorKind::Io, "cannot read file").withSource(path));
  if (content.starts_with(std::string_view("\0asm", 4)))
    return fromBinary(engine, std::span(reinterpret_cast<const uint8_t*>(content.data()), content.size()), path);
  return fromText(engine, content, path);
}

const std::string& Module::name() const { return impl_->compiled->name; }

std::vector<ImportType> Module::imports() const {
  const wasm::Module& m = impl_->compiled->module;
  std::vector<ImportType> out;
  uint32_t next[4] = {0, 0, 0, 0};  // index in each space: imports come first
  for (const wasm::Import& imp : m.imports) {
    uint32_t index = next[static_cast<size_t>(imp.kind)]++;
    out.push_back(ImportType{imp.module, imp.name, detail::externType(m, imp.kind, index)});
  }
  return out;
}

std::vector<ExportType> Module::exports() const {
  const wasm::Module& m = impl_->compiled->module;
  std::vector<ExportType> out;
  for (const wasm::Export& e : m.exports) out.push_back(ExportType{e.name, detail::externType(m, e.kind, e.index)});
  return out;
}

}  // namespace bantam
