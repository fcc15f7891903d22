#include "maternal/pregnancy.h"

#include <charconv>
#include <cstdlib>

namespace jd::maternal {

namespace {

using std::chrono::day;
using std::chrono::month;
using std::chrono::year;

constexpr int kMaxUltrasoundShiftDays = 42;

}  // namespace

std::string FormatGestationalAge(GestationalAge ga) {
  return std::to_string(ga.weeks()) + "+" + std::to_string(ga.days());
}

std::optional<GestationalAge> ParseGestationalAge(std::string_view text) {
  auto number = [](std::string_view s) -> std::optional<int> {
    if (s.empty() || s.size() > 2 || s.find_first_not_of("0123456789") != s.npos) {
      return std::nullopt;
    }
    int v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
    return v;
  };
  std::size_t plus = text.find('+');
  auto weeks = number(text.substr(0, plus));
  if (!weeks) return std::nullopt;
  int days = 0;
  if (plus != std::string_view::npos) {
    auto d = number(text.substr(plus + 1));
    if (!d || *d > 6) return std::nullopt;
    days = *d;
  }
  return GestationalAge{*weeks * 7 + days};
}

Date EddFromLmp(Date lmp, EddRule rule) {
  if (rule == EddRule::kPlus280Days) return AddDays(lmp, kTermDays);
  // 《妇产科学》第9版 产前检查: 月份减3或加9，日数加7. The day is counted from the first of the
  // target month so that a day past the month's end runs on into the next month, as it does by
  // hand.
  const int m = static_cast<int>(static_cast<unsigned>(lmp.month()));
  const int target_month = m <= 3 ? m + 9 : m - 3;
  const year target_year = m <= 3 ? lmp.year() : lmp.year() + std::chrono::years(1);
  const Date first{target_year, month(static_cast<unsigned>(target_month)), day(1)};
  return AddDays(first, static_cast<int>(static_cast<unsigned>(lmp.day())) + 7 - 1);
}

Date EddFromUltrasound(Date scan_date, GestationalAge ga_at_scan) {
  return AddDays(scan_date, kTermDays - ga_at_scan.total_days);
}

GestationalAge Dating::AgeOn(Date date) const {
  if (method == DatingMethod::kLmp) return {DaysBetween(lmp, date)};
  return {kTermDays - DaysBetween(date, edd)};
}

Result<Dating> DatePregnancy(const DatingInput& in, Date as_of) {
  FieldErrors errors;
  const int lmp_age = DaysBetween(in.lmp, as_of);
  if (lmp_age < 0) {
    errors.Add("lmp", "lmp_in_future", "末次月经日期晚于登记日期",
               "the LMP is after the day of record");
  } else if (lmp_age > kMaxGestationDays) {
    errors.Add("lmp", "lmp_too_old", "末次月经距今超过45周，不在孕期内",
               "the LMP is more than 45 weeks back: not a current pregnancy");
  }
  Dating out{in.lmp, EddFromLmp(in.lmp, in.rule), DatingMethod::kLmp};
  std::optional<Date> ultrasound_edd;
  const bool scan_given = in.ultrasound_date.has_value() || in.ultrasound_ga.has_value();
  if (scan_given && in.ultrasound_edd) {
    errors.Add("ultrasound_edd", "ultrasound_ambiguous", "B超孕周与B超预产期只能填写一项",
               "give either the scan (date and gestational age) or the EDD it states, not both");
  } else if (scan_given) {
    if (!in.ultrasound_date || !in.ultrasound_ga) {
      errors.Add(in.ultrasound_date ? "ultrasound_ga" : "ultrasound_date", "ultrasound_incomplete",
                 "B超日期与B超孕周须同时填写",
                 "the scan needs both its date and its gestational age");
    } else if (DaysBetween(in.lmp, *in.ultrasound_date) < 0 ||
               DaysBetween(*in.ultrasound_date, as_of) < 0) {
      errors.Add("ultrasound_date", "ultrasound_date_out_of_range",
                 "B超日期须在末次月经之后、登记日期之前",
                 "the scan date must be after the LMP and not after the day of record");
    } else if (in.ultrasound_ga->total_days >= kLatestDatingScanDays) {
      errors.Add("ultrasound_ga", "ultrasound_too_late", "仅孕14周前的早孕B超可用于核对预产期",
                 "only a scan before 14+0 weeks dates a pregnancy");
    } else {
      ultrasound_edd = EddFromUltrasound(*in.ultrasound_date, *in.ultrasound_ga);
    }
  } else if (in.ultrasound_edd) {
    if (DaysBetween(in.lmp, *in.ultrasound_edd) <= 0) {
      errors.Add("ultrasound_edd", "edd_before_lmp", "预产期不能早于末次月经",
                 "the EDD must be after the LMP");
    } else {
      ultrasound_edd = in.ultrasound_edd;
    }
  }
  if (ultrasound_edd) {
    if (std::abs(DaysBetween(out.edd, *ultrasound_edd)) > kMaxUltrasoundShiftDays) {
      errors.Add(in.ultrasound_edd ? "ultrasound_edd" : "ultrasound_ga", "edd_inconsistent",
                 "B超推算的预产期与末次月经相差超过6周，请核对",
                 "the ultrasound EDD is more than 6 weeks from the LMP's: check both dates");
    } else {
      out.edd = *ultrasound_edd;
      out.method = DatingMethod::kUltrasound;
    }
  }
  if (!errors.empty()) return errors.ToStatus();
  return out;
}

bool IsEarlyRegistration(const Dating& dating, Date registered_on) {
  return dating.AgeOn(registered_on).total_days < kEarlyRegistrationDays;
}

std::string_view DatingMethodCode(DatingMethod m) {
  return m == DatingMethod::kLmp ? "lmp" : "ultrasound";
}

std::optional<DatingMethod> ParseDatingMethod(std::string_view code) {
  if (code == "lmp") return DatingMethod::kLmp;
  if (code == "ultrasound") return DatingMethod::kUltrasound;
  return std::nullopt;
}

}  // namespace jd::maternal
