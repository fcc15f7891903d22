// File: child/checkups.h
// The check-up schedule of 0–6-year-old children under 国家基本公共卫生服务规范（第三版）
// 0～6岁儿童健康管理服务规范 ("规范"): a birth date, an optional discharge date, the dates of the
// contacts recorded so far (each with its kind when known) and an as-of date in; one entry per
// contact of the schedule out, with its status, its window, the record that fulfilled it and what
// the contact measures and tests, plus the records that fulfil no contact ("extra" contacts).
//
// The contacts (规范 二、服务内容):
//   newborn_visit  新生儿家庭访视, within 1 week after discharge from hospital      二(一)
//   month_1        新生儿满月健康管理, 28–30 days of age                               二(二)
//   m3 m6 m8 m12 m18 m24 m30 m36  婴幼儿健康管理 at 3, 6, 8, 12, 18, 24, 30, 36 months   二(三)
//   y4 y5 y6       学龄前儿童健康管理, once a year at 4, 5 and 6 years                 二(四)
// "N months of age" is AddMonths(birth, N) (calendar months clamped to the month's end,
// core/dates.h); N years is AddMonths(birth, 12·N), so a child born 29 February is 1 year old on 28
// February.
//
// Windows. The 规范 gives ages, not tolerances: the windows below are this project's policy.
//   - A contact opens at its age (window_start); the newborn visit opens on the discharge date
//     (the birth date when none is given).
//   - It is on time through window_end: discharge + 7 days for the newborn visit ("出院后1周内");
//     day 35 of life for month_1 (the 规范's days 28–30 are too tight for families who move; days
//     28–35 are on time); the day before age + 1 month for 3–12 months, age + 2 months for 18–36
//     months and age + 3 months for 4–6 years.
//   - After window_end it is overdue until missed_from, then missed: missed_from is the opening of
//     the next contact (month_1 → m3, m3 → m6, …, y5 → y6), discharge + 28 days for the newborn
//     visit, and 7 years of age for y6.
// Status on the as-of date: done (a record is assigned to it), upcoming (before window_start), due
// (window_start..window_end), overdue (after window_end, before missed_from), missed.
//
// Assignment of records. Records naming their kind are taken first, each by the contact it names
// when that contact is not yet done (on time when its date is in the contact's window, else early
// or late); a second record of a done kind is an extra contact ("duplicate"). Records without a
// kind are then taken in date order: by the first not-yet-done contact whose on-time window holds
// the date, else by the earliest not-done contact that is overdue on that date (done late), else
// they are extra contacts ("no_open_contact"), e.g. the added newborn visits the 规范 二(一) asks
// for low-birth-weight, preterm and twin babies.
//
// Population. The child is in the 0–6 management population while younger than 7 years (as_of
// before AddMonths(birth, 84)), which is the end of the y6 contact's overdue period.
//
// PlanCheckups() validates its input (as_of, contact dates and the discharge date may not be
// before birth; a contact may not be after as_of) and returns every problem as a FieldError; it
// never throws. All functions are pure and thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "core/dates.h"
#include "core/status.h"

