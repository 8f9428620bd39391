// WAST scripts (the spec interpreter's script format): commands, actions and values. Module
// text is not parsed here; it is kept as a source slice for parseWat.
#include "wasm/text/wast.h"

#include <cstring>

#include "wasm/text/literals.h"
#include "wasm/text/numbers.h"
#include "wasm/text/token_stream.h"

namespace bantam::wasm::text {

namespace {

class WastParser {
 public:
  WastParser(const SourceInfo& source, const std::vector<Token>& tokens)
      : src_(source), ts_(source, tokens) {}

  Result<void> parse(std::vector<WastCommand>& out) {
    // A script may instead be a single module written as bare fields (inline-module.wast).
    const std::string_view first = ts_.parenKeyword();
    if (first == "type" || first == "import" || first == "func" || first == "table" ||
        first == "memory" || first == "global" || first == "export" || first == "start" ||
        first == "elem" || first == "data") {
      WastCommand cmd;
      cmd.kind = WastCommand::Kind::Module;
      cmd.line = cmd.module.line = lineOf(ts_.peek());
      uint32_t line = 0;
      src_.position(ts_.peek().offset, line, cmd.module.column);
      cmd.module.text = std::string(src_.text.substr(ts_.peek().offset));
      out.push_back(std::move(cmd));
      return {};
    }
    while (!ts_.is(TokenKind::Eof)) {
      WastCommand cmd;
      BANTAM_TRY(parseCommand(cmd));
      out.push_back(std::move(cmd));
    }
    return {};
  }

 private:
  uint32_t lineOf(const Token& t) const {
    uint32_t line = 0, column = 0;
    src_.position(t.offset, line, column);
    return line;
  }

  Result<void> parseCommand(WastCommand& cmd) {
    const Token& open = ts_.peek();
    if (open.kind != TokenKind::LParen) return ts_.unexpected(open, "a command");
    const Token& kwTok = ts_.peek(1);
    if (kwTok.kind != TokenKind::Keyword) return ts_.unexpected(kwTok, "a command");
    cmd.line = lineOf(open);
    const std::string_view kw = ts_.text(kwTok);
    using Kind = WastCommand::Kind;
    if (kw == "module") {
      cmd.kind = Kind::Module;
      return parseModule(cmd.module);
    }
    if (kw == "invoke" || kw == "get") {
      cmd.kind = Kind::Action;
      return parseAction(cmd.action);
    }
    ts_.next();
    ts_.next();
    if (kw == "register") {
      cmd.kind = Kind::Register;
      cmd.registerName = BANTAM_TRY(ts_.readString());
      if (ts_.is(TokenKind::Id)) cmd.registerModule = std::string(ts_.text(ts_.next()));
    } else if (kw == "assert_return") {
      cmd.kind = Kind::AssertReturn;
      BANTAM_TRY(parseAction(cmd.action));
      while (ts_.is(TokenKind::LParen)) {
        WastValue v;
        BANTAM_TRY(parseValue(v, true));
        cmd.expected.push_back(v);
      }
    } else if (kw == "assert_trap") {
      if (ts_.isParenKeyword("module")) {
        cmd.kind = Kind::AssertTrapModule;
        BANTAM_TRY(parseModule(cmd.module));
      } else {
        cmd.kind = Kind::AssertTrap;
        BANTAM_TRY(parseAction(cmd.action));
      }
      cmd.message = BANTAM_TRY(ts_.readString());
    } else if (kw == "assert_exhaustion") {
      cmd.kind = Kind::AssertExhaustion;
      BANTAM_TRY(parseAction(cmd.action));
      cmd.message = BANTAM_TRY(ts_.readString());
    } else if (kw == "assert_malformed" || kw == "assert_invalid" ||
               kw == "assert_unlinkable" || kw == "assert_uninstantiable") {
      cmd.kind = kw == "assert_malformed"   ? Kind::AssertMalformed
                 : kw == "assert_invalid"   ? Kind::AssertInvalid
                 : kw == "assert_unlinkable" ? Kind::AssertUnlinkable
                                             : Kind::AssertUninstantiable;
      if (!ts_.isParenKeyword("module")) return ts_.unexpected(ts_.peek(1), "a module");
      BANTAM_TRY(parseModule(cmd.module));
      cmd.message = BANTAM_TRY(ts_.readString());
    } else {
      return ts_.unexpected(kwTok, "a command");
    }
    return ts_.expectRParen();
  }

