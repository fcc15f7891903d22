// File: auth/alert_scope.h
// The areas whose danger alerts a principal receives (severe mental disorders, mental/store.h).
//
// AlertScopeOf(who): the whole city for the system principal; the principal's unit when its role
//   holds PartnerAlert (综治/公安 partner users: the alerts of patients living in their unit);
//   nothing otherwise (and nothing for a user without a unit). Only an alert's minimal fields
//   (name, address, danger level, time) are handed out with it, never a diagnosis or a follow-up:
//   it grants no person read (ScopeOf stays nothing for a partner). Pure; thread-safe.
// AlertRecipientsOf(session, area_path): the active users whose AlertScopeOf covers `area_path`
//   (the partner users of the patient's unit and of the units above it), by username: whom an
//   alert of that area is delivered to (notify/alert_notices.h). Reads the users table in the
//   caller's transaction.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "auth/model.h"
#include "auth/scope.h"
#include "storage/database.h"

namespace jd::auth {

Scope AlertScopeOf(const Principal& who);

struct AlertRecipient {
  std::string user_id;
  std::string username;
  std::string display_name;
  std::string org_code;
};

std::vector<AlertRecipient> AlertRecipientsOf(soci::session& s, std::string_view area_path);

}  // namespace jd::auth
