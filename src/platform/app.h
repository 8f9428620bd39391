// A Spin application (manifest version 2) as Bantam runs it: what `spin.toml` says, with every
// path resolved against the manifest's folder and every reference checked ("locked"). Produced
// by platform/manifest (loadApp), consumed by the router, the executors and the HTTP server.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/error.h"

namespace bantam::platform {

// How a component answers HTTP requests.
struct ExecutorConfig {
  enum class Kind : uint8_t {
    Spin,  // the default: a wasi:http incoming-handler component (component model, later issue)
    Wagi,  // a WASI preview 1 command answering CGI style
  };
  Kind kind = Kind::Spin;
  std::string argv = "${SCRIPT_NAME} ${ARGS}";  // Wagi: Spin's default
  std::string entrypoint = "_start";             // Wagi: the export to call
};

// A file or directory the component may read: `files = ["static/**", {source, destination}]`.
// Globs are expanded at load time (minus exclude_files) into individual file mounts.
struct FileMount {
  std::filesystem::path source;  // absolute host path
  std::string destination;       // absolute guest path ("/static/index.html" or "/" for a dir)
  bool isDirectory = false;
};

struct BuildConfig {
  std::string command;                // as written; a list of commands is shown joined by " && "
  std::vector<std::string> commands;  // run in order by `bantam build`, each with `sh -c`
  std::filesystem::path workdir;  // absolute; defaults to the manifest's folder
  std::vector<std::string> watch;
};

struct Variable {  // [variables]: application variables
  std::optional<std::string> defaultValue;
  bool required = false;
  bool secret = false;
};

// `[component.<id>.dependencies]`: one import of the component served, at instantiation, by an
// export of another component (Spin's component dependencies; each keeps its own memory).
struct ComponentDependency {
  enum class NameKind : uint8_t {
    Interface,  // "ns:pkg/iface@1.0.0" (version optional): that interface
    Package,    // "ns:pkg@1.0.0": every interface of the package the component imports
    Plain,      // "my-import": an import with a plain (kebab-case) name
  };
  std::string name;  // the key as written
  NameKind nameKind = NameKind::Interface;
  std::filesystem::path path;   // absolute: `path`, or the `source` of the component named by `component`
  std::string component;        // `{ component = "<id>" }`; empty for `{ path = ... }`
  std::string exportName;       // `export`: the dependency's export that serves it; empty: the import's name
  bool inheritConfiguration = false;  // `inherit_configuration`, else the component's dependencies_inherit_configuration
  uint32_t line = 0;            // the key's line, for error messages
};

struct Component {
  std::string id;
  std::filesystem::path source;  // absolute path of the .wasm
  std::vector<FileMount> files;
  std::vector<std::string> excludeFiles;
  std::map<std::string, std::string> environment;
  std::vector<std::string> allowedOutboundHosts;  // parsed and kept for outbound HTTP
  std::vector<std::string> keyValueStores;
  std::vector<std::string> sqliteDatabases;
  std::map<std::string, std::string> variables;   // component variables (templates like "{{ x }}")
  std::optional<BuildConfig> build;
  std::string description;
  std::vector<std::string> aiModels;  // parsed and kept; Bantam has no AI host API yet
  std::vector<ComponentDependency> dependencies;  // in manifest order
  bool dependenciesInheritConfiguration = false;
  uint32_t line = 0;                  // line of `source` in the manifest, for error messages
};

struct HttpTrigger {
  std::string id;            // `id`, or one made up as Spin does ("hello-http-trigger")
  std::string route;         // "/hello", "/api/...", "/users/:id" (without the base); empty if private
  bool isPrivate = false;    // `route = { private = true }`: reachable only by service chaining
  std::string component;     // Component::id
  ExecutorConfig executor;
  uint32_t line = 0;         // where it was declared, for error messages
};

struct App {
  std::filesystem::path manifestPath;  // absolute path of spin.toml
  std::string displayPath;             // the manifest's path as the user gave it, for messages
  std::filesystem::path root;          // its folder
  std::string name;
  std::string version;
  std::string description;
  std::vector<std::string> authors;
  std::string base = "/";              // [application.trigger.http] base
  std::map<std::string, Variable> variables;
  std::vector<HttpTrigger> httpTriggers;
  std::map<std::string, Component> components;
  // What the user should hear about without it stopping the app (a deprecated field, a route
  // that can never be reached); `bantam up` and `bantam build` print them.
  std::vector<std::string> warnings;
};

// Reads and checks a manifest: `path` is a spin.toml or a folder containing one. Errors name the
// file, line and field (ErrorKind::Usage with Error::source/line; unknown fields and wrong types
// are errors, as in Spin). `source = { url, digest }` is rejected with a clear message for now.
Result<App> loadApp(const std::filesystem::path& path);

struct LoadOptions {
  // Expand `files` (globs, placements) against the file system. `bantam build` turns it off:
  // files a build produces need not exist before it runs.
  bool expandFiles = true;
};
Result<App> loadApp(const std::filesystem::path& path, const LoadOptions& options);

// Checks, at `up` time, that every component's source is an existing file (the manifest may be
// loaded before its components are built). The error names the manifest line of `source`.
Result<void> checkSources(const App& app);

}  // namespace bantam::platform
