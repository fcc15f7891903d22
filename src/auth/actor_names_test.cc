#include "auth/actor_names.h"

#include <gtest/gtest.h>

namespace jd::auth {
namespace {

TEST(DescribeActor, UserByDisplayName) {
  EXPECT_EQ(DescribeActor("6f1c0e2a-0000-4000-8000-000000000001", "青秀区卫生健康局"),
            (ActorWords{"青秀区卫生健康局", "青秀区卫生健康局"}));
}

TEST(DescribeActor, CommandLineIsASystemImportByItsOperator) {
  EXPECT_EQ(DescribeActor("cli:li", ""), (ActorWords{"系统导入（li）", "system import (li)"}));
  EXPECT_EQ(DescribeActor("cli:unknown", ""), (ActorWords{"系统导入", "system import"}));
  EXPECT_EQ(DescribeActor("cli:", ""), (ActorWords{"系统导入", "system import"}));
}

TEST(DescribeActor, SystemDemoEmptyAndOther) {
  EXPECT_EQ(DescribeActor("system", ""), (ActorWords{"系统", "system"}));
  EXPECT_EQ(DescribeActor("demo", ""), (ActorWords{"演示数据", "demo data"}));
  EXPECT_EQ(DescribeActor("", ""), (ActorWords{"未记录", "not recorded"}));
  EXPECT_EQ(DescribeActor("center01", ""), (ActorWords{"center01", "center01"}));
}

}  // namespace
}  // namespace jd::auth
