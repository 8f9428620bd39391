// wasi:io (error, poll, streams) over host stream objects. Streams here rarely wait (files and
// logs block briefly): every pollable but a clock's and a still-arriving request body's is
// ready at once; poll sleeps until the earliest deadline, or in short steps while it waits
// for body data.
#include <algorithm>
#include <cstring>

#include "wasi2/host.h"

namespace bantam::wasi2 {

namespace {
constexpr uint64_t kMaxChunk = 1u << 20;  // one read or write-zeroes at most (bounded host allocation)
}

StreamResult<std::string> MemoryInputStream::read(uint64_t len, bool blocking) {
  if (pos >= data->size()) return streamClosed();
  size_t n = static_cast<size_t>(std::min<uint64_t>({len, kMaxChunk, data->size() - pos}));
  std::string out = data->substr(pos, n);
  pos += n;
  return out;
}

StreamResult<std::string> FileInputStream::read(uint64_t len, bool blocking) {
  std::string out(static_cast<size_t>(std::min<uint64_t>(len, kMaxChunk)), '\0');
  if (out.empty()) return out;
  wasi::IoBuffer buf(reinterpret_cast<uint8_t*>(out.data()), out.size());
  auto n = offset ? file->pread(std::span<const wasi::IoBuffer>(&buf, 1), *offset)
                  : file->read(std::span<const wasi::IoBuffer>(&buf, 1));
  if (!n) return streamFailed(std::string("read failed: ") + std::string(wasi::errnoName(n.error())));
  if (*n == 0) return streamClosed();
  if (offset) *offset += *n;
  out.resize(*n);
  return out;
}

StreamResult<void> FileOutputStream::write(std::span<const uint8_t> bytes) {
  if (!file) return {};  // dropped output
  while (!bytes.empty()) {
    wasi::IoBuffer buf(const_cast<uint8_t*>(bytes.data()), bytes.size());
    std::span<const wasi::IoBuffer> bufs(&buf, 1);
    wasi::WasiResult<uint64_t> n;
    if (append) {
      auto end = file->stat();
      if (!end) return streamFailed("stat failed");
      n = file->pwrite(bufs, end->size);
    } else if (offset) {
      n = file->pwrite(bufs, *offset);
    } else {
      n = file->write(bufs);
    }
    if (!n) return streamFailed(std::string("write failed: ") + std::string(wasi::errnoName(n.error())));
    if (*n == 0) return streamClosed();
    if (offset) *offset += *n;
    bytes = bytes.subspan(static_cast<size_t>(*n));
  }
  return {};
}

TrapOr<Value> streamErrorValue(Wasi2Ctx& ctx, const StreamError& e) {
  if (e.closed) return Value::variant(1);
  auto obj = std::make_shared<ErrorObject>(e.message);
  obj->filesystemCode = e.filesystemCode;
  auto h = newOwn(ctx, ctx.host().error, std::move(obj));
  if (!h) return h;
  return Value::variant(0, std::move(*h));
}

namespace {

TrapOr<Value> readResult(Wasi2Ctx& ctx, InputStream& s, uint64_t len, bool blocking) {
  auto r = s.read(len, blocking);
  if (!r) {
    auto e = streamErrorValue(ctx, r.error());
    if (!e) return e;
    return Value::err(std::move(*e));
  }
  return Value::ok(Value::bytes(std::move(*r)));
}

TrapOr<Value> unitResult(Wasi2Ctx& ctx, const StreamResult<void>& r) {
  if (r) return Value::ok();
  auto e = streamErrorValue(ctx, r.error());
  if (!e) return e;
  return Value::err(std::move(*e));
}

TrapOr<Value> u64Result(Wasi2Ctx& ctx, const StreamResult<uint64_t>& r) {
  if (r) return Value::ok(Value::u64(*r));
  auto e = streamErrorValue(ctx, r.error());
  if (!e) return e;
  return Value::err(std::move(*e));
}

TrapOr<Value> readyPollable(Wasi2Ctx& ctx) { return newOwn(ctx, ctx.host().pollable, std::make_shared<Pollable>()); }

bool isReady(Wasi2Ctx& ctx, const Pollable& p) {
  if (p.ready) return p.ready();
  if (!p.deadline) return true;
  auto now = ctx.clocks().now(wasi::ClockId::Monotonic);
  return now && *now >= *p.deadline;
}

// Sleeps until `p` is ready (or the request is interrupted).
void blockOn(Wasi2Ctx& ctx, uint64_t deadline) {
  auto now = ctx.clocks().now(wasi::ClockId::Monotonic);
  if (!now || *now >= deadline) return;
  ctx.clocks().sleep(deadline - *now, [&] { return ctx.interrupted(); });
}

// A pause while waiting for a `ready` pollable: short, so that data is picked up soon after it
// arrives, and no later than `deadline` (a clock pollable in the same poll).
void pauseFor(Wasi2Ctx& ctx, std::optional<uint64_t> deadline) {
  uint64_t ns = 200'000;
  if (deadline) {
    auto now = ctx.clocks().now(wasi::ClockId::Monotonic);
    if (now && *deadline > *now) ns = std::min<uint64_t>(ns, *deadline - *now);
    else if (now) return;
  }
  ctx.clocks().sleep(ns, [&] { return ctx.interrupted(); });
}

TrapOr<Value> splice(Wasi2Ctx& ctx, OutputStream& out, const Value& src, uint64_t len, bool blocking) {
  auto* in = ctx.table().get<InputStream>(src.rep());
  if (!in) return trapWith("unknown input-stream handle");
  auto data = in->read(len, blocking);
  if (!data) return u64Result(ctx, std::unexpected(data.error()));
  auto w = out.write(std::span(reinterpret_cast<const uint8_t*>(data->data()), data->size()));
  if (!w) return u64Result(ctx, std::unexpected(w.error()));
  return Value::ok(Value::u64(data->size()));
}

}  // namespace

Result<void> defineIo(component::ComponentLinker& linker, Wasi2Host& host) {
  host.error = BANTAM_TRY(defResource(linker, "wasi:io/error", "error"));
  host.pollable = BANTAM_TRY(defResource(linker, "wasi:io/poll", "pollable"));
  host.inputStream = BANTAM_TRY(defResource(linker, "wasi:io/streams", "input-stream"));
  host.outputStream = BANTAM_TRY(defResource(linker, "wasi:io/streams", "output-stream"));

  BANTAM_TRY(def(linker, "wasi:io/error", "[method]error.to-debug-string", [](Wasi2Ctx& ctx, auto args) -> TrapOr<Value> {
    auto* e = BANTAM_TRY(self<ErrorObject>(ctx, args[0], "error"));
    return Value::string(e->message);
  }));

  // ---- poll ----
  BANTAM_TRY(def(linker, "wasi:io/poll", "[method]pollable.ready", [](Wasi2Ctx& ctx, auto args) -> TrapOr<Value> {
    auto* p = BANTAM_TRY(self<Pollable>(ctx, args[0], "pollable"));
    return Value::boolean(isReady(ctx, *p));
  }));
  BANTAM_TRY(def(linker, "wasi:io/poll", "[method]pollable.block", [](Wasi2Ctx& ctx, auto args) -> TrapOr<Value> {
    auto* p = BANTAM_TRY(self<Pollable>(ctx, args[0], "pollable"));
    if (p->ready) {
      while (!p->ready() && !ctx.interrupted()) pauseFor(ctx, std::nullopt);
    } else if (p->deadline) {
      blockOn(ctx, *p->deadline);
    }
    if (ctx.interrupted()) return std::unexpected(runtime::Trap(runtime::TrapKind::Interrupted));
    return Value();
  }));
  BANTAM_TRY(def(linker, "wasi:io/poll", "poll", [](Wasi2Ctx& ctx, auto args) -> TrapOr<Value> {
    const Value& list = args[0];
    size_t n = list.listSize();
    if (n == 0) return trapWith("poll: the list of pollables is empty");
    for (;;) {
      std::string ready;  // list<u32>, little-endian
      std::optional<uint64_t> earliest;
      bool waitsOnData = false;  // a `ready` pollable is not ready
      for (size_t i = 0; i < n; ++i) {
        Value h = list.listItem(i);
        auto* p = ctx.table().get<Pollable>(h.rep());
        if (!p) return trapWith("poll: unknown pollable handle");
        if (isReady(ctx, *p)) {
          uint32_t idx = static_cast<uint32_t>(i);
          ready.append(reinterpret_cast<const char*>(&idx), 4);
        } else if (p->ready) {
          waitsOnData = true;
        } else if (!earliest || *p->deadline < *earliest) {
          earliest = p->deadline;
        }
      }
      if (!ready.empty()) return Value::bulkList(component::ValKind::U32, std::move(ready));
      if (waitsOnData) pauseFor(ctx, earliest);
      else blockOn(ctx, *earliest);
      if (ctx.interrupted()) return std::unexpected(runtime::Trap(runtime::TrapKind::Interrupted));
    }
  }));

  // ---- input-stream ----
  for (bool blocking : {false, true}) {
    BANTAM_TRY(def(linker, "wasi:io/streams", blocking ? "[method]input-stream.blocking-read" : "[method]input-stream.read",
                   [blocking](Wasi2Ctx& ctx, auto args) -> TrapOr<Value> {
                     auto* s = BANTAM_TRY(self<InputStream>(ctx, args[0], "input-stream"));
                     return readResult(ctx, *s, args[1].asU64(), blocking);
                   }));
    BANTAM_TRY(def(linker, "wasi:io/streams", blocking ? "[method]input-stream.blocking-skip" : "[method]input-stream.skip",
                   [blocking](Wasi2Ctx& ctx, auto args) -> TrapOr<Value> {
                     auto* s = BANTAM_TRY(self<InputStream>(ctx, args[0], "input-stream"));
                     auto r = s->read(args[1].asU64(), blocking);
                     if (!r) return u64Result(ctx, std::unexpected(r.error()));
                     return Value::ok(Value::u64(r->size()));
                   }));
  }
  BANTAM_TRY(def(linker, "wasi:io/streams", "[method]input-stream.subscribe", [](Wasi2Ctx& ctx, auto args) -> TrapOr<Value> {
    auto* s = BANTAM_TRY(self<InputStream>(ctx, args[0], "input-stream"));
    auto p = std::make_shared<Pollable>();
    p->ready = s->readiness();
    return newOwn(ctx, ctx.host().pollable, std::move(p));
  }));

  // ---- output-stream ----
  BANTAM_TRY(def(linker, "wasi:io/streams", "[method]output-stream.check-write", [](Wasi2Ctx& ctx, auto args) -> TrapOr<Value> {
    auto* s = BANTAM_TRY(self<OutputStream>(ctx, args[0], "output-stream"));
    return u64Result(ctx, s->checkWrite());
  }));
  auto write = [](bool flush) {
    return [flush](Wasi2Ctx& ctx, std::span<const Value> args) -> TrapOr<Value> {
      auto* s = BANTAM_TRY(self<OutputStream>(ctx, args[0], "output-stream"));
      auto bytes = bytesArg(args[1]);
      if (!flush) {  // the guest must not write more than check-write allowed
        auto cap = s->checkWrite();
        if (cap && bytes.size() > *cap) return trapWith("output-stream.write: more bytes than check-write permitted");
      }
      auto r = s->write(bytes);
      if (r && flush) r = s->flush();
      return unitResult(ctx, r);
    };
  };
  BANTAM_TRY(def(linker, "wasi:io/streams", "[method]output-stream.write", write(false)));
  BANTAM_TRY(def(linker, "wasi:io/streams", "[method]output-stream.blocking-write-and-flush", write(true)));
  for (const char* name : {"[method]output-stream.flush", "[method]output-stream.blocking-flush"})
    BANTAM_TRY(def(linker, "wasi:io/streams", name, [](Wasi2Ctx& ctx, auto args) -> TrapOr<Value> {
      auto* s = BANTAM_TRY(self<OutputStream>(ctx, args[0], "output-stream"));
      return unitResult(ctx, s->flush());
    }));
  for (bool flush : {false, true})
    BANTAM_TRY(def(linker, "wasi:io/streams",
                   flush ? "[method]output-stream.blocking-write-zeroes-and-flush" : "[method]output-stream.write-zeroes",
                   [flush](Wasi2Ctx& ctx, auto args) -> TrapOr<Value> {
                     auto* s = BANTAM_TRY(self<OutputStream>(ctx, args[0], "output-stream"));
                     uint64_t len = args[1].asU64();
                     if (len > kMaxChunk) return trapWith("output-stream.write-zeroes: more bytes than check-write permitted");
                     std::string zeros(static_cast<size_t>(len), '\0');
                     auto r = s->write(std::span(reinterpret_cast<const uint8_t*>(zeros.data()), zeros.size()));
                     if (r && flush) r = s->flush();
                     return unitResult(ctx, r);
                   }));
  for (bool blocking : {false, true})
    BANTAM_TRY(def(linker, "wasi:io/streams", blocking ? "[method]output-stream.blocking-splice" : "[method]output-stream.splice",
                   [blocking](Wasi2Ctx& ctx, auto args) -> TrapOr<Value> {
                     auto* s = BANTAM_TRY(self<OutputStream>(ctx, args[0], "output-stream"));
                     return splice(ctx, *s, args[1], args[2].asU64(), blocking);
                   }));
  BANTAM_TRY(def(linker, "wasi:io/streams", "[method]output-stream.subscribe", [](Wasi2Ctx& ctx, auto args) -> TrapOr<Value> {
    auto* s = BANTAM_TRY(self<OutputStream>(ctx, args[0], "output-stream"));
    std::function<bool()> ready = s->readiness();
    if (!ready) return readyPollable(ctx);
    auto p = std::make_shared<Pollable>();
    p->ready = std::move(ready);
    return newOwn(ctx, ctx.host().pollable, std::move(p));
  }));
  return {};
}

}  // namespace bantam::wasi2
