// The one driver of the worked cases in tests/data/maternal/referral.json: each case is a referral
// (and optionally a change to it), the earliest day of its subject and a "now", with the field
// errors expected, or the stage, elapsed times and decisions that follow, and the section it rests
// on.
#include "maternal/referral.h"

#include <gtest/gtest.h>

#include "core/test_support.h"

namespace jd::maternal {
namespace {

using nlohmann::json;

std::optional<Instant> Time(const json& j, const char* key) {
  if (!j.contains(key) || j[key].is_null()) return std::nullopt;
  auto t = ParseLocalTime(j[key].get<std::string>());
  EXPECT_TRUE(t.has_value()) << key << ": " << j[key];
  return t;
}

std::optional<Date> Day(const json& j, const char* key) {
  if (!j.contains(key) || j[key].is_null()) return std::nullopt;
  return ParseDate(j[key].get<std::string>());
}

Referral ReferralOf(const json& j) {
  Referral r;
  r.subject = ParseReferralSubject(j.value("subject", "mother")).value();
  r.kind = ParseReferralKind(j.value("kind", "high_risk")).value();
  r.risk_colour = j.value("risk_colour", "");
  r.reason = j.value("reason", "");
  r.to_facility = j.value("to_facility", "");
  r.called_at = Time(j, "called_at").value_or(Instant{});
  r.transferred_at = Time(j, "transferred_at");
  r.admitted_at = Time(j, "admitted_at");
  if (j.contains("outcome")) r.outcome = ParseReferralOutcome(j["outcome"].get<std::string>());
  r.outcome_on = Day(j, "outcome_on");
  if (j.contains("continuation")) {
    r.continuation = ParseContinuation(j["continuation"].get<std::string>());
  }
  r.continuation_on = Day(j, "continuation_on");
  return r;
}

ReferralChange ChangeOf(const json& j) {
  ReferralChange c;
  c.called_at = Time(j, "called_at");
  c.transferred_at = Time(j, "transferred_at");
  c.admitted_at = Time(j, "admitted_at");
  if (j.contains("outcome")) c.outcome = ParseReferralOutcome(j["outcome"].get<std::string>());
  c.outcome_on = Day(j, "outcome_on");
  if (j.contains("outcome_note")) c.outcome_note = j["outcome_note"].get<std::string>();
  if (j.contains("continuation")) {
    c.continuation = ParseContinuation(j["continuation"].get<std::string>());
  }
  c.continuation_on = Day(j, "continuation_on");
  return c;
}

json MinutesJson(const std::optional<int>& m) { return m ? json(*m) : json(); }

TEST(ReferralCases, EveryWorkedCaseHolds) {
  json cases = testing_support::ReadCases("tests/data/maternal/referral.json");
  ASSERT_GE(cases.size(), 12u);
  int checked = 0;
  testing_support::ForEachCase(cases, [&](const json& c) {
    const json& expect = c["expect"];
    const Referral referral = ReferralOf(c["referral"]);
    const Date earliest = ParseDate(c["earliest"].get<std::string>()).value();
    const Instant now = ParseLocalTime(c["now"].get<std::string>()).value();
    Result<Referral> result = referral;
    if (c.value("new", false)) {
      FieldErrors errors =
          CheckNewReferral(referral, earliest, c.value("referral_required", true), now);
      result = errors.empty() ? Result<Referral>(referral) : Result<Referral>(errors.ToStatus());
    } else {
      result = ApplyReferralChange(referral, ChangeOf(c["change"]), earliest, now);
    }
    if (expect["errors"].empty()) {
      ASSERT_TRUE(result.ok()) << result.status().ToString();
    } else {
      testing_support::ExpectedErrors(expect, result.status());
      ++checked;
      return;
    }
    const ReferralTimes times = ElapsedTimes(*result, now);
    json got = {
        {"errors", json::array()},
        {"stage", ReferralStageCode(StageOf(*result))},
        {"call_to_transfer_min", MinutesJson(times.call_to_transfer_min)},
        {"transfer_to_admission_min", MinutesJson(times.transfer_to_admission_min)},
        {"call_to_admission_min", MinutesJson(times.call_to_admission_min)},
        {"open_minutes", times.open_minutes},
        {"continuation_pending", ContinuationPending(*result)},
        {"continuation",
         result->continuation ? json(ContinuationCode(*result->continuation)) : json()},
        {"continuation_on",
         result->continuation_on ? json(FormatDate(*result->continuation_on)) : json()},
        {"outcome_on", result->outcome_on ? json(FormatDate(*result->outcome_on)) : json()}};
    testing_support::ExpectMembersOf(got, expect, "referral");
    ++checked;
  });
  EXPECT_EQ(checked, static_cast<int>(cases.size()));
}

TEST(ReferralTimes, LocalTimesReadAndShownInBeijingTime) {
  EXPECT_EQ(FormatLocalTime(ParseLocalTime("2026-03-10T14:05").value()), "2026-03-10T14:05+08:00");
  EXPECT_EQ(FormatLocalTime(ParseLocalTime("2026-03-09T20:30Z").value()), "2026-03-10T04:30+08:00");
  EXPECT_EQ(ParseLocalTime("2026-03-10 14:05:30+08:00"), ParseLocalTime("2026-03-10T06:05:30Z"));
  EXPECT_EQ(LocalDay(ParseLocalTime("2026-03-09T16:30Z").value()), ParseDate("2026-03-10").value());
  for (const char* bad : {"2026-03-10", "2026-03-10T24:00", "2026-03-10T14:60", "2026-02-30T10:00",
                          "2026-03-10T14:05+09:00", "2026-03-10T1405", "2026-03-10T14:05:7"}) {
    EXPECT_FALSE(ParseLocalTime(bad).has_value()) << bad;
  }
}

}  // namespace
}  // namespace jd::maternal
