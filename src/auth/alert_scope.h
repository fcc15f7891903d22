// File: auth/alert_scope.h
// The areas whose danger alerts a principal receives (severe mental disorders, mental/store.h).
//
// AlertScopeOf(who): the whole city for the system principal; the principal's unit when its role
//   holds PartnerAlert (综治/公安 partner users: the alerts of patients living in their unit);
//   nothing otherwise (and nothing for a user without a unit). Only an alert's minimal fields
//   (name, address, danger level, time) are handed out with it, never a diagnosis or a follow-up:
//   it grants no person read (ScopeOf stays nothing for a partner). Pure; thread-safe.
#pragma once

#include "auth/model.h"
#include "auth/scope.h"

namespace jd::auth {

Scope AlertScopeOf(const Principal& who);

}  // namespace jd::auth
