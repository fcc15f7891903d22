#include "child/checkups.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <numeric>

#include "core/input.h"
#include "core/json_array.h"

namespace jd::child {

namespace {

using I = Item;

struct ContactSpec {
  ContactKind kind;
  std::string_view code;
  std::string_view zh;
  std::string_view en;
  int age_months;      // the opening age; unused for the newborn visit and month_1
  int on_time_months;  // our policy: on time until the day before age + this many months
  std::span<const Item> items;
};

// 规范 第三版 0～6岁儿童健康管理服务规范 二(一): the newborn visit records the birth weight and
// length, takes the temperature, examines the baby, checks newborn screening and the birth vaccines
// (BCG, HepB dose 1) and gives feeding guidance.
constexpr std::array kNewbornItems{
    I::kTemperature,           I::kWeight,           I::kLengthHeight,   I::kPhysicalExam,
    I::kNewbornScreeningCheck, I::kVaccinationCheck, I::kFeedingGuidance};
// 二(二): weight, length and head circumference, examination, feeding guidance.
constexpr std::array kMonth1Items{I::kWeight, I::kLengthHeight, I::kHeadCircumference,
                                  I::kPhysicalExam, I::kFeedingGuidance};
// 二(三): every infant check-up measures, examines and assesses growth and development, and
// guides feeding (breastfeeding, complementary food).
constexpr std::array kInfantItems{
    I::kWeight,           I::kLengthHeight,          I::kHeadCircumference, I::kPhysicalExam,
    I::kGrowthAssessment, I::kDevelopmentAssessment, I::kFeedingGuidance};
// 二(三): haemoglobin and hearing screening at 6, 12, 24 and 36 months (third edition; see
// kHbHearingEdition). 规范 第三版 中医药健康管理服务规范（0～36个月儿童）: guidance at 6, 12, 18,
// 24, 30 and 36 months.
constexpr std::array kTcm{I::kTcmGuidance};
constexpr std::array kHbHearingTcm{I::kHemoglobin, I::kHearingScreening, I::kTcmGuidance};

template <std::size_t N, std::size_t M>
constexpr std::array<Item, N + M> Concat(const std::array<Item, N>& a,
                                         const std::array<Item, M>& b) {
  std::array<Item, N + M> out{};
  std::copy(a.begin(), a.end(), out.begin());
  std::copy(b.begin(), b.end(), out.begin() + N);
  return out;
}
constexpr auto kInfantTcmItems = Concat(kInfantItems, kTcm);
constexpr auto kInfantHbHearingTcmItems = Concat(kInfantItems, kHbHearingTcm);
// 二(四): once a year at 4–6 years: measurement, examination, development assessment,
// haemoglobin, vision screening, diet guidance.
constexpr std::array kPreschoolItems{
    I::kWeight,           I::kLengthHeight,          I::kPhysicalExam,
    I::kGrowthAssessment, I::kDevelopmentAssessment, I::kHemoglobin,
    I::kVisionScreening,  I::kDietGuidance};

constexpr std::array<ContactSpec, kContactCount> kContacts{{
    {ContactKind::kNewbornVisit, "newborn_visit", "新生儿家庭访视", "newborn home visit", 0, 0,
     kNewbornItems},
    {ContactKind::kOneMonth, "month_1", "新生儿满月健康管理", "one-month check-up", 0, 0,
     kMonth1Items},
    {ContactKind::kMonth3, "m3", "3月龄健康检查", "3-month check-up", 3, 1, kInfantItems},
    {ContactKind::kMonth6, "m6", "6月龄健康检查", "6-month check-up", 6, 1,
     kInfantHbHearingTcmItems},
    {ContactKind::kMonth8, "m8", "8月龄健康检查", "8-month check-up", 8, 1, kInfantItems},
    {ContactKind::kMonth12, "m12", "12月龄健康检查", "12-month check-up", 12, 1,
     kInfantHbHearingTcmItems},
    {ContactKind::kMonth18, "m18", "18月龄健康检查", "18-month check-up", 18, 2, kInfantTcmItems},
    {ContactKind::kMonth24, "m24", "24月龄健康检查", "24-month check-up", 24, 2,
     kInfantHbHearingTcmItems},
    {ContactKind::kMonth30, "m30", "30月龄健康检查", "30-month check-up", 30, 2, kInfantTcmItems},
    {ContactKind::kMonth36, "m36", "36月龄健康检查", "36-month check-up", 36, 2,
     kInfantHbHearingTcmItems},
    {ContactKind::kYear4, "y4", "4岁健康检查", "4-year check-up", 48, 3, kPreschoolItems},
    {ContactKind::kYear5, "y5", "5岁健康检查", "5-year check-up", 60, 3, kPreschoolItems},
    {ContactKind::kYear6, "y6", "6岁健康检查", "6-year check-up", 72, 3, kPreschoolItems},
}};

struct ItemSpec {
  std::string_view code;
  std::string_view zh;
};
constexpr std::array kItems{
    ItemSpec{"weight", "体重"},
    ItemSpec{"length_height", "身长/身高"},
    ItemSpec{"head_circumference", "头围"},
    ItemSpec{"temperature", "体温"},
    ItemSpec{"physical_exam", "体格检查"},
    ItemSpec{"growth_assessment", "生长发育评估"},
    ItemSpec{"development_assessment", "心理行为发育评估"},
    ItemSpec{"hemoglobin", "血常规（或血红蛋白）检测"},
    ItemSpec{"hearing_screening", "听力筛查"},
    ItemSpec{"vision_screening", "视力筛查"},
    ItemSpec{"newborn_screening_check", "新生儿疾病筛查情况"},
    ItemSpec{"vaccination_check", "卡介苗和第1剂乙肝疫苗接种情况"},
    ItemSpec{"feeding_guidance", "喂养指导"},
    ItemSpec{"diet_guidance", "合理膳食指导"},
    ItemSpec{"tcm_guidance", "中医药健康指导"},
};

// 规范 二(一) "出院后1周内": on time through discharge + 7 days. Our policy: overdue until day 28
// after discharge, missed from then on.
constexpr int kNewbornOnTimeDays = 7;
constexpr int kNewbornMissedDays = 28;
// 规范 二(二) "出生后28～30天": opens on day 28. Our policy: on time through day 35.
constexpr int kOneMonthOpenDay = 28;
constexpr int kOneMonthOnTimeDay = 35;
// The 0–6 population ends at 7 years of age, which is also when y6 turns missed.
constexpr int kManagementEndMonths = 84;
constexpr int kUnder3Months = 36;

const ContactSpec& Spec(ContactKind k) { return kContacts[static_cast<std::size_t>(k)]; }

bool InWindow(const CheckupEntry& e, const Date& d) {
  return e.window_start <= d && d <= e.window_end;
}
bool OverdueOn(const CheckupEntry& e, const Date& d) {
  return e.window_end < d && d < e.missed_from;
}

void Assign(CheckupEntry& e, const ContactRecord& r, std::size_t index) {
  e.done_on = r.date;
  e.record_index = index;
  e.done_on_time = InWindow(e, r.date);
  e.timing = e.done_on_time            ? Timing::kOnTime
             : r.date < e.window_start ? Timing::kEarly
                                       : Timing::kLate;
}

}  // namespace

std::vector<CheckupEntry> ScheduleWindows(const Date& birth, const std::optional<Date>& discharge) {
  std::vector<CheckupEntry> out(kContactCount);
  for (std::size_t i = 0; i < kContacts.size(); ++i) {
    const ContactSpec& s = kContacts[i];
    CheckupEntry& e = out[i];
    e.kind = s.kind;
    if (s.kind == ContactKind::kNewbornVisit) {
      // 规范 二(一): the newborn visit is counted from discharge.
      Date from = discharge.value_or(birth);
      e.window_start = from;
      e.window_end = AddDays(from, kNewbornOnTimeDays);
      e.missed_from = AddDays(from, kNewbornMissedDays);
    } else if (s.kind == ContactKind::kOneMonth) {
      // 规范 二(二): days 28–30; on time through day 35 (policy).
      e.window_start = AddDays(birth, kOneMonthOpenDay);
      e.window_end = AddDays(birth, kOneMonthOnTimeDay);
    } else {
      // 规范 二(三), 二(四): the check-up ages; on time until age + 1/2/3 months (policy).
      e.window_start = AddMonths(birth, s.age_months);
      e.window_end = AddDays(AddMonths(birth, s.age_months + s.on_time_months), -1);
    }
  }
  // Every contact after the newborn visit is overdue until the next one opens; y6 until age 7.
  for (std::size_t i = 1; i < out.size(); ++i) {
    out[i].missed_from =
        i + 1 < out.size() ? out[i + 1].window_start : AddMonths(birth, kManagementEndMonths);
  }
  return out;
}

Result<CheckupPlan> PlanCheckups(const CheckupInput& in) {
  FieldErrors errors;
  if (in.as_of < in.birth) {
    errors.Add("as_of", "before_birth", "as_of 早于出生日期", "as_of is before the birth date");
  }
  if (in.discharge && *in.discharge < in.birth) {
    errors.Add("discharge_date", "before_birth", "出院日期早于出生日期",
               "discharge_date is before the birth date");
  }
  for (std::size_t i = 0; i < in.contacts.size(); ++i) {
    std::string field = fmt::format("contacts[{}].date", i);
    if (in.contacts[i].date < in.birth) {
      errors.Add(field, "before_birth", field + " 早于出生日期",
                 field + " is before the birth date");
    } else if (in.as_of < in.contacts[i].date && !(in.as_of < in.birth)) {
      errors.Add(field, "after_as_of", field + " 晚于 as_of", field + " is after as_of");
    }
  }
  if (!errors.empty()) return errors.ToStatus();

  CheckupPlan plan;
  plan.entries = ScheduleWindows(in.birth, in.discharge);
  std::vector<std::size_t> order(in.contacts.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
    return in.contacts[a].date < in.contacts[b].date;
  });
  auto extra = [&](std::size_t i, ExtraReason why) {
    plan.extra.push_back({i, in.contacts[i].date, in.contacts[i].kind, why});
  };
  // Records that name their contact first: the worker's word wins over the calendar.
  for (std::size_t i : order) {
    const ContactRecord& r = in.contacts[i];
    if (!r.kind) continue;
    CheckupEntry& e = plan.entries[static_cast<std::size_t>(*r.kind)];
    if (e.done_on) {
      extra(i, ExtraReason::kDuplicate);
    } else {
      Assign(e, r, i);
    }
  }
  // Then the bare dates, oldest first: an open on-time window, else the earliest overdue contact.
  for (std::size_t i : order) {
    const ContactRecord& r = in.contacts[i];
    if (r.kind) continue;
    auto open = [&](auto pred) {
      return std::find_if(plan.entries.begin(), plan.entries.end(),
                          [&](const CheckupEntry& e) { return !e.done_on && pred(e, r.date); });
    };
    auto it = open(InWindow);
    if (it == plan.entries.end()) it = open(OverdueOn);
    if (it == plan.entries.end()) {
      extra(i, ExtraReason::kNoOpenContact);
    } else {
      Assign(*it, r, i);
    }
  }
  std::stable_sort(plan.extra.begin(), plan.extra.end(),
                   [](const ExtraContact& a, const ExtraContact& b) { return a.date < b.date; });

