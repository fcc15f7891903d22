#include "auth/permissions.h"

#include <gtest/gtest.h>

#include <map>
#include <set>
#include <string>

#include "auth/access.h"

namespace jd::auth {
namespace {

// The matrix as the requirements state it, one string per role; columns in kAllPermissions order:
// PersonRead PersonWrite PersonImport DocumentReview UserManage AuditRead Configure AggregateRead
// OrgRead VaccinationWrite PersonExportFull ReminderSend MaternalCare InfectionRead PopulationSet
// DiseaseReport DiseaseRead SignalRespond HivTbCare MentalHealth PartnerAlert NetworkWrite
// EducationWrite FamilyPlanning.
const std::map<Role, std::string> kExpected = {
    {Role::kSysadmin, "......X.X.....X........."},
    {Role::kSecadmin, "....X...X..............."},
    {Role::kAuditor, ".....X..X..............."},
    {Role::kCommission, "XXXX.X.XXXXXXX..X....X.."},
    {Role::kDistrict, "XXXX...XXXXXXX..X....X.."},
    {Role::kCenter, "XXX....XXX..XX.XX.XX.XXX"},
    {Role::kVillage, "XX.....XX.............XX"},
    {Role::kCdc, "X......XX....X.XXXX....."},
    {Role::kFinance, ".......XX.....X........."},
    {Role::kPartner, "..X....XX...........X..."},
    {Role::kPsychiatry, "X......XX..........X...."},
};

TEST(Permissions, WholeMatrix) {
  ASSERT_EQ(kExpected.size(), kAllRoles.size());
  for (Role r : kAllRoles) {
    const std::string& row = kExpected.at(r);
    ASSERT_EQ(row.size(), kAllPermissions.size());
    for (std::size_t i = 0; i < kAllPermissions.size(); ++i) {
      EXPECT_EQ(Allows(r, kAllPermissions[i]), row[i] == 'X')
          << RoleCode(r) << " / " << PermissionCode(kAllPermissions[i]);
    }
  }
}

// Statistics of severe mental disorders and of TB count few people in a street: exact for those
// who may read persons and care for those patients, suppressed for everyone else who reads
// statistics (auth/access.h SeesExactAggregates). Columns: no restriction, mental_health,
// hiv_tb_care.
TEST(Aggregates, ExactSmallCountsOfSensitiveDataOnlyForTheirCarers) {
  const std::map<Role, std::string> expected = {
      {Role::kCommission, "X.."}, {Role::kDistrict, "X.."},   {Role::kCenter, "XXX"},
      {Role::kVillage, "X.."},    {Role::kCdc, "X.X"},        {Role::kFinance, "..."},
      {Role::kPartner, "..."},    {Role::kPsychiatry, "XX."},
  };
  for (const auto& [role, row] : expected) {
    Principal who;
    who.role = role;
    EXPECT_EQ(SeesExactAggregates(who, std::nullopt), row[0] == 'X') << RoleCode(role);
    EXPECT_EQ(SeesExactAggregates(who, Permission::kMentalHealth), row[1] == 'X') << RoleCode(role);
    EXPECT_EQ(SeesExactAggregates(who, Permission::kHivTbCare), row[2] == 'X') << RoleCode(role);
  }
}

TEST(Permissions, AdministratorsHoldNoPersonalData) {
  for (Role r : {Role::kSysadmin, Role::kSecadmin, Role::kAuditor}) {
    for (Permission p :
         {Permission::kPersonRead, Permission::kPersonWrite, Permission::kPersonImport,
          Permission::kDocumentReview, Permission::kAggregateRead, Permission::kVaccinationWrite,
          Permission::kPersonExportFull, Permission::kMaternalCare, Permission::kInfectionRead,
          Permission::kDiseaseReport, Permission::kDiseaseRead, Permission::kSignalRespond,
          Permission::kHivTbCare, Permission::kMentalHealth, Permission::kPartnerAlert}) {
      EXPECT_FALSE(Allows(r, p)) << RoleCode(r);
    }
  }
  // Separation of the three powers: each administrator power is held by exactly one of them.
  EXPECT_TRUE(Allows(Role::kSysadmin, Permission::kConfigure));
  EXPECT_FALSE(Allows(Role::kSysadmin, Permission::kUserManage));
  EXPECT_FALSE(Allows(Role::kSysadmin, Permission::kAuditRead));
  EXPECT_FALSE(Allows(Role::kSecadmin, Permission::kConfigure));
  EXPECT_FALSE(Allows(Role::kSecadmin, Permission::kAuditRead));
  EXPECT_FALSE(Allows(Role::kAuditor, Permission::kUserManage));
}

TEST(Roles, CodesRoundTrip) {
  std::set<std::string_view> codes;
  for (Role r : kAllRoles) {
    EXPECT_EQ(ParseRole(RoleCode(r)), r);
    codes.insert(RoleCode(r));
  }
  EXPECT_EQ(codes, (std::set<std::string_view>{"sysadmin", "secadmin", "auditor", "commission",
                                               "district", "center", "village", "cdc", "finance",
                                               "partner", "psychiatry"}));
}

TEST(Roles, ParseIsExact) {
  EXPECT_EQ(ParseRole(""), std::nullopt);
  EXPECT_EQ(ParseRole("Sysadmin"), std::nullopt);
  EXPECT_EQ(ParseRole(" center"), std::nullopt);
  EXPECT_EQ(ParseRole("center "), std::nullopt);
  EXPECT_EQ(ParseRole("admin"), std::nullopt);
}

TEST(Roles, ChineseLabels) {
  EXPECT_EQ(RoleLabelZh(Role::kSysadmin), "系统管理员");
  EXPECT_EQ(RoleLabelZh(Role::kSecadmin), "安全管理员");
  EXPECT_EQ(RoleLabelZh(Role::kAuditor), "审计管理员");
  EXPECT_EQ(RoleLabelZh(Role::kCommission), "市卫健委");
  EXPECT_EQ(RoleLabelZh(Role::kDistrict), "区县卫健局");
  EXPECT_EQ(RoleLabelZh(Role::kCenter), "社区卫生服务中心/乡镇卫生院");
  EXPECT_EQ(RoleLabelZh(Role::kVillage), "村卫生室/社区卫生服务站");
  EXPECT_EQ(RoleLabelZh(Role::kCdc), "疾控中心");
  EXPECT_EQ(RoleLabelZh(Role::kFinance), "财政部门");
  EXPECT_EQ(RoleLabelZh(Role::kPartner), "协作部门(综治/农民工办/民政)");
  EXPECT_EQ(RoleLabelZh(Role::kPsychiatry), "精神卫生防治机构");
}

TEST(Permissions, CodesAreDistinctSnakeCase) {
  std::set<std::string_view> codes;
  for (Permission p : kAllPermissions) {
    std::string_view c = PermissionCode(p);
    EXPECT_FALSE(c.empty());
    for (char ch : c) EXPECT_TRUE((ch >= 'a' && ch <= 'z') || ch == '_') << c;
    codes.insert(c);
  }
  EXPECT_EQ(codes.size(), kAllPermissions.size());
}

Principal At(Role role, std::string org_path) {
  Principal p;
  p.role = role;
  p.org_path = std::move(org_path);
  return p;
}

constexpr std::string_view kPerson = "450100/450103/450103001/450103001002/";

TEST(Jurisdiction, PrefixOfWholeSegments) {
  EXPECT_TRUE(InScope(At(Role::kCommission, "450100/"), kPerson));
  EXPECT_TRUE(InScope(At(Role::kDistrict, "450100/450103/"), kPerson));
  EXPECT_TRUE(InScope(At(Role::kCenter, "450100/450103/450103001/"), kPerson));
  EXPECT_TRUE(InScope(At(Role::kVillage, "450100/450103/450103001/450103001002/"), kPerson));
  // A sibling unit.
  EXPECT_FALSE(InScope(At(Role::kDistrict, "450100/450102/"), kPerson));
  EXPECT_FALSE(InScope(At(Role::kVillage, "450100/450103/450103001/450103001003/"), kPerson));
  // A shorter code that is a string prefix of the person's code, with and without the slash.
  EXPECT_FALSE(InScope(At(Role::kDistrict, "450100/45010/"), kPerson));
  EXPECT_FALSE(InScope(At(Role::kDistrict, "450100/45010"), kPerson));
  // A path missing its final slash still matches whole segments only.
  EXPECT_TRUE(InScope(At(Role::kDistrict, "450100/450103"), kPerson));
  // A unit below the person's place does not cover it.
  EXPECT_FALSE(InScope(At(Role::kVillage, "450100/450103/450103001/450103001002/x/"), kPerson));
  // Another city.
  EXPECT_FALSE(InScope(At(Role::kCommission, "450200/"), kPerson));
}

TEST(Jurisdiction, EmptyPathsNeverMatch) {
  EXPECT_FALSE(InScope(At(Role::kCommission, ""), kPerson));
  EXPECT_FALSE(InScope(At(Role::kCommission, ""), ""));
  EXPECT_FALSE(InScope(At(Role::kCommission, "450100/"), ""));
}

TEST(Jurisdiction, OnlyRolesThatReadOrWritePersons) {
  for (Role r : kAllRoles) {
    bool person_role = Allows(r, Permission::kPersonRead) || Allows(r, Permission::kPersonWrite);
    EXPECT_EQ(InScope(At(r, "450100/"), kPerson), person_role) << RoleCode(r);
  }
  EXPECT_TRUE(InScope(At(Role::kCdc, "450100/"), kPerson));
  EXPECT_FALSE(InScope(At(Role::kPartner, "450100/"), kPerson));
  EXPECT_FALSE(InScope(At(Role::kFinance, "450100/"), kPerson));
  EXPECT_FALSE(InScope(At(Role::kSysadmin, "450100/"), kPerson));
}

// A partner imports into its own unit without reading anyone there.
TEST(Jurisdiction, ImportScopeNeedsOnlyTheImportPermission) {
  EXPECT_TRUE(InImportScope(At(Role::kPartner, "450100/"), kPerson));
  EXPECT_FALSE(InScope(At(Role::kPartner, "450100/"), kPerson));
  EXPECT_FALSE(InImportScope(At(Role::kPartner, "450200/"), kPerson));
  EXPECT_FALSE(InImportScope(At(Role::kPartner, "450100/45010"), kPerson));
  EXPECT_FALSE(InImportScope(At(Role::kPartner, ""), kPerson));
  EXPECT_TRUE(InImportScope(At(Role::kCenter, "450100/450103/450103001/"), kPerson));
  for (Role r : kAllRoles) {
    EXPECT_EQ(InImportScope(At(r, "450100/"), kPerson), Allows(r, Permission::kPersonImport))
        << RoleCode(r);
  }
}

}  // namespace
}  // namespace jd::auth
