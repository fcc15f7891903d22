#include "maternal/pmtct.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "core/input.h"
#include "core/json_array.h"

namespace jd::maternal {

namespace {

using A = PmtctAnchor;
using C = PmtctCondition;
using In = PmtctInfection;
using S = PmtctSubject;
using U = PmtctUnit;

// 规范2020: 预防艾滋病、梅毒和乙肝母婴传播工作规范（2020年版）. Rows marked false in `confirmed`
// carry [unc]: their content or timing was not found in the official text or a faithful summary
// of it (see tests/data/maternal/SOURCE.md).
constexpr std::array<PmtctItemSpec, 25> kSchedule{{
    // The mother. 规范2020 一(二)2–3: ARV for infected pregnant women, treatment of syphilis.
    {"mother_hiv_art", In::kHiv, S::kMother, C::kAlways, A::kDiagnosis, U::kDays, 0, 7, 0, "", 0, 0,
     false, "抗艾滋病病毒治疗（发现感染后尽早开始）",
     "antiretroviral therapy, started as soon as HIV is found",
     "规范2020 一(二)2; 二、工作内容 艾滋病感染孕产妇抗病毒治疗 [unc: 'as soon as found' wording; "
     "7-day window is policy]"},
    {"mother_syphilis_treatment", In::kSyphilis, S::kMother, C::kAlways, A::kDiagnosis, U::kDays, 0,
     7, 0, "", 0, 0, false, "抗梅毒治疗（苄星青霉素，发现后即刻开始）",
     "syphilis treatment (benzathine penicillin), started when found",
     "规范2020 一(二)3; 二、工作内容 梅毒感染孕产妇治疗 [unc: number of courses; 7-day window is "
     "policy]"},
    {"mother_hbv_dna", In::kHbv, S::kMother, C::kAlways, A::kNone, U::kDays, 0, 0, 0, "", 0, 0,
     false, "HBV DNA（病毒载量）检测，评估是否需要抗病毒治疗",
     "HBV DNA (viral load) test, to decide on antiviral treatment",
     "规范2020 二、工作内容 乙肝感染孕产妇 [unc: no date given]"},
    // HIV-exposed infants. 规范2020 一(二)2: ARV for the children; 二、工作内容: prophylaxis within
    // 6 h, 4 weeks (standard risk) or 6 weeks of triple drugs (high risk); early infant diagnosis
    // within 48 h, at 6 weeks and 3 months; antibody tests at 12 and 18 months.
    {"infant_arv_start", In::kHiv, S::kInfant, C::kAlways, A::kBirth, U::kDays, 0, 1, 6, "", 0, 0,
     true, "出生后6小时内尽早开始预防性抗病毒用药",
     "ARV prophylaxis started within 6 hours of birth",
     "规范2020 二、工作内容 艾滋病感染孕产妇所生儿童预防性抗病毒用药"},
    {"infant_arv_4w", In::kHiv, S::kInfant, C::kHivStandardRisk, A::kBirth, U::kDays, 28, 7, 0, "",
     0, 0, true, "预防性抗病毒用药至出生后4周（普通暴露风险）",
     "ARV prophylaxis to 4 weeks of age (standard exposure risk)",
     "规范2020 二、工作内容 艾滋病感染孕产妇所生儿童预防性抗病毒用药 (普通暴露风险)"},
    {"infant_arv_6w", In::kHiv, S::kInfant, C::kHivHighRisk, A::kBirth, U::kDays, 42, 7, 0, "", 0,
     0, true, "三联预防性抗病毒用药至出生后6周（高暴露风险）",
     "triple ARV prophylaxis to 6 weeks of age (high exposure risk)",
     "规范2020 二、工作内容 艾滋病感染孕产妇所生儿童预防性抗病毒用药 (高暴露风险)"},
    {"infant_hiv_nat_48h", In::kHiv, S::kInfant, C::kAlways, A::kBirth, U::kDays, 0, 2, 48, "", 0,
     0, true, "出生后48小时内艾滋病感染早期诊断（核酸检测）",
     "early infant diagnosis (nucleic-acid test) within 48 hours",
     "规范2020 二、工作内容 艾滋病感染早期诊断检测"},
    {"infant_hiv_nat_6w", In::kHiv, S::kInfant, C::kAlways, A::kBirth, U::kDays, 42, 13, 0, "", 0,
     0, true, "6周龄艾滋病感染早期诊断（核酸检测）",
     "early infant diagnosis (nucleic-acid test) at 6 weeks",
     "规范2020 二、工作内容 艾滋病感染早期诊断检测"},
    {"infant_cotrimoxazole", In::kHiv, S::kInfant, C::kAlways, A::kBirth, U::kDays, 42, 13, 0, "",
     0, 0, false, "出生后6周起服用复方磺胺甲噁唑预防机会性感染",
     "cotrimoxazole prophylaxis from 6 weeks of age",
     "规范2020 二、工作内容 艾滋病感染孕产妇所生儿童 [unc]"},
    {"infant_hiv_nat_3m", In::kHiv, S::kInfant, C::kAlways, A::kBirth, U::kMonths, 3, 1, 0, "", 0,
     0, true, "3月龄艾滋病感染早期诊断（核酸检测）",
     "early infant diagnosis (nucleic-acid test) at 3 months",
     "规范2020 二、工作内容 艾滋病感染早期诊断检测"},
    {"infant_hiv_ab_12m", In::kHiv, S::kInfant, C::kAlways, A::kBirth, U::kMonths, 12, 1, 0, "", 0,
     0, true, "12月龄艾滋病抗体检测", "HIV antibody test at 12 months",
     "规范2020 二、工作内容 艾滋病抗体检测"},
    {"infant_hiv_ab_18m", In::kHiv, S::kInfant, C::kHiv12mNotNegative, A::kBirth, U::kMonths, 18, 1,
     0, "", 0, 0, true, "18月龄艾滋病抗体检测（12月龄检测未排除感染时）",
     "HIV antibody test at 18 months (when the 12-month test did not exclude infection)",
     "规范2020 二、工作内容 艾滋病抗体检测"},
    // Syphilis-exposed infants. 规范2020 一(二)3: prophylactic treatment of the children.
    {"infant_syphilis_test_birth", In::kSyphilis, S::kInfant, C::kAlways, A::kBirth, U::kDays, 0, 1,
     0, "", 0, 0, false, "出生时非梅毒螺旋体抗原血清学定量检测",
     "quantitative non-treponemal test at birth",
     "规范2020 二、工作内容 梅毒感染孕产妇所生儿童 [unc]"},
    {"infant_syphilis_prophylaxis", In::kSyphilis, S::kInfant, C::kSyphilisProphylaxisIndicated,
     A::kBirth, U::kDays, 0, 1, 0, "", 0, 0, false,
     "预防性治疗（苄星青霉素G 5万单位/kg，单次肌注）",
     "prophylactic benzathine penicillin G, 50,000 U/kg once",
     "规范2020 一(二)3; 二、工作内容 梅毒感染孕产妇所生儿童预防性治疗 [unc: dose and timing]"},
    {"infant_syphilis_fu_3m", In::kSyphilis, S::kInfant, C::kAlways, A::kBirth, U::kMonths, 3, 1, 0,
     "", 0, 0, false, "3月龄梅毒随访检测", "syphilis follow-up test at 3 months",
     "规范2020 二、工作内容 梅毒感染孕产妇所生儿童随访 [unc]"},
    {"infant_syphilis_fu_6m", In::kSyphilis, S::kInfant, C::kAlways, A::kBirth, U::kMonths, 6, 1, 0,
     "", 0, 0, false, "6月龄梅毒随访检测", "syphilis follow-up test at 6 months",
     "规范2020 二、工作内容 梅毒感染孕产妇所生儿童随访 [unc]"},
    {"infant_syphilis_fu_9m", In::kSyphilis, S::kInfant, C::kAlways, A::kBirth, U::kMonths, 9, 1, 0,
     "", 0, 0, false, "9月龄梅毒随访检测", "syphilis follow-up test at 9 months",
     "规范2020 二、工作内容 梅毒感染孕产妇所生儿童随访 [unc]"},
    {"infant_syphilis_fu_12m", In::kSyphilis, S::kInfant, C::kAlways, A::kBirth, U::kMonths, 12, 1,
     0, "", 0, 0, false, "12月龄梅毒随访检测", "syphilis follow-up test at 12 months",
     "规范2020 二、工作内容 梅毒感染孕产妇所生儿童随访 [unc]"},
    {"infant_syphilis_fu_15m", In::kSyphilis, S::kInfant, C::kAlways, A::kBirth, U::kMonths, 15, 1,
     0, "", 0, 0, false, "15月龄梅毒随访检测", "syphilis follow-up test at 15 months",
     "规范2020 二、工作内容 梅毒感染孕产妇所生儿童随访 [unc]"},
    {"infant_syphilis_fu_18m", In::kSyphilis, S::kInfant, C::kAlways, A::kBirth, U::kMonths, 18, 1,
     0, "", 0, 0, false, "18月龄梅毒随访检测", "syphilis follow-up test at 18 months",
     "规范2020 二、工作内容 梅毒感染孕产妇所生儿童随访 [unc]"},
    // Infants of HBsAg-positive mothers. 规范2020 一(二)4: timely HepB birth dose and HBIG;
    // 一(二)7:
    // HBsAg tested within 12 months of age.
    {"infant_hbig", In::kHbv, S::kInfant, C::kAlways, A::kBirth, U::kDays, 0, 1, 12, "", 0, 0,
     false, "出生后12小时内注射乙肝免疫球蛋白（100 IU）",
     "hepatitis B immunoglobulin (100 IU) within 12 hours of birth",
     "规范2020 一(二)4; 二、工作内容 乙肝感染孕产妇所生儿童 (12 h) [unc: 100 IU]"},
    {"infant_hepb1", In::kHbv, S::kInfant, C::kAlways, A::kBirth, U::kDays, 0, 1, 12, "", 0, 0,
     true, "出生后12小时内接种第1剂乙肝疫苗", "HepB dose 1 within 12 hours of birth",
     "规范2020 一(二)4; 二、工作内容 乙肝感染孕产妇所生儿童"},
    {"infant_hepb2", In::kHbv, S::kInfant, C::kAlways, A::kBirth, U::kMonths, 1, 1, 0, "", 0, 0,
     true, "1月龄接种第2剂乙肝疫苗", "HepB dose 2 at 1 month",
     "国家免疫规划疫苗儿童免疫程序及说明（2021年版） HepB 0, 1, 6 月龄"},
    {"infant_hepb3", In::kHbv, S::kInfant, C::kAlways, A::kBirth, U::kMonths, 6, 1, 0, "", 0, 0,
     true, "6月龄接种第3剂乙肝疫苗", "HepB dose 3 at 6 months",
     "国家免疫规划疫苗儿童免疫程序及说明（2021年版） HepB 0, 1, 6 月龄"},
    {"infant_hbv_serology", In::kHbv, S::kInfant, C::kAlways, A::kBirth, U::kMonths, 7, 5, 0,
     "infant_hepb3", 1, 2, false, "乙肝表面抗原和表面抗体检测（7～12月龄，第3剂后1～2个月）",
     "HBsAg and anti-HBs test at 7–12 months, 1–2 months after HepB dose 3",
     "规范2020 一(二)7 (HBsAg within 12 months); 二、工作内容 乙肝感染孕产妇所生儿童 [unc: 7–12 "
     "months, 1–2 months after dose 3]"},
}};

bool Applies(const PmtctItemSpec& s, const PmtctInput& in) {
  switch (s.condition) {
    case C::kAlways:
      return true;
    case C::kHivStandardRisk:
      return !in.hiv_high_exposure_risk;
    case C::kHivHighRisk:
      return in.hiv_high_exposure_risk;
    case C::kHiv12mNotNegative:
      return !in.hiv_12m_antibody_negative;
    case C::kSyphilisProphylaxisIndicated:
      return in.syphilis_prophylaxis_indicated;
  }
  return false;
}

const PmtctDiagnosis* FindInfection(const PmtctInput& in, PmtctInfection i) {
  for (const PmtctDiagnosis& d : in.infections) {
    if (d.infection == i) return &d;
  }
  return nullptr;
}

bool Listed(const PmtctItemSpec& s, const PmtctInput& in) {
  return FindInfection(in, s.infection) != nullptr && Applies(s, in);
}

// Due date and last on-time day of a dated row counted from `anchor`.
void Window(const PmtctItemSpec& s, const Date& anchor, PmtctEntry& e) {
  if (s.unit == U::kDays) {
    e.due = AddDays(anchor, s.offset);
    e.window_end = AddDays(*e.due, s.window);
  } else {
    e.due = AddMonths(anchor, s.offset);
    e.window_end = AddDays(AddMonths(anchor, s.offset + s.window), -1);
  }
}

}  // namespace

std::span<const PmtctItemSpec> PmtctSchedule() { return kSchedule; }

const PmtctItemSpec* FindPmtctItem(std::string_view code) {
  for (const PmtctItemSpec& s : PmtctSchedule()) {
    if (s.code == code) return &s;
  }
  return nullptr;
}

Result<PmtctPlan> PlanPmtct(const PmtctInput& in) {
  FieldErrors errors;
  if (in.infections.empty()) {
    errors.Add("infections", "required", "请至少选择一种感染（艾滋病、梅毒、乙肝）",
               "infections must name at least one of hiv, syphilis, hbv");
  }
  for (std::size_t i = 0; i < in.infections.size(); ++i) {
    const PmtctDiagnosis& d = in.infections[i];
    if (FindInfection(in, d.infection) != &d) {
      std::string f = fmt::format("infections[{}].infection", i);
      errors.Add(f, "duplicate", f + " 重复", f + " is listed twice");
    }
    if (d.diagnosed_on && in.as_of < *d.diagnosed_on) {
      std::string f = fmt::format("infections[{}].diagnosed_on", i);
      errors.Add(f, "after_as_of", f + " 晚于 as_of", f + " is after as_of");
    }
  }
  auto flag = [&](bool set, PmtctInfection needs, const char* field) {
    if (set && !FindInfection(in, needs)) {
      errors.Add(field, "without_infection", std::string(field) + " 需要列出相应感染",
                 std::string(field) + " is set but its infection is not listed");
    }
  };
  flag(in.hiv_high_exposure_risk, PmtctInfection::kHiv, "hiv_high_exposure_risk");
  flag(in.hiv_12m_antibody_negative, PmtctInfection::kHiv, "hiv_12m_antibody_negative");
  flag(in.syphilis_prophylaxis_indicated, PmtctInfection::kSyphilis,
       "syphilis_prophylaxis_indicated");
  for (std::size_t i = 0; i < in.records.size(); ++i) {
    const PmtctRecord& r = in.records[i];
    const PmtctItemSpec* s = FindPmtctItem(r.item);
    if (!s) {
      std::string f = fmt::format("records[{}].item", i);
      errors.Add(f, "unknown_item", f + " 不是已知的随访项目", f + " is not a known item");
      continue;
    }
    if (!Listed(*s, in)) {
      std::string f = fmt::format("records[{}].item", i);
      errors.Add(f, "not_applicable", f + " 不适用于本例", f + " does not apply to this case");
    }
    std::string f = fmt::format("records[{}].date", i);
    if (s->subject == PmtctSubject::kInfant && r.date < in.birth) {
      errors.Add(f, "before_birth", f + " 早于出生日期", f + " is before the birth date");
    } else if (in.as_of < r.date) {
      errors.Add(f, "after_as_of", f + " 晚于 as_of", f + " is after as_of");
    }
  }
  if (!errors.empty()) return errors.ToStatus();

  PmtctPlan plan;
  for (const PmtctItemSpec& s : PmtctSchedule()) {
    if (Listed(s, in)) plan.entries.push_back({.item = &s});
  }
  // The earliest record of an item counts; later ones are repeats.
  std::vector<std::size_t> order(in.records.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return in.records[a].date < in.records[b].date;
  });
  for (std::size_t i : order) {
    const PmtctRecord& r = in.records[i];
    auto e = std::find_if(plan.entries.begin(), plan.entries.end(),
                          [&](const PmtctEntry& x) { return x.item->code == r.item; });
    if (e->done_on) {
      plan.repeats.push_back({i, e->item, r.date});
    } else {
      e->done_on = r.date;
      e->record_index = i;
    }
  }
  auto done_on = [&](std::string_view code) -> std::optional<Date> {
    for (const PmtctEntry& x : plan.entries) {
      if (x.item->code == code) return x.done_on;
    }
    return std::nullopt;
  };
  for (PmtctEntry& e : plan.entries) {
    const PmtctItemSpec& s = *e.item;
    if (s.anchor == A::kBirth) {
      Window(s, in.birth, e);
    } else if (s.anchor == A::kDiagnosis) {
      if (auto d = FindInfection(in, s.infection)->diagnosed_on) Window(s, *d, e);
    }
    if (!s.after.empty() && e.due) {
      if (auto prior = done_on(s.after)) {
        e.due = std::max(*e.due, AddMonths(*prior, s.after_start_months));
        e.window_end = std::max(*e.window_end, AddDays(AddMonths(*prior, s.after_end_months), -1));
      }
    }
    if (e.done_on) {
      e.status = PmtctStatus::kDone;
      e.done_on_time = !e.due || (*e.due <= *e.done_on && *e.done_on <= *e.window_end);
    } else if (!e.due) {
      e.status = PmtctStatus::kDue;
    } else if (in.as_of < *e.due) {
      e.status = PmtctStatus::kUpcoming;
    } else if (in.as_of <= *e.window_end) {
      e.status = PmtctStatus::kDue;
    } else {
      e.status = PmtctStatus::kOverdue;
    }
  }
  // The mother's items first, in table order; the baby's by due date.
  std::stable_sort(plan.entries.begin(), plan.entries.end(),
                   [](const PmtctEntry& a, const PmtctEntry& b) {
                     bool am = a.item->subject == PmtctSubject::kMother;
                     bool bm = b.item->subject == PmtctSubject::kMother;
                     if (am || bm) return am && !bm;
                     return a.due < b.due;
                   });
  return plan;
}