  for (CheckupEntry& e : plan.entries) {
    if (e.done_on) {
      e.status = CheckupStatus::kDone;
    } else if (in.as_of < e.window_start) {
      e.status = CheckupStatus::kUpcoming;
    } else if (in.as_of <= e.window_end) {
      e.status = CheckupStatus::kDue;
    } else if (in.as_of < e.missed_from) {
      e.status = CheckupStatus::kOverdue;
    } else {
      e.status = CheckupStatus::kMissed;
    }
  }
  return plan;
}

ManagementSummary Summarize(const CheckupInput& in, const CheckupPlan& plan) {
  ManagementSummary s;
  s.in_management = in.as_of < AddMonths(in.birth, kManagementEndMonths);
  s.under_3 = in.as_of < AddMonths(in.birth, kUnder3Months);
  const Date year_ago = AddMonths(in.as_of, -12);
  for (const CheckupEntry& e : plan.entries) {
    if (e.done_on) {
      ++s.done;
      if (e.done_on_time) ++s.done_on_time;
      if (ContactKind::kMonth3 <= e.kind && e.kind <= ContactKind::kMonth36) {
        ++s.infant_checkups_done;
      }
      if (year_ago < *e.done_on && *e.done_on <= in.as_of) ++s.done_in_last_12_months;
    }
    s.due += e.status == CheckupStatus::kDue ? 1 : 0;
    s.overdue += e.status == CheckupStatus::kOverdue ? 1 : 0;
    s.missed += e.status == CheckupStatus::kMissed ? 1 : 0;
    bool open = e.status == CheckupStatus::kUpcoming || e.status == CheckupStatus::kDue ||
                e.status == CheckupStatus::kOverdue;
    if (open && !s.next) {
      s.next = e.kind;
      s.next_date = e.window_start;
    }
  }
  s.extra = static_cast<int>(plan.extra.size());
  return s;
}

