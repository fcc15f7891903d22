#include "disease/card_json.h"

#include <fmt/format.h>

#include "core/input.h"

namespace jd::disease {

namespace {

using nlohmann::json;

// A code member read with `parse`; "" (absent) is `absent` when given, else "required".
template <class E, class Parse>
E CodeMember(const json& j, const char* key, Parse parse, std::optional<E> absent, E fallback,
             const char* label_zh, const char* allowed, FieldErrors& errors) {
  std::string code = TextMember(j, key, FieldKind::kCode, errors, label_zh);
  if (errors.Has(key)) return fallback;
  if (code.empty() && absent) return *absent;
  if (auto v = parse(code)) return *v;
  errors.Add(key, code.empty() ? "required" : "invalid_value",
             fmt::format("{}应为 {}", label_zh, allowed),
             fmt::format("{} must be one of {}", key, allowed));
  return fallback;
}

std::optional<Instant> InstantMember(const json& j, const char* key, FieldErrors& errors) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null() || (it->is_string() && it->get<std::string>().empty())) {
    return std::nullopt;
  }
  std::optional<Instant> t;
  if (it->is_string()) t = ParseInstant(it->get<std::string>());
  if (!t) {
    errors.Add(key, "invalid_time", fmt::format("{} 应为 YYYY-MM-DDTHH:MM:SS+08:00 格式", key),
               fmt::format("{} must be a time YYYY-MM-DDTHH:MM:SS+08:00 (or …Z)", key));
  }
  return t;
}

json DateOrNull(const std::optional<Date>& d) { return d ? json(FormatDate(*d)) : json(); }

}  // namespace

CardFields FieldsFromJson(const json& j, Instant now, FieldErrors& errors) {
  CardFields f;
  const Date today = ShanghaiDate(now);
  f.patient_name = TextMember(j, "patient_name", FieldKind::kName, errors, "患者姓名");
  f.parent_name = TextMember(j, "parent_name", FieldKind::kName, errors, "患者家长姓名");
  f.id_number = TextMember(j, "id_number", FieldKind::kNumber, errors, "有效证件号");
  for (char& ch : f.id_number) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  f.sex = CodeMember<CardSex>(j, "sex", ParseCardSex, std::nullopt, CardSex::kUnknown, "性别",
                              "male, female, unknown", errors);
  f.birth_date = DateMember(j, "birth_date", DateKind::kAsOf, today, Presence::kOptional, errors);
  if (auto it = j.find("age_years"); it != j.end() && !it->is_null()) {
    if (it->is_number_integer()) {
      f.age_years = it->get<int>();
    } else {
      errors.Add("age_years", "wrong_type", "实足年龄应为整数", "age_years must be an integer");
    }
  }
  f.employer = TextMember(j, "employer", FieldKind::kShortText, errors, "工作单位（学校）");
  f.phone = TextMember(j, "phone", FieldKind::kPhone, errors, "联系电话");
  f.patient_belongs = CodeMember<PatientBelongs>(
      j, "patient_belongs", ParsePatientBelongs, std::nullopt, PatientBelongs::kThisCounty,
      "病人属于", "this_county, other_county, other_city, other_province, hmt, foreign", errors);
  f.current_address = TextMember(j, "current_address", FieldKind::kAddress, errors, "现住址");
  f.address_unit = TextMember(j, "address_unit", FieldKind::kCode, errors, "现住址所属单位");
  f.occupation = TextMember(j, "occupation", FieldKind::kShortText, errors, "人群分类");
  f.work_site_kind = CodeMember<WorkSiteKind>(
      j, "work_site_kind", ParseWorkSiteKind, WorkSiteKind::kNone, WorkSiteKind::kNone,
      "工作场所类型", "construction_site, factory, market, dormitory, other", errors);
  f.work_site_name = TextMember(j, "work_site_name", FieldKind::kAddress, errors, "工作场所名称");
  f.disease_code = TextMember(j, "disease_code", FieldKind::kCode, errors, "疾病名称");
  f.disease_subtype = TextMember(j, "disease_subtype", FieldKind::kCode, errors, "疾病分型");
  f.case_class =
      CodeMember<CaseClass>(j, "case_class", ParseCaseClass, std::nullopt, CaseClass::kConfirmed,
                            "病例分类", "suspected, clinical, confirmed, carrier", errors);
  f.chronicity =
      CodeMember<Chronicity>(j, "chronicity", ParseChronicity, Chronicity::kNone, Chronicity::kNone,
                             "急性/慢性", "acute, chronic, unknown", errors);
  auto onset = DateMember(j, "onset_date", DateKind::kAsOf, today, Presence::kRequired, errors);
  f.onset_date = onset.value_or(today);
  auto diagnosed = InstantMember(j, "diagnosed_at", errors);
  if (!diagnosed && !errors.Has("diagnosed_at")) {
    errors.Add("diagnosed_at", "required", "诊断时间为必填项", "diagnosed_at is required");
  }
  f.diagnosed_at = diagnosed.value_or(now);
  f.death_date = DateMember(j, "death_date", DateKind::kAsOf, today, Presence::kOptional, errors);
  f.reported_at = InstantMember(j, "reported_at", errors).value_or(now);
  f.reporting_unit = TextMember(j, "reporting_unit", FieldKind::kCode, errors, "报告单位");
  f.reporting_doctor = TextMember(j, "reporting_doctor", FieldKind::kName, errors, "报告医生");
  f.notes = TextMember(j, "notes", FieldKind::kNote, errors, "备注");
  return f;
}

