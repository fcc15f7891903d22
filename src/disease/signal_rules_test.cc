// The one driver of the worked cases in tests/data/disease/signals.json: the fixed threshold on a
// saved card (with the catalogue of the report day), the work-site cluster, the daily moving
// percentile and EARS on the last day of a series, and the timeliness of an event's steps. Each
// case names its source in "cite".
#include "disease/signal_rules.h"

#include <gtest/gtest.h>

#include "core/test_support.h"

namespace jd::disease {
namespace {

using nlohmann::json;

Date D(const std::string& text) { return *ParseDate(text); }

void CheckFixed(const json& in, const json& expect) {
  const Date day = D(in["report_day"]);
  CardFact card{"card-1", in["disease"], "450103", "", "", day};
  auto entry = DiseaseCatalogue::Builtin().Find(card.disease_code, day);
  auto d = FixedThresholdSignal(card, entry.ok() ? entry->entry->detection : DetectionMethod::kNone,
                                day);
  ASSERT_EQ(d.has_value(), expect["signal"].get<bool>());
  if (!d) return;
  EXPECT_EQ(d->kind, SignalKind::kFixedThreshold);
  EXPECT_EQ(d->period_key, expect["period_key"]);
  EXPECT_EQ(d->observed, expect["observed"]);
  EXPECT_EQ(d->card_ids, std::vector<std::string>{"card-1"});
}

void CheckCluster(const json& in, const json& expect) {
  SignalPolicy policy;
  policy.cluster_min_cases = in.value("min_cases", policy.cluster_min_cases);
  policy.cluster_days = in.value("days", policy.cluster_days);
  std::vector<CardFact> cards;
  int n = 0;
  for (const auto& onset : in["onsets"]) {
    cards.push_back({"c" + std::to_string(++n), "dysentery", "450103", "site-a",
                     "construction_site", D(onset)});
  }
  // Any order in, the same cluster out.
  std::reverse(cards.begin(), cards.end());
  auto d = FindWorkSiteCluster(cards, policy);
  ASSERT_EQ(d.has_value(), expect["cluster"].get<bool>());
  if (!d) return;
  EXPECT_EQ(d->kind, SignalKind::kWorkSiteCluster);
  EXPECT_EQ(json(d->card_ids), expect["card_ids"]);
  EXPECT_EQ(FormatDate(d->period_start), expect["period_start"]);
  EXPECT_EQ(FormatDate(d->period_end), expect["period_end"]);
  EXPECT_EQ(d->observed, expect["observed"]);
  EXPECT_EQ(d->work_site_key, "site-a");
  if (expect.contains("period_key")) {
    EXPECT_EQ(d->period_key, expect["period_key"]);
  }
}

void CheckDaily(const json& in, const json& expect) {
  const std::size_t length = in.value("length", DailySeriesLength());
  const json& pattern = in["pattern"];
  const json& last = in["last"];
  std::vector<std::int64_t> counts(length);
  for (std::size_t i = 0; i < length; ++i) counts[i] = pattern[i % pattern.size()];
  for (std::size_t i = 0; i < last.size(); ++i) counts[length - last.size() + i] = last[i];
  const Date as_of = D("2026-11-20");
  auto drafts = DailySignals(counts, as_of, "dysentery", "450103", in["percentile"]);
  json kinds = json::array();
  for (const auto& d : drafts) {
    kinds.push_back(SignalKindCode(d.kind));
    EXPECT_EQ(d.period_key, "2026-11-20");
    EXPECT_EQ(d.period_end, as_of);
    const std::string code(SignalKindCode(d.kind));
    if (expect.contains("observed") && expect["observed"].contains(code)) {
      EXPECT_EQ(d.observed, expect["observed"][code]) << code;
    }
    if (expect.contains("threshold") && expect["threshold"].contains(code)) {
      ASSERT_TRUE(d.threshold.has_value());
      EXPECT_NEAR(*d.threshold, expect["threshold"][code].get<double>(), 1e-9) << code;
    }
  }
  EXPECT_EQ(kinds, expect["kinds"]);
}

void CheckSteps(const json& in, const json& expect) {
  const Instant raised = std::chrono::sys_days{std::chrono::year{2026} / 11 / 20};
  const Instant opened = raised + std::chrono::hours(1);
  auto after = [&](const char* key, Instant from) -> std::optional<Instant> {
    if (!in.contains(key)) return std::nullopt;
    return from + std::chrono::minutes(static_cast<int>(in[key].get<double>() * 60));
  };
  EventTimes t;
  t.signal_raised = raised;
  t.signal_verified = after("verify_h", raised);
  t.opened = opened;
  t.investigated = after("investigate_h", opened);
  t.measures = after("measures_h", opened);
  t.closed = after("close_h", opened);
  t.closure_note = in.value("note", false);
  EventSteps s = StepsOf(t, SignalPolicy{});
  EXPECT_EQ(HandledToStandard(s), expect["handled"].get<bool>());
  if (expect.contains("verified_on_time")) {
    EXPECT_EQ(s.verified_on_time, expect["verified_on_time"]);
  }
  if (expect.contains("measures_on_time")) {
    EXPECT_EQ(s.measures_on_time, expect["measures_on_time"]);
  }
  if (expect.contains("closed")) {
    EXPECT_EQ(s.closed, expect["closed"]);
  }
}

TEST(SignalRuleCases, EveryWorkedCaseHolds) {
  json cases = testing_support::ReadCases("tests/data/disease/signals.json");
  ASSERT_GE(cases.size(), 20u);
  std::set<std::string> rules;
  testing_support::ForEachCase(cases, [&](const json& c) {
    const std::string rule = c["rule"];
    rules.insert(rule);
    if (rule == "fixed") {
      CheckFixed(c["input"], c["expect"]);
    } else if (rule == "cluster") {
      CheckCluster(c["input"], c["expect"]);
    } else if (rule == "cluster_same") {
      EXPECT_EQ(
          ClusterAlreadySignalled(D(c["input"]["earlier_end"]), D(c["input"]["window_start"])),
          c["expect"]["same"].get<bool>());
    } else if (rule == "daily") {
      CheckDaily(c["input"], c["expect"]);
    } else if (rule == "steps") {
      CheckSteps(c["input"], c["expect"]);
    } else {
      ADD_FAILURE() << "unknown rule " << rule;
    }
  });
  EXPECT_EQ(rules.size(), 5u);
}

TEST(SignalRules, CodesReadBack) {
  for (auto k : {SignalKind::kFixedThreshold, SignalKind::kMovingPercentile, SignalKind::kEarsC1,
                 SignalKind::kEarsC2, SignalKind::kEarsC3, SignalKind::kWorkSiteCluster}) {
    EXPECT_EQ(ParseSignalKind(SignalKindCode(k)), k);
  }
  for (auto s : {SignalStatus::kOpen, SignalStatus::kVerified, SignalStatus::kExcluded,
                 SignalStatus::kEventOpened}) {
    EXPECT_EQ(ParseSignalStatus(SignalStatusCode(s)), s);
  }
  EXPECT_EQ(ParseEventKind("outbreak"), EventKind::kOutbreak);
  EXPECT_FALSE(ParseSignalKind("C1").has_value());
  EXPECT_FALSE(ParseEventKind("").has_value());
}

TEST(SignalRules, VerifyIsDueADayAfterRaising) {
  const Instant raised = std::chrono::sys_days{std::chrono::year{2026} / 11 / 20};
  EXPECT_EQ(VerifyDue(raised, SignalPolicy{}) - raised, std::chrono::hours(24));
}

}  // namespace
}  // namespace jd::disease