std::span<const Item> ContactItems(ContactKind kind) { return Spec(kind).items; }
std::string_view ContactCode(ContactKind kind) { return Spec(kind).code; }
std::string_view ContactLabelZh(ContactKind kind) { return Spec(kind).zh; }
std::string_view ContactLabelEn(ContactKind kind) { return Spec(kind).en; }

std::optional<ContactKind> ContactFromCode(std::string_view code) {
  for (const ContactSpec& s : kContacts) {
    if (s.code == code) return s.kind;
  }
  return std::nullopt;
}

std::string_view ItemCode(Item item) { return kItems[static_cast<std::size_t>(item)].code; }
std::string_view ItemLabelZh(Item item) { return kItems[static_cast<std::size_t>(item)].zh; }

std::string_view StatusCode(CheckupStatus s) {
  static constexpr std::array<std::string_view, 5> kCodes{"done", "upcoming", "due", "overdue",
                                                          "missed"};
  return kCodes[static_cast<std::size_t>(s)];
}

std::string_view TimingCode(Timing t) {
  static constexpr std::array<std::string_view, 3> kCodes{"early", "on_time", "late"};
  return kCodes[static_cast<std::size_t>(t)];
}

std::string_view ExtraReasonCode(ExtraReason r) {
  return r == ExtraReason::kDuplicate ? "duplicate" : "no_open_contact";
}