json FieldsToJson(const CardFields& f) {
  return {{"patient_name", f.patient_name},
          {"parent_name", f.parent_name},
          {"id_number", f.id_number},
          {"sex", CardSexCode(f.sex)},
          {"birth_date", DateOrNull(f.birth_date)},
          {"age_years", f.age_years ? json(*f.age_years) : json()},
          {"employer", f.employer},
          {"phone", f.phone},
          {"patient_belongs", PatientBelongsCode(f.patient_belongs)},
          {"current_address", f.current_address},
          {"address_unit", f.address_unit},
          {"occupation", f.occupation},
          {"work_site_kind", WorkSiteKindCode(f.work_site_kind)},
          {"work_site_name", f.work_site_name},
          {"disease_code", f.disease_code},
          {"disease_subtype", f.disease_subtype},
          {"case_class", CaseClassCode(f.case_class)},
          {"chronicity", ChronicityCode(f.chronicity)},
          {"onset_date", FormatDate(f.onset_date)},
          {"diagnosed_at", FormatTimestamp(f.diagnosed_at)},
          {"death_date", DateOrNull(f.death_date)},
          {"reported_at", FormatTimestamp(f.reported_at)},
          {"reporting_unit", f.reporting_unit},
          {"reporting_doctor", f.reporting_doctor},
          {"notes", f.notes}};
}

json CardToJson(const Card& c) {
  json j = FieldsToJson(c.fields);
  j["id"] = c.id;
  j["person_id"] = c.person_id.empty() ? json() : json(c.person_id);
  j["residence_path"] = c.residence_path;
  j["district_code"] = c.district_code;
  j["work_site_key"] = c.work_site_key;
  j["late"] = c.late;
  j["status"] = CardStatusCode(c.status);
  j["status_reason"] = c.status_reason;
  j["merged_into"] = c.merged_into.empty() ? json() : json(c.merged_into);
  j["version"] = c.version;
  j["created_at"] = c.created_at;
  j["created_by"] = c.created_by;
  j["updated_at"] = c.updated_at;
  j["updated_by"] = c.updated_by;
  return j;
}

std::optional<Card> CardFromJson(const json& j, Instant now) {
  if (!j.is_object() || !j.contains("id")) return std::nullopt;
  FieldErrors ignored;
  Card c;
  c.fields = FieldsFromJson(j, now, ignored);
  c.id = j.value("id", "");
  if (j.value("person_id", json()).is_string()) c.person_id = j["person_id"].get<std::string>();
  c.residence_path = j.value("residence_path", "");
  c.district_code = j.value("district_code", "");
  c.work_site_key = j.value("work_site_key", "");
  c.late = j.value("late", false);
  c.status = ParseCardStatus(j.value("status", "active")).value_or(CardStatus::kActive);
  c.status_reason = j.value("status_reason", "");
  if (j.value("merged_into", json()).is_string())
    c.merged_into = j["merged_into"].get<std::string>();
  c.version = j.value("version", 1);
  c.created_at = j.value("created_at", "");
  c.created_by = j.value("created_by", "");
  c.updated_at = j.value("updated_at", "");
  c.updated_by = j.value("updated_by", "");
  return c;
}

std::string BeforeImage(const Card& card) { return CardToJson(card).dump(); }

std::optional<Card> ReadBeforeImage(const std::string& text, Instant now) {
  return CardFromJson(json::parse(text, nullptr, /*allow_exceptions=*/false), now);
}

}  // namespace jd::disease
