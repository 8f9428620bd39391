// Instruction sequences (§6.5): plain and folded forms, structured control and labels.
// Parsed with an explicit stack of open constructs rather than recursion, so that deeply
// nested code (compilers emit thousands of nested blocks for a large switch) cannot exhaust
// the native stack.
#include "wasm/text/numbers.h"
#include "wasm/text/wat_parser.h"

namespace bantam::wasm::text {

// ---- locals and labels -----------------------------------------------------------------

bool CodeContext::addLocalName(std::string_view name, uint32_t index) {
  if (!map_.empty()) return map_.emplace(name, index).second;
  for (const auto& [n, i] : names_)
    if (n == name) return false;
  names_.emplace_back(name, index);
  if (names_.size() > kLinearLimit) {
    for (const auto& [n, i] : names_) map_.emplace(n, i);
    names_.clear();
  }
  return true;
}

std::optional<uint32_t> CodeContext::findLocal(std::string_view name) const {
  if (!map_.empty()) {
    auto it = map_.find(name);
    return it == map_.end() ? std::nullopt : std::optional<uint32_t>(it->second);
  }
  for (const auto& [n, i] : names_)
    if (n == name) return i;
  return std::nullopt;
}

void CodeContext::pushLabel(std::string_view name) {
  uint32_t shadowed = kNone;
  if (!name.empty()) {
    auto [it, inserted] = innermost_.try_emplace(name, 0);
    if (!inserted) shadowed = it->second;
    it->second = static_cast<uint32_t>(labels_.size());
  }
  labels_.push_back({name, shadowed});
}

void CodeContext::popLabel() {
  const Label l = labels_.back();
  labels_.pop_back();
  if (l.name.empty()) return;
  if (l.shadowed == kNone) innermost_.erase(l.name);
  else innermost_[l.name] = l.shadowed;
}

std::optional<uint32_t> CodeContext::findLabel(std::string_view name) const {
  auto it = innermost_.find(name);
  if (it == innermost_.end()) return std::nullopt;
  return static_cast<uint32_t>(labels_.size() - 1 - it->second);
}

// ---- sequences ---------------------------------------------------------------------------

Result<void> WatParser::parseInstrs(CodeContext& cx, ByteWriter& w) {
  return parseSequence(cx, w, false);
}

Result<void> WatParser::parseExpr(CodeContext& cx, ByteWriter& w) {
  BANTAM_TRY(parseSequence(cx, w, false));
  w.u8(0x0b);
  return {};
}

Result<void> WatParser::parseFoldedInstr(CodeContext& cx, ByteWriter& w) {
  if (!ts_.is(TokenKind::LParen)) return ts_.unexpected(ts_.peek(), "\"(\"");
  return parseSequence(cx, w, true);
}

// "end $l" / "else $l" may repeat the block's label, and only that (§6.5.2).
Result<void> WatParser::checkEndLabel(std::string_view label) {
  if (!ts_.is(TokenKind::Id)) return {};
  const Token& id = ts_.next();
  if (label.empty() || ts_.text(id) != label) return ts_.errorAt(id, "mismatching label");
  return {};
}

// Closes an if: an empty else branch is left out, as the reference interpreter and wabt
// encode it (an if without else has an empty else, §5.4.1).
static void closeIf(ByteWriter& w, size_t elsePos) {
  if (elsePos != SIZE_MAX && w.size() == elsePos + 1) w.bytes().pop_back();
  w.u8(0x0b);
}

// Opens "(" instr: the operands of a plain instruction are emitted before it, so its opcode
// and immediates wait in the frame's buffer until ")" (§6.5.5).
Result<void> WatParser::openFolded(CodeContext& cx, ByteWriter& w) {
  ts_.next();  // "("
  const Token& t = ts_.peek();
  const auto op = t.kind == TokenKind::Keyword ? opFromName(ts_.text(t)) : std::nullopt;
  if (!op) return ts_.unexpected(t, "an instruction");
  ts_.next();
  const size_t depth = frames_.size();
  if (immPool_.size() <= depth) immPool_.resize(depth + 1);
  ByteWriter& imm = immPool_[depth];
  imm.clear();
  if (*op == Op::Block || *op == Op::Loop) {
    const Token* id = maybeId();
    writeOp(w, *op);
    BANTAM_TRY(parseBlockType(w));
    cx.pushLabel(id ? ts_.text(*id) : std::string_view{});
    frames_.push_back({Frame::FoldedBlock, *op, SIZE_MAX});
  } else if (*op == Op::If) {
    // "(if label bt cond* (then ..) (else ..)?)": the condition comes first and lies outside
    // the if's label scope; the label is bound when "(then" opens.
    const Token* id = maybeId();
    writeOp(imm, *op);
    BANTAM_TRY(parseBlockType(imm));
    frames_.push_back({Frame::IfCond, *op, SIZE_MAX, id ? ts_.text(*id) : std::string_view{}});
  } else {
    BANTAM_TRY(parseImmediates(*op, cx, imm));
    frames_.push_back({Frame::FoldedPlain, *op, SIZE_MAX});
  }
  return {};
}

// Parses instructions until a token that ends the sequence at the outer level (")", "end",
// "else" or anything that is no instruction), which is left for the caller. With
// `singleFolded`, parses exactly one folded instruction.
Result<void> WatParser::parseSequence(CodeContext& cx, ByteWriter& w, bool singleFolded) {
  frames_.clear();
  bool started = false;
  for (;;) {
    if (singleFolded && started && frames_.empty()) return {};
    started = true;
    Frame* top = frames_.empty() ? nullptr : &frames_.back();
    const Token& t = ts_.peek();

    // Inside "(plaininstr ..." and "(if ... cond": only folded instructions, then ")" / "(then".
    if (top && (top->kind == Frame::FoldedPlain || top->kind == Frame::IfCond)) {
      if (top->kind == Frame::IfCond && ts_.isParenKeyword("then")) {
        ts_.next();
        ts_.next();
        w.append(immPool_[frames_.size() - 1].bytes());
        cx.pushLabel(top->label);
        top->kind = Frame::IfThen;
        continue;
      }
      if (t.kind == TokenKind::LParen) {
        BANTAM_TRY(openFolded(cx, w));
        continue;
      }
      if (top->kind == Frame::IfCond) return ts_.unexpected(t, "\"(then\"");
      BANTAM_TRY(ts_.expectRParen());
      w.append(immPool_[frames_.size() - 1].bytes());
      frames_.pop_back();
      continue;
    }

    if (t.kind == TokenKind::LParen) {
      BANTAM_TRY(openFolded(cx, w));
      continue;
    }

    if (t.kind == TokenKind::Keyword) {
      const std::string_view kw = ts_.text(t);
      const bool plainTop = top && top->kind == Frame::PlainBlock;
      if (kw == "end") {
        if (!plainTop) break;
        ts_.next();
        BANTAM_TRY(checkEndLabel(cx.innermostLabel()));
        if (top->op == Op::If) closeIf(w, top->elsePos);
        else w.u8(0x0b);
        cx.popLabel();
        frames_.pop_back();
        continue;
      }
      if (kw == "else") {
        if (!plainTop || top->op != Op::If || top->elsePos != SIZE_MAX) break;
        ts_.next();
        BANTAM_TRY(checkEndLabel(cx.innermostLabel()));
        top->elsePos = w.size();
        w.u8(0x05);
        continue;
      }
      const auto op = opFromName(kw);
      if (!op) return ts_.unexpected(t, "an instruction");
      ts_.next();
      if (*op == Op::Block || *op == Op::Loop || *op == Op::If) {
        const Token* id = maybeId();
        writeOp(w, *op);
        BANTAM_TRY(parseBlockType(w));
        cx.pushLabel(id ? ts_.text(*id) : std::string_view{});
        frames_.push_back({Frame::PlainBlock, *op, SIZE_MAX});
      } else {
        BANTAM_TRY(parseImmediates(*op, cx, w));
      }
      continue;
    }

    if (t.kind == TokenKind::RParen && top) {
      switch (top->kind) {
        case Frame::FoldedBlock:
          ts_.next();
          w.u8(0x0b);
          cx.popLabel();
          frames_.pop_back();
          break;
        case Frame::IfThen:
          ts_.next();
          if (ts_.isParenKeyword("else")) {
            ts_.next();
            ts_.next();
            top->elsePos = w.size();
            w.u8(0x05);
            top->kind = Frame::IfElse;
            continue;
          }
          BANTAM_TRY(ts_.expectRParen());
          closeIf(w, SIZE_MAX);
          cx.popLabel();
          frames_.pop_back();
          break;
        case Frame::IfElse:
          ts_.next();
          BANTAM_TRY(ts_.expectRParen());
          closeIf(w, top->elsePos);
          cx.popLabel();
          frames_.pop_back();
          break;
        default:  // a plain block still open
          return ts_.unexpected(t, "\"end\"");
      }
      continue;
    }
    break;
  }
  // A token that ends the sequence: fine at the outer level, an error inside a construct.
  if (frames_.empty()) return {};
  const Token& t = ts_.peek();
  return ts_.unexpected(t, frames_.back().kind == Frame::PlainBlock ? "\"end\"" : "\")\"");
}

// blocktype (§6.5.2): "(type x)? (param t*)* (result t*)*". Types without parameters and with
// at most one result use the short encodings 0x40 / valtype, also when written as "(type x)"
// (as wabt encodes them; the meaning is the same).
Result<void> WatParser::parseBlockType(ByteWriter& w) {
  TypeUse use = BANTAM_TRY(parseTypeUse(false));
  const FuncType* sig = &use.sig;
  if (use.index) {
    const uint32_t index = BANTAM_TRY(resolveTypeUse(use));
    sig = typeAt(index);
    if (!sig || !sig->params.empty() || sig->results.size() > 1) {
      w.s64(index);
      return {};
    }
  } else if (!sig->params.empty() || sig->results.size() > 1) {
    w.s64(findOrAddType(*sig));
    return {};
  }
  w.u8(sig->results.empty() ? 0x40 : static_cast<uint8_t>(sig->results[0]));
  return {};
}

Result<uint32_t> WatParser::parseLabel(const CodeContext& cx) {
  const Token& t = ts_.peek();
  if (t.kind == TokenKind::Nat) return readU32(ts_);
  if (t.kind != TokenKind::Id) return ts_.unexpected(t, "a label");
  if (auto depth = cx.findLabel(ts_.text(t))) {
    ts_.next();
    return *depth;
  }
  return ts_.errorAt(t, "unknown label " + std::string(ts_.text(t)));
}

}  // namespace bantam::wasm::text
