#include "registry/person_json.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "registry/id_number.h"
#include "registry/person_rules.h"
#include "registry/test_support.h"

namespace jd::registry {
namespace {

using nlohmann::json;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Pair;
using ::testing::UnorderedElementsAre;

using testing_support::D;

using testing_support::MakeId;

const std::string kId = MakeId("450103", "19880214", "135");  // male

json FullBody() {
  return json{
      {"name", "王建国"},
      {"sex", "M"},
      {"birth_date", "1988-02-14"},
      {"id_type", "resident_id"},
      {"id_number", kId},
      {"ethnicity", "01"},
      {"phone", "13912345678"},
      {"hukou_division", "450103"},
      {"hukou_address", "南宁市青秀区某路1号"},
      {"residence_org", "450105002003"},
      {"residence_address", "南宁市江南区某路2号"},
      {"left_hukou_on", "2023-12-30"},
      {"arrived_on", "2024-01-02"},
      {"move_reason", "work"},
      {"occupation", "电工"},
      {"employer", "某建筑公司"},
      {"marital_status", "married"},
      {"residence_permit_no", "450105202400001"},
      {"residence_permit_valid_until", "2026-12-31"},
      {"health_card_no", "HC001"},
  };
}

std::vector<std::pair<std::string, std::string>> Codes(const FieldErrors& errors) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const FieldError& e : errors.errors()) out.emplace_back(e.field, e.code);
  return out;
}

TEST(PersonFromJsonTest, ReadsEveryField) {
  FieldErrors errors;
  Person p = PersonFromJson(FullBody(), errors);
  EXPECT_THAT(Codes(errors), IsEmpty());
  EXPECT_EQ(p.name, "王建国");
  EXPECT_EQ(p.sex, Sex::kMale);
  EXPECT_EQ(p.birth_date, D(1988, 2, 14));
  EXPECT_EQ(p.id_type, IdType::kResidentId);
  EXPECT_EQ(p.id_number, kId);
  EXPECT_EQ(p.ethnicity, "01");
  EXPECT_EQ(p.phone, "13912345678");
  EXPECT_EQ(p.hukou_division, "450103");
  EXPECT_EQ(p.hukou_address, "南宁市青秀区某路1号");
  EXPECT_EQ(p.residence_org, "450105002003");
  EXPECT_EQ(p.residence_address, "南宁市江南区某路2号");
  EXPECT_EQ(p.left_hukou_on, D(2023, 12, 30));
  EXPECT_EQ(p.arrived_on, D(2024, 1, 2));
  EXPECT_EQ(p.move_reason, MoveReason::kWork);
  EXPECT_EQ(p.occupation, "电工");
  EXPECT_EQ(p.employer, "某建筑公司");
  EXPECT_EQ(p.marital_status, MaritalStatus::kMarried);
  EXPECT_EQ(p.residence_permit_no, "450105202400001");
  EXPECT_EQ(p.residence_permit_valid_until, D(2026, 12, 31));
  EXPECT_EQ(p.health_card_no, "HC001");
  EXPECT_THAT(ValidatePerson(p, D(2026, 5, 1)), IsEmpty());
}

TEST(PersonFromJsonTest, NonObjectBody) {
  for (const json& body : {json("a string"), json::array({1, 2}), json(nullptr), json(42)}) {
    FieldErrors errors;
    PersonFromJson(body, errors);
    EXPECT_THAT(Codes(errors), ElementsAre(Pair("", "wrong_type"))) << body.dump();
  }
}

TEST(PersonFromJsonTest, WrongTypesAreFieldErrors) {
  json body = FullBody();
  body["name"] = 42;
  body["phone"] = 13912345678LL;
  body["arrived_on"] = json::object();
  body["hukou_address"] = json::array();
  body["move_reason"] = true;
  FieldErrors errors;
  Person p = PersonFromJson(body, errors);
  EXPECT_THAT(
      Codes(errors),
      UnorderedElementsAre(Pair("name", "wrong_type"), Pair("phone", "wrong_type"),
                           Pair("arrived_on", "wrong_type"), Pair("hukou_address", "wrong_type"),
                           Pair("move_reason", "wrong_type")));
  EXPECT_EQ(p.name, "");
  for (const FieldError& e : errors.errors()) {
    EXPECT_FALSE(e.message_zh.empty());
    EXPECT_FALSE(e.message_en.empty());
  }
}

