// Disassembly of lowered code: handler names come from the same tables the lowering uses.
#include "interp/disasm.h"

#include <cinttypes>
#include <cstdio>
#include <algorithm>
#include <map>

#include "interp/lower.h"

namespace bantam::interp {

namespace {

std::map<Handler, std::string> handlerNames() {
  std::map<Handler, std::string> names;
#define BANTAM_INTERP_NAME(name) names[&h::name] = #name;
  BANTAM_INTERP_NAMED_HANDLERS(BANTAM_INTERP_NAME)
#undef BANTAM_INTERP_NAME
  for (size_t i = 0; i < wasm::kOpCount; ++i) {
    std::string op(wasm::kOpInfo[i].text);
    const NumericHandlers& n = kNumeric[i];
    if (n.r) names[n.r] = op;
    if (n.rr) names[n.rr] = op;
    if (n.ri) names[n.ri] = op + " (imm b)";
    if (n.ir) names[n.ir] = op + " (imm a)";
    if (n.acc) names[n.acc] = op + " (acc)";
    if (n.accA) names[n.accA] = op + " (acc a)";
    if (n.accAI) names[n.accAI] = op + " (acc a, imm b)";
    if (n.accB) names[n.accB] = op + " (acc b)";
    for (int f = 0; f < 2; ++f)
      for (int g = 0; g < 2; ++g)
        for (int c = 0; c < 2; ++c)
          for (int a = 0; a < 2; ++a) {
            for (int k = 0; k < 2; ++k)
              if (Handler hd = kBranchCmp[i].add[k][f][g][c])
                names[hd] = std::string("add") + (k ? " (imm b)" : "") + ", br_if " + (g ? "!" : "") + op +
                            (f ? " (imm c)" : "") + (c ? " +check" : "");
            if (Handler hd = a ? kBranchCmp[i].hAcc[f][g][c] : kBranchCmp[i].h[f][g][c])
              names[hd] = std::string("br_if ") + (g ? "!" : "") + op + (a ? " (acc a)" : "") +
                          (f ? " (imm b)" : "") + (c ? " +check" : "");
          }
    for (const auto* table : {&kMemory, &kMemoryVector}) {
      const MemoryHandlers& m = (*table)[i];
      if (m.reg) names[m.reg] = op;
      if (m.abs) names[m.abs] = op + " (abs)";
      if (m.imm) names[m.imm] = op + " (imm value)";
      if (m.addImm) names[m.addImm] = op + " (a+k)";
      if (m.addReg) names[m.addReg] = op + " (a+b)";
      if (m.addImmImm) names[m.addImmImm] = op + " (a+k, imm value)";
      if (m.accAddr) names[m.accAddr] = op + " (acc addr)";
      if (m.addImmAcc) names[m.addImmAcc] = op + " (acc+k)";
      if (m.accAddrImm) names[m.accAddrImm] = op + " (acc addr, imm value)";
      if (m.accVal) names[m.accVal] = op + " (acc value)";
      if (m.absAccVal) names[m.absAccVal] = op + " (abs, acc value)";
    }
    if (kVector[i]) names[kVector[i]] = op;
  }
  for (size_t i = 0; i < wasm::kOpCount; ++i) {
    if (wasm::kOpInfo[i].category != wasm::OpCategory::Numeric) continue;
    for (size_t j = 0; j < wasm::kOpCount; ++j) {
      if (wasm::kOpInfo[j].category != wasm::OpCategory::Numeric) continue;
      for (int t = 0; t < 3; ++t)
        for (int a = 0; a < 2; ++a)
          for (int b = 0; b < 2; ++b)
            if (Handler hd = pairHandler(static_cast<wasm::Op>(i), static_cast<wasm::Op>(j),
                                         static_cast<PairForm>(t), a, b))
              names[hd] = "pair " + std::string(wasm::kOpInfo[i].text) + (a ? " (acc a)" : "") +
                          (b ? " (imm b)" : "") + " -> " + std::string(wasm::kOpInfo[j].text) +
                          (t == 0 ? " (c, t)" : t == 1 ? " (t, c)" : " (t, imm)");
    }
  }
  for (size_t i = 0; i < wasm::kOpCount; ++i)
    for (size_t j = 0; j < wasm::kOpCount; ++j)
      for (int a = 0; a < 2; ++a)
        for (int b = 0; b < 2; ++b)
          for (int c = 0; c < 2; ++c)
            if (Handler hd = opStoreHandler(static_cast<wasm::Op>(i), static_cast<wasm::Op>(j), a, b, c))
              names[hd] = std::string(wasm::kOpInfo[i].text) + (c ? " (acc b)" : a ? " (acc a)" : "") +
                          (b && !c ? " (imm b)" : "") + " -> " + std::string(wasm::kOpInfo[j].text);
  for (uint32_t w : {1u, 2u, 4u, 8u})
    for (int f = 0; f < 3; ++f)
      if (Handler hd = moveHandler(w, static_cast<MoveForm>(f)))
        names[hd] = "move" + std::to_string(w) + (f == 1 ? " (acc addr)" : f == 2 ? " (a+k)" : "");
  for (size_t i = 0; i < wasm::kOpCount; ++i) {
    if (wasm::kOpInfo[i].category != wasm::OpCategory::Memory) continue;
    for (size_t j = 0; j < wasm::kOpCount; ++j) {
      if (wasm::kOpInfo[j].category != wasm::OpCategory::Numeric) continue;
      for (int a = 0; a < 3; ++a)
        for (int t = 0; t < 3; ++t)
          if (Handler hd = loadOpHandler(static_cast<wasm::Op>(i), static_cast<wasm::Op>(j),
                                         static_cast<MoveForm>(a), static_cast<PairForm>(t)))
            names[hd] = std::string(wasm::kOpInfo[i].text) + (a == 1 ? " (acc addr)" : a == 2 ? " (a+k)" : "") +
                        " -> " + std::string(wasm::kOpInfo[j].text) +
                        (t == 0 ? " (c, t)" : t == 1 ? " (t, c)" : " (t, imm)");
    }
  }
  return names;
}

const std::map<Handler, std::string>& names() {
  static const std::map<Handler, std::string> kNames = handlerNames();
  return kNames;
}

#ifdef BANTAM_INTERP_PROFILE
// Development-only global counters (the profiling build is never a product build).
std::map<std::pair<Handler, Handler>, uint64_t>& pairCounts() {
  static std::map<std::pair<Handler, Handler>, uint64_t> counts;
  return counts;
}
#endif

}  // namespace

#ifdef BANTAM_INTERP_PROFILE
void profileDispatch(const CodeUnit* from, const CodeUnit* to) {
  ++pairCounts()[{loadHandler(from), loadHandler(to)}];
}
#endif

std::string handlerName(const void* handler) {
  auto it = names().find(reinterpret_cast<Handler>(const_cast<void*>(handler)));
  return it == names().end() ? "?" : it->second;
}

std::string profileReport(size_t top) {
  std::string out;
#ifdef BANTAM_INTERP_PROFILE
  std::vector<std::pair<uint64_t, std::pair<Handler, Handler>>> v;
  uint64_t total = 0;
  for (auto& [k, n] : pairCounts()) {
    v.emplace_back(n, k);
    total += n;
  }
  std::sort(v.rbegin(), v.rend());
  char buf[160];
  for (size_t i = 0; i < v.size() && i < top; ++i) {
    std::snprintf(buf, sizeof buf, "%6.2f%%  %-32s -> %s\n", 100.0 * v[i].first / total,
                  handlerName(reinterpret_cast<const void*>(v[i].second.first)).c_str(),
                  handlerName(reinterpret_cast<const void*>(v[i].second.second)).c_str());
    out += buf;
  }
#endif
  return out;
}

Result<std::string> disassembleModule(const wasm::Module& module, std::span<const uint32_t> sigIds,
                                      uint32_t funcIndex) {
  ModuleCode code;
  code.numImportedFuncs = module.numImportedFuncs;
  std::vector<uint32_t> starts;
  Lowerer lowerer(module, sigIds, code);
  lowerer.recordStarts(&starts);
  for (uint32_t i = 0; i < module.functions.size(); ++i) BANTAM_TRY(lowerer.lowerFunction(i));
  lowerer.finish();
  std::string out;
  char buf[96];
  size_t fi = 0;
  for (size_t k = 0; k < starts.size(); ++k) {
    uint32_t pos = starts[k];
    while (fi + 1 < code.funcStarts.size() && code.funcStarts[fi + 1] <= pos) ++fi;
    uint32_t index = module.numImportedFuncs + static_cast<uint32_t>(fi);
    if (funcIndex != UINT32_MAX && index != funcIndex) continue;
    if (pos == code.funcStarts[fi]) out += "\nfunc " + std::to_string(index) + " " + module.functionName(wasm::FuncIdx(index)) + ":\n";
    uint32_t end = k + 1 < starts.size() ? starts[k + 1] : static_cast<uint32_t>(code.code.size());
    Handler h = loadHandler(code.code.data() + pos);
    std::snprintf(buf, sizeof buf, "%6u  %-28s", pos, handlerName(reinterpret_cast<const void*>(h)).c_str());
    out += buf;
    for (uint32_t p = pos + kHandlerUnits; p < end; ++p) {
      std::snprintf(buf, sizeof buf, " %d", static_cast<int32_t>(code.code[p]));
      out += buf;
    }
    out += '\n';
  }
  return out;
}

}  // namespace bantam::interp
