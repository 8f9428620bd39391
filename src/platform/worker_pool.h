// Threads that run guests, so that no event loop ever waits on WebAssembly: a guest that spins
// until its timeout holds one worker, not a loop and its connections.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace bantam::platform {

class WorkerPool {
 public:
  explicit WorkerPool(unsigned threads);
  ~WorkerPool();  // runs what is queued, then joins
  void post(std::move_only_function<void()> job);
  // Runs what is queued, then joins the threads. Idempotent.
  void shutdown();

 private:
  void run();
  std::mutex mutex_;
  std::condition_variable ready_;
  std::deque<std::move_only_function<void()>> jobs_;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace bantam::platform
