// `[[trigger.http]]`: a route (or `{ private = true }`), the component answering it (an id or an
// inline component table) and its executor, as Spin's HttpTriggerConfig reads them.
#include "platform/manifest/decode.h"
#include "platform/manifest/ids.h"

namespace bantam::platform::manifest {

namespace {

constexpr std::string_view kWhere = "[[trigger.http]]";

Result<void> decodeRoute(const Fields& f, HttpTrigger& t) {
  const toml::node* v = f.get("route");
  if (v == nullptr) return std::unexpected(f.missing("route"));
  if (const auto* s = v->as_string()) {
    t.route = s->get();
    return {};
  }
  if (const toml::table* table = v->as_table()) {
    Fields r(f.context(), *table, "`route` of " + f.where());
    BANTAM_TRY(r.allowOnly({"private"}));
    const toml::node* p = r.get("private");
    if (p == nullptr) return std::unexpected(r.missing("private"));
    if (!p->is_boolean()) return std::unexpected(r.typeError("private", *p, "true"));
    if (!p->as_boolean()->get()) {
      return std::unexpected(f.error(f.line("route"),
                                     "route must be a string pattern or `{ private = true }`, not `{ private = false }`"));
    }
    t.isPrivate = true;
    return {};
  }
  return std::unexpected(f.typeError("route", *v, "a route (a string) or `{ private = true }`"));
}

Result<void> decodeExecutor(const Fields& f, HttpTrigger& t) {
  const toml::node* v = f.get("executor");
  if (v == nullptr) return {};
  const toml::table* table = v->as_table();
  if (table == nullptr) return std::unexpected(f.typeError("executor", *v, "a table: { type = \"wagi\" } or { type = \"spin\" }"));
  Fields e(f.context(), *table, "`executor` of " + f.where());
  std::string type = BANTAM_TRY(e.requiredString("type"));
  if (type == "spin" || type == "http") {
    BANTAM_TRY(e.allowOnly({"type"}));
    t.executor.kind = ExecutorConfig::Kind::Spin;
    return {};
  }
  if (type == "wagi") {
    BANTAM_TRY(e.allowOnly({"type", "argv", "entrypoint"}));
    t.executor.kind = ExecutorConfig::Kind::Wagi;
    if (auto argv = BANTAM_TRY(e.optionalString("argv"))) t.executor.argv = *argv;
    if (auto entry = BANTAM_TRY(e.optionalString("entrypoint"))) t.executor.entrypoint = *entry;
    return {};
  }
  Error err = e.error(e.line("type"), "unknown executor type `" + type + "` in " + f.where());
  err.hint = "expected `spin` (also written `http`) or `wagi`";
  return std::unexpected(std::move(err));
}

Result<DecodedTrigger> decodeOne(const Context& ctx, const toml::table& table, const std::filesystem::path& root,
                                 const std::map<std::string, Variable>& appVariables,
                                 std::vector<std::string>& warnings) {
  Fields f(ctx, table, std::string(kWhere));
  BANTAM_TRY(f.allowOnly({"id", "route", "component", "executor", "components", "static_response"}));
  DecodedTrigger out;
  HttpTrigger& t = out.trigger;
  t.line = f.tableLine();
  t.id = BANTAM_TRY(f.optionalString("id")).value_or("");
  BANTAM_TRY(decodeRoute(f, t));
  BANTAM_TRY(decodeExecutor(f, t));
  if (f.has("components")) {
    return std::unexpected(f.error(f.line("components"), "`components` (middleware) in " + f.where() +
                                                             " is not supported yet", ErrorKind::Unsupported));
  }
  if (f.has("static_response")) {
    Error e = f.error(f.line("static_response"), "`static_response` in " + f.where() + " is not supported yet",
                      ErrorKind::Unsupported);
    e.hint = "serve the response from a component";
    return std::unexpected(std::move(e));
  }
  const toml::node* c = f.get("component");
  if (c == nullptr) return std::unexpected(f.missing("component"));
  out.componentLine = f.line("component");
  if (const auto* s = c->as_string()) {
    t.component = s->get();
    if (auto why = checkKebabId(t.component)) {
      return std::unexpected(f.error(out.componentLine, "invalid component id `" + t.component + "` in " +
                                                            f.where() + ": " + *why));
    }
  } else if (const toml::table* inlineTable = c->as_table()) {
    out.inlineComponent = BANTAM_TRY(decodeComponent(ctx, *inlineTable, "", std::string(kWhere) + ".component",
                                                      root, appVariables, warnings));
  } else {
    return std::unexpected(f.typeError("component", *c, "a component id (a string) or an inline component table"));
  }
  return out;
}

}  // namespace

Result<std::vector<DecodedTrigger>> decodeHttpTriggers(const Context& ctx, const toml::node& node,
                                                       const std::filesystem::path& root,
                                                       const std::map<std::string, Variable>& appVariables,
                                                       std::vector<std::string>& warnings) {
  const toml::array* a = node.as_array();
  if (a == nullptr || (!a->empty() && !a->is_array_of_tables())) {
    Error e = errorAt(ctx, lineOf(node), "`trigger.http` must be an array of tables, not " + std::string(describeType(node)));
    e.hint = "write each trigger as a [[trigger.http]] section (two brackets)";
    return std::unexpected(std::move(e));
  }
  std::vector<DecodedTrigger> out;
  out.reserve(a->size());
  for (const toml::node& item : *a) {
    out.push_back(BANTAM_TRY(decodeOne(ctx, *item.as_table(), root, appVariables, warnings)));
  }
  return out;
}

}  // namespace bantam::platform::manifest
