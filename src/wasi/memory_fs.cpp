// The in-memory filesystem. Path resolution mirrors Linux with RESOLVE_BENEATH relative to
// the directory handle: "." and ".." along the resolved chain, ".." above the handle and
// absolute symlinks are ENOTCAPABLE, 40 symlink expansions at most (ELOOP), a trailing slash
// requires a directory and follows a final symlink unless the operation never follows.
#include "wasi/memory_fs.h"

#include <algorithm>
#include <cstring>
#include <deque>

namespace bantam::wasi {

MemNode::~MemNode() {
  if (usage) {
    usage->bytes -= data.size();
    usage->nodes -= 1;
  }
}

namespace {

constexpr int kMaxSymlinks = 40;

Filestat statOf(const MemNode& n) {
  Filestat s;
  s.dev = 0xba47a3;  // one device for the whole in-memory filesystem
  s.ino = n.ino;
  s.type = n.type;
  s.nlink = n.nlink;
  s.size = n.type == Filetype::RegularFile ? n.data.size()
           : n.type == Filetype::SymbolicLink ? n.target.size()
                                              : 0;
  s.atim = n.atim;
  s.mtim = n.mtim;
  s.ctim = n.ctim;
  return s;
}

void applyTimes(MemNode& n, NewTime atim, NewTime mtim, uint64_t now) {
  if (atim.kind != NewTime::Keep) n.atim = atim.kind == NewTime::Now ? now : atim.ns;
  if (mtim.kind != NewTime::Keep) n.mtim = mtim.kind == NewTime::Now ? now : mtim.ns;
  n.ctim = now;
}

void splitInto(std::deque<std::string>& out, std::string_view path, bool front) {
  std::vector<std::string> parts;
  size_t i = 0;
  while (i < path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    if (j > i) parts.emplace_back(path.substr(i, j - i));
    i = j + 1;
  }
  out.insert(front ? out.begin() : out.end(), parts.begin(), parts.end());
}

// How a path's last component is treated when it is a symlink.
enum class Last : uint8_t {
  NoFollow,       // never (mkdir, rmdir, unlink, rename, symlink, link target)
  FollowIfSlash,  // only when the path ends in '/' (lstat-like calls)
  Follow,         // always (stat, open without O_NOFOLLOW)
};

struct Resolved {
  std::shared_ptr<MemNode> parent;  // directory holding the last component; null for "."/".."
  std::string name;                 // last component, without slashes
  std::shared_ptr<MemNode> node;    // what it names; null if nothing
  bool trailingSlash = false;
};

WasiResult<Resolved> resolve(const std::shared_ptr<MemNode>& start, std::string_view path, Last last) {
  if (path.empty()) return err(Errno::Noent);
  if (path.front() == '/') return err(Errno::Notcapable);
  std::deque<std::string> todo;
  splitInto(todo, path, false);
  bool mustBeDir = path.back() == '/';
  std::vector<std::shared_ptr<MemNode>> chain{start};
  int links = 0;
  auto expand = [&](const MemNode& link, bool isLast) -> WasiResult<void> {
    if (++links > kMaxSymlinks) return err(Errno::Loop);
    if (link.target.empty()) return err(Errno::Noent);
    if (link.target.front() == '/') return err(Errno::Notcapable);
    if (isLast && link.target.back() == '/') mustBeDir = true;
    splitInto(todo, link.target, true);
    return {};
  };
  while (!todo.empty()) {
    std::string name = std::move(todo.front());
    todo.pop_front();
    bool isLast = todo.empty();
    if (name == "." || name == "..") {
      if (name == "..") {
        if (chain.size() == 1) return err(Errno::Notcapable);
        chain.pop_back();
      }
      if (isLast) return Resolved{nullptr, name, chain.back(), true};
      continue;
    }
    const std::shared_ptr<MemNode>& cur = chain.back();
    auto it = cur->children.find(name);
    std::shared_ptr<MemNode> child = it == cur->children.end() ? nullptr : it->second;
    if (isLast) {
      bool follow = last == Last::Follow || (last == Last::FollowIfSlash && mustBeDir);
      if (child && child->type == Filetype::SymbolicLink && follow) {
        BANTAM_TRY(expand(*child, true));
        continue;
      }
      if (child && mustBeDir && last != Last::NoFollow && child->type != Filetype::Directory)
        return err(Errno::Notdir);
      return Resolved{cur, name, child, mustBeDir};
    }
    if (!child) return err(Errno::Noent);
    if (child->type == Filetype::SymbolicLink) {
      BANTAM_TRY(expand(*child, false));
      continue;
    }
    if (child->type != Filetype::Directory) return err(Errno::Notdir);
    chain.push_back(child);
  }
  return err(Errno::Noent);  // unreachable: a relative non-empty path has a component
}

uint64_t copyOut(const std::vector<uint8_t>& data, std::span<const IoBuffer> bufs, uint64_t offset) {
  uint64_t n = 0;
  for (const IoBuffer& b : bufs) {
    if (offset >= data.size()) break;
    uint64_t k = std::min<uint64_t>(b.size(), data.size() - offset);
    if (k) std::memcpy(b.data(), data.data() + offset, k);
    n += k;
    offset += k;
    if (k < b.size()) break;
  }
  return n;
}

}  // namespace

// --- MemFilesystem ---

MemFilesystem::MemFilesystem(Options options) : options_(std::move(options)), usage_(std::make_shared<MemUsage>()) {
  if (!options_.clocks) options_.clocks = std::make_shared<HostClocks>();
  root_ = newNode(Filetype::Directory);
  root_->nlink = 2;
}

std::shared_ptr<MemFilesystem> MemFilesystem::create(Options options) {
  return std::shared_ptr<MemFilesystem>(new MemFilesystem(std::move(options)));
}

std::unique_ptr<Dir> MemFilesystem::root(bool readOnly) {
  return std::make_unique<MemDir>(shared_from_this(), root_, readOnly);
}

uint64_t MemFilesystem::now() { return options_.clocks->now(ClockId::Realtime).value_or(0); }

std::shared_ptr<MemNode> MemFilesystem::newNode(Filetype type) {
  auto n = std::make_shared<MemNode>();
  n->type = type;
  n->ino = nextIno_++;
  n->atim = n->mtim = n->ctim = now();
  n->usage = usage_;
  usage_->nodes += 1;
  return n;
}

WasiResult<void> MemFilesystem::reserveNode() const {
  if (usage_->nodes.load() >= options_.maxNodes) return err(Errno::Nospc);
  return {};
}

WasiResult<void> MemFilesystem::resize(MemNode& file, uint64_t size) {
  uint64_t old = file.data.size();
  if (size > old && size - old > options_.maxBytes - std::min(options_.maxBytes, usage_->bytes.load()))
    return err(Errno::Nospc);
  file.data.resize(size);
  usage_->bytes += size;
  usage_->bytes -= old;
  return {};
}

WasiResult<void> MemFilesystem::writeFile(std::string_view path, std::string_view contents) {
  size_t slash = path.rfind('/');
  if (slash != std::string_view::npos && slash > 0) BANTAM_TRY(createDirectories(path.substr(0, slash)));
  auto dir = root();
  OpenOptions o;
  o.create = o.truncate = o.write = true;
  o.followSymlinks = true;
  Opened f = BANTAM_TRY(dir->openAt(path, o));
  if (!f.file) return err(Errno::Isdir);
  IoBuffer buf(reinterpret_cast<uint8_t*>(const_cast<char*>(contents.data())), contents.size());
  BANTAM_TRY(f.file->write(std::span<const IoBuffer>(&buf, 1)));
  return {};
}

WasiResult<std::string> MemFilesystem::readFile(std::string_view path) {
  auto dir = root();
  OpenOptions o;
  o.read = o.followSymlinks = true;
  Opened f = BANTAM_TRY(dir->openAt(path, o));
  if (!f.file) return err(Errno::Isdir);
  Filestat st = BANTAM_TRY(f.file->stat());
  std::string out(st.size, '\0');
  IoBuffer buf(reinterpret_cast<uint8_t*>(out.data()), out.size());
  uint64_t n = BANTAM_TRY(f.file->read(std::span<const IoBuffer>(&buf, 1)));
  out.resize(n);
  return out;
}

WasiResult<void> MemFilesystem::createDirectories(std::string_view path) {
  auto dir = root();
  size_t i = 0;
  while (i <= path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    if (j > i) {
      auto r = dir->createDirectoryAt(path.substr(0, j));
      if (!r && r.error() != Errno::Exist) return r;
    }
    i = j + 1;
  }
  return {};
}

WasiResult<void> MemFilesystem::createSymlink(std::string_view target, std::string_view path) {
  return root()->symlinkAt(target, path);
}

// --- MemDir ---

WasiResult<void> MemDir::checkWritable() const {
  if (readOnly_) return err(Errno::Notcapable);
  return {};
}

WasiResult<Opened> MemDir::openAt(std::string_view path, const OpenOptions& o) {
  std::lock_guard lock(fs_->mutex());
  // open(O_CREAT|O_EXCL) never follows a last-component symlink.
  bool follow = o.followSymlinks && !(o.create && o.exclusive);
  Resolved r = BANTAM_TRY(resolve(node_, path, follow ? Last::Follow : Last::FollowIfSlash));
  std::shared_ptr<MemNode> node = r.node;
  Opened out;
  if (!node) {
    if (!o.create) return err(Errno::Noent);
    if (r.trailingSlash) return err(Errno::Isdir);
    if (r.parent->removed) return err(Errno::Noent);
    BANTAM_TRY(checkWritable());
    BANTAM_TRY(fs_->reserveNode());
    node = fs_->newNode(Filetype::RegularFile);
    r.parent->children.emplace(r.name, node);
    r.parent->mtim = r.parent->ctim = node->ctim;
    out.file = std::make_unique<MemFile>(fs_, node, o.fdflags);
    return out;
  }
  if (o.create && o.exclusive) return err(Errno::Exist);
  if (node->type == Filetype::SymbolicLink) return err(Errno::Loop);  // O_NOFOLLOW on a symlink
  if (o.directory && node->type != Filetype::Directory) return err(Errno::Notdir);
  if (node->type == Filetype::Directory) {
    if (o.write || o.truncate || o.create) return err(Errno::Isdir);
    out.dir = std::make_unique<MemDir>(fs_, node, readOnly_);
    return out;
  }
  if (o.write || o.truncate) BANTAM_TRY(checkWritable());
  if (o.truncate && !node->data.empty()) {
    BANTAM_TRY(fs_->resize(*node, 0));
    node->mtim = node->ctim = fs_->now();
  }
  out.file = std::make_unique<MemFile>(fs_, node, o.fdflags);
  return out;
}

WasiResult<void> MemDir::createDirectoryAt(std::string_view path) {
  std::lock_guard lock(fs_->mutex());
  Resolved r = BANTAM_TRY(resolve(node_, path, Last::NoFollow));
  if (r.node) return err(Errno::Exist);
  if (r.parent->removed) return err(Errno::Noent);
  BANTAM_TRY(checkWritable());
  BANTAM_TRY(fs_->reserveNode());
  auto dir = fs_->newNode(Filetype::Directory);
  dir->nlink = 2;
  dir->parentDir = r.parent.get();
  r.parent->children.emplace(r.name, dir);
  r.parent->nlink += 1;
  r.parent->mtim = r.parent->ctim = dir->ctim;
  return {};
}

WasiResult<Filestat> MemDir::stat() {
  std::lock_guard lock(fs_->mutex());
  return statOf(*node_);
}

WasiResult<Filestat> MemDir::statAt(std::string_view path, bool follow) {
  std::lock_guard lock(fs_->mutex());
  Resolved r = BANTAM_TRY(resolve(node_, path, follow ? Last::Follow : Last::FollowIfSlash));
  if (!r.node) return err(Errno::Noent);
  return statOf(*r.node);
}

WasiResult<void> MemDir::setTimes(NewTime atim, NewTime mtim) {
  std::lock_guard lock(fs_->mutex());
  BANTAM_TRY(checkWritable());
  applyTimes(*node_, atim, mtim, fs_->now());
  return {};
}

WasiResult<void> MemDir::setTimesAt(std::string_view path, bool follow, NewTime atim, NewTime mtim) {
  std::lock_guard lock(fs_->mutex());
  Resolved r = BANTAM_TRY(resolve(node_, path, follow ? Last::Follow : Last::FollowIfSlash));
  if (!r.node) return err(Errno::Noent);
  BANTAM_TRY(checkWritable());
  applyTimes(*r.node, atim, mtim, fs_->now());
  return {};
}

WasiResult<void> MemDir::linkAt(std::string_view oldPath, Dir& newDir, std::string_view newPath) {
  auto* target = dynamic_cast<MemDir*>(&newDir);
  if (target == nullptr || target->fs_ != fs_) return err(Errno::Xdev);
  std::lock_guard lock(fs_->mutex());
  Resolved from = BANTAM_TRY(resolve(node_, oldPath, Last::FollowIfSlash));
  if (!from.node) return err(Errno::Noent);
  if (from.node->type == Filetype::Directory) return err(Errno::Perm);
  Resolved to = BANTAM_TRY(resolve(target->node_, newPath, Last::NoFollow));
  if (to.node) return err(Errno::Exist);
  if (to.trailingSlash || to.parent->removed) return err(Errno::Noent);
  BANTAM_TRY(checkWritable());
  BANTAM_TRY(target->checkWritable());
  to.parent->children.emplace(to.name, from.node);
  from.node->nlink += 1;
  uint64_t now = fs_->now();
  from.node->ctim = now;
  to.parent->mtim = to.parent->ctim = now;
  return {};
}

WasiResult<std::string> MemDir::readlinkAt(std::string_view path) {
  std::lock_guard lock(fs_->mutex());
  Resolved r = BANTAM_TRY(resolve(node_, path, Last::FollowIfSlash));
  if (!r.node) return err(Errno::Noent);
  if (r.node->type != Filetype::SymbolicLink) return err(Errno::Inval);
  return r.node->target;
}

WasiResult<void> MemDir::removeDirectoryAt(std::string_view path) {
  std::lock_guard lock(fs_->mutex());
  Resolved r = BANTAM_TRY(resolve(node_, path, Last::NoFollow));
  if (!r.parent) return err(r.name == "." ? Errno::Inval : Errno::Notempty);  // as Linux rmdir
  if (!r.node) return err(Errno::Noent);
  if (r.node->type != Filetype::Directory) return err(Errno::Notdir);
  if (!r.node->children.empty()) return err(Errno::Notempty);
  BANTAM_TRY(checkWritable());
  r.node->removed = true;
  r.node->parentDir = nullptr;
  r.node->nlink = 0;
  r.parent->children.erase(r.name);
  r.parent->nlink -= 1;
  r.parent->mtim = r.parent->ctim = fs_->now();
  return {};
}

WasiResult<void> MemDir::unlinkFileAt(std::string_view path) {
  std::lock_guard lock(fs_->mutex());
  Resolved r = BANTAM_TRY(resolve(node_, path, Last::NoFollow));
  if (!r.parent) return err(Errno::Isdir);
  if (!r.node) return err(Errno::Noent);
  if (r.node->type == Filetype::Directory) return err(Errno::Isdir);
  if (r.trailingSlash) return err(Errno::Notdir);
  BANTAM_TRY(checkWritable());
  r.node->nlink -= 1;
  uint64_t now = fs_->now();
  r.node->ctim = now;
  r.parent->children.erase(r.name);
  r.parent->mtim = r.parent->ctim = now;
  return {};
}

WasiResult<void> MemDir::renameAt(std::string_view oldPath, Dir& newDir, std::string_view newPath) {
  auto* target = dynamic_cast<MemDir*>(&newDir);
  if (target == nullptr || target->fs_ != fs_) return err(Errno::Xdev);
  std::lock_guard lock(fs_->mutex());
  Resolved from = BANTAM_TRY(resolve(node_, oldPath, Last::NoFollow));
  Resolved to = BANTAM_TRY(resolve(target->node_, newPath, Last::NoFollow));
  if (!from.parent || !to.parent) return err(Errno::Busy);  // "." or ".." (Linux: EBUSY)
  if (!from.node) return err(Errno::Noent);
  std::shared_ptr<MemNode> src = from.node, dst = to.node;
  bool srcIsDir = src->type == Filetype::Directory;
  if (!srcIsDir && (from.trailingSlash || to.trailingSlash)) return err(Errno::Notdir);
  if (to.parent->removed) return err(Errno::Noent);
  if (dst == src) return {};
  if (srcIsDir) {
    if (dst && dst->type != Filetype::Directory) return err(Errno::Notdir);
    if (dst && !dst->children.empty()) return err(Errno::Notempty);
    // A directory cannot move beneath itself.
    for (MemNode* p = to.parent.get(); p != nullptr; p = p->parentDir)
      if (p == src.get()) return err(Errno::Inval);
  } else if (dst && dst->type == Filetype::Directory) {
    return err(Errno::Isdir);
  }
  BANTAM_TRY(checkWritable());
  BANTAM_TRY(target->checkWritable());
  uint64_t now = fs_->now();
  if (dst) {
    if (dst->type == Filetype::Directory) {
      dst->removed = true;
      dst->parentDir = nullptr;
      dst->nlink = 0;
      to.parent->nlink -= 1;
    } else {
      dst->nlink -= 1;
      dst->ctim = now;
    }
  }
  to.parent->children.insert_or_assign(to.name, src);
  from.parent->children.erase(from.name);
  if (srcIsDir) {
    from.parent->nlink -= 1;
    to.parent->nlink += 1;
    src->parentDir = to.parent.get();
  }
  src->ctim = now;
  from.parent->mtim = from.parent->ctim = now;
  to.parent->mtim = to.parent->ctim = now;
  return {};
}

WasiResult<void> MemDir::symlinkAt(std::string_view targetText, std::string_view linkPath) {
  std::lock_guard lock(fs_->mutex());
  Resolved r = BANTAM_TRY(resolve(node_, linkPath, Last::NoFollow));
  if (r.node) return err(Errno::Exist);
  if (r.trailingSlash || r.parent->removed) return err(Errno::Noent);
  BANTAM_TRY(checkWritable());
  BANTAM_TRY(fs_->reserveNode());
  auto link = fs_->newNode(Filetype::SymbolicLink);
  link->target = std::string(targetText);
  r.parent->children.emplace(r.name, link);
  r.parent->mtim = r.parent->ctim = link->ctim;
  return {};
}

WasiResult<std::vector<DirEntry>> MemDir::entries() {
  std::lock_guard lock(fs_->mutex());
  std::vector<DirEntry> out;
  out.reserve(node_->children.size());
  for (const auto& [name, child] : node_->children) out.push_back(DirEntry{name, child->ino, child->type});
  return out;
}

// --- MemFile ---

uint64_t MemFile::readAt(std::span<const IoBuffer> bufs, uint64_t offset) {
  uint64_t n = copyOut(node_->data, bufs, offset);
  node_->atim = fs_->now();
  return n;
}

WasiResult<uint64_t> MemFile::writeAt(std::span<const IoBuffer> bufs, uint64_t offset) {
  uint64_t total = totalLength(bufs);
  if (total == 0) return 0;
  if (offset > UINT64_MAX - total) return err(Errno::Fbig);
  if (offset + total > node_->data.size()) BANTAM_TRY(fs_->resize(*node_, offset + total));
  uint64_t at = offset;
  for (const IoBuffer& b : bufs) {
    if (!b.empty()) std::memmove(node_->data.data() + at, b.data(), b.size());
    at += b.size();
  }
  node_->mtim = node_->ctim = fs_->now();
  return total;
}

WasiResult<uint64_t> MemFile::read(std::span<const IoBuffer> bufs) {
  std::lock_guard lock(fs_->mutex());
  uint64_t n = readAt(bufs, pos_);
  pos_ += n;
  return n;
}

WasiResult<uint64_t> MemFile::pread(std::span<const IoBuffer> bufs, uint64_t offset) {
  std::lock_guard lock(fs_->mutex());
  return readAt(bufs, offset);
}

WasiResult<uint64_t> MemFile::write(std::span<const IoBuffer> bufs) {
  std::lock_guard lock(fs_->mutex());
  if (flags_ & fdflags::kAppend) pos_ = node_->data.size();
  uint64_t n = BANTAM_TRY(writeAt(bufs, pos_));
  pos_ += n;
  return n;
}

WasiResult<uint64_t> MemFile::pwrite(std::span<const IoBuffer> bufs, uint64_t offset) {
  std::lock_guard lock(fs_->mutex());
  // Linux appends on O_APPEND descriptors whatever the offset (and Wasmtime follows it).
  if (flags_ & fdflags::kAppend) offset = node_->data.size();
  return writeAt(bufs, offset);
}

WasiResult<uint64_t> MemFile::seek(int64_t offset, Whence whence) {
  std::lock_guard lock(fs_->mutex());
  int64_t base = whence == Whence::Set ? 0
                 : whence == Whence::Cur ? static_cast<int64_t>(pos_)
                                         : static_cast<int64_t>(node_->data.size());
  int64_t to;
  if (__builtin_add_overflow(base, offset, &to) || to < 0) return err(Errno::Inval);
  pos_ = static_cast<uint64_t>(to);
  return pos_;
}

WasiResult<uint64_t> MemFile::tell() {
  std::lock_guard lock(fs_->mutex());
  return pos_;
}

WasiResult<Filestat> MemFile::stat() {
  std::lock_guard lock(fs_->mutex());
  return statOf(*node_);
}

WasiResult<void> MemFile::setSize(uint64_t size) {
  std::lock_guard lock(fs_->mutex());
  if (size > INT64_MAX) return err(Errno::Inval);
  BANTAM_TRY(fs_->resize(*node_, size));
  node_->mtim = node_->ctim = fs_->now();
  return {};
}

WasiResult<void> MemFile::setTimes(NewTime atim, NewTime mtim) {
  std::lock_guard lock(fs_->mutex());
  applyTimes(*node_, atim, mtim, fs_->now());
  return {};
}

WasiResult<void> MemFile::allocate(uint64_t offset, uint64_t len) {
  std::lock_guard lock(fs_->mutex());
  if (len == 0) return err(Errno::Inval);
  if (offset > INT64_MAX || len > INT64_MAX - offset) return err(Errno::Fbig);
  if (offset + len > node_->data.size()) {
    BANTAM_TRY(fs_->resize(*node_, offset + len));
    node_->ctim = fs_->now();
  }
  return {};
}

WasiResult<void> MemFile::setFdflags(uint16_t flags) {
  if (flags & (fdflags::kDsync | fdflags::kRsync | fdflags::kSync)) return err(Errno::Inval);
  flags_ = static_cast<uint16_t>((flags_ & (fdflags::kDsync | fdflags::kRsync | fdflags::kSync)) | flags);
  return {};
}

Readiness MemFile::readiness(bool forWrite) {
  std::lock_guard lock(fs_->mutex());
  Readiness r{true, 0, false, -1};
  if (!forWrite && node_->data.size() > pos_) r.nbytes = node_->data.size() - pos_;
  return r;
}

}  // namespace bantam::wasi
