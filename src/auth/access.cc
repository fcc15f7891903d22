#include "auth/access.h"

namespace jd::auth {

bool Holds(const Principal& who, Permission permission) {
  return static_cast<bool>(who.system) || Allows(who.role, permission);
}

bool SeesExactAggregates(const Principal& who, std::optional<Permission> restricted_to) {
  return Holds(who, Permission::kPersonRead) && (!restricted_to || Holds(who, *restricted_to));
}

Status Require(const Principal& who, Permission permission) {
  if (Holds(who, permission)) return Status::Ok();
  return Status::PermissionDenied("your role may not do this", "您的角色无此权限");
}

Status RequireAny(const Principal& who, std::span<const Permission> any) {
  for (Permission p : any) {
    if (Holds(who, p)) return Status::Ok();
  }
  return Status::PermissionDenied("your role may not do this", "您的角色无此权限");
}

Status RequireAny(const Principal& who, std::initializer_list<Permission> any) {
  return RequireAny(who, std::span<const Permission>(any.begin(), any.size()));
}

Status RequireAudited(AuditLog& audit, const Principal& who, Permission permission,
                      AuditEvent event) {
  Status st = Require(who, permission);
  if (st.ok()) return st;
  event.result = "denied";
  if (event.detail.empty()) event.detail = std::string(PermissionCode(permission)) + " required";
  JD_RETURN_IF_ERROR(audit.Record(who, event));
  return st;
}

Status ObjectNotFound() {
  return Status::NotFound("not found in your jurisdiction", "您的辖区内无此记录");
}

Status RefuseOutsideScope(AuditLog& audit, const Principal& who, AuditEvent event,
                          Status not_found) {
  event.result = "denied";
  if (event.detail.empty()) event.detail = "outside jurisdiction";
  Status st = audit.Record(who, event);
  if (!st.ok()) return st;
  return not_found;
}

std::string ActorRef(const Principal& who) { return who.system ? who.username : who.user_id; }

}  // namespace jd::auth
