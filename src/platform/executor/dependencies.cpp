// Spin's component dependencies for the wasi:http executor: see dependencies.h.
#include "platform/executor/dependencies.h"

#include <fstream>
#include <map>

#include "component/wit/builtin.h"
#include "runtime/store.h"

namespace bantam::platform {

namespace {

using component::ComponentInstance;
using component::ExternName;
using component::PlanExport;
using component::PlanImport;

std::string describe(const ComponentDependency& d) {
  return d.component.empty() ? "dependency `" + d.name + "` (" + d.path.string() + ")"
                             : "dependency `" + d.name + "` (component `" + d.component + "`)";
}

Error inComponent(Error e, const Component& c) {
  return std::move(e).withSource(c.source.string()).withContext("component \"" + c.id + "\"");
}

// "ns:pkg@1.2.3" -> ("ns:pkg", version).
std::pair<std::string, std::optional<component::Semver>> splitPackage(const std::string& key) {
  size_t at = key.find('@');
  if (at == std::string::npos) return {key, std::nullopt};
  return {key.substr(0, at), component::Semver::parse(key.substr(at + 1))};
}

// A key's version selects imports of the same canonical version (Spin's composition matches
// the import's name; semver-compatible versions are the same interface to the linker).
bool versionMatches(const std::optional<component::Semver>& key, const std::optional<component::Semver>& imported) {
  if (!key) return true;
  return imported && key->canonical() == imported->canonical();
}

// Does dependency `d` serve the app's import `imp`?
bool serves(const ComponentDependency& d, const ExternName& imp) {
  switch (d.nameKind) {
    case ComponentDependency::NameKind::Plain:
      return !imp.isInterface() && imp.text == d.name;
    case ComponentDependency::NameKind::Package: {
      auto [pkg, version] = splitPackage(d.name);
      return imp.isInterface() && imp.packageName() == pkg && versionMatches(version, imp.version);
    }
    case ComponentDependency::NameKind::Interface: {
      auto key = ExternName::parse(d.name);
      return key && imp.isInterface() && imp.unversioned() == key->unversioned() &&
             versionMatches(key->version, imp.version);
    }
  }
  return false;
}

// The export of `provider` that serves `imp`: `export` when the manifest names one, else the
// export of the import's name (any version that serves it).
const PlanExport* exportFor(const ComponentInstance& provider, const ComponentDependency& d, const ExternName& imp) {
  for (const PlanExport& e : provider.compiled().plan.exports) {
    if (e.item.kind != component::ExternTypeInfo::Kind::Instance) continue;
    if (!d.exportName.empty()) {
      if (e.name.text == d.exportName || (e.name.isInterface() && e.name.unversioned() == d.exportName)) return &e;
      continue;
    }
    if (e.name.text == imp.text) return &e;
    if (e.name.isInterface() && imp.isInterface() && e.name.unversioned() == imp.unversioned() && e.name.version &&
        imp.version && e.name.version->serves(*imp.version))
      return &e;
  }
  return nullptr;
}

Result<std::vector<uint8_t>> readFile(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return fail(ErrorKind::Io, "cannot read " + p.string());
  return std::vector<uint8_t>((std::istreambuf_iterator<char>(in)), {});
}

}  // namespace

ComposedComponent::~ComposedComponent() {
  prototypes_.clear();  // before their contexts and their store
  protoContexts_.clear();
}

Result<std::unique_ptr<ComposedComponent>> ComposedComponent::prepare(runtime::Engine& engine,
                                                                      const Component& component,
                                                                      std::span<const uint8_t> appBytes) {
  std::unique_ptr<ComposedComponent> out(new ComposedComponent());
  out->protoStore_ = std::make_unique<runtime::Store>(engine);
  auto appCompiled = component::compileComponent(engine, appBytes, component.source.string());
  if (!appCompiled) return std::unexpected(inComponent(std::move(appCompiled.error()), component));

  component::ComponentLinker linker;
  BANTAM_TRY(linker.addInterfaces(wit::builtinInterfaces()));
  std::shared_ptr<const wasi2::Wasi2Host> host = BANTAM_TRY(wasi2::defineWasi2(linker));

  for (const ComponentDependency& d : component.dependencies) {
    auto bytes = readFile(d.path);
    if (!bytes) return std::unexpected(inComponent(std::move(bytes.error()).withContext(describe(d)), component));
    if (!wasi2::isComponentBinary(*bytes)) {
      Error e = Error::make(ErrorKind::Usage, describe(d) + " is a core module, not a component");
      e.hint = "a dependency must be a WebAssembly component exporting the interfaces the component imports";
      return std::unexpected(inComponent(std::move(e), component));
    }
    // The dependency's own imports are served by the WASI 0.2 host only: an import of another
    // package (a dependency of the dependency) is a named Unlinkable error here.
    auto prepared = wasi2::prepareWasi2(engine, *bytes, d.path.string());
    if (!prepared) {
      Error e = std::move(prepared.error()).withContext(describe(d));
      if (e.kind == ErrorKind::Unlinkable)
        e.hint =
            "a dependency's imports are served by the host only (dependencies of a dependency are not "
            "supported): compose it with its own dependencies first, e.g. with `wac plug`";
      return std::unexpected(inComponent(std::move(e), component));
    }
    auto ctx = BANTAM_TRY(wasi2::Wasi2Ctx::create(prepared->host, wasi2::Wasi2Config{}));
    wasi2::Wasi2Ctx::Scope scope(*ctx);
    auto proto = prepared->pre->instantiate(*out->protoStore_);
    if (!proto) return std::unexpected(inComponent(std::move(proto.error()).withContext(describe(d)), component));
    (*proto)->hostData = ctx.get();
    out->protoContexts_.push_back(std::move(ctx));
    out->prototypes_.push_back(std::move(*proto));
    out->deps_.push_back({d.name, d.inheritConfiguration, std::move(*prepared)});
  }

  // Every dependency must serve at least one import, and every import it claims must be exported.
  const auto& imports = (*appCompiled)->plan.imports;
  for (size_t i = 0; i < component.dependencies.size(); ++i) {
    const ComponentDependency& d = component.dependencies[i];
    ComponentInstance& proto = *out->prototypes_[i];
    bool any = false;
    for (const PlanImport& imp : imports) {
      if (imp.type.kind != component::ExternTypeInfo::Kind::Instance || !serves(d, imp.name)) continue;
      any = true;
      const PlanExport* e = exportFor(proto, d, imp.name);
      if (e == nullptr) {
        Error err = Error::make(ErrorKind::Unlinkable,
                                describe(d) + " does not export " +
                                    (d.exportName.empty() ? "`" + imp.name.text + "`" : "`" + d.exportName + "`") +
                                    ", which the component imports as `" + imp.name.text + "`");
        std::string exports;
        for (const PlanExport& x : proto.compiled().plan.exports)
          exports += (exports.empty() ? "`" : ", `") + x.name.text + "`";
        err.hint = exports.empty() ? "it exports nothing" : "it exports " + exports;
        return std::unexpected(inComponent(std::move(err), component));
      }
      BANTAM_TRY(linker.defineInstance(proto, e->name.text, imp.name.text));
    }
    if (!any) {
      Error err =
          Error::make(ErrorKind::Usage, "the component does not import `" + d.name + "`, named in its dependencies");
      std::string names;
      for (const PlanImport& imp : imports)
        if (imp.type.kind == component::ExternTypeInfo::Kind::Instance && !imp.name.text.starts_with("wasi:"))
          names += (names.empty() ? "`" : ", `") + imp.name.text + "`";
      err.hint = names.empty() ? "it imports only WASI interfaces" : "it imports " + names;
      return std::unexpected(inComponent(std::move(err), component));
    }
  }
  auto pre = linker.prepare(*appCompiled);
  if (!pre) return std::unexpected(inComponent(std::move(pre.error()), component));
  out->app_.compiled = std::move(*appCompiled);
  out->app_.pre = std::move(*pre);
  out->app_.host = std::move(host);
  out->app_.name = component.source.string();
  return out;
}

Result<std::unique_ptr<ComposedComponent::Linked>> ComposedComponent::link(runtime::Store& store,
                                                                           const DependencyCapabilities& caps,
                                                                           const wasi2::Wasi2Config& app) const {
  auto linked = std::make_unique<Linked>();
  std::map<const ComponentInstance*, ComponentInstance*> instanceOf;
  std::map<const component::ResourceType*, const component::ResourceType*> resourceOf;
  for (size_t i = 0; i < deps_.size(); ++i) {
    const Dependency& d = deps_[i];
    wasi2::Wasi2Config c;
    c.stdoutFile = logSinkFile(caps.stdoutSink);
    c.stderrFile = logSinkFile(caps.stderrSink);
    c.clocks = app.clocks;
    c.random = app.random;
    c.interrupted = app.interrupted;
    c.outboundTimeoutMs = app.outboundTimeoutMs;
    if (d.inherit) {
      c.env = caps.env;
      if (caps.files) c.preopens.push_back(wasi::PreopenDir{"/", caps.files->root(true), true});
      c.outbound.allowed = caps.allowedOutbound;
      c.chain = app.chain;
    }
    auto ctx = BANTAM_TRY(wasi2::Wasi2Ctx::create(d.prepared.host, std::move(c)));
    wasi2::Wasi2Ctx::Scope scope(*ctx);
    auto inst = d.prepared.pre->instantiate(store);
    if (!inst) return std::unexpected(std::move(inst.error()).withContext("dependency `" + d.name + "`"));
    (*inst)->hostData = ctx.get();
    const ComponentInstance& proto = *prototypes_[i];
    instanceOf[&proto] = inst->get();
    for (size_t r = 0; r < proto.resources().size() && r < (*inst)->resources().size(); ++r)
      resourceOf[proto.resources()[r]] = (*inst)->resources()[r];
    linked->contexts.push_back(std::move(ctx));
    linked->instances.push_back(std::move(*inst));
  }
  // The app's imports were resolved against the prototypes: point them at this request's
  // instances (same compiled components, so the same export references and resource order).
  auto pre = std::make_shared<component::ComponentPre>(*app_.pre);
  for (component::ComponentPre::Import& f : pre->funcs)
    if (f.provider) f.provider = instanceOf.at(f.provider);
  for (const component::ResourceType*& r : pre->resources)
    if (auto it = resourceOf.find(r); it != resourceOf.end()) r = it->second;
  linked->app = app_;
  linked->app.pre = std::move(pre);
  return linked;
}

}  // namespace bantam::platform
