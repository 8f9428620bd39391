// `bantam run FILE [ARGS...]`: instantiate a module and run its entry point or --invoke an
// export, printing the results one per line (as `wasmtime run --invoke` does).
#include <cerrno>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "cli/commands.h"
#include "cli/load.h"
#include "interp/interpreter.h"
#include "runtime/store.h"

namespace bantam::cli {

namespace {

// Exit status for a trap, as Wasmtime reports one (128 + SIGABRT).
constexpr int kTrapExit = 134;

Result<runtime::RawVal> parseArg(const std::string& text, wasm::ValType type) {
  runtime::RawVal v;
  const char* s = text.c_str();
  char* end = nullptr;
  errno = 0;
  switch (type) {
    case wasm::ValType::I32: {
      long long x = std::strtoll(s, &end, 0);
      if (*end || errno || x < INT32_MIN || x > UINT32_MAX) break;
      v.i64 = 0;
      v.i32 = static_cast<uint32_t>(x);
      return v;
    }
    case wasm::ValType::I64: {
      if (text.starts_with("-")) {
        long long x = std::strtoll(s, &end, 0);
        if (*end || errno) break;
        v.i64 = static_cast<uint64_t>(x);
      } else {
        unsigned long long x = std::strtoull(s, &end, 0);
        if (*end || errno) break;
        v.i64 = x;
      }
      return v;
    }
    case wasm::ValType::F32: {
      float x = std::strtof(s, &end);
      if (*end || end == s) break;
      v.i64 = 0;
      std::memcpy(&v.f32, &x, 4);
      return v;
    }
    case wasm::ValType::F64: {
      double x = std::strtod(s, &end);
      if (*end || end == s) break;
      std::memcpy(&v.f64, &x, 8);
      return v;
    }
    default:
      return fail(ErrorKind::Usage, std::string("--invoke cannot pass ") + wasm::valTypeName(type) +
                                        " arguments from the command line");
  }
  return fail(ErrorKind::Usage, "argument \"" + text + "\" is not a valid " + wasm::valTypeName(type));
}

void printResult(wasm::ValType type, const runtime::RawVal& v) {
  switch (type) {
    case wasm::ValType::I32: std::printf("%" PRId32 "\n", static_cast<int32_t>(v.i32)); break;
    case wasm::ValType::I64: std::printf("%" PRId64 "\n", static_cast<int64_t>(v.i64)); break;
    case wasm::ValType::F32: {
      float f;
      std::memcpy(&f, &v.f32, 4);
      std::printf("%.9g\n", static_cast<double>(f));
      break;
    }
    case wasm::ValType::F64: {
      double d;
      std::memcpy(&d, &v.f64, 8);
      std::printf("%.17g\n", d);
      break;
    }
    case wasm::ValType::V128: {
      std::printf("0x");
      for (int i = 15; i >= 0; --i) std::printf("%02x", v.v128.bytes[i]);
      std::printf("\n");
      break;
    }
    case wasm::ValType::FuncRef:
    case wasm::ValType::ExternRef:
      std::printf("%s\n", v.ref ? "<ref>" : "null");
      break;
  }
}

}  // namespace

int cmdRun(const RunOptions& options) {
  runtime::Engine engine(interp::createInterpreter());
  auto module = loadModule(engine, options.file);
  if (!module) {
    printError(module.error());
    return 1;
  }
  runtime::Store store(engine);
  if (options.fuel) store.setFuel(options.fuel);
  runtime::Linker linker;
  auto instance = linker.instantiate(store, *module);
  if (!instance) {
    printError(std::move(instance.error()).withSource(options.file));
    return instance.error().kind == ErrorKind::Uninstantiable ? kTrapExit : 1;
  }
  std::string entry = options.invoke.empty() ? "_start" : options.invoke;
  runtime::FuncInst* func = (*instance)->exportedFunc(entry);
  if (!func) {
    Error e = Error::make(ErrorKind::Usage, "the module exports no function \"" + entry + "\"");
    e.source = options.file;
    e.hint = options.invoke.empty() ? "name the function to call with --invoke NAME"
                                    : "run `bantam inspect " + options.file + "` to list the exports";
    printError(e);
    return 1;
  }
  const wasm::FuncType& type = *func->type;
  if (options.args.size() != type.params.size()) {
    Error e = Error::make(ErrorKind::Usage, "\"" + entry + "\" takes " + std::to_string(type.params.size()) +
                                                " argument(s), " + std::to_string(options.args.size()) +
                                                " given: " + type.toString());
    printError(e);
    return 1;
  }
  std::vector<runtime::RawVal> cells(std::max(type.params.size(), type.results.size()));
  for (size_t i = 0; i < options.args.size(); ++i) {
    auto v = parseArg(options.args[i], type.params[i]);
    if (!v) {
      printError(v.error());
      return 1;
    }
    cells[i] = *v;
  }
  auto r = store.call(*func, cells);
  if (!r) {
    if (r.error().kind == runtime::TrapKind::Exit) return r.error().exitCode;
    std::fprintf(stderr, "bantam: trap: %s\n", r.error().toString().c_str());
    return kTrapExit;
  }
  for (size_t i = 0; i < type.results.size(); ++i) printResult(type.results[i], cells[i]);
  return 0;
}

}  // namespace bantam::cli
