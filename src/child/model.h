// File: child/model.h
// What the child-health store keeps (migrations 0011 and 0015): a check-up of a child of 0–6
// years and a newborn screening result, as plain structs. The schedule, the screening items and the
// z-scores are not stored: they are computed from these rows, the child's birth date and sex
// (child/checkups.h, child/screening.h, child/growth.h).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "child/checkups.h"
#include "child/growth.h"
#include "child/screening.h"
#include "core/dates.h"

namespace jd::child {

// 听力筛查 (行为测听法) and 心理行为发育评估 results (规范 二(三)–(四)): passed or referred.
enum class HearingResult { kPass, kRefer };
enum class DevelopmentResult { kNormal, kAbnormal };

// One contact of 规范 二(一)–(四), or an added one: the measures taken, the tests and the advice.
struct Checkup {
  std::string id;
  std::string person_id;
  std::optional<ContactKind> kind;  // as the recorder named it; none: assigned by its date
  Date date{};
  std::string clinic_code;
  std::optional<double> weight_kg;
  std::optional<double> length_height_cm;
  std::optional<LengthMeasure> measure;  // none: recumbent before 731 days, standing from then
  std::optional<double> head_cm;
  std::optional<double> haemoglobin_g_l;
  std::optional<HearingResult> hearing;
  std::optional<DevelopmentResult> development;
  std::string vision;             // 视力 as written, e.g. "5.0/4.9" (4–6 years)
  bool feeding_guidance = false;  // 喂养指导 / 合理膳食指导 given
  bool tcm_guidance = false;      // 中医药健康指导 given (6–36 months)
  std::string advice;
  std::optional<Date> discharged_on;  // the newborn visit: the discharge from hospital
  std::string recorded_at, recorded_by;
};

// A newborn screening result as the screening centre reported it
// (新生儿疾病筛查技术规范（2010年版）): the centre is an org unit of the registry or, for a
// hospital outside it, its name.
struct NewbornScreening {
  std::string id;
  std::string person_id;
  ScreeningRecord record;  // kind, sample or test date, result, diagnosis
  std::string facility_code;
  std::string facility_name;
  std::string recorded_at, recorded_by;
};

// The measure used for the z-scores when none was recorded: recumbent length before 731 days,
// standing height from then (WHO Child Growth Standards 2006, ch. 7).
LengthMeasure DefaultMeasure(int age_days);

std::string_view HearingCode(HearingResult r);  // "pass", "refer"
std::optional<HearingResult> ParseHearing(std::string_view code);
std::string_view DevelopmentCode(DevelopmentResult r);  // "normal", "abnormal"
std::optional<DevelopmentResult> ParseDevelopment(std::string_view code);
std::string_view MeasureCode(LengthMeasure m);  // "recumbent", "standing"
std::optional<LengthMeasure> ParseMeasure(std::string_view code);

}  // namespace jd::child
