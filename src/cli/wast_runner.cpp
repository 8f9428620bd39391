// The WAST script runner behind `bantam wast`.
#include "cli/wast_runner.h"

#include <fstream>
#include <map>
#include <memory>
#include <sstream>

#include "cli/wast_values.h"
#include "runtime/instantiate.h"
#include "runtime/store.h"
#include "wasm/text/wast.h"
#include "wasm/text/wat.h"

namespace bantam::cli {

using runtime::RawVal;
using wasm::text::WastAction;
using wasm::text::WastCommand;
using wasm::text::WastModule;
using wasm::text::WastValue;

namespace {

const char* commandName(WastCommand::Kind k) {
  switch (k) {
    case WastCommand::Kind::Module: return "module";
    case WastCommand::Kind::Register: return "register";
    case WastCommand::Kind::Action: return "action";
    case WastCommand::Kind::AssertReturn: return "assert_return";
    case WastCommand::Kind::AssertTrap: return "assert_trap";
    case WastCommand::Kind::AssertTrapModule: return "assert_trap";
    case WastCommand::Kind::AssertExhaustion: return "assert_exhaustion";
    case WastCommand::Kind::AssertMalformed: return "assert_malformed";
    case WastCommand::Kind::AssertInvalid: return "assert_invalid";
    case WastCommand::Kind::AssertUnlinkable: return "assert_unlinkable";
    case WastCommand::Kind::AssertUninstantiable: return "assert_uninstantiable";
  }
  return "?";
}

// What happened to an action: results or a trap.
struct ActionOutcome {
  std::vector<wasm::ValType> types;
  std::vector<RawVal> values;
  std::optional<runtime::Trap> trap;
  std::string error;  // the action itself could not be performed (unknown export, ...)
};

class Runner {
 public:
  Runner(runtime::Engine& engine, std::string path, const WastOptions& options, WastTally& tally,
         std::FILE* out)
      : engine_(engine), store_(engine), path_(std::move(path)), options_(options), tally_(tally), out_(out) {
    runtime::defineSpectest(store_, linker_);
  }

  void run(const wasm::text::WastScript& script) {
    for (const auto& cmd : script.commands) runCommand(cmd);
  }

 private:
  void pass(const WastCommand& cmd) {
    ++tally_.passed;
    if (options_.verbose) std::fprintf(out_, "%s:%u: %s: ok\n", path_.c_str(), cmd.line, commandName(cmd.kind));
  }
  void failure(const WastCommand& cmd, const std::string& what) {
    ++tally_.failed;
    std::fprintf(out_, "%s:%u: %s failed: %s\n", path_.c_str(), cmd.line, commandName(cmd.kind), what.c_str());
  }

  // Text, binary or quoted module to bytes. Errors are Parse errors for text.
  Result<std::vector<uint8_t>> moduleBytes(const WastModule& m) {
    switch (m.form) {
      case WastModule::Form::Binary:
        return m.binary;
      case WastModule::Form::Text:
        return wasm::text::parseWat(m.text, {path_, m.line, m.column});
      case WastModule::Form::Quote:
        return wasm::text::parseWat(m.text, {path_, m.line});
    }
    return fail(ErrorKind::Usage, "unknown module form");
  }

  Result<std::shared_ptr<runtime::CompiledModule>> compile(const WastModule& m) {
    auto bytes = BANTAM_TRY(moduleBytes(m));
    if (!options_.emitModules.empty()) emit(bytes, m.line);
    return runtime::compileModule(engine_, bytes, path_ + ":" + std::to_string(m.line));
  }

  Result<runtime::ModuleInst*> instantiate(const WastModule& m) {
    auto compiled = BANTAM_TRY(compile(m));
    return linker_.instantiate(store_, compiled);
  }

  void emit(const std::vector<uint8_t>& bytes, uint32_t line) {
    std::string base = path_.substr(path_.find_last_of('/') + 1);
    std::ofstream f(options_.emitModules + "/" + base + "-" + std::to_string(line) + ".wasm", std::ios::binary);
    f.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  }

