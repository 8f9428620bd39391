// The decoded form of a WebAssembly module (§2.5). Produced by the decoder, checked by the
// validator, consumed by the runtime and the execution engines. Function bodies and constant
// expressions stay as byte ranges of the owned binary and are read with InstrReader, so the
// module is compact even for large programs and every offset in an error is a file offset.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "wasm/instr.h"
#include "wasm/types.h"

namespace bantam::wasm {

struct Import {
  std::string module;
  std::string name;
  ExternKind kind = ExternKind::Func;
  TypeIdx funcType;  // kind == Func
  TableType table;   // kind == Table
  MemoryType memory; // kind == Memory
  GlobalType global; // kind == Global
};

struct Export {
  std::string name;
  ExternKind kind = ExternKind::Func;
  uint32_t index = 0;  // into the index space of `kind`
};

struct LocalDecl {
  uint32_t count = 0;
  ValType type = ValType::I32;
};

struct Function {
  TypeIdx type;
  std::vector<LocalDecl> locals;  // as declared (run-length), excluding parameters
  uint32_t numLocals = 0;         // sum of locals[i].count (fits: decoder rejects "too many locals")
  CodeRange body;                 // the instructions after the local declarations, final `end` included
  uint32_t entryOffset = 0;       // offset of the body's size field in the code section
};

struct Global {
  GlobalType type;
  CodeRange init;  // constant expression, final `end` included
};

enum class SegmentMode : uint8_t { Active, Passive, Declarative };

struct ElemSegment {
  SegmentMode mode = SegmentMode::Passive;
  TableIdx table;               // Active
  CodeRange offset;             // Active: constant expression
  ValType type = ValType::FuncRef;
  // Exactly one of these is used: function indices (the elemkind forms) or constant
  // expressions (the expression forms).
  bool usesExprs = false;
  std::vector<uint32_t> funcIndices;
  std::vector<CodeRange> exprs;
  uint32_t size() const { return static_cast<uint32_t>(usesExprs ? exprs.size() : funcIndices.size()); }
};

struct DataSegment {
  SegmentMode mode = SegmentMode::Passive;  // Active or Passive
  MemIdx memory;
  CodeRange offset;  // Active: constant expression
  CodeRange bytes;   // the payload
};

struct CustomSection {
  std::string name;
  CodeRange content;
};

// The "name" custom section (§7.4.1), parsed leniently: a malformed name section is ignored,
// never an error, as the spec requires of custom sections.
struct Names {
  std::string module;
  std::map<uint32_t, std::string> functions;
  std::map<uint32_t, std::map<uint32_t, std::string>> locals;
};

struct Module {
  std::vector<uint8_t> bytes;  // the binary; every CodeRange points into it

  std::vector<FuncType> types;
  std::vector<Import> imports;
  std::vector<Function> functions;   // defined functions only
  std::vector<TableType> tables;     // defined tables only
  std::vector<MemoryType> memories;  // defined memories only
  std::vector<Global> globals;       // defined globals only
  std::vector<Export> exports;
  std::optional<FuncIdx> start;
  std::vector<ElemSegment> elems;
  std::vector<DataSegment> datas;
  std::optional<uint32_t> dataCount;
  std::vector<CustomSection> customs;
  Names names;

  // The index spaces (§2.5.1): imports first, then definitions. Filled by the decoder.
  std::vector<TypeIdx> funcSpace;
  std::vector<TableType> tableSpace;
  std::vector<MemoryType> memorySpace;
  std::vector<GlobalType> globalSpace;
  uint32_t numImportedFuncs = 0;
  uint32_t numImportedTables = 0;
  uint32_t numImportedMemories = 0;
  uint32_t numImportedGlobals = 0;

  const FuncType& funcType(FuncIdx f) const { return types[funcSpace[f.value].value]; }
  const Function& definedFunction(FuncIdx f) const { return functions[f.value - numImportedFuncs]; }
  bool isImportedFunc(FuncIdx f) const { return f.value < numImportedFuncs; }
  std::span<const uint8_t> range(CodeRange r) const { return {bytes.data() + r.offset, r.size}; }
  // A printable name for backtraces and errors: "$name" from the name section, else the index.
  std::string functionName(FuncIdx f) const;
};

}  // namespace bantam::wasm
