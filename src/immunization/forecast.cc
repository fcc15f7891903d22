// The forecast engine. docs/immunization.md states every rule in words; the comments cite the
// section of 国家免疫规划疫苗儿童免疫程序及说明（2021年版） ("说明") each comes from.
#include "immunization/forecast.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>

namespace jd::immunization {

namespace {

enum class Kind : std::uint8_t {
  kGeneric,
  kBcg,
  kPolio,
  kDtp,
  kJeLive,
  kJeInactivated,
  kMenA,
  kMenAC,
  kHepALive,
  kHepAInactivated
};

Kind KindOf(const std::string& id) {
  if (id == "BCG") return Kind::kBcg;
  if (id == "Polio") return Kind::kPolio;
  if (id == "DTP") return Kind::kDtp;
  if (id == "JE-L") return Kind::kJeLive;
  if (id == "JE-I") return Kind::kJeInactivated;
  if (id == "MenA") return Kind::kMenA;
  if (id == "MenAC") return Kind::kMenAC;
  if (id == "HepA-L") return Kind::kHepALive;
  if (id == "HepA-I") return Kind::kHepAInactivated;
  return Kind::kGeneric;
}

constexpr std::size_t kMaxDoses = 8;

bool Contains(const std::vector<VaccineId>& list, VaccineId v) {
  return std::find(list.begin(), list.end(), v) != list.end();
}

bool AcceptedBySeries(const SeriesSpec& s, VaccineId v) {
  for (const auto& d : s.doses) {
    if (Contains(d.accepts, v)) return true;
  }
  return false;
}

// 及时接种: a dose with no completion age of its own takes the next one of its series (说明
// 二(二)).
Date TimelyBy(Date birth, const SeriesSpec& s, std::size_t k) {
  for (std::size_t j = k; j < s.doses.size(); ++j) {
    if (s.doses[j].timely_before) return Add(birth, *s.doses[j].timely_before);
  }
  return Add(birth, *s.doses.back().timely_before);  // the loader requires one on the last dose
}

// How a planned dose differs from the table (catch-up rules of 说明 三(二)).
struct SlotPlan {
  VaccineId vaccine = 0;
  Span min_age;
  std::optional<Span> interval;
  std::optional<Date> interval_base;  // when not the previous dose of the series
  Reason forced = Reason::kNone;      // not needed, for this reason
  // A not-needed line named after the table's dose it stands for (e.g. DTaP 4 replaced by DT)
  // rather than counted on from the doses given.
  std::uint8_t label_dose = 0;
};

struct Run {
  const Schedule& schedule;
  Date birth;
  Date as_of;
  const ForecastOptions& options;
  Forecast& out;
  const std::vector<DoseEvent>& events;  // by date, up to as_of
  const std::vector<Date>& live_dates;   // injected live vaccines given, by date
  std::array<std::uint8_t, 256> dose_count{};
  // MenA: the valid MPSV-A dates and the projected date of the series' last dose (for MenAC1).
  std::vector<Date> mena_valid;
  std::optional<Date> mena_last_projected;

  // 说明 二(三)2: an injected live vaccine given 1–27 days after another one does not count.
  bool LiveConflict(Date d) const {
    Date from = AddDays(d, -(schedule.rules().live_spacing_days - 1));
    for (Date l : live_dates) {
      if (l >= from && l < d) return true;
    }
    return false;
  }

  void Emit(VaccineId v, std::uint8_t series, DoseStatus status, Date recommended,
            std::optional<Date> earliest, std::optional<Date> timely, std::optional<Date> given,
            Reason reason, std::uint8_t label_dose = 0) {
    DoseForecast f;
    f.vaccine = v;
    f.dose = label_dose != 0 ? label_dose : ++dose_count[v];
    f.series = series;
    f.status = status;
    f.recommended = recommended;
    f.earliest = earliest;
    f.timely_by = timely;
    f.given = given;
    f.reason = reason;
    out.doses.push_back(f);
  }

