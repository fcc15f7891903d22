#include "registry/eligibility.h"

#include <fmt/format.h>

#include <array>
#include <nlohmann/json.hpp>
#include <string_view>
#include <utility>

#include "registry/codes.h"

namespace jd::registry {

namespace {

using nlohmann::json;

// ---- String forms of the enums (the JSON spellings of the API) ----

template <typename E>
struct EnumName {
  E value;
  const char* name;
};

constexpr std::array<EnumName<MoveReason>, 11> kMoveReasons{{
    {MoveReason::kWork, "work"},
    {MoveReason::kBusiness, "business"},
    {MoveReason::kFamily, "family"},
    {MoveReason::kMarriage, "marriage"},
    {MoveReason::kStudy, "study"},
    {MoveReason::kMedical, "medical"},
    {MoveReason::kTravel, "travel"},
    {MoveReason::kVisit, "visit"},
    {MoveReason::kMilitary, "military"},
    {MoveReason::kBusinessTrip, "business_trip"},
    {MoveReason::kOther, "other"},
}};

constexpr std::array<EnumName<DocumentType>, 5> kDocumentTypes{{
    {DocumentType::kResidencePermit, "residence_permit"},
    {DocumentType::kResidenceCertificate, "residence_certificate"},
    {DocumentType::kHukouOrId, "hukou_or_id"},
    {DocumentType::kMarriageFertilityCertificate, "marriage_fertility_certificate"},
    {DocumentType::kOther, "other"},
}};

constexpr std::array<EnumName<DocumentStatus>, 3> kDocumentStatuses{{
    {DocumentStatus::kPending, "pending"},
    {DocumentStatus::kApproved, "approved"},
    {DocumentStatus::kRejected, "rejected"},
}};

template <typename E, std::size_t N>
std::optional<E> EnumFromName(const std::array<EnumName<E>, N>& table, std::string_view name) {
  for (const auto& entry : table)
    if (name == entry.name) return entry.value;
  return std::nullopt;
}

template <typename E, std::size_t N>
std::string AllowedNames(const std::array<EnumName<E>, N>& table) {
  std::string out;
  for (const auto& entry : table) {
    if (!out.empty()) out += "|";
    out += entry.name;
  }
  return out;
}

// ---- Human-readable names used in the details ----

struct Words {
  const char* zh;
  const char* en;
};

Words ReasonWords(MoveReason r) {
  switch (r) {
    case MoveReason::kWork:
      return {"务工", "work"};
    case MoveReason::kBusiness:
      return {"经商", "business"};
    case MoveReason::kFamily:
      return {"随迁家属", "accompanying family"};
    case MoveReason::kMarriage:
      return {"婚嫁", "marriage"};
    case MoveReason::kStudy:
      return {"上中等以上学校", "study at secondary school or above"};
    case MoveReason::kMedical:
      return {"就医", "medical treatment"};
    case MoveReason::kTravel:
      return {"旅游", "tourism"};
    case MoveReason::kVisit:
      return {"探亲访友", "visiting relatives or friends"};
    case MoveReason::kMilitary:
      return {"现役军人", "active military service"};
    case MoveReason::kBusinessTrip:
      return {"出差", "business trip"};
    case MoveReason::kOther:
      return {"其他", "other reasons"};
  }
  return {"未知", "unknown"};
}

Words DocumentWords(DocumentType t) {
  switch (t) {
    case DocumentType::kResidencePermit:
      return {"居住证", "residence permit"};
    case DocumentType::kResidenceCertificate:
      return {"居住证明", "police residence certificate"};
    case DocumentType::kHukouOrId:
      return {"户口本/身份证", "hukou book or ID card"};
    case DocumentType::kMarriageFertilityCertificate:
      return {"流动人口婚育证明", "marriage and fertility certificate for migrants"};
    case DocumentType::kOther:
      return {"其他有效证件", "other valid document"};
  }
  return {"未知证件", "unknown document"};
}

std::string Join(const std::vector<std::string>& parts, std::string_view sep) {
  std::string out;
  for (const auto& p : parts) {
    if (!out.empty()) out += sep;
    out += p;
  }
  return out;
}

// ---- The rules ----

// "离开户籍地县域30日以上" / "流入现居住地30日以上": N days counted as as_of - start, and "N日以上"
// includes N itself (民法典 第1259条), so starting exactly N days before the as-of date qualifies.
struct DaysRuleText {
  const char* what_zh;   // "离开户籍地"
  const char* what_en;   // "left the hukou county"
  const char* verb_zh;   // "离开"
  const char* verb_en;   // "left"
  const char* start_en;  // "the date of leaving the hukou county"
};

RuleOutcome DaysRule(const char* name, const Date& start, const char* start_key, const Date& as_of,
                     int min_days, const DaysRuleText& t) {
  RuleOutcome r;
  r.rule = name;
  int days = DaysBetween(start, as_of);
  Date qualifies_on = AddDays(start, min_days);
  r.passed = days >= min_days;
  r.dates = {{"as_of", FormatDate(as_of)},
             {start_key, FormatDate(start)},
             {"qualifies_on", FormatDate(qualifies_on)}};
  if (days < 0) {
    r.detail_zh = fmt::format("{}日期{}晚于认定日期{}，未满{}日", t.what_zh, FormatDate(start),
                              FormatDate(as_of), min_days);
    r.detail_en = fmt::format("{} ({}) is after the as-of date ({}), fewer than {} days",
                              t.start_en, FormatDate(start), FormatDate(as_of), min_days);
  } else if (r.passed) {
    r.detail_zh = fmt::format("{}{}日，已满{}日（{}{}）", t.what_zh, days, min_days,
                              FormatDate(start), t.verb_zh);
    r.detail_en = fmt::format("{} {} days ago, at least {} ({} on {})", t.what_en, days, min_days,
                              t.verb_en, FormatDate(start));
  } else {
    r.detail_zh = fmt::format("{}{}日，未满{}日（{}{}，{}起满{}日）", t.what_zh, days, min_days,
                              FormatDate(start), t.verb_zh, FormatDate(qualifies_on), min_days);
    r.detail_en = fmt::format("{} {} days ago, fewer than {} ({} on {}; {} days are reached on {})",
                              t.what_en, days, min_days, t.verb_en, FormatDate(start), min_days,
                              FormatDate(qualifies_on));
  }
  return r;
}

// 实施办法 §三(一): 离开户籍地县域30日以上.
RuleOutcome LeftHukouRule(const EligibilityFacts& f, const EligibilityPolicy& p) {
  static constexpr DaysRuleText kText{"离开户籍地", "left the hukou county", "离开", "left",
                                      "the date of leaving the hukou county"};
  static constexpr DaysRuleText kFallbackText{"离开户籍地", "left the hukou county", "到达本地",
                                              "arrived here", "the arrival date"};
  if (f.left_hukou_on) {
    return DaysRule(kRuleLeftHukou30Days, *f.left_hukou_on, "left_hukou_on", f.as_of,
                    p.min_days_away, kText);
  }
  // One cannot arrive before leaving, so the arrival date is the latest possible leaving date: a
  // count from it never overstates the time away.
  RuleOutcome r = DaysRule(kRuleLeftHukou30Days, f.arrived_on, "arrived_on", f.as_of,
                           p.min_days_away, kFallbackText);
  r.detail_zh = "未登记离开户籍地日期，按到达本地日期计算：" + r.detail_zh;
  r.detail_en = "no date of leaving the hukou county is recorded; counted from the arrival date: " +
                r.detail_en;
  return r;
}

// 实施办法 §三(一): 流入现居住地30日以上.
RuleOutcome ResidentRule(const EligibilityFacts& f, const EligibilityPolicy& p) {
  static constexpr DaysRuleText kText{"流入现居住地", "arrived here", "到达", "arrived",
                                      "the arrival date"};
  return DaysRule(kRuleResident30Days, f.arrived_on, "arrived_on", f.as_of, p.min_days_here, kText);
}

// 实施办法 §三(一): 以工作、生活为目的; 婚嫁人员除外; 因出差、就医、旅游、探亲、访友、现役军人、
// 上中等以上学校等人口除外. Work, business and accompanying family are work or life; "other" is
// not among the listed exclusions, so it passes.
RuleOutcome PurposeRule(const EligibilityFacts& f) {
  RuleOutcome r;
  r.rule = kRulePurposeWorkOrLife;
  r.dates = {{"as_of", FormatDate(f.as_of)}};
  Words w = ReasonWords(f.reason);
  const char* excluded_zh = nullptr;
  const char* excluded_en = nullptr;
  switch (f.reason) {
    case MoveReason::kWork:
    case MoveReason::kBusiness:
    case MoveReason::kFamily:
    case MoveReason::kOther:
      break;
    case MoveReason::kMarriage:
      excluded_zh = "婚嫁人员除外";
      excluded_en = "people who move for marriage are excluded";
      break;
    case MoveReason::kBusinessTrip:
      excluded_zh = "因出差居住的人口除外";
      excluded_en = "people here on a business trip are excluded";
      break;
    case MoveReason::kMedical:
      excluded_zh = "因就医居住的人口除外";
      excluded_en = "people here for medical treatment are excluded";
      break;
    case MoveReason::kTravel:
      excluded_zh = "因旅游居住的人口除外";
      excluded_en = "tourists are excluded";
      break;
    case MoveReason::kVisit:
      excluded_zh = "因探亲、访友居住的人口除外";
      excluded_en = "people visiting relatives or friends are excluded";
      break;
    case MoveReason::kMilitary:
      excluded_zh = "现役军人除外";
      excluded_en = "active-duty military are excluded";
      break;
    case MoveReason::kStudy:
      excluded_zh = "上中等以上学校的学生除外";
      excluded_en = "students at secondary school or above are excluded";
      break;
  }
  r.passed = excluded_zh == nullptr;
  if (r.passed) {
    r.detail_zh = fmt::format("流动原因为{}，属以工作、生活为目的", w.zh);
    r.detail_en = fmt::format("reason for moving: {}, i.e. to work or live here", w.en);
  } else {
    r.detail_zh = fmt::format("流动原因为{}：{}", w.zh, excluded_zh);
    r.detail_en = fmt::format("reason for moving: {}; {}", w.en, excluded_en);
  }
  return r;
}

// The prefecture-level city of a GB/T 2260 county code: its first four digits, except that the
// four 直辖市 (11, 12, 31, 50) are one city each whatever their second pair (e.g. Chongqing's 5001
// districts and 5002 counties), and a 省直辖县级行政单位 (second pair 90, e.g. 429004 仙桃市) is a
// city of its own.
std::string CityKey(const std::string& code) {
  if (code.size() < 4) return code;
  std::string_view province = std::string_view(code).substr(0, 2);
  if (province == "11" || province == "12" || province == "31" || province == "50")
    return code.substr(0, 2);
  if (code.compare(2, 2, "90") == 0) return code;
  return code.substr(0, 4);
}

// A division as shown to people: its name when the caller gave one, else its code.
const std::string& PlaceOf(const std::string& name, const std::string& code) {
  return name.empty() ? code : name;
}

// 实施办法 §三(一): 同城区间人户分离人口除外 — someone whose 户籍 county lies in the same
// prefecture-level city as the residence is not a floating person.
RuleOutcome NotSameCityRule(const EligibilityFacts& f) {
  RuleOutcome r;
  r.rule = kRuleNotSameCity;
  r.dates = {{"as_of", FormatDate(f.as_of)}};
  const std::string& h = PlaceOf(f.hukou_place, f.hukou_division);
  const std::string& here = PlaceOf(f.residence_place, f.residence_division);
  r.passed = CityKey(f.hukou_division) != CityKey(f.residence_division);
  if (r.passed) {
    r.detail_zh = fmt::format("户籍地与现居住地不在同一地级市：{} → {}", h, here);
    r.detail_en = fmt::format(
        "the hukou county and the residence are in different prefecture-level cities: {} → {}", h,
        here);
  } else if (f.hukou_division == f.residence_division) {
    r.detail_zh = fmt::format("户籍地与现居住地同为{}，未离开户籍地县域", h);
    r.detail_en = fmt::format(
        "the hukou county and the residence are both {}: the person has not left the hukou county",
        h);
  } else {
    r.detail_zh =
        fmt::format("户籍地与现居住地同属一个地级市（{} → {}），同城区间人户分离人口除外", h, here);
    r.detail_en = fmt::format(
        "the hukou county and the residence are in the same prefecture-level city ({} → {}): "
        "people living apart from their hukou within one city are excluded",
        h, here);
  }
  return r;
}

// "居住N个月以上" / "居住满N个月": reached on AddMonths(arrived_on, N) (month-end clamped), and the
// day it is reached counts.
struct MonthsCheck {
  bool passed;
  Date qualifies_on;
  std::string zh, en;
};

MonthsCheck ResidedMonths(const Date& arrived_on, const Date& as_of, int months) {
  MonthsCheck c;
  c.qualifies_on = AddMonths(arrived_on, months);
  c.passed = as_of >= c.qualifies_on;
  c.zh = fmt::format("在现居住地居住{}{}个月（{}到达，{}满{}个月）", c.passed ? "已满" : "未满",
                     months, FormatDate(arrived_on), FormatDate(c.qualifies_on), months);
  c.en = fmt::format("has lived here {} {} months (arrived on {}; {} months {} on {})",
                     c.passed ? "at least" : "less than", months, FormatDate(arrived_on), months,
                     c.passed ? "were reached" : "are reached", FormatDate(c.qualifies_on));
  return c;
}

constexpr char kNotFloatingZh[] = "不符合流动人口条件（见前四项）";
constexpr char kNotFloatingEn[] = "not a floating person (see the first four rules)";

// 试点工作方案 §四(一), 实施办法 §四(一): 为在辖区居住6个月以上的流动人口建立健康档案.
RuleOutcome HealthRecordRule(const EligibilityFacts& f, const EligibilityPolicy& p, bool floating) {
  RuleOutcome r;
  r.rule = kRuleHealthRecord6Months;
  MonthsCheck months = ResidedMonths(f.arrived_on, f.as_of, p.health_record_months);
  r.passed = floating && months.passed;
  r.dates = {{"as_of", FormatDate(f.as_of)},
             {"arrived_on", FormatDate(f.arrived_on)},
             {"qualifies_on", FormatDate(months.qualifies_on)}};
  std::vector<std::string> zh, en;
  if (!floating) {
    zh.push_back(kNotFloatingZh);
    en.push_back(kNotFloatingEn);
  }
  zh.push_back(months.zh);
  en.push_back(months.en);
  r.detail_zh = Join(zh, "；");
  r.detail_en = Join(en, "; ");
  return r;
}

// 试点工作方案 §四(三), 实施办法 §四(五): 为辖区内居住满3个月的0-6岁流动儿童建立预防接种档案.
// "0-6岁" are children before their 7th birthday.
RuleOutcome VaccinationFileRule(const EligibilityFacts& f, const EligibilityPolicy& p,
                                bool floating) {
  RuleOutcome r;
  r.rule = kRuleVaccinationFileChild0To6;
  const int before = p.vaccination_file_before_birthday;
  Date birthday = AddYears(f.birth_date, before);
  bool born = f.birth_date <= f.as_of;
  bool child = born && f.as_of < birthday;
  MonthsCheck months = ResidedMonths(f.arrived_on, f.as_of, p.vaccination_file_months);
  r.passed = floating && child && months.passed;
  r.dates = {{"as_of", FormatDate(f.as_of)},
             {"birth_date", FormatDate(f.birth_date)},
             {"age_limit_on", FormatDate(birthday)},
             {"arrived_on", FormatDate(f.arrived_on)},
             {"qualifies_on", FormatDate(months.qualifies_on)}};
  std::vector<std::string> zh, en;
  if (!floating) {
    zh.push_back(kNotFloatingZh);
    en.push_back(kNotFloatingEn);
  }
  if (!born) {
    zh.push_back(
        fmt::format("出生日期{}晚于认定日期{}", FormatDate(f.birth_date), FormatDate(f.as_of)));
    en.push_back(fmt::format("the birth date {} is after the as-of date {}",
                             FormatDate(f.birth_date), FormatDate(f.as_of)));
  } else {
    zh.push_back(fmt::format("{}出生，{}满{}岁，{}0-{}岁儿童", FormatDate(f.birth_date),
                             FormatDate(birthday), before, child ? "属" : "不属", before - 1));
    en.push_back(fmt::format("born on {}, {} {} on {}: {} child aged 0-{}",
                             FormatDate(f.birth_date), child ? "turns" : "turned", before,
                             FormatDate(birthday), child ? "a" : "not a", before - 1));
  }
  zh.push_back(months.zh);
  en.push_back(months.en);
  r.detail_zh = Join(zh, "；");
  r.detail_en = Join(en, "; ");
  return r;
}

// Whether one document is a valid 服务凭证 on `as_of`, with the reason in both languages.
struct DocumentCheck {
  bool valid;
  std::string zh, en;
};

DocumentCheck CheckDocument(const DocumentFact& d, const Date& as_of) {
  Words w = DocumentWords(d.type);
  if (d.status == DocumentStatus::kRejected)
    return {false, fmt::format("{}已驳回", w.zh), fmt::format("the {} was rejected", w.en)};
  // Valid through its valid_until day.
  if (d.valid_until && as_of > *d.valid_until) {
    return {false, fmt::format("{}已过期（有效期至{}）", w.zh, FormatDate(*d.valid_until)),
            fmt::format("the {} has expired (valid until {})", w.en, FormatDate(*d.valid_until))};
  }
  if (d.type == DocumentType::kResidencePermit) {
    // 实施办法 §三(二)1: a 居住证 entitles its holder by itself; it is issued by the police, so it
    // needs no health-department approval and counts while pending review. Policy choice: a permit
    // recorded without valid_until (legacy data) counts while it is not rejected.
    if (d.valid_until) {
      return {true, fmt::format("{}有效（有效期至{}）", w.zh, FormatDate(*d.valid_until)),
              fmt::format("the {} is valid (until {})", w.en, FormatDate(*d.valid_until))};
    }
    return {true, fmt::format("{}有效（未登记有效期）", w.zh),
            fmt::format("the {} is valid (no expiry date recorded)", w.en)};
  }
  // 实施办法 §三(二)2: other documents count only 经当地卫生计生部门审核.
  if (d.status != DocumentStatus::kApproved)
    return {false, fmt::format("{}待审核", w.zh), fmt::format("the {} is pending review", w.en)};
  if (d.valid_until) {
    return {true, fmt::format("{}已审核通过（有效期至{}）", w.zh, FormatDate(*d.valid_until)),
            fmt::format("the {} was approved (valid until {})", w.en, FormatDate(*d.valid_until))};
  }
  return {true, fmt::format("{}已审核通过", w.zh), fmt::format("the {} was approved", w.en)};
}

// 实施办法 §三(二): 服务凭证 — a 居住证, or another valid document approved by the health
// department.
RuleOutcome ServiceDocumentRule(const EligibilityFacts& f) {
  RuleOutcome r;
  r.rule = kRuleServiceDocument;
  r.dates = {{"as_of", FormatDate(f.as_of)}};
  std::vector<std::string> zh, en;
  r.passed = false;
  for (std::size_t i = 0; i < f.documents.size(); ++i) {
    const DocumentFact& d = f.documents[i];
    if (d.valid_until)
      r.dates[fmt::format("documents[{}].valid_until", i)] = FormatDate(*d.valid_until);
    DocumentCheck c = CheckDocument(d, f.as_of);
    r.passed = r.passed || c.valid;
    zh.push_back(std::move(c.zh));
    en.push_back(std::move(c.en));
  }
  if (f.documents.empty()) {
    r.detail_zh = "无有效服务凭证：未登记居住证或其他证件";
    r.detail_en =
        "no valid service document: neither a residence permit nor another document is recorded";
  } else if (r.passed) {
    r.detail_zh = "有有效服务凭证：" + Join(zh, "；");
    r.detail_en = "has a valid service document: " + Join(en, "; ");
  } else {
    r.detail_zh = "无有效服务凭证：" + Join(zh, "；");
    r.detail_en = "no valid service document: " + Join(en, "; ");
  }
  return r;
}

// ---- JSON input ----

class FactsReader {
 public:
  explicit FactsReader(FieldErrors& errors) : errors_(errors) {}

