#include "auth/permissions.h"

#include <cstdint>

#include "auth/scope.h"

namespace jd::auth {

namespace {

using Mask = std::uint32_t;

constexpr Mask Bit(Permission p) { return Mask{1} << static_cast<int>(p); }

template <typename... P>
constexpr Mask Grants(P... p) {
  return (Bit(p) | ... | Mask{0});
}

using enum Permission;

// One row per role, in the order of the header's table.
constexpr Mask RoleMask(Role role) {
  switch (role) {
    case Role::kSysadmin:
      return Grants(kConfigure, kOrgRead, kPopulationSet);
    case Role::kSecadmin:
      return Grants(kUserManage, kOrgRead);
    case Role::kAuditor:
      return Grants(kAuditRead, kOrgRead);
    case Role::kCommission:
      return Grants(kPersonRead, kPersonWrite, kPersonImport, kDocumentReview, kAuditRead,
                    kAggregateRead, kOrgRead, kVaccinationWrite, kPersonExportFull, kReminderSend,
                    kMaternalCare, kInfectionRead, kDiseaseRead, kNetworkWrite);
    case Role::kDistrict:
      return Grants(kPersonRead, kPersonWrite, kPersonImport, kDocumentReview, kAggregateRead,
                    kOrgRead, kVaccinationWrite, kPersonExportFull, kReminderSend, kMaternalCare,
                    kInfectionRead, kDiseaseRead, kNetworkWrite);
    case Role::kCenter:
      return Grants(kPersonRead, kPersonWrite, kPersonImport, kAggregateRead, kOrgRead,
                    kVaccinationWrite, kMaternalCare, kInfectionRead, kDiseaseReport, kDiseaseRead,
                    kHivTbCare, kMentalHealth, kNetworkWrite, kEducationWrite, kFamilyPlanning);
    case Role::kVillage:
      return Grants(kPersonRead, kPersonWrite, kAggregateRead, kOrgRead, kEducationWrite,
                    kFamilyPlanning);
    case Role::kCdc:
      return Grants(kPersonRead, kAggregateRead, kOrgRead, kInfectionRead, kDiseaseReport,
                    kDiseaseRead, kSignalRespond, kHivTbCare);
    case Role::kFinance:
      return Grants(kAggregateRead, kOrgRead, kPopulationSet);
    case Role::kPartner:
      return Grants(kPersonImport, kAggregateRead, kOrgRead, kPartnerAlert);
    case Role::kPsychiatry:
      return Grants(kPersonRead, kAggregateRead, kOrgRead, kMentalHealth);
  }
  return 0;  // an out-of-range value grants nothing
}

}  // namespace

bool Allows(Role role, Permission permission) { return (RoleMask(role) & Bit(permission)) != 0; }

std::string_view RoleCode(Role role) {
  switch (role) {
    case Role::kSysadmin:
      return "sysadmin";
    case Role::kSecadmin:
      return "secadmin";
    case Role::kAuditor:
      return "auditor";
    case Role::kCommission:
      return "commission";
    case Role::kDistrict:
      return "district";
    case Role::kCenter:
      return "center";
    case Role::kVillage:
      return "village";
    case Role::kCdc:
      return "cdc";
    case Role::kFinance:
      return "finance";
    case Role::kPartner:
      return "partner";
    case Role::kPsychiatry:
      return "psychiatry";
  }
  return "";
}

std::optional<Role> ParseRole(std::string_view code) {
  for (Role r : kAllRoles) {
    if (RoleCode(r) == code) return r;
  }
  return std::nullopt;
}

std::string_view RoleLabelZh(Role role) {
  switch (role) {
    case Role::kSysadmin:
      return "系统管理员";
    case Role::kSecadmin:
      return "安全管理员";
    case Role::kAuditor:
      return "审计管理员";
    case Role::kCommission:
      return "市卫健委";
    case Role::kDistrict:
      return "区县卫健局";
    case Role::kCenter:
      return "社区卫生服务中心/乡镇卫生院";
    case Role::kVillage:
      return "村卫生室/社区卫生服务站";
    case Role::kCdc:
      return "疾控中心";
    case Role::kFinance:
      return "财政部门";
    case Role::kPartner:
      return "协作部门(综治/农民工办/民政)";
    case Role::kPsychiatry:
      return "精神卫生防治机构";
  }
  return "";
}

std::string_view PermissionCode(Permission permission) {
  switch (permission) {
    case kPersonRead:
      return "person_read";
    case kPersonWrite:
      return "person_write";
    case kPersonImport:
      return "person_import";
    case kDocumentReview:
      return "document_review";
    case kUserManage:
      return "user_manage";
    case kAuditRead:
      return "audit_read";
    case kConfigure:
      return "configure";
    case kAggregateRead:
      return "aggregate_read";
    case kOrgRead:
      return "org_read";
    case kVaccinationWrite:
      return "vaccination_write";
    case kPersonExportFull:
      return "person_export_full";
    case kReminderSend:
      return "reminder_send";
    case kMaternalCare:
      return "maternal_care";
    case kInfectionRead:
      return "infection_read";
    case kPopulationSet:
      return "population_set";
    case kDiseaseReport:
      return "disease_report";
    case kDiseaseRead:
      return "disease_read";
    case kSignalRespond:
      return "signal_respond";
    case kHivTbCare:
      return "hiv_tb_care";
    case kMentalHealth:
      return "mental_health";
    case kPartnerAlert:
      return "partner_alert";
    case kNetworkWrite:
      return "network_write";
    case kEducationWrite:
      return "education_write";
    case kFamilyPlanning:
      return "family_planning";
  }
  return "";
}

std::optional<Permission> ParsePermission(std::string_view code) {
  for (Permission p : kAllPermissions) {
    if (PermissionCode(p) == code) return p;
  }
  return std::nullopt;
}

bool InScope(const Principal& principal, std::string_view person_residence_path) {
  return ScopeOf(principal).Covers(person_residence_path);
}

bool InImportScope(const Principal& principal, std::string_view person_residence_path) {
  return ImportScopeOf(principal).Covers(person_residence_path);
}

}  // namespace jd::auth
