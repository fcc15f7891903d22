#include "auth/alert_scope.h"

#include "auth/permissions.h"
#include "auth/user_store.h"

namespace jd::auth {

Scope AlertScopeOf(const Principal& who) {
  if (!who.system && !Allows(who.role, Permission::kPartnerAlert)) return Scope();
  // The unit for a partner with one, the whole city for the system principal (OrgScopeOf).
  return OrgScopeOf(who);
}

std::vector<AlertRecipient> AlertRecipientsOf(soci::session& s, std::string_view area_path) {
  std::vector<AlertRecipient> out;
  for (const User& u : UserStore::List(s)) {
    if (!u.active) continue;
    const Principal p{.user_id = u.id,
                      .username = u.username,
                      .role = u.role,
                      .org_code = u.org_code,
                      .org_path = u.org_path};
    if (!AlertScopeOf(p).Covers(area_path)) continue;
    out.push_back({.user_id = u.id,
                   .username = u.username,
                   .display_name = u.display_name,
                   .org_code = u.org_code});
  }
  return out;
}

}  // namespace jd::auth
