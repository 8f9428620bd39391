// A thread that advances an engine's epoch every `tick` until destroyed, so that a store's
// epoch deadline (in ticks) interrupts or preempts a running guest (bantam serve, bantam up).
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

#include "runtime/engine.h"

namespace bantam::runtime {

class EpochTicker {
 public:
  EpochTicker(Engine& engine, std::chrono::milliseconds tick)
      : thread_([this, &engine, tick] {
          std::unique_lock lock(mutex_);
          while (!cv_.wait_for(lock, tick, [this] { return stop_; })) engine.incrementEpoch();
        }) {}
  ~EpochTicker() {
    {
      std::lock_guard lock(mutex_);
      stop_ = true;
    }
    cv_.notify_one();
    thread_.join();
  }
  EpochTicker(const EpochTicker&) = delete;
  EpochTicker& operator=(const EpochTicker&) = delete;

 private:
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace bantam::runtime