TEST(PersonFromJsonTest, UnknownEnumValueListsAllowedValues) {
  json body = FullBody();
  body["move_reason"] = "holiday";
  body["sex"] = "X";
  body["marital_status"] = "complicated";
  body["id_type"] = "driving_licence";
  FieldErrors errors;
  PersonFromJson(body, errors);
  EXPECT_THAT(Codes(errors), UnorderedElementsAre(Pair("move_reason", "invalid_value"),
                                                  Pair("sex", "invalid_value"),
                                                  Pair("marital_status", "invalid_value"),
                                                  Pair("id_type", "invalid_value")));
  for (const FieldError& e : errors.errors()) {
    if (e.field == "move_reason") {
      EXPECT_THAT(e.message_en, HasSubstr("work, business, family"));
      EXPECT_THAT(e.message_zh, HasSubstr("business_trip, other"));
    }
    if (e.field == "sex") {
      EXPECT_THAT(e.message_en, HasSubstr("M, F"));
    }
  }
}

TEST(PersonFromJsonTest, MalformedDates) {
  json body = FullBody();
  body["birth_date"] = "1988/02/14";
  body["arrived_on"] = "2024-02-30";
  body["left_hukou_on"] = "yesterday";
  body["residence_permit_valid_until"] = "2026-1-1";
  FieldErrors errors;
  PersonFromJson(body, errors);
  EXPECT_THAT(
      Codes(errors),
      UnorderedElementsAre(Pair("birth_date", "invalid_date"), Pair("arrived_on", "invalid_date"),
                           Pair("left_hukou_on", "invalid_date"),
                           Pair("residence_permit_valid_until", "invalid_date")));
}

TEST(PersonFromJsonTest, SexAndBirthDateDerivedFromResidentId) {
  json body = FullBody();
  body.erase("sex");
  body.erase("birth_date");
  body.erase("id_type");                                    // defaults to resident_id
  body["id_number"] = MakeId("450103", "19950606", "022");  // female
  FieldErrors errors;
  Person p = PersonFromJson(body, errors);
  EXPECT_THAT(Codes(errors), IsEmpty());
  EXPECT_EQ(p.id_type, IdType::kResidentId);
  EXPECT_EQ(p.sex, Sex::kFemale);
  EXPECT_EQ(p.birth_date, D(1995, 6, 6));

  // null and "" count as missing.
  body["sex"] = nullptr;
  body["birth_date"] = "";
  FieldErrors errors2;
  p = PersonFromJson(body, errors2);
  EXPECT_THAT(Codes(errors2), IsEmpty());
  EXPECT_EQ(p.sex, Sex::kFemale);
  EXPECT_EQ(p.birth_date, D(1995, 6, 6));
}

TEST(PersonFromJsonTest, GivenSexIsKeptSoTheRulesCanReportAMismatch) {
  json body = FullBody();
  body["sex"] = "F";
  FieldErrors errors;
  Person p = PersonFromJson(body, errors);
  EXPECT_THAT(Codes(errors), IsEmpty());
  EXPECT_EQ(p.sex, Sex::kFemale);
  std::vector<FieldError> rule_errors = ValidatePerson(p, D(2026, 5, 1));
  ASSERT_EQ(rule_errors.size(), 1u);
  EXPECT_EQ(rule_errors[0].field, "sex");
  EXPECT_EQ(rule_errors[0].code, "mismatch_with_id_number");
}

TEST(PersonFromJsonTest, SexRequiredWhenItCannotBeDerived) {
  json body = FullBody();
  body.erase("sex");
  body["id_type"] = "passport";
  body["id_number"] = "e12345678";
  FieldErrors errors;
  Person p = PersonFromJson(body, errors);
  EXPECT_THAT(Codes(errors), ElementsAre(Pair("sex", "required")));
  EXPECT_EQ(p.id_type, IdType::kPassport);
  EXPECT_EQ(p.id_number, "E12345678");
  EXPECT_EQ(p.birth_date, D(1988, 2, 14));

  body["id_type"] = "resident_id";
  body["id_number"] = "";
  FieldErrors errors2;
  PersonFromJson(body, errors2);
  EXPECT_THAT(Codes(errors2), ElementsAre(Pair("sex", "required")));
}

TEST(PersonFromJsonTest, MoveReasonIsRequired) {
  json body = FullBody();
  body.erase("move_reason");
  FieldErrors errors;
  PersonFromJson(body, errors);
  EXPECT_THAT(Codes(errors), ElementsAre(Pair("move_reason", "required")));
}

