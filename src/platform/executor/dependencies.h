// Spin's component dependencies (`[component.<id>.dependencies]`) for the wasi:http executor:
// each dependency is compiled and linked against the WASI 0.2 host once, the app component is
// prepared once against prototype instances of them, and every request instantiates the
// dependencies in its own Store and rebinds the app's imports to those instances. Each
// component keeps its own memory; values cross through the Canonical ABI.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <vector>

#include "platform/app.h"
#include "platform/executor/component.h"
#include "wasi/memory_fs.h"
#include "wasi2/runner.h"

namespace bantam::platform {

// What the app component's own WASI context is made of: a dependency that inherits the
// configuration gets the same; one that does not gets only stdio (to the app's logs), clocks
// and random: no environment, no files, no outbound HTTP (Spin gives it no capabilities).
struct DependencyCapabilities {
  std::vector<std::string> env;
  std::shared_ptr<wasi::MemFilesystem> files;
  std::vector<std::string> allowedOutbound;
  std::shared_ptr<LogSink> stdoutSink, stderrSink;
};

class ComposedComponent {
 public:
  // `appBytes` is the component's binary. Errors name the component and the dependency: a
  // dependency that cannot be read, is not a component, does not export what the app imports,
  // or whose own imports the host does not provide (a dependency of a dependency).
  static Result<std::unique_ptr<ComposedComponent>> prepare(runtime::Engine& engine, const Component& component,
                                                            std::span<const uint8_t> appBytes);
  ~ComposedComponent();

  // The app, prepared against the prototypes (for checks such as its exports; not for
  // instantiation: use link()).
  const wasi2::PreparedWasi2& app() const { return app_; }

  // One request's instances: the dependencies instantiated in `store` and the app's
  // ComponentPre rebound to them. Destroy it before `store`, after the app instance.
  struct Linked {
    std::vector<std::unique_ptr<wasi2::Wasi2Ctx>> contexts;                // outlive the instances
    std::vector<std::unique_ptr<component::ComponentInstance>> instances;  // by dependency
    wasi2::PreparedWasi2 app;                                              // instantiate this one
  };
  // `app` is the component's own WASI configuration for this request: its clocks (a fiber's
  // sleeping clocks), random source and interruption check are shared by the dependencies, and
  // its service chaining too when they inherit the configuration.
  Result<std::unique_ptr<Linked>> link(runtime::Store& store, const DependencyCapabilities& caps,
                                       const wasi2::Wasi2Config& app) const;

 private:
  ComposedComponent() = default;
  struct Dependency {
    std::string name;  // the manifest key, for messages
    bool inherit = false;
    wasi2::PreparedWasi2 prepared;
  };
  std::vector<Dependency> deps_;
  wasi2::PreparedWasi2 app_;
  // The prototypes the app was prepared against, in their own Store (never called).
  std::unique_ptr<runtime::Store> protoStore_;
  std::vector<std::unique_ptr<wasi2::Wasi2Ctx>> protoContexts_;
  std::vector<std::unique_ptr<component::ComponentInstance>> prototypes_;
};

}  // namespace bantam::platform
