// `[component.<id>]`: the Wasm source, what the component may reach (files, hosts, stores,
// databases), its environment and variables, and how to build it. Field names, types and rules
// follow Spin's spin-manifest schema (v2::Component).
#include <algorithm>

#include "platform/manifest/decode.h"
#include "platform/manifest/ids.h"

namespace bantam::platform::manifest {

namespace fs = std::filesystem;

namespace {

Result<fs::path> decodeSource(const Fields& f, const fs::path& root) {
  const toml::node* v = f.get("source");
  if (v == nullptr) return std::unexpected(f.missing("source"));
  if (const auto* s = v->as_string()) {
    if (s->get().empty()) return std::unexpected(f.error(f.line("source"), "`source` in " + f.where() + " is empty"));
    return (root / s->get()).lexically_normal();
  }
  if (const toml::table* t = v->as_table()) {
    if (t->contains("url") || t->contains("digest")) {
      Error e = f.error(f.line("source"),
                        "downloading component sources is not supported yet; build the component locally and give "
                        "its path",
                        ErrorKind::Unsupported);
      e.hint = "write `source = \"path/to/component.wasm\"` in " + f.where();
      return std::unexpected(std::move(e));
    }
    if (t->contains("registry") || t->contains("package") || t->contains("version")) {
      Error e = f.error(f.line("source"),
                        "fetching component sources from a registry is not supported yet; build the component "
                        "locally and give its path",
                        ErrorKind::Unsupported);
      e.hint = "write `source = \"path/to/component.wasm\"` in " + f.where();
      return std::unexpected(std::move(e));
    }
  }
  return std::unexpected(f.typeError("source", *v, "a path to a .wasm file (a string)"));
}

Result<std::vector<FilesEntry>> decodeFiles(const Fields& f) {
  std::vector<FilesEntry> out;
  const toml::node* v = f.get("files");
  if (v == nullptr) return out;
  const toml::array* a = v->as_array();
  if (a == nullptr) {
    return std::unexpected(f.typeError("files", *v, "an array of glob patterns and { source, destination } tables"));
  }
  for (const toml::node& item : *a) {
    FilesEntry e;
    e.line = lineOf(item) ? lineOf(item) : f.line("files");
    if (const auto* s = item.as_string()) {
      e.kind = FilesEntry::Kind::Pattern;
      e.pattern = s->get();
    } else if (const toml::table* t = item.as_table()) {
      Fields placement(f.context(), *t, "`files` of " + f.where());
      BANTAM_TRY(placement.allowOnly({"source", "destination"}));
      e.kind = FilesEntry::Kind::Placement;
      e.source = BANTAM_TRY(placement.requiredString("source", "a path (a string)"));
      e.destination = BANTAM_TRY(placement.requiredString("destination", "an absolute guest path (a string)"));
    } else {
      return std::unexpected(f.error(e.line, "each item of `files` in " + f.where() +
                                                 " must be a glob pattern (a string) or a { source, destination } "
                                                 "table, not " + std::string(describeType(item))));
    }
    out.push_back(std::move(e));
  }
  return out;
}

// Spin's conversion of the deprecated `allowed_http_hosts` (compat::convert_allowed_http_to_allowed_hosts).
Result<std::vector<std::string>> convertAllowedHttpHosts(const Fields& f, const std::vector<std::string>& hosts) {
  std::vector<std::string> out;
  if (std::find(hosts.begin(), hosts.end(), "insecure:allow-all") != hosts.end()) {
    return std::vector<std::string>{"http://*:*", "https://*:*", "http://self"};
  }
  for (const std::string& h : hosts) {
    std::string hostPort = h;
    if (size_t scheme = h.find("://"); scheme != std::string::npos) {
      std::string s = h.substr(0, scheme);
      if (s != "http" && s != "https") {
        return std::unexpected(f.error(f.line("allowed_http_hosts"), h + " isn't a valid host or host:port string"));
      }
      hostPort = h.substr(scheme + 3);
      if (!hostPort.empty() && hostPort.back() == '/') hostPort.pop_back();
    }
    if (hostPort.empty() || hostPort.find('/') != std::string::npos) {
      return std::unexpected(f.error(f.line("allowed_http_hosts"),
                                     h + " isn't a valid host or host:port string (a path is not allowed)"));
    }
    if (hostPort == "self") {
      out.push_back("http://self");
    } else {
      out.push_back("http://" + hostPort);
      out.push_back("https://" + hostPort);
    }
  }
  return out;
}

Result<void> checkLabels(const Fields& f, std::string_view key, const std::vector<std::string>& labels) {
  for (const std::string& l : labels) {
    if (!isKebabOrSnakeLabel(l)) {
      return std::unexpected(f.error(f.line(key), "`" + std::string(key) + "` in " + f.where() + ": label `" + l +
                                                      "`: expected kebab-case or snake_case"));
    }
  }
  return {};
}

Result<void> checkTemplate(const Fields& f, std::string_view key, const std::string& name, const std::string& value,
                           const std::map<std::string, Variable>& appVariables) {
  std::string why;
  auto refs = templateReferences(value, &why);
  if (!refs) {
    return std::unexpected(f.error(f.line(key), "`" + std::string(key) + "." + name + "` in " + f.where() + ": " + why));
  }
  for (const std::string& r : *refs) {
    if (!appVariables.contains(r)) {
      Error e = f.error(f.line(key), "`" + std::string(key) + "." + name + "` in " + f.where() +
                                         " refers to the application variable `" + r + "`, which is not defined");
      e.hint = "declare it in [variables]: `" + r + " = { default = \"...\" }`";
      return std::unexpected(std::move(e));
    }
  }
  return {};
}

Result<std::optional<BuildConfig>> decodeBuild(const Fields& f, const fs::path& root) {
  const toml::node* v = f.get("build");
  if (v == nullptr) return std::optional<BuildConfig>{};
  const toml::table* t = v->as_table();
  if (t == nullptr) return std::unexpected(f.typeError("build", *v, "a table ({ command, workdir, watch })"));
  // "[component.hello]" -> "[component.hello.build]"; "[[trigger.http]].component" -> "....component.build"
  const std::string& w = f.where();
  bool header = w.starts_with("[component.") && w.ends_with("]");
  Fields b(f.context(), *t, header ? w.substr(0, w.size() - 1) + ".build]" : w + ".build");
  BANTAM_TRY(b.allowOnly({"command", "workdir", "watch"}));
  BuildConfig build;
  const toml::node* command = b.get("command");
  if (command == nullptr) return std::unexpected(b.missing("command"));
  if (const auto* s = command->as_string()) {
    build.commands.push_back(s->get());
  } else if (command->is_array()) {
    build.commands = BANTAM_TRY(b.stringList("command"));
  } else {
    return std::unexpected(b.typeError("command", *command, "a command (a string) or an array of commands"));
  }
  for (const std::string& c : build.commands) {
    if (!build.command.empty()) build.command += " && ";
    build.command += c;
  }
  std::optional<std::string> workdir = BANTAM_TRY(b.optionalString("workdir", "a folder (a string)"));
  build.workdir = workdir ? (root / *workdir).lexically_normal() : root;
  build.watch = BANTAM_TRY(b.stringList("watch"));
  return std::optional<BuildConfig>(std::move(build));
}

// Fields Spin accepts and Bantam keeps only for compatibility: they must be well-formed tables.
Result<void> checkIgnoredTable(const Fields& f, std::string_view key) {
  const toml::node* v = f.get(key);
  if (v != nullptr && !v->is_table()) return std::unexpected(f.typeError(key, *v, "a table"));
  return {};
}

}  // namespace

Result<DecodedComponent> decodeComponent(const Context& ctx, const toml::table& table, const std::string& id,
                                         std::string where, const fs::path& root,
                                         const std::map<std::string, Variable>& appVariables,
                                         std::vector<std::string>& warnings) {
  Fields f(ctx, table, std::move(where));
  BANTAM_TRY(f.allowOnly({"source", "description", "variables", "environment", "files", "exclude_files",
                          "allowed_http_hosts", "allowed_outbound_hosts", "key_value_stores", "sqlite_databases",
                          "ai_models", "build", "tool", "dependencies_inherit_configuration", "dependencies",
                          "profile", "targets"}));
  DecodedComponent out;
  Component& c = out.component;
  c.id = id;
  c.line = f.line("source");
  c.source = BANTAM_TRY(decodeSource(f, root));
  c.description = BANTAM_TRY(f.optionalString("description")).value_or("");

  c.variables = BANTAM_TRY(f.stringMap("variables"));
  for (const auto& [name, value] : c.variables) {
    if (auto why = checkLowerSnakeId(name)) {
      return std::unexpected(f.error(f.line("variables"), "invalid variable name `" + name + "` in `variables` of " +
                                                              f.where() + ": " + *why));
    }
    BANTAM_TRY(checkTemplate(f, "variables", name, value, appVariables));
  }
  c.environment = BANTAM_TRY(f.stringMap("environment"));

  out.files = BANTAM_TRY(decodeFiles(f));
  c.excludeFiles = BANTAM_TRY(f.stringList("exclude_files"));

  c.allowedOutboundHosts = BANTAM_TRY(f.stringList("allowed_outbound_hosts"));
  for (const std::string& h : c.allowedOutboundHosts) {
    if (h.find("://") == std::string::npos && h.find("{{") == std::string::npos) {
      Error e = f.error(f.line("allowed_outbound_hosts"), "`allowed_outbound_hosts` entry `" + h + "` in " +
                                                              f.where() + " has no scheme");
      e.hint = "write it as scheme://host[:port], e.g. `https://" + h + "`";
      return std::unexpected(std::move(e));
    }
  }
  std::vector<std::string> httpHosts = BANTAM_TRY(f.stringList("allowed_http_hosts"));
  if (!httpHosts.empty()) {
    std::vector<std::string> converted = BANTAM_TRY(convertAllowedHttpHosts(f, httpHosts));
    std::string list;
    for (const std::string& h : converted) list += (list.empty() ? "\"" : ", \"") + h + "\"";
    warnings.push_back(ctx.file + ":" + std::to_string(f.line("allowed_http_hosts")) +
                       ": `allowed_http_hosts` is deprecated; replace it with `allowed_outbound_hosts = [" + list + "]`");
    c.allowedOutboundHosts.insert(c.allowedOutboundHosts.end(), converted.begin(), converted.end());
  }

  c.keyValueStores = BANTAM_TRY(f.stringList("key_value_stores"));
  BANTAM_TRY(checkLabels(f, "key_value_stores", c.keyValueStores));
  c.sqliteDatabases = BANTAM_TRY(f.stringList("sqlite_databases"));
  BANTAM_TRY(checkLabels(f, "sqlite_databases", c.sqliteDatabases));
  c.aiModels = BANTAM_TRY(f.stringList("ai_models"));
  for (const std::string& m : c.aiModels) {
    if (auto why = checkKebabId(m)) {
      return std::unexpected(f.error(f.line("ai_models"), "invalid model name `" + m + "` in `ai_models` of " +
                                                              f.where() + ": " + *why));
    }
  }

  c.build = BANTAM_TRY(decodeBuild(f, root));

  BANTAM_TRY(checkIgnoredTable(f, "tool"));
  BANTAM_TRY(checkIgnoredTable(f, "profile"));
  c.dependenciesInheritConfiguration = BANTAM_TRY(f.optionalBool("dependencies_inherit_configuration", false));
  c.dependencies = BANTAM_TRY(decodeDependencies(f, root, c.dependenciesInheritConfiguration));
  if (const toml::node* targets = f.get("targets"); targets != nullptr && !targets->is_array()) {
    return std::unexpected(f.typeError("targets", *targets, "an array"));
  }
  return out;
}

}  // namespace bantam::platform::manifest
