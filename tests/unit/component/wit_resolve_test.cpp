// The WIT resolver (src/component/wit/resolve.h) and the WIT packages embedded from wit/.
#include <gtest/gtest.h>

#include "component/wit/builtin.h"
#include "component/wit/resolve.h"

namespace bantam::wit {
namespace {

using component::ValKind;

Result<Resolve> resolveText(std::vector<std::pair<std::string, std::string>> sources, ResolveOptions o = {}) {
  std::vector<File> files;
  for (auto& [path, text] : sources) files.push_back(BANTAM_TRY(parseWit(text, path)));
  return resolveWit(std::move(files), o);
}

const ResolvedInterface& iface(const Resolve& r, std::string_view name) {
  auto i = r.findInterface(name);
  EXPECT_TRUE(i.has_value()) << name;
  return r.interfaces[i.value_or(0)];
}

component::FuncType func(const ResolvedInterface& i, std::string_view name) {
  for (const auto& [n, f] : i.funcs)
    if (n == name) return f;
  ADD_FAILURE() << "no function " << name;
  return nullptr;
}

TEST(WitBuiltin, EmbeddedPackagesResolve) {
  const Result<Resolve>& r = builtinResolveResult();
  ASSERT_TRUE(r) << r.error().message << " " << r.error().source << ":" << r.error().line;
  EXPECT_TRUE(r->findInterface("wasi:io/streams@0.2.12"));
  EXPECT_TRUE(r->findInterface("wasi:http/types@0.2.12"));
  EXPECT_TRUE(r->findInterface("wasi:cli/environment@0.2.12"));
  EXPECT_TRUE(r->findInterface("wasi:filesystem/types@0.2.12"));
  EXPECT_TRUE(r->findInterface("fermyon:spin/key-value@2.0.0"));
  EXPECT_TRUE(r->findInterface("fermyon:spin/sqlite@2.0.0"));
  EXPECT_TRUE(r->findInterface("wasi:keyvalue/store@0.2.0-draft2"));
  EXPECT_TRUE(r->findWorld("wasi:http/proxy@0.2.12"));
  EXPECT_TRUE(r->findWorld("wasi:cli/command@0.2.12"));
}

TEST(WitBuiltin, UnstableInterfacesAreLeftOut) {
  EXPECT_FALSE(builtinResolve().findInterface("wasi:clocks/timezone@0.2.12"));
}

TEST(WitBuiltin, SpinWorldsUseCompatibleWasiVersion) {
  // fermyon:spin/platform includes wasi:cli/imports@0.2.0: served by the embedded 0.2.12.
  const Resolve& r = builtinResolve();
  auto w = r.findWorld("fermyon:spin/platform@2.0.0");
  ASSERT_TRUE(w);
  bool hasStdout = false;
  for (const WorldEntry& e : r.worlds[*w].imports) hasStdout |= e.name == "wasi:cli/stdout@0.2.12";
  EXPECT_TRUE(hasStdout);
}

TEST(WitBuiltin, ResourceMethodsHaveComponentModelNames) {
  const ResolvedInterface& s = iface(builtinResolve(), "wasi:io/streams@0.2.12");
  component::FuncType write = func(s, "[method]output-stream.write");
  ASSERT_TRUE(write);
  ASSERT_EQ(write->params.size(), 2u);
  EXPECT_EQ(write->params[0].name, "self");
  EXPECT_EQ(write->params[0].type->kind, ValKind::Borrow);
  EXPECT_EQ(write->params[1].type->kind, ValKind::List);
  ASSERT_TRUE(write->result);
  EXPECT_EQ(write->result->kind, ValKind::Result);
}

TEST(WitBuiltin, UseSharesResourceIdentity) {
  const component::InterfaceSet& set = builtinInterfaces();
  const component::InterfaceDecl* streams = nullptr;
  const component::InterfaceDecl* types = nullptr;
  for (const auto& d : set.interfaces) {
    if (d.fullName() == "wasi:io/streams@0.2.12") streams = &d;
    if (d.fullName() == "wasi:http/types@0.2.12") types = &d;
  }
  ASSERT_TRUE(streams && types);
  const auto* a = streams->findType("input-stream");
  const auto* b = types->findType("input-stream");
  ASSERT_TRUE(a && b);
  EXPECT_TRUE(a->definedHere);
  EXPECT_FALSE(b->definedHere);
  EXPECT_EQ(a->resource, b->resource);
  EXPECT_TRUE(types->findFunc("[constructor]fields"));
  EXPECT_TRUE(types->findFunc("[static]fields.from-list"));
}

TEST(WitResolve, TypesMayBeUsedBeforeTheirDefinition) {
  auto r = resolveText({{"a.wit", "package a:b@1.0.0; interface i { f: func() -> p; record p { x: u32, y: list<q> } type q = string; }"}});
  ASSERT_TRUE(r) << r.error().message;
  component::FuncType f = func(iface(*r, "a:b/i@1.0.0"), "f");
  ASSERT_TRUE(f && f->result);
  EXPECT_EQ(f->result->kind, ValKind::Record);
  EXPECT_EQ(f->result->fields[1].type->elem->kind, ValKind::String);
}

TEST(WitResolve, UnknownTypeIsAnErrorWithPosition) {
  auto r = resolveText({{"x.wit", "package a:b;\ninterface i {\n  f: func() -> nope;\n}"}});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::Invalid);
  EXPECT_EQ(r.error().line, 3u);
  EXPECT_NE(r.error().message.find("nope"), std::string::npos);
}

TEST(WitResolve, SelfReferentialTypeIsAnError) {
  auto r = resolveText({{"x.wit", "package a:b; interface i { record r { x: r } }"}});
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("depends on itself"), std::string::npos);
}

