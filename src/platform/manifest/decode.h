// The pieces of spin.toml decoded one table at a time (internal to platform/manifest): components
// and HTTP triggers, before references between them are checked and `files` are expanded.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "platform/app.h"
#include "platform/manifest/fields.h"
#include "platform/manifest/files.h"

namespace bantam::platform::manifest {

struct DecodedComponent {
  Component component;
  std::vector<FilesEntry> files;  // expanded by loadApp once the whole manifest is read
};

// `[component.<id>]` or an inline `component = { ... }`; `where` names it in messages.
Result<DecodedComponent> decodeComponent(const Context& ctx, const toml::table& table, const std::string& id,
                                         std::string where, const std::filesystem::path& root,
                                         const std::map<std::string, Variable>& appVariables,
                                         std::vector<std::string>& warnings);

// `dependencies` of a component table (dependencies.cpp); `inheritDefault` is the component's
// `dependencies_inherit_configuration`. `{ component = id }` is checked against the app later.
Result<std::vector<ComponentDependency>> decodeDependencies(const Fields& f, const std::filesystem::path& root,
                                                            bool inheritDefault);

struct DecodedTrigger {
  HttpTrigger trigger;                            // trigger.component empty while inline
  std::optional<DecodedComponent> inlineComponent;
  uint32_t componentLine = 0;                     // line of `component`
};

// `[[trigger.http]]`: `node` is the value of `trigger.http`.
Result<std::vector<DecodedTrigger>> decodeHttpTriggers(const Context& ctx, const toml::node& node,
                                                       const std::filesystem::path& root,
                                                       const std::map<std::string, Variable>& appVariables,
                                                       std::vector<std::string>& warnings);

}  // namespace bantam::platform::manifest
