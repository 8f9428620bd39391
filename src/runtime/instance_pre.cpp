// InstancePre: import checks and the copy-on-write memory images (memfd) of a prepared module.
#include "runtime/instance_pre.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "runtime/const_expr.h"

namespace bantam::runtime {

namespace {
std::unexpected<Error> sysError(const char* what) {
  return fail(ErrorKind::Limit, std::string(what) + ": " + std::strerror(errno));
}
}  // namespace

MemoryImage::~MemoryImage() {
  if (view_ != nullptr) ::munmap(view_, bytes_);
  if (fd_ >= 0) ::close(fd_);
}

MemoryImage::MemoryImage(MemoryImage&& other) noexcept { *this = std::move(other); }

MemoryImage& MemoryImage::operator=(MemoryImage&& other) noexcept {
  if (this != &other) {
    if (view_ != nullptr) ::munmap(view_, bytes_);
    if (fd_ >= 0) ::close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    bytes_ = std::exchange(other.bytes_, 0);
    view_ = std::exchange(other.view_, nullptr);
  }
  return *this;
}

Result<MemoryImage> MemoryImage::create(uint64_t bytes) {
  MemoryImage image;
  image.bytes_ = bytes;
  if (bytes == 0) return image;  // nothing to map
  image.fd_ = ::memfd_create("bantam-memory-image", MFD_CLOEXEC | MFD_ALLOW_SEALING);
  if (image.fd_ < 0) return sysError("memfd_create");
  // A sparse file: the pages no data segment writes cost nothing and read as zeros.
  if (::ftruncate(image.fd_, static_cast<off_t>(bytes)) != 0) return sysError("ftruncate of a memory image");
  return image;
}

Result<void> MemoryImage::write(uint64_t offset, std::span<const uint8_t> data) {
  if (offset > bytes_ || data.size() > bytes_ - offset)
    return fail(ErrorKind::Uninstantiable, "out of bounds memory access");
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::pwrite(fd_, data.data() + done, data.size() - done, static_cast<off_t>(offset + done));
    if (n < 0) {
      if (errno == EINTR) continue;
      return sysError("writing a memory image");
    }
    done += static_cast<size_t>(n);
  }
  return {};
}

Result<void> MemoryImage::seal() {
  if (fd_ < 0) return {};
  if (::fcntl(fd_, F_ADD_SEALS, F_SEAL_WRITE | F_SEAL_GROW | F_SEAL_SHRINK | F_SEAL_SEAL) != 0)
    return sysError("sealing a memory image");
  void* view = ::mmap(nullptr, bytes_, PROT_READ, MAP_SHARED, fd_, 0);
  if (view == MAP_FAILED) return sysError("mapping a memory image");
  view_ = static_cast<uint8_t*>(view);
  return {};
}

Result<void> MemoryImage::mapAt(uint8_t* base) const {
  if (bytes_ == 0) return {};
  void* p = ::mmap(base, bytes_, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_FIXED, fd_, 0);
  if (p == MAP_FAILED) return sysError("mapping a memory image");
  return {};
}

Result<std::shared_ptr<const InstancePre>> InstancePre::create(Engine& engine,
                                                               std::shared_ptr<const CompiledModule> module,
                                                               std::vector<Extern> imports, StoreLimits limits) {
  const wasm::Module& m = module->module;
  if (imports.size() != m.imports.size())
    return std::unexpected(Error::make(ErrorKind::Unlinkable, "wrong number of imports")
                               .withContext("expected " + std::to_string(m.imports.size()) + ", got " +
                                            std::to_string(imports.size())));
  for (size_t i = 0; i < imports.size(); ++i) {
    const wasm::Import& import = m.imports[i];
    if (import.kind != wasm::ExternKind::Func)
      return std::unexpected(
          Error::make(ErrorKind::Unsupported, "a pooled instance cannot import a " +
                                                  std::string(wasm::externKindName(import.kind)))
              .withContext(importDescription(import))
              .withHint("every request gets a fresh instance: import functions only, and define memories, "
                        "tables and globals in the module"));
    if (imports[i].kind != wasm::ExternKind::Func || imports[i].func == nullptr || !imports[i].func->isHost())
      return std::unexpected(Error::make(ErrorKind::Unlinkable, "incompatible import type")
                                 .withContext(importDescription(import) + ": expected a host function"));
    const wasm::FuncType& expected = m.types.at(import.funcType.value);
    if (*imports[i].func->type != expected)
      return std::unexpected(Error::make(ErrorKind::Unlinkable, "incompatible import type")
                                 .withContext(importDescription(import) + ": expected " + expected.toString() +
                                              ", got " + imports[i].func->type->toString()));
  }

  std::shared_ptr<InstancePre> pre(new InstancePre(engine));
  pre->module_ = std::move(module);
  pre->imports_ = std::move(imports);
  pre->limits_ = limits;

  // The images: each memory's minimum size, with the active data segments written in (§4.5.4
  // step 14). Segment offsets are constant expressions over imported globals, and there are
  // none, so an empty instance is context enough (global.get reports "unknown global").
  ModuleInst noImports;
  for (const wasm::MemoryType& type : m.memories) {
    uint64_t bytes = type.limits.min * wasm::kPageSize;
    if (type.limits.min > wasm::kMaxPages32)
      return fail(ErrorKind::Limit, "memory size must be at most 65536 pages (4GiB)");
    if (bytes > limits.maxMemoryBytes)
      return fail(ErrorKind::Limit, "memory minimum size (" + std::to_string(type.limits.min) +
                                        " pages) exceeds the memory limit of " +
                                        std::to_string(limits.maxMemoryBytes) + " bytes");
    pre->images_.push_back(BANTAM_TRY(MemoryImage::create(bytes)));
  }
  for (size_t i = 0; i < m.datas.size(); ++i) {
    const wasm::DataSegment& seg = m.datas[i];
    if (seg.mode != wasm::SegmentMode::Active) continue;
    uint32_t offset = BANTAM_TRY(evalConstExpr(m, seg.offset, noImports)).i32;
    auto written = pre->images_.at(seg.memory.value).write(offset, m.range(seg.bytes));
    if (!written) return std::unexpected(std::move(written.error()).withContext("data segment " + std::to_string(i)));
  }
  for (MemoryImage& image : pre->images_) BANTAM_TRY(image.seal());
  return std::shared_ptr<const InstancePre>(std::move(pre));
}

}  // namespace bantam::runtime
