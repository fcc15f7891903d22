// File: maternal/model.h
// What the maternal store keeps (migration 0010): a pregnancy (the episode of the 母子健康手册),
// its visits and its risk assessments, as plain structs. The schedule is not stored: it is computed
// from these (maternal/antenatal.h); the pregnancy only keeps what lists filter on.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/dates.h"
#include "maternal/antenatal.h"
#include "maternal/pregnancy.h"
#include "registry/model.h"

namespace jd::maternal {

enum class DeliveryMode { kVaginal, kCaesarean, kAssisted };
// Why a pregnancy ended without a delivery.
enum class EndReason { kMiscarriage, kInducedAbortion, kEctopic, kMolar, kOther };

struct Pregnancy {
  std::string id;
  std::string person_id;
  std::string clinic_code;  // the centre that keeps the 母子健康手册
  Dating dating;
  std::optional<Date> ultrasound_date;
  std::optional<GestationalAge> ultrasound_ga;
  Date registered_on{};
  int gravidity = 1;  // 孕次, this pregnancy included
  int parity = 0;     // 产次, before this pregnancy
  // The latest risk assessment.
  std::string risk_colour;
  std::vector<std::string> risk_coexisting;
  std::optional<Date> risk_assessed_on;
  bool high_risk = false;
  std::optional<Date> delivered_on;
  std::optional<Date> discharged_on;
  std::optional<DeliveryMode> delivery_mode;
  std::string delivery_place;
  std::optional<int> live_births;
  std::optional<Date> ended_on;
  std::optional<EndReason> end_reason;
  std::optional<Date> closed_on;  // the 42-day check, or the end without a delivery
  std::optional<Date> next_due_on;
  int antenatal_visits = 0;
  int version = 1;
  std::string created_at, created_by, updated_at, updated_by;

  EpisodeDates Episode() const {
    return {dating, registered_on, delivered_on, discharged_on, ended_on};
  }
};

// What an antenatal visit records (规范 第三版 孕产妇健康管理服务规范 二(一)–(三): 血压、体重、
// 宫底高度、胎心率、血红蛋白、尿蛋白, and the advice given); a postpartum visit uses the same
// fields.
struct VisitMeasures {
  std::optional<int> systolic;   // mmHg
  std::optional<int> diastolic;  // mmHg
  std::optional<double> weight_kg;
  std::optional<double> fundal_height_cm;
  std::optional<int> fetal_heart_rate;  // beats per minute
  std::optional<double> haemoglobin_g_l;
  std::string urine_protein;  // "-", "±", "+", "++", "+++", "++++" or ""
  std::string advice;
};

struct PregnancyVisit {
  std::string id;
  std::string pregnancy_id;
  VisitKind kind = VisitKind::kAntenatal;
  Date date{};
  std::optional<GestationalAge> ga;  // antenatal visits
  std::string clinic_code;
  VisitMeasures measures;
  std::string recorded_at, recorded_by;
};

// A child of the delivery, a registry person of its own.
struct Newborn {
  int seq = 1;  // birth order
  std::string person_id;
  std::string name;  // as registered; empty when the child now lives outside the reader's scope
  registry::Sex sex = registry::Sex::kFemale;
  std::optional<int> birth_weight_g;
  std::optional<double> birth_length_cm;
};

struct StoredAssessment {
  std::string id;
  std::string pregnancy_id;
  Date assessed_on{};
  std::string colour;
  std::vector<std::string> coexisting;
  std::vector<std::string> conditions;  // every condition found
  std::vector<std::string> derived;     // those computed from measurements and tests
  std::optional<std::string> stated_colour;
  std::string colour_set;
  std::string recorded_at, recorded_by;
};

// The schedule of `p` on `today` from its visits (ComputeCareSchedule), and what the pregnancy
// keeps of it for the lists: the visit count, next_due_on (the earliest window start of a contact
// still due, overdue or upcoming; none once closed) and closed_on when the 42-day check is done
// (规范 第三版 孕产妇健康管理服务规范 二(五)). Pure.
CareSchedule RefreshPregnancy(Pregnancy& p, const std::vector<PregnancyVisit>& visits, Date today);

std::string_view DeliveryModeCode(DeliveryMode m);  // "vaginal", "caesarean", "assisted"
std::optional<DeliveryMode> ParseDeliveryMode(std::string_view code);
std::string_view EndReasonCode(EndReason r);  // "miscarriage", "induced_abortion", …
std::optional<EndReason> ParseEndReason(std::string_view code);

}  // namespace jd::maternal