std::string_view PmtctInfectionCode(PmtctInfection i) {
  static constexpr std::array<std::string_view, 3> kCodes{"hiv", "syphilis", "hbv"};
  return kCodes[static_cast<std::size_t>(i)];
}

std::optional<PmtctInfection> ParsePmtctInfection(std::string_view code) {
  for (PmtctInfection i : {In::kHiv, In::kSyphilis, In::kHbv}) {
    if (PmtctInfectionCode(i) == code) return i;
  }
  return std::nullopt;
}

std::string_view PmtctSubjectCode(PmtctSubject s) {
  return s == PmtctSubject::kMother ? "mother" : "infant";
}

std::string_view PmtctStatusCode(PmtctStatus s) {
  static constexpr std::array<std::string_view, 4> kCodes{"done", "upcoming", "due", "overdue"};
  return kCodes[static_cast<std::size_t>(s)];
}

Result<PmtctInput> PmtctInputFromJson(const nlohmann::json& body, const Date& today) {
  if (!body.is_object()) {
    return Status::Invalid(
        {{"", "wrong_type", "输入应为 JSON 对象", "the input must be a JSON object"}});
  }
  FieldErrors errors;
  PmtctInput in;
  auto birth = DateMember(body, "birth_date", DateKind::kBirth, today, Presence::kRequired, errors);
  auto as_of = DateMember(body, "as_of", DateKind::kAsOf, today, Presence::kRequired, errors);
  ForEachObject(body, "infections", 3, errors, [&](const nlohmann::json& x, const std::string& at) {
    std::string code = TextMember(x, "infection", FieldKind::kCode, errors);
    auto infection = ParsePmtctInfection(code);
    if (!infection) {
      errors.Add(at + ".infection", "unknown_infection", "感染应为 hiv、syphilis 或 hbv",
                 "infection must be hiv, syphilis or hbv");
    }
    auto diagnosed =
        DateOf(x, "diagnosed_on", at, DateKind::kPastEvent, today, Presence::kOptional, errors);
    if (infection) in.infections.push_back({*infection, diagnosed});
  });
  for (auto [key, into] :
       {std::pair{"hiv_high_exposure_risk", &in.hiv_high_exposure_risk},
        std::pair{"hiv_12m_antibody_negative", &in.hiv_12m_antibody_negative},
        std::pair{"syphilis_prophylaxis_indicated", &in.syphilis_prophylaxis_indicated}}) {
    auto it = body.find(key);
    if (it == body.end() || it->is_null()) continue;
    if (!it->is_boolean()) {
      errors.Add(key, "wrong_type", std::string(key) + " 应为 true 或 false",
                 std::string(key) + " must be true or false");
    } else {
      *into = it->get<bool>();
    }
  }
  // 25 items; 200 leaves room for repeated tests and doses.
  ForEachObject(body, "records", 200, errors, [&](const nlohmann::json& r, const std::string& at) {
    std::string item = TextMember(r, "item", FieldKind::kCode, errors);
    if (!FindPmtctItem(item)) {
      errors.Add(at + ".item", "unknown_item", "未知的随访项目", "unknown item code");
    }
    auto date = DateOf(r, "date", at, DateKind::kPastEvent, today, Presence::kRequired, errors);
    if (date) in.records.push_back({item, *date});
  });
  if (!errors.empty()) return errors.ToStatus();
  in.birth = *birth;
  in.as_of = *as_of;
  return in;
}

