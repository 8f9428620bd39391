// Bantam embedding example: a host that runs untrusted "filter" plugins.
//
// A plugin (WAT text or a wasm binary) exports "memory", "alloc" (len -> ptr) and "filter"
// (ptr len -> new len), which transforms a string in its linear memory; it may import
// "env" "log" (ptr len) to print a message. Each plugin runs in its own store with a memory
// cap and a CPU budget (fuel, or a wall-clock deadline through epochs). A plugin that loops
// forever or writes out of bounds stops with a trap; the host reports it and carries on.
//
//   embed_plugin [--fuel N | --timeout-ms N] [--input TEXT] PLUGIN...
#include <bantam/bantam.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <string>
#include <thread>
#include <vector>

namespace {

struct Options {
  uint64_t fuel = 0;       // 0: no fuel metering
  uint64_t timeoutMs = 0;  // 0: no deadline
  std::string input = "hello, wasm world";
  std::vector<std::string> plugins;
};

std::string baseName(const std::string& path) {
  size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// Runs one plugin on `input`; returns false when the plugin failed (the host is fine either way).
bool runPlugin(const bantam::Engine& engine, const bantam::Linker& linker, const Options& options,
               const std::string& path) {
  std::string name = baseName(path);
  auto module = bantam::Module::fromFile(engine, path);
  if (!module) {
    std::printf("[%s] cannot load: %s\n", name.c_str(), module.error().toString().c_str());
    return false;
  }

  // A fresh store per run: nothing a plugin did survives it. 16 MiB of memory at most.
  bantam::StoreLimits limits;
  limits.maxMemoryBytes = 16u << 20;
  bantam::Store store(engine, limits);
  if (options.fuel) store.setFuel(options.fuel);
  if (options.timeoutMs) store.setEpochDeadline(options.timeoutMs);  // one epoch tick per millisecond
  store.setData(&name);

  auto instance = linker.instantiate(store, *module);
  if (!instance) {
    std::printf("[%s] cannot instantiate: %s\n", name.c_str(), instance.error().toString().c_str());
    return false;
  }
  auto memory = instance->memory("memory");
  auto alloc = instance->typedFunc<int32_t(int32_t)>("alloc");
  auto filter = instance->typedFunc<int32_t(int32_t, int32_t)>("filter");
  if (!memory || !alloc || !filter) {
    std::printf("[%s] is not a filter plugin (needs memory, alloc and filter exports)\n", name.c_str());
    return false;
  }

  auto report = [&](const char* step, const bantam::Trap& trap) {
    std::printf("[%s] trapped in %s: %s\n", name.c_str(), step, trap.toString().c_str());
    return false;
  };
  int32_t len = static_cast<int32_t>(options.input.size());
  auto ptr = alloc->call(len);
  if (!ptr) return report("alloc", ptr.error());
  // Guest pointers are untrusted: every host access to guest memory is bounds-checked.
  if (auto w = memory->writeString(static_cast<uint32_t>(*ptr), options.input); !w) {
    std::printf("[%s] alloc returned a bad buffer: %s\n", name.c_str(), w.error().toString().c_str());
    return false;
  }
  auto newLen = filter->call(*ptr, len);
  if (!newLen) return report("filter", newLen.error());
  auto output = memory->readString(static_cast<uint32_t>(*ptr), static_cast<uint32_t>(*newLen));
  if (!output) {
    std::printf("[%s] filter returned a bad length: %s\n", name.c_str(), output.error().toString().c_str());
    return false;
  }
  std::printf("[%s] \"%s\" -> \"%s\"\n", name.c_str(), options.input.c_str(), output->c_str());
  if (auto fuel = store.fuel()) std::printf("[%s] fuel left: %llu\n", name.c_str(), static_cast<unsigned long long>(*fuel));
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--fuel" && i + 1 < argc) options.fuel = std::strtoull(argv[++i], nullptr, 10);
    else if (arg == "--timeout-ms" && i + 1 < argc) options.timeoutMs = std::strtoull(argv[++i], nullptr, 10);
    else if (arg == "--input" && i + 1 < argc) options.input = argv[++i];
    else if (arg.starts_with("--")) {
      std::fprintf(stderr, "usage: %s [--fuel N | --timeout-ms N] [--input TEXT] PLUGIN...\n", argv[0]);
      return 2;
    } else options.plugins.push_back(arg);
  }
  if (options.plugins.empty()) {
    std::fprintf(stderr, "usage: %s [--fuel N | --timeout-ms N] [--input TEXT] PLUGIN...\n", argv[0]);
    return 2;
  }

  bantam::Engine engine;
  bantam::Linker linker(engine);
  // The one capability plugins get: printing a message, read from their memory with bounds checks.
  linker.func("env", "log", [](bantam::Caller& caller, int32_t ptr, int32_t len) -> bantam::CallResult<void> {
    const auto& plugin = *static_cast<const std::string*>(caller.data());
    auto memory = caller.memory();
    if (!memory) return std::unexpected(bantam::Trap::host("log: the plugin exports no memory"));
    auto text = memory->readString(static_cast<uint32_t>(ptr), static_cast<uint32_t>(len));
    if (!text) return std::unexpected(bantam::Trap::host("log: " + text.error().message));
    std::printf("[%s] log: %s\n", plugin.c_str(), text->c_str());
    return {};
  });

  // The epoch clock: one tick per millisecond, shared by every store of the engine.
  std::atomic<bool> stop{false};
  std::thread ticker;
  if (options.timeoutMs) {
    ticker = std::thread([&] {
      while (!stop.load(std::memory_order_relaxed)) {
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
        engine.incrementEpoch();
      }
    });
  }

  int ok = 0;
  for (const std::string& path : options.plugins) ok += runPlugin(engine, linker, options, path) ? 1 : 0;

  stop = true;
  if (ticker.joinable()) ticker.join();
  std::printf("%zu plugins run, %d succeeded, %zu stopped; the host is still healthy\n", options.plugins.size(),
              ok, options.plugins.size() - ok);
  return 0;
}
