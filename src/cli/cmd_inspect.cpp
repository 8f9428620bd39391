// `bantam inspect FILE`: sections, types, imports, exports and segments of a module; for a
// component, its world as WIT.
#include <cinttypes>
#include <cstdio>

#include "cli/commands.h"
#include "cli/load.h"
#include "common/byte_reader.h"
#include "component/decode.h"
#include "component/elaborate.h"
#include "component/world_wit.h"
#include "wasm/decoder/decoder.h"

namespace bantam::cli {

namespace {

const char* sectionName(uint8_t id) {
  static const char* names[] = {"custom", "type", "import", "function", "table", "memory", "global",
                                "export", "start", "element", "code", "data", "datacount"};
  return id < std::size(names) ? names[id] : "unknown";
}

std::string limitsText(const wasm::Limits& l) {
  std::string s = std::to_string(l.min);
  if (l.max) s += ".." + std::to_string(*l.max);
  return s;
}

}  // namespace

int cmdInspect(const std::string& file) {
  auto bytes = loadModuleBytes(file);
  if (!bytes) {
    printError(bytes.error());
    return 1;
  }
  if (component::isComponentBinary(*bytes)) {
    auto decodedComponent = component::decodeComponent(*bytes);
    auto plan = decodedComponent ? component::elaborateComponent(*decodedComponent)
                                 : Result<component::ComponentPlan>(std::unexpected(decodedComponent.error()));
    if (!plan) {
      printError(std::move(plan.error()).withSource(file));
      return 1;
    }
    std::printf("%s", component::componentWorldToWit(*plan).c_str());
    return 0;
  }
  auto decoded = wasm::decodeModule(*bytes);
  if (!decoded) {
    printError(std::move(decoded.error()).withSource(file));
    return 1;
  }
  const wasm::Module& m = *decoded;
  std::printf("%s: %zu bytes%s%s\n", file.c_str(), bytes->size(), m.names.module.empty() ? "" : ", module $",
              m.names.module.c_str());

  // The section headers of a module that decoded are well-formed: list them.
  std::printf("sections:\n");
  ByteReader r(*bytes);
  (void)r.skip(8);
  while (!r.atEnd()) {
    uint64_t at = r.offset();
    uint8_t id = *r.readByte();
    uint32_t size = *r.readU32();
    std::printf("  %-10s at 0x%06" PRIx64 ", %u bytes\n", sectionName(id), at, size);
    (void)r.skip(size);
  }

  std::printf("types: %zu\n", m.types.size());
  for (size_t i = 0; i < m.types.size(); ++i) std::printf("  %zu: %s\n", i, m.types[i].toString().c_str());
  std::printf("imports: %zu\n", m.imports.size());
  for (const auto& imp : m.imports) {
    std::printf("  %s %s.%s", wasm::externKindName(imp.kind), imp.module.c_str(), imp.name.c_str());
    switch (imp.kind) {
      case wasm::ExternKind::Func: std::printf(": %s", m.types.size() > imp.funcType.value ? m.types[imp.funcType.value].toString().c_str() : "?"); break;
      case wasm::ExternKind::Table: std::printf(": %s %s", limitsText(imp.table.limits).c_str(), wasm::valTypeName(imp.table.elemType)); break;
      case wasm::ExternKind::Memory: std::printf(": %s pages", limitsText(imp.memory.limits).c_str()); break;
      case wasm::ExternKind::Global: std::printf(": %s%s", imp.global.isMutable ? "mut " : "", wasm::valTypeName(imp.global.type)); break;
    }
    std::printf("\n");
  }
  std::printf("functions: %zu defined\n", m.functions.size());
  for (const auto& t : m.tables) std::printf("table: %s %s\n", limitsText(t.limits).c_str(), wasm::valTypeName(t.elemType));
  for (const auto& mem : m.memories) std::printf("memory: %s pages\n", limitsText(mem.limits).c_str());
  std::printf("globals: %zu defined\n", m.globals.size());
  std::printf("exports: %zu\n", m.exports.size());
  for (const auto& e : m.exports) std::printf("  %s \"%s\" = %u\n", wasm::externKindName(e.kind), e.name.c_str(), e.index);
  if (m.start) std::printf("start: function %u\n", m.start->value);
  std::printf("element segments: %zu, data segments: %zu\n", m.elems.size(), m.datas.size());
  for (const auto& c : m.customs) std::printf("custom section \"%s\": %u bytes\n", c.name.c_str(), c.content.size);
  return 0;
}

}  // namespace bantam::cli