nlohmann::json PmtctPlanToJson(const PmtctPlan& plan) {
  using nlohmann::json;
  auto date_or_null = [](const std::optional<Date>& d) -> json {
    return d ? json(FormatDate(*d)) : json(nullptr);
  };
  json items = json::array();
  for (const PmtctEntry& e : plan.entries) {
    const PmtctItemSpec& s = *e.item;
    items.push_back({
        {"code", s.code},
        {"subject", PmtctSubjectCode(s.subject)},
        {"infection", PmtctInfectionCode(s.infection)},
        {"label_zh", s.label_zh},
        {"label_en", s.label_en},
        {"status", PmtctStatusCode(e.status)},
        {"due", date_or_null(e.due)},
        {"window_end", date_or_null(e.window_end)},
        {"within_hours", s.within_hours > 0 ? json(s.within_hours) : json(nullptr)},
        {"done_on", date_or_null(e.done_on)},
        {"done_on_time", e.done_on_time},
        {"confirmed", s.confirmed},
        {"cite", s.cite},
    });
  }
  json repeats = json::array();
  for (const PmtctRepeat& r : plan.repeats) {
    repeats.push_back({{"item", r.item->code}, {"date", FormatDate(r.date)}});
  }
  return {{"rules", kPmtctRules}, {"items", std::move(items)}, {"repeats", std::move(repeats)}};
}

}  // namespace jd::maternal