  // The string at `key`, or nullopt (recording "required" or "wrong_type" as appropriate). A JSON
  // null counts as absent.
  std::optional<std::string> String(const json& obj, const char* key, const std::string& path,
                                    bool required) {
    auto it = obj.find(key);
    if (it == obj.end() || it->is_null()) {
      if (required) errors_.Add(path, "required", "必填", "is required");
      return std::nullopt;
    }
    if (!it->is_string()) {
      errors_.Add(path, "wrong_type", "应为字符串", "must be a string");
      return std::nullopt;
    }
    return it->get<std::string>();
  }

  std::optional<Date> DateField(const json& obj, const char* key, const std::string& path,
                                bool required) {
    auto text = String(obj, key, path, required);
    if (!text) return std::nullopt;
    auto d = ParseDate(*text);
    if (!d) {
      errors_.Add(path, "invalid_date", "日期应为有效的YYYY-MM-DD格式",
                  "must be a valid date in the form YYYY-MM-DD");
    }
    return d;
  }

  template <typename E, std::size_t N>
  std::optional<E> Enum(const json& obj, const char* key, const std::string& path,
                        const std::array<EnumName<E>, N>& table) {
    auto text = String(obj, key, path, /*required=*/true);
    if (!text) return std::nullopt;
    auto v = EnumFromName(table, *text);
    if (!v) {
      std::string allowed = AllowedNames(table);
      errors_.Add(path, "invalid_value", "取值无效，应为 " + allowed,
                  "unknown value; expected one of " + allowed);
    }
    return v;
  }

