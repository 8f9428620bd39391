// The WAT module parser (internal to src/wasm/text). Two passes over the token array: the first
// collects every definition's index and name (so that uses may precede definitions) and the
// explicit type definitions; the second parses each field and encodes it straight into its
// binary section. Implicit type definitions (§6.6.x typeuse abbreviation) are appended in
// textual order during the second pass, as the spec prescribes.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "common/error.h"
#include "wasm/opcode.h"
#include "wasm/text/byte_writer.h"
#include "wasm/text/token_stream.h"
#include "wasm/types.h"

namespace bantam::wasm::text {

enum class Space : uint8_t { Type, Func, Table, Memory, Global, Elem, Data };
inline constexpr size_t kSpaceCount = 7;

struct NameMap {
  std::unordered_map<std::string_view, uint32_t> ids;  // "$name" -> index
  uint32_t count = 0;
};

// An encoded section under construction: its entry count and entry bytes.
struct SectionBuf {
  uint32_t count = 0;
  ByteWriter w;
};

// A typeuse (§6.6.3) as written: "(type x)?" then inline params and results.
struct TypeUse {
  std::optional<uint32_t> index;
  const Token* indexToken = nullptr;
  bool hasInline = false;  // any (param ...) or (result ...) clause
  FuncType sig;
  std::vector<std::pair<std::string_view, uint32_t>> paramNames;  // functions only
};

// Locals and labels in scope while parsing instructions.
class CodeContext {
 public:
  uint32_t localCount = 0;

  // False when the name is already bound.
  bool addLocalName(std::string_view name, uint32_t index);
  std::optional<uint32_t> findLocal(std::string_view name) const;

  // Labels of the enclosing blocks; an empty name for unnamed ones. Lookup is by name of the
  // innermost binding (labels may shadow), in constant time however deep the nesting.
  void pushLabel(std::string_view name);
  void popLabel();
  std::optional<uint32_t> findLabel(std::string_view name) const;  // relative depth
  std::string_view innermostLabel() const { return labels_.back().name; }

 private:
  static constexpr uint32_t kNone = UINT32_MAX;
  // Few functions name more than a handful of locals: a vector is searched until it grows
  // past kLinearLimit, then a hash map takes over (generated code may name thousands).
  static constexpr size_t kLinearLimit = 16;
  std::vector<std::pair<std::string_view, uint32_t>> names_;
  std::unordered_map<std::string_view, uint32_t> map_;
  struct Label {
    std::string_view name;
    uint32_t shadowed;  // index of the binding of the same name this one hides, or kNone
  };
  std::vector<Label> labels_;
  std::unordered_map<std::string_view, uint32_t> innermost_;  // name -> index in labels_
};

class WatParser {
 public:
  WatParser(const SourceInfo& source, const std::vector<Token>& tokens)
      : ts_(source, tokens) {}

  Result<std::vector<uint8_t>> parseModule();

 private:
  enum class DefKind : uint8_t { None, Func, Table, Memory, Global };

  // ---- wat_module.cpp: fields
  Result<void> collectField();
  Result<void> collectFieldContent(const Token& open, const Token& kwTok);
  Result<void> encodeField();
  Result<void> defineName(Space space, const Token* id);
  Result<void> checkImportOrder(const Token& at);
  Result<void> parseTypeField();
  Result<void> parseImportField();
  Result<void> parseFuncField();
  Result<void> parseTableField();
  Result<void> parseMemoryField();
  Result<void> parseGlobalField();
  Result<void> parseExportField();
  Result<void> parseStartField();
  Result<void> parseElemField();
  Result<void> parseDataField();
  Result<void> parseInlineExports(ExternKind kind, uint32_t index);
  Result<bool> parseInlineImport(std::string& module, std::string& field);
  Result<void> parseFuncBody(const TypeUse& use, uint32_t typeIndex);
  std::vector<uint8_t> assemble();