  runtime::ModuleInst* findInstance(const std::string& name) {
    if (name.empty()) return current_;
    auto it = named_.find(name);
    return it == named_.end() ? nullptr : it->second;
  }

  ActionOutcome perform(const WastAction& a) {
    ActionOutcome o;
    runtime::ModuleInst* inst = findInstance(a.module);
    if (!inst) {
      o.error = a.module.empty() ? "no module instantiated" : "unknown module " + a.module;
      return o;
    }
    auto ext = inst->findExport(a.name);
    if (!ext) {
      o.error = "unknown export \"" + a.name + "\"";
      return o;
    }
    if (a.kind == WastAction::Kind::Get) {
      if (ext->kind != wasm::ExternKind::Global) {
        o.error = "export \"" + a.name + "\" is not a global";
        return o;
      }
      o.types.push_back(ext->global->type.type);
      o.values.push_back(ext->global->value);
      return o;
    }
    if (ext->kind != wasm::ExternKind::Func) {
      o.error = "export \"" + a.name + "\" is not a function";
      return o;
    }
    runtime::FuncInst& f = *ext->func;
    const wasm::FuncType& type = *f.type;
    if (type.params.size() != a.args.size()) {
      o.error = "wrong number of arguments for \"" + a.name + "\": " + type.toString();
      return o;
    }
    std::vector<RawVal> cells(std::max(type.params.size(), type.results.size()));
    for (size_t i = 0; i < a.args.size(); ++i) {
      if (wastValType(a.args[i]) != type.params[i]) {
        o.error = "argument " + std::to_string(i) + " has the wrong type for " + type.toString();
        return o;
      }
      cells[i] = toRaw(a.args[i], externs_);
    }
    auto r = store_.call(f, cells);
    if (!r) {
      o.trap = std::move(r.error());
      return o;
    }
    o.types = type.results;
    o.values.assign(cells.begin(), cells.begin() + type.results.size());
    return o;
  }

  std::string describeOutcome(const ActionOutcome& o, const std::vector<WastValue>* like = nullptr) {
    if (!o.error.empty()) return o.error;
    if (o.trap) return "trap \"" + o.trap->message + "\"";
    std::string s = "(";
    for (size_t i = 0; i < o.values.size(); ++i) {
      if (i) s += ", ";
      const WastValue* l = like && i < like->size() ? &(*like)[i] : nullptr;
      s += describe(o.types[i], o.values[i], l);
    }
    return s + ")";
  }

  bool messageMatches(const std::string& got, const std::string& expected) const {
    return got.find(expected) != std::string::npos;
  }

  // A module that must fail to load, in the phase named by the assertion.
  void expectModuleError(const WastCommand& cmd) {
    Result<runtime::ModuleInst*> r = instantiate(cmd.module);
    if (r) {
      failure(cmd, "module loaded, expected error \"" + cmd.message + "\"");
      return;
    }
    const Error& e = r.error();
    bool phaseOk = false;
    switch (cmd.kind) {
      case WastCommand::Kind::AssertMalformed:
        phaseOk = e.kind == ErrorKind::Malformed || e.kind == ErrorKind::Parse;
        break;
      case WastCommand::Kind::AssertInvalid:
        phaseOk = e.kind == ErrorKind::Invalid;
        break;
      case WastCommand::Kind::AssertUnlinkable:
        phaseOk = e.kind == ErrorKind::Unlinkable;
        break;
      case WastCommand::Kind::AssertUninstantiable:
      case WastCommand::Kind::AssertTrapModule:
        phaseOk = e.kind == ErrorKind::Uninstantiable;
        break;
      default:
        break;
    }
    if (!phaseOk) {
      failure(cmd, std::string("expected ") + commandName(cmd.kind) + " \"" + cmd.message + "\", got " +
                       e.toString());
      return;
    }
    bool strict = !options_.laxMessages || cmd.kind == WastCommand::Kind::AssertTrapModule ||
                  cmd.kind == WastCommand::Kind::AssertUninstantiable;
    if (strict && !messageMatches(e.message, cmd.message)) {
      failure(cmd, "expected error \"" + cmd.message + "\", got \"" + e.message + "\"");
      return;
    }
    pass(cmd);
  }

