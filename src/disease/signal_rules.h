// File: disease/signal_rules.h
// The early-warning rules that turn case cards into signals, and the time limits of the response,
// as pure functions (worked cases: tests/data/disease/signals.json). The detectors themselves are
// disease/detectors.h (fixed threshold, CIDARS moving percentile) and disease/ears.h (EARS C1–C3);
// this file decides what they run on and when a result is a signal.
//
// On each saved card (传染病自动预警信息发布与响应 / CIDARS, REFERENCE.md §4):
// - FixedThresholdSignal(card, method): a card of a disease the catalogue marks fixed-threshold
//   raises one signal at once ("a single reported case triggers an immediate signal"); its key is
//   the card, so a correction of the same card raises nothing new.
// - FindWorkSiteCluster(cases, policy): ≥ policy.cluster_min_cases cards of one disease at one
//   work site (construction site, factory, market, dormitory) with onset dates within
//   policy.cluster_days consecutive days ending at the latest onset (default 3 cases in 7 days,
//   our policy: 南宁市实施办法 §四(六) asks for fast detection of clusters where migrants crowd but
//   fixes no size). Counted by onset date, the epidemiological date of a cluster. The cluster's
//   key is the site and its last onset day; a cluster whose window overlaps an earlier cluster
//   signal of the same site and disease is the same cluster (ClusterAlreadySignalled).
// Daily (`jundeng surveillance run --as-of DATE`):
// - DailySignals(counts, percentile, policy): over one district × disease series of daily counts
//   by report date (Asia/Shanghai day of reported_at; CIDARS counts by report date at county level)
//   ending on the as-of day, the moving percentile (catalogue percentile) and, for the same
//   moving-percentile diseases, EARS C1, C2 and C3 at earsC's defaults; each method whose last day
//   signals gives one signal for that day. EARS runs only on the moving-percentile diseases (the
//   temporal methods need a series; the fixed-threshold diseases signal on every case already).
// Response (our policy where marked [unc]):
// - VerifyDue(raised_at, policy): raised_at + policy.verify_hours (24 h: CIDARS asks each signal
//   to be verified within 24 hours of its raising [unc: not in REFERENCE.md]).
// - EventSteps(event times, policy): the investigation recorded within policy.investigate_hours
//   (24 h) of the event's opening, the measures within policy.measures_hours (48 h), and the
//   event closed with a closure note [unc: our policy; 国家突发公共卫生事件相关信息报告管理工作
//   规范 asks for a 2 h report and a prompt field investigation, without step limits we hold].
// - HandledToStandard(signal verified in time, steps): every step on time; DIS_EPIDEMIC_HANDLED
//   = events handled to standard ÷ events closed (南宁市实施办法 §四(六), target 100%).
// Pure functions; thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/dates.h"
#include "disease/catalogue.h"

namespace jd::disease {

using Instant = std::chrono::system_clock::time_point;

enum class SignalKind {
  kFixedThreshold,
  kMovingPercentile,
  kEarsC1,
  kEarsC2,
  kEarsC3,
  kWorkSiteCluster
};
std::string_view SignalKindCode(SignalKind k);  // "fixed_threshold", … "work_site_cluster"
std::optional<SignalKind> ParseSignalKind(std::string_view code);

enum class SignalStatus { kOpen, kVerified, kExcluded, kEventOpened };
std::string_view SignalStatusCode(SignalStatus s);  // "open", "verified", "excluded", …
std::optional<SignalStatus> ParseSignalStatus(std::string_view code);

enum class EventKind { kCluster, kOutbreak };
std::string_view EventKindCode(EventKind k);  // "cluster", "outbreak"
std::optional<EventKind> ParseEventKind(std::string_view code);

struct SignalPolicy {
  int cluster_min_cases = 3;
  int cluster_days = 7;
  int verify_hours = 24;
  int investigate_hours = 24;
  int measures_hours = 48;
};

// What a rule found: the signal before it has an id or a district path.
struct SignalDraft {
  SignalKind kind = SignalKind::kFixedThreshold;
  std::string disease_code, district_code;
  std::string period_key;
  Date period_start{}, period_end{};
  std::int64_t observed = 0;
  std::optional<double> threshold;
  std::vector<std::string> card_ids;
  std::string work_site_key, work_site_kind;
};

// One active card as the on-save rules see it.
struct CardFact {
  std::string id, disease_code, district_code, work_site_key, work_site_kind;
  Date onset{};
};

std::optional<SignalDraft> FixedThresholdSignal(const CardFact& card, DetectionMethod method,
                                                Date report_day);

// `cases`: the active cards of one disease at one work site (any order). The cluster ending at the
// latest onset, if it has enough cards: card ids in onset order (then id).
std::optional<SignalDraft> FindWorkSiteCluster(std::span<const CardFact> cases,
                                               const SignalPolicy& policy);

// Whether an earlier cluster signal ending on `earlier_end` covers the same cluster as one whose
// window starts on `window_start` (their windows overlap).
bool ClusterAlreadySignalled(Date earlier_end, Date window_start);

// The days of history DailySignals wants before the as-of day (inclusive of it: the series length).
std::size_t DailySeriesLength();

// `counts`: daily counts by report day, oldest first, the last one the as-of day; length
// DailySeriesLength() (shorter series: the methods whose baseline is incomplete say nothing).
std::vector<SignalDraft> DailySignals(std::span<const std::int64_t> counts, Date as_of,
                                      const std::string& disease_code,
                                      const std::string& district_code, int percentile);

Instant VerifyDue(Instant raised_at, const SignalPolicy& policy);

struct EventTimes {
  Instant signal_raised{};
  std::optional<Instant> signal_verified;
  Instant opened{};
  std::optional<Instant> investigated, measures, closed;
  bool closure_note = false;
};

struct EventSteps {
  bool verified_on_time = false;
  bool investigated_on_time = false;
  bool measures_on_time = false;
  bool closed = false;
  // Hours from the opening (from the raising for the verification); nullopt: not done.
  std::optional<double> verify_hours, investigate_hours, measures_hours, close_hours;
};

EventSteps StepsOf(const EventTimes& t, const SignalPolicy& policy);

// Every step on time and the event closed with a note.
bool HandledToStandard(const EventSteps& steps);

}  // namespace jd::disease
