#include "disease/card.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>
#include <span>

namespace jd::disease {

namespace {

using std::chrono::hours;

// One enum's codes in declaration order.
template <class E, std::size_t N>
std::optional<E> ParseCode(const std::array<std::string_view, N>& codes, std::string_view code) {
  for (std::size_t i = 0; i < N; ++i) {
    if (codes[i] == code) return static_cast<E>(i);
  }
  return std::nullopt;
}

constexpr std::array<std::string_view, 3> kSex{"male", "female", "unknown"};
constexpr std::array<std::string_view, 6> kBelongs{"this_county",    "other_county", "other_city",
                                                   "other_province", "hmt",          "foreign"};
constexpr std::array<std::string_view, 4> kCaseClass{"suspected", "clinical", "confirmed",
                                                     "carrier"};
constexpr std::array<std::string_view, 4> kChronicity{"", "acute", "chronic", "unknown"};
constexpr std::array<std::string_view, 6> kSiteKind{"",       "construction_site", "factory",
                                                    "market", "dormitory",         "other"};
constexpr std::array<std::string_view, 3> kStatus{"active", "deleted", "merged"};

constexpr std::array<std::string_view, 6> kHepatitisTypes{"a", "b", "c", "d", "e", "unclassified"};
constexpr std::array<std::string_view, 3> kAnthraxForms{"pulmonary", "cutaneous", "unclassified"};

bool In(std::string_view v, std::span<const std::string_view> set) {
  return std::find(set.begin(), set.end(), v) != set.end();
}

// 填卡说明: acute/chronic for hepatitis B and C, and schistosomiasis.
bool NeedsChronicity(const CardFields& c) {
  if (c.disease_code == "schistosomiasis") return true;
  return c.disease_code == "viral_hepatitis" &&
         (c.disease_subtype == "b" || c.disease_subtype == "c");
}

void Required(FieldErrors& errors, const std::string& value, const char* field, const char* zh,
              const char* en) {
  if (!value.empty()) return;
  errors.Add(field, "required", fmt::format("{}为必填项", zh), fmt::format("{} is required", en));
}

}  // namespace

std::string_view CardSexCode(CardSex v) { return kSex[static_cast<std::size_t>(v)]; }
std::string_view PatientBelongsCode(PatientBelongs v) {
  return kBelongs[static_cast<std::size_t>(v)];
}
std::string_view CaseClassCode(CaseClass v) { return kCaseClass[static_cast<std::size_t>(v)]; }
std::string_view ChronicityCode(Chronicity v) { return kChronicity[static_cast<std::size_t>(v)]; }
std::string_view WorkSiteKindCode(WorkSiteKind v) { return kSiteKind[static_cast<std::size_t>(v)]; }
std::string_view CardStatusCode(CardStatus v) { return kStatus[static_cast<std::size_t>(v)]; }
std::optional<CardSex> ParseCardSex(std::string_view code) {
  return ParseCode<CardSex>(kSex, code);
}
std::optional<PatientBelongs> ParsePatientBelongs(std::string_view code) {
  return ParseCode<PatientBelongs>(kBelongs, code);
}
std::optional<CaseClass> ParseCaseClass(std::string_view code) {
  return ParseCode<CaseClass>(kCaseClass, code);
}
std::optional<Chronicity> ParseChronicity(std::string_view code) {
  return ParseCode<Chronicity>(kChronicity, code);
}
std::optional<WorkSiteKind> ParseWorkSiteKind(std::string_view code) {
  return ParseCode<WorkSiteKind>(kSiteKind, code);
}
std::optional<CardStatus> ParseCardStatus(std::string_view code) {
  return ParseCode<CardStatus>(kStatus, code);
}

Date ShanghaiDate(Instant t) {
  auto days = std::chrono::floor<std::chrono::days>(t + hours(8));
  return Date{days};
}

std::optional<Instant> ParseInstant(std::string_view text) {
  if (text.ends_with("Z")) {
    if (auto t = ParseTimestamp(text)) return t;
    // Without seconds: "YYYY-MM-DDTHH:MMZ".
    if (text.size() == 17) return ParseTimestamp(std::string(text.substr(0, 16)) + ":00Z");
    return std::nullopt;
  }
  if (!text.ends_with("+08:00")) return std::nullopt;
  std::string local(text.substr(0, text.size() - 6));
  if (local.size() == 16) local += ":00";
  auto t = ParseTimestamp(local + "Z");
  if (!t) return std::nullopt;
  return *t - hours(8);
}

int ReportLimitHours(const NotifiableDisease& d, std::string_view subtype) {
  // 规范2015 报告时限: pulmonary anthrax is reported as Class A (2 h).
  if (d.entry && d.entry->code == "anthrax" && subtype == "pulmonary") return 2;
  return d.report_limit_hours;
}

bool IsLate(Instant diagnosed_at, Instant reported_at, int limit_hours) {
  return reported_at - diagnosed_at > hours(limit_hours);
}

bool NeedsHivTbCare(std::string_view disease_code) {
  return disease_code == "hiv_aids" || disease_code == "tuberculosis";
}

bool SamePerson(const Card& a, const Card& b) {
  if (!a.person_id.empty() && !b.person_id.empty()) return a.person_id == b.person_id;
  if (!a.fields.id_number.empty() && !b.fields.id_number.empty()) {
    return a.fields.id_number == b.fields.id_number;
  }
  return !a.fields.patient_name.empty() && a.fields.patient_name == b.fields.patient_name &&
         a.fields.birth_date && a.fields.birth_date == b.fields.birth_date;
}

bool IsDuplicate(const Card& a, const Card& b, int window_days) {
  if (a.id == b.id || a.fields.disease_code != b.fields.disease_code) return false;
  if (!SamePerson(a, b)) return false;
  int apart = DaysBetween(ShanghaiDate(a.fields.diagnosed_at), ShanghaiDate(b.fields.diagnosed_at));
  return std::abs(apart) <= window_days;
}

std::string WorkSiteKey(std::string_view name) {
  static constexpr std::array<std::string_view, 22> kDropped{
      "\u3000", "\u3001", "\u3002", "\uff0c", "\uff08", "\uff09", "\u00b7", "\u2014",
      "\uff1a", "\uff1b", "\u300a", "\u300b", "\u201c", "\u201d", "\uff0d", "\uff0e",
      "\u3010", "\u3011", "\uff01", "\uff1f", "\u2018", "\u2019"};
  std::string out;
  for (std::size_t i = 0; i < name.size();) {
    unsigned char ch = static_cast<unsigned char>(name[i]);
    if (ch < 0x80) {
      if (std::isalnum(ch)) out += static_cast<char>(std::tolower(ch));
      ++i;
      continue;
    }
    std::size_t len = ch >= 0xF0 ? 4 : ch >= 0xE0 ? 3 : 2;
    std::string_view cp = name.substr(i, len);
    // Full-width ASCII (U+FF10–U+FF5A letters and digits) reads as its half-width form.
    if (cp.size() == 3 && static_cast<unsigned char>(cp[0]) == 0xEF) {
      char32_t u = ((cp[0] & 0x0F) << 12) | ((cp[1] & 0x3F) << 6) | (cp[2] & 0x3F);
      if (u >= 0xFF10 && u <= 0xFF5A) {
        char a = static_cast<char>(u - 0xFEE0);
        if (std::isalnum(static_cast<unsigned char>(a))) {
          out += static_cast<char>(std::tolower(static_cast<unsigned char>(a)));
          i += len;
          continue;
        }
      }
    }
    if (!In(cp, kDropped)) out += cp;
    i += len;
  }
  return out;
}

std::vector<FieldError> ValidateCard(const CardFields& c, const DiseaseCatalogue& catalogue,
                                     Instant as_of) {
  FieldErrors errors;
  const Date today = ShanghaiDate(as_of);
  // 规范2015 附件 填卡说明: the fields every card carries.
  Required(errors, c.patient_name, "patient_name", "患者姓名", "patient_name");
  Required(errors, c.current_address, "current_address", "现住址", "current_address");
  Required(errors, c.address_unit, "address_unit", "现住址所属单位", "address_unit");
  Required(errors, c.occupation, "occupation", "人群分类（职业）", "occupation");
  Required(errors, c.disease_code, "disease_code", "疾病名称", "disease_code");
  Required(errors, c.reporting_unit, "reporting_unit", "报告单位", "reporting_unit");
  Required(errors, c.reporting_doctor, "reporting_doctor", "报告医生", "reporting_doctor");
  if (!c.birth_date && !c.age_years) {
    errors.Add("birth_date", "required", "出生日期或实足年龄必填其一",
               "give the birth date or the age in years");
  }

  // 填卡说明 发病日期、诊断日期、报告日期: onset ≤ diagnosis ≤ report, none in the future.
  const Date diagnosed_on = ShanghaiDate(c.diagnosed_at);
  if (today < c.onset_date) {
    errors.Add("onset_date", "in_future", "发病日期晚于今天", "the onset date is in the future");
  } else if (diagnosed_on < c.onset_date) {
    errors.Add("onset_date", "after_diagnosis", "发病日期晚于诊断日期",
               "the onset date is after the diagnosis");
  }
  if (as_of < c.diagnosed_at) {
    errors.Add("diagnosed_at", "in_future", "诊断时间晚于当前时间",
               "the diagnosis time is in the future");
  } else if (c.reported_at < c.diagnosed_at) {
    errors.Add("diagnosed_at", "after_report", "诊断时间晚于报告时间",
               "the diagnosis is after the report");
  }
  if (as_of < c.reported_at) {
    errors.Add("reported_at", "in_future", "报告时间晚于当前时间",
               "the report time is in the future");
  }
  if (c.death_date) {
    if (today < *c.death_date) {
      errors.Add("death_date", "in_future", "死亡日期晚于今天", "the death date is in the future");
    } else if (*c.death_date < c.onset_date) {
      errors.Add("death_date", "before_onset", "死亡日期早于发病日期",
                 "the death date is before the onset");
    }
  }

  // Age 0–150; the parent's name for a child under 14.
  std::optional<int> age = c.age_years;
  if (c.birth_date) {
    if (c.onset_date < *c.birth_date) {
      errors.Add("birth_date", "after_onset", "出生日期晚于发病日期",
                 "the birth date is after the onset");
    } else {
      age = AgeInYears(*c.birth_date, c.onset_date);
    }
  }
  if (age && (*age < 0 || *age > 150)) {
    errors.Add(c.birth_date ? "birth_date" : "age_years", "age_out_of_range",
               "年龄应在 0–150 岁之间", "the age must be from 0 to 150 years");
  } else if (age && *age < 14 && c.parent_name.empty()) {
    errors.Add("parent_name", "required", "14岁以下患儿须填写患者家长姓名",
               "the parent's name is required for a child under 14");
  }

  // The disease as listed on the day of the diagnosis, its subtype and chronicity.
  if (!c.disease_code.empty()) {
    auto d = catalogue.Find(c.disease_code, diagnosed_on);
    if (!d.ok()) {
      errors.Add("disease_code", "unknown_disease",
                 fmt::format("诊断日期{}时不是法定报告传染病：{}", FormatDate(diagnosed_on),
                             c.disease_code),
                 fmt::format("not a notifiable disease on {}: {}", FormatDate(diagnosed_on),
                             c.disease_code));
    }
  }
  if (c.disease_code == "viral_hepatitis") {
    if (!In(c.disease_subtype, kHepatitisTypes)) {
      errors.Add("disease_subtype", c.disease_subtype.empty() ? "required" : "invalid_value",
                 "病毒性肝炎须填写分型：a、b、c、d、e 或 unclassified（未分型）",
                 "viral hepatitis needs its type: a, b, c, d, e or unclassified");
    }
  } else if (c.disease_code == "anthrax") {
    if (!c.disease_subtype.empty() && !In(c.disease_subtype, kAnthraxForms)) {
      errors.Add("disease_subtype", "invalid_value",
                 "炭疽分型应为 pulmonary（肺炭疽）、cutaneous（皮肤炭疽）或 unclassified",
                 "anthrax form must be pulmonary, cutaneous or unclassified");
    }
  } else if (!c.disease_subtype.empty()) {
    errors.Add("disease_subtype", "not_applicable", "该疾病无分型",
               "this disease takes no subtype");
  }
  if (NeedsChronicity(c)) {
    if (c.chronicity == Chronicity::kNone) {
      errors.Add("chronicity", "required", "乙型肝炎、丙型肝炎、血吸虫病须填写急性或慢性",
                 "hepatitis B, hepatitis C and schistosomiasis need acute, chronic or unknown");
    }
  } else if (c.chronicity != Chronicity::kNone && !c.disease_code.empty()) {
    errors.Add("chronicity", "not_applicable", "仅乙型肝炎、丙型肝炎、血吸虫病填写急性或慢性",
               "only hepatitis B, hepatitis C and schistosomiasis take acute or chronic");
  }

  // A work site is a kind and a name together.
  if (c.work_site_kind != WorkSiteKind::kNone && c.work_site_name.empty()) {
    errors.Add("work_site_name", "required", "已填写工作场所类型，须填写场所名称",
               "the work site's name is required with its kind");
  } else if (c.work_site_kind == WorkSiteKind::kNone && !c.work_site_name.empty()) {
    errors.Add("work_site_kind", "required", "已填写工作场所名称，须填写场所类型",
               "the work site's kind is required with its name");
  }
  return errors.errors();
}

}  // namespace jd::disease
