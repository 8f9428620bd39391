// loadApp: spin.toml (manifest version 2) read with toml++ into a checked App. The top level,
// [application] and [variables] are read here; components and triggers in component.cpp and
// trigger.cpp; references, made-up ids (as Spin's normalize.rs makes them) and `files` here.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <set>

#include "platform/manifest/decode.h"
#include "platform/manifest/ids.h"
#include "platform/router.h"

namespace bantam::platform {

namespace fs = std::filesystem;
using manifest::Context;
using manifest::DecodedComponent;
using manifest::DecodedTrigger;
using manifest::Fields;
using manifest::errorAt;
using manifest::lineOf;

namespace {

// A manifest is a few kilobytes; anything this large is not one.
constexpr uintmax_t kMaxManifestBytes = 16u << 20;

constexpr std::string_view kManifestReference = "https://spinframework.dev/v3/manifest-reference";

Result<std::string> readManifest(const fs::path& file, const std::string& display, bool fromFolder) {
  std::FILE* f = std::fopen(file.c_str(), "rb");
  if (f == nullptr) {
    int err = errno;
    std::error_code ec;
    std::string folder = fs::absolute(file.parent_path(), ec).lexically_normal().string();
    if (folder.size() > 1 && folder.back() == '/') folder.pop_back();
    Error e = Error::make(ErrorKind::Io, fromFolder ? "no spin.toml in " + folder
                                                    : "cannot open " + display + ": " + std::strerror(err));
    e.hint = "name the manifest with -f FILE (or its folder), or create an app with `bantam new http-c NAME`";
    return std::unexpected(std::move(e));
  }
  std::string text;
  char buf[65536];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) {
    text.append(buf, n);
    if (text.size() > kMaxManifestBytes) {
      std::fclose(f);
      return fail(ErrorKind::Limit, display + " is larger than 16 MiB: not a manifest");
    }
  }
  bool bad = std::ferror(f);
  std::fclose(f);
  if (bad) return fail(ErrorKind::Io, "cannot read " + display);
  return text;
}

Error versionOneError(const Context& ctx, uint32_t line) {
  Error e = errorAt(ctx, line,
                    "manifest version 1 is not supported; see " + std::string(kManifestReference) +
                        " for migrating to version 2",
                    ErrorKind::Unsupported);
  e.hint = "version 2 moves the app's name to [application], routes to [[trigger.http]] and each component to "
           "[component.<id>]; `spin_manifest_version = 2` goes at the top";
  return e;
}

Result<void> checkVersion(const Context& ctx, const toml::table& top) {
  const toml::node* v = top.get("spin_manifest_version");
  if (v == nullptr) {
    if (const toml::node* old = top.get("spin_version")) return std::unexpected(versionOneError(ctx, lineOf(*old)));
    Error e = errorAt(ctx, 1, "missing field `spin_manifest_version`");
    e.hint = "start the manifest with `spin_manifest_version = 2`";
    return std::unexpected(std::move(e));
  }
  if (const auto* i = v->as_integer(); i != nullptr && i->get() == 2) return {};
  if (const auto* s = v->as_string(); s != nullptr && s->get() == "1") return std::unexpected(versionOneError(ctx, lineOf(*v)));
  if (const auto* i = v->as_integer(); i != nullptr && i->get() == 1) return std::unexpected(versionOneError(ctx, lineOf(*v)));
  std::string shown = v->is_string() ? "\"" + v->as_string()->get() + "\"" : std::string(manifest::describeType(*v));
  if (const auto* i = v->as_integer()) shown = std::to_string(i->get());
  Error e = errorAt(ctx, lineOf(*v), "unsupported manifest version " + shown + "; Bantam reads version 2",
                    ErrorKind::Unsupported);
  e.hint = "write `spin_manifest_version = 2` (an integer)";
  return std::unexpected(std::move(e));
}

Result<void> decodeApplication(const Context& ctx, const toml::table& top, App& app) {
  const toml::node* node = top.get("application");
  if (node == nullptr) return std::unexpected(Fields(ctx, top, "the manifest").missing("application"));
  const toml::table* table = node->as_table();
  if (table == nullptr) {
    return std::unexpected(Fields(ctx, top, "the manifest").typeError("application", *node, "a table ([application])"));
  }
  Fields f(ctx, *table, "[application]");
  BANTAM_TRY(f.allowOnly({"name", "version", "description", "authors", "targets", "trigger", "tool"}));
  app.name = BANTAM_TRY(f.requiredString("name"));
  app.version = BANTAM_TRY(f.optionalString("version")).value_or("");
  app.description = BANTAM_TRY(f.optionalString("description")).value_or("");
  app.authors = BANTAM_TRY(f.stringList("authors"));
  if (const toml::node* targets = f.get("targets"); targets != nullptr && !targets->is_array()) {
    return std::unexpected(f.typeError("targets", *targets, "an array"));
  }
  if (const toml::node* tool = f.get("tool"); tool != nullptr && !tool->is_table()) {
    return std::unexpected(f.typeError("tool", *tool, "a table"));
  }
  const toml::node* trigger = f.get("trigger");
  if (trigger == nullptr) return {};
  const toml::table* triggers = trigger->as_table();
  if (triggers == nullptr) return std::unexpected(f.typeError("trigger", *trigger, "a table of trigger settings"));
  // Settings of other trigger types ([application.trigger.redis]) are Spin's business; only http's
  // are read. A [[trigger.redis]] itself is refused where triggers are read.
  const toml::node* http = triggers->get("http");
  if (http == nullptr) return {};
  const toml::table* httpTable = http->as_table();
  if (httpTable == nullptr) {
    return std::unexpected(Fields(ctx, *triggers, "[application.trigger]").typeError("http", *http, "a table"));
  }
  Fields h(ctx, *httpTable, "[application.trigger.http]");
  BANTAM_TRY(h.allowOnly({"base"}));
  if (auto base = BANTAM_TRY(h.optionalString("base"))) {
    if (base->empty() || base->front() != '/') {
      return std::unexpected(h.error(h.line("base"), "`base` in [application.trigger.http] must start with `/`"));
    }
    app.base = *base;
  }
  return {};
}

Result<void> decodeVariables(const Context& ctx, const toml::table& top, App& app) {
  const toml::node* node = top.get("variables");
  if (node == nullptr) return {};
  const toml::table* table = node->as_table();
  if (table == nullptr) {
    return std::unexpected(Fields(ctx, top, "the manifest").typeError("variables", *node, "a table ([variables])"));
  }
  for (auto [key, value] : manifest::inDocumentOrder(*table)) {
    std::string name(key->str());
    uint32_t line = key->source().begin.line;
    if (auto why = manifest::checkLowerSnakeId(name)) {
      return std::unexpected(errorAt(ctx, line, "invalid variable name `" + name + "` in [variables]: " + *why));
    }
    const toml::table* v = value->as_table();
    if (v == nullptr) {
      Error e = errorAt(ctx, line, "variable `" + name + "` in [variables] must be a table, not " +
                                       std::string(manifest::describeType(*value)));
      e.hint = "write `" + name + " = { default = \"...\" }` or `" + name + " = { required = true }`";
      return std::unexpected(std::move(e));
    }
    Fields f(ctx, *v, "variable `" + name + "`");
    BANTAM_TRY(f.allowOnly({"default", "required", "secret", "description"}));
    Variable var;
    var.defaultValue = BANTAM_TRY(f.optionalString("default"));
    var.required = BANTAM_TRY(f.optionalBool("required", false));
    var.secret = BANTAM_TRY(f.optionalBool("secret", false));
    BANTAM_TRY(f.optionalString("description"));
    if (var.required == var.defaultValue.has_value()) {
      return std::unexpected(errorAt(ctx, line, "variable `" + name + "` must be `required` OR have a `default`"));
    }
    app.variables.emplace(std::move(name), std::move(var));
  }
  return {};
}

Result<std::map<std::string, DecodedComponent>> decodeComponents(const Context& ctx, const toml::table& top,
                                                                 const App& app, std::vector<std::string>& warnings) {
  std::map<std::string, DecodedComponent> out;
  const toml::node* node = top.get("component");
  if (node == nullptr) return out;
  const toml::table* table = node->as_table();
  if (table == nullptr) {
    Error e = Fields(ctx, top, "the manifest").typeError("component", *node, "a table of components");
    e.hint = "write each component as a [component.<id>] section ([[component]] is manifest version 1)";
    return std::unexpected(std::move(e));
  }
  for (auto [key, value] : manifest::inDocumentOrder(*table)) {
    std::string id(key->str());
    uint32_t line = key->source().begin.line;
    if (auto why = manifest::checkKebabId(id)) {
      return std::unexpected(errorAt(ctx, line, "invalid component id `" + id + "` in [component." + id + "]: " + *why));
    }
    const toml::table* c = value->as_table();
    if (c == nullptr) {
      return std::unexpected(errorAt(ctx, line, "component `" + id + "` must be a table, not " +
                                                    std::string(manifest::describeType(*value))));
    }
    out.emplace(id, BANTAM_TRY(manifest::decodeComponent(ctx, *c, id, "[component." + id + "]", app.root,
                                                         app.variables, warnings)));
  }
  return out;
}

Result<std::vector<DecodedTrigger>> decodeTriggers(const Context& ctx, const toml::table& top, const App& app,
                                                   std::vector<std::string>& warnings) {
  const toml::node* node = top.get("trigger");
  if (node == nullptr) {
    Error e = Fields(ctx, top, "the manifest").missing("trigger");
    e.hint = "add a [[trigger.http]] section with a `route` and a `component`";
    return std::unexpected(std::move(e));
  }
  const toml::table* table = node->as_table();
  if (table == nullptr) {
    return std::unexpected(Fields(ctx, top, "the manifest").typeError("trigger", *node, "a table of trigger arrays"));
  }
  std::vector<DecodedTrigger> out;
  for (auto [key, value] : manifest::inDocumentOrder(*table)) {
    if (key->str() != "http") {
      Error e = errorAt(ctx, key->source().begin.line,
                        "trigger type `" + std::string(key->str()) + "` is not supported yet", ErrorKind::Unsupported);
      e.hint = "Bantam runs HTTP triggers ([[trigger.http]])";
      return std::unexpected(std::move(e));
    }
    out = BANTAM_TRY(manifest::decodeHttpTriggers(ctx, *value, app.root, app.variables, warnings));
  }
  return out;
}

// Spin's normalize_trigger_ids and normalize_inline_components: "<component>-http-trigger" or
// "http-trigger<N>"; inline components "<trigger id>-component" or "inline-component<N>".
Result<void> assignIds(const Context& ctx, std::vector<DecodedTrigger>& triggers,
                       std::map<std::string, DecodedComponent>& components) {
  std::set<std::string> ids;
  for (const DecodedTrigger& t : triggers) {
    if (t.trigger.id.empty()) continue;
    if (!ids.insert(t.trigger.id).second) {
      return std::unexpected(errorAt(ctx, t.trigger.line, "duplicate trigger id `" + t.trigger.id + "`"));
    }
  }
  unsigned counter = 1;
  for (DecodedTrigger& t : triggers) {
    if (!t.trigger.id.empty()) continue;
    if (!t.trigger.component.empty()) {
      std::string natural = t.trigger.component + "-http-trigger";
      if (ids.insert(natural).second) {
        t.trigger.id = natural;
        continue;
      }
    }
    while (ids.contains("http-trigger" + std::to_string(counter))) ++counter;
    t.trigger.id = "http-trigger" + std::to_string(counter);
    ids.insert(t.trigger.id);
  }
  unsigned inlineCounter = 1;
  for (DecodedTrigger& t : triggers) {
    if (!t.inlineComponent) continue;
    std::string id = t.trigger.id + "-component";
    if (manifest::checkKebabId(id) || components.contains(id)) {
      while (components.contains("inline-component" + std::to_string(inlineCounter))) ++inlineCounter;
      id = "inline-component" + std::to_string(inlineCounter);
    }
    t.inlineComponent->component.id = id;
    t.trigger.component = id;
    components.emplace(id, std::move(*t.inlineComponent));
    t.inlineComponent.reset();
  }
  return {};
}

std::string closestComponent(const std::string& id, const std::map<std::string, DecodedComponent>& components) {
  std::vector<std::string> ids;
  ids.reserve(components.size());
  for (const auto& [name, c] : components) ids.push_back(name);
  return manifest::closestMatch(id, ids);
}

// `{ component = "<id>" }` dependencies: the component must exist and is used by its `source`
// (Spin composes its binary and ignores the rest of its configuration).
Result<void> resolveDependencies(const Context& ctx, std::map<std::string, DecodedComponent>& components) {
  for (auto& [id, decoded] : components) {
    for (ComponentDependency& d : decoded.component.dependencies) {
      if (d.component.empty()) continue;
      auto it = components.find(d.component);
      if (it == components.end()) {
        Error e = errorAt(ctx, d.line, "dependency `" + d.name + "` of component `" + id + "` refers to component `" +
                                           d.component + "`, which is not defined");
        std::string close = closestComponent(d.component, components);
        e.hint = close.empty() ? "define it with a [component." + d.component + "] section" : "did you mean `" + close + "`?";
        return std::unexpected(std::move(e));
      }
      if (d.component == id) {
        return std::unexpected(errorAt(ctx, d.line, "component `" + id + "` cannot be its own dependency (`" + d.name + "`)"));
      }
      if (!it->second.component.dependencies.empty()) {
        Error e = errorAt(ctx, d.line, "dependency `" + d.name + "` of component `" + id + "` is component `" +
                                           d.component + "`, which has dependencies of its own: dependencies of a "
                                           "dependency are not supported", ErrorKind::Unsupported);
        e.hint = "compose that component with its dependencies first (e.g. with `wac plug`) and depend on the result";
        return std::unexpected(std::move(e));
      }
      d.path = it->second.component.source;
    }
  }
  return {};
}

}  // namespace

