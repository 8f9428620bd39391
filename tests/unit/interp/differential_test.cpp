// Differential testing of the lowering: random (but valid, deterministic) programs run once
// with every super-instruction, the accumulator, result retargeting and copy propagation, and
// once with each wasm instruction lowered on its own. Both must agree on every result and trap.
#include <random>
#include <sstream>

#include "interp_harness.h"

namespace bantam::interp::test {

namespace {

// Generates WAT for a function `run(i32 i32) -> i64` over i32, i64 and f64 locals, mixing
// arithmetic (including the operand orders and constant positions the fusions care about),
// comparisons, conversions, select, local.set/tee, loads and stores, ifs, blocks with br_if
// and counted loops. Division by zero may trap: both runs must trap alike.
// NaN results are nondeterministic in WebAssembly (§4.3.3: any canonical or arithmetic NaN),
// and a fused handler may legitimately pick another NaN than two separate ones (operand order
// of a commutative instruction), so every f64 is canonicalized before it is stored anywhere
// and no NaN bits reach an integer (no reinterpret, no copysign in expressions).
class ProgramGenerator {
 public:
  explicit ProgramGenerator(uint32_t seed) : rng_(seed) {}

  std::string module() {
    out_.str("");
    // A helper to call: results come back through the frame (and the accumulator).
    out_ << "(module (memory 1)\n(func $h (param i32 i64) (result i64)\n"
            "  (i64.add (i64.extend_i32_s (local.get 0)) (i64.mul (local.get 1) (i64.const 3))))\n"
            "(func (export \"run\") (param i32 i32) (result i64)\n";
    out_ << "(local i32 i32 i32 i32 i64 i64 i64 i64 f64 f64 f64 f64 i32 i32 i32 i32 f64)\n";
    // locals: 0-1 params, 2-5 i32, 6-9 i64, 10-13 f64, 14-17 loop counters (one per depth),
    // 18 scratch for NaN canonicalization
    for (int i = 0; i < 4; ++i) {
      out_ << "(local.set " << 2 + i << " (i32.add (local.get 0) (i32.const " << pick(100) << ")))\n";
      out_ << "(local.set " << 6 + i << " (i64.extend_i32_s (i32.mul (local.get 1) (i32.const " << pick(1000) + 1
           << "))))\n";
      out_ << "(local.set " << 10 + i << " (f64.convert_i32_s (i32.sub (local.get 0) (i32.const " << pick(50)
           << "))))\n";
    }
    statements(3, 12);
    // The result hashes every local.
    out_ << "(i64.const 0)\n";
    for (int i = 0; i < 14; ++i) {
      if (i < 6) out_ << "(i64.extend_i32_u (local.get " << i << "))";
      else if (i < 10) out_ << "(local.get " << i << ")";
      else out_ << "(i64.reinterpret_f64 (local.get " << i << "))";
      out_ << " (i64.xor) (i64.const 31) (i64.mul)\n";
    }
    out_ << "))";
    return out_.str();
  }

 private:
  int pick(int n) { return static_cast<int>(rng_() % static_cast<uint32_t>(n)); }
  bool chance(int percent) { return pick(100) < percent; }
  int local(char t) { return (t == 'i' ? 2 : t == 'I' ? 6 : 10) + pick(4); }
  char anyType() { return "iiIF"[pick(4)]; }

  void statements(int depth, int n) {
    for (int i = 0; i < n; ++i) statement(depth);
  }

