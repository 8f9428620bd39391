// The engine: process-wide configuration and compiled-code owner, shared by modules and
// stores. Cheap to copy (a shared handle) and safe to use from several threads.
#pragma once

#include <cstdint>
#include <memory>

namespace bantam {

namespace detail {
struct EngineImpl;
struct Access;
}  // namespace detail

struct Config {
  // How wasm code runs. The interpreter is always available; a compiled strategy joins it
  // when Bantam is built with LLVM.
  enum class Strategy : uint8_t { Interpreter };
  Strategy strategy = Strategy::Interpreter;
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

 private:
  friend struct detail::Access;
  std::shared_ptr<detail::EngineImpl> impl_;
};

}  // namespace bantam