  // ---- wat_segments.cpp: element and data segments
  enum class ElemMode : uint8_t { Passive, Active, Declare };
  // Element items in both encodings: as expressions, and as function indices while every item
  // is a plain ref.func (then the compact index form is used, as wabt and the reference
  // interpreter do).
  struct ElemItems {
    ByteWriter exprs;
    ByteWriter indices;
    uint32_t count = 0;
    bool allRefFunc = true;
  };
  Result<void> parseElemExprs(ElemItems& items);
  Result<void> parseElemIndices(ElemItems& items);
  Result<void> parseOffset(ByteWriter& w);
  void encodeElemSegment(ElemMode mode, uint32_t table, const ByteWriter& offset, ValType type,
                         const ElemItems& items);

  // ---- wat_types.cpp: types, typeuses, limits
  Result<ValType> parseValType();
  Result<ValType> parseRefType();
  Result<void> parseFuncType(FuncType& out);  // "(func ...)" of a type definition
  Result<TypeUse> parseTypeUse(bool allowParamNames);
  Result<uint32_t> resolveTypeUse(const TypeUse& use);
  uint32_t findOrAddType(const FuncType& sig);
  void addExplicitType(FuncType sig);
  Result<Limits> parseLimits();
  Result<void> parseGlobalType(GlobalType& out);
  void writeLimits(ByteWriter& w, const Limits& l);
  const FuncType* typeAt(uint32_t index) const {
    return index < types_.size() ? &types_[index] : nullptr;
  }

  // ---- wat_control.cpp: instruction sequences and structured control
  // A construct opened and not yet closed while parsing a sequence.
  struct Frame {
    enum Kind : uint8_t {
      PlainBlock,   // block / loop / if ... end
      FoldedPlain,  // (op imm* folded*): the op waits in the frame's immediate buffer
      FoldedBlock,  // (block ..) / (loop ..)
      IfCond,       // (if label bt folded* ...: before (then
      IfThen,       // inside (then ..)
      IfElse,       // inside (else ..)
    };
    Kind kind;
    Op op;
    size_t elsePos = SIZE_MAX;  // where the else opcode was written
    std::string_view label = {};
  };
  Result<void> parseInstrs(CodeContext& cx, ByteWriter& w);
  Result<void> parseExpr(CodeContext& cx, ByteWriter& w);  // instrs then "end"
  Result<void> parseFoldedInstr(CodeContext& cx, ByteWriter& w);
  Result<void> parseSequence(CodeContext& cx, ByteWriter& w, bool singleFolded);
  Result<void> openFolded(CodeContext& cx, ByteWriter& w);
  Result<void> checkEndLabel(std::string_view label);
  Result<void> parseBlockType(ByteWriter& w);
  Result<uint32_t> parseLabel(const CodeContext& cx);

  // ---- wat_instr.cpp: immediates
  Result<void> parseImmediates(Op op, CodeContext& cx, ByteWriter& w);
  Result<void> parseMemArg(const OpInfo& info, ByteWriter& w);
  Result<uint32_t> parseLocal(const CodeContext& cx);
  static void writeOp(ByteWriter& w, Op op);

  // ---- shared helpers (wat_module.cpp)
  Result<uint32_t> parseIndex(Space space);
  const Token* maybeId();

  TokenStream ts_;
  std::array<NameMap, kSpaceCount> names_;
  std::vector<FuncType> types_;
  std::unordered_map<std::string, uint32_t> typeLookup_;  // signature key -> smallest index
  DefKind firstDef_ = DefKind::None;
  std::array<uint32_t, kSpaceCount> next_{};  // second pass: next index of each space

  SectionBuf imports_, funcs_, tables_, memories_, globals_, exports_, elems_, code_, datas_;
  std::optional<uint32_t> start_;
  bool usesDataIndex_ = false;  // memory.init / data.drop need the data count section
  ByteWriter scratch_;          // function bodies
  std::vector<Frame> frames_;        // open constructs of the sequence being parsed
  std::vector<ByteWriter> immPool_;  // one immediate buffer per frame depth, reused
};

}  // namespace bantam::wasm::text
