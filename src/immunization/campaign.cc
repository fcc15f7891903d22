#include "immunization/campaign.h"

#include <fmt/format.h>

#include <algorithm>

#include "immunization/input_fields.h"

namespace jd::immunization {

std::string_view CampaignKindCode(CampaignKind k) {
  return k == CampaignKind::kEmergency ? "emergency" : "supplementary";
}

std::string_view CampaignKindZh(CampaignKind k) {
  return k == CampaignKind::kEmergency ? "应急接种" : "补充免疫";
}

std::optional<CampaignKind> ParseCampaignKind(std::string_view code) {
  if (code == "supplementary" || code == "补充免疫") return CampaignKind::kSupplementary;
  if (code == "emergency" || code == "应急接种") return CampaignKind::kEmergency;
  return std::nullopt;
}

Campaign CampaignFromJson(const Schedule& schedule, const nlohmann::json& body, const Date& today,
                          FieldErrors& errors) {
  Campaign c;
  if (!body.is_object()) {
    errors.Add("", "wrong_type", "请求体应为 JSON 对象", "the body must be a JSON object");
    return c;
  }
  c.name = TextMember(body, "name", FieldKind::kShortText, errors);
  if (c.name.empty() && !errors.Has("name")) {
    errors.Add("name", "required", "活动名称为必填项", "name is required");
  }
  std::string kind = TextMember(body, "kind", FieldKind::kCode, errors);
  if (auto k = ParseCampaignKind(kind)) {
    c.kind = *k;
  } else if (!errors.Has("kind")) {
    errors.Add("kind", kind.empty() ? "required" : "invalid_value",
               "kind 应为 supplementary（补充免疫）或 emergency（应急接种）",
               "kind must be supplementary or emergency");
  }
  c.vaccine = TextMember(body, "vaccine", FieldKind::kCode, errors);
  if (c.vaccine.empty()) {
    if (!errors.Has("vaccine")) {
      errors.Add("vaccine", "required", "疫苗为必填项", "vaccine is required");
    }
  } else if (!schedule.Find(c.vaccine)) {
    errors.Add("vaccine", "unknown_vaccine", "疫苗代码不存在：" + c.vaccine,
               "no vaccine has the code " + c.vaccine);
  }
  auto from = IntField(body, "age_from_months", 0, kMaxCampaignAgeMonths, true, errors);
  auto to = IntField(body, "age_to_months", 0, kMaxCampaignAgeMonths, true, errors);
  if (from && to && *to < *from) {
    errors.Add("age_to_months", "before_from", "目标年龄上限小于下限",
               "age_to_months is below age_from_months");
  }
  c.age_from_months = from.value_or(0);
  c.age_to_months = to.value_or(0);
  c.area_code = TextMember(body, "area", FieldKind::kCode, errors);
  if (c.area_code.empty() && !errors.Has("area")) {
    errors.Add("area", "required", "area 为必填项（活动地区的机构代码）",
               "area is required (the org code of the campaign's area)");
  }
  auto start =
      DateMember(body, "start_date", DateKind::kScheduled, today, Presence::kRequired, errors);
  auto end = DateMember(body, "end_date", DateKind::kScheduled, today, Presence::kRequired, errors);
  if (start && end) {
    if (*end < *start) {
      errors.Add("end_date", "before_start", "结束日期早于开始日期",
                 "end_date is before start_date");
    } else if (DaysBetween(*start, *end) > kMaxCampaignDays) {
      errors.Add("end_date", "range_too_long",
                 fmt::format("活动期不能超过 {} 天", kMaxCampaignDays),
                 fmt::format("a campaign lasts at most {} days", kMaxCampaignDays));
    }
  }
  c.start = start.value_or(Date{});
  c.end = end.value_or(Date{});
  c.note = TextMember(body, "note", FieldKind::kNote, errors);
  return c;
}

int CompletedMonths(Date birth, Date on) {
  if (on <= birth) return 0;
  int months = (static_cast<int>(on.year()) - static_cast<int>(birth.year())) * 12 +
               (static_cast<int>(static_cast<unsigned>(on.month())) -
                static_cast<int>(static_cast<unsigned>(birth.month())));
  if (months > 0 && AddMonths(birth, months) > on) --months;
  return std::max(months, 0);
}

bool InTargetBand(const Campaign& c, Date birth) {
  if (birth > c.start) return false;
  int months = CompletedMonths(birth, c.start);
  return months >= c.age_from_months && months <= c.age_to_months;
}

std::optional<double> CampaignRate(int targets, int vaccinated) {
  if (targets <= 0) return std::nullopt;
  return static_cast<double>(vaccinated) / static_cast<double>(targets);
}

}  // namespace jd::immunization
