#include "auth/scope.h"

#include <gtest/gtest.h>

#include <type_traits>

#include "auth/access.h"
#include "auth/alert_scope.h"
#include "auth/auth_service.h"
#include "auth/model.h"

namespace jd::auth {
namespace {

// The whole-city scope and a granted system flag can be made only inside the authorization
// module: outside it these expressions do not compile.
template <class T>
concept CanBuildWholeCity = requires {
  T::WholeCity();
};
template <class T>
concept CanBuildUnit = requires {
  T::Unit(std::string());
};
template <class T>
concept CanGrantSystem = requires {
  T(true);
};
static_assert(!CanBuildWholeCity<Scope>);
static_assert(!CanBuildUnit<Scope>);
static_assert(!std::is_constructible_v<Scope, std::string>);
static_assert(!CanGrantSystem<SystemGrant>);
static_assert(!std::is_constructible_v<SystemGrant, bool>);
static_assert(!std::is_assignable_v<SystemGrant&, bool>);

Principal User(Role role, std::string path) {
  Principal p;
  p.user_id = "u1";
  p.username = "u1";
  p.role = role;
  p.org_path = std::move(path);
  return p;
}

TEST(Scope, DefaultCoversNothing) {
  Scope none;
  EXPECT_TRUE(none.empty());
  EXPECT_FALSE(none.Covers("450100/"));
  EXPECT_FALSE(none.Covers(""));
  PathRange r = none.Range();
  EXPECT_EQ(r.lo, r.hi);  // an empty range: a store reads no row
}

TEST(Scope, UnitCoversWholeSegmentsOnly) {
  Scope s = ScopeOf(User(Role::kCenter, "450100/450103/450103001/"));
  EXPECT_FALSE(s.empty());
  EXPECT_TRUE(s.Covers("450100/450103/450103001/"));
  EXPECT_TRUE(s.Covers("450100/450103/450103001/450103001002/"));
  EXPECT_FALSE(s.Covers("450100/450103/450103002/"));
  EXPECT_FALSE(s.Covers("450100/450103/"));
  EXPECT_FALSE(s.Covers(""));
  PathRange r = s.Range();
  EXPECT_EQ(r.lo, "450100/450103/450103001/");
  EXPECT_EQ(r.hi, "450100/450103/4501030010");
}

TEST(Scope, UnitWithoutTrailingSlashStillMatchesSegments) {
  Scope s = ScopeOf(User(Role::kDistrict, "450100/45010"));
  EXPECT_FALSE(s.Covers("450100/450103/"));
  EXPECT_TRUE(s.Covers("450100/45010/"));
}

TEST(Scope, EmptyOrgPathGivesNothing) { EXPECT_TRUE(ScopeOf(User(Role::kCommission, "")).empty()); }

TEST(Scope, RolesWithoutPersonAccessGetNothing) {
  for (Role r : {Role::kSysadmin, Role::kSecadmin, Role::kAuditor, Role::kFinance}) {
    EXPECT_TRUE(ScopeOf(User(r, "450100/")).empty()) << RoleCode(r);
  }
}

TEST(Scope, SystemPrincipalGetsTheWholeCity) {
  Principal sys = AuthService::SystemPrincipal("ops");
  Scope s = ScopeOf(sys);
  EXPECT_TRUE(s.whole_city());
  EXPECT_TRUE(s.Covers("450100/450103/"));
  EXPECT_TRUE(s.Covers("460100/"));
  EXPECT_TRUE(Holds(sys, Permission::kUserManage));
  // A copy of an ordinary principal never carries the grant.
  Principal forged = User(Role::kCenter, "");
  forged.system = SystemGrant();
  EXPECT_TRUE(ScopeOf(forged).empty());
}

TEST(Scope, NarrowOnlyShrinks) {
  Scope district = ScopeOf(User(Role::kDistrict, "450100/450103/"));
  EXPECT_EQ(district.Narrow("450100/450103/450103001/").path(), "450100/450103/450103001/");
  // A wider area keeps the scope as it is; another district gives nothing.
  EXPECT_EQ(district.Narrow("450100/").path(), "450100/450103/");
  EXPECT_TRUE(district.Narrow("450100/450105/").empty());
  EXPECT_TRUE(district.Narrow("").empty());
  EXPECT_TRUE(Scope().Narrow("450100/").empty());
  Scope city = ScopeOf(AuthService::SystemPrincipal("ops"));
  EXPECT_EQ(city.Narrow("450100/450105/").path(), "450100/450105/");
}

TEST(Scope, OrgScopeIsTheUnitWhateverTheRole) {
  // Statistics users see their unit's aggregates without reading persons.
  Scope finance = OrgScopeOf(User(Role::kFinance, "450100/450103/"));
  EXPECT_EQ(finance.path(), "450100/450103/");
  EXPECT_TRUE(ScopeOf(User(Role::kFinance, "450100/450103/")).empty());
  EXPECT_TRUE(OrgScopeOf(User(Role::kCommission, "")).empty());
  EXPECT_TRUE(OrgScopeOf(AuthService::SystemPrincipal("ops")).whole_city());
}

TEST(AlertScope, APartnerReceivesItsUnitsAlertsOnly) {
  // A district's partner receives the alerts of its district, not of the next one, and still
  // reads no person.
  const Principal partner = User(Role::kPartner, "450100/450103/");
  EXPECT_TRUE(AlertScopeOf(partner).Covers("450100/450103/450103001/"));
  EXPECT_FALSE(AlertScopeOf(partner).Covers("450100/450105/450105001/"));
  EXPECT_TRUE(ScopeOf(partner).empty());
  // The city's partner receives every district's.
  EXPECT_TRUE(AlertScopeOf(User(Role::kPartner, "450100/")).Covers("450100/450105/450105001/"));
}

TEST(AlertScope, OtherRolesAndUnitlessPartnersGetNothing) {
  for (Role r : kAllRoles) {
    if (Allows(r, Permission::kPartnerAlert)) continue;
    EXPECT_TRUE(AlertScopeOf(User(r, "450100/")).empty()) << RoleCode(r);
  }
  EXPECT_TRUE(AlertScopeOf(User(Role::kPartner, "")).empty());
  EXPECT_TRUE(AlertScopeOf(AuthService::SystemPrincipal("ops")).whole_city());
}

TEST(Access, RequireFollowsTheMatrix) {
  EXPECT_TRUE(Require(User(Role::kCenter, "450100/"), Permission::kPersonRead).ok());
  Status st = Require(User(Role::kFinance, "450100/"), Permission::kPersonRead);
  EXPECT_EQ(st.code(), StatusCode::kPermissionDenied);
  EXPECT_TRUE(RequireAny(User(Role::kFinance, "450100/"),
                         {Permission::kPersonRead, Permission::kAggregateRead})
                  .ok());
}

}  // namespace
}  // namespace jd::auth
