// File: kpi/model.h
// Plain structs of the statistics module: the indicator catalogue (data/kpi/indicators.json),
// periods, and the values the live engine computes. Evaluation, funding, reports and the aggregate
// exchange are pure functions over these (no I/O here). See docs/kpi.md.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "auth/permissions.h"
#include "core/dates.h"
#include "core/status.h"

namespace jd::kpi {

// A reporting period: a month "2026-11", a quarter "2026Q4" or a year "2026" (the forms DHIS2
// uses: YYYYMM, YYYYQn, YYYY). Stocks are counted on `last` (the period's last day, or the as-of
// day for the current period); flows (reviews done) over [first, last].
struct Period {
  enum class Type : std::uint8_t { kMonth, kQuarter, kYear };
  Type type = Type::kMonth;
  int year = 0;
  int index = 1;  // month 1–12, quarter 1–4, 1 for a year
  Date first{}, last{};

  std::string Code() const;       // "2026-11", "2026Q4", "2026"
  std::string Dhis2Code() const;  // "202611", "2026Q4", "2026"
  std::string LabelZh() const;    // "2026年11月", "2026年第4季度", "2026年"
  bool operator==(const Period& o) const {
    return type == o.type && year == o.year && index == o.index;
  }
};
// Parses "YYYY-MM", "YYYYMM", "YYYYQn" or "YYYY"; a field error on `field` otherwise.
Result<Period> ParsePeriod(std::string_view text, std::string_view field = "period");
Period MonthOf(Date d);
// The period that ends `n` periods of the same type before `p` (trend lines).
Period Previous(const Period& p, int n = 1);

// How an indicator's value is formed.
enum class IndicatorKind : std::uint8_t {
  kCount,     // value = numerator (a number of persons, documents, …)
  kRate,      // value = numerator / denominator, null when the denominator is 0
  kMeanDays,  // value = numerator (total days) / denominator (items): e.g. mean review time
};

// One indicator of the catalogue.
struct Indicator {
  std::string code;  // stable: "REG_FLOATING", "IMM_COV_HepB_1", …
  std::string name_zh, name_en;
  std::string module;  // "registry", "immunization", later "maternal", "disease", …
  bool active = true;  // false: listed with its target, no values until its module exists
  IndicatorKind kind = IndicatorKind::kRate;
  std::string numerator_zh, numerator_en, denominator_zh, denominator_en;
  std::string measure;                       // the engine's extraction function (kpi/measures.h)
  std::string vaccine;                       // for per-dose immunisation measures: vaccine code
  int dose = 0;                              //   and dose number (counted within the vaccine)
  std::optional<double> target;              // 0.8 for 80%; for counts, the number
  std::optional<Date> deadline;              // the target's date in the seeds
  std::string target_section;                // e.g. "南宁市实施办法 四(五)"
  std::vector<std::string> disaggregations;  // "org", "sex", "age_group", "hukou_province"
  std::string dhis2_uid;  // the data element's UID for the aggregate exchange (11 characters)
  // Figures of data only this permission may read (catalogue "restricted_to": "mental_health",
  // "hiv_tb_care"): exact for its holders only (auth::SeesExactAggregates).
  std::optional<auth::Permission> restricted_to;
};

// A filter on the persons counted (a disaggregation); empty strings: no filter.
struct Breakdown {
  std::string sex;             // "M" / "F"
  std::string age_group;       // "0-6", "7-17", "18-59", "60+" (age on the period's last day)
  std::string hukou_province;  // GB/T 2260 province code, 2 digits
  std::optional<int> cohort;   // birth year (immunisation coverage by cohort)
};

// One value of one indicator for one org unit and period.
struct IndicatorValue {
  std::string code;
  std::string org;  // org unit code
  Period period;
  double numerator = 0;
  double denominator = 0;
  std::optional<double> value;   // null when the denominator is 0 (rates, means)
  std::optional<double> target;  // from the catalogue
  std::optional<bool> met;       // value ≥ target (null without a target or a value)
  // Small-cell suppression (kpi/suppression.h) for readers who may not see persons: kSmall for a
  // count of 1 to 4 (shown as "<5"), kComplementary for one hidden so that a small one cannot be
  // subtracted back. A hidden part also hides the value.
  enum class Hidden : std::uint8_t { kShown, kSmall, kComplementary };
  Hidden numerator_hidden = Hidden::kShown;
  Hidden denominator_hidden = Hidden::kShown;
};

}  // namespace jd::kpi