  // (module $id? field*) | (module $id? binary string*) | (module $id? quote string*)
  Result<void> parseModule(WastModule& m) {
    const Token& open = ts_.peek();
    BANTAM_TRY(ts_.expectParenKeyword("module"));
    src_.position(open.offset, m.line, m.column);
    if (ts_.is(TokenKind::Id)) m.name = std::string(ts_.text(ts_.next()));
    if (ts_.isKeyword("binary") || ts_.isKeyword("quote")) {
      const bool binary = ts_.isKeyword("binary");
      ts_.next();
      m.form = binary ? WastModule::Form::Binary : WastModule::Form::Quote;
      std::string bytes;
      while (ts_.is(TokenKind::String)) bytes += BANTAM_TRY(ts_.readString());
      if (binary) m.binary.assign(bytes.begin(), bytes.end());
      else m.text = std::move(bytes);
      return ts_.expectRParen();
    }
    m.form = WastModule::Form::Text;
    const Token& close = ts_.at(open.match);
    if (close.kind != TokenKind::RParen) return ts_.unexpected(close, "\")\"");
    m.text = std::string(src_.text.substr(open.offset, close.offset + 1 - open.offset));
    ts_.seek(open.match + 1);
    return {};
  }

  // (invoke $id? "name" const*) | (get $id? "name")
  Result<void> parseAction(WastAction& a) {
    BANTAM_TRY(ts_.expectLParen());
    if (ts_.isKeyword("invoke")) a.kind = WastAction::Kind::Invoke;
    else if (ts_.isKeyword("get")) a.kind = WastAction::Kind::Get;
    else return ts_.unexpected(ts_.peek(), "\"invoke\" or \"get\"");
    ts_.next();
    if (ts_.is(TokenKind::Id)) a.module = std::string(ts_.text(ts_.next()));
    a.name = BANTAM_TRY(ts_.readString());
    if (a.kind == WastAction::Kind::Invoke) {
      while (ts_.is(TokenKind::LParen)) {
        WastValue v;
        BANTAM_TRY(parseValue(v, false));
        a.args.push_back(v);
      }
    }
    return ts_.expectRParen();
  }

  // (t.const literal) | (v128.const shape lane*) | (ref.null func|extern) | (ref.extern n?)
  // | (ref.func): results may use nan:canonical / nan:arithmetic and payload-less references.
  Result<void> parseValue(WastValue& v, bool isResult) {
    BANTAM_TRY(ts_.expectLParen());
    const Token& kwTok = ts_.peek();
    if (kwTok.kind != TokenKind::Keyword) return ts_.unexpected(kwTok, "a constant");
    const std::string_view kw = ts_.text(kwTok);
    ts_.next();
    using Type = WastValue::Type;
    if (kw == "i32.const") {
      v.type = Type::I32;
      v.bits = BANTAM_TRY(readI32(ts_));
    } else if (kw == "i64.const") {
      v.type = Type::I64;
      v.bits = BANTAM_TRY(readI64(ts_));
    } else if (kw == "f32.const") {
      v.type = Type::F32;
      v.bits = BANTAM_TRY(readF32Pattern(ts_, isResult, v.nan));
    } else if (kw == "f64.const") {
      v.type = Type::F64;
      v.bits = BANTAM_TRY(readF64Pattern(ts_, isResult, v.nan));
    } else if (kw == "v128.const") {
      V128Literal lit = BANTAM_TRY(readV128(ts_, isResult));
      v.type = Type::V128;
      v.v128 = lit.bytes;
      v.shape = lit.shape;
      v.laneNan = lit.laneNan;
    } else if (kw == "ref.null") {
      if (ts_.isKeyword("func")) v.type = Type::FuncRef;
      else if (ts_.isKeyword("extern")) v.type = Type::ExternRef;
      else return ts_.unexpected(ts_.peek(), "\"func\" or \"extern\"");
      ts_.next();
      v.isNull = true;
    } else if (kw == "ref.extern" || kw == "ref.func") {
      v.type = kw == "ref.extern" ? Type::ExternRef : Type::FuncRef;
      if (ts_.is(TokenKind::Nat)) {
        const Token& t = ts_.next();
        if (parseUnsigned(ts_.text(t), 64, v.bits) != LitStatus::Ok)
          return ts_.errorAt(t, "constant out of range");
      } else if (isResult) {
        v.anyNonNull = true;
      } else {
        return ts_.unexpected(ts_.peek(), "a reference payload");
      }
    } else {
      return ts_.unexpected(kwTok, "a constant");
    }
    return ts_.expectRParen();
  }

  const SourceInfo& src_;
  TokenStream ts_;
};

}  // namespace

Result<WastScript> parseWast(std::string_view text, std::string fileName) {
  WastScript script;
  script.fileName = std::move(fileName);
  SourceInfo source{text, script.fileName, 1, 1};
  std::vector<Token> tokens = BANTAM_TRY(tokenize(source));
  WastParser parser(source, tokens);
  BANTAM_TRY(parser.parse(script.commands));
  return script;
}

}  // namespace bantam::wasm::text
