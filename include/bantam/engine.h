// The engine: process-wide configuration and compiled-code owner, shared by modules and
// stores. Cheap to copy (a shared handle) and safe to use from several threads.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>

namespace bantam {

namespace detail {
struct EngineImpl;
struct Access;
}  // namespace detail

struct Config {
  // How wasm code runs. The interpreter is always available; the compiled engine (native
  // code through LLVM) when Bantam is built with it and libbantam_llvm.so is installed.
  // Auto picks the compiled engine when it is available, else the interpreter.
  enum class Strategy : uint8_t { Auto, Interpreter, Compiled };
  Strategy strategy = Strategy::Auto;
  // Compiled engine: LLVM optimisation level (0..3), code for the host CPU or for any x86-64
  // CPU, and the disk cache of compiled code ($XDG_CACHE_HOME/bantam or ~/.cache/bantam).
  uint32_t optLevel = 2;
  bool portable = false;
  bool cache = true;
};

class Engine {
 public:
  Engine();
  explicit Engine(const Config& config);

  // Epoch-based interruption: a store whose deadline (Store::setEpochDeadline) has been
  // reached traps with TrapCode::Interrupted at the next function entry or loop back-edge.
  // Call from a timer thread; it is one atomic increment.
  void incrementEpoch();

  const Config& config() const;
  // "compiled" or "interpreter": the engine Config::strategy resolved to.
  std::string_view strategyName() const;

 private:
  friend struct detail::Access;
  std::shared_ptr<detail::EngineImpl> impl_;
};

}  // namespace bantam
