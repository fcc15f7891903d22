#include "http/guarded_server.h"

#include <gtest/gtest.h>

#include <utility>
#include <vector>

namespace jd::http {
namespace {

ConnectionLimits LimitOf(int per_client, std::vector<std::string> exempt = {}) {
  ConnectionLimits limits;
  limits.max_per_client = per_client;
  limits.exempt = std::move(exempt);
  return limits;
}

// The limit is per address, counted while a slot is held, and a released slot is free again.
TEST(ClientConnections, RefusesPastTheLimitPerAddressAndFreesOnRelease) {
  ClientConnections clients(LimitOf(2));
  auto a1 = clients.Admit("10.0.0.1");
  auto a2 = clients.Admit("10.0.0.1");
  auto b1 = clients.Admit("10.0.0.2");
  EXPECT_TRUE(a1.admitted());
  EXPECT_TRUE(a2.admitted());
  EXPECT_TRUE(b1.admitted());
  EXPECT_FALSE(clients.Admit("10.0.0.1").admitted());
  EXPECT_EQ(clients.open("10.0.0.1"), 2);  // the refused one holds nothing
  {
    auto moved = std::move(a1);  // a moved slot is released once, by its new holder
    EXPECT_EQ(clients.open("10.0.0.1"), 2);
  }
  EXPECT_EQ(clients.open("10.0.0.1"), 1);
  EXPECT_TRUE(clients.Admit("10.0.0.1").admitted());
  EXPECT_EQ(clients.open("10.0.0.1"), 1);
  EXPECT_EQ(clients.open("10.0.0.2"), 1);
}

// Exempt addresses (a TLS front on the host) and a limit of 0 admit everything, uncounted.
TEST(ClientConnections, ExemptAddressesAndNoLimitAreNotCounted) {
  ClientConnections fronted(LimitOf(1, {"127.0.0.1"}));
  std::vector<ClientConnections::Slot> held;
  for (int i = 0; i < 10; ++i) held.push_back(fronted.Admit("127.0.0.1"));
  for (const auto& slot : held) EXPECT_TRUE(slot.admitted());
  EXPECT_EQ(fronted.open("127.0.0.1"), 0);
  EXPECT_TRUE(fronted.Admit("10.0.0.9").admitted());
  ClientConnections unlimited(LimitOf(0));
  auto s1 = unlimited.Admit("10.0.0.1");
  auto s2 = unlimited.Admit("10.0.0.1");
  EXPECT_TRUE(s1.admitted() && s2.admitted());
}

}  // namespace
}  // namespace jd::http
