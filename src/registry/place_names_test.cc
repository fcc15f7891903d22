#include "registry/place_names.h"

#include <gtest/gtest.h>

namespace jd::registry {
namespace {

const Divisions& D() { return Divisions::Builtin(); }

TEST(PlaceName, CountyWithAndWithoutProvince) {
  EXPECT_EQ(PlaceName(D(), "430581", true), "湖南省邵阳市武冈市");
  EXPECT_EQ(PlaceName(D(), "450103", false), "南宁市青秀区");
  EXPECT_EQ(PlaceName(D(), "450103", true), "广西壮族自治区南宁市青秀区");
}

TEST(PlaceName, MunicipalityKeepsItsName) {
  EXPECT_EQ(PlaceName(D(), "110101", false), "北京市东城区");
}

TEST(PlaceName, RetiredCodeByItsLastName) {
  // 450105 江南区 is current; 450121 邕宁县 was retired (now 450109 邕宁区).
  std::string old = PlaceName(D(), "450121", true);
  EXPECT_NE(old, "450121");
  EXPECT_NE(old.find("邕宁"), std::string::npos) << old;
}

TEST(PlaceName, UnknownCodeGivenBack) {
  EXPECT_EQ(PlaceName(D(), "999999", true), "999999");
  EXPECT_EQ(PlaceName(D(), "", false), "");
}

}  // namespace
}  // namespace jd::registry