TEST(WitResolve, UseCycleIsAnError) {
  auto r = resolveText({{"x.wit", "package a:b; interface i { use j.{t}; type u = u8; } interface j { use i.{u}; type t = u8; }"}});
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("depends on itself"), std::string::npos);
}

TEST(WitResolve, DeeplyNestedTypeIsAnErrorNotACrash) {
  std::string deep;
  for (int i = 0; i < 100000; ++i) deep += "list<";
  deep += "u8";
  for (int i = 0; i < 100000; ++i) deep += ">";
  auto r = resolveText({{"x.wit", "package a:b; interface i { type t = " + deep + "; }"}});
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("too deep"), std::string::npos) << r.error().message;
}

TEST(WitResolve, TypeNestingPastTheLimitIsALimitError) {
  std::string t = "u8";
  for (int i = 0; i < 120; ++i) t = "option<" + t + ">";
  auto r = resolveText({{"x.wit", "package a:b; interface i { type t = " + t + "; }"}});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::Limit);
}

TEST(WitResolve, LongChainOfAliasesIsAnErrorNotACrash) {
  std::string text = "package a:b; interface i {\n";
  for (int i = 0; i < 100000; ++i) text += "type t" + std::to_string(i) + " = t" + std::to_string(i + 1) + ";\n";
  text += "type t100000 = u8;\n}";
  auto r = resolveText({{"x.wit", text}});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::Limit);
}

TEST(WitResolve, UnstableItemsNeedTheirFeature) {
  std::string text = "package a:b; interface i { @unstable(feature = fancy) f: func(); g: func(); }";
  auto off = resolveText({{"x.wit", text}});
  ASSERT_TRUE(off);
  EXPECT_EQ(iface(*off, "a:b/i").funcs.size(), 1u);
  ResolveOptions o;
  o.features.insert("fancy");
  auto on = resolveText({{"x.wit", text}}, o);
  ASSERT_TRUE(on);
  EXPECT_EQ(iface(*on, "a:b/i").funcs.size(), 2u);
}

TEST(WitResolve, AsyncAndStreamsAreNamedUnsupported) {
  auto r = resolveText({{"x.wit", "package a:b; interface i { f: func() -> stream<u8>; }"}});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error().kind, ErrorKind::Unsupported);
  EXPECT_NE(r.error().message.find("stream"), std::string::npos);
}

TEST(WitResolve, FilesOfOneDirectoryShareThePackage) {
  auto r = resolveText({{"d/a.wit", "package a:b@0.1.0; interface i { type t = u8; }"},
                        {"d/b.wit", "interface j { use i.{t}; f: func(x: t); }"}});
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_TRUE(r->findInterface("a:b/j@0.1.0"));
}

TEST(WitResolve, WorldImportsWhatItsInterfacesUse) {
  auto r = resolveText({{"x.wit",
                         "package a:b; interface base { resource r; } interface api { use base.{r}; f: func() -> r; }"
                         " world w { export api; import log: func(msg: string); }"}});
  ASSERT_TRUE(r) << r.error().message;
  const ResolvedWorld& w = r->worlds[*r->findWorld("a:b/w")];
  ASSERT_EQ(w.imports.size(), 2u);
  EXPECT_EQ(w.imports[0].name, "log");
  EXPECT_EQ(w.imports[1].name, "a:b/base");
  ASSERT_EQ(w.exports.size(), 1u);
  EXPECT_EQ(w.exports[0].name, "a:b/api");
}

TEST(WitResolve, IncludeMergesWorlds) {
  auto r = resolveText({{"x.wit",
                         "package a:b; interface i { f: func(); } interface j { g: func(); }"
                         " world base { import i; } world w { include base; export j; }"}});
  ASSERT_TRUE(r) << r.error().message;
  const ResolvedWorld& w = r->worlds[*r->findWorld("a:b/w")];
  ASSERT_EQ(w.imports.size(), 1u);
  EXPECT_EQ(w.imports[0].name, "a:b/i");
  EXPECT_EQ(w.exports.size(), 1u);
}

}  // namespace
}  // namespace bantam::wit
