// File: http/connection_pool.h
// The server's task queue (cpp-httplib hands it one task per accepted connection, and the task
// lives as long as the connection does). A fixed pool of N workers is stalled by N clients that
// connect and wait (browser keep-alive, or a slowloris sending a header line every few seconds):
// every other request then queues behind them. This pool grows instead: a connection that finds
// no idle thread gets a new one, up to `max_threads`; threads above `min_threads` end after
// `idle_exit` without work. Idle connections then cost a sleeping thread (a few tens of KB), not
// a turn of everyone else's.
//
// ConnectionPool(min_threads, max_threads, idle_exit): min_threads >= 1, max_threads >=
//   min_threads (a bug otherwise). Past max_threads, connections wait in the queue as before.
// enqueue(fn): runs fn on an idle thread, or a new one while below the cap. Thread-safe.
// shutdown(): lets queued tasks finish, then waits for every thread to end. Idempotent.
// threads(): threads alive now (for /metrics and tests).
#pragma once

#include <httplib.h>

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>

namespace jd::http {

class ConnectionPool : public httplib::TaskQueue {
 public:
  ConnectionPool(std::size_t min_threads, std::size_t max_threads,
                 std::chrono::milliseconds idle_exit = std::chrono::seconds(30));
  ~ConnectionPool() override;
  ConnectionPool(const ConnectionPool&) = delete;
  ConnectionPool& operator=(const ConnectionPool&) = delete;

  void enqueue(std::function<void()> fn) override;
  void shutdown() override;
  std::size_t threads() const;

 private:
  void Work();

  const std::size_t min_threads_;
  const std::size_t max_threads_;
  const std::chrono::milliseconds idle_exit_;
  mutable std::mutex mu_;
  std::condition_variable work_cv_;
  std::condition_variable done_cv_;
  std::deque<std::function<void()>> tasks_;
  std::size_t threads_ = 0;
  std::size_t idle_ = 0;
  bool stopping_ = false;
};

}  // namespace jd::http
