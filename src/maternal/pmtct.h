// File: maternal/pmtct.h
// The follow-up of a mother with HIV, syphilis or hepatitis B and of her baby under
// 预防艾滋病、梅毒和乙肝母婴传播工作规范（2020年版）(国卫办妇幼函〔2020〕52号, "规范2020"): which
// infections, the baby's birth date, the facts that change the schedule and the items recorded so
// far in; every item for the mother and the baby out, with its due date, its on-time window, its
// status on an as-of date and the date it was done. Pure functions; thread-safe.
//
// The schedule is a constexpr table in pmtct.cc, one row per item, each with its source. Items
// (规范2020 二、工作内容, the interventions for infected pregnant women and their children; the
// programme targets in 一(二) 2–4 and 7 name the same interventions):
//   HIV, mother   mother_hiv_art: antiretroviral therapy from the day the infection is found
//   HIV, infant   infant_arv_start within 6 h of birth; the prophylaxis to 4 weeks
//                 (infant_arv_4w) or, at high exposure risk, triple drugs to 6 weeks
//                 (infant_arv_6w); nucleic-acid tests (early infant diagnosis) within 48 h, at 6
//                 weeks and at 3 months; cotrimoxazole from 6 weeks; antibody tests at 12 months
//                 and at 18 months (the 18-month test only when the 12-month one was not negative)
//   syphilis      mother_syphilis_treatment from the day it is found; the baby's non-treponemal
//                 test at birth, prophylactic benzathine penicillin when indicated, follow-up at 3,
//                 6, 9, 12, 15 and 18 months
//   hepatitis B   mother_hbv_dna (viral load, to decide on antiviral treatment; the 规范 gives no
//                 date); the baby's HBIG (100 IU) and HepB dose 1 within 12 h, HepB dose 2 at 1
//                 month and dose 3 at 6 months (国家免疫规划疫苗儿童免疫程序及说明（2021年版）),
//                 HBsAg and anti-HBs at 7–12 months, 1–2 months after dose 3
// Rows not confirmed against the official text are marked: `confirmed` is false and their cite
// says [unc]. HepB doses here are a PMTCT checklist; whether a dose is valid is the immunisation
// forecast's business (immunization/forecast.h).
//
// Dates. Items anchored at birth fall due at AddDays(birth, n) or AddMonths(birth, n) ("N months
// of age", core/dates.h). The engine works on dates, not times: an item "within 6/12/48 hours"
// carries within_hours and is on time through the day after birth (two days for 48 h), since a
// baby born late in the evening may be treated the next morning inside the limit. Items anchored at
// a mother's diagnosis fall due on the diagnosis date; without one, and for items the 规范 gives no
// date, due and window_end are empty.
// On-time windows (our policy; the 规范 gives ages, not tolerances): through the day after birth
// for the birth items, 7 days for the end of the infant prophylaxis and for the mother's treatment
// from diagnosis, 2 weeks for the 6-week items, up to the day before age + 1 month for the monthly
// items, and 7 months to the day before 12 months for the HBV serology (the programme target
// 一(二)7 counts HBsAg tests within 12 months of age), moved to 1–2 months after HepB dose 3 when
// that dose was late.
// Status on as_of: done (recorded; the earliest record counts, later ones are listed as repeats),
// upcoming (before due), due (due..window_end, or any undated item not done), overdue (after
// window_end). Overdue stays overdue: the follow-up is still owed.
//
// PlanPmtct() validates its input and returns every problem as a FieldError, never throwing:
// infections required and not repeated; a diagnosis or a record after as_of; an infant record
// before birth; a record of an item that does not apply (its infection is not listed, or the
// other prophylaxis length, or the 18-month test after a negative 12-month one); a flag without
// its infection. as_of may precede the birth: the mother's items run during pregnancy.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/dates.h"
#include "core/status.h"

