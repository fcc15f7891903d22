#include "preconception/checks.h"

#include <fmt/format.h>

#include <algorithm>

namespace jd::preconception {

namespace {

// 国家免费孕前优生健康检查项目试点工作技术服务规范（试行）(2010) 二、服务内容: 19 items. Whom each
// is for: [unc] where the domain notes do not say (public summaries of the 规范 give the man
// education, history, examination, urinalysis, blood group, ALT, hepatitis B, creatinine,
// syphilis and the risk assessment).
constexpr const char* kSpec = "技术服务规范(2010) 二、服务内容";
constexpr std::array<Item, kItemCount> kItems = {{
    {1, "education", "优生健康教育", "health education", For::kBoth, Category::kEducation, "", "",
     kSpec},
    {2, "history", "病史询问", "medical history", For::kBoth, Category::kHistory,
     "no_risk|risk_found", "risk_found", kSpec},
    {3, "physical_exam", "体格检查", "physical examination", For::kBoth, Category::kExam,
     "normal|abnormal", "abnormal", kSpec},
    {4, "vaginal_discharge", "阴道分泌物检查", "vaginal discharge", For::kWoman, Category::kLab,
     "normal|abnormal", "abnormal", kSpec},
    {5, "blood_routine", "血液常规检验", "complete blood count", For::kWoman, Category::kLab,
     "normal|abnormal", "abnormal", "技术服务规范(2010) 二、服务内容 [unc: man]"},
    {6, "urine_routine", "尿液常规检验", "urinalysis", For::kBoth, Category::kLab,
     "normal|abnormal", "abnormal", "技术服务规范(2010) 二、服务内容 [unc: man]"},
    {7, "blood_group", "血型（ABO、Rh）", "blood group (ABO, Rh)", For::kBoth, Category::kLab,
     "A+|A-|B+|B-|O+|O-|AB+|AB-", "", "技术服务规范(2010) 二、服务内容 [unc: man]"},
    {8, "blood_glucose", "血清葡萄糖测定", "blood glucose", For::kWoman, Category::kLab,
     "normal|abnormal", "abnormal", kSpec},
    {9, "alt", "肝功能检测（谷丙转氨酶）", "liver function (ALT)", For::kBoth, Category::kLab,
     "normal|abnormal", "abnormal", "技术服务规范(2010) 二、服务内容 [unc: man]"},
    // Hepatitis B five markers: susceptible (all negative: vaccinate), immune (anti-HBs alone),
    // HBsAg positive (infection), another pattern (to be interpreted by the clinician).
    {10, "hbv_five", "乙型肝炎血清学五项检测", "hepatitis B serology (five markers)", For::kBoth,
     Category::kLab, "susceptible|immune|hbsag_positive|other", "hbsag_positive|other",
     "技术服务规范(2010) 二、服务内容 [unc: man; value groups ours]"},
    {11, "creatinine", "肾功能检测（肌酐）", "renal function (creatinine)", For::kBoth,
     Category::kLab, "normal|abnormal", "abnormal", "技术服务规范(2010) 二、服务内容 [unc: man]"},
    {12, "tsh", "甲状腺功能检测（促甲状腺激素）", "thyroid function (TSH)", For::kWoman,
     Category::kLab, "normal|abnormal", "abnormal", kSpec},
    {13, "syphilis", "梅毒螺旋体筛查", "syphilis screening", For::kBoth, Category::kLab,
     "negative|positive", "positive", "技术服务规范(2010) 二、服务内容 [unc: man]"},
    // Rubella IgG negative: not immune (易感), vaccinate and wait before conceiving [unc].
    {14, "rubella_igg", "风疹病毒IgG抗体测定", "rubella IgG", For::kWoman, Category::kLab,
     "positive|negative", "negative", "技术服务规范(2010) 二、服务内容 [unc: negative = at risk]"},
    // CMV and toxoplasma: IgM positive = a recent or active infection [unc].
    {15, "cmv", "巨细胞病毒IgM抗体和IgG抗体测定", "cytomegalovirus IgM and IgG", For::kWoman,
     Category::kLab, "negative|igg_positive|igm_positive", "igm_positive",
     "技术服务规范(2010) 二、服务内容 [unc: IgM positive = at risk]"},
    {16, "toxoplasma", "弓形体IgM和IgG抗体测定", "toxoplasma IgM and IgG", For::kWoman,
     Category::kLab, "negative|igg_positive|igm_positive", "igm_positive",
     "技术服务规范(2010) 二、服务内容 [unc: IgM positive = at risk]"},
    {17, "gyn_ultrasound", "妇科超声常规检查", "gynaecological ultrasound", For::kWoman,
     Category::kImaging, "normal|abnormal", "abnormal", kSpec},
    {18, "risk_assessment", "风险评估和咨询指导", "risk assessment and counselling", For::kBoth,
     Category::kAssessment, "", "", kSpec},
    {19, "follow_up", "早孕和妊娠结局跟踪随访", "early-pregnancy and outcome follow-up",
     For::kWoman, Category::kFollowUp, "", "", "技术服务规范(2010) 二、服务内容 [unc: whom]"},
}};

bool InList(std::string_view list, std::string_view value) {
  std::size_t start = 0;
  while (start <= list.size()) {
    std::size_t bar = list.find('|', start);
    if (bar == std::string_view::npos) bar = list.size();
    if (list.substr(start, bar - start) == value) return true;
    start = bar + 1;
  }
  return false;
}

bool Contains(const std::vector<std::string>& list, std::string_view code) {
  return std::find(list.begin(), list.end(), code) != list.end();
}

// 规范: 遗传、环境、心理和行为等风险因素 found by the history; the list is ours [unc].
const std::vector<RiskFactor> kRiskFactors = {
    {"adverse_pregnancy_history", "不良孕产史", "adverse pregnancy history"},
    {"genetic_family_history", "遗传病家族史", "family history of genetic disease"},
    {"chronic_disease", "慢性病史", "chronic disease"},
    {"teratogenic_medication", "服用可能致畸药物", "possibly teratogenic medication"},
    {"environmental_exposure", "有毒有害物质接触", "exposure to toxic substances"},
    {"smoking_alcohol", "吸烟、饮酒", "smoking or alcohol"},
    {"psychological_stress", "心理压力", "psychological stress"},
    {"advanced_maternal_age", "高龄（女方35岁及以上）", "woman aged 35 or more"},
};

// 高龄孕产妇: 35 years or more at delivery is the usual threshold; we apply it at the check [unc].
constexpr int kAdvancedAge = 35;

}  // namespace

const std::array<Item, kItemCount>& Catalogue() { return kItems; }

const Item* FindItem(std::string_view code) {
  for (const auto& i : kItems) {
    if (i.code == code) return &i;
  }
  return nullptr;
}

bool AppliesTo(const Item& item, Partner p) {
  return item.who == For::kBoth || (item.who == For::kWoman) == (p == Partner::kWoman);
}

std::vector<std::string> Values(const Item& item) {
  std::vector<std::string> out;
  std::string_view list = item.values;
  std::size_t start = 0;
  while (start < list.size()) {
    std::size_t bar = list.find('|', start);
    if (bar == std::string_view::npos) bar = list.size();
    out.emplace_back(list.substr(start, bar - start));
    start = bar + 1;
  }
  return out;
}

bool IsAbnormal(const Item& item, std::string_view value) {
  return !item.abnormal.empty() && InList(item.abnormal, value);
}

std::string_view PartnerCode(Partner p) { return p == Partner::kWoman ? "woman" : "man"; }

std::optional<Partner> ParsePartner(std::string_view code) {
  if (code == "woman") return Partner::kWoman;
  if (code == "man") return Partner::kMan;
  return std::nullopt;
}

std::string_view ForCode(For f) {
  switch (f) {
    case For::kWoman:
      return "woman";
    case For::kMan:
      return "man";
    case For::kBoth:
      return "both";
  }
  return "both";
}

std::string_view CategoryCode(Category c) {
  switch (c) {
    case Category::kEducation:
      return "education";
    case Category::kHistory:
      return "history";
    case Category::kExam:
      return "exam";
    case Category::kLab:
      return "lab";
    case Category::kImaging:
      return "imaging";
    case Category::kAssessment:
      return "assessment";
    case Category::kFollowUp:
      return "follow_up";
  }
  return "lab";
}

const std::vector<RiskFactor>& RiskFactors() { return kRiskFactors; }

const RiskFactor* FindRiskFactor(std::string_view code) {
  for (const auto& f : kRiskFactors) {
    if (f.code == code) return &f;
  }
  return nullptr;
}

Status ValidateRecord(const CheckRecord& r) {
  FieldErrors errors;
  auto check_items = [&](const std::vector<std::string>& items, Partner p, const char* field) {
    for (std::size_t i = 0; i < items.size(); ++i) {
      const std::string at = fmt::format("{}[{}]", field, i);
      const Item* item = FindItem(items[i]);
      if (!item) {
        errors.Add(at, "unknown_item", "未知的检查项目：" + items[i],
                   "unknown check item: " + items[i]);
      } else if (!AppliesTo(*item, p)) {
        errors.Add(at, "not_for_partner",
                   fmt::format("{}不是{}的检查项目", item->label_zh,
                               p == Partner::kWoman ? "女方" : "男方"),
                   fmt::format("{} is not an item for the {}", item->code, PartnerCode(p)));
      } else if (p == Partner::kMan && !r.man_examined) {
        errors.Add(at, "man_not_examined", "男方未参加检查，不能记录男方项目",
                   "the man was not examined: no item of his can be recorded");
      }
    }
  };
  check_items(r.woman_items, Partner::kWoman, "woman_items");
  check_items(r.man_items, Partner::kMan, "man_items");
  for (std::size_t i = 0; i < r.results.size(); ++i) {
    const ItemResult& res = r.results[i];
    const std::string at = fmt::format("results[{}]", i);
    const Item* item = FindItem(res.item);
    if (!item) {
      errors.Add(at, "unknown_item", "未知的检查项目：" + res.item,
                 "unknown check item: " + res.item);
      continue;
    }
    if (!AppliesTo(*item, res.partner)) {
      errors.Add(at, "not_for_partner", fmt::format("{}不是该方的检查项目", item->label_zh),
                 fmt::format("{} is not an item for the {}", item->code, PartnerCode(res.partner)));
      continue;
    }
    const bool has_values = !item->values.empty();
    if ((has_values && !InList(item->values, res.value)) || (!has_values && !res.value.empty())) {
      errors.Add(at, "invalid_value",
                 has_values ? fmt::format("{}的结果应为 {}", item->label_zh, item->values)
                            : fmt::format("{}没有结果值", item->label_zh),
                 has_values
                     ? fmt::format("the result of {} must be one of {}", item->code, item->values)
                     : fmt::format("{} takes no result value", item->code));
      continue;
    }
    const auto& done = res.partner == Partner::kWoman ? r.woman_items : r.man_items;
    if (!Contains(done, res.item)) {
      errors.Add(
          at, "not_done", fmt::format("{}未列为已检查项目", item->label_zh),
          fmt::format("{} is not listed as done for the {}", item->code, PartnerCode(res.partner)));
    }
  }
  for (std::size_t i = 0; i < r.risk_factors.size(); ++i) {
    if (!FindRiskFactor(r.risk_factors[i])) {
      errors.Add(fmt::format("risk_factors[{}]", i), "unknown_risk_factor",
                 "未知的风险因素：" + r.risk_factors[i],
                 "unknown risk factor: " + r.risk_factors[i]);
    }
  }
  return errors.ToStatus();
}

Completeness ExamCompleteness(const CheckRecord& r) {
  Completeness c;
  for (const Item& item : kItems) {
    // The follow-up of the pregnancy comes after the check (规范 早孕和妊娠结局跟踪随访).
    if (item.category == Category::kFollowUp) continue;
    if (AppliesTo(item, Partner::kWoman) && !Contains(r.woman_items, item.code)) {
      c.woman_missing.emplace_back(item.code);
    }
    if (r.man_examined && AppliesTo(item, Partner::kMan) && !Contains(r.man_items, item.code)) {
      c.man_missing.emplace_back(item.code);
    }
  }
  c.complete = c.woman_missing.empty() && c.man_missing.empty();
  return c;
}

std::string_view RiskGroupCode(RiskGroup g) {
  return g == RiskGroup::kGeneral ? "general" : "high_risk";
}

std::optional<RiskGroup> ParseRiskGroup(std::string_view code) {
  if (code == "general") return RiskGroup::kGeneral;
  if (code == "high_risk") return RiskGroup::kHighRisk;
  return std::nullopt;
}

Classification Classify(const CheckRecord& r, int woman_age) {
  // 技术服务规范 风险评估: 一般人群 when nothing abnormal is found, 高风险人群 otherwise.
  Classification c;
  for (const ItemResult& res : r.results) {
    const Item* item = FindItem(res.item);
    if (item && IsAbnormal(*item, res.value)) {
      c.reasons.push_back(fmt::format("{}:{}={}", PartnerCode(res.partner), res.item, res.value));
    }
  }
  for (const auto& f : r.risk_factors) c.reasons.push_back("risk_factor:" + f);
  if (woman_age >= kAdvancedAge && !Contains(r.risk_factors, "advanced_maternal_age")) {
    c.reasons.push_back("risk_factor:advanced_maternal_age");
  }
  c.group = c.reasons.empty() ? RiskGroup::kGeneral : RiskGroup::kHighRisk;
  return c;
}

std::string_view AnchorKindCode(AnchorKind k) {
  switch (k) {
    case AnchorKind::kNone:
      return "none";
    case AnchorKind::kLmp:
      return "lmp";
    case AnchorKind::kPlanned:
      return "planned";
  }
  return "none";
}

std::string_view FolicStatusCode(FolicStatus s) {
  switch (s) {
    case FolicStatus::kNotStarted:
      return "not_started";
    case FolicStatus::kOnTrack:
      return "on_track";
    case FolicStatus::kCompleted:
      return "completed";
    case FolicStatus::kLateStart:
      return "late_start";
  }
  return "not_started";
}

FolicPlan FolicAcidPlan(const std::vector<Supply>& supplies, std::optional<Date> lmp,
                        std::optional<Date> planned, Date as_of) {
  FolicPlan plan;
  const std::optional<Date> anchor = lmp ? lmp : planned;
  plan.anchor_kind = lmp ? AnchorKind::kLmp : planned ? AnchorKind::kPlanned : AnchorKind::kNone;
  if (anchor) {
    plan.window_start = AddMonths(*anchor, -kFolicMonthsBefore);
    plan.window_end = AddDays(*anchor, kFirstTrimesterLastDay);
    plan.window_days = DaysBetween(*plan.window_start, *plan.window_end) + 1;
  }
  // Only what was handed out by the day counts.
  std::vector<Supply> given;
  for (const auto& s : supplies) {
    if (s.supplied_on <= as_of && s.quantity_days > 0) given.push_back(s);
  }
  std::sort(given.begin(), given.end(),
            [](const Supply& a, const Supply& b) { return a.supplied_on < b.supplied_on; });
  if (given.empty()) return plan;
  plan.started_on = given.front().supplied_on;
  // The tablets of consecutive supplies are taken one after the other: a supply handed out
  // before the previous one runs out continues it (our reading, as a pharmacy counts days).
  std::vector<std::pair<Date, Date>> spans;  // inclusive
  for (const auto& s : given) {
    Date from = s.supplied_on;
    if (!spans.empty() && from <= spans.back().second) from = AddDays(spans.back().second, 1);
    const Date to = AddDays(from, s.quantity_days - 1);
    if (!spans.empty() && DaysBetween(spans.back().second, from) == 1) {
      spans.back().second = to;
    } else {
      spans.emplace_back(from, to);
    }
  }
  plan.covered_until = spans.back().second;
  const Date from =
      plan.window_start ? std::max(*plan.window_start, *plan.started_on) : *plan.started_on;
  const Date range_from = plan.window_start ? *plan.window_start : *plan.started_on;
  const Date to = plan.window_end ? std::min(*plan.window_end, as_of) : as_of;
  plan.days_elapsed = to < range_from ? 0 : DaysBetween(range_from, to) + 1;
  for (const auto& [a, b] : spans) {
    const Date lo = std::max(a, from), hi = std::min(b, to);
    if (!(hi < lo)) plan.days_covered += DaysBetween(lo, hi) + 1;
  }
  if (plan.window_start && *plan.window_start < *plan.started_on) {
    plan.status = FolicStatus::kLateStart;
  } else if (plan.window_end && *plan.window_end < as_of) {
    plan.status = FolicStatus::kCompleted;
  } else {
    plan.status = FolicStatus::kOnTrack;
  }
  return plan;
}

}  // namespace jd::preconception
