// File: records/health_record.h
// The rules of a resident health record (居民健康档案) as this node keeps it: the record number,
// the checks of a record against its person, the reading of an API or command-line body, and
// whether (and why not) a person is entitled to a record. Pure functions of their arguments (the
// as-of date is explicit); no I/O.
//
// Record number (REFERENCE.md "Resident health records"; the layout is marked unconfirmed there
// and has not been checked against the 国家基本公共卫生服务规范 text): 17 digits = GB/T 2260 county
// code (6) + township/street (3) + village/community (3) + serial (5). The first 12 digits are the
// area of the person's residence: a community code as it is, a street code followed by "000", a
// county code followed by "000000". Serials run 00001–99999 within one area.
//
// Entitlement: 试点工作方案 §四(一) — a floating person who has lived here 6 months or more is
// entitled to a health record (registry::Evaluate, entitlements.health_record). A refusal names
// every failed rule that matters for it, one field error each.
#pragma once

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/dates.h"
#include "core/status.h"
#include "registry/eligibility.h"

namespace jd::records {

inline constexpr std::size_t kRecordNoDigits = 17;
inline constexpr std::size_t kAreaDigits = 12;
inline constexpr int kMaxSerial = 99999;

// One person's health record.
struct HealthRecord {
  std::string person_id;
  std::string record_no;    // 17 digits, unique in the city
  Date established_on{};    // 建档日期
  std::string clinic_code;  // the org unit (health centre or village clinic) that keeps it
  bool electronic = true;   // kept as an electronic record (电子健康档案)
  int version = 1;
  std::string created_at, created_by, updated_at, updated_by;
};

// The 12-digit area part of a record number for the org unit a person lives in: a 12-digit
// (community) code as it is, a 9-digit (street) code + "000", a 6-digit (county) code + "000000".
// nullopt for any other code (not all digits, or another length).
std::optional<std::string> RecordAreaOf(std::string_view residence_org);

// The record number of `serial` in `area`. REQUIRES: `area` is 12 digits, 1 <= serial <=
// kMaxSerial.
std::string FormatRecordNo(std::string_view area, int serial);

// Every problem with a record number given by a client, as field errors of `field`: not exactly 17
// ASCII digits ("invalid_format"), a county part that cannot be a GB/T 2260 code (first digit 0:
// "invalid_county"), serial 00000 ("invalid_serial"). Empty when the number is well-formed.
std::vector<FieldError> CheckRecordNo(std::string_view record_no,
                                      const std::string& field = "record_no");

// The serial of a well-formed number; nullopt otherwise.
std::optional<int> SerialOf(std::string_view record_no);

// The number after the highest one already used in `area` (none used: serial 1). A failed
// precondition when the area's serials are used up. REQUIRES: `area` is 12 digits.
Result<std::string> NextRecordNo(std::string_view area,
                                 const std::optional<std::string>& highest_in_area);

// The checks of a record against its person, added to `errors`: established_on present, not
// before the birth date ("before_birth") and not after `today` ("in_future"); a clinic
// ("clinic", "required"). `errors` may already hold errors of these fields (from reading the
// body); a field that already has one is not checked again.
void CheckRecord(const HealthRecord& record, Date birth_date, Date today, FieldErrors& errors);

// What an establish body or a patch says, field by field (absent: nullopt).
struct RecordInput {
  std::optional<std::string> record_no;
  std::optional<Date> established_on;
  std::optional<std::string> clinic;
  std::optional<bool> electronic;
  // The names of the fields given and not null, in key order (what an update changes).
  std::vector<std::string> given;
};

// Reads {record_no?, established_on?, clinic?, electronic?} from a JSON object. Types are checked
// (strings, a "YYYY-MM-DD" date, a boolean), strings trimmed; a given record_no is checked with
// CheckRecordNo. null counts as absent. Other members are ignored. Every problem is a field error.
// REQUIRES: body.is_object().
RecordInput ReadRecordInput(const nlohmann::json& body, FieldErrors& errors);

// Field errors that refuse a record to a person who is not entitled to one: one per failed rule
// among the floating-person definition and the 6-month rule ("eligibility.<rule>",
// "not_entitled", the rule's own explanation); the vaccination-file and service-document rules
// do not matter here. Empty when entitlements.health_record holds.
std::vector<FieldError> EntitlementRefusal(const registry::EligibilityResult& eligibility);

// Why a person is entitled, for the audit detail: "health_record_6_months since YYYY-MM-DD"
// (the day the 6 months were complete), or "" when not entitled.
std::string EntitlementBasis(const registry::EligibilityResult& eligibility);

}  // namespace jd::records
