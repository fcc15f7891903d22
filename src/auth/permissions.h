// File: auth/permissions.h
// Roles, permissions and jurisdiction. Role-based access control with least privilege and the
// separation of the system, security and audit administrators (GB/T 22239-2019 第三级 安全计算环境
// 访问控制: 授予管理用户所需的最小权限，实现管理用户的权限分离); the three administrators see no
// personal data (PIPL 第51条(四): 合理确定个人信息处理的操作权限). All functions are pure.
//
// The matrix (Allows). PR PersonRead, PW PersonWrite, PI PersonImport, DR DocumentReview,
// UM UserManage, AR AuditRead, CF Configure, AG AggregateRead, OR OrgRead, VW VaccinationWrite
// (issue vaccination certificates, record and correct doses, book appointments, set clinic
// capacity; reading a child's immunisation is PersonRead), EF PersonExportFull (an export file
// with whole ID numbers and phones; without it an export is de-identified. PIPL 第51条(四) and
// 第6条 最小必要: a bulk copy of identifiers leaves the audited screens, so only the city and
// district health administrations, which own the data, may take one), RS ReminderSend (send the
// queued reminders of the caller's area through the gateway now: the area's administrators),
// PS PopulationSet (enter the 户籍 and migrant population figures of the units in the caller's
// jurisdiction that the funding table divides the budget by: configuration kept by the system
// administrator, and the finance bureau, which draws up the budget on them — 南宁市实施办法
// §六(五)).
// The infectious-disease and mental-health columns (传染病信息报告管理规范 2015; 严重精神障碍管理
// 治疗工作规范 2018; 规范 第三版 严重精神障碍患者管理): DP DiseaseReport (fill in and correct
// 传染病报告卡: the reporting units and the CDC that audits the cards), DD DiseaseRead (read case
// cards and early-warning signals: the CDC, the reporting centres and the health administrations),
// SR SignalRespond (verify a signal, open, investigate and close an event: the CDC), HT HivTbCare
// (HIV and TB cards and their treatment follow-up: only the CDC and the treating centre), MH
// MentalHealth (the severe-mental-disorder registry and follow-ups: the 精防 institution and the
// centres that follow patients up), PA PartnerAlert (receive and acknowledge the danger alerts of
// patients in the partner's area — name, address, level and time, never a diagnosis: 综治/公安).
// NW NetworkWrite (the service network: service points, gathering places and their family-planning
// associations, the "六个一" checklist of demonstration points, community positions — kept by the
// centres for their own area and by the district and city health administrations, 南宁市实施办法
// §六(二); reading it is OrgRead).
// EW EducationWrite (health-education activities of the service points, 规范 第三版
// 健康教育服务规范 二(二): recorded by the centres and the stations and village clinics that hold
// them; reading the activities and the norms is OrgRead, the attendees linked to the registry
// PersonRead).
// FP FamilyPlanning (free family-planning services of migrants: contraception methods, free
// contraceptives, procedures, 孕情环情 and reproductive-health checks, guidance, reward facts —
// recorded by the centres and the village doctors who serve the women, 南宁市实施办法 四(七);
// reading them is PersonRead).
//
//   role         PR  PW  PI  DR  UM  AR  CF  AG  OR  VW  EF  RS  MC  IR  PS  DP  DD  SR  HT  MH  PA
//   sysadmin     .   .   .   .   .   .   X   .   X   .   .   .   .   .   X   .   .   .   .   .   .
//   secadmin     .   .   .   .   X   .   .   .   X   .   .   .   .   .   .   .   .   .   .   .   .
//   auditor      .   .   .   .   .   X   .   .   X   .   .   .   .   .   .   .   .   .   .   .   .
//   commission   X   X   X   X   .   X   .   X   X   X   X   X   X   X   .   .   X   .   .   .   .
//   district     X   X   X   X   .   .   .   X   X   X   X   X   X   X   .   .   X   .   .   .   .
//   center       X   X   X   .   .   .   .   X   X   X   .   .   X   X   .   X   X   .   X   X   .
//   village      X   X   .   .   .   .   .   X   X   .   .   .   .   .   .   .   .   .   .   .   .
//   cdc          X   .   .   .   .   .   .   X   X   .   .   .   .   X   .   X   X   X   X   .   .
//   finance      .   .   .   .   .   .   .   X   X   .   .   .   .   .   X   .   .   .   .   .   .
//   partner      .   .   X   .   .   .   .   X   X   .   .   .   .   .   .   .   .   .   .   .   X
//   psychiatry   X   .   .   .   .   .   .   X   X   .   .   .   .   .   .   .   .   .   .   X   .
//   NW: commission, district and center; no other role.
//   EW, FP: center and village; no other role.
//
// A partner (协作部门) imports the rows of its own registers but reads no person: its rows must
// lie within its own unit (InImportScope), and its import report carries row numbers and errors
// only.
//
// Allows(role, permission): whether the matrix above grants `permission` to `role`.
// RoleCode(role): the stable lower-case code stored in the database and sent to clients
//   ("sysadmin", "secadmin", "auditor", "commission", "district", "center", "village", "cdc",
//   "finance", "partner", "psychiatry").
// ParseRole(code): the role with exactly that code, or nullopt.
// RoleLabelZh(role): the Chinese name shown to users.
// PermissionCode(permission): a stable snake_case code for logs, clients and the OpenAPI
//   document's x-permission (e.g. "person_read").
// InScope(principal, person_residence_path): ScopeOf(principal).Covers(person_residence_path)
//   (auth/scope.h): the system principal covers the whole city; otherwise only a role holding
//   PersonRead or PersonWrite with a unit, and only paths under that unit, whole segments only.
// InImportScope(principal, person_residence_path): ImportScopeOf(principal).Covers(path)
//   (auth/scope.h): the unit a role holding PersonImport imports into. Unlike InScope it does not
//   need PersonRead, so a partner imports into its own unit without reading anyone.
#pragma once