TEST(PersonFromJsonTest, NormalisesImportedValues) {
  json body = FullBody();
  body["name"] = "  王建国 ";
  body["id_number"] = " 450103880214135 ";  // 15-digit legacy number
  body["sex"] = "男";
  body["move_reason"] = "随同迁移";
  body["marital_status"] = "已婚";
  body["ethnicity"] = "壮族";
  body["phone"] = "+86 139-1234-5678";
  FieldErrors errors;
  Person p = PersonFromJson(body, errors);
  EXPECT_THAT(Codes(errors), IsEmpty());
  EXPECT_EQ(p.name, "王建国");
  EXPECT_EQ(p.id_number, MakeId("450103", "19880214", "135"));
  EXPECT_EQ(p.sex, Sex::kMale);
  EXPECT_EQ(p.move_reason, MoveReason::kFamily);
  EXPECT_EQ(p.marital_status, MaritalStatus::kMarried);
  EXPECT_EQ(p.ethnicity, "08");
  EXPECT_EQ(p.phone, "13912345678");

  body["id_number"] = "11010519491231002x";
  body.erase("sex");
  body.erase("birth_date");
  FieldErrors errors2;
  p = PersonFromJson(body, errors2);
  EXPECT_EQ(p.id_number, "11010519491231002X");
  EXPECT_EQ(p.sex, Sex::kFemale);
  EXPECT_EQ(p.birth_date, D(1949, 12, 31));
}

TEST(PersonFromJsonTest, UnknownFieldsAndServerFieldsAreIgnored) {
  json body = FullBody();
  body["favourite_colour"] = "blue";
  body["id"] = "should-not-be-read";
  body["status"] = "died";
  body["version"] = 99;
  FieldErrors errors;
  Person p = PersonFromJson(body, errors);
  EXPECT_THAT(Codes(errors), IsEmpty());
  EXPECT_EQ(p.id, "");
  EXPECT_EQ(p.status, PersonStatus::kActive);
  EXPECT_EQ(p.version, 1);
}

TEST(PersonFromJsonTest, MinimalBodyLeavesRequiredChecksToTheRules) {
  FieldErrors errors;
  Person p = PersonFromJson(json::object(), errors);
  EXPECT_THAT(Codes(errors), ElementsAre(Pair("sex", "required"), Pair("move_reason", "required")));
  std::vector<std::string> fields;
  for (const FieldError& e : ValidatePerson(p, D(2026, 5, 1))) fields.push_back(e.field);
  EXPECT_THAT(fields, Contains("name"));
  EXPECT_THAT(fields, Contains("arrived_on"));
}

TEST(PersonToJsonTest, FullAndMasked) {
  FieldErrors errors;
  Person p = PersonFromJson(FullBody(), errors);
  p.id = "0190a0b0-0000-7000-8000-000000000001";
  p.version = 3;
  p.created_at = "2026-01-01T00:00:00.000Z";
  p.updated_at = "2026-02-01T00:00:00.000Z";
  p.status = PersonStatus::kMovedOut;

  json full = PersonToJson(p, /*mask=*/false);
  EXPECT_EQ(full["id"], p.id);
  EXPECT_EQ(full["id_number"], kId);
  EXPECT_EQ(full["phone"], "13912345678");
  EXPECT_EQ(full["id_number_masked"], MaskIdNumber(kId));
  EXPECT_EQ(full["phone_masked"], "139****5678");
  EXPECT_EQ(full["sex"], "M");
  EXPECT_EQ(full["birth_date"], "1988-02-14");
  EXPECT_EQ(full["move_reason"], "work");
  EXPECT_EQ(full["marital_status"], "married");
  EXPECT_EQ(full["status"], "moved_out");
  EXPECT_EQ(full["version"], 3);
  EXPECT_EQ(full["created_at"], p.created_at);
  EXPECT_EQ(full["updated_at"], p.updated_at);
  EXPECT_EQ(full["residence_permit_valid_until"], "2026-12-31");

  json masked = PersonToJson(p, /*mask=*/true);
  EXPECT_FALSE(masked.contains("id_number"));
  EXPECT_FALSE(masked.contains("phone"));
  EXPECT_EQ(masked["id_number_masked"], kId.substr(0, 4) + "**********" + kId.substr(14));
  EXPECT_EQ(masked["phone_masked"], "139****5678");
  EXPECT_EQ(masked.dump().find(kId), std::string::npos);
  EXPECT_EQ(masked.dump().find("13912345678"), std::string::npos);
}