namespace jd::maternal {

inline constexpr std::string_view kPmtctRules =
    "预防艾滋病、梅毒和乙肝母婴传播工作规范（2020年版）";

enum class PmtctInfection { kHiv, kSyphilis, kHbv };
enum class PmtctSubject { kMother, kInfant };
enum class PmtctStatus { kDone, kUpcoming, kDue, kOverdue };

// What an item's due date is counted from.
enum class PmtctAnchor { kBirth, kDiagnosis, kNone };
enum class PmtctUnit { kDays, kMonths };
// When an item is on the list at all.
enum class PmtctCondition {
  kAlways,
  kHivStandardRisk,               // not hiv_high_exposure_risk
  kHivHighRisk,                   // hiv_high_exposure_risk
  kHiv12mNotNegative,             // not hiv_12m_antibody_negative
  kSyphilisProphylaxisIndicated,  // syphilis_prophylaxis_indicated
};

// One row of the schedule. Due = anchor + offset (days or months); on time through due +
// window (days), or through the day before anchor + offset + window months. With `after` set and
// that item done, the window is moved to at least [done + after_start_months, done +
// after_end_months) (the serology after HepB dose 3).
struct PmtctItemSpec {
  std::string_view code;
  PmtctInfection infection;
  PmtctSubject subject;
  PmtctCondition condition;
  PmtctAnchor anchor;
  PmtctUnit unit;
  int offset;
  int window;
  int within_hours;  // 0: no hour limit
  std::string_view after;
  int after_start_months;
  int after_end_months;
  bool confirmed;  // false: not confirmed against the official text ([unc] in the cite)
  std::string_view label_zh;
  std::string_view label_en;
  std::string_view cite;
};

struct PmtctDiagnosis {
  PmtctInfection infection = PmtctInfection::kHiv;
  std::optional<Date> diagnosed_on;  // the mother's; none when unknown
};

struct PmtctRecord {
  std::string item;  // a PmtctItemSpec code
  Date date;
};

struct PmtctInput {
  std::vector<PmtctDiagnosis> infections;
  Date birth;  // the baby's birth date
  // HIV exposure risk at birth, high per 规范2020 (e.g. maternal viral load above 50 copies/mL
  // late in pregnancy, under 12 weeks of ART without a late viral load, or HIV found at or after
  // delivery): 6 weeks of triple prophylaxis instead of 4 weeks.
  bool hiv_high_exposure_risk = false;
  // The 12-month HIV antibody test was negative: infection excluded, no 18-month test.
  bool hiv_12m_antibody_negative = false;
  // The baby needs prophylactic penicillin (e.g. the mother was not adequately treated).
  bool syphilis_prophylaxis_indicated = false;
  std::vector<PmtctRecord> records;
  Date as_of;
};

struct PmtctEntry {
  const PmtctItemSpec* item = nullptr;
  PmtctStatus status = PmtctStatus::kUpcoming;
  std::optional<Date> due;
  std::optional<Date> window_end;  // the last day on time
  std::optional<Date> done_on;
  // Done inside due..window_end (an undated item done counts as on time).
  bool done_on_time = false;
  std::optional<std::size_t> record_index;  // into PmtctInput::records
};

// A later record of an item already done (a repeated test or dose); it changes nothing.
struct PmtctRepeat {
  std::size_t record_index = 0;
  const PmtctItemSpec* item = nullptr;
  Date date;
};

struct PmtctPlan {
  std::vector<PmtctEntry> entries;  // the mother's items, then the baby's by due date
  std::vector<PmtctRepeat> repeats;
};

// The whole schedule, in table order.
std::span<const PmtctItemSpec> PmtctSchedule();
const PmtctItemSpec* FindPmtctItem(std::string_view code);

Result<PmtctPlan> PlanPmtct(const PmtctInput& in);

std::string_view PmtctInfectionCode(PmtctInfection i);  // "hiv", "syphilis", "hbv"
std::optional<PmtctInfection> ParsePmtctInfection(std::string_view code);
std::string_view PmtctSubjectCode(PmtctSubject s);  // "mother", "infant"
std::string_view PmtctStatusCode(PmtctStatus s);    // "done", "upcoming", "due", "overdue"

// Reads {"infections": [{"infection", "diagnosed_on"?}], "birth_date", "as_of",
// "hiv_high_exposure_risk"?, "hiv_12m_antibody_negative"?, "syphilis_prophylaxis_indicated"?,
// "records": [{"item", "date"}]}; dates are checked for form and range against `today`
// (core/input.h), their order and the items' applicability by PlanPmtct().
Result<PmtctInput> PmtctInputFromJson(const nlohmann::json& body, const Date& today);

// {"rules", "items": [{"code", "subject", "infection", "label_zh", "label_en", "status", "due",
// "window_end", "within_hours", "done_on", "done_on_time", "confirmed", "cite"}], "repeats":
// [{"item", "date"}]}.
nlohmann::json PmtctPlanToJson(const PmtctPlan& plan);

}  // namespace jd::maternal
