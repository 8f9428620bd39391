// wasi:filesystem (types, preopens) over the capability sandbox of WASI preview 1: a
// descriptor is a wasi::Dir (paths resolved beneath it, never outside) or a wasi::File; a
// read-only pre-opened directory gives read-only descriptors beneath it.
#include "wasi2/host.h"

namespace bantam::wasi2 {

namespace {

using wasi::Errno;

// error-code cases (wasi:filesystem/types).
enum Code : uint32_t {
  Access = 0, WouldBlock, Already, BadDescriptor, Busy, Deadlock, Quota, Exist, FileTooLarge, IllegalByteSequence,
  InProgress, Interrupted, Invalid, Io, IsDirectory, Loop, TooManyLinks, MessageSize, NameTooLong, NoDevice,
  NoEntry, NoLock, InsufficientMemory, InsufficientSpace, NotDirectory, NotEmpty, NotRecoverable, Unsupported,
  NoTty, NoSuchDevice, Overflow, NotPermitted, Pipe, ReadOnly, InvalidSeek, TextFileBusy, CrossDevice,
};

uint32_t codeOf(Errno e) {
  switch (e) {
    case Errno::Acces: return Access;
    case Errno::Again: return WouldBlock;
    case Errno::Already: return Already;
    case Errno::Badf: return BadDescriptor;
    case Errno::Busy: return Busy;
    case Errno::Deadlk: return Deadlock;
    case Errno::Dquot: return Quota;
    case Errno::Exist: return Exist;
    case Errno::Fbig: return FileTooLarge;
    case Errno::Ilseq: return IllegalByteSequence;
    case Errno::Inprogress: return InProgress;
    case Errno::Intr: return Interrupted;
    case Errno::Inval: return Invalid;
    case Errno::Isdir: return IsDirectory;
    case Errno::Loop: return Loop;
    case Errno::Mlink: return TooManyLinks;
    case Errno::Msgsize: return MessageSize;
    case Errno::Nametoolong: return NameTooLong;
    case Errno::Nodev: return NoDevice;
    case Errno::Noent: return NoEntry;
    case Errno::Nolck: return NoLock;
    case Errno::Nomem: return InsufficientMemory;
    case Errno::Nospc: return InsufficientSpace;
    case Errno::Notdir: return NotDirectory;
    case Errno::Notempty: return NotEmpty;
    case Errno::Notrecoverable: return NotRecoverable;
    case Errno::Notsup: case Errno::Nosys: return Unsupported;
    case Errno::Notty: return NoTty;
    case Errno::Nxio: return NoSuchDevice;
    case Errno::Overflow: return Overflow;
    case Errno::Perm: case Errno::Notcapable: return NotPermitted;
    case Errno::Pipe: return Pipe;
    case Errno::Rofs: return ReadOnly;
    case Errno::Spipe: return InvalidSeek;
    case Errno::Txtbsy: return TextFileBusy;
    case Errno::Xdev: return CrossDevice;
    default: return Io;
  }
}

Value errCode(uint32_t c) { return Value::err(Value::enumCase(c)); }
Value errOf(Errno e) { return errCode(codeOf(e)); }

// descriptor-flags bits.
constexpr uint32_t kRead = 1, kWrite = 2, kMutateDirectory = 32;

struct Descriptor : HostObject {
  std::shared_ptr<wasi::Dir> dir;
  std::shared_ptr<wasi::File> file;
  uint32_t flags = kRead;
  bool readOnly() const { return !(flags & (kWrite | kMutateDirectory)); }
};

struct DirStream : HostObject {
  std::vector<wasi::DirEntry> entries;
  size_t next = 0;
};

uint32_t typeCase(wasi::Filetype t) {
  switch (t) {
    case wasi::Filetype::BlockDevice: return 1;
    case wasi::Filetype::CharacterDevice: return 2;
    case wasi::Filetype::Directory: return 3;
    case wasi::Filetype::SymbolicLink: return 5;
    case wasi::Filetype::RegularFile: return 6;
    case wasi::Filetype::SocketDgram:
    case wasi::Filetype::SocketStream: return 7;
    default: return 0;
  }
}

Value optTime(uint64_t ns) {
  if (ns == 0) return Value::none();
  return Value::some(Value::record({Value::u64(ns / 1'000'000'000u), Value::u32(static_cast<uint32_t>(ns % 1'000'000'000u))}));
}

Value statValue(const wasi::Filestat& s) {
  return Value::record({Value::enumCase(typeCase(s.type)), Value::u64(s.nlink), Value::u64(s.size), optTime(s.atim),
                        optTime(s.mtim), optTime(s.ctim)});
}

wasi::NewTime newTime(const Value& v) {
  wasi::NewTime t;
  switch (v.caseIndex()) {
    case 0: t.kind = wasi::NewTime::Keep; break;
    case 1: t.kind = wasi::NewTime::Now; break;
    default: {
      t.kind = wasi::NewTime::At;
      const Value& dt = *v.payload();
      t.ns = wasi::toNanos(static_cast<int64_t>(dt.items()[0].asU64()), dt.items()[1].asU32());
    }
  }
  return t;
}

TrapOr<Descriptor*> desc(Wasi2Ctx& ctx, const Value& h) { return self<Descriptor>(ctx, h, "descriptor"); }

// The directory of a path operation, or an error-code value.
std::expected<wasi::Dir*, Value> dirOf(Descriptor& d, bool mutates) {
  if (!d.dir) return std::unexpected(errCode(NotDirectory));
  if (mutates && !(d.flags & kMutateDirectory)) return std::unexpected(errCode(ReadOnly));
  return d.dir.get();
}

template <class F>
HostFn pathOp(bool mutates, F f) {
  return [mutates, f](Wasi2Ctx& ctx, std::span<const Value> args) -> TrapOr<Value> {
    Descriptor* d = BANTAM_TRY(desc(ctx, args[0]));
    auto dir = dirOf(*d, mutates);
    if (!dir) return dir.error();
    return f(ctx, **dir, args);
  };
}

Value unit(const wasi::WasiResult<void>& r) { return r ? Value::ok() : errOf(r.error()); }

}  // namespace

