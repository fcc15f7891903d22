// Date search parameters against the examples of FHIR R4 search.html#prefix and #date.
#include "exchange/fhir_search.h"

#include <gtest/gtest.h>

namespace jd::exchange {
namespace {

registry::TextRange Range(const std::vector<std::string>& values, DateKind kind) {
  auto r = DateSearchRange("birthdate", values, kind);
  EXPECT_TRUE(r.ok()) << r.status().ToString();
  return r.ok() ? *r : registry::TextRange{"?", "?"};
}

std::string ErrorCode(const std::vector<std::string>& values, DateKind kind) {
  auto r = DateSearchRange("birthdate", values, kind);
  if (r.ok() || r.status().field_errors().empty()) return "<ok>";
  EXPECT_EQ(r.status().field_errors()[0].field, "birthdate");
  return r.status().field_errors()[0].code;
}

// search.html#date: "the precision of the value implies a range": 2000 is all of that year,
// 2000-04 all of April.
TEST(FhirDateSearchTest, APrecisionIsTheRangeItNames) {
  auto r = Range({"2000"}, DateKind::kDate);
  EXPECT_EQ(r.from, "2000-01-01");
  EXPECT_EQ(r.before, "2001-01-01");
  r = Range({"2000-04"}, DateKind::kDate);
  EXPECT_EQ(r.from, "2000-04-01");
  EXPECT_EQ(r.before, "2000-05-01");
  r = Range({"2012-02"}, DateKind::kDate);  // a leap February ends on the 29th
  EXPECT_EQ(r.before, "2012-03-01");
  // search.html#prefix: eq2013-01-14 takes all of that day and not the next.
  r = Range({"eq2013-01-14"}, DateKind::kDate);
  EXPECT_EQ(r.from, "2013-01-14");
  EXPECT_EQ(r.before, "2013-01-15");
  r = Range({"2013-12-31"}, DateKind::kDate);
  EXPECT_EQ(r.before, "2014-01-01");
}

TEST(FhirDateSearchTest, PrefixesCompareWithTheWholeRange) {
  // gt and sa: after the day ends; lt and eb: before it starts; ge and le keep the day.
  for (const char* p : {"gt", "sa"}) {
    auto r = Range({std::string(p) + "2013-01-14"}, DateKind::kDate);
    EXPECT_EQ(r.from, "2013-01-15") << p;
    EXPECT_EQ(r.before, "") << p;
  }
  for (const char* p : {"lt", "eb"}) {
    auto r = Range({std::string(p) + "2013-01-14"}, DateKind::kDate);
    EXPECT_EQ(r.from, "") << p;
    EXPECT_EQ(r.before, "2013-01-14") << p;
  }
  EXPECT_EQ(Range({"ge2013-01"}, DateKind::kDate).from, "2013-01-01");
  EXPECT_EQ(Range({"le2013-01"}, DateKind::kDate).before, "2013-02-01");
  // Repeated, the parameter is AND: the children born in 2013.
  auto r = Range({"ge2013", "lt2014"}, DateKind::kDate);
  EXPECT_EQ(r.from, "2013-01-01");
  EXPECT_EQ(r.before, "2014-01-01");
  r = Range({"ge2010", "ge2013-06", "le2014", "lt2013-09"}, DateKind::kDate);
  EXPECT_EQ(r.from, "2013-06-01");
  EXPECT_EQ(r.before, "2013-09-01");
}

// Instants are compared in UTC as stored; a date without a zone is a day in Beijing time.
TEST(FhirDateSearchTest, InstantsAreComparedInUtc) {
  auto r = Range({"2026-12-01"}, DateKind::kInstant);
  EXPECT_EQ(r.from, "2026-11-30T16:00:00.000Z");
  EXPECT_EQ(r.before, "2026-12-01T16:00:00.000Z");
  r = Range({"gt2026-12-01T10:00:00+08:00"}, DateKind::kInstant);
  EXPECT_EQ(r.from, "2026-12-01T02:00:01.000Z");
  r = Range({"ge2026-12-01T02:00:00.5Z"}, DateKind::kInstant);
  EXPECT_EQ(r.from, "2026-12-01T02:00:00.500Z");
  r = Range({"lt2026-12-01T00:30:00-05:00"}, DateKind::kInstant);
  EXPECT_EQ(r.before, "2026-12-01T05:30:00.000Z");
  auto since = InstantParam("_since", "2026-12-01T10:00:00+08:00");
  ASSERT_TRUE(since.ok());
  EXPECT_EQ(*since, "2026-12-01T02:00:00.000Z");
  EXPECT_EQ(*InstantParam("_since", "2026-12-01"), "2026-11-30T16:00:00.000Z");
  EXPECT_FALSE(InstantParam("_since", "yesterday").ok());
}

TEST(FhirDateSearchTest, WhatWouldNotNarrowIsRefused) {
  EXPECT_EQ(ErrorCode({"ne2013-01-14"}, DateKind::kDate), "unsupported_prefix");
  EXPECT_EQ(ErrorCode({"ap2013-01-14"}, DateKind::kDate), "unsupported_prefix");
  EXPECT_EQ(ErrorCode({"2013-01-14,2014-01-14"}, DateKind::kDate), "unsupported_or");
  for (const char* bad : {"2013-13", "2013-02-30", "13-01-14", "xx2013", "2013-01-14T10:00:00Z",
                          "", "ge"}) {
    EXPECT_EQ(ErrorCode({bad}, DateKind::kDate), "invalid_date") << bad;
  }
  for (const char* bad : {"2026-12-01T10:00", "2026-12-01T10:00:00", "2026-12-01T25:00:00Z",
                          "2026-12-01T10:00:00+15:00"}) {
    EXPECT_EQ(ErrorCode({bad}, DateKind::kInstant), "invalid_instant") << bad;
  }
}

}  // namespace
}  // namespace jd::exchange
