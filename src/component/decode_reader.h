// Internal to the component decoder: the reader state shared by decode.cpp (sections and
// definitions) and decode_types.cpp (type definitions).
#pragma once

#include <string>

#include "common/byte_reader.h"
#include "component/ast.h"
#include "component/decode.h"

namespace bantam::component {

class ComponentDecoder {
 public:
  ComponentDecoder(const DecodeLimits& limits, DecodedComponent& out) : limits_(limits), out_(out) {}

  // A component (preamble included) occupying all of `r`.
  Result<std::unique_ptr<ComponentAst>> component(ByteReader& r, uint32_t depth);

  // decode_types.cpp
  Result<std::unique_ptr<TypeDef>> typeDef(ByteReader& r, uint32_t depth);
  Result<std::unique_ptr<CoreTypeDef>> coreTypeDef(ByteReader& r, bool inModuleType);
  Result<ValTypeRef> valType(ByteReader& r);
  Result<ExternDesc> externDesc(ByteReader& r);
  Result<ExternNameAst> externName(ByteReader& r);
  Result<Alias> alias(ByteReader& r);
  Result<Sort> sort(ByteReader& r);
  Result<Sort> coreSort(ByteReader& r);
  Result<std::string> name(ByteReader& r);
  Result<uint32_t> count(ByteReader& r, size_t minBytesEach);
  Result<void> countDefinition(const ByteReader& r);

  static std::unexpected<Error> unsupported(const ByteReader& r, std::string feature);
  static std::unexpected<Error> invalidByte(const ByteReader& r, uint8_t b, const char* what);

 private:
  Result<void> section(ByteReader& r, uint8_t id, ComponentAst& c, uint32_t depth);
  Result<void> coreModule(ByteReader& r, ComponentAst& c);
  Result<CoreInstanceDef> coreInstance(ByteReader& r);
  Result<InstanceDef> instance(ByteReader& r);
  Result<Canon> canon(ByteReader& r);
  Result<CanonOptions> canonOptions(ByteReader& r);
  Result<SortIdx> sortIdx(ByteReader& r);
  Result<SortIdx> coreSortIdx(ByteReader& r);
  void customSection(ByteReader r, ComponentAst& c);
  Result<void> typeDecls(ByteReader& r, std::vector<TypeDecl>& decls, bool component, uint32_t depth);
  Result<CoreExternDesc> coreExternDesc(ByteReader& r);

  const DecodeLimits& limits_;
  DecodedComponent& out_;
  uint64_t definitions_ = 0;
};

}  // namespace bantam::component
