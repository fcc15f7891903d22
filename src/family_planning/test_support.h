// File: family_planning/test_support.h
// Readers of the worked cases in tests/data/family_planning/ (tests only, not part of the
// library): a case's date and person, and field errors as [{"field", "code"}].
//
// CaseDate(j): the "YYYY-MM-DD" string `j` (a test failure when it is not one).
// CasePerson(j): {"sex": "female"|"male", "birth", "married"?, "spouse_birth"?, "guidance_on"?,
//   "free_service_on"?} as a Person.
// ErrorsJson(errors): the field errors in order, each checked to carry both messages.
#pragma once

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/dates.h"
#include "core/status.h"
#include "family_planning/rules.h"

namespace jd::family_planning::testing_support {

inline Date CaseDate(const nlohmann::json& j) {
  auto d = ParseDate(j.get<std::string>());
  EXPECT_TRUE(d.has_value()) << j;
  return d.value_or(Date{});
}

inline std::vector<Date> CaseDates(const nlohmann::json& j, const char* key) {
  std::vector<Date> out;
  for (const auto& d : j.value(key, nlohmann::json::array())) out.push_back(CaseDate(d));
  return out;
}

inline Person CasePerson(const nlohmann::json& j) {
  Person p;
  const std::string sex = j["sex"].get<std::string>();
  EXPECT_TRUE(sex == "female" || sex == "male") << sex;
  p.sex = sex == "male" ? Sex::kMale : Sex::kFemale;
  p.birth = CaseDate(j["birth"]);
  p.married = j.value("married", false);
  if (j.contains("spouse_birth")) p.spouse_birth = CaseDate(j["spouse_birth"]);
  p.guidance_on = CaseDates(j, "guidance_on");
  p.free_service_on = CaseDates(j, "free_service_on");
  return p;
}

inline nlohmann::json ErrorsJson(const std::vector<FieldError>& errors) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& e : errors) {
    EXPECT_FALSE(e.message_zh.empty()) << e.field;
    EXPECT_FALSE(e.message_en.empty()) << e.field;
    out.push_back({{"field", e.field}, {"code", e.code}});
  }
  return out;
}

}  // namespace jd::family_planning::testing_support
