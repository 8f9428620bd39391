// Store: limits, fuel, epoch deadline and host data.
#include "api/impl.h"

namespace bantam {

namespace detail {
namespace {
runtime::StoreLimits toRuntime(const StoreLimits& l) {
  runtime::StoreLimits r;
  r.maxMemoryBytes = l.maxMemoryBytes;
  r.maxTableElements = l.maxTableElements;
  r.maxCallDepth = l.maxCallDepth;
  r.hugePagesFromBytes = l.hugePagesFromBytes;
  return r;
}
}  // namespace

StoreImpl::StoreImpl(std::shared_ptr<EngineImpl> e, const StoreLimits& l)
    : engine(std::move(e)), limits(l), store(engine->engine, toRuntime(l)) {}
}  // namespace detail

Store::Store(const Engine& engine, StoreLimits limits)
    : impl_(std::make_unique<detail::StoreImpl>(detail::Access::engineShared(engine), limits)) {}
Store::~Store() = default;
Store::Store(Store&&) noexcept = default;
Store& Store::operator=(Store&&) noexcept = default;

void Store::setFuel(uint64_t fuel) { impl_->store.setFuel(fuel); }
void Store::disableFuel() { impl_->store.setFuel(std::nullopt); }
std::optional<uint64_t> Store::fuel() const {
  if (!impl_->store.fuelEnabled()) return std::nullopt;
  return impl_->store.fuel();
}
void Store::setEpochDeadline(uint64_t ticks) { impl_->store.setEpochDeadline(ticks); }
void Store::setData(void* data) { impl_->data = data; }
void* Store::data() const { return impl_->data; }
const StoreLimits& Store::limits() const { return impl_->limits; }

}  // namespace bantam
