// Types in the text format (§6.4): value, function, table, memory and global types, limits,
// and type uses with their implicit type definitions (§6.6.3).
#include "wasm/text/numbers.h"
#include "wasm/text/wat_parser.h"

namespace bantam::wasm::text {

namespace {

std::optional<ValType> valTypeFromKeyword(std::string_view s) {
  if (s == "i32") return ValType::I32;
  if (s == "i64") return ValType::I64;
  if (s == "f32") return ValType::F32;
  if (s == "f64") return ValType::F64;
  if (s == "v128") return ValType::V128;
  if (s == "funcref") return ValType::FuncRef;
  if (s == "externref") return ValType::ExternRef;
  return std::nullopt;
}

// Key of a signature in the type lookup table: params, a separator, results.
std::string signatureKey(const FuncType& sig) {
  std::string key;
  key.reserve(sig.params.size() + sig.results.size() + 1);
  for (ValType t : sig.params) key += static_cast<char>(t);
  key += '\0';
  for (ValType t : sig.results) key += static_cast<char>(t);
  return key;
}

}  // namespace

Result<ValType> WatParser::parseValType() {
  const Token& t = ts_.peek();
  if (t.kind == TokenKind::Keyword) {
    if (auto v = valTypeFromKeyword(ts_.text(t))) {
      ts_.next();
      return *v;
    }
  }
  return ts_.unexpected(t, "a value type");
}

Result<ValType> WatParser::parseRefType() {
  const Token& t = ts_.peek();
  if (ts_.isKeyword("funcref")) { ts_.next(); return ValType::FuncRef; }
  if (ts_.isKeyword("externref")) { ts_.next(); return ValType::ExternRef; }
  return ts_.unexpected(t, "a reference type");
}

// "(func (param id? t*)* (result t*)*)" in a type definition; parameter names are allowed
// but have no meaning there.
Result<void> WatParser::parseFuncType(FuncType& out) {
  BANTAM_TRY(ts_.expectParenKeyword("func"));
  while (ts_.isParenKeyword("param")) {
    ts_.next();
    ts_.next();
    if (ts_.is(TokenKind::Id)) {
      ts_.next();
      out.params.push_back(BANTAM_TRY(parseValType()));
    } else {
      while (!ts_.is(TokenKind::RParen)) out.params.push_back(BANTAM_TRY(parseValType()));
    }
    BANTAM_TRY(ts_.expectRParen());
  }
  while (ts_.isParenKeyword("result")) {
    ts_.next();
    ts_.next();
    while (!ts_.is(TokenKind::RParen)) out.results.push_back(BANTAM_TRY(parseValType()));
    BANTAM_TRY(ts_.expectRParen());
  }
  return ts_.expectRParen();
}

Result<TypeUse> WatParser::parseTypeUse(bool allowParamNames) {
  TypeUse use;
  if (ts_.isParenKeyword("type")) {
    ts_.next();
    ts_.next();
    use.indexToken = &ts_.peek();
    use.index = BANTAM_TRY(parseIndex(Space::Type));
    BANTAM_TRY(ts_.expectRParen());
  }
  while (ts_.isParenKeyword("param")) {
    use.hasInline = true;
    ts_.next();
    ts_.next();
    if (ts_.is(TokenKind::Id)) {
      // "(param $x t)" names one parameter; block types and call_indirect take no names.
      if (!allowParamNames) return ts_.unexpected(ts_.peek(), "a value type");
      const Token& id = ts_.next();
      std::string_view name = ts_.text(id);
      for (const auto& [n, i] : use.paramNames)
        if (n == name) return ts_.errorAt(id, "duplicate local " + std::string(name));
      use.paramNames.emplace_back(name, static_cast<uint32_t>(use.sig.params.size()));
      use.sig.params.push_back(BANTAM_TRY(parseValType()));
    } else {
      while (!ts_.is(TokenKind::RParen)) use.sig.params.push_back(BANTAM_TRY(parseValType()));
    }
    BANTAM_TRY(ts_.expectRParen());
  }
  while (ts_.isParenKeyword("result")) {
    use.hasInline = true;
    ts_.next();
    ts_.next();
    while (!ts_.is(TokenKind::RParen)) use.sig.results.push_back(BANTAM_TRY(parseValType()));
    BANTAM_TRY(ts_.expectRParen());
  }
  // A clause out of order ("(result ..) (param ..)", "(param ..) (type ..)") is a syntax
  // error, reported before any check of the declarations against the type.
  const std::string_view next = ts_.parenKeyword();
  if (next == "type" || next == "param" || next == "result") return ts_.unexpected(ts_.peek(1));
  return use;
}

Result<uint32_t> WatParser::resolveTypeUse(const TypeUse& use) {
  if (!use.index) return findOrAddType(use.sig);
  // "(type x)" alone may name any index (an unknown one is the validator's business); with
  // inline declarations they must match the definition.
  if (use.hasInline) {
    const FuncType* def = typeAt(*use.index);
    if (!def) return ts_.errorAt(*use.indexToken, "unknown type");
    if (*def != use.sig) return ts_.errorAt(*use.indexToken, "inline function type does not match the type definition");
  }
  return *use.index;
}

uint32_t WatParser::findOrAddType(const FuncType& sig) {
  std::string key = signatureKey(sig);
  auto it = typeLookup_.find(key);
  if (it != typeLookup_.end()) return it->second;
  const uint32_t index = static_cast<uint32_t>(types_.size());
  types_.push_back(sig);
  typeLookup_.emplace(std::move(key), index);
  return index;
}

void WatParser::addExplicitType(FuncType sig) {
  const uint32_t index = static_cast<uint32_t>(types_.size());
  typeLookup_.emplace(signatureKey(sig), index);  // keeps the smallest index of a signature
  types_.push_back(std::move(sig));
}

Result<Limits> WatParser::parseLimits() {
  Limits l;
  l.min = BANTAM_TRY(readU32(ts_));
  if (ts_.is(TokenKind::Nat)) l.max = BANTAM_TRY(readU32(ts_));
  return l;
}

void WatParser::writeLimits(ByteWriter& w, const Limits& l) {
  w.u8(l.max ? 0x01 : 0x00);
  w.u32(l.min);
  if (l.max) w.u32(*l.max);
}

Result<void> WatParser::parseGlobalType(GlobalType& out) {
  if (ts_.isParenKeyword("mut")) {
    ts_.next();
    ts_.next();
    out.type = BANTAM_TRY(parseValType());
    out.isMutable = true;
    return ts_.expectRParen();
  }
  out.type = BANTAM_TRY(parseValType());
  out.isMutable = false;
  return {};
}

}  // namespace bantam::wasm::text