ChildDates ChildDatesFromJson(const nlohmann::json& body, const Date& today, FieldErrors& errors) {
  ChildDates d;
  if (!body.is_object()) {
    errors.Add("", "wrong_type", "输入应为 JSON 对象", "the input must be a JSON object");
    return d;
  }
  d.birth = DateMember(body, "birth_date", DateKind::kBirth, today, Presence::kRequired, errors);
  d.discharge =
      DateMember(body, "discharge_date", DateKind::kPastEvent, today, Presence::kOptional, errors);
  d.as_of = DateMember(body, "as_of", DateKind::kAsOf, today, Presence::kRequired, errors);
  return d;
}

Result<CheckupInput> CheckupInputFromJson(const nlohmann::json& body, const Date& today) {
  FieldErrors errors;
  const ChildDates dates = ChildDatesFromJson(body, today, errors);
  if (!body.is_object()) return errors.ToStatus();
  CheckupInput in;
  in.discharge = dates.discharge;
  // A child has 13 scheduled contacts; 200 leaves room for any number of added visits.
  ForEachObject(body, "contacts", 200, errors, [&](const nlohmann::json& c, const std::string& at) {
    auto date = DateOf(c, "date", at, DateKind::kPastEvent, today, Presence::kRequired, errors);
    std::optional<ContactKind> kind;
    if (auto k = OptionalTextMember(c, "kind", FieldKind::kCode, errors); k && !k->empty()) {
      kind = ContactFromCode(*k);
      if (!kind) {
        errors.Add(at + ".kind", "unknown_kind", "未知的随访类别", "unknown contact kind");
      }
    }
    if (date) in.contacts.push_back({*date, kind});
  });
  if (!errors.empty()) return errors.ToStatus();
  in.birth = *dates.birth;
  in.as_of = *dates.as_of;
  return in;
}

nlohmann::json CheckupPlanToJson(const CheckupInput& in, const CheckupPlan& plan) {
  using nlohmann::json;
  auto date_or_null = [](const std::optional<Date>& d) -> json {
    return d ? json(FormatDate(*d)) : json(nullptr);
  };
  json contacts = json::array();
  for (const CheckupEntry& e : plan.entries) {
    json items = json::array();
    for (Item item : ContactItems(e.kind)) items.push_back(ItemCode(item));
    contacts.push_back({
        {"code", ContactCode(e.kind)},
        {"label_zh", ContactLabelZh(e.kind)},
        {"label_en", ContactLabelEn(e.kind)},
        {"status", StatusCode(e.status)},
        {"window_start", FormatDate(e.window_start)},
        {"window_end", FormatDate(e.window_end)},
        {"missed_from", FormatDate(e.missed_from)},
        {"done_on", date_or_null(e.done_on)},
        {"done_on_time", e.done_on_time},
        {"timing", e.timing ? json(TimingCode(*e.timing)) : json(nullptr)},
        {"items", std::move(items)},
    });
  }
  json extra = json::array();
  for (const ExtraContact& x : plan.extra) {
    extra.push_back({{"date", FormatDate(x.date)},
                     {"kind", x.kind ? json(ContactCode(*x.kind)) : json(nullptr)},
                     {"reason", ExtraReasonCode(x.reason)}});
  }
  ManagementSummary s = Summarize(in, plan);
  json summary = {
      {"in_management", s.in_management},
      {"under_3", s.under_3},
      {"next", s.next ? json(ContactCode(*s.next)) : json(nullptr)},
      {"next_date", date_or_null(s.next_date)},
      {"done", s.done},
      {"done_on_time", s.done_on_time},
      {"infant_checkups_done", s.infant_checkups_done},
      {"done_in_last_12_months", s.done_in_last_12_months},
      {"due", s.due},
      {"overdue", s.overdue},
      {"missed", s.missed},
      {"extra", s.extra},
  };
  return {{"hb_hearing_edition", kHbHearingEditionCode},
          {"contacts", std::move(contacts)},
          {"extra", std::move(extra)},
          {"summary", std::move(summary)}};
}

}  // namespace jd::child
