// The early-warning and response rules (disease/signal_rules.h).
#include "disease/signal_rules.h"

#include <algorithm>
#include <array>

#include "disease/detectors.h"
#include "disease/ears.h"

namespace jd::disease {

namespace {

constexpr std::array<std::string_view, 6> kKindCodes = {
    "fixed_threshold", "moving_percentile", "ears_c1", "ears_c2", "ears_c3", "work_site_cluster"};
constexpr std::array<std::string_view, 4> kStatusCodes = {"open", "verified", "excluded",
                                                          "event_opened"};
constexpr std::array<std::string_view, 2> kEventKindCodes = {"cluster", "outbreak"};

template <class E, std::size_t N>
std::optional<E> ParseCode(const std::array<std::string_view, N>& codes, std::string_view code) {
  for (std::size_t i = 0; i < N; ++i) {
    if (codes[i] == code) return static_cast<E>(i);
  }
  return std::nullopt;
}

std::optional<double> HoursBetween(Instant from, std::optional<Instant> to) {
  if (!to) return std::nullopt;
  return std::chrono::duration<double, std::ratio<3600>>(*to - from).count();
}

}  // namespace

std::string_view SignalKindCode(SignalKind k) { return kKindCodes[static_cast<std::size_t>(k)]; }
std::optional<SignalKind> ParseSignalKind(std::string_view code) {
  return ParseCode<SignalKind>(kKindCodes, code);
}
std::string_view SignalStatusCode(SignalStatus s) {
  return kStatusCodes[static_cast<std::size_t>(s)];
}
std::optional<SignalStatus> ParseSignalStatus(std::string_view code) {
  return ParseCode<SignalStatus>(kStatusCodes, code);
}
std::string_view EventKindCode(EventKind k) { return kEventKindCodes[static_cast<std::size_t>(k)]; }
std::optional<EventKind> ParseEventKind(std::string_view code) {
  return ParseCode<EventKind>(kEventKindCodes, code);
}

// CIDARS fixed threshold (REFERENCE.md §4): a single reported case triggers an immediate signal.
std::optional<SignalDraft> FixedThresholdSignal(const CardFact& card, DetectionMethod method,
                                                Date report_day) {
  if (method != DetectionMethod::kFixedThreshold) return std::nullopt;
  SignalDraft d;
  d.kind = SignalKind::kFixedThreshold;
  d.disease_code = card.disease_code;
  d.district_code = card.district_code;
  d.period_key = card.id;
  d.period_start = d.period_end = report_day;
  d.observed = 1;
  d.threshold = 1;
  d.card_ids = {card.id};
  d.work_site_key = card.work_site_key;
  d.work_site_kind = card.work_site_kind;
  return d;
}

// 南宁市实施办法 §四(六): fast detection of clusters where migrants crowd; size and window are our
// policy (SignalPolicy, default 3 cases within 7 days).
std::optional<SignalDraft> FindWorkSiteCluster(std::span<const CardFact> cases,
                                               const SignalPolicy& policy) {
  if (cases.empty() || policy.cluster_min_cases < 1 || policy.cluster_days < 1) return std::nullopt;
  std::vector<const CardFact*> sorted;
  for (const CardFact& c : cases) sorted.push_back(&c);
  std::sort(sorted.begin(), sorted.end(), [](const CardFact* a, const CardFact* b) {
    return a->onset != b->onset ? a->onset < b->onset : a->id < b->id;
  });
  const Date last = sorted.back()->onset;
  const Date first = AddDays(last, -(policy.cluster_days - 1));
  SignalDraft d;
  for (const CardFact* c : sorted) {
    if (c->onset >= first) d.card_ids.push_back(c->id);
  }
  if (static_cast<int>(d.card_ids.size()) < policy.cluster_min_cases) return std::nullopt;
  const CardFact& any = *sorted.back();
  d.kind = SignalKind::kWorkSiteCluster;
  d.disease_code = any.disease_code;
  d.district_code = any.district_code;
  d.work_site_key = any.work_site_key;
  d.work_site_kind = any.work_site_kind;
  d.period_start = first;
  d.period_end = last;
  d.period_key = any.work_site_key + "|" + FormatDate(last);
  d.observed = static_cast<std::int64_t>(d.card_ids.size());
  d.threshold = policy.cluster_min_cases;
  return d;
}

bool ClusterAlreadySignalled(Date earlier_end, Date window_start) {
  return earlier_end >= window_start;
}

std::size_t DailySeriesLength() {
  return std::max<std::size_t>(MovingPercentileFirstDay(MovingPercentileOptions{}) + 1, 12);
}

// CIDARS moving percentile (detectors.h) with the catalogue's percentile, and EARS C1–C3 at
// earsC's defaults (ears.h); each judged on the last day of the series only.
std::vector<SignalDraft> DailySignals(std::span<const std::int64_t> counts, Date as_of,
                                      const std::string& disease_code,
                                      const std::string& district_code, int percentile) {
  std::vector<SignalDraft> out;
  if (counts.empty()) return out;
  const std::size_t t = counts.size() - 1;
  auto draft = [&](SignalKind kind, int window_days, std::int64_t observed, double threshold) {
    SignalDraft d;
    d.kind = kind;
    d.disease_code = disease_code;
    d.district_code = district_code;
    d.period_key = FormatDate(as_of);
    d.period_start = AddDays(as_of, -(window_days - 1));
    d.period_end = as_of;
    d.observed = observed;
    d.threshold = threshold;
    out.push_back(std::move(d));
  };
  MovingPercentileOptions mp;
  mp.percentile = percentile;
  if (ValidateMovingPercentileOptions(mp).ok()) {
    std::vector<PercentilePoint> points = MovingPercentile(counts, mp);
    const PercentilePoint& p = points[t];
    if (p.complete && p.signal) {
      draft(SignalKind::kMovingPercentile, mp.window_days, p.current, p.threshold);
    }
  }
  EarsAllMethods ears = EarsAll(counts, EarsOptions{});
  const std::array<std::pair<SignalKind, const std::vector<EarsPoint>*>, 3> methods = {
      std::pair{SignalKind::kEarsC1, &ears.c1}, std::pair{SignalKind::kEarsC2, &ears.c2},
      std::pair{SignalKind::kEarsC3, &ears.c3}};
  for (const auto& [kind, points] : methods) {
    const EarsPoint& p = (*points)[t];
    if (p.state == EarsState::kComputed && p.alarm) draft(kind, 1, counts[t], p.upperbound);
  }
  return out;
}

Instant VerifyDue(Instant raised_at, const SignalPolicy& policy) {
  return raised_at + std::chrono::hours(policy.verify_hours);
}

EventSteps StepsOf(const EventTimes& t, const SignalPolicy& policy) {
  EventSteps s;
  s.verify_hours = HoursBetween(t.signal_raised, t.signal_verified);
  s.investigate_hours = HoursBetween(t.opened, t.investigated);
  s.measures_hours = HoursBetween(t.opened, t.measures);
  s.close_hours = HoursBetween(t.opened, t.closed);
  s.verified_on_time = s.verify_hours && *s.verify_hours <= policy.verify_hours;
  s.investigated_on_time = s.investigate_hours && *s.investigate_hours <= policy.investigate_hours;
  s.measures_on_time = s.measures_hours && *s.measures_hours <= policy.measures_hours;
  s.closed = t.closed.has_value() && t.closure_note;
  return s;
}

bool HandledToStandard(const EventSteps& steps) {
  return steps.verified_on_time && steps.investigated_on_time && steps.measures_on_time &&
         steps.closed;
}

}  // namespace jd::disease