Result<App> loadApp(const fs::path& path) { return loadApp(path, LoadOptions{}); }

Result<App> loadApp(const fs::path& path, const LoadOptions& options) {
  std::error_code ec;
  bool fromFolder = fs::is_directory(path, ec);
  fs::path file = fromFolder ? path / "spin.toml" : path;
  App app;
  app.displayPath = file.lexically_normal().string();
  app.manifestPath = fs::absolute(file, ec).lexically_normal();
  app.root = app.manifestPath.parent_path();
  Context ctx{app.displayPath};

  std::string text = BANTAM_TRY(readManifest(file, app.displayPath, fromFolder));
  toml::parse_result parsed = toml::parse(text, std::string_view(app.displayPath));
  if (!parsed) {
    const toml::parse_error& err = parsed.error();
    Error e = errorAt(ctx, err.source().begin.line, std::string(err.description()), ErrorKind::Parse);
    e.column = err.source().begin.column;
    return std::unexpected(std::move(e));
  }
  const toml::table& top = parsed.table();

  BANTAM_TRY(checkVersion(ctx, top));
  Fields topFields(ctx, top, "the manifest");
  BANTAM_TRY(topFields.allowOnly({"spin_manifest_version", "application", "variables", "trigger", "component"}));
  BANTAM_TRY(decodeApplication(ctx, top, app));
  BANTAM_TRY(decodeVariables(ctx, top, app));
  std::map<std::string, DecodedComponent> components = BANTAM_TRY(decodeComponents(ctx, top, app, app.warnings));
  std::vector<DecodedTrigger> triggers = BANTAM_TRY(decodeTriggers(ctx, top, app, app.warnings));
  BANTAM_TRY(assignIds(ctx, triggers, components));

  for (DecodedTrigger& t : triggers) {
    if (!components.contains(t.trigger.component)) {
      Error e = errorAt(ctx, t.componentLine, "[[trigger.http]] refers to component `" + t.trigger.component +
                                                  "`, which is not defined");
      std::string close = closestComponent(t.trigger.component, components);
      e.hint = close.empty() ? "define it with a [component." + t.trigger.component + "] section"
                             : "did you mean `" + close + "`?";
      return std::unexpected(std::move(e));
    }
    app.httpTriggers.push_back(std::move(t.trigger));
  }
  BANTAM_TRY(resolveDependencies(ctx, components));
  for (auto& [id, decoded] : components) {
    if (options.expandFiles) {
      decoded.component.files =
          BANTAM_TRY(manifest::expandFiles(ctx, app.root, decoded.files, decoded.component.excludeFiles));
    }
    app.components.emplace(id, std::move(decoded.component));
  }

  // Route syntax and duplicate routes are manifest errors: report them at load, with their lines.
  Router router = BANTAM_TRY(Router::build(app));
  app.warnings.insert(app.warnings.end(), router.warnings().begin(), router.warnings().end());
  return app;
}

