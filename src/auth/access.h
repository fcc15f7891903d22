// File: auth/access.h
// The one place that decides what a caller may do: every service, HTTP route and command asks
// here, and nothing outside this module looks at a role or at the system flag. Permissions come
// from the role matrix (auth/permissions.h), jurisdiction from ScopeOf (auth/scope.h).
//
// Holds(who, permission): the system principal holds every permission; anyone else as the matrix
//   says for their role.
// Require(who, permission): Ok when Holds, else PermissionDenied with a Chinese and an English
//   message (HTTP 403).
// RequireAny(who, {p1, p2, …}): Ok when any of them is held.
// RefuseOutsideScope(audit, who, event, not_found): for an object that exists but lies outside
//   the caller's jurisdiction. Appends `event` to the audit log with result "denied" (detail
//   "outside jurisdiction" unless set) and returns `not_found`, the same answer as for an unknown
//   id, so that nobody learns the object exists elsewhere; a failure to write the audit row is
//   returned instead (fail closed).
// SeesExactAggregates(who, restricted_to): whether the statistics (aggregates, kAggregateRead)
// shown
//   to `who` may carry small counts as they are. Only a caller who may read persons (kPersonRead)
//   and, for figures of data that only some permissions may read (`restricted_to`: kMentalHealth
//   for severe mental disorders, kHivTbCare for HIV and TB), holds that permission too: those
//   working with the patients, who know them anyway. Anyone else (the health administrations
//   for mental-health and TB figures; finance and partners for every figure) sees them with small
//   cells suppressed (kpi/suppression.h), and does not get them in files that are not suppressed
//   (reports, the DHIS2 exchange): a count of one to four patients of a street can point at
//   someone (PIPL 第28条 敏感个人信息: 医疗健康; 第73条(四)).
// RequireAudited(audit, who, permission, event): Require, and a refusal appended to the audit log
//   as `event` with result "denied" (detail "<permission code> required" unless set); a failure
//   to write the audit row is returned instead (fail closed).
// ObjectNotFound(): the NotFound answered for an object id that is unknown or outside the scope.
// ActorRef(who): how records name who did something: the user's id, or for the system principal
//   its name ("cli:<os user>").
#pragma once

#include <initializer_list>
#include <optional>
#include <span>

#include "auth/audit_log.h"
#include "auth/model.h"
#include "auth/permissions.h"
#include "auth/scope.h"
#include "core/status.h"

namespace jd::auth {

bool Holds(const Principal& who, Permission permission);

[[nodiscard]] Status Require(const Principal& who, Permission permission);

[[nodiscard]] Status RequireAny(const Principal& who, std::span<const Permission> any);
[[nodiscard]] Status RequireAny(const Principal& who, std::initializer_list<Permission> any);

bool SeesExactAggregates(const Principal& who, std::optional<Permission> restricted_to);

[[nodiscard]] Status RequireAudited(AuditLog& audit, const Principal& who, Permission permission,
                                    AuditEvent event);

[[nodiscard]] Status ObjectNotFound();

[[nodiscard]] Status RefuseOutsideScope(AuditLog& audit, const Principal& who, AuditEvent event,
                                        Status not_found = ObjectNotFound());

std::string ActorRef(const Principal& who);

}  // namespace jd::auth
