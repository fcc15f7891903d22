#include "records/health_record.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "core/input.h"

namespace jd::records {

namespace {

using nlohmann::json;

bool AllDigits(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

}  // namespace

std::optional<std::string> RecordAreaOf(std::string_view residence_org) {
  if (!AllDigits(residence_org)) return std::nullopt;
  switch (residence_org.size()) {
    case 12:
      return std::string(residence_org);
    case 9:
      return std::string(residence_org) + "000";
    case 6:
      return std::string(residence_org) + "000000";
    default:
      return std::nullopt;
  }
}

std::string FormatRecordNo(std::string_view area, int serial) {
  return fmt::format("{}{:05d}", area, serial);
}

std::vector<FieldError> CheckRecordNo(std::string_view record_no, const std::string& field) {
  std::vector<FieldError> out;
  if (record_no.size() != kRecordNoDigits || !AllDigits(record_no)) {
    out.push_back({field, "invalid_format",
                   "健康档案编号应为17位数字（县6位+乡镇3位+村3位+序号5位）",
                   "record_no must be 17 digits (county 6, township 3, village 3, serial 5)"});
    return out;
  }
  // GB/T 2260 province codes run from 11 to 82: a county code never starts with 0.
  if (record_no[0] == '0') {
    out.push_back({field, "invalid_county", "健康档案编号的前6位应为县级行政区划代码",
                   "the first 6 digits of record_no must be a county code (GB/T 2260)"});
  }
  if (record_no.substr(kAreaDigits) == "00000") {
    out.push_back({field, "invalid_serial", "健康档案编号的序号（后5位）不能为00000",
                   "the serial (last 5 digits) of record_no cannot be 00000"});
  }
  return out;
}

std::optional<int> SerialOf(std::string_view record_no) {
  if (!CheckRecordNo(record_no).empty()) return std::nullopt;
  int serial = 0;
  for (char c : record_no.substr(kAreaDigits)) serial = serial * 10 + (c - '0');
  return serial;
}

Result<std::string> NextRecordNo(std::string_view area,
                                 const std::optional<std::string>& highest_in_area) {
  int next = 1;
  if (highest_in_area) {
    // A malformed number cannot be in the area's range; count it as none.
    next = SerialOf(*highest_in_area).value_or(0) + 1;
  }
  if (next > kMaxSerial) {
    return Status::FailedPrecondition(
        fmt::format("the record numbers of area {} are used up; give record_no", area),
        fmt::format("区域 {} 的健康档案编号已用完，请填写档案编号", area));
  }
  return FormatRecordNo(area, next);
}

void CheckRecord(const HealthRecord& record, Date birth_date, Date today, FieldErrors& errors) {
  if (!errors.Has("established_on")) {
    if (!record.established_on.ok()) {
      errors.Add("established_on", "required", "建档日期为必填项", "established_on is required");
    } else if (auto e = CheckDate(record.established_on, DateKind::kPastEvent, today,
                                  "established_on", "建档日期", birth_date)) {
      errors.Add(std::move(*e));
    }
  }
  if (record.clinic_code.empty() && !errors.Has("clinic")) {
    errors.Add("clinic", "required", "建档机构为必填项（机构代码）",
               "clinic is required (the org code of the clinic that keeps the record)");
  }
}

RecordInput ReadRecordInput(const json& body, FieldErrors& errors) {
  RecordInput in;
  for (auto it = body.begin(); it != body.end(); ++it) {
    const std::string& key = it.key();
    bool known =
        key == "record_no" || key == "established_on" || key == "clinic" || key == "electronic";
    if (known && !it->is_null()) {
      in.given.push_back(key);
    }
  }
  if (auto no = OptionalTextMember(body, "record_no", FieldKind::kNumber, errors)) {
    auto problems = CheckRecordNo(*no);
    if (problems.empty()) {
      in.record_no = *no;
    } else {
      errors.Append(problems);
    }
  }
  if (auto text = OptionalTextMember(body, "established_on", FieldKind::kCode, errors)) {
    if (auto d = ParseDate(*text)) {
      in.established_on = d;
    } else {
      errors.Add("established_on", "invalid_date", "建档日期不是有效日期（YYYY-MM-DD）",
                 "established_on is not a valid date (YYYY-MM-DD)");
    }
  }
  if (auto clinic = OptionalTextMember(body, "clinic", FieldKind::kCode, errors))
    in.clinic = *clinic;
  auto e = body.find("electronic");
  if (e != body.end() && !e->is_null()) {
    if (e->is_boolean()) {
      in.electronic = e->get<bool>();
    } else {
      errors.Add("electronic", "wrong_type", "electronic 应为 true 或 false",
                 "electronic must be true or false");
    }
  }
  return in;
}

std::vector<FieldError> EntitlementRefusal(const registry::EligibilityResult& eligibility) {
  std::vector<FieldError> out;
  if (eligibility.entitlements.health_record) return out;
  for (const auto& rule : eligibility.rules) {
    if (rule.passed || rule.rule == registry::kRuleVaccinationFileChild0To6 ||
        rule.rule == registry::kRuleServiceDocument) {
      continue;
    }
    out.push_back({"eligibility." + rule.rule, "not_entitled", rule.detail_zh, rule.detail_en});
  }
  if (out.empty()) {
    out.push_back({"eligibility", "not_entitled", "此人不具备建立健康档案的条件",
                   "the person is not entitled to a health record"});
  }
  return out;
}

std::string EntitlementBasis(const registry::EligibilityResult& eligibility) {
  if (!eligibility.entitlements.health_record) return {};
  for (const auto& rule : eligibility.rules) {
    if (rule.rule != registry::kRuleHealthRecord6Months) continue;
    auto q = rule.dates.find("qualifies_on");
    return rule.rule + (q == rule.dates.end() ? std::string() : " since " + q->second);
  }
  return registry::kRuleHealthRecord6Months;
}

}  // namespace jd::records