  void statement(int depth) {
    int k = pick(depth > 0 ? 11 : 6);
    char t = anyType();
    switch (k) {
      case 0: case 1: case 2:
        if (t == 'F') {
          canonicalize(3);
          out_ << "(local.set " << local(t) << " " << kCanonical << ")\n";
          break;
        }
        out_ << "(local.set " << local(t) << " ";
        expr(t, 3);
        out_ << ")\n";
        break;
      case 3:
        if (t == 'F') canonicalize(2);
        out_ << "(" << (t == 'i' && chance(30) ? "i32.store8" : t == 'I' && chance(30) ? "i64.store16" : store(t)) << " ";
        address();
        out_ << " ";
        if (t == 'F') out_ << kCanonical;
        else expr(t, 2);
        out_ << ")\n";
        break;
      case 4:  // a value left on the stack across a local.set of the same local
        out_ << "(local.set " << local('i') << " (i32.add (local.get 2) (i32.const 1)))\n";
        out_ << "(local.set 3 (i32.sub (local.get 2) (block (result i32) (local.set 2 (i32.const "
             << pick(9) << ")) (local.get 2))))\n";
        break;
      case 5:  // copies between locals (copy propagation)
        out_ << "(local.set " << local(t) << " (local.get " << local(t) << "))\n";
        break;
      case 6:
        out_ << "(if ";
        expr('i', 2);
        out_ << " (then\n";
        statements(depth - 1, 2);
        out_ << ") (else\n";
        statements(depth - 1, 2);
        out_ << "))\n";
        break;
      case 7:
        out_ << "(block $b" << depth << "\n";
        statements(depth - 1, 2);
        out_ << "(br_if $b" << depth << " ";
        expr('i', 2);
        out_ << ")\n";
        statements(depth - 1, 2);
        out_ << ")\n";
        break;
      case 9:
        if (chance(50)) {  // br_table over nested blocks
          out_ << "(block $x" << depth << " (block $y" << depth << " (block $z" << depth << "\n";
          out_ << "(br_table $x" << depth << " $y" << depth << " $z" << depth << " $y" << depth << " (i32.and ";
          expr('i', 1);
          out_ << " (i32.const 3))))\n";
          statements(depth - 1, 1);
          out_ << ")\n";
          statements(depth - 1, 1);
          out_ << ")\n";
          break;
        }
        [[fallthrough]];
      case 8: {
        int n = 1 + pick(5);
        int counter = 14 + depth;
        out_ << "(local.set " << counter << " (i32.const 0))\n(loop $l" << depth << "\n";
        statements(depth - 1, 3);
        out_ << "(br_if $l" << depth << " (i32.lt_u (local.tee " << counter << " (i32.add (local.get " << counter
             << ") (i32.const 1))) (i32.const " << n << "))))\n";
        break;
      }
      default:
        if (t == 'F') t = 'I';
        out_ << "(local.set " << local(t) << " (select ";
        expr(t, 2);
        out_ << " ";
        expr(t, 2);
        out_ << " ";
        expr('i', 1);
        out_ << "))\n";
        break;
    }
  }

  static constexpr const char* kCanonical =
      "(select (local.get 18) (f64.const 0) (f64.eq (local.get 18) (local.get 18)))";
  // Computes an f64 into local 18; kCanonical then reads it with any NaN replaced by 0.
  void canonicalize(int depth) {
    out_ << "(local.set 18 ";
    expr('F', depth);
    out_ << ")\n";
  }

  // An in-bounds address, sometimes as base + constant (address-mode fusion).
  void address() {
    if (chance(50)) {
      out_ << "(i32.add (i32.and ";
      expr('i', 1);
      out_ << " (i32.const 0x7f0)) (i32.const " << 8 * pick(16) << "))";
    } else {
      out_ << "(i32.and ";
      expr('i', 1);
      out_ << " (i32.const 0xff8))";
    }
  }

  static const char* store(char t) { return t == 'i' ? "i32.store" : t == 'I' ? "i64.store" : "f64.store"; }
  static const char* load(char t) { return t == 'i' ? "i32.load" : t == 'I' ? "i64.load" : "f64.load"; }
  static const char* prefix(char t) { return t == 'i' ? "i32" : t == 'I' ? "i64" : "f64"; }

  void constant(char t) {
    if (t == 'F') out_ << "(f64.const " << (pick(200) - 100) * 0.25 << ")";
    else out_ << "(" << prefix(t) << ".const " << (pick(2) ? pick(64) : pick(1 << 20) - (1 << 19)) << ")";
  }

