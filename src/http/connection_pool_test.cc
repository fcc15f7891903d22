#include "http/connection_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>

namespace jd::http {
namespace {

using namespace std::chrono_literals;

// Tasks that block (connections that stay open) do not hold up the next one: each gets a thread.
TEST(ConnectionPool, BlockedTasksDoNotHoldUpANewOne) {
  ConnectionPool pool(2, 64, 200ms);
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<int> started{0};
  for (int i = 0; i < 20; ++i) {
    pool.enqueue([&, released] {
      ++started;
      released.wait();
    });
  }
  std::promise<void> ran;
  auto done = ran.get_future();
  pool.enqueue([&] { ran.set_value(); });
  EXPECT_EQ(done.wait_for(5s), std::future_status::ready);
  EXPECT_EQ(pool.threads(), 21u);
  release.set_value();
  pool.shutdown();
  EXPECT_EQ(started.load(), 20);
  EXPECT_EQ(pool.threads(), 0u);
}

TEST(ConnectionPool, TheCapQueuesAndExtraThreadsEndWhenIdle) {
  ConnectionPool pool(1, 3, 100ms);
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<int> finished{0};
  for (int i = 0; i < 6; ++i) {
    pool.enqueue([&, released] {
      released.wait();
      ++finished;
    });
  }
  std::this_thread::sleep_for(50ms);
  EXPECT_EQ(pool.threads(), 3u);  // the cap: the other three wait in the queue
  EXPECT_EQ(finished.load(), 0);
  release.set_value();
  for (int i = 0; i < 100 && finished.load() < 6; ++i) std::this_thread::sleep_for(10ms);
  EXPECT_EQ(finished.load(), 6);
  // Idle threads above the minimum end.
  for (int i = 0; i < 100 && pool.threads() > 1; ++i) std::this_thread::sleep_for(20ms);
  EXPECT_EQ(pool.threads(), 1u);
}

TEST(ConnectionPool, ShutdownRunsWhatIsQueued) {
  std::atomic<int> ran{0};
  {
    ConnectionPool pool(1, 1);
    for (int i = 0; i < 50; ++i) pool.enqueue([&] { ++ran; });
    pool.shutdown();
    pool.shutdown();  // idempotent
  }
  EXPECT_EQ(ran.load(), 50);
}

}  // namespace
}  // namespace jd::http