namespace jd::child {

// The haemoglobin and hearing-screening ages used here are the 规范 第三版 (2017) ones: both at 6,
// 12, 24 and 36 months (二(三)). Our domain notes mark these ages unconfirmed against the official
// text, and the 2011 edition (国家基本公共卫生服务规范（2011年版）) tested haemoglobin at 6–8, 18
// and 30 months instead: the editions differ. The JSON output names this edition.
inline constexpr std::string_view kHbHearingEdition = "规范 第三版 (2017)";
inline constexpr std::string_view kHbHearingEditionCode = "third-2017";

enum class ContactKind {
  kNewbornVisit,
  kOneMonth,
  kMonth3,
  kMonth6,
  kMonth8,
  kMonth12,
  kMonth18,
  kMonth24,
  kMonth30,
  kMonth36,
  kYear4,
  kYear5,
  kYear6,
};
inline constexpr int kContactCount = 13;
// The 8 infant and toddler check-ups (m3 … m36) of 规范 二(三).
inline constexpr int kInfantCheckupCount = 8;

// What a contact records (规范 二(一)–(四); 中医药 under 中医药健康管理服务规范 0～36个月儿童).
enum class Item {
  kWeight,                 // 体重 (the newborn visit records the birth weight)
  kLengthHeight,           // 身长/身高 (the newborn visit records the birth length)
  kHeadCircumference,      // 头围, from month_1 to 36 months
  kTemperature,            // 体温, newborn visit
  kPhysicalExam,           // 体格检查
  kGrowthAssessment,       // 生长发育评估
  kDevelopmentAssessment,  // 心理行为发育评估 (development screening)
  kHemoglobin,             // 血常规（或血红蛋白）
  kHearingScreening,       // 听力筛查 (行为测听法)
  kVisionScreening,        // 视力筛查, 4–6 years
  kNewbornScreeningCheck,  // 新生儿疾病筛查 checked, rescreening advised when missing
  kVaccinationCheck,       // BCG and HepB dose 1 checked, catch-up advised when missing
  kFeedingGuidance,        // 喂养指导 (breastfeeding, complementary food)
  kDietGuidance,           // 合理膳食指导, 4–6 years
  kTcmGuidance,            // 中医药健康指导, 6–36 months
};

enum class CheckupStatus { kDone, kUpcoming, kDue, kOverdue, kMissed };
enum class Timing { kEarly, kOnTime, kLate };
// Why a record fulfils no contact.
enum class ExtraReason { kNoOpenContact, kDuplicate };

struct ContactRecord {
  Date date;
  std::optional<ContactKind> kind;  // none when only the date is known
};

struct CheckupInput {
  Date birth;
  std::optional<Date> discharge;  // the birth date when none
  std::vector<ContactRecord> contacts;
  Date as_of;
};

struct CheckupEntry {
  ContactKind kind = ContactKind::kNewbornVisit;
  CheckupStatus status = CheckupStatus::kUpcoming;
  Date window_start;  // the contact opens
  Date window_end;    // the last day on time
  Date missed_from;   // the first day it counts as missed
  std::optional<Date> done_on;
  bool done_on_time = false;
  std::optional<Timing> timing;             // when done
  std::optional<std::size_t> record_index;  // into CheckupInput::contacts, when done
};

struct ExtraContact {
  std::size_t record_index = 0;
  Date date;
  std::optional<ContactKind> kind;
  ExtraReason reason = ExtraReason::kNoOpenContact;
};

struct CheckupPlan {
  std::vector<CheckupEntry> entries;  // kContactCount entries, in schedule order
  std::vector<ExtraContact> extra;    // by date
};

// Counts for the as-of date; the indicators built on them are defined elsewhere (kpi/).
struct ManagementSummary {
  bool in_management = false;       // age < 7 years: as_of before AddMonths(birth, 84)
  bool under_3 = false;             // age < 3 years: as_of before AddMonths(birth, 36)
  std::optional<ContactKind> next;  // the first contact neither done nor missed
  std::optional<Date> next_date;    // its window_start (in the past when it is due or overdue)
  int done = 0;
  int done_on_time = 0;
  int infant_checkups_done = 0;    // of the 8 check-ups m3 … m36
  int done_in_last_12_months = 0;  // contacts done after AddMonths(as_of, -12), up to as_of
  int due = 0;
  int overdue = 0;
  int missed = 0;
  int extra = 0;
};

// The windows of every contact, without records (window_start, window_end, missed_from).
std::vector<CheckupEntry> ScheduleWindows(const Date& birth, const std::optional<Date>& discharge);

// The schedule on `in.as_of` with the records assigned; field errors for bad input.
Result<CheckupPlan> PlanCheckups(const CheckupInput& in);

ManagementSummary Summarize(const CheckupInput& in, const CheckupPlan& plan);

// What a contact records, in a stable order.
std::span<const Item> ContactItems(ContactKind kind);

std::string_view ContactCode(ContactKind kind);  // "newborn_visit", "month_1", "m3", … "y6"
std::string_view ContactLabelZh(ContactKind kind);
std::string_view ContactLabelEn(ContactKind kind);
std::optional<ContactKind> ContactFromCode(std::string_view code);
std::string_view ItemCode(Item item);  // "weight", "length_height", …
std::string_view ItemLabelZh(Item item);
std::string_view StatusCode(CheckupStatus s);     // "done", "upcoming", "due", "overdue", "missed"
std::string_view TimingCode(Timing t);            // "early", "on_time", "late"
std::string_view ExtraReasonCode(ExtraReason r);  // "no_open_contact", "duplicate"

// The dates of a worked case's input {"birth_date", "discharge_date"?, "as_of", …}, checked for
// form and range against `today` (core/input.h); "wrong_type" when `body` is not an object.
struct ChildDates {
  std::optional<Date> birth, discharge, as_of;
};
ChildDates ChildDatesFromJson(const nlohmann::json& body, const Date& today, FieldErrors& errors);

// Reads {"birth_date", "discharge_date"?, "as_of", "contacts": [{"date", "kind"?}]}; dates are
// checked for form and range against `today` (core/input.h), their order by PlanCheckups().
Result<CheckupInput> CheckupInputFromJson(const nlohmann::json& body, const Date& today);

// {"hb_hearing_edition", "contacts": [...], "extra": [...], "summary": {...}}.
nlohmann::json CheckupPlanToJson(const CheckupInput& in, const CheckupPlan& plan);

}  // namespace jd::child
