// File: auth/scope.h
// Jurisdiction as a type. A Scope is the set of residence paths whose person-level rows a caller
// may read or write; every store method that touches such rows takes one, so a forgotten check
// reads nothing instead of the whole city (网络安全等级保护基本要求 GB/T 22239-2019 第三级 8.1.4.2
// 访问控制: 由授权主体配置访问控制策略; PIPL 第51条(四) 合理确定个人信息处理的操作权限).
//
// Three kinds, and only this module decides which a caller gets:
//   - nothing: the default value; covers no path, and a store given it returns no row. A role
//     without PersonRead/PersonWrite, or a user with no unit, gets this.
//   - a unit: a non-empty materialised org path ("450100/450103/450103001/"); covers that path
//     and everything under it, segment by segment.
//   - the whole city: every path of this database. Only ScopeOf() and OrgScopeOf() hand it out,
//     to the system principal (the command-line operator on the server host and the server's own
//     background tasks, see SystemPrincipal in auth_service.h). Its constructor is private: a
//     service cannot build it (auth/scope_test.cc checks this at compile time).
//
// Narrow(area) gives the part of a scope under `area` (for "the due list of this street"): it can
// only shrink a scope, never widen it, so anyone may call it.
//
// Values are small and immutable; copy them freely. Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace jd::auth {

struct Principal;

// The half-open key range [lo, hi) of the residence paths a scope covers, for an index range scan
// (residence_path >= lo AND residence_path < hi). An empty scope gives lo == hi: no row.
struct PathRange {
  std::string lo, hi;
};

// The SQL condition that the person whose id is in `person_id_column` lives within a PathRange
// bound to the parameters named `lo` and `hi` (e.g. ":slo", ":shi"). A correlated look-up of that
// one person by primary key: `column IN (SELECT id FROM persons WHERE residence_path …)` would
// have SQLite build the list of every person in the scope for each statement, a cost that grows
// with the city (a whole district's persons read to check one child's dose).
std::string PersonInRange(std::string_view person_id_column, std::string_view lo,
                          std::string_view hi);

class Scope {
 public:
  // Covers nothing.
  Scope() = default;

  // True when the scope covers no path at all.
  bool empty() const { return kind_ == Kind::kNothing; }
  bool whole_city() const { return kind_ == Kind::kWholeCity; }
  // The unit's org path; empty for the whole city and for nothing.
  const std::string& path() const { return path_; }

  // Whether a person living at `residence_path` lies within the scope. An empty residence path is
  // covered only by the whole city.
  bool Covers(std::string_view residence_path) const;

  // The key range for SQL; see PathRange.
  PathRange Range() const;

  // The part of this scope under the org path `area` (a path ending in '/'): `area` itself when
  // this scope covers it, this scope when `area` covers this scope's unit, otherwise nothing.
  Scope Narrow(std::string_view area) const;

  friend bool operator==(const Scope&, const Scope&) = default;

 private:
  enum class Kind { kNothing, kUnit, kWholeCity };
  Scope(Kind kind, std::string path) : kind_(kind), path_(std::move(path)) {}
  static Scope Unit(std::string path);
  static Scope WholeCity() { return Scope(Kind::kWholeCity, {}); }

  friend Scope ScopeOf(const Principal& who);
  friend Scope ImportScopeOf(const Principal& who);
  friend Scope AggregateScopeOf(const Principal& who);
  friend Scope OrgScopeOf(const Principal& who);
  friend Scope AuditScopeOf(const Principal& who);

  Kind kind_ = Kind::kNothing;
  std::string path_;
};

// What a store's read of one object by id found: the object, nothing, or an object that exists
// outside the scope. In the last case the object itself is not handed out; the service audits the
// attempt (RefuseOutsideScope in auth/access.h) and answers "not found".
template <class T>
class ScopedRow {
 public:
  ScopedRow() = default;
  static ScopedRow Found(T row) {
    ScopedRow r;
    r.row_ = std::move(row);
    return r;
  }
  static ScopedRow Outside() {
    ScopedRow r;
    r.outside_ = true;
    return r;
  }
  explicit operator bool() const { return row_.has_value(); }
  bool has_value() const { return row_.has_value(); }
  // True when the object exists but lies outside the scope it was read with.
  bool outside_scope() const { return outside_; }
  T& operator*() { return *row_; }
  const T& operator*() const { return *row_; }
  T* operator->() { return &*row_; }
  const T* operator->() const { return &*row_; }
  std::optional<T> release() && { return std::move(row_); }

 private:
  std::optional<T> row_;
  bool outside_ = false;
};

// The function that decides a principal's jurisdiction over persons: the whole city for the system
// principal; the principal's unit when its role holds PersonRead or PersonWrite and it has a unit;
// nothing otherwise.
Scope ScopeOf(const Principal& who);

// The unit a principal may import persons into: the whole city for the system principal; the
// principal's unit when its role holds PersonImport (a partner, which reads no person, imports into
// its own unit); nothing otherwise. Only for writing new rows: reads use ScopeOf.
Scope ImportScopeOf(const Principal& who);

// The jurisdiction of a principal's aggregate figures (coverage and other counts that hand out no
// person): as ScopeOf, except that a role holding AggregateRead without PersonRead/PersonWrite
// (finance, partner departments) gets its unit too. Never use it for a read that returns persons.
Scope AggregateScopeOf(const Principal& who);

// The units a caller works for when no person-level row leaves: statistics, data-quality counts,
// population figures, settings of a unit. The whole city for the system principal; the
// principal's unit for anyone with a unit, whatever the role (what they may do there is a
// permission, auth/access.h); nothing without a unit. Rows may be counted within it, but a row
// itself (or a person's id) is handed out only within ScopeOf.
Scope OrgScopeOf(const Principal& who);

// The persons whose audit rows a principal may find by name or ID number, and whose masked names
// the audit log shows: the whole city for the system principal; the principal's unit when its role
// holds AuditRead (an auditor reads no record, but must find what was done to a person who
// complains); nothing otherwise. Only person ids and masked names are handed out with it.
Scope AuditScopeOf(const Principal& who);

// Whether org path `outer` covers `inner`, whole segments only ("450100/45010" does not cover
// "450100/450103/"). Both are materialised paths; an empty `outer` covers nothing.
bool PathCovers(std::string_view outer, std::string_view inner);

}  // namespace jd::auth