Result<void> defineFilesystem(component::ComponentLinker& linker, Wasi2Host& host) {
  const char* T = "wasi:filesystem/types";
  host.descriptor = BANTAM_TRY(defResource(linker, T, "descriptor"));
  host.dirStream = BANTAM_TRY(defResource(linker, T, "directory-entry-stream"));

  BANTAM_TRY(def(linker, "wasi:filesystem/preopens", "get-directories", [](Wasi2Ctx& ctx, auto) -> TrapOr<Value> {
    std::vector<Value> out;
    for (wasi::PreopenDir& p : ctx.config().preopens) {
      // Each call hands out a new descriptor of the same directory (shared, never moved out).
      auto d = std::make_shared<Descriptor>();
      d->dir = std::shared_ptr<wasi::Dir>(p.dir.get(), [](wasi::Dir*) {});
      d->flags = p.readOnly ? kRead : (kRead | kWrite | kMutateDirectory);
      Value h = BANTAM_TRY(newOwn(ctx, ctx.host().descriptor, std::move(d)));
      out.push_back(Value::tuple({std::move(h), Value::string(p.guestPath)}));
    }
    return Value::list(std::move(out));
  }));

  BANTAM_TRY(def(linker, T, "[method]descriptor.read-via-stream", [](Wasi2Ctx& ctx, auto args) -> TrapOr<Value> {
    Descriptor* d = BANTAM_TRY(desc(ctx, args[0]));
    if (!d->file) return errCode(IsDirectory);
    Value h = BANTAM_TRY(newOwn(ctx, ctx.host().inputStream, std::make_shared<FileInputStream>(d->file, args[1].asU64())));
    return Value::ok(std::move(h));
  }));
  for (bool append : {false, true})
    BANTAM_TRY(def(linker, T, append ? "[method]descriptor.append-via-stream" : "[method]descriptor.write-via-stream",
                   [append](Wasi2Ctx& ctx, auto args) -> TrapOr<Value> {
                     Descriptor* d = BANTAM_TRY(desc(ctx, args[0]));
                     if (!d->file) return errCode(IsDirectory);
                     if (!(d->flags & kWrite)) return errCode(BadDescriptor);
                     std::optional<uint64_t> off;
                     if (!append) off = args[1].asU64();
                     Value h = BANTAM_TRY(newOwn(ctx, ctx.host().outputStream, std::make_shared<FileOutputStream>(d->file, off, append)));
                     return Value::ok(std::move(h));
                   }));
  BANTAM_TRY(def(linker, T, "[method]descriptor.advise", [](Wasi2Ctx& ctx, auto args) -> TrapOr<Value> {
    BANTAM_TRY(desc(ctx, args[0]));
    return Value::ok();  // advice is only advice
  }));
  for (const char* name : {"[method]descriptor.sync-data", "[method]descriptor.sync"})
    BANTAM_TRY(def(linker, T, name, [](Wasi2Ctx& ctx, auto args) -> TrapOr<Value> {
      Descriptor* d = BANTAM_TRY(desc(ctx, args[0]));
      if (!d->file) return Value::ok();
      return unit(d->file->sync());
    }));
  BANTAM_TRY(def(linker, T, "[method]descriptor.get-flags", [](Wasi2Ctx& ctx, auto args) -> TrapOr<Value> {
    Descriptor* d = BANTAM_TRY(desc(ctx, args[0]));
    return Value::ok(Value::flags(d->flags));
  }));
  BANTAM_TRY(def(linker, T, "[method]descriptor.get-type", [](Wasi2Ctx& ctx, auto args) -> TrapOr<Value> {
    Descriptor* d = BANTAM_TRY(desc(ctx, args[0]));
    if (d->dir) return Value::ok(Value::enumCase(3));
    return Value::ok(Value::enumCase(typeCase(d->file->filetype())));
  }));
  BANTAM_TRY(def(linker, T, "[method]descriptor.set-size", [](Wasi2Ctx& ctx, auto args) -> TrapOr<Value> {
    Descriptor* d = BANTAM_TRY(desc(ctx, args[0]));
    if (!d->file) return errCode(IsDirectory);
    if (!(d->flags & kWrite)) return errCode(BadDescriptor);
    return unit(d->file->setSize(args[1].asU64()));
  }));
  BANTAM_TRY(def(linker, T, "[method]descriptor.set-times", [](Wasi2Ctx& ctx, auto args) -> TrapOr<Value> {
    Descriptor* d = BANTAM_TRY(desc(ctx, args[0]));
    if (d->readOnly()) return errCode(ReadOnly);
    return unit(d->dir ? d->dir->setTimes(newTime(args[1]), newTime(args[2])) : d->file->setTimes(newTime(args[1]), newTime(args[2])));
  }));
  BANTAM_TRY(def(linker, T, "[method]descriptor.read", [](Wasi2Ctx& ctx, auto args) -> TrapOr<Value> {
    Descriptor* d = BANTAM_TRY(desc(ctx, args[0]));
    if (!d->file) return errCode(IsDirectory);
    uint64_t len = std::min<uint64_t>(args[1].asU64(), 1u << 24);
    std::string out(static_cast<size_t>(len), '\0');
    wasi::IoBuffer buf(reinterpret_cast<uint8_t*>(out.data()), out.size());
    auto n = d->file->pread(std::span<const wasi::IoBuffer>(&buf, 1), args[2].asU64());
    if (!n) return errOf(n.error());
    out.resize(*n);
    bool eof = *n < len || len == 0;
    return Value::ok(Value::tuple({Value::bytes(std::move(out)), Value::boolean(eof)}));
  }));
  BANTAM_TRY(def(linker, T, "[method]descriptor.write", [](Wasi2Ctx& ctx, auto args) -> TrapOr<Value> {
    Descriptor* d = BANTAM_TRY(desc(ctx, args[0]));
    if (!d->file) return errCode(IsDirectory);
    if (!(d->flags & kWrite)) return errCode(BadDescriptor);
    auto bytes = args[1].bytes();
    wasi::IoBuffer buf(const_cast<uint8_t*>(bytes.data()), bytes.size());
    auto n = d->file->pwrite(std::span<const wasi::IoBuffer>(&buf, 1), args[2].asU64());
    if (!n) return errOf(n.error());
    return Value::ok(Value::u64(*n));
  }));
  BANTAM_TRY(def(linker, T, "[method]descriptor.read-directory", [](Wasi2Ctx& ctx, auto args) -> TrapOr<Value> {
    Descriptor* d = BANTAM_TRY(desc(ctx, args[0]));
    if (!d->dir) return errCode(NotDirectory);
    auto entries = d->dir->entries();
    if (!entries) return errOf(entries.error());
    auto s = std::make_shared<DirStream>();
    s->entries = std::move(*entries);
    Value h = BANTAM_TRY(newOwn(ctx, ctx.host().dirStream, std::move(s)));
    return Value::ok(std::move(h));
  }));
  BANTAM_TRY(def(linker, T, "[method]directory-entry-stream.read-directory-entry", [](Wasi2Ctx& ctx, auto args) -> TrapOr<Value> {
    DirStream* s = BANTAM_TRY(self<DirStream>(ctx, args[0], "directory-entry-stream"));
    if (s->next >= s->entries.size()) return Value::ok(Value::none());
    const wasi::DirEntry& e = s->entries[s->next++];
    return Value::ok(Value::some(Value::record({Value::enumCase(typeCase(e.type)), Value::string(e.name)})));
  }));
  BANTAM_TRY(def(linker, T, "[method]descriptor.stat", [](Wasi2Ctx& ctx, auto args) -> TrapOr<Value> {
    Descriptor* d = BANTAM_TRY(desc(ctx, args[0]));
    auto s = d->dir ? d->dir->stat() : d->file->stat();
    if (!s) return errOf(s.error());
    return Value::ok(statValue(*s));
  }));
  BANTAM_TRY(def(linker, T, "[method]descriptor.stat-at", pathOp(false, [](Wasi2Ctx&, wasi::Dir& dir, std::span<const Value> a) {
    auto s = dir.statAt(a[2].str(), a[1].flagBits() & 1);
    return s ? Value::ok(statValue(*s)) : errOf(s.error());
  })));
  BANTAM_TRY(def(linker, T, "[method]descriptor.set-times-at", pathOp(true, [](Wasi2Ctx&, wasi::Dir& dir, std::span<const Value> a) {
    return unit(dir.setTimesAt(a[2].str(), a[1].flagBits() & 1, newTime(a[3]), newTime(a[4])));
  })));
  BANTAM_TRY(def(linker, T, "[method]descriptor.create-directory-at", pathOp(true, [](Wasi2Ctx&, wasi::Dir& dir, std::span<const Value> a) {
    return unit(dir.createDirectoryAt(a[1].str()));
  })));
  BANTAM_TRY(def(linker, T, "[method]descriptor.remove-directory-at", pathOp(true, [](Wasi2Ctx&, wasi::Dir& dir, std::span<const Value> a) {
    return unit(dir.removeDirectoryAt(a[1].str()));
  })));
  BANTAM_TRY(def(linker, T, "[method]descriptor.unlink-file-at", pathOp(true, [](Wasi2Ctx&, wasi::Dir& dir, std::span<const Value> a) {
    return unit(dir.unlinkFileAt(a[1].str()));
  })));
  BANTAM_TRY(def(linker, T, "[method]descriptor.readlink-at", pathOp(false, [](Wasi2Ctx&, wasi::Dir& dir, std::span<const Value> a) {
    auto s = dir.readlinkAt(a[1].str());
    return s ? Value::ok(Value::string(*s)) : errOf(s.error());
  })));
  BANTAM_TRY(def(linker, T, "[method]descriptor.symlink-at", pathOp(true, [](Wasi2Ctx&, wasi::Dir& dir, std::span<const Value> a) {
    return unit(dir.symlinkAt(a[1].str(), a[2].str()));
  })));
  BANTAM_TRY(def(linker, T, "[method]descriptor.rename-at", pathOp(true, [](Wasi2Ctx& ctx, wasi::Dir& dir, std::span<const Value> a) {
    auto* to = ctx.table().get<Descriptor>(a[2].rep());
    if (!to || !to->dir) return errCode(BadDescriptor);
    if (!(to->flags & kMutateDirectory)) return errCode(ReadOnly);
    return unit(dir.renameAt(a[1].str(), *to->dir, a[3].str()));
  })));
  BANTAM_TRY(def(linker, T, "[method]descriptor.link-at", pathOp(true, [](Wasi2Ctx& ctx, wasi::Dir& dir, std::span<const Value> a) {
    auto* to = ctx.table().get<Descriptor>(a[3].rep());
    if (!to || !to->dir) return errCode(BadDescriptor);
    if (!(to->flags & kMutateDirectory)) return errCode(ReadOnly);
    return unit(dir.linkAt(a[2].str(), *to->dir, a[4].str()));
  })));
  BANTAM_TRY(def(linker, T, "[method]descriptor.open-at", [](Wasi2Ctx& ctx, auto args) -> TrapOr<Value> {
    Descriptor* d = BANTAM_TRY(desc(ctx, args[0]));
    if (!d->dir) return errCode(NotDirectory);
    uint32_t oflags = args[3].flagBits(), dflags = args[4].flagBits();
    bool wantsWrite = (dflags & (kWrite | kMutateDirectory)) || (oflags & (1 | 4 | 8));  // create, exclusive, truncate
    if (wantsWrite && d->readOnly()) return errCode(ReadOnly);
    wasi::OpenOptions o;
    o.followSymlinks = args[1].flagBits() & 1;
    o.create = oflags & 1;
    o.directory = oflags & 2;
    o.exclusive = oflags & 4;
    o.truncate = oflags & 8;
    o.read = dflags & kRead;
    o.write = dflags & kWrite;
    auto opened = d->dir->openAt(args[2].str(), o);
    if (!opened) return errOf(opened.error());
    auto nd = std::make_shared<Descriptor>();
    nd->flags = dflags & (kRead | kWrite | kMutateDirectory);
    if (opened->dir) {
      nd->dir = std::shared_ptr<wasi::Dir>(std::move(opened->dir));
      if (!d->readOnly()) nd->flags |= kMutateDirectory;
    } else {
      nd->file = std::shared_ptr<wasi::File>(std::move(opened->file));
    }
    Value h = BANTAM_TRY(newOwn(ctx, ctx.host().descriptor, std::move(nd)));
    return Value::ok(std::move(h));
  }));
  BANTAM_TRY(def(linker, T, "[method]descriptor.is-same-object", [](Wasi2Ctx& ctx, auto args) -> TrapOr<Value> {
    Descriptor* a = BANTAM_TRY(desc(ctx, args[0]));
    Descriptor* b = BANTAM_TRY(desc(ctx, args[1]));
    if (a == b) return Value::boolean(true);
    auto sa = a->dir ? a->dir->stat() : a->file->stat();
    auto sb = b->dir ? b->dir->stat() : b->file->stat();
    return Value::boolean(sa && sb && sa->dev == sb->dev && sa->ino == sb->ino && sa->ino != 0);
  }));
  auto hashOf = [](const wasi::Filestat& s) {
    return Value::ok(Value::record({Value::u64(s.ino * 0x9E3779B97F4A7C15ull ^ s.mtim), Value::u64(s.dev ^ (s.size << 1) ^ s.ctim)}));
  };
  BANTAM_TRY(def(linker, T, "[method]descriptor.metadata-hash", [hashOf](Wasi2Ctx& ctx, auto args) -> TrapOr<Value> {
    Descriptor* d = BANTAM_TRY(desc(ctx, args[0]));
    auto s = d->dir ? d->dir->stat() : d->file->stat();
    return s ? hashOf(*s) : errOf(s.error());
  }));
  BANTAM_TRY(def(linker, T, "[method]descriptor.metadata-hash-at", pathOp(false, [hashOf](Wasi2Ctx&, wasi::Dir& dir, std::span<const Value> a) {
    auto s = dir.statAt(a[2].str(), a[1].flagBits() & 1);
    return s ? hashOf(*s) : errOf(s.error());
  })));
  BANTAM_TRY(def(linker, T, "filesystem-error-code", [](Wasi2Ctx& ctx, auto args) -> TrapOr<Value> {
    auto* e = ctx.table().get<ErrorObject>(args[0].rep());
    if (!e || !e->filesystemCode) return Value::none();
    return Value::some(Value::enumCase(*e->filesystemCode));
  }));
  return {};
}

}  // namespace bantam::wasi2
