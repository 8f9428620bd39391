// The platform's Prometheus metrics (text exposition format 0.0.4, served on the admin address
// at /metrics): requests by component and status, request latency and instantiation time
// histograms, traps, timeouts and the requests in flight. Lock-free on the request path: every
// series is a fixed atomic counter, allocated at start-up.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace bantam::platform {

class Histogram {
 public:
  // Upper bounds in seconds, increasing (the +Inf bucket is implicit).
  explicit Histogram(std::vector<double> bounds);
  void observe(uint64_t nanoseconds);
  // Appends the _bucket, _sum and _count lines of `name` with `labels` ("component=\"x\"").
  void render(std::string& out, std::string_view name, std::string_view labels) const;

  static std::vector<double> latencyBounds();        // 50 µs .. 30 s
  static std::vector<double> instantiationBounds();  // 1 µs .. 10 ms

 private:
  std::vector<double> bounds_;
  std::vector<uint64_t> boundsNs_;
  std::unique_ptr<std::atomic<uint64_t>[]> counts_;  // bounds_.size() + 1 (+Inf)
  std::atomic<uint64_t> sumNs_{0};
  std::atomic<uint64_t> count_{0};
};

struct ComponentMetrics {
  explicit ComponentMetrics(std::string componentId);
  std::string id;  // "" for requests no component answered (404s, reserved routes)
  std::array<std::atomic<uint64_t>, 600> byStatus{};  // index: status code (100..599)
  Histogram latency;
  Histogram instantiation;
  std::atomic<uint64_t> traps{0};
  std::atomic<uint64_t> timeouts{0};

  void countStatus(unsigned status) { byStatus[status < byStatus.size() ? status : 0].fetch_add(1, std::memory_order_relaxed); }
};

class Metrics {
 public:
  explicit Metrics(const std::vector<std::string>& componentIds);
  // The component's series; unknown ids (and "") share the unrouted series.
  ComponentMetrics& component(std::string_view id);
  std::atomic<int64_t> inFlight{0};
  std::string render() const;

 private:
  std::vector<std::unique_ptr<ComponentMetrics>> components_;  // the unrouted series is first
};

}  // namespace bantam::platform
