// Properties of the forecast that hold for every child; the worked examples from the official
// text are in forecast_cases_test.cc.
#include "immunization/forecast.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "immunization/synthetic.h"

namespace jd::immunization {
namespace {

Date D(const char* text) { return *ParseDate(text); }

TEST(ForecastTest, StatusesAgreeWithTheirDatesForManySyntheticChildren) {
  const Schedule& s = Schedule::Default();
  Date as_of = D("2026-11-22");
  Forecast f;
  int due = 0, overdue = 0, upcoming = 0, done = 0, invalid = 0;
  for (std::uint64_t i = 0; i < 3000; ++i) {
    Date birth = AddDays(as_of, -static_cast<int>((i * 7919) % (8 * 365)));
    auto history = SyntheticHistory(s, birth, as_of, i);
    ForecastChild(s, birth, history, as_of, {}, f);
    std::multiset<std::pair<int, int>> recorded;  // (vaccine, days) of the history
    for (const auto& h : history) recorded.insert({h.vaccine, DaysBetween(birth, h.date)});
    std::set<std::pair<int, int>> lines;
    for (const auto& d : f.doses) {
      SCOPED_TRACE(testing::Message()
                   << "child " << i << " " << s.info(d.vaccine).code << " " << d.dose);
      EXPECT_TRUE(lines.insert({d.vaccine, d.dose}).second) << "a dose is listed twice";
      EXPECT_GE(d.recommended, birth);
      switch (d.status) {
        case DoseStatus::kDone:
          ++done;
          ASSERT_TRUE(d.given.has_value());
          EXPECT_EQ(recorded.count({d.vaccine, DaysBetween(birth, *d.given)}), 1u)
              << "a done dose is a recorded dose";
          break;
        case DoseStatus::kDue:
          ++due;
          EXPECT_LE(*d.earliest, as_of);
          EXPECT_LT(as_of, *d.timely_by);
          break;
        case DoseStatus::kOverdue:
          ++overdue;
          EXPECT_LE(*d.earliest, as_of);
          EXPECT_GE(as_of, *d.timely_by);
          break;
        case DoseStatus::kUpcoming:
          ++upcoming;
          EXPECT_GT(*d.earliest, as_of);
          break;
        case DoseStatus::kNeedsTest:
          EXPECT_EQ(d.vaccine, vaccine::kBCG);
          break;
        case DoseStatus::kNotNeeded:
          EXPECT_FALSE(d.earliest.has_value());
          EXPECT_NE(d.reason, Reason::kNone);
          break;
      }
      EXPECT_FALSE(d.status != DoseStatus::kDone && d.given.has_value());
    }
    for (const auto& r : f.invalid_records) {
      ++invalid;
      for (const auto& d : f.doses) {
        EXPECT_FALSE(d.given && *d.given == r.date && d.vaccine == r.vaccine)
            << "an invalid record never counts as done";
      }
    }
  }
  // The synthetic population exercises every status.
  EXPECT_GT(done, 10000);
  EXPECT_GT(due, 100);
  EXPECT_GT(overdue, 100);
  EXPECT_GT(upcoming, 1000);
  EXPECT_GT(invalid, 10);
}

TEST(ForecastTest, RecordingTheDueDoseMakesItDoneAndMovesTheNextOne) {
  const Schedule& s = Schedule::Default();
  Date birth = D("2026-03-10");
  std::vector<DoseEvent> h = {{vaccine::kHepB, birth}};
  auto before = ForecastChild(s, birth, h, D("2026-04-20"));
  ASSERT_EQ(before.doses[1].vaccine, vaccine::kHepB);
  EXPECT_EQ(before.doses[1].status, DoseStatus::kDue);
  h.push_back({vaccine::kHepB, D("2026-04-20")});
  auto after = ForecastChild(s, birth, h, D("2026-04-20"));
  EXPECT_EQ(after.doses[1].status, DoseStatus::kDone);
  // HepB3: 6 months of age, ≥60 days after HepB2 and ≥4 months after HepB1 (说明 三(二)1).
  EXPECT_EQ(after.doses[2].earliest, D("2026-09-10"));
  EXPECT_EQ(after.doses[2].status, DoseStatus::kUpcoming);
}

TEST(ForecastTest, HistoryAfterTheAsOfDateIsIgnored) {
  const Schedule& s = Schedule::Default();
  Date birth = D("2026-03-10");
  std::vector<DoseEvent> h = {{vaccine::kHepB, birth}, {vaccine::kHepB, D("2026-05-01")}};
  auto f = ForecastChild(s, birth, h, D("2026-04-20"));
  EXPECT_EQ(f.doses[1].status, DoseStatus::kDue);
}

TEST(ForecastRequestTest, BadInputGivesFieldErrors) {
  const Schedule& s = Schedule::Default();
  auto r = ForecastRequestFromJson(
      s, nlohmann::json::parse(R"({"birth_date":"2026-02-30","history":[{"vaccine":"XYZ",
        "date":"2026-01-01"},{"vaccine":"HepB"},7],"policy":"maybe"})"));
  ASSERT_FALSE(r.ok());
  std::map<std::string, std::string> fields;
  for (const auto& e : r.status().field_errors()) fields[e.field] = e.code;
  EXPECT_EQ(fields["birth_date"], "invalid_date");
  EXPECT_EQ(fields["as_of"], "required");
  EXPECT_EQ(fields["history[0].vaccine"], "unknown_vaccine");
  EXPECT_EQ(fields["history[1].date"], "invalid_date");
  EXPECT_EQ(fields["history[2]"], "wrong_type");
  EXPECT_EQ(fields["policy"], "invalid_enum");

  auto later = ForecastRequestFromJson(
      s, nlohmann::json::parse(R"({"birth_date":"2026-02-01","as_of":"2026-03-01",
        "history":[{"vaccine":"HepB","date":"2026-01-31"},{"vaccine":"HepB","date":"2026-03-02"}]})"));
  ASSERT_FALSE(later.ok());
  ASSERT_EQ(later.status().field_errors().size(), 2u);
  EXPECT_EQ(later.status().field_errors()[0].code, "before_birth");
  EXPECT_EQ(later.status().field_errors()[1].code, "after_as_of");
}

}  // namespace
}  // namespace jd::immunization