// A list row: what a list shows and no whole identifier or address.
TEST(PersonListJsonTest, OnlyTheListsFieldsAllMasked) {
  FieldErrors errors;
  Person p = PersonFromJson(FullBody(), errors);
  p.id = "0190a0b0-0000-7000-8000-000000000001";
  p.health_card_no = "450100202312345678";
  p.residence_permit_no = "4501032023123456";
  json j = PersonListJson(p);
  std::set<std::string> keys;
  for (const auto& [k, v] : j.items()) keys.insert(k);
  EXPECT_EQ(keys, (std::set<std::string>{"id", "name", "sex", "birth_date", "id_type",
                                         "id_number_masked", "phone_masked", "hukou_division",
                                         "hukou_division_name", "residence_org", "arrived_on",
                                         "move_reason", "status", "version", "updated_at"}));
  EXPECT_EQ(j["id_number_masked"], MaskIdNumber(kId));
  EXPECT_EQ(j["phone_masked"], "139****5678");
  const std::string text = j.dump();
  for (const std::string& whole : {kId, std::string("13912345678"), p.health_card_no,
                                   p.residence_permit_no, p.residence_address}) {
    if (!whole.empty()) {
      EXPECT_EQ(text.find(whole), std::string::npos) << whole;
    }
  }
  // The masked full form masks the other numbers too.
  json masked = PersonToJson(p, /*mask=*/true);
  EXPECT_EQ(masked["health_card_no"], "4501**********5678");
  EXPECT_EQ(masked["residence_permit_no"], "45************56");
}

TEST(PersonToJsonTest, RoundTrip) {
  FieldErrors errors;
  Person p = PersonFromJson(FullBody(), errors);
  p.left_hukou_on.reset();
  p.residence_permit_valid_until.reset();
  json j = PersonToJson(p, false);
  EXPECT_TRUE(j["left_hukou_on"].is_null());
  EXPECT_TRUE(j["residence_permit_valid_until"].is_null());
  FieldErrors errors2;
  Person back = PersonFromJson(j, errors2);
  EXPECT_THAT(Codes(errors2), IsEmpty());
  EXPECT_EQ(PersonToJson(back, false), j);
}

TEST(ApplyPersonPatchTest, OnlyPresentFieldsChange) {
  FieldErrors errors;
  Person base = PersonFromJson(FullBody(), errors);
  base.id = "abc";
  base.version = 4;
  FieldErrors patch_errors;
  Person p =
      ApplyPersonPatch(base, json{{"phone", "13700000000"}, {"move_reason", "经商"}}, patch_errors);
  EXPECT_THAT(Codes(patch_errors), IsEmpty());
  EXPECT_EQ(p.phone, "13700000000");
  EXPECT_EQ(p.move_reason, MoveReason::kBusiness);
  EXPECT_EQ(p.name, base.name);
  EXPECT_EQ(p.birth_date, base.birth_date);
  EXPECT_EQ(p.left_hukou_on, base.left_hukou_on);
  EXPECT_EQ(p.id, "abc");
  EXPECT_EQ(p.version, 4);
}

TEST(ApplyPersonPatchTest, NullClearsOptionalFields) {
  FieldErrors errors;
  Person base = PersonFromJson(FullBody(), errors);
  FieldErrors patch_errors;
  Person p = ApplyPersonPatch(base,
                              json{{"phone", nullptr},
                                   {"employer", nullptr},
                                   {"ethnicity", nullptr},
                                   {"left_hukou_on", nullptr},
                                   {"residence_permit_valid_until", nullptr},
                                   {"marital_status", nullptr}},
                              patch_errors);
  EXPECT_THAT(Codes(patch_errors), IsEmpty());
  EXPECT_EQ(p.phone, "");
  EXPECT_EQ(p.employer, "");
  EXPECT_EQ(p.ethnicity, "");
  EXPECT_EQ(p.left_hukou_on, std::nullopt);
  EXPECT_EQ(p.residence_permit_valid_until, std::nullopt);
  EXPECT_EQ(p.marital_status, MaritalStatus::kUnknown);
}

TEST(ApplyPersonPatchTest, NullOnRequiredFieldsIsAnError) {
  FieldErrors errors;
  Person base = PersonFromJson(FullBody(), errors);
  base.id_type = IdType::kPassport;
  base.id_number = "E12345678";
  FieldErrors patch_errors;
  Person p = ApplyPersonPatch(base,
                              json{{"name", nullptr},
                                   {"sex", nullptr},
                                   {"arrived_on", nullptr},
                                   {"hukou_division", ""},
                                   {"residence_org", nullptr},
                                   {"id_number", nullptr},
                                   {"move_reason", nullptr}},
                              patch_errors);
  EXPECT_THAT(Codes(patch_errors),
              UnorderedElementsAre(
                  Pair("name", "required"), Pair("sex", "required"), Pair("arrived_on", "required"),
                  Pair("hukou_division", "required"), Pair("residence_org", "required"),
                  Pair("id_number", "required"), Pair("move_reason", "required")));
  EXPECT_EQ(p.name, base.name);
  EXPECT_EQ(p.arrived_on, base.arrived_on);
}

