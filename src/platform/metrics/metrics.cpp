// Metric series and their text exposition.
#include "platform/metrics/metrics.h"

#include <cinttypes>
#include <cstdio>

namespace bantam::platform {

namespace {

void appendNumber(std::string& out, uint64_t v) { out += std::to_string(v); }

void appendSeconds(std::string& out, double s) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.9g", s);
  out += buf;
}

// Label values escape backslash, double quote and newline.
std::string labelValue(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  return out;
}

}  // namespace

Histogram::Histogram(std::vector<double> bounds)
    : bounds_(std::move(bounds)), counts_(new std::atomic<uint64_t>[bounds_.size() + 1]) {
  for (size_t i = 0; i <= bounds_.size(); ++i) counts_[i].store(0, std::memory_order_relaxed);
  for (double b : bounds_) boundsNs_.push_back(static_cast<uint64_t>(b * 1e9 + 0.5));
}

void Histogram::observe(uint64_t ns) {
  size_t i = 0;
  while (i < boundsNs_.size() && ns > boundsNs_[i]) ++i;
  counts_[i].fetch_add(1, std::memory_order_relaxed);
  sumNs_.fetch_add(ns, std::memory_order_relaxed);
  count_.fetch_add(1, std::memory_order_relaxed);
}

void Histogram::render(std::string& out, std::string_view name, std::string_view labels) const {
  uint64_t cumulative = 0;
  std::string sep = labels.empty() ? "" : ",";
  for (size_t i = 0; i <= bounds_.size(); ++i) {
    cumulative += counts_[i].load(std::memory_order_relaxed);
    out.append(name).append("_bucket{").append(labels).append(sep).append("le=\"");
    if (i < bounds_.size()) appendSeconds(out, bounds_[i]);
    else out += "+Inf";
    out += "\"} ";
    appendNumber(out, cumulative);
    out += '\n';
  }
  out.append(name).append("_sum{").append(labels).append("} ");
  appendSeconds(out, static_cast<double>(sumNs_.load(std::memory_order_relaxed)) / 1e9);
  out += '\n';
  out.append(name).append("_count{").append(labels).append("} ");
  appendNumber(out, count_.load(std::memory_order_relaxed));
  out += '\n';
}

std::vector<double> Histogram::latencyBounds() {
  return {50e-6, 100e-6, 250e-6, 500e-6, 1e-3, 2.5e-3, 5e-3, 10e-3, 25e-3, 50e-3, 100e-3, 250e-3, 500e-3,
          1, 2.5, 5, 10, 30};
}

std::vector<double> Histogram::instantiationBounds() {
  return {1e-6, 2e-6, 5e-6, 10e-6, 20e-6, 50e-6, 100e-6, 1e-3, 10e-3};
}

ComponentMetrics::ComponentMetrics(std::string componentId)
    : id(std::move(componentId)), latency(Histogram::latencyBounds()), instantiation(Histogram::instantiationBounds()) {}

Metrics::Metrics(const std::vector<std::string>& componentIds) {
  components_.push_back(std::make_unique<ComponentMetrics>(""));
  for (const std::string& id : componentIds) components_.push_back(std::make_unique<ComponentMetrics>(id));
}

ComponentMetrics& Metrics::component(std::string_view id) {
  for (size_t i = 1; i < components_.size(); ++i)
    if (components_[i]->id == id) return *components_[i];
  return *components_[0];
}

std::string Metrics::render() const {
  std::string out;
  out.reserve(16 * 1024);
  out +=
      "# HELP bantam_http_requests_total HTTP requests answered, by component and status.\n"
      "# TYPE bantam_http_requests_total counter\n";
  for (const auto& c : components_) {
    for (size_t s = 0; s < c->byStatus.size(); ++s) {
      uint64_t n = c->byStatus[s].load(std::memory_order_relaxed);
      if (n == 0) continue;
      out += "bantam_http_requests_total{component=\"" + labelValue(c->id) + "\",status=\"" + std::to_string(s) +
             "\"} ";
      appendNumber(out, n);
      out += '\n';
    }
  }
  out +=
      "# HELP bantam_http_request_duration_seconds Time from a request's last byte read to its response handed "
      "to the socket.\n"
      "# TYPE bantam_http_request_duration_seconds histogram\n";
  for (const auto& c : components_)
    c->latency.render(out, "bantam_http_request_duration_seconds", "component=\"" + labelValue(c->id) + "\"");
  out +=
      "# HELP bantam_instantiation_seconds Time to get a fresh instance of a component for a request.\n"
      "# TYPE bantam_instantiation_seconds histogram\n";
  for (size_t i = 1; i < components_.size(); ++i)
    components_[i]->instantiation.render(out, "bantam_instantiation_seconds",
                                         "component=\"" + labelValue(components_[i]->id) + "\"");
  out +=
      "# HELP bantam_traps_total Requests whose component trapped or exited with a failure status.\n"
      "# TYPE bantam_traps_total counter\n";
  for (size_t i = 1; i < components_.size(); ++i) {
    out += "bantam_traps_total{component=\"" + labelValue(components_[i]->id) + "\"} ";
    appendNumber(out, components_[i]->traps.load(std::memory_order_relaxed));
    out += '\n';
  }
  out +=
      "# HELP bantam_timeouts_total Requests interrupted by the request timeout.\n"
      "# TYPE bantam_timeouts_total counter\n";
  for (size_t i = 1; i < components_.size(); ++i) {
    out += "bantam_timeouts_total{component=\"" + labelValue(components_[i]->id) + "\"} ";
    appendNumber(out, components_[i]->timeouts.load(std::memory_order_relaxed));
    out += '\n';
  }
  out +=
      "# HELP bantam_http_requests_in_flight Requests received and not yet answered.\n"
      "# TYPE bantam_http_requests_in_flight gauge\n"
      "bantam_http_requests_in_flight ";
  out += std::to_string(inFlight.load(std::memory_order_relaxed));
  out += '\n';
  return out;
}

}  // namespace bantam::platform