  void Series(std::size_t index, Kind kind, bool replaced, bool dtp_finish_2021) {
    const CatchUpRules& rules = schedule.rules();
    const SeriesSpec& plan =
        dtp_finish_2021 ? schedule.SeriesOn(index, Date{}) : schedule.SeriesOn(index, as_of);
    const std::size_t n = std::min(plan.doses.size(), kMaxDoses);
    const auto series = static_cast<std::uint8_t>(index);

    // Which records count, in date order (说明 二(一)2: never restart a series).
    std::array<Date, kMaxDoses> valid{};
    std::array<VaccineId, kMaxDoses> valid_vaccine{};
    std::size_t nvalid = 0;
    for (const DoseEvent& e : events) {
      if (nvalid >= n || !AcceptedBySeries(plan, e.vaccine)) continue;
      // Validity is judged by the version in force on the day the dose was given.
      const DoseSpec& ds = schedule.SeriesOn(index, e.date).doses[nvalid];
      if (!Contains(ds.accepts, e.vaccine)) continue;  // counts for a later dose only
      Span min_age = ds.age;
      std::optional<Span> interval = ds.interval;
      std::optional<Date> base = nvalid > 0 ? std::optional<Date>(valid[nvalid - 1]) : std::nullopt;
      if (kind == Kind::kMenAC && nvalid == 0) {
        // 说明 三(二)7: MPSV-AC1 ≥12 m after MPSV-A2; without two MPSV-A doses it may be given
        // from 24 months, ≥3 m after any MPSV-A.
        std::size_t before = 0;
        Date last{};
        for (Date a : mena_valid) {
          if (a < e.date) {
            ++before;
            last = a;
          }
        }
        if (before >= 2) {
          interval = rules.menac_after_mena_complete;
          base = last;
        } else {
          min_age = rules.mena_until;
          if (before == 1) {
            interval = rules.menac_after_mena_partial;
            base = last;
          }
        }
      }
      Reason why = Reason::kNone;
      if (e.date < Add(birth, min_age)) {
        why = Reason::kBeforeMinimumAge;
      } else if (interval && base && e.date < Add(*base, *interval)) {
        why = Reason::kIntervalTooShort;
      } else if (ds.interval_from_first && nvalid > 0 &&
                 e.date < Add(valid[0], *ds.interval_from_first)) {
        why = Reason::kIntervalTooShort;
      } else if (schedule.info(e.vaccine).live_injected && LiveConflict(e.date)) {
        why = Reason::kLiveVaccineSpacing;
      }
      if (why != Reason::kNone) {
        out.invalid_records.push_back({e.vaccine, e.date, why});
        continue;
      }
      valid[nvalid] = e.date;
      valid_vaccine[nvalid] = e.vaccine;
      ++nvalid;
    }
    if (kind == Kind::kMenA) mena_valid.assign(valid.begin(), valid.begin() + nvalid);

    // Done doses.
    for (std::size_t k = 0; k < nvalid; ++k) {
      Date earliest = Add(birth, plan.doses[k].age);
      if (k > 0 && plan.doses[k].interval) {
        earliest = std::max(earliest, Add(valid[k - 1], *plan.doses[k].interval));
      }
      Emit(valid_vaccine[k], series, DoseStatus::kDone, Add(birth, plan.doses[k].age), earliest,
           TimelyBy(birth, plan, k), valid[k], Reason::kNone);
    }

    // The plan of the remaining doses.
    std::array<SlotPlan, kMaxDoses> slots{};
    for (std::size_t k = nvalid; k < n; ++k) {
      slots[k].vaccine = plan.doses[k].vaccine;
      slots[k].min_age = plan.doses[k].age;
      slots[k].interval = plan.doses[k].interval;
      if (replaced) slots[k].forced = Reason::kReplacedBySeries;
    }
    const bool dtp_2021 = kind == Kind::kDtp && &plan == &schedule.SeriesOn(index, Date{});
    if (kind == Kind::kPolio) {
      // 说明 三(二)3: IPV first; two IPV for the cohort born from the cohort date, one before.
      int ipv_needed = birth >= rules.polio_two_ipv_born_from ? 2 : 1;
      int ipv_given = 0;
      for (std::size_t k = 0; k < nvalid; ++k) ipv_given += valid_vaccine[k] == vaccine::kIPV;
      int ipv_left = std::max(0, ipv_needed - ipv_given);
      for (std::size_t k = nvalid; k < n; ++k) {
        slots[k].vaccine = ipv_left-- > 0 ? vaccine::kIPV : vaccine::kBOPV;
      }
    } else if (dtp_2021 && as_of >= Add(birth, rules.dtp_dt_from)) {
      // 说明 三(二)4 (2021): from 6 years DT replaces DTaP; three doses in all suffice.
      // The lines left over are named after the table's DTaP doses not given (DTaP 4 …).
      constexpr std::uint8_t kLastTableDtap = 4;
      bool has_dt = false;
      std::uint8_t dtap_given = 0;
      for (std::size_t k = 0; k < nvalid; ++k) {
        has_dt |= valid_vaccine[k] == vaccine::kDT;
        dtap_given += valid_vaccine[k] == vaccine::kDTaP;
      }
      if (nvalid >= 3 && has_dt) {
        for (std::size_t k = nvalid; k < n; ++k) {
          slots[k].forced = Reason::kSeriesComplete;
          auto label = static_cast<std::uint8_t>(dtap_given + 1 + (k - nvalid));
          if (label <= kLastTableDtap) {
            slots[k].vaccine = vaccine::kDTaP;
            slots[k].label_dose = label;
          }
        }
      } else if (nvalid == 3 && n >= 5) {
        slots[3].forced = Reason::kReplacedByDt;
        slots[3].vaccine = vaccine::kDTaP;
        slots[3].label_dose = kLastTableDtap;
        slots[4].vaccine = vaccine::kDT;
        slots[4].interval = rules.dt_after_dtap3;
        slots[4].interval_base = valid[2];
      } else if (nvalid == 4 && n >= 5) {
        slots[4].vaccine = vaccine::kDT;
        slots[4].interval = rules.dt_after_dtap4;
      } else if (nvalid < 3) {
        for (std::size_t k = nvalid; k < n; ++k) {
          if (k < 3) {
            slots[k].vaccine = vaccine::kDT;
            slots[k].min_age = rules.dtp_dt_from;
            slots[k].interval = k == 0   ? std::nullopt
                                : k == 1 ? std::optional<Span>(rules.dt_catch_up_interval_1_2)
                                         : std::optional<Span>(rules.dt_catch_up_interval_2_3);
          } else if (k == 3) {
            slots[k].forced = Reason::kReplacedByDt;
            slots[k].vaccine = vaccine::kDTaP;
            slots[k].label_dose = kLastTableDtap;
          } else {
            slots[k].forced = Reason::kSeriesComplete;
          }
        }
      }
    } else if (kind == Kind::kMenA && as_of >= Add(birth, rules.mena_until)) {
      // 说明 三(二)7: no MPSV-A from 24 months; MPSV-AC instead.
      for (std::size_t k = nvalid; k < n; ++k) slots[k].forced = Reason::kMenaSwitchedToMenac;
    } else if (kind == Kind::kMenAC && nvalid == 0) {
      if (as_of < Add(birth, rules.mena_until) || mena_valid.size() >= 2) {
        // MPSV-A is (or will be) complete: MPSV-AC1 at 3 y, ≥12 m after the last MPSV-A.
        if (mena_last_projected) {
          slots[0].interval = rules.menac_after_mena_complete;
          slots[0].interval_base = mena_last_projected;
        }
      } else {
        slots[0].min_age = rules.mena_until;
        if (!mena_valid.empty()) {
          slots[0].interval = rules.menac_after_mena_partial;
          slots[0].interval_base = mena_valid.back();
        }
      }
    }

    const Span upper_span = plan.catch_up_before.value_or(rules.general_catch_up_before);
    const Date upper = Add(birth, upper_span);
    std::optional<Date> last_live;
    if (!live_dates.empty()) last_live = live_dates.back();
    std::optional<Date> prev = nvalid > 0 ? std::optional<Date>(valid[nvalid - 1]) : std::nullopt;
    std::optional<Date> first = nvalid > 0 ? std::optional<Date>(valid[0]) : std::nullopt;
    for (std::size_t k = nvalid; k < n; ++k) {
      const SlotPlan& slot = slots[k];
      const DoseSpec& ds = plan.doses[k];
      Date recommended = Add(birth, ds.age);
      Date timely = TimelyBy(birth, plan, k);
      if (slot.forced != Reason::kNone) {
        Emit(slot.vaccine, series, DoseStatus::kNotNeeded, recommended, std::nullopt, timely,
             std::nullopt, slot.forced, slot.label_dose);
        continue;
      }
      Date earliest = Add(birth, slot.min_age);
      Reason hold = Reason::kNone;
      std::optional<Date> base = slot.interval_base ? slot.interval_base : prev;
      if (slot.interval && base) {
        Date d = Add(*base, *slot.interval);
        if (d > earliest) {
          earliest = d;
          hold = Reason::kAfterPreviousDose;
        }
      }
      if (ds.interval_from_first && first) {
        Date d = Add(*first, *ds.interval_from_first);
        if (d > earliest) {
          earliest = d;
          hold = Reason::kAfterPreviousDose;
        }
      }
      if (last_live && schedule.info(slot.vaccine).live_injected) {
        // 说明 二(三)2, counted from any injected live vaccine given.
        Date d = AddDays(*last_live, rules.live_spacing_days);
        if (d > earliest) {
          earliest = d;
          hold = Reason::kLiveSpacingWait;
        }
      }
      DoseStatus status;
      Reason reason = Reason::kNone;
      if (kind == Kind::kBcg && as_of >= Add(birth, rules.bcg_no_catch_up_from)) {
        status = DoseStatus::kNotNeeded;  // 说明 三(二)2: no BCG catch-up from 4 years
        reason = Reason::kBcgNoCatchUp;
      } else if (as_of >= upper) {
        status = DoseStatus::kNotNeeded;
        reason = kind == Kind::kMenA ? Reason::kMenaSwitchedToMenac : Reason::kPastCatchUpAge;
      } else if (earliest >= upper) {
        status = DoseStatus::kNotNeeded;
        reason = kind == Kind::kMenA ? Reason::kMenaSwitchedToMenac : Reason::kCannotCompleteInTime;
      } else if (kind == Kind::kBcg && as_of >= Add(birth, rules.bcg_skin_test_from)) {
        status = DoseStatus::kNeedsTest;  // 说明 三(二)2: 3 m–3 y only after a negative skin test
        reason = Reason::kBcgSkinTest;
      } else if (as_of < earliest) {
        status = DoseStatus::kUpcoming;
        reason = hold;
      } else if (as_of < timely) {
        status = DoseStatus::kDue;
      } else {
        status = DoseStatus::kOverdue;
      }
      if (status == DoseStatus::kNotNeeded) {
        Emit(slot.vaccine, series, status, recommended, std::nullopt, timely, std::nullopt, reason);
        continue;
      }
      Emit(slot.vaccine, series, status, recommended, earliest, timely, std::nullopt, reason);
      // The next dose follows this one, given at the earliest valid date or today if later.
      prev = std::max(earliest, as_of);
      if (!first) first = prev;
    }
    if (kind == Kind::kMenA) mena_last_projected = prev;
  }
};

}  // namespace

void ForecastChild(const Schedule& schedule, Date birth, std::span<const DoseEvent> history,
                   Date as_of, const ForecastOptions& options, Forecast& out) {
  out.doses.clear();
  out.invalid_records.clear();
  thread_local std::vector<DoseEvent> events;
  thread_local std::vector<Date> live_dates;
  events.clear();
  live_dates.clear();
  for (const DoseEvent& e : history) {
    if (e.date <= as_of && e.vaccine < schedule.vaccines().size()) events.push_back(e);
  }
  std::sort(events.begin(), events.end(), [](const DoseEvent& a, const DoseEvent& b) {
    return a.date != b.date ? a.date < b.date : a.vaccine < b.vaccine;
  });
  // The same vaccine twice on one day is one dose.
  events.erase(std::unique(events.begin(), events.end(),
                           [](const DoseEvent& a, const DoseEvent& b) {
                             return a.date == b.date && a.vaccine == b.vaccine;
                           }),
               events.end());
  bool has_je_inactivated = false, has_hepa_inactivated = false, has_hepa_live = false;
  bool dtp_before_amendment = false;
  const auto& versions = schedule.versions();
  Date amendment = versions.size() > 1
                       ? versions[1].effective
                       : Date{std::chrono::year{9999}, std::chrono::January, std::chrono::day{1}};
  for (const DoseEvent& e : events) {
    if (schedule.info(e.vaccine).live_injected) live_dates.push_back(e.date);
    has_je_inactivated |= e.vaccine == vaccine::kJEI;
    has_hepa_inactivated |= e.vaccine == vaccine::kHepAI;
    has_hepa_live |= e.vaccine == vaccine::kHepAL;
    if ((e.vaccine == vaccine::kDTaP || e.vaccine == vaccine::kDT) && e.date < amendment) {
      dtp_before_amendment = true;
    }
  }
  Run run{schedule, birth, as_of, options, out, events, live_dates};
  const auto& ids = schedule.series_ids();
  for (std::size_t i = 0; i < ids.size(); ++i) {
    Kind kind = KindOf(ids[i]);
    bool replaced = false;
    bool finish_2021 = false;
    switch (kind) {
      case Kind::kJeLive:
        replaced = has_je_inactivated;  // 说明 三(二)6: the live series unless JE-I was given
        break;
      case Kind::kJeInactivated:
        replaced = !has_je_inactivated;
        break;
      case Kind::kHepALive:
        // 说明 三(二)8: with a HepA-I dose the inactivated series is followed; a HepA-L dose then
        // counts as its second dose and is shown there.
        replaced = has_hepa_inactivated;
        if (replaced && has_hepa_live) continue;
        break;
      case Kind::kHepAInactivated:
        replaced = !has_hepa_inactivated;
        break;
      case Kind::kDtp:
        finish_2021 =
            options.dtap_transition == DtapTransition::kFinishOn2021 && dtp_before_amendment;
        break;
      default:
        break;
    }
    run.Series(i, kind, replaced, finish_2021);
  }
}

Forecast ForecastChild(const Schedule& schedule, Date birth, std::span<const DoseEvent> history,
                       Date as_of, const ForecastOptions& options) {
  Forecast out;
  ForecastChild(schedule, birth, history, as_of, options, out);
  return out;
}

std::string_view StatusCode(DoseStatus s) {
  switch (s) {
    case DoseStatus::kDone:
      return "done";
    case DoseStatus::kUpcoming:
      return "upcoming";
    case DoseStatus::kDue:
      return "due";
    case DoseStatus::kOverdue:
      return "overdue";
    case DoseStatus::kNeedsTest:
      return "needs_test";
    case DoseStatus::kNotNeeded:
      return "not_needed";
  }
  return "";
}

std::string_view StatusLabelZh(DoseStatus s) {
  switch (s) {
    case DoseStatus::kDone:
      return "已种";
    case DoseStatus::kUpcoming:
      return "未到时间";
    case DoseStatus::kDue:
      return "应种";
    case DoseStatus::kOverdue:
      return "逾期未种";
    case DoseStatus::kNeedsTest:
      return "需先做皮试";
    case DoseStatus::kNotNeeded:
      return "无需接种";
  }
  return "";
}

namespace {
struct ReasonText {
  std::string_view code, zh, en;
};
ReasonText TextOf(Reason r) {
  switch (r) {
    case Reason::kNone:
      return {"", "", ""};
    case Reason::kBeforeMinimumAge:
      return {"before_minimum_age", "早于最小接种月龄，此剂次无效",
              "given before the minimum age; the dose does not count"};
    case Reason::kIntervalTooShort:
      return {"interval_too_short", "与前一剂次间隔不足，此剂次无效",
              "too soon after the previous dose; the dose does not count"};
    case Reason::kLiveVaccineSpacing:
      return {"live_vaccine_spacing", "与另一种注射减毒活疫苗间隔不足28天，此剂次无效",
              "less than 28 days after another injected live vaccine; the dose does not count"};
    case Reason::kAfterPreviousDose:
      return {"after_previous_dose", "须与前一剂次间隔足够时间",
              "waits for the minimum interval after the previous dose"};
    case Reason::kLiveSpacingWait:
      return {"live_spacing_wait", "须与上一种注射减毒活疫苗间隔28天",
              "waits 28 days after an injected live vaccine"};
    case Reason::kPastCatchUpAge:
      return {"past_catch_up_age", "已超过补种年龄", "past the catch-up age"};
    case Reason::kBcgSkinTest:
      return {"bcg_skin_test", "3月龄至3岁补种卡介苗须先做结核菌素试验，阴性者补种",
              "from 3 months to 3 years BCG is given only after a negative skin test"};
    case Reason::kBcgNoCatchUp:
      return {"bcg_no_catch_up", "≥4岁儿童不再补种卡介苗",
              "BCG is not caught up from the 4th birthday"};
    case Reason::kMenaSwitchedToMenac:
      return {"mena_switched_to_menac", "≥24月龄不再补种A群流脑多糖疫苗，改种A群C群流脑多糖疫苗",
              "no MPSV-A from 24 months; MPSV-AC instead"};
    case Reason::kReplacedBySeries:
      return {"replaced_by_series", "已按另一种疫苗（活疫苗/灭活疫苗）程序接种",
              "the other product's series is followed"};
    case Reason::kReplacedByDt:
      return {"replaced_by_dt", "≥6岁儿童以白破疫苗补种", "from 6 years DT is given instead"};
    case Reason::kSeriesComplete:
      return {"series_complete", "已完成全程接种", "the series is complete"};
    case Reason::kCannotCompleteInTime:
      return {"cannot_complete_in_time", "补种年龄上限前无法完成",
              "cannot be given before the catch-up age limit"};
  }
  return {"", "", ""};
}
}  // namespace

std::string_view ReasonCode(Reason r) { return TextOf(r).code; }
std::string_view ReasonZh(Reason r) { return TextOf(r).zh; }
std::string_view ReasonEn(Reason r) { return TextOf(r).en; }

std::string_view PolicyName(const ForecastOptions& options) {
  return options.dtap_transition == DtapTransition::kFinishOn2021
             ? "dtap-2025:finish-2021;live-spacing:any-dose;timely:before-completion-age"
             : "dtap-2025:continue;live-spacing:any-dose;timely:before-completion-age";
}

nlohmann::json ForecastToJson(const Schedule& schedule, const Forecast& forecast, Date as_of,
                              const ForecastOptions& options) {
  using nlohmann::json;
  auto date_or_null = [](const std::optional<Date>& d) {
    return d ? json(FormatDate(*d)) : json(nullptr);
  };
  json doses = json::array();
  for (const DoseForecast& d : forecast.doses) {
    const VaccineInfo& v = schedule.info(d.vaccine);
    doses.push_back({{"vaccine", v.code},
                     {"name_zh", v.name_zh},
                     {"dose", d.dose},
                     {"series", schedule.series_ids()[d.series]},
                     {"status", StatusCode(d.status)},
                     {"status_zh", StatusLabelZh(d.status)},
                     {"recommended", FormatDate(d.recommended)},
                     {"earliest", date_or_null(d.earliest)},
                     {"timely_by", date_or_null(d.timely_by)},
                     {"given", date_or_null(d.given)},
                     {"reason", ReasonCode(d.reason)},
                     {"reason_zh", ReasonZh(d.reason)},
                     {"reason_en", ReasonEn(d.reason)}});
  }
  json invalid = json::array();
  for (const InvalidRecord& r : forecast.invalid_records) {
    invalid.push_back({{"vaccine", schedule.info(r.vaccine).code},
                       {"date", FormatDate(r.date)},
                       {"reason", ReasonCode(r.reason)},
                       {"reason_zh", ReasonZh(r.reason)},
                       {"reason_en", ReasonEn(r.reason)}});
  }
  return {{"schedule", schedule.NameOn(as_of)},
          {"policy", PolicyName(options)},
          {"as_of", FormatDate(as_of)},
          {"doses", doses},
          {"invalid_records", invalid}};
}

Result<ForecastRequest> ForecastRequestFromJson(const Schedule& schedule,
                                                const nlohmann::json& body) {
  FieldErrors errors;
  ForecastRequest req;
  if (!body.is_object()) {
    return Status::Invalid(
        {{"", "wrong_type", "输入应为 JSON 对象", "the input must be a JSON object"}});
  }
  auto date_field = [&](const char* key, Date& into) {
    auto it = body.find(key);
    if (it == body.end() || it->is_null()) {
      errors.Add(key, "required", std::string(key) + " 为必填项",
                 std::string(key) + " is required");
    } else if (!it->is_string() || !ParseDate(it->get<std::string>())) {
      errors.Add(key, "invalid_date", std::string(key) + " 应为 YYYY-MM-DD 格式的日期",
                 std::string(key) + " must be a date YYYY-MM-DD");
    } else {
      into = *ParseDate(it->get<std::string>());
    }
  };
  date_field("birth_date", req.birth);
  date_field("as_of", req.as_of);
  bool dates_ok = errors.empty();
  if (dates_ok && req.as_of < req.birth) {
    errors.Add("as_of", "before_birth", "as_of 早于出生日期", "as_of is before the birth date");
  }
  if (auto it = body.find("policy"); it != body.end() && !it->is_null()) {
    std::string p = it->is_string() ? it->get<std::string>() : "";
    if (p == "dtap-2025:continue") {
      req.options.dtap_transition = DtapTransition::kContinueOn2025;
    } else if (p == "dtap-2025:finish-2021") {
      req.options.dtap_transition = DtapTransition::kFinishOn2021;
    } else {
      errors.Add("policy", "invalid_enum",
                 "policy 应为 dtap-2025:continue 或 dtap-2025:finish-2021",
                 "policy must be dtap-2025:continue or dtap-2025:finish-2021");
    }
  }
  if (auto it = body.find("history"); it != body.end() && !it->is_null()) {
    if (!it->is_array()) {
      errors.Add("history", "wrong_type", "history 应为数组", "history must be an array");
    } else if (it->size() > 500) {
      errors.Add("history", "too_many", "history 最多 500 条", "history holds at most 500 doses");
    } else {
      for (std::size_t i = 0; i < it->size(); ++i) {
        const auto& h = (*it)[i];
        std::string at = fmt::format("history[{}]", i);
        if (!h.is_object()) {
          errors.Add(at, "wrong_type", at + " 应为对象", at + " must be an object");
          continue;
        }
        const VaccineInfo* v = h.contains("vaccine") && h["vaccine"].is_string()
                                   ? schedule.Find(h["vaccine"].get<std::string>())
                                   : nullptr;
        if (!v) {
          errors.Add(at + ".vaccine", "unknown_vaccine", "未知的疫苗代码", "unknown vaccine code");
        }
        std::optional<Date> d;
        if (h.contains("date") && h["date"].is_string())
          d = ParseDate(h["date"].get<std::string>());
        if (!d) {
          errors.Add(at + ".date", "invalid_date", "接种日期应为 YYYY-MM-DD 格式",
                     "the date must be YYYY-MM-DD");
        } else if (dates_ok && *d < req.birth) {
          errors.Add(at + ".date", "before_birth", "接种日期早于出生日期",
                     "the dose is dated before the birth date");
        } else if (dates_ok && *d > req.as_of) {
          errors.Add(at + ".date", "after_as_of", "接种日期晚于 as_of",
                     "the dose is dated after as_of");
        }
        if (v && d) req.history.push_back({v->id, *d});
      }
    }
  }
  if (!errors.empty()) return errors.ToStatus();
  return req;
}

}  // namespace jd::immunization