TEST(ApplyPersonPatchTest, ClearedSexAndBirthDateComeBackFromTheResidentId) {
  FieldErrors errors;
  Person base = PersonFromJson(FullBody(), errors);
  base.sex = Sex::kFemale;
  base.birth_date = D(2000, 1, 1);
  FieldErrors patch_errors;
  Person p = ApplyPersonPatch(base, json{{"sex", nullptr}, {"birth_date", ""}}, patch_errors);
  EXPECT_THAT(Codes(patch_errors), IsEmpty());
  EXPECT_EQ(p.sex, Sex::kMale);
  EXPECT_EQ(p.birth_date, D(1988, 2, 14));

  // Without a resident ID the cleared birth date is left for the rules to report.
  base.id_type = IdType::kTaiwanPermit;
  base.id_number = "12345678";
  FieldErrors patch_errors2;
  p = ApplyPersonPatch(base, json{{"birth_date", nullptr}}, patch_errors2);
  EXPECT_THAT(Codes(patch_errors2), IsEmpty());
  EXPECT_FALSE(p.birth_date.ok());
  std::vector<FieldError> rule_errors = ValidatePerson(p, D(2026, 5, 1));
  ASSERT_EQ(rule_errors.size(), 1u);
  EXPECT_EQ(rule_errors[0].field, "birth_date");
  EXPECT_EQ(rule_errors[0].code, "required");
}

TEST(ApplyPersonPatchTest, ChangedIdNumberRederivesSexAndBirthDate) {
  FieldErrors errors;
  Person base = PersonFromJson(FullBody(), errors);
  std::string new_id = MakeId("450103", "19880215", "246");  // female, a day later
  FieldErrors patch_errors;
  Person p = ApplyPersonPatch(base, json{{"id_number", new_id}}, patch_errors);
  EXPECT_THAT(Codes(patch_errors), IsEmpty());
  EXPECT_EQ(p.id_number, new_id);
  EXPECT_EQ(p.sex, Sex::kFemale);
  EXPECT_EQ(p.birth_date, D(1988, 2, 15));

  // Given values win over the number (and the rules then report the mismatch).
  FieldErrors patch_errors2;
  p = ApplyPersonPatch(base, json{{"id_number", new_id}, {"sex", "M"}}, patch_errors2);
  EXPECT_EQ(p.sex, Sex::kMale);
  EXPECT_EQ(p.birth_date, D(1988, 2, 15));
}

TEST(ApplyPersonPatchTest, ChangingIdType) {
  FieldErrors errors;
  Person base = PersonFromJson(FullBody(), errors);
  FieldErrors patch_errors;
  Person p = ApplyPersonPatch(
      base, json{{"id_type", "hk_macau_permit"}, {"id_number", "h12345678"}}, patch_errors);
  EXPECT_THAT(Codes(patch_errors), IsEmpty());
  EXPECT_EQ(p.id_type, IdType::kHkMacauPermit);
  EXPECT_EQ(p.id_number, "H12345678");
  EXPECT_EQ(p.sex, base.sex);
  EXPECT_EQ(p.birth_date, base.birth_date);
}

TEST(ApplyPersonPatchTest, WrongTypes) {
  FieldErrors errors;
  Person base = PersonFromJson(FullBody(), errors);
  FieldErrors e1;
  Person p = ApplyPersonPatch(base, json("name"), e1);
  EXPECT_THAT(Codes(e1), ElementsAre(Pair("", "wrong_type")));
  EXPECT_EQ(p.name, base.name);
  FieldErrors e2;
  p = ApplyPersonPatch(base, json{{"name", 1}, {"sex", "?"}, {"arrived_on", "soon"}}, e2);
  EXPECT_THAT(Codes(e2),
              UnorderedElementsAre(Pair("name", "wrong_type"), Pair("sex", "invalid_value"),
                                   Pair("arrived_on", "invalid_date")));
  EXPECT_EQ(p.name, base.name);
  EXPECT_EQ(p.sex, base.sex);
  EXPECT_EQ(p.arrived_on, base.arrived_on);
}

}  // namespace
}  // namespace jd::registry
