// File: immunization/campaign.h
// Supplementary and emergency immunisation campaigns (补充免疫, 应急接种; 试点工作方案 §四(三) and
// 实施办法 §四(五) 三: "根据传染病防控需要, 开展乙肝、麻疹、脊灰等疫苗补充免疫、应急接种"): one
// vaccine for the children of an area in an age band, between two dates. Pure rules.
//
// CampaignFromJson(schedule, body, today, errors): the fields of a new campaign, every problem as
//   a field error (text and dates through core/input.h): name (1–100 characters), kind
//   ("supplementary" | "emergency"), vaccine (a catalogue code), age_from_months and age_to_months
//   (0–216, from ≤ to), area (an org code; the service resolves it), start_date ≤ end_date
//   (YYYY-MM-DD, DateKind::kScheduled, at most kMaxCampaignDays apart), note (optional,
//   FieldKind::kNote).
// InTargetBand(campaign, birth): the child is a target when born on or before the start date and
//   its completed months of age on the start date lie in [age_from_months, age_to_months]
//   (both ends included: "8月龄至14岁" is 8 to 179 months).
// CampaignRate(targets, vaccinated): vaccinated / targets, nullopt with no target.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "core/status.h"
#include "immunization/forecast.h"

namespace jd::immunization {

inline constexpr int kMaxCampaignDays = 366;
inline constexpr int kMaxCampaignAgeMonths = 216;  // 18 years: the catch-up limit of 说明 二(一)

enum class CampaignKind : std::uint8_t { kSupplementary, kEmergency };
std::string_view CampaignKindCode(CampaignKind k);
std::string_view CampaignKindZh(CampaignKind k);
std::optional<CampaignKind> ParseCampaignKind(std::string_view code);

struct Campaign {
  std::string id;
  std::string name;
  CampaignKind kind = CampaignKind::kSupplementary;
  std::string vaccine;  // catalogue code
  int age_from_months = 0;
  int age_to_months = 0;
  std::string area_code;
  std::string area_path;
  Date start{};
  Date end{};
  std::string note;
  std::string created_at, created_by;
};

Campaign CampaignFromJson(const Schedule& schedule, const nlohmann::json& body, const Date& today,
                          FieldErrors& errors);

bool InTargetBand(const Campaign& c, Date birth);

std::optional<double> CampaignRate(int targets, int vaccinated);

// Completed calendar months from `birth` to `on` (end-of-month clamped; 0 before birth).
int CompletedMonths(Date birth, Date on);

}  // namespace jd::immunization