  void runCommand(const WastCommand& cmd) {
    switch (cmd.kind) {
      case WastCommand::Kind::Module: {
        auto r = instantiate(cmd.module);
        if (!r) {
          failure(cmd, r.error().toString());
          current_ = nullptr;
          return;
        }
        current_ = *r;
        if (!cmd.module.name.empty()) named_[cmd.module.name] = current_;
        pass(cmd);
        return;
      }
      case WastCommand::Kind::Register: {
        runtime::ModuleInst* inst = findInstance(cmd.registerModule);
        if (!inst) {
          failure(cmd, "no module to register as \"" + cmd.registerName + "\"");
          return;
        }
        linker_.defineInstance(cmd.registerName, *inst);
        if (inst->name.empty()) inst->name = cmd.registerName;
        return;  // not an assertion: not counted
      }
      case WastCommand::Kind::Action: {
        ActionOutcome o = perform(cmd.action);
        if (!o.error.empty() || o.trap) failure(cmd, describeOutcome(o));
        else pass(cmd);
        return;
      }
      case WastCommand::Kind::AssertReturn: {
        ActionOutcome o = perform(cmd.action);
        if (!o.error.empty() || o.trap) {
          failure(cmd, "\"" + cmd.action.name + "\": " + describeOutcome(o));
          return;
        }
        bool ok = o.values.size() == cmd.expected.size();
        for (size_t i = 0; ok && i < o.values.size(); ++i)
          ok = matches(cmd.expected[i], o.types[i], o.values[i], externs_);
        if (ok) {
          pass(cmd);
          return;
        }
        std::string want = "(";
        for (size_t i = 0; i < cmd.expected.size(); ++i) want += (i ? ", " : "") + describe(cmd.expected[i]);
        want += ")";
        failure(cmd, "\"" + cmd.action.name + "\": expected " + want + ", got " + describeOutcome(o, &cmd.expected));
        return;
      }
      case WastCommand::Kind::AssertTrap:
      case WastCommand::Kind::AssertExhaustion: {
        ActionOutcome o = perform(cmd.action);
        if (!o.trap) {
          failure(cmd, "\"" + cmd.action.name + "\": expected trap \"" + cmd.message + "\", got " + describeOutcome(o));
          return;
        }
        bool kindOk = cmd.kind != WastCommand::Kind::AssertExhaustion ||
                      o.trap->kind == runtime::TrapKind::CallStackExhausted;
        if (!kindOk || !messageMatches(o.trap->message, cmd.message)) {
          failure(cmd, "\"" + cmd.action.name + "\": expected trap \"" + cmd.message + "\", got trap \"" +
                           o.trap->message + "\"");
          return;
        }
        pass(cmd);
        return;
      }
      case WastCommand::Kind::AssertTrapModule:
      case WastCommand::Kind::AssertMalformed:
      case WastCommand::Kind::AssertInvalid:
      case WastCommand::Kind::AssertUnlinkable:
      case WastCommand::Kind::AssertUninstantiable:
        expectModuleError(cmd);
        return;
    }
  }

  runtime::Engine& engine_;
  runtime::Store store_;
  runtime::Linker linker_;
  std::string path_;
  const WastOptions& options_;
  WastTally& tally_;
  std::FILE* out_;
  runtime::ModuleInst* current_ = nullptr;
  std::map<std::string, runtime::ModuleInst*> named_;
  ExternRefs externs_;
};

}  // namespace

void runWastFile(runtime::Engine& engine, const std::string& path, const WastOptions& options,
                 WastTally& tally, std::FILE* out) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(out, "%s: cannot read the file\n", path.c_str());
    ++tally.failed;
    return;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  std::string text = ss.str();
  auto script = wasm::text::parseWast(text, path);
  if (!script) {
    std::fprintf(out, "%s\n", script.error().toString().c_str());
    ++tally.failed;
    return;
  }
  Runner runner(engine, path, options, tally, out);
  runner.run(*script);
}

}  // namespace bantam::cli
