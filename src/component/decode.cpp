// Component binary decoding (Binary.md): preamble, sections, instance, alias, canon, import
// and export definitions. Type definitions are in decode_types.cpp.
#include "component/decode.h"

#include <cstdio>
#include <cstring>

#include "component/decode_reader.h"
#include "wasm/decoder/decoder.h"
#include "wasm/validator/validator.h"

namespace bantam::component {

namespace {

constexpr uint8_t kMagic[4] = {0x00, 0x61, 0x73, 0x6d};
constexpr uint8_t kComponentVersion[4] = {0x0d, 0x00, 0x01, 0x00};

Error shifted(Error e, uint64_t base) {
  if (e.offset) *e.offset += base;
  return e;
}

}  // namespace

const char* sortName(Sort s) {
  switch (s) {
    case Sort::CoreFunc: return "core func";
    case Sort::CoreTable: return "core table";
    case Sort::CoreMemory: return "core memory";
    case Sort::CoreGlobal: return "core global";
    case Sort::CoreTag: return "core tag";
    case Sort::CoreType: return "core type";
    case Sort::CoreModule: return "core module";
    case Sort::CoreInstance: return "core instance";
    case Sort::Func: return "func";
    case Sort::Value: return "value";
    case Sort::Type: return "type";
    case Sort::Component: return "component";
    case Sort::Instance: return "instance";
  }
  return "?";
}

const char* stringEncodingName(StringEncoding e) {
  switch (e) {
    case StringEncoding::Utf8: return "utf8";
    case StringEncoding::Utf16: return "utf16";
    case StringEncoding::Latin1Utf16: return "latin1+utf16";
  }
  return "?";
}

bool isComponentBinary(std::span<const uint8_t> bytes) {
  return bytes.size() >= 8 && std::memcmp(bytes.data(), kMagic, 4) == 0 && bytes[6] == 0x01 && bytes[7] == 0x00;
}

std::unexpected<Error> ComponentDecoder::unsupported(const ByteReader& r, std::string feature) {
  return failAt(ErrorKind::Unsupported, r.offset(), "unsupported component feature: " + std::move(feature));
}

std::unexpected<Error> ComponentDecoder::invalidByte(const ByteReader& r, uint8_t b, const char* what) {
  char buf[96];
  std::snprintf(buf, sizeof buf, "invalid leading byte (0x%02x) for %s", b, what);
  return failAt(ErrorKind::Malformed, r.offset() - 1, buf);
}

Result<std::string> ComponentDecoder::name(ByteReader& r) { return std::string(BANTAM_TRY(r.readName())); }

// A vector length, checked against the bytes left so that a hostile count cannot make us
// reserve memory the input does not back.
Result<uint32_t> ComponentDecoder::count(ByteReader& r, size_t minBytesEach) {
  uint32_t n = BANTAM_TRY(r.readU32());
  if (minBytesEach > 0 && n > r.remaining() / minBytesEach) return r.error("length out of bounds");
  return n;
}

Result<void> ComponentDecoder::countDefinition(const ByteReader& r) {
  if (++definitions_ > limits_.maxDefinitions)
    return failAt(ErrorKind::Limit, r.offset(),
                  "component has more than " + std::to_string(limits_.maxDefinitions) + " definitions");
  return {};
}

Result<Sort> ComponentDecoder::coreSort(ByteReader& r) {
  uint8_t b = BANTAM_TRY(r.readByte());
  switch (b) {
    case 0x00: return Sort::CoreFunc;
    case 0x01: return Sort::CoreTable;
    case 0x02: return Sort::CoreMemory;
    case 0x03: return Sort::CoreGlobal;
    case 0x04: return unsupported(r, "core tags (exception handling)");
    case 0x10: return Sort::CoreType;
    case 0x11: return Sort::CoreModule;
    case 0x12: return Sort::CoreInstance;
    default: return invalidByte(r, b, "core sort");
  }
}

Result<Sort> ComponentDecoder::sort(ByteReader& r) {
  uint8_t b = BANTAM_TRY(r.readByte());
  switch (b) {
    case 0x00: return coreSort(r);
    case 0x01: return Sort::Func;
    case 0x02: return unsupported(r, "value definitions (🪙)");
    case 0x03: return Sort::Type;
    case 0x04: return Sort::Component;
    case 0x05: return Sort::Instance;
    default: return invalidByte(r, b, "sort");
  }
}

Result<SortIdx> ComponentDecoder::sortIdx(ByteReader& r) {
  SortIdx s;
  s.sort = BANTAM_TRY(sort(r));
  s.index = BANTAM_TRY(r.readU32());
  return s;
}

Result<SortIdx> ComponentDecoder::coreSortIdx(ByteReader& r) {
  SortIdx s;
  s.sort = BANTAM_TRY(coreSort(r));
  s.index = BANTAM_TRY(r.readU32());
  return s;
}

Result<ExternNameAst> ComponentDecoder::externName(ByteReader& r) {
  ExternNameAst n;
  uint8_t b = BANTAM_TRY(r.readByte());
  if (b > 0x02) return invalidByte(r, b, "import or export name");
  n.name = BANTAM_TRY(name(r));
  if (b == 0x02) {
    uint32_t count = BANTAM_TRY(this->count(r, 2));
    bool seen[3] = {};
    for (uint32_t i = 0; i < count; ++i) {
      uint8_t a = BANTAM_TRY(r.readByte());
      if (a > 0x02) return invalidByte(r, a, "import or export attribute");
      if (seen[a])
        return failAt(ErrorKind::Invalid, r.offset() - 1, "duplicate attribute on import or export `" + n.name + "`");
      seen[a] = true;
      std::string v = BANTAM_TRY(name(r));
      (a == 0x00 ? n.implements : a == 0x01 ? n.versionSuffix : n.externalId) = std::move(v);
    }
  }
  return n;
}

Result<Alias> ComponentDecoder::alias(ByteReader& r) {
  Alias a;
  a.sort = BANTAM_TRY(sort(r));
  uint8_t target = BANTAM_TRY(r.readByte());
  switch (target) {
    case 0x00:
      a.target = Alias::Target::Export;
      a.instance = BANTAM_TRY(r.readU32());
      a.name = BANTAM_TRY(name(r));
      break;
    case 0x01:
      a.target = Alias::Target::CoreExport;
      a.instance = BANTAM_TRY(r.readU32());
      a.name = BANTAM_TRY(name(r));
      break;
    case 0x02:
      a.target = Alias::Target::Outer;
      a.outerCount = BANTAM_TRY(r.readU32());
      a.outerIndex = BANTAM_TRY(r.readU32());
      break;
    default: return invalidByte(r, target, "alias target");
  }
  return a;
}

Result<CoreInstanceDef> ComponentDecoder::coreInstance(ByteReader& r) {
  CoreInstanceDef d;
  uint8_t b = BANTAM_TRY(r.readByte());
  if (b == 0x00) {
    d.module = BANTAM_TRY(r.readU32());
    uint32_t n = BANTAM_TRY(count(r, 3));
    for (uint32_t i = 0; i < n; ++i) {
      std::string argName = BANTAM_TRY(name(r));
      uint8_t kind = BANTAM_TRY(r.readByte());
      if (kind != 0x12) return invalidByte(r, kind, "core instantiation argument (only instances)");
      d.args.emplace_back(std::move(argName), BANTAM_TRY(r.readU32()));
    }
  } else if (b == 0x01) {
    d.instantiate = false;
    uint32_t n = BANTAM_TRY(count(r, 3));
    for (uint32_t i = 0; i < n; ++i) {
      std::string exportName = BANTAM_TRY(name(r));
      d.exports.emplace_back(std::move(exportName), BANTAM_TRY(coreSortIdx(r)));
    }
  } else {
    return invalidByte(r, b, "core instance");
  }
  return d;
}

Result<InstanceDef> ComponentDecoder::instance(ByteReader& r) {
  InstanceDef d;
  uint8_t b = BANTAM_TRY(r.readByte());
  if (b == 0x00) {
    d.component = BANTAM_TRY(r.readU32());
    uint32_t n = BANTAM_TRY(count(r, 3));
    for (uint32_t i = 0; i < n; ++i) {
      std::string argName = BANTAM_TRY(name(r));
      d.args.emplace_back(std::move(argName), BANTAM_TRY(sortIdx(r)));
    }
  } else if (b == 0x01) {
    d.instantiate = false;
    uint32_t n = BANTAM_TRY(count(r, 4));
    for (uint32_t i = 0; i < n; ++i) {
      ExternNameAst exportName = BANTAM_TRY(externName(r));
      d.exports.emplace_back(std::move(exportName), BANTAM_TRY(sortIdx(r)));
    }
  } else {
    return invalidByte(r, b, "instance");
  }
  return d;
}

Result<CanonOptions> ComponentDecoder::canonOptions(ByteReader& r) {
  CanonOptions o;
  uint32_t n = BANTAM_TRY(count(r, 1));
  auto duplicate = [&](const char* what) {
    return failAt(ErrorKind::Invalid, r.offset() - 1, std::string("canonical option `") + what + "` given more than once");
  };
  for (uint32_t i = 0; i < n; ++i) {
    uint8_t b = BANTAM_TRY(r.readByte());
    switch (b) {
      case 0x00:
      case 0x01:
      case 0x02:
        if (o.encodingSet) return failAt(ErrorKind::Invalid, r.offset() - 1, "canonical option `string-encoding` given more than once");
        o.encodingSet = true;
        o.encoding = static_cast<StringEncoding>(b);
        break;
      case 0x03:
        if (o.memory) return duplicate("memory");
        o.memory = BANTAM_TRY(r.readU32());
        break;
      case 0x04:
        if (o.realloc) return duplicate("realloc");
        o.realloc = BANTAM_TRY(r.readU32());
        break;
      case 0x05:
        if (o.postReturn) return duplicate("post-return");
        o.postReturn = BANTAM_TRY(r.readU32());
        break;
      case 0x06: return unsupported(r, "canonical option `async` (component-model concurrency)");
      case 0x07: return unsupported(r, "canonical option `callback` (component-model concurrency)");
      default: return invalidByte(r, b, "canonical option");
    }
  }
  return o;
}

namespace {
// The canon built-ins after 0.2 (Binary.md): async, streams, futures, error-context, threads.
const char* postMvpCanonName(uint8_t op) {
  switch (op) {
    case 0x05: return "task.cancel";
    case 0x06: return "subtask.cancel";
    case 0x07: return "resource.drop async";
    case 0x08: return "backpressure.set";
    case 0x09: return "task.return";
    case 0x0a: return "context.get";
    case 0x0b: return "context.set";
    case 0x0c: return "thread.yield";
    case 0x0d: return "subtask.drop";
    case 0x0e: return "stream.new";
    case 0x0f: return "stream.read";
    case 0x10: return "stream.write";
    case 0x11: return "stream.cancel-read";
    case 0x12: return "stream.cancel-write";
    case 0x13: return "stream.drop-readable";
    case 0x14: return "stream.drop-writable";
    case 0x15: return "future.new";
    case 0x16: return "future.read";
    case 0x17: return "future.write";
    case 0x18: return "future.cancel-read";
    case 0x19: return "future.cancel-write";
    case 0x1a: return "future.drop-readable";
    case 0x1b: return "future.drop-writable";
    case 0x1c: return "error-context.new";
    case 0x1d: return "error-context.debug-message";
    case 0x1e: return "error-context.drop";
    case 0x1f: return "waitable-set.new";
    case 0x20: return "waitable-set.wait";
    case 0x21: return "waitable-set.poll";
    case 0x22: return "waitable-set.drop";
    case 0x23: return "waitable.join";
    case 0x24: return "backpressure.inc";
    case 0x25: return "backpressure.dec";
    case 0x26: return "thread.index";
    case 0x27: return "thread.new-indirect";
    case 0x28: return "thread.resume-later";
    case 0x29: return "thread.suspend";
    case 0x2a: return "thread.suspend-then-resume";
    case 0x2b: return "thread.yield-then-resume";
    case 0x2c: return "thread.suspend-then-promote";
    case 0x2d: return "thread.yield-then-promote";
    case 0x40: return "thread.spawn-ref";
    case 0x41: return "thread.spawn-indirect";
    case 0x42: return "thread.available-parallelism";
    default: return nullptr;
  }
}
}  // namespace

Result<Canon> ComponentDecoder::canon(ByteReader& r) {
  Canon c;
  uint8_t op = BANTAM_TRY(r.readByte());
  switch (op) {
    case 0x00: {
      uint8_t s = BANTAM_TRY(r.readByte());
      if (s != 0x00) return invalidByte(r, s, "canon lift (core func sort)");
      c.kind = Canon::Kind::Lift;
      c.func = BANTAM_TRY(r.readU32());
      c.options = BANTAM_TRY(canonOptions(r));
      c.type = BANTAM_TRY(r.readU32());
      return c;
    }
    case 0x01: {
      uint8_t s = BANTAM_TRY(r.readByte());
      if (s != 0x00) return invalidByte(r, s, "canon lower (func sort)");
      c.kind = Canon::Kind::Lower;
      c.func = BANTAM_TRY(r.readU32());
      c.options = BANTAM_TRY(canonOptions(r));
      return c;
    }
    case 0x02:
    case 0x03:
    case 0x04:
      c.kind = op == 0x02 ? Canon::Kind::ResourceNew : op == 0x03 ? Canon::Kind::ResourceDrop : Canon::Kind::ResourceRep;
      c.type = BANTAM_TRY(r.readU32());
      return c;
    default:
      if (const char* builtin = postMvpCanonName(op))
        return unsupported(r, std::string("canon ") + builtin + " (component-model concurrency, error-context or threads)");
      return invalidByte(r, op, "canonical definition");
  }
}

Result<void> ComponentDecoder::coreModule(ByteReader& r, ComponentAst& c) {
  uint64_t base = r.offset();
  auto bytes = BANTAM_TRY(r.readBytes(r.remaining()));
  auto decoded = wasm::decodeModule(bytes);
  if (!decoded) return std::unexpected(shifted(std::move(decoded.error()), base).withContext("in a core module of the component"));
  if (auto valid = wasm::validateModule(*decoded); !valid)
    return std::unexpected(shifted(std::move(valid.error()), base).withContext("in a core module of the component"));
  auto m = std::make_shared<CoreModuleAst>();
  m->module = std::move(*decoded);
  m->offset = base;
  m->size = bytes.size();
  m->id = static_cast<uint32_t>(out_.allModules.size());
  out_.allModules.push_back(m);
  Definition d;
  d.kind = Definition::Kind::CoreModule;
  d.offset = base;
  d.index = static_cast<uint32_t>(c.modules.size());
  c.modules.push_back(std::move(m));
  c.defs.push_back(std::move(d));
  return {};
}

// The `component-name` custom section: only the component's own name is kept; the section
// is parsed leniently (Binary.md "Name Section": engines must not reject a bad one).
void ComponentDecoder::customSection(ByteReader r, ComponentAst& c) {
  auto sectionName = r.readName();
  if (!sectionName || *sectionName != "component-name") return;
  while (!r.atEnd()) {
    auto id = r.readByte();
    auto size = r.readU32();
    if (!id || !size || *size > r.remaining()) return;
    if (*id == 0) {
      ByteReader sub(*r.readBytes(*size));
      if (auto n = sub.readName()) c.name = std::string(*n);
      return;
    }
    (void)r.skip(*size);
  }
}

Result<void> ComponentDecoder::section(ByteReader& r, uint8_t id, ComponentAst& c, uint32_t depth) {
  auto push = [&](Definition&& d) { c.defs.push_back(std::move(d)); };
  switch (id) {
    case 0: customSection(r, c); return r.skip(r.remaining());
    case 1: BANTAM_TRY(countDefinition(r)); return coreModule(r, c);
    case 2: {
      uint32_t n = BANTAM_TRY(count(r, 2));
      for (uint32_t i = 0; i < n; ++i) {
        BANTAM_TRY(countDefinition(r));
        Definition d;
        d.kind = Definition::Kind::CoreInstance;
        d.offset = r.offset();
        d.coreInstance = BANTAM_TRY(coreInstance(r));
        push(std::move(d));
      }
      return {};
    }
    case 3: {
      uint32_t n = BANTAM_TRY(count(r, 1));
      for (uint32_t i = 0; i < n; ++i) {
        BANTAM_TRY(countDefinition(r));
        Definition d;
        d.kind = Definition::Kind::CoreType;
        d.offset = r.offset();
        d.index = static_cast<uint32_t>(c.coreTypes.size());
        c.coreTypes.push_back(BANTAM_TRY(coreTypeDef(r, false)));
        push(std::move(d));
      }
      return {};
    }
    case 4: {
      BANTAM_TRY(countDefinition(r));
      if (depth + 1 > limits_.maxNesting)
        return failAt(ErrorKind::Limit, r.offset(), "components nested more than " + std::to_string(limits_.maxNesting) + " deep");
      Definition d;
      d.kind = Definition::Kind::Component;
      d.offset = r.offset();
      d.index = static_cast<uint32_t>(c.components.size());
      c.components.push_back(BANTAM_TRY(component(r, depth + 1)));
      push(std::move(d));
      return {};
    }
    case 5: {
      uint32_t n = BANTAM_TRY(count(r, 2));
      for (uint32_t i = 0; i < n; ++i) {
        BANTAM_TRY(countDefinition(r));
        Definition d;
        d.kind = Definition::Kind::Instance;
        d.offset = r.offset();
        d.instance = BANTAM_TRY(instance(r));
        push(std::move(d));
      }
      return {};
    }
    case 6: {
      uint32_t n = BANTAM_TRY(count(r, 3));
      for (uint32_t i = 0; i < n; ++i) {
        BANTAM_TRY(countDefinition(r));
        Definition d;
        d.kind = Definition::Kind::Alias;
        d.offset = r.offset();
        d.alias = BANTAM_TRY(alias(r));
        push(std::move(d));
      }
      return {};
    }
    case 7: {
      uint32_t n = BANTAM_TRY(count(r, 1));
      for (uint32_t i = 0; i < n; ++i) {
        BANTAM_TRY(countDefinition(r));
        Definition d;
        d.kind = Definition::Kind::Type;
        d.offset = r.offset();
        d.index = static_cast<uint32_t>(c.types.size());
        c.types.push_back(BANTAM_TRY(typeDef(r, depth)));
        push(std::move(d));
      }
      return {};
    }
    case 8: {
      uint32_t n = BANTAM_TRY(count(r, 2));
      for (uint32_t i = 0; i < n; ++i) {
        BANTAM_TRY(countDefinition(r));
        Definition d;
        d.kind = Definition::Kind::Canon;
        d.offset = r.offset();
        d.canon = BANTAM_TRY(canon(r));
        push(std::move(d));
      }
      return {};
    }
    case 9: return unsupported(r, "start definitions (🪙 value definitions)");
    case 10: {
      uint32_t n = BANTAM_TRY(count(r, 3));
      for (uint32_t i = 0; i < n; ++i) {
        BANTAM_TRY(countDefinition(r));
        Definition d;
        d.kind = Definition::Kind::Import;
        d.offset = r.offset();
        d.import.name = BANTAM_TRY(externName(r));
        d.import.desc = BANTAM_TRY(externDesc(r));
        push(std::move(d));
      }
      return {};
    }
    case 11: {
      uint32_t n = BANTAM_TRY(count(r, 4));
      for (uint32_t i = 0; i < n; ++i) {
        BANTAM_TRY(countDefinition(r));
        Definition d;
        d.kind = Definition::Kind::Export;
        d.offset = r.offset();
        d.exportDef.name = BANTAM_TRY(externName(r));
        d.exportDef.item = BANTAM_TRY(sortIdx(r));
        uint8_t has = BANTAM_TRY(r.readByte());
        if (has == 0x01) d.exportDef.ascribed = BANTAM_TRY(externDesc(r));
        else if (has != 0x00) return invalidByte(r, has, "optional export type");
        push(std::move(d));
      }
      return {};
    }
    case 12: return unsupported(r, "value definitions (🪙)");
    default: return failAt(ErrorKind::Malformed, r.offset(), "malformed section id " + std::to_string(id));
  }
}

Result<std::unique_ptr<ComponentAst>> ComponentDecoder::component(ByteReader& r, uint32_t depth) {
  auto c = std::make_unique<ComponentAst>();
  c->offset = r.offset();
  c->depth = depth;
  auto magic = BANTAM_TRY(r.readBytes(4));
  if (std::memcmp(magic.data(), kMagic, 4) != 0) return failAt(ErrorKind::Malformed, c->offset, "magic header not detected");
  auto version = BANTAM_TRY(r.readBytes(4));
  if (version[2] != 0x01 || version[3] != 0x00) {
    if (version[2] == 0x00 && version[3] == 0x00 && depth > 0)
      return failAt(ErrorKind::Malformed, c->offset + 4, "expected a component, found a core module (in a component section)");
    return failAt(ErrorKind::Malformed, c->offset + 4, "unknown binary version and layer");
  }
  if (std::memcmp(version.data(), kComponentVersion, 4) != 0) {
    char buf[120];
    std::snprintf(buf, sizeof buf, "unsupported component binary version 0x%02x%02x (this build reads 0x000d)",
                  version[1], version[0]);
    return failAt(ErrorKind::Unsupported, c->offset + 4, buf);
  }
  while (!r.atEnd()) {
    uint8_t id = BANTAM_TRY(r.readByte());
    uint32_t size = BANTAM_TRY(r.readU32());
    uint64_t start = r.offset();
    auto body = r.readBytes(size);
    if (!body) return failAt(ErrorKind::Malformed, start, "section size mismatch: unexpected end");
    ByteReader sr(*body, start);
    BANTAM_TRY(section(sr, id, *c, depth));
    if (!sr.atEnd()) return failAt(ErrorKind::Malformed, sr.offset(), "section size mismatch");
  }
  return c;
}

Result<DecodedComponent> decodeComponent(std::span<const uint8_t> bytes, const DecodeLimits& limits) {
  DecodedComponent out;
  out.bytes.assign(bytes.begin(), bytes.end());
  if (bytes.size() >= 8 && std::memcmp(bytes.data(), kMagic, 4) == 0 && bytes[6] == 0 && bytes[7] == 0)
    return failAt(ErrorKind::Usage, 4, "this is a core WebAssembly module, not a component");
  ComponentDecoder decoder(limits, out);
  ByteReader r(out.bytes);
  out.root = BANTAM_TRY(decoder.component(r, 0));
  return out;
}

}  // namespace bantam::component
