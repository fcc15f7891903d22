#include "auth/scope.h"

#include "auth/model.h"
#include "auth/permissions.h"

namespace jd::auth {

bool PathCovers(std::string_view outer, std::string_view inner) {
  if (outer.empty() || !inner.starts_with(outer)) return false;
  // Whole segments only: "450100/45010" must not cover "450100/450103/".
  if (outer.back() == '/') return true;
  return inner.size() == outer.size() || inner[outer.size()] == '/';
}

Scope Scope::Unit(std::string path) {
  // A unit is named by its path with the trailing '/', so that the key range below is exact.
  if (path.empty()) return Scope();
  if (path.back() != '/') path += '/';
  return Scope(Kind::kUnit, std::move(path));
}

bool Scope::Covers(std::string_view residence_path) const {
  switch (kind_) {
    case Kind::kNothing:
      return false;
    case Kind::kWholeCity:
      return true;
    case Kind::kUnit:
      return PathCovers(path_, residence_path);
  }
  return false;
}

PathRange Scope::Range() const {
  switch (kind_) {
    case Kind::kNothing:
      return {};
    case Kind::kWholeCity:
      // Every string sorts at or after "" and, paths being digits and '/', before DEL.
      return {"", "\x7f"};
    case Kind::kUnit: {
      // Paths end in '/', and '0' is the character after '/': every path under the unit sorts in
      // [unit, unit-without-slash + '0').
      PathRange r{path_, path_};
      r.hi.back() = '0';
      return r;
    }
  }
  return {};
}

Scope Scope::Narrow(std::string_view area) const {
  if (area.empty() || kind_ == Kind::kNothing) return Scope();
  if (kind_ == Kind::kWholeCity || Covers(area)) return Unit(std::string(area));
  if (PathCovers(area, path_)) return *this;
  return Scope();
}

Scope ScopeOf(const Principal& who) {
  if (who.system) return Scope::WholeCity();
  if (!Allows(who.role, Permission::kPersonRead) && !Allows(who.role, Permission::kPersonWrite)) {
    return Scope();
  }
  return Scope::Unit(who.org_path);
}

Scope ImportScopeOf(const Principal& who) {
  if (who.system) return Scope::WholeCity();
  if (!Allows(who.role, Permission::kPersonImport)) return Scope();
  return Scope::Unit(who.org_path);
}

Scope AggregateScopeOf(const Principal& who) {
  if (who.system) return Scope::WholeCity();
  if (!Allows(who.role, Permission::kAggregateRead)) return ScopeOf(who);
  return Scope::Unit(who.org_path);
}

Scope AuditScopeOf(const Principal& who) {
  if (who.system) return Scope::WholeCity();
  if (!Allows(who.role, Permission::kAuditRead)) return Scope();
  return Scope::Unit(who.org_path);
}

Scope OrgScopeOf(const Principal& who) {
  if (who.system) return Scope::WholeCity();
  return Scope::Unit(who.org_path);
}

std::string PersonInRange(std::string_view person_id_column, std::string_view lo,
                          std::string_view hi) {
  std::string out = "EXISTS (SELECT 1 FROM persons WHERE persons.id = ";
  out.append(person_id_column);
  out.append(" AND persons.residence_path >= ").append(lo);
  out.append(" AND persons.residence_path < ").append(hi).append(")");
  return out;
}

}  // namespace jd::auth
