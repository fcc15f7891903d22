// File: core/test_support.h
// Helpers for the drivers of worked cases kept as JSON under tests/data/ (not part of the library;
// included by *_test.cc only, which define JD_SOURCE_DIR).
//
// kCasesToday: the "today" for reading cases' requests (core/input.h range checks); every date of
//   the cases lies before it.
// ReadCases(path): the JSON array in JD_SOURCE_DIR/path, or an empty array after a test failure.
// ForEachCase(cases, check): check(case) for every case, traced by its "name", which must be
//   unique; every case must name its source in "cite".
// ExpectedErrors(expect, status): when the case's "expect" holds "errors", checks that `status`
//   carries exactly those field errors, in order, and returns true (nothing else to check).
// FieldErrorsJson(s): the field errors of `s` as [{"field", "code"}], in order.
// ExpectMembers(got, want, key): for every object of the array `want`, the object of the array
//   `got` with the same `key` member must hold each of its members with the same value; returns
//   how many objects were compared.
// ExpectMembersOf(got, want, what): every member of the object `want` is in `got` with the same
//   value.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <string_view>

#include "core/dates.h"
#include "core/status.h"

namespace jd::testing_support {

inline nlohmann::json ReadCases(const std::string& path) {
  std::ifstream in(std::string(JD_SOURCE_DIR) + "/" + path);
  nlohmann::json cases = nlohmann::json::parse(in, nullptr, false);
  EXPECT_TRUE(cases.is_array()) << path << " is not a JSON array";
  return cases.is_array() ? cases : nlohmann::json::array();
}

inline constexpr Date kCasesToday{std::chrono::year{2030}, std::chrono::December,
                                  std::chrono::day{31}};

template <typename Check>
void ForEachCase(const nlohmann::json& cases, Check check) {
  std::set<std::string> names;
  for (const auto& c : cases) {
    std::string name = c.value("name", "");
    SCOPED_TRACE(name);
    EXPECT_TRUE(names.insert(name).second) << "duplicate case name";
    EXPECT_FALSE(c.value("cite", "").empty()) << "every case cites its source";
    check(c);
  }
}

inline nlohmann::json FieldErrorsJson(const Status& s) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& e : s.field_errors()) out.push_back({{"field", e.field}, {"code", e.code}});
  return out;
}

inline bool ExpectedErrors(const nlohmann::json& expect, const Status& status) {
  if (!expect.contains("errors")) return false;
  EXPECT_FALSE(status.ok()) << "expected field errors";
  EXPECT_EQ(FieldErrorsJson(status), expect["errors"]);
  return true;
}

inline void ExpectMembersOf(const nlohmann::json& got, const nlohmann::json& want,
                            std::string_view what) {
  for (auto it = want.begin(); it != want.end(); ++it) {
    EXPECT_EQ(got.value(it.key(), nlohmann::json()), it.value())
        << what << "." << it.key() << "; got " << got.dump();
  }
}

inline int ExpectMembers(const nlohmann::json& got, const nlohmann::json& want,
                         std::string_view key) {
  int compared = 0;
  const std::string k(key);
  for (const auto& w : want) {
    auto found = std::find_if(got.begin(), got.end(),
                              [&](const nlohmann::json& g) { return g.value(k, "") == w[k]; });
    if (found == got.end()) {
      ADD_FAILURE() << "nothing with " << k << " = " << w[k];
      continue;
    }
    ExpectMembersOf(*found, w, w[k].dump());
    ++compared;
  }
  return compared;
}

}  // namespace jd::testing_support