  void expr(char t, int depth) {
    int k = depth > 0 ? pick(12) : pick(3);
    if (k == 0) {
      out_ << "(local.get " << local(t) << ")";
    } else if (k == 1) {
      constant(t);
    } else if (k == 2) {
      out_ << "(local.get " << (t == 'i' ? pick(2) : local(t)) << ")";
    } else if (k <= 6) {  // binary, with constants on either side now and then
      static const char* kInt[] = {"add", "sub", "mul", "and", "or", "xor", "shl", "shr_s", "shr_u", "rotl", "rotr", "div_u", "rem_s"};
      static const char* kFloat[] = {"add", "sub", "mul", "div", "min", "max"};
      const char* op = t == 'F' ? kFloat[pick(6)] : kInt[pick(chance(90) ? 11 : 13)];
      out_ << "(" << prefix(t) << "." << op << " ";
      if (chance(20)) constant(t);
      else expr(t, depth - 1);
      out_ << " ";
      if (chance(30)) constant(t);
      else expr(t, depth - 1);
      out_ << ")";
    } else if (k == 7) {
      static const char* kNarrow[] = {"i32.load8_s", "i32.load8_u", "i32.load16_s", "i32.load16_u"};
      static const char* kNarrow64[] = {"i64.load8_u", "i64.load16_s", "i64.load32_s", "i64.load32_u"};
      const char* op = t == 'i' && chance(40) ? kNarrow[pick(4)] : t == 'I' && chance(40) ? kNarrow64[pick(4)] : load(t);
      out_ << "(" << op << " ";
      address();
      out_ << ")";
    } else if (k == 9 && t == 'I' && chance(50)) {  // a call whose result feeds an operation
      out_ << "(i64.xor (call $h ";
      expr('i', depth - 1);
      out_ << " ";
      expr('I', depth - 1);
      out_ << ") ";
      expr('I', depth - 1);
      out_ << ")";
    } else if (k == 8 && t != 'F') {  // local.tee inside an expression
      out_ << "(local.tee " << local(t) << " ";
      expr(t, depth - 1);
      out_ << ")";
    } else if (k == 9 && t == 'i') {  // comparisons of every type
      char u = anyType();
      static const char* kIntCmp[] = {"eq", "ne", "lt_s", "lt_u", "gt_s", "gt_u", "le_s", "le_u", "ge_s", "ge_u"};
      static const char* kFloatCmp[] = {"eq", "ne", "lt", "gt", "le", "ge"};
      out_ << "(" << prefix(u) << "." << (u == 'F' ? kFloatCmp[pick(6)] : kIntCmp[pick(10)]) << " ";
      expr(u, depth - 1);
      out_ << " ";
      if (chance(40)) constant(u);
      else expr(u, depth - 1);
      out_ << ")";
    } else if (k == 10) {  // conversions and unary operations
      if (t == 'i') {
        static const char* kOps[] = {"(i32.eqz ", "(i32.popcnt ", "(i32.clz ", "(i32.extend8_s "};
        if (chance(30)) {
          out_ << "(i32.wrap_i64 ";
          expr('I', depth - 1);
        } else {
          out_ << kOps[pick(4)];
          expr('i', depth - 1);
        }
      } else if (t == 'I') {
        out_ << "(i64.extend_i32_" << (chance(50) ? "s " : "u ");
        expr('i', depth - 1);
      } else {
        static const char* kOps[] = {"(f64.neg ", "(f64.abs ", "(f64.sqrt ", "(f64.floor "};
        if (chance(30)) {
          out_ << "(f64.convert_i64_s ";
          expr('I', depth - 1);
        } else {
          out_ << kOps[pick(4)];
          expr('F', depth - 1);
        }
      }
      out_ << ")";
    } else {
      out_ << "(select ";
      expr(t, depth - 1);
      out_ << " ";
      expr(t, depth - 1);
      out_ << " ";
      expr('i', depth - 1);
      out_ << ")";
    }
  }

  std::mt19937 rng_;
  std::ostringstream out_;
};

struct Outcome {
  bool trapped = false;
  runtime::TrapKind kind{};
  uint64_t value = 0;
  bool operator==(const Outcome&) const = default;
};

Outcome runWith(bool superInstructions, const std::string& wat, int32_t a, int32_t b) {
  runtime::Engine engine(createInterpreter(InterpreterOptions{superInstructions}));
  runtime::Store store(engine);
  auto bytes = wasm::text::parseWat(wat);
  EXPECT_TRUE(bytes.has_value()) << (bytes ? "" : bytes.error().toString()) << "\n" << wat;
  if (!bytes) return {};
  auto compiled = runtime::compileModule(engine, *bytes, "gen");
  EXPECT_TRUE(compiled.has_value()) << (compiled ? "" : compiled.error().toString()) << "\n" << wat;
  if (!compiled) return {};
  runtime::Linker linker;
  auto inst = linker.instantiate(store, *compiled);
  EXPECT_TRUE(inst.has_value());
  if (!inst) return {};
  std::vector<Value> args = {i32(a), i32(b)};
  auto r = store.call(*(*inst)->exportedFunc("run"), std::span<const Value>(args));
  Outcome o;
  if (!r) {
    o.trapped = true;
    o.kind = r.error().kind;
  } else {
    o.value = (*r)[0].raw.i64;
  }
  return o;
}

}  // namespace

TEST(InterpDifferential, RandomProgramsAgreeWithAndWithoutSuperInstructions) {
  int traps = 0;
  constexpr uint32_t kPrograms = 1000;
  for (uint32_t seed = 1; seed <= kPrograms; ++seed) {
    ProgramGenerator gen(seed);
    std::string wat = gen.module();
    for (auto [a, b] : {std::pair{7, 3}, std::pair{-100, 12345}}) {
      Outcome fused = runWith(true, wat, a, b);
      Outcome plain = runWith(false, wat, a, b);
      traps += plain.trapped;
      ASSERT_EQ(fused, plain) << "seed " << seed << " args " << a << ", " << b << "\n" << wat;
    }
  }
  EXPECT_LT(traps, static_cast<int>(kPrograms) / 5);  // most programs run to the end
}

}  // namespace bantam::interp::test
