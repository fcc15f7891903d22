#include "core/ids.h"

#include <gtest/gtest.h>

#include <set>

namespace jd {
namespace {

TEST(Ids, NewIdIsUuidV7AndIncreasing) {
  std::string prev;
  std::set<std::string> seen;
  for (int i = 0; i < 10000; ++i) {
    std::string id = NewId();
    ASSERT_TRUE(IsUuid(id)) << id;
    EXPECT_EQ(id[14], '7');
    EXPECT_TRUE(id[19] == '8' || id[19] == '9' || id[19] == 'a' || id[19] == 'b');
    EXPECT_GT(id, prev);
    EXPECT_TRUE(seen.insert(id).second);
    prev = id;
  }
}

TEST(Ids, IsUuidRejectsOtherText) {
  EXPECT_FALSE(IsUuid("not-a-uuid"));
  EXPECT_FALSE(IsUuid("0190B4C2-0000-7000-8000-000000000000"));
  EXPECT_TRUE(IsUuid("0190b4c2-0000-7000-8000-000000000000"));
}

TEST(Ids, RandomHexLength) { EXPECT_EQ(RandomHex(16).size(), 32u); }

}  // namespace
}  // namespace jd