#include <array>
#include <optional>
#include <string_view>

#include "auth/model.h"

namespace jd::auth {

enum class Permission {
  kPersonRead,        // see a person's record
  kPersonWrite,       // create or change a person's record
  kPersonImport,      // upload a batch file of persons
  kDocumentReview,    // accept or reject uploaded evidence (e.g. residence permit)
  kUserManage,        // create users, assign roles, reset passwords
  kAuditRead,         // read and verify the audit log
  kConfigure,         // system settings
  kAggregateRead,     // statistics without personal data
  kOrgRead,           // the organisation tree
  kVaccinationWrite,  // vaccination certificates, doses, appointments, clinic sessions
  kPersonExportFull,  // export files with whole ID numbers and phones
  kReminderSend,      // drain the reminder outbox of the caller's area on demand
  kMaternalCare,      // pregnancy files: registration, visits, risk colour, delivery
  kInfectionRead,     // HIV, syphilis and hepatitis B results and the care that follows
  kPopulationSet,     // the population figures of units and years that funding divides by
  kDiseaseReport,     // fill in, correct, delete and merge infectious-disease case cards
  kDiseaseRead,       // read case cards and early-warning signals
  kSignalRespond,     // verify signals; open, investigate and close events
  kHivTbCare,         // HIV and TB case cards and their treatment follow-up
  kMentalHealth,      // severe-mental-disorder registry, follow-ups and emergencies
  kPartnerAlert,      // receive and acknowledge danger alerts of the partner's area
  kNetworkWrite,      // service points, gathering places, the demonstration checklist
  kEducationWrite,    // record and void health-education activities
  kFamilyPlanning,    // record family-planning services of the persons of the caller's area
};

inline constexpr std::array<Role, 11> kAllRoles = {
    Role::kSysadmin, Role::kSecadmin, Role::kAuditor,    Role::kCommission,
    Role::kDistrict, Role::kCenter,   Role::kVillage,    Role::kCdc,
    Role::kFinance,  Role::kPartner,  Role::kPsychiatry,
};

inline constexpr std::array<Permission, 24> kAllPermissions = {
    Permission::kPersonRead,       Permission::kPersonWrite,      Permission::kPersonImport,
    Permission::kDocumentReview,   Permission::kUserManage,       Permission::kAuditRead,
    Permission::kConfigure,        Permission::kAggregateRead,    Permission::kOrgRead,
    Permission::kVaccinationWrite, Permission::kPersonExportFull, Permission::kReminderSend,
    Permission::kMaternalCare,     Permission::kInfectionRead,    Permission::kPopulationSet,
    Permission::kDiseaseReport,    Permission::kDiseaseRead,      Permission::kSignalRespond,
    Permission::kHivTbCare,        Permission::kMentalHealth,     Permission::kPartnerAlert,
    Permission::kNetworkWrite,     Permission::kEducationWrite,   Permission::kFamilyPlanning,
};

bool Allows(Role role, Permission permission);

std::string_view RoleCode(Role role);

std::optional<Role> ParseRole(std::string_view code);

std::string_view RoleLabelZh(Role role);

std::string_view PermissionCode(Permission permission);

// The permission with exactly that code (PermissionCode's inverse), or nullopt.
std::optional<Permission> ParsePermission(std::string_view code);

bool InScope(const Principal& principal, std::string_view person_residence_path);

bool InImportScope(const Principal& principal, std::string_view person_residence_path);

}  // namespace jd::auth
