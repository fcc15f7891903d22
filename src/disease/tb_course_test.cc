#include "disease/tb_course.h"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

namespace jd::disease {
namespace {

using nlohmann::json;

// Read once and kept: a range-for over Cases()[...] must not outlive the document.
const json& Cases() {
  static const json cases = [] {
    std::ifstream in(std::string(JD_SOURCE_DIR) + "/tests/data/disease/tb_course.json");
    return json::parse(in, nullptr, false);
  }();
  EXPECT_TRUE(cases.is_object());
  return cases;
}

Date D(const json& j) { return ParseDate(j.get<std::string>()).value(); }

TbCourseInput InputOf(const json& j) {
  TbCourseInput in;
  in.regimen = ParseTbRegimen(j.at("regimen").get<std::string>()).value();
  in.notified_on = D(j.at("notified_on"));
  in.started_on = D(j.at("started_on"));
  for (const auto& v : j.at("visits")) {
    TbVisit visit;
    visit.date = D(v.at("date"));
    visit.doses_taken = v.value("doses_taken", 0);
    visit.doses_missed = v.value("doses_missed", 0);
    visit.sputum = ParseSputum(v.value("sputum", "none")).value();
    in.visits.push_back(visit);
  }
  if (j.contains("outcome")) in.outcome = ParseTbOutcome(j["outcome"].get<std::string>());
  if (j.contains("outcome_on")) in.outcome_on = D(j["outcome_on"]);
  in.as_of = D(j.at("as_of"));
  return in;
}

TEST(TbCourse, WorkedCases) {
  int checked = 0;
  for (const auto& c : Cases()["plans"]) {
    SCOPED_TRACE(c["name"].get<std::string>());
    auto plan = PlanTbCourse(InputOf(c["input"]));
    ASSERT_TRUE(plan.ok()) << plan.status().message_en();
    const json& e = c["expect"];
    EXPECT_EQ(TbPhaseCode(plan->phase), e["phase"].get<std::string>());
    EXPECT_EQ(plan->overdue, e["overdue"].get<bool>());
    if (e.contains("intensive_end")) {
      EXPECT_EQ(FormatDate(plan->intensive_end), e["intensive_end"].get<std::string>());
    }
    if (e.contains("planned_end")) {
      EXPECT_EQ(FormatDate(plan->planned_end), e["planned_end"].get<std::string>());
    }
    if (e.contains("schedule")) {
      ASSERT_EQ(plan->schedule.size(), e["schedule"].size());
      for (std::size_t i = 0; i < plan->schedule.size(); ++i) {
        const TbDueVisit& v = plan->schedule[i];
        const json& w = e["schedule"][i];
        EXPECT_EQ(TbVisitKindCode(v.kind), w[0].get<std::string>()) << i;
        EXPECT_EQ(FormatDate(v.due), w[1].get<std::string>()) << i;
        EXPECT_EQ(FormatDate(v.window_end), w[2].get<std::string>()) << i;
        EXPECT_EQ(TbDueStatusCode(v.status), w[3].get<std::string>()) << i;
        EXPECT_EQ(v.done_on ? json(FormatDate(*v.done_on)) : json(), w[4]) << i;
      }
    }
    if (e.contains("adherence")) {
      const json& a = e["adherence"];
      EXPECT_EQ(plan->adherence.taken, a["taken"].get<int>());
      EXPECT_EQ(plan->adherence.prescribed, a["prescribed"].get<int>());
      ASSERT_TRUE(plan->adherence.ratio.has_value());
      EXPECT_NEAR(*plan->adherence.ratio, a["ratio"].get<double>(), 1e-12);
      EXPECT_EQ(plan->adherence.regular, a["regular"].get<bool>());
    }
    ++checked;
  }
  EXPECT_GE(checked, 10);
}

TEST(TbCourse, BadInputIsFieldErrors) {
  for (const auto& c : Cases()["errors"]) {
    SCOPED_TRACE(c["name"].get<std::string>());
    auto plan = PlanTbCourse(InputOf(c["input"]));
    ASSERT_FALSE(plan.ok());
    EXPECT_EQ(plan.status().code(), StatusCode::kInvalidArgument);
    std::vector<std::string> fields;
    for (const auto& f : plan.status().field_errors()) {
      fields.push_back(f.field);
      EXPECT_FALSE(f.message_zh.empty());
      EXPECT_FALSE(f.message_en.empty());
    }
    EXPECT_EQ(fields, c["fields"].get<std::vector<std::string>>());
  }
}

TEST(TbCourse, OutcomeChecks) {
  int checked = 0;
  for (const auto& c : Cases()["outcomes"]) {
    SCOPED_TRACE(c["name"].get<std::string>());
    auto errors = CheckTbOutcome(
        InputOf(c["course"]), ParseTbOutcome(c["outcome"].get<std::string>()).value(), D(c["on"]));
    std::vector<std::string> codes;
    for (const auto& e : errors) codes.push_back(e.code);
    EXPECT_EQ(codes, c["codes"].get<std::vector<std::string>>());
    ++checked;
  }
  EXPECT_GE(checked, 9);
}

TEST(TbCourse, WhatACourseAddsToTheIndicators) {
  int checked = 0;
  for (const auto& c : Cases()["indicators"]) {
    SCOPED_TRACE(c["name"].get<std::string>());
    const TbCourseCount n = CountTbCourse(InputOf(c["input"]));
    const json& e = c["expect"];
    EXPECT_EQ(FormatDate(n.notified_on), e["notified_on"].get<std::string>());
    EXPECT_EQ(n.managed, e["managed"].get<bool>());
    EXPECT_EQ(n.completed_on ? json(FormatDate(*n.completed_on)) : json(), e["completed_on"]);
    EXPECT_EQ(n.regular, e["regular"].get<bool>());
    ++checked;
  }
  EXPECT_GE(checked, 7);
}

TEST(TbCourse, CodesRoundTrip) {
  for (const auto& r : TbRegimens()) EXPECT_EQ(ParseTbRegimen(r.code), r.regimen);
  for (TbOutcome o : {TbOutcome::kCured, TbOutcome::kCompleted, TbOutcome::kFailed,
                      TbOutcome::kDied, TbOutcome::kLost}) {
    EXPECT_EQ(ParseTbOutcome(TbOutcomeCode(o)), o);
  }
  EXPECT_FALSE(ParseTbRegimen("9m").has_value());
  EXPECT_FALSE(ParseSputum("maybe").has_value());
}

}  // namespace
}  // namespace jd::disease