  // A 6-digit GB/T 2260 county code.
  std::optional<std::string> Division(const json& obj, const char* key) {
    auto text = String(obj, key, key, /*required=*/true);
    if (!text) return std::nullopt;
    bool ok = text->size() == 6;
    for (char c : *text) ok = ok && c >= '0' && c <= '9';
    if (!ok) {
      errors_.Add(key, "invalid_division", "应为6位县级行政区划代码",
                  "must be a 6-digit county division code");
      return std::nullopt;
    }
    return text;
  }

 private:
  FieldErrors& errors_;
};

}  // namespace

EligibilityResult Evaluate(const EligibilityFacts& facts, const EligibilityPolicy& policy) {
  EligibilityResult result;
  result.rules.push_back(LeftHukouRule(facts, policy));
  result.rules.push_back(ResidentRule(facts, policy));
  result.rules.push_back(PurposeRule(facts));
  result.rules.push_back(NotSameCityRule(facts));
  // 实施办法 §三(一): a floating person meets all four parts of the definition.
  result.floating = true;
  for (const auto& r : result.rules) result.floating = result.floating && r.passed;

  RuleOutcome health = HealthRecordRule(facts, policy, result.floating);
  RuleOutcome vaccination = VaccinationFileRule(facts, policy, result.floating);
  RuleOutcome document = ServiceDocumentRule(facts);
  result.entitlements.health_record = health.passed;
  result.entitlements.vaccination_file = vaccination.passed;
  // 实施办法 §三(二): free services need both the status and a 服务凭证.
  result.entitlements.free_services = result.floating && document.passed;
  result.rules.push_back(std::move(health));
  result.rules.push_back(std::move(vaccination));
  result.rules.push_back(std::move(document));
  return result;
}

EligibilityWindows Windows(const EligibilityFacts& facts, const EligibilityPolicy& policy) {
  EligibilityWindows w;
  w.vaccination_file_until = AddYears(facts.birth_date, policy.vaccination_file_before_birthday);
  // The two rules without dates hold on every day or on none.
  if (!PurposeRule(facts).passed || !NotSameCityRule(facts).passed) return w;
  // 实施办法 §三(一): away 30 days (from leaving, else from arriving) and here 30 days.
  Date away_from = AddDays(facts.left_hukou_on.value_or(facts.arrived_on), policy.min_days_away);
  Date here_from = AddDays(facts.arrived_on, policy.min_days_here);
  Date floating = std::max(away_from, here_from);
  w.floating_from = floating;
  // 试点工作方案 §四(一)(三): months reached on the clamped calendar date, that day included.
  w.health_record_from =
      std::max(floating, AddMonths(facts.arrived_on, policy.health_record_months));
  w.vaccination_file_from = std::max(
      {floating, AddMonths(facts.arrived_on, policy.vaccination_file_months), facts.birth_date});
  return w;
}

std::optional<EligibilityWindows> StoredWindows(const StoredPerson& person,
                                                const EligibilityPolicy& policy) {
  auto birth = ParseDate(person.birth_date);
  auto arrived = ParseDate(person.arrived_on);
  if (!birth || !arrived) return std::nullopt;
  EligibilityFacts f;
  f.birth_date = *birth;
  f.hukou_division = std::string(person.hukou_division);
  f.residence_division = std::string(person.residence_org.substr(0, 6));
  f.left_hukou_on = ParseDate(person.left_hukou_on);
  f.arrived_on = *arrived;
  f.reason = ParseMoveReason(person.move_reason).value_or(MoveReason::kOther);
  return Windows(f, policy);
}

Result<EligibilityFacts> EligibilityFactsFromJson(const json& j) {
  FieldErrors errors;
  if (!j.is_object()) {
    errors.Add("$", "wrong_type", "应为JSON对象", "must be a JSON object");
    return errors.ToStatus();
  }
  FactsReader in(errors);
  EligibilityFacts f;
  auto as_of = in.DateField(j, "as_of", "as_of", true);
  auto birth = in.DateField(j, "birth_date", "birth_date", true);
  auto hukou = in.Division(j, "hukou_division");
  auto residence = in.Division(j, "residence_division");
  auto left = in.DateField(j, "left_hukou_on", "left_hukou_on", false);
  auto arrived = in.DateField(j, "arrived_on", "arrived_on", true);
  auto reason = in.Enum(j, "reason", "reason", kMoveReasons);

  auto docs = j.find("documents");
  if (docs != j.end() && !docs->is_null()) {
    if (!docs->is_array()) {
      errors.Add("documents", "wrong_type", "应为数组", "must be an array");
    } else {
      for (std::size_t i = 0; i < docs->size(); ++i) {
        const json& d = (*docs)[i];
        std::string path = fmt::format("documents[{}]", i);
        if (!d.is_object()) {
          errors.Add(path, "wrong_type", "应为JSON对象", "must be a JSON object");
          continue;
        }
        DocumentFact fact;
        auto type = in.Enum(d, "type", path + ".type", kDocumentTypes);
        auto status = in.Enum(d, "status", path + ".status", kDocumentStatuses);
        auto until = in.DateField(d, "valid_until", path + ".valid_until", false);
        if (type) fact.type = *type;
        if (status) fact.status = *status;
        fact.valid_until = until;
        f.documents.push_back(fact);
      }
    }
  }

  // Dates that cannot be true together.
  if (as_of && birth && *birth > *as_of) {
    errors.Add("birth_date", "after_as_of", "出生日期不能晚于认定日期",
               "must not be after the as-of date");
  }
  if (as_of && arrived && *arrived > *as_of) {
    errors.Add("arrived_on", "after_as_of", "到达日期不能晚于认定日期",
               "must not be after the as-of date");
  }
  if (left && arrived && *left > *arrived) {
    errors.Add("left_hukou_on", "after_arrived_on", "离开户籍地日期不能晚于到达本地日期",
               "must not be after the arrival date");
  }
  if (!errors.empty()) return errors.ToStatus();

  f.as_of = *as_of;
  f.birth_date = *birth;
  f.hukou_division = *hukou;
  f.residence_division = *residence;
  f.left_hukou_on = left;
  f.arrived_on = *arrived;
  f.reason = *reason;
  return f;
}

Label RuleLabel(std::string_view rule) {
  static constexpr std::array<std::array<const char*, 3>, 8> kRules{{
      {kRuleLeftHukou30Days, "离开户籍地满30日", "Left the hukou county 30+ days ago"},
      {kRuleResident30Days, "在本地居住满30日", "Lived here 30+ days"},
      {kRulePurposeWorkOrLife, "以工作、生活为目的", "Moved to work or live"},
      {kRuleNotSameCity, "户籍不在本市", "Hukou not in this city"},
      {kRuleHealthRecord6Months, "居住满6个月（健康档案）", "Here 6+ months (health record)"},
      {kRuleVaccinationFileChild0To6, "0–6岁儿童居住满3个月（接种档案）",
       "Child 0–6 here 3+ months (vaccination file)"},
      {kRuleServiceDocument, "持有效居住证或经认可的凭证",
       "Valid residence permit or approved document"},
      {"currently_resident", "目前居住在本市", "Lives in this city now"},
  }};
  for (const auto& [name, zh, en] : kRules)
    if (rule == name) return {zh, en};
  return {std::string(rule), std::string(rule)};
}

Label DateLabel(std::string_view key) {
  static constexpr std::array<std::array<const char*, 3>, 6> kDates{{
      {"as_of", "认定日期", "As of"},
      {"left_hukou_on", "离开户籍地日期", "Left the hukou county on"},
      {"arrived_on", "到达本地日期", "Arrived here on"},
      {"qualifies_on", "满足条件日期", "Condition met on"},
      {"birth_date", "出生日期", "Date of birth"},
      {"age_limit_on", "超出年龄日期", "Too old from"},
  }};
  for (const auto& [name, zh, en] : kDates)
    if (key == name) return {zh, en};
  // "documents[N].valid_until", N counted from 0.
  constexpr std::string_view kPrefix = "documents[", kSuffix = "].valid_until";
  if (key.starts_with(kPrefix) && key.ends_with(kSuffix) &&
      key.size() > kPrefix.size() + kSuffix.size()) {
    std::string_view digits =
        key.substr(kPrefix.size(), key.size() - kPrefix.size() - kSuffix.size());
    int n = 0;
    for (char c : digits) {
      if (c < '0' || c > '9' || n > 100000) return {std::string(key), std::string(key)};
      n = n * 10 + (c - '0');
    }
    return {fmt::format("第{}份凭证有效期至", n + 1),
            fmt::format("Document {} valid until", n + 1)};
  }
  return {std::string(key), std::string(key)};
}

json ToJson(const EligibilityResult& result) {
  json rules = json::array();
  for (const auto& r : result.rules) {
    json dates = json::object();
    json date_list = json::array();
    for (const auto& [k, v] : r.dates) {
      dates[k] = v;
      Label l = DateLabel(k);
      date_list.push_back({{"key", k}, {"label", l.zh}, {"label_en", l.en}, {"date", v}});
    }
    Label label = RuleLabel(r.rule);
    rules.push_back({{"rule", r.rule},
                     {"label", label.zh},
                     {"label_en", label.en},
                     {"passed", r.passed},
                     {"detail", r.detail_zh},
                     {"detail_en", r.detail_en},
                     {"dates", std::move(dates)},
                     {"date_list", std::move(date_list)}});
  }
  return {{"floating", result.floating},
          {"entitlements",
           {{"health_record", result.entitlements.health_record},
            {"vaccination_file", result.entitlements.vaccination_file},
            {"free_services", result.entitlements.free_services}}},
          {"rules", std::move(rules)}};
}

}  // namespace jd::registry
