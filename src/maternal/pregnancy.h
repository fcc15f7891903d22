// File: maternal/pregnancy.h
// Dating a pregnancy: the expected date of delivery (预产期, EDD) and the gestational age (孕周,
// weeks + days) on any date, from the first day of the last menstrual period (末次月经, LMP) or
// from an early ultrasound, and whether the 母子健康手册 was opened early (建册 before 13 weeks).
//
// Rules and their sources:
// - EDD by Naegele's rule as the 母子健康手册 and the national textbook state it
// (《妇产科学》第9版,
//   人民卫生出版社 2018, 第五章 妊娠诊断 / 产前检查:
//   "按末次月经第一日算起，月份减3或加9，日数加7"): the month moves 9 forward (1 year on, 3 back),
//   then the day 7 forward, a day past the month's end running into the next month (LMP 2023-05-31
//   → 2024-02-31+7 = 2024-03-09). This is the EDD a health worker gets by hand; it is 280 ± 3 days
//   after the LMP, depending on the months in between and on February 29 (EddRule::kPlus280Days
//   gives the exact 280 days instead, for a city that prefers it).
// - Gestational age from the LMP: completed days since the LMP, as weeks + days (孕周 "12+6").
// - EDD from an early ultrasound (the crown–rump length dates the pregnancy): the scan date plus
//   280 days minus the gestational age the scan reports, and the gestational age then follows the
//   EDD (280 − days to EDD). Only a scan before 14+0 weeks dates a pregnancy (our rule; the
//   first-trimester crown–rump length is the most accurate dating, e.g. ACOG Committee Opinion
//   700, 2017); a later scan is refused as a dating method, not as a record.
// - Early registration (早孕建册): the 母子健康手册 opened before 13 weeks
// (国家基本公共卫生服务规范
//   第三版 孕产妇健康管理服务规范 二(一) "孕13周前为孕妇建立《母子健康手册》"): gestational age ≤
//   12+6.
//
// All functions are pure and thread-safe. Validation returns every field error at once
// (core/status.h); nothing here throws on user input.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/dates.h"
#include "core/status.h"

namespace jd::maternal {

// How the EDD was set; stated on every pregnancy ("stated which").
enum class DatingMethod { kLmp, kUltrasound };
// How an LMP becomes an EDD.
enum class EddRule { kNaegeleCalendar, kPlus280Days };

inline constexpr int kTermDays = 280;              // 40+0 weeks from the LMP
inline constexpr int kEarlyRegistrationDays = 91;  // 13+0 weeks: registration must be before
inline constexpr int kLatestDatingScanDays = 98;   // 14+0 weeks: a dating scan must be before
inline constexpr int kMaxGestationDays = 45 * 7;   // past 45+0 weeks a date is not in a pregnancy

struct GestationalAge {
  int total_days = 0;
  int weeks() const { return total_days / 7; }
  int days() const { return total_days % 7; }
  bool operator==(const GestationalAge&) const = default;
};

// "12+6" (weeks+days), as clinicians write it.
std::string FormatGestationalAge(GestationalAge ga);
// Parses "12+6" or "12" (weeks only); none for anything else or a day part over 6.
std::optional<GestationalAge> ParseGestationalAge(std::string_view text);

// The EDD from the LMP by `rule`.
Date EddFromLmp(Date lmp, EddRule rule = EddRule::kNaegeleCalendar);
// The EDD from an ultrasound on `scan_date` that showed `ga_at_scan`.
Date EddFromUltrasound(Date scan_date, GestationalAge ga_at_scan);

// What a pregnancy is dated from: the LMP, and optionally an early ultrasound given either as the
// scan (`ultrasound_date` + `ultrasound_ga`, both or neither) or as the EDD its report states
// (`ultrasound_edd`). Either ultrasound form overrides the LMP's EDD.
struct DatingInput {
  Date lmp{};
  std::optional<Date> ultrasound_date;
  std::optional<GestationalAge> ultrasound_ga;
  std::optional<Date> ultrasound_edd;
  EddRule rule = EddRule::kNaegeleCalendar;
};

struct Dating {
  Date lmp{};
  Date edd{};
  DatingMethod method = DatingMethod::kLmp;

  // Gestational age on `date` (negative total_days before the LMP; callers validate).
  GestationalAge AgeOn(Date date) const;
};

// Dates a pregnancy as of `as_of` (the day it is recorded). Field errors: `lmp` in the future
// (lmp_in_future) or more than 45 weeks back (lmp_too_old); `ultrasound_date` before the LMP or
// in the future (ultrasound_date_out_of_range); `ultrasound_ga` not before 14+0 weeks
// (ultrasound_too_late); one of date/GA without the other (ultrasound_incomplete); both a scan
// and a stated EDD (ultrasound_ambiguous); `ultrasound_edd` not after the LMP (edd_before_lmp);
// an ultrasound EDD more than 6 weeks from the LMP's (edd_inconsistent: one of the two dates is
// wrong, our bound: a true early-scan correction is a few days to two weeks).
Result<Dating> DatePregnancy(const DatingInput& in, Date as_of);

// 早孕建册: registered before 13+0 weeks. REQUIRES: registration on or after the LMP.
bool IsEarlyRegistration(const Dating& dating, Date registered_on);

std::string_view DatingMethodCode(DatingMethod m);  // "lmp", "ultrasound"
std::optional<DatingMethod> ParseDatingMethod(std::string_view code);

}  // namespace jd::maternal
