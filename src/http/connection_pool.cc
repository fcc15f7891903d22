#include "http/connection_pool.h"

#include <stdexcept>
#include <thread>

namespace jd::http {

ConnectionPool::ConnectionPool(std::size_t min_threads, std::size_t max_threads,
                               std::chrono::milliseconds idle_exit)
    : min_threads_(min_threads), max_threads_(max_threads), idle_exit_(idle_exit) {
  if (min_threads == 0 || max_threads < min_threads) {
    throw std::invalid_argument("ConnectionPool needs 1 <= min_threads <= max_threads");
  }
}

ConnectionPool::~ConnectionPool() { shutdown(); }

void ConnectionPool::enqueue(std::function<void()> fn) {
  std::lock_guard lock(mu_);
  tasks_.push_back(std::move(fn));
  // Every queued task beyond the idle threads gets a thread of its own while below the cap.
  if (tasks_.size() > idle_ && threads_ < max_threads_ && !stopping_) {
    ++threads_;
    std::thread([this] { Work(); }).detach();
  } else {
    work_cv_.notify_one();
  }
}

void ConnectionPool::Work() {
  std::unique_lock lock(mu_);
  for (;;) {
    ++idle_;
    bool woken = work_cv_.wait_for(lock, idle_exit_, [&] { return stopping_ || !tasks_.empty(); });
    --idle_;
    if (tasks_.empty()) {
      if (stopping_ || (!woken && threads_ > min_threads_)) {
        --threads_;
        done_cv_.notify_all();
        return;  // nothing touches `this` after the notify but the unlock of the lock's mutex
      }
      continue;
    }
    std::function<void()> task = std::move(tasks_.front());
    tasks_.pop_front();
    lock.unlock();
    task();
    lock.lock();
  }
}

void ConnectionPool::shutdown() {
  std::unique_lock lock(mu_);
  stopping_ = true;
  work_cv_.notify_all();
  done_cv_.wait(lock, [&] { return threads_ == 0; });
}

std::size_t ConnectionPool::threads() const {
  std::lock_guard lock(mu_);
  return threads_;
}

}  // namespace jd::http
