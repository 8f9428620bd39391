// compileModule: decode, validate, intern signatures, let the execution engine prepare code.
#include "runtime/instantiate.h"
#include "wasm/decoder/decoder.h"
#include "wasm/validator/validator.h"

namespace bantam::runtime {

Result<std::shared_ptr<CompiledModule>> compileModule(Engine& engine, std::span<const uint8_t> bytes,
                                                      std::string name) {
  auto named = [&](Error e) { return std::unexpected(std::move(e).withSource(name)); };
  auto decoded = wasm::decodeModule(bytes);
  if (!decoded) return named(std::move(decoded.error()));
  if (auto valid = wasm::validateModule(*decoded); !valid) return named(std::move(valid.error()));

  auto compiled = std::make_shared<CompiledModule>();
  compiled->module = std::move(*decoded);
  const wasm::Module& module = compiled->module;
  compiled->sigIds.reserve(module.types.size());
  for (const wasm::FuncType& t : module.types) compiled->sigIds.push_back(engine.types().intern(t));
  auto code = engine.exec().compile(module, compiled->sigIds);
  if (!code) return named(std::move(code.error()));
  compiled->code = std::move(*code);
  compiled->name = name.empty() ? module.names.module : std::move(name);
  return compiled;
}

}  // namespace bantam::runtime
