// Loading of LLVM's relocatable objects: layout, symbol resolution, relocation, protection.
//
// Layout of the region (each part page-aligned):
//   text     every SHF_EXECINSTR section of every object, then one 16-byte stub per external
//            symbol (`jmp *[rip+2]` + its address: builtins and libc are more than ±2 GiB away)
//   rodata   read-only sections and the GOT (one slot per GOTPCREL target)
//   data     writable sections (LLVM emits none for wasm code; kept for completeness)
//
// Each object's .eh_frame (generated code keeps no frame pointer; backtraces unwind with these
// tables) is followed by a zero word that ends it and registered with the unwinder of the C++
// runtime (libgcc's __register_frame, which _Unwind_Backtrace searches before the loaded
// libraries), and deregistered when the image goes.
#include "compiled/elf_loader.h"

#include <elf.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstring>
#include <unordered_map>

extern "C" void __register_frame(void* begin);
extern "C" void __deregister_frame(void* begin);

namespace bantam::compiled {

namespace {

std::unexpected<Error> bad(std::string what) {
  return std::unexpected(Error::make(ErrorKind::Malformed, "corrupt compiled code: " + std::move(what)));
}

constexpr size_t kStubSize = 16;

size_t alignUp(size_t v, size_t a) { return a <= 1 ? v : (v + a - 1) / a * a; }

struct Section {
  size_t offset = 0;  // in the region
  bool loaded = false;
  bool unwind = false;  // .eh_frame
};

bool isUnwindTable(const Elf64_Shdr& sh) { return sh.sh_type == SHT_X86_64_UNWIND; }

struct Object {
  std::span<const uint8_t> bytes;
  const Elf64_Ehdr* eh = nullptr;
  std::span<const Elf64_Shdr> shdrs;
  std::vector<Section> sections;
  const Elf64_Sym* syms = nullptr;
  size_t numSyms = 0;
  const char* strtab = nullptr;
  size_t strtabSize = 0;
};

Result<void> parseObject(Object& o) {
  const auto& b = o.bytes;
  if (b.size() < sizeof(Elf64_Ehdr)) return bad("object too small");
  o.eh = reinterpret_cast<const Elf64_Ehdr*>(b.data());
  const Elf64_Ehdr& eh = *o.eh;
  if (std::memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 || eh.e_ident[EI_CLASS] != ELFCLASS64 ||
      eh.e_ident[EI_DATA] != ELFDATA2LSB || eh.e_type != ET_REL || eh.e_machine != EM_X86_64)
    return bad("not an x86-64 relocatable ELF object");
  if (eh.e_shentsize != sizeof(Elf64_Shdr) || eh.e_shoff > b.size() ||
      uint64_t{eh.e_shnum} * sizeof(Elf64_Shdr) > b.size() - eh.e_shoff)
    return bad("section headers out of bounds");
  o.shdrs = {reinterpret_cast<const Elf64_Shdr*>(b.data() + eh.e_shoff), eh.e_shnum};
  o.sections.resize(eh.e_shnum);
  for (const Elf64_Shdr& sh : o.shdrs) {
    if (sh.sh_type != SHT_NOBITS && (sh.sh_offset > b.size() || sh.sh_size > b.size() - sh.sh_offset))
      return bad("section out of bounds");
    if (sh.sh_type == SHT_SYMTAB) {
      if (sh.sh_entsize != sizeof(Elf64_Sym) || sh.sh_link >= o.shdrs.size()) return bad("bad symbol table");
      o.syms = reinterpret_cast<const Elf64_Sym*>(b.data() + sh.sh_offset);
      o.numSyms = sh.sh_size / sizeof(Elf64_Sym);
      const Elf64_Shdr& str = o.shdrs[sh.sh_link];
      if (str.sh_offset > b.size() || str.sh_size > b.size() - str.sh_offset) return bad("bad string table");
      o.strtab = reinterpret_cast<const char*>(b.data() + str.sh_offset);
      o.strtabSize = str.sh_size;
    }
  }
  if (!o.syms) return bad("no symbol table");
  return {};
}

std::string_view symbolName(const Object& o, const Elf64_Sym& s) {
  if (s.st_name >= o.strtabSize) return {};
  const char* p = o.strtab + s.st_name;
  return std::string_view(p, strnlen(p, o.strtabSize - s.st_name));
}

bool isGotReloc(uint32_t type) {
  return type == R_X86_64_GOTPCREL || type == R_X86_64_GOTPCRELX || type == R_X86_64_REX_GOTPCRELX;
}

}  // namespace

CodeImage::~CodeImage() {
  for (void* table : unwindTables_) __deregister_frame(table);
  if (base_) ::munmap(base_, mapped_);
}

Result<std::unique_ptr<CodeImage>> linkObjects(std::span<const std::span<const uint8_t>> inputs,
                                               ExternalResolver resolve) {
  std::vector<Object> objs(inputs.size());
  for (size_t i = 0; i < inputs.size(); ++i) {
    objs[i].bytes = inputs[i];
    BANTAM_TRY(parseObject(objs[i]));
  }

  // Layout: text, then stubs; rodata, then the GOT; data.
  enum Kind { kText, kRodata, kData };
  size_t sizes[3] = {0, 0, 0};
  auto kindOf = [](const Elf64_Shdr& sh) {
    return (sh.sh_flags & SHF_EXECINSTR) ? kText : (sh.sh_flags & SHF_WRITE) ? kData : kRodata;
  };
  for (Object& o : objs) {
    for (size_t s = 0; s < o.shdrs.size(); ++s) {
      const Elf64_Shdr& sh = o.shdrs[s];
      if (!(sh.sh_flags & SHF_ALLOC) || sh.sh_size == 0) continue;
      if (sh.sh_addralign > 4096) return bad("section alignment too large");
      Kind k = kindOf(sh);
      sizes[k] = alignUp(sizes[k], sh.sh_addralign);
      o.sections[s].offset = sizes[k];  // relative to its part for now
      o.sections[s].loaded = true;
      o.sections[s].unwind = isUnwindTable(sh);
      sizes[k] += sh.sh_size + (o.sections[s].unwind ? 4 : 0);  // the terminating zero word
    }
  }

  // Global definitions across objects, and the external symbols (each gets a stub).
  std::unordered_map<std::string_view, std::pair<size_t, const Elf64_Sym*>> globals;
  for (size_t i = 0; i < objs.size(); ++i) {
    Object& o = objs[i];
    for (size_t k = 1; k < o.numSyms; ++k) {
      const Elf64_Sym& s = o.syms[k];
      if (ELF64_ST_BIND(s.st_info) == STB_LOCAL || s.st_shndx == SHN_UNDEF) continue;
      if (s.st_shndx >= o.shdrs.size() || !o.sections[s.st_shndx].loaded) continue;
      if (!globals.emplace(symbolName(o, s), std::make_pair(i, &s)).second)
        return bad("symbol defined twice: " + std::string(symbolName(o, s)));
    }
  }
  std::unordered_map<std::string_view, size_t> externals;  // name -> stub index
  size_t gotSlots = 0;
  for (Object& o : objs) {
    for (size_t k = 1; k < o.numSyms; ++k) {
      const Elf64_Sym& s = o.syms[k];
      if (s.st_shndx != SHN_UNDEF) continue;
      std::string_view name = symbolName(o, s);
      if (name.empty() || globals.count(name)) continue;
      externals.emplace(name, externals.size());
    }
    for (const Elf64_Shdr& sh : o.shdrs) {
      if (sh.sh_type != SHT_RELA || sh.sh_info >= o.shdrs.size() || !o.sections[sh.sh_info].loaded) continue;
      if (sh.sh_entsize != sizeof(Elf64_Rela)) return bad("bad relocation section");
      const auto* r = reinterpret_cast<const Elf64_Rela*>(o.bytes.data() + sh.sh_offset);
      for (size_t j = 0; j < sh.sh_size / sizeof(Elf64_Rela); ++j)
        if (isGotReloc(ELF64_R_TYPE(r[j].r_info))) ++gotSlots;
    }
  }
  size_t stubsAt = alignUp(sizes[kText], 16);
  size_t textSize = stubsAt + externals.size() * kStubSize;
  size_t rodataAt = alignUp(textSize, 4096);
  size_t gotAt = alignUp(rodataAt + sizes[kRodata], 8);
  size_t dataAt = alignUp(gotAt + gotSlots * 8, 4096);
  size_t total = alignUp(dataAt + sizes[kData], 4096);
  size_t partBase[3] = {0, rodataAt, dataAt};

  std::unique_ptr<CodeImage> image(new CodeImage());
  if (total == 0) return image;  // a module without code (and without types): nothing to map
  void* mem = ::mmap(nullptr, total, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (mem == MAP_FAILED) return fail(ErrorKind::Limit, "cannot map memory for compiled code");
  image->base_ = static_cast<uint8_t*>(mem);
  image->mapped_ = total;
  image->textSize_ = textSize;
  uint8_t* base = image->base_;

  for (Object& o : objs) {
    for (size_t s = 0; s < o.shdrs.size(); ++s) {
      if (!o.sections[s].loaded) continue;
      const Elf64_Shdr& sh = o.shdrs[s];
      o.sections[s].offset += partBase[kindOf(sh)];
      if (sh.sh_type != SHT_NOBITS) std::memcpy(base + o.sections[s].offset, o.bytes.data() + sh.sh_offset, sh.sh_size);
    }
  }

  // Stubs: jmp *[rip + 2]; ud2; .quad target.
  std::vector<uintptr_t> stubTarget(externals.size());
  for (auto& [name, index] : externals) {
    const void* target = resolve(name);
    if (!target) return bad("undefined symbol " + std::string(name) + " (not a runtime function)");
    uint8_t* stub = base + stubsAt + index * kStubSize;
    static constexpr uint8_t kJmp[8] = {0xff, 0x25, 0x02, 0x00, 0x00, 0x00, 0x0f, 0x0b};
    std::memcpy(stub, kJmp, 8);
    auto addr = reinterpret_cast<uintptr_t>(target);
    std::memcpy(stub + 8, &addr, 8);
    stubTarget[index] = addr;
  }

  auto symbolAddress = [&](const Object& o, const Elf64_Sym& s, uintptr_t& out, uintptr_t& direct) -> bool {
    // `out`: where a call or PC-relative reference goes (a stub for externals); `direct`:
    // the symbol's real address (for GOT slots and absolute relocations).
    if (s.st_shndx == SHN_UNDEF) {
      std::string_view name = symbolName(o, s);
      if (auto g = globals.find(name); g != globals.end()) {
        const Object& def = objs[g->second.first];
        const Elf64_Sym& ds = *g->second.second;
        out = direct = reinterpret_cast<uintptr_t>(base + def.sections[ds.st_shndx].offset + ds.st_value);
        return true;
      }
      auto e = externals.find(name);
      if (e == externals.end()) return false;
      out = reinterpret_cast<uintptr_t>(base + stubsAt + e->second * kStubSize);
      direct = stubTarget[e->second];
      return true;
    }
    if (s.st_shndx == SHN_ABS) {
      out = direct = s.st_value;
      return true;
    }
    if (s.st_shndx >= o.shdrs.size() || !o.sections[s.st_shndx].loaded) return false;
    out = direct = reinterpret_cast<uintptr_t>(base + o.sections[s.st_shndx].offset + s.st_value);
    return true;
  };

  std::unordered_map<uintptr_t, uintptr_t> got;  // target -> slot address
  size_t gotUsed = 0;
  for (Object& o : objs) {
    for (const Elf64_Shdr& sh : o.shdrs) {
      if (sh.sh_type != SHT_RELA || sh.sh_info >= o.shdrs.size() || !o.sections[sh.sh_info].loaded) continue;
      if (sh.sh_link >= o.shdrs.size() || o.shdrs[sh.sh_link].sh_type != SHT_SYMTAB) return bad("relocations without symbols");
      const Elf64_Shdr& target = o.shdrs[sh.sh_info];
      uint8_t* sectionBase = base + o.sections[sh.sh_info].offset;
      const auto* rels = reinterpret_cast<const Elf64_Rela*>(o.bytes.data() + sh.sh_offset);
      for (size_t j = 0; j < sh.sh_size / sizeof(Elf64_Rela); ++j) {
        const Elf64_Rela& r = rels[j];
        uint32_t type = ELF64_R_TYPE(r.r_info);
        uint32_t symIndex = ELF64_R_SYM(r.r_info);
        if (symIndex >= o.numSyms) return bad("relocation symbol out of range");
        if (r.r_offset > target.sh_size || target.sh_size - r.r_offset < 4) return bad("relocation out of its section");
        uint8_t* place = sectionBase + r.r_offset;
        auto P = reinterpret_cast<uintptr_t>(place);
        uintptr_t S = 0, direct = 0;
        if (!symbolAddress(o, o.syms[symIndex], S, direct))
          return bad("unresolved symbol " + std::string(symbolName(o, o.syms[symIndex])));
        int64_t A = r.r_addend;
        auto put32 = [&](int64_t v) -> Result<void> {
          if (v < INT32_MIN || v > INT32_MAX) return bad("relocation overflow (type " + std::to_string(type) + ")");
          int32_t x = static_cast<int32_t>(v);
          std::memcpy(place, &x, 4);
          return {};
        };
        switch (type) {
          case R_X86_64_NONE:
            break;
          case R_X86_64_64: {
            if (target.sh_size - r.r_offset < 8) return bad("relocation out of its section");
            uint64_t v = direct + A;
            std::memcpy(place, &v, 8);
            break;
          }
          case R_X86_64_PC64: {
            if (target.sh_size - r.r_offset < 8) return bad("relocation out of its section");
            uint64_t v = S + A - P;
            std::memcpy(place, &v, 8);
            break;
          }
          case R_X86_64_PC32:
          case R_X86_64_PLT32:
            BANTAM_TRY(put32(static_cast<int64_t>(S + A - P)));
            break;
          case R_X86_64_32:
            if (direct + A > UINT32_MAX) return bad("absolute relocation beyond 4 GiB");
            BANTAM_TRY(put32(static_cast<int64_t>(static_cast<uint32_t>(direct + A))));
            break;
          case R_X86_64_32S:
            BANTAM_TRY(put32(static_cast<int64_t>(direct + A)));
            break;
          case R_X86_64_GOTPCREL:
          case R_X86_64_GOTPCRELX:
          case R_X86_64_REX_GOTPCRELX: {
            auto [it, fresh] = got.emplace(direct, 0);
            if (fresh) {
              if (gotUsed == gotSlots) return bad("GOT overflow");
              it->second = reinterpret_cast<uintptr_t>(base + gotAt + gotUsed * 8);
              std::memcpy(reinterpret_cast<void*>(it->second), &direct, 8);
              ++gotUsed;
            }
            BANTAM_TRY(put32(static_cast<int64_t>(it->second + A - P)));
            break;
          }
          default:
            return bad("unsupported relocation type " + std::to_string(type));
        }
      }
    }
  }

  for (auto& [name, def] : globals) {
    const Object& o = objs[def.first];
    const Elf64_Sym& s = *def.second;
    image->symbols_.push_back(LoadedSymbol{std::string(name),
                                           reinterpret_cast<uintptr_t>(base + o.sections[s.st_shndx].offset + s.st_value),
                                           s.st_size});
  }

  if (::mprotect(base, rodataAt, PROT_READ | PROT_EXEC) != 0 ||
      (dataAt > rodataAt && ::mprotect(base + rodataAt, dataAt - rodataAt, PROT_READ) != 0))
    return fail(ErrorKind::Limit, "cannot make compiled code executable");
  for (Object& o : objs) {
    for (size_t s = 0; s < o.shdrs.size(); ++s) {
      if (!o.sections[s].loaded || !o.sections[s].unwind || o.shdrs[s].sh_size < 4) continue;
      void* table = base + o.sections[s].offset;
      __register_frame(table);
      image->unwindTables_.push_back(table);
    }
  }
  return image;
}

}  // namespace bantam::compiled
