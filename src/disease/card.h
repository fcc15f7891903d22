// File: disease/card.h
// The infectious-disease case report (传染病报告卡, 传染病信息报告管理规范 2015 附件
// "中华人民共和国 传染病报告卡") as a typed struct, and the pure rules over it: validation,
// timeliness and the duplicate rule. No I/O; thread-safe.
//
// ValidateCard(fields, catalogue, as_of): every problem with `fields` as field errors (JSON field
//   names, Chinese and English messages); empty when the card may be saved. Rules:
//   - Required (规范2015 附件 填卡说明): patient_name, sex, patient_belongs, current_address,
//     address_unit, occupation, disease_code, case_class, onset_date, diagnosed_at,
//     reporting_unit, reporting_doctor; birth_date or age_years (实足年龄, when the birth date is
//     not known).
//   - Dates (填卡说明 发病日期、诊断日期、报告日期): onset date ≤ the diagnosis date ≤ the report;
//     nothing after `as_of` (the onset and death dates not after its Asia/Shanghai date, the
//     diagnosis and report instants not after it); birth date ≤ onset date; a death date not
//     before the onset.
//   - Age 0–150 (at the onset, from the birth date; or age_years as given).
//   - 患者家长姓名 required for a child under 14 at the onset (填卡说明; the reference's reading of
//     the card, "parent's name (<14 y)").
//   - The disease code must be notifiable on the Asia/Shanghai date of the diagnosis
//     (DiseaseCatalogue::Find); unknown or not yet / no longer listed: "unknown_disease".
//   - 病毒性肝炎 (viral_hepatitis) needs disease_subtype a, b, c, d, e or unclassified (the card's
//     甲/乙/丙/丁/戊/未分型); 炭疽 (anthrax) takes pulmonary, cutaneous or unclassified (optional);
//     other diseases take none.
//   - Chronicity (急性/慢性, 填卡说明: 乙型肝炎、丙型肝炎、血吸虫病填写) is required — acute,
//   chronic
//     or unknown — for hepatitis B and C (viral_hepatitis with subtype b or c) and schistosomiasis,
//     and must be empty for every other disease.
//   - A work site kind and name come together (neither, or both).
// ReportLimitHours(disease, subtype): 2 for Class A, Class B managed as Class A, and pulmonary
//   anthrax (规范2015 报告时限: 甲类及按甲类管理的乙类传染病 2 小时内); 24 otherwise.
// IsLate(diagnosed_at, reported_at, limit_hours): the report came more than `limit_hours` after
//   the diagnosis (exactly the limit is on time).
// NeedsHivTbCare(disease_code): HIV/AIDS and pulmonary tuberculosis cards, which only holders of
//   hiv_tb_care read (auth decides who holds it).
// SamePerson(a, b) / IsDuplicate(a, b, window_days): the duplicate rule (规范2015 报告数据管理:
//   县级疾控机构 对重复报告的卡片进行查重): the same person — the registry person when both are
//   linked, else the same ID number when both have one, else the same name and birth date — the
//   same disease, and diagnoses at most `window_days` (default kDuplicateWindowDays = 30; our
//   policy) apart by Asia/Shanghai date.
// WorkSiteKey(name): the normalised work-site name the cluster rule groups by: ASCII lower-cased,
//   whitespace and punctuation (ASCII and full-width) removed; "" for "".
// ShanghaiDate(t): the Asia/Shanghai civil date of an instant.
// ParseInstant(text): "YYYY-MM-DDTHH:MM[:SS[.mmm]]" followed by "Z" or "+08:00"; nullopt otherwise.
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/dates.h"
#include "core/status.h"
#include "disease/catalogue.h"

namespace jd::disease {

using Instant = std::chrono::system_clock::time_point;

enum class CardSex { kMale, kFemale, kUnknown };
// 病人属于: 本县区 / 本市其他县区 / 本省其它地市 / 外省 / 港澳台 / 外籍.
enum class PatientBelongs { kThisCounty, kOtherCounty, kOtherCity, kOtherProvince, kHmt, kForeign };
enum class CaseClass { kSuspected, kClinical, kConfirmed, kCarrier };
enum class Chronicity { kNone, kAcute, kChronic, kUnknown };
enum class WorkSiteKind { kNone, kConstructionSite, kFactory, kMarket, kDormitory, kOther };
enum class CardStatus { kActive, kDeleted, kMerged };

// Stable codes as stored (migration 0020) and sent to clients; Parse* is each one's inverse.
std::string_view CardSexCode(CardSex v);
std::string_view PatientBelongsCode(PatientBelongs v);
std::string_view CaseClassCode(CaseClass v);
std::string_view ChronicityCode(Chronicity v);      // "" for kNone
std::string_view WorkSiteKindCode(WorkSiteKind v);  // "" for kNone
std::string_view CardStatusCode(CardStatus v);
std::optional<CardSex> ParseCardSex(std::string_view code);
std::optional<PatientBelongs> ParsePatientBelongs(std::string_view code);
std::optional<CaseClass> ParseCaseClass(std::string_view code);
std::optional<Chronicity> ParseChronicity(std::string_view code);
std::optional<WorkSiteKind> ParseWorkSiteKind(std::string_view code);
std::optional<CardStatus> ParseCardStatus(std::string_view code);

// What the reporter fills in.
struct CardFields {
  std::string patient_name, parent_name, id_number;
  CardSex sex = CardSex::kUnknown;
  std::optional<Date> birth_date;
  std::optional<int> age_years;
  std::string employer, phone;
  PatientBelongs patient_belongs = PatientBelongs::kThisCounty;
  std::string current_address;
  std::string address_unit;  // org code of the unit of the current address
  std::string occupation;
  WorkSiteKind work_site_kind = WorkSiteKind::kNone;
  std::string work_site_name;
  std::string disease_code, disease_subtype;
  CaseClass case_class = CaseClass::kConfirmed;
  Chronicity chronicity = Chronicity::kNone;
  Date onset_date{};
  Instant diagnosed_at{};
  std::optional<Date> death_date;
  Instant reported_at{};
  std::string reporting_unit, reporting_doctor, notes;
};

// A saved card: the fields and what the system derived and keeps.
struct Card {
  std::string id;
  std::string person_id;  // the registry person, when one was linked
  CardFields fields;
  std::string residence_path;  // path of fields.address_unit
  std::string district_code;   // the district of that path
  std::string work_site_key;
  bool late = false;
  CardStatus status = CardStatus::kActive;
  std::string status_reason, merged_into;
  int version = 1;
  std::string created_at, created_by, updated_at, updated_by;
};

inline constexpr int kDuplicateWindowDays = 30;

std::vector<FieldError> ValidateCard(const CardFields& c, const DiseaseCatalogue& catalogue,
                                     Instant as_of);
int ReportLimitHours(const NotifiableDisease& d, std::string_view subtype);
bool IsLate(Instant diagnosed_at, Instant reported_at, int limit_hours);
bool NeedsHivTbCare(std::string_view disease_code);
bool SamePerson(const Card& a, const Card& b);
bool IsDuplicate(const Card& a, const Card& b, int window_days = kDuplicateWindowDays);
std::string WorkSiteKey(std::string_view name);
Date ShanghaiDate(Instant t);
std::optional<Instant> ParseInstant(std::string_view text);

}  // namespace jd::disease
