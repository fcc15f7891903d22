#include "auth/alert_scope.h"

#include "auth/permissions.h"

namespace jd::auth {

Scope AlertScopeOf(const Principal& who) {
  if (!who.system && !Allows(who.role, Permission::kPartnerAlert)) return Scope();
  // The unit for a partner with one, the whole city for the system principal (OrgScopeOf).
  return OrgScopeOf(who);
}

}  // namespace jd::auth