Result<void> checkSources(const App& app) {
  Context ctx{app.displayPath};
  for (const auto& [id, c] : app.components) {
    std::error_code ec;
    fs::file_status st = fs::status(c.source, ec);
    std::string shown = c.source.lexically_relative(app.root).string();
    if (shown.empty() || shown.starts_with("..")) shown = c.source.string();
    for (const ComponentDependency& d : c.dependencies) {
      if (!d.component.empty()) continue;  // that component's own source is checked
      std::error_code dec;
      if (fs::is_regular_file(d.path, dec)) continue;
      std::string dshown = d.path.lexically_relative(app.root).string();
      if (dshown.empty() || dshown.starts_with("..")) dshown = d.path.string();
      Error e = errorAt(ctx, d.line, "the `path` of dependency `" + d.name + "` of component `" + id + "`, " + dshown +
                                         (fs::exists(d.path, dec) ? ", is not a file" : ", does not exist"));
      e.hint = "check the path: it is relative to the folder of " + app.displayPath;
      return std::unexpected(std::move(e));
    }
    if (!ec && fs::is_regular_file(st)) continue;
    Error e = errorAt(ctx, c.line,
                      fs::exists(st) ? "the source of component `" + id + "`, " + shown + ", is not a file"
                                     : "the source of component `" + id + "`, " + shown + ", does not exist");
    e.hint = c.build ? "build it first: `bantam build` (or `bantam up --build`)"
                     : "check the path: it is relative to the folder of " + app.displayPath;
    return std::unexpected(std::move(e));
  }
  return {};
}

}  // namespace bantam::platform
