// File: immunization/model.h
// Plain structs of child immunisation: vaccines, schedules (loaded from data/immunization/), the
// inputs and outputs of the forecast engine (forecast.h). No I/O here.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/dates.h"

namespace jd::immunization {

// A vaccine of the catalogue. The 13 programme (NIP) vaccines have fixed ids so the rules can name
// them; non-programme vaccines from the catalogue file follow from kFirstOther on.
using VaccineId = std::uint8_t;
namespace vaccine {
inline constexpr VaccineId kHepB = 0, kBCG = 1, kIPV = 2, kBOPV = 3, kDTaP = 4, kDT = 5, kMMR = 6,
                           kJEL = 7, kJEI = 8, kMPSVA = 9, kMPSVAC = 10, kHepAL = 11, kHepAI = 12,
                           kFirstOther = 13;
}  // namespace vaccine

// An age or an interval as written in the schedule: "0d", "28d", "1m", "4y". Months and years are
// calendar months/years (end-of-month clamped), days are days.
struct Span {
  enum class Unit : std::uint8_t { kDays, kMonths, kYears };
  int count = 0;
  Unit unit = Unit::kDays;
  bool operator==(const Span&) const = default;
};
Date Add(Date d, Span s);
Date SubtractSpan(Date d, Span s);  // the date `s` before `d`
std::string FormatSpan(Span s);     // back to "28d" / "1m" / "4y"

struct VaccineInfo {
  VaccineId id = 0;
  std::string code;  // "HepB", "BCG", … as in the API and the CLI
  std::string name_zh;
  std::string name_en;
  std::string route;           // IM, SC, ID, PO
  bool programme = true;       // 免疫规划疫苗 (free) vs 非免疫规划疫苗
  bool live_injected = false;  // injected live vaccines keep 28 days between them
};

// One dose of a series as the schedule states it.
struct DoseSpec {
  VaccineId vaccine = 0;           // the vaccine planned for this dose
  std::vector<VaccineId> accepts;  // recorded vaccines that count for this dose (incl. `vaccine`)
  Span age;                        // recommended = minimum age (NIP 2021 说明 一(二))
  std::optional<Span> interval;    // minimum interval after the previous valid dose of the series
  std::optional<Span> interval_from_first;  // e.g. HepB3 ≥ 4 months after HepB1
  std::optional<Span> timely_before;        // 及时接种: complete before this age; else the next
                                            // dose's
};

// A series: doses that count together (polio: IPV then bOPV; DTP: DTaP then DT under 2021).
struct SeriesSpec {
  std::string id;  // "HepB", "BCG", "Polio", "DTP", "MMR", "JE-L", "JE-I", "MenA", "MenAC", …
  std::vector<DoseSpec> doses;
  std::optional<Span> catch_up_before;  // upper age for catch-up; the schedule's general one if
                                        // absent
};

// Numbers the per-vaccine catch-up rules use (data, with the section they come from).
struct CatchUpRules {
  Span general_catch_up_before{18, Span::Unit::kYears};  // 说明 二(一): catch up under 18
  int live_spacing_days = 28;                            // 说明 二(三)
  Span bcg_skin_test_from{3, Span::Unit::kMonths};       // BCG: from 3 m test first
  Span bcg_no_catch_up_from{4, Span::Unit::kYears};      // BCG: none from 4 y
  Date polio_two_ipv_born_from{};                        // born on/after: 2 IPV, before: 1
  Span mena_until{24, Span::Unit::kMonths};              // MPSV-A only under 24 m
  Span menac_after_mena_complete{12, Span::Unit::kMonths};
  Span menac_after_mena_partial{3, Span::Unit::kMonths};
  Span dtp_dt_from{6, Span::Unit::kYears};  // 2021: from 6 y DT replaces DTaP
  Span dtp_dt_until{12, Span::Unit::kYears};
  Span dt_after_dtap3{6, Span::Unit::kMonths};
  Span dt_after_dtap4{12, Span::Unit::kMonths};
  Span dt_catch_up_interval_1_2{1, Span::Unit::kMonths};
  Span dt_catch_up_interval_2_3{6, Span::Unit::kMonths};
};

// One official schedule version (data/immunization/<id>.json), possibly amended by later versions
// that replace whole series from their effective date.
struct ScheduleVersion {
  std::string id;        // "nip-2021", "dtap-2025"
  std::string title_zh;  // the document's title
  std::string source;    // where the facts come from
  Date effective{};      // in force from this date
  std::string amends;    // empty for a base schedule
  std::vector<SeriesSpec> series;
};

// What a child's recorded dose is, for the forecast.
struct DoseEvent {
  VaccineId vaccine = 0;
  Date date{};
};

enum class DoseStatus : std::uint8_t {
  kDone,       // a valid dose is recorded
  kUpcoming,   // as-of before the earliest valid date
  kDue,        // as-of on/after earliest and before timely_by
  kOverdue,    // as-of on/after timely_by; catch-up still allowed
  kNeedsTest,  // BCG from 3 months to the 4th birthday: skin test first
  kNotNeeded,  // past the catch-up age, or replaced by another series
};

// Why a dose has its status or a record does not count. Stable codes for the API.
enum class Reason : std::uint8_t {
  kNone,
  kBeforeMinimumAge,      // record: given before the minimum age
  kIntervalTooShort,      // record: too soon after the previous dose of the series
  kLiveVaccineSpacing,    // record: < 28 days after another injected live vaccine
  kAfterPreviousDose,     // planned: waits for the previous dose of the series
  kLiveSpacingWait,       // planned: 28 days after an injected live vaccine
  kPastCatchUpAge,        // not needed: past the catch-up age
  kBcgSkinTest,           // needs a skin test first
  kBcgNoCatchUp,          // not needed: BCG from the 4th birthday
  kMenaSwitchedToMenac,   // not needed: MPSV-A from 24 months, MPSV-AC instead
  kReplacedBySeries,      // not needed: the other product's series is followed (JE, HepA)
  kReplacedByDt,          // not needed: over 6 under 2021, DT replaces DTaP
  kSeriesComplete,        // not needed: the series is complete with fewer doses
  kCannotCompleteInTime,  // not needed: earliest date is past the catch-up age
};

struct DoseForecast {
  VaccineId vaccine = 0;
  int dose = 0;             // counted within the vaccine's own series (IPV 1–2, bOPV 1–2, …)
  std::uint8_t series = 0;  // index of the series in the schedule
  DoseStatus status = DoseStatus::kUpcoming;
  Date recommended{};
  std::optional<Date> earliest;   // absent for doses that are not needed
  std::optional<Date> timely_by;  // first day the dose counts as late
  std::optional<Date> given;      // the date of the valid dose when done
  Reason reason = Reason::kNone;
};

struct InvalidRecord {
  VaccineId vaccine = 0;
  Date date{};
  Reason reason = Reason::kNone;
};

struct Forecast {
  std::vector<DoseForecast> doses;
  std::vector<InvalidRecord> invalid_records;
};

// Where the official text was not found, the engine follows a named policy (docs/immunization.md).
enum class DtapTransition : std::uint8_t {
  // Default: from 2025-01-01 every child continues on the 2025 DTaP series; doses given before
  // count in order, DT given before counts as the 5th dose.
  kContinueOn2025,
  // Children with a DTaP dose before 2025-01-01 finish the 2021 series (DTaP×4 + DT).
  kFinishOn2021,
};

struct ForecastOptions {
  DtapTransition dtap_transition = DtapTransition::kContinueOn2025;
};

}  // namespace jd::immunization
