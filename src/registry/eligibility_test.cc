#include "registry/eligibility.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace jd::registry {
namespace {

using nlohmann::json;
using namespace std::chrono;

const RuleOutcome* FindRule(const EligibilityResult& r, const std::string& name) {
  for (const auto& o : r.rules)
    if (o.rule == name) return &o;
  return nullptr;
}

// An adult worker from 贵港 living in 南宁 since mid-2025 with a valid 居住证: passes everything
// except the child-only vaccination file.
EligibilityFacts BaseFacts() {
  EligibilityFacts f;
  f.as_of = 2026y / March / 1;
  f.birth_date = 1990y / May / 1;
  f.hukou_division = "450803";
  f.residence_division = "450103";
  f.left_hukou_on = 2025y / June / 1;
  f.arrived_on = 2025y / June / 2;
  f.reason = MoveReason::kWork;
  f.documents = {{DocumentType::kResidencePermit, DocumentStatus::kApproved, 2027y / June / 1}};
  return f;
}

std::vector<std::pair<std::string, std::string>> FieldCodes(const Status& s) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& e : s.field_errors()) out.emplace_back(e.field, e.code);
  std::sort(out.begin(), out.end());
  return out;
}

// ---- The data-driven cases of tests/data/eligibility_cases.json ----

json LoadCases() {
  std::ifstream in(std::string(JD_SOURCE_DIR) + "/tests/data/eligibility_cases.json");
  if (!in) return json();
  return json::parse(in, nullptr, /*allow_exceptions=*/false);
}

EligibilityPolicy PolicyFrom(const json& j) {
  EligibilityPolicy p;
  if (!j.is_object()) return p;
  p.min_days_away = j.value("min_days_away", p.min_days_away);
  p.min_days_here = j.value("min_days_here", p.min_days_here);
  p.health_record_months = j.value("health_record_months", p.health_record_months);
  p.vaccination_file_months = j.value("vaccination_file_months", p.vaccination_file_months);
  p.vaccination_file_before_birthday =
      j.value("vaccination_file_before_birthday", p.vaccination_file_before_birthday);
  return p;
}

void CheckCase(const json& base, const json& c) {
  ASSERT_TRUE(c.contains("source") && c["source"].is_string() && !c["source"].empty())
      << "every case cites its section";
  json input = base;
  input.merge_patch(c.value("input", json::object()));
  auto facts = EligibilityFactsFromJson(input);

  if (c.contains("expect_errors")) {
    ASSERT_FALSE(facts.ok()) << input.dump();
    EXPECT_EQ(facts.status().code(), StatusCode::kInvalidArgument);
    std::vector<std::pair<std::string, std::string>> want;
    for (const auto& e : c["expect_errors"]) want.emplace_back(e[0], e[1]);
    std::sort(want.begin(), want.end());
    EXPECT_EQ(FieldCodes(facts.status()), want);
    for (const auto& e : facts.status().field_errors()) {
      EXPECT_FALSE(e.message_zh.empty()) << e.field;
      EXPECT_FALSE(e.message_en.empty()) << e.field;
    }
    return;
  }

  ASSERT_TRUE(facts.ok()) << facts.status().ToString();
  ASSERT_TRUE(c.contains("expect"));
  const json& want = c["expect"];
  EligibilityResult r = Evaluate(*facts, PolicyFrom(c.value("policy", json::object())));
  ASSERT_EQ(r.rules.size(), 7u);
  if (want.contains("floating")) {
    EXPECT_EQ(r.floating, want["floating"].get<bool>());
  }
  const json e = want.value("entitlements", json::object());
  if (e.contains("health_record")) {
    EXPECT_EQ(r.entitlements.health_record, e["health_record"].get<bool>()) << "health_record";
  }
  if (e.contains("vaccination_file")) {
    EXPECT_EQ(r.entitlements.vaccination_file, e["vaccination_file"].get<bool>())
        << "vaccination_file";
  }
  if (e.contains("free_services")) {
    EXPECT_EQ(r.entitlements.free_services, e["free_services"].get<bool>()) << "free_services";
  }
  const json rules = want.value("rules", json::object());
  for (const auto& [name, passed] : rules.items()) {
    const RuleOutcome* o = FindRule(r, name);
    ASSERT_NE(o, nullptr) << name;
    EXPECT_EQ(o->passed, passed.get<bool>()) << name << ": " << o->detail_zh;
  }
  const json details = want.value("details", json::object());
  for (const auto& [name, text] : details.items()) {
    const RuleOutcome* o = FindRule(r, name);
    ASSERT_NE(o, nullptr) << name;
    EXPECT_NE(o->detail_zh.find(text.get<std::string>()), std::string::npos)
        << name << ": " << o->detail_zh;
  }
}

TEST(EligibilityCases, AllCasesInTheDataFile) {
  json doc = LoadCases();
  ASSERT_TRUE(doc.is_object()) << "tests/data/eligibility_cases.json is missing or malformed";
  ASSERT_TRUE(doc["cases"].is_array());
  ASSERT_GE(doc["cases"].size(), 50u);
  for (const auto& c : doc["cases"]) {
    SCOPED_TRACE(c.value("name", "(unnamed)") + " [" + c.value("source", "") + "]");
    CheckCase(doc["base"], c);
  }
}

// ---- Rules and their explanations ----

TEST(Eligibility, ListsEveryRuleInAFixedOrderEvenWhenAllFail) {
  EligibilityFacts f = BaseFacts();
  f.hukou_division = "450123";
  f.reason = MoveReason::kMarriage;
  f.arrived_on = f.as_of;
  f.left_hukou_on = f.as_of;
  f.documents.clear();
  EligibilityResult r = Evaluate(f);
  std::vector<std::string> names;
  for (const auto& o : r.rules) {
    names.push_back(o.rule);
    EXPECT_FALSE(o.passed) << o.rule;
    EXPECT_FALSE(o.detail_zh.empty()) << o.rule;
    EXPECT_FALSE(o.detail_en.empty()) << o.rule;
    EXPECT_EQ(o.dates.at("as_of"), "2026-03-01") << o.rule;
  }
  EXPECT_EQ(names,
            (std::vector<std::string>{
                kRuleLeftHukou30Days, kRuleResident30Days, kRulePurposeWorkOrLife, kRuleNotSameCity,
                kRuleHealthRecord6Months, kRuleVaccinationFileChild0To6, kRuleServiceDocument}));
  EXPECT_FALSE(r.floating);
  EXPECT_FALSE(r.entitlements.health_record);
  EXPECT_FALSE(r.entitlements.vaccination_file);
  EXPECT_FALSE(r.entitlements.free_services);
}

TEST(Eligibility, ThirtyDayRulesStateCountsAndDates) {
  // 南宁市实施办法 §三(一): 29 days is short, 30 qualifies.
  EligibilityFacts f = BaseFacts();
  f.left_hukou_on = 2026y / January / 31;
  f.arrived_on = 2026y / January / 31;
  EligibilityResult r = Evaluate(f);
  const RuleOutcome* left = FindRule(r, kRuleLeftHukou30Days);
  ASSERT_NE(left, nullptr);
  EXPECT_FALSE(left->passed);
  EXPECT_EQ(left->detail_zh, "离开户籍地29日，未满30日（2026-01-31离开，2026-03-02起满30日）");
  EXPECT_EQ(left->detail_en,
            "left the hukou county 29 days ago, fewer than 30 (left on 2026-01-31; 30 days are "
            "reached on 2026-03-02)");
  EXPECT_EQ(left->dates.at("left_hukou_on"), "2026-01-31");
  EXPECT_EQ(left->dates.at("qualifies_on"), "2026-03-02");

  f.left_hukou_on = 2026y / January / 30;
  f.arrived_on = 2026y / January / 30;
  r = Evaluate(f);
  const RuleOutcome* here = FindRule(r, kRuleResident30Days);
  ASSERT_NE(here, nullptr);
  EXPECT_TRUE(here->passed);
  EXPECT_EQ(here->detail_zh, "流入现居住地30日，已满30日（2026-01-30到达）");
  EXPECT_EQ(here->detail_en, "arrived here 30 days ago, at least 30 (arrived on 2026-01-30)");
  EXPECT_TRUE(r.floating);
}

TEST(Eligibility, MissingLeavingDateFallsBackToArrivalAndSaysSo) {
  EligibilityFacts f = BaseFacts();
  f.left_hukou_on.reset();
  f.arrived_on = 2026y / January / 31;
  EligibilityResult r = Evaluate(f);
  const RuleOutcome* left = FindRule(r, kRuleLeftHukou30Days);
  ASSERT_NE(left, nullptr);
  EXPECT_FALSE(left->passed);
  EXPECT_EQ(left->detail_zh.rfind("未登记离开户籍地日期，按到达本地日期计算：", 0), 0u)
      << left->detail_zh;
  EXPECT_NE(left->detail_en.find("counted from the arrival date"), std::string::npos);
  EXPECT_EQ(left->dates.count("left_hukou_on"), 0u);
  EXPECT_EQ(left->dates.at("arrived_on"), "2026-01-31");
}

TEST(Eligibility, ArrivalAfterTheAsOfDateFailsWithoutNegativeCounts) {
  EligibilityFacts f = BaseFacts();
  f.left_hukou_on = 2026y / March / 5;
  f.arrived_on = 2026y / March / 5;
  EligibilityResult r = Evaluate(f);
  const RuleOutcome* here = FindRule(r, kRuleResident30Days);
  ASSERT_NE(here, nullptr);
  EXPECT_FALSE(here->passed);
  EXPECT_NE(here->detail_zh.find("晚于认定日期"), std::string::npos) << here->detail_zh;
  EXPECT_FALSE(r.floating);
}

TEST(Eligibility, EachExcludedReasonIsNamed) {
  const std::vector<std::pair<MoveReason, std::string>> excluded = {
      {MoveReason::kMarriage, "婚嫁"},        {MoveReason::kBusinessTrip, "出差"},
      {MoveReason::kMedical, "就医"},         {MoveReason::kTravel, "旅游"},
      {MoveReason::kVisit, "探亲"},           {MoveReason::kMilitary, "现役军人"},
      {MoveReason::kStudy, "上中等以上学校"},
  };
  for (const auto& [reason, word] : excluded) {
    EligibilityFacts f = BaseFacts();
    f.reason = reason;
    EligibilityResult r = Evaluate(f);
    const RuleOutcome* o = FindRule(r, kRulePurposeWorkOrLife);
    ASSERT_NE(o, nullptr);
    EXPECT_FALSE(o->passed) << word;
    EXPECT_NE(o->detail_zh.find(word), std::string::npos) << o->detail_zh;
    EXPECT_NE(o->detail_en.find("excluded"), std::string::npos) << o->detail_en;
    EXPECT_FALSE(r.floating) << word;
  }
  for (MoveReason reason :
       {MoveReason::kWork, MoveReason::kBusiness, MoveReason::kFamily, MoveReason::kOther}) {
    EligibilityFacts f = BaseFacts();
    f.reason = reason;
    EXPECT_TRUE(Evaluate(f).floating);
  }
}

TEST(Eligibility, SameCityComparesThePrefecture) {
  // 南宁市实施办法 §三(一): 同城区间人户分离人口除外.
  EligibilityFacts f = BaseFacts();
  f.hukou_division = "450123";
  EligibilityResult r = Evaluate(f);
  const RuleOutcome* o = FindRule(r, kRuleNotSameCity);
  ASSERT_NE(o, nullptr);
  EXPECT_FALSE(o->passed);
  EXPECT_EQ(o->detail_zh,
            "户籍地与现居住地同属一个地级市（450123 → 450103），同城区间人户分离人口除外");

  f.hukou_division = "450803";
  EXPECT_TRUE(Evaluate(f).floating);
  // Beijing's districts are one city; so are Chongqing's districts (5001) and counties (5002).
  f.hukou_division = "110105";
  f.residence_division = "110108";
  EXPECT_FALSE(Evaluate(f).floating);
  f.hukou_division = "500229";
  f.residence_division = "500101";
  EXPECT_FALSE(Evaluate(f).floating);
  // Shanghai and Chongqing are different cities.
  f.hukou_division = "310115";
  EXPECT_TRUE(Evaluate(f).floating);
  // 省直辖县级行政单位 are cities of their own.
  f.hukou_division = "469005";
  f.residence_division = "469006";
  EXPECT_TRUE(Evaluate(f).floating);
  f.residence_division = "469005";
  EXPECT_FALSE(Evaluate(f).floating);
}

TEST(Eligibility, HealthRecordMonthEndBoundary) {
  // 试点工作方案 §四(一): arrived 2025-08-31, 6 months end on 2026-02-28 (clamped).
  EligibilityFacts f = BaseFacts();
  f.arrived_on = 2025y / August / 31;
  f.as_of = 2026y / February / 27;
  EligibilityResult r = Evaluate(f);
  EXPECT_TRUE(r.floating);
  EXPECT_FALSE(r.entitlements.health_record);
  const RuleOutcome* o = FindRule(r, kRuleHealthRecord6Months);
  ASSERT_NE(o, nullptr);
  EXPECT_EQ(o->dates.at("qualifies_on"), "2026-02-28");
  EXPECT_EQ(o->detail_zh, "在现居住地居住未满6个月（2025-08-31到达，2026-02-28满6个月）");
  f.as_of = 2026y / February / 28;
  EXPECT_TRUE(Evaluate(f).entitlements.health_record);
}

TEST(Eligibility, VaccinationFileBoundaries) {
  // 试点工作方案 §四(三): 0-6 years = before the 7th birthday; 居住满3个月.
  EligibilityFacts f = BaseFacts();
  f.birth_date = 2019y / March / 2;
  EligibilityResult r = Evaluate(f);
  EXPECT_TRUE(r.entitlements.vaccination_file);
  const RuleOutcome* o = FindRule(r, kRuleVaccinationFileChild0To6);
  ASSERT_NE(o, nullptr);
  EXPECT_EQ(o->dates.at("age_limit_on"), "2026-03-02");
  EXPECT_NE(o->detail_zh.find("属0-6岁儿童"), std::string::npos) << o->detail_zh;

  f.birth_date = 2019y / March / 1;
  EXPECT_FALSE(Evaluate(f).entitlements.vaccination_file);

  f.birth_date = 2022y / January / 1;
  f.arrived_on = 2025y / December / 2;
  EXPECT_FALSE(Evaluate(f).entitlements.vaccination_file);
  f.arrived_on = 2025y / December / 1;
  EXPECT_TRUE(Evaluate(f).entitlements.vaccination_file);

  // Not yet born on the as-of date: no file.
  f.birth_date = 2026y / March / 2;
  r = Evaluate(f);
  EXPECT_FALSE(r.entitlements.vaccination_file);
  o = FindRule(r, kRuleVaccinationFileChild0To6);
  ASSERT_NE(o, nullptr);
  EXPECT_NE(o->detail_zh.find("出生日期2026-03-02晚于认定日期"), std::string::npos);
}

TEST(Eligibility, PolicyThresholdsAreConfigurable) {
  // REFERENCE.md §6: keep the thresholds configurable.
  EligibilityFacts f = BaseFacts();
  f.arrived_on = 2025y / December / 1;  // exactly 3 months before as_of
  EligibilityPolicy p;
  p.health_record_months = 3;
  EXPECT_FALSE(Evaluate(f).entitlements.health_record);
  EXPECT_TRUE(Evaluate(f, p).entitlements.health_record);

  f.birth_date = 2019y / March / 1;  // 7 today
  p.vaccination_file_before_birthday = 8;
  EXPECT_FALSE(Evaluate(f).entitlements.vaccination_file);
  EXPECT_TRUE(Evaluate(f, p).entitlements.vaccination_file);
  p.vaccination_file_months = 4;
  EXPECT_FALSE(Evaluate(f, p).entitlements.vaccination_file);
}

TEST(Eligibility, ServiceDocumentExplainsEachDocument) {
  // 南宁市实施办法 §三(二).
  EligibilityFacts f = BaseFacts();
  f.documents = {
      {DocumentType::kResidencePermit, DocumentStatus::kApproved, 2026y / February / 28},
      {DocumentType::kResidenceCertificate, DocumentStatus::kPending, std::nullopt},
  };
  EligibilityResult r = Evaluate(f);
  EXPECT_TRUE(r.floating);
  EXPECT_FALSE(r.entitlements.free_services);
  const RuleOutcome* o = FindRule(r, kRuleServiceDocument);
  ASSERT_NE(o, nullptr);
  EXPECT_EQ(o->detail_zh, "无有效服务凭证：居住证已过期（有效期至2026-02-28）；居住证明待审核");
  EXPECT_EQ(o->dates.at("documents[0].valid_until"), "2026-02-28");
  EXPECT_EQ(o->dates.count("documents[1].valid_until"), 0u);

  f.documents[1].status = DocumentStatus::kApproved;
  r = Evaluate(f);
  EXPECT_TRUE(r.entitlements.free_services);
}

// ---- JSON ----

json BaseJson() {
  return json{{"as_of", "2026-03-01"},
              {"birth_date", "1990-05-01"},
              {"hukou_division", "450803"},
              {"residence_division", "450103"},
              {"left_hukou_on", "2025-06-01"},
              {"arrived_on", "2025-06-02"},
              {"reason", "work"},
              {"documents", json::array({{{"type", "residence_permit"},
                                          {"status", "approved"},
                                          {"valid_until", "2027-06-01"}}})}};
}

TEST(EligibilityJson, ReadsEveryField) {
  auto f = EligibilityFactsFromJson(BaseJson());
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_EQ(f->as_of, 2026y / March / 1);
  EXPECT_EQ(f->birth_date, 1990y / May / 1);
  EXPECT_EQ(f->hukou_division, "450803");
  EXPECT_EQ(f->residence_division, "450103");
  EXPECT_EQ(f->left_hukou_on, 2025y / June / 1);
  EXPECT_EQ(f->arrived_on, 2025y / June / 2);
  EXPECT_EQ(f->reason, MoveReason::kWork);
  ASSERT_EQ(f->documents.size(), 1u);
  EXPECT_EQ(f->documents[0].type, DocumentType::kResidencePermit);
  EXPECT_EQ(f->documents[0].status, DocumentStatus::kApproved);
  EXPECT_EQ(f->documents[0].valid_until, 2027y / June / 1);
}

TEST(EligibilityJson, OptionalFieldsMayBeAbsent) {
  json j = BaseJson();
  j.erase("left_hukou_on");
  j.erase("documents");
  auto f = EligibilityFactsFromJson(j);
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  EXPECT_FALSE(f->left_hukou_on.has_value());
  EXPECT_TRUE(f->documents.empty());
}

TEST(EligibilityJson, EnumSpellings) {
  const std::vector<std::pair<std::string, MoveReason>> reasons = {
      {"work", MoveReason::kWork},         {"business", MoveReason::kBusiness},
      {"family", MoveReason::kFamily},     {"marriage", MoveReason::kMarriage},
      {"study", MoveReason::kStudy},       {"medical", MoveReason::kMedical},
      {"travel", MoveReason::kTravel},     {"visit", MoveReason::kVisit},
      {"military", MoveReason::kMilitary}, {"business_trip", MoveReason::kBusinessTrip},
      {"other", MoveReason::kOther},
  };
  for (const auto& [name, value] : reasons) {
    json j = BaseJson();
    j["reason"] = name;
    auto f = EligibilityFactsFromJson(j);
    ASSERT_TRUE(f.ok()) << name;
    EXPECT_EQ(f->reason, value) << name;
  }
  const std::vector<std::pair<std::string, DocumentType>> types = {
      {"residence_permit", DocumentType::kResidencePermit},
      {"residence_certificate", DocumentType::kResidenceCertificate},
      {"hukou_or_id", DocumentType::kHukouOrId},
      {"marriage_fertility_certificate", DocumentType::kMarriageFertilityCertificate},
      {"other", DocumentType::kOther},
  };
  const std::vector<std::pair<std::string, DocumentStatus>> statuses = {
      {"pending", DocumentStatus::kPending},
      {"approved", DocumentStatus::kApproved},
      {"rejected", DocumentStatus::kRejected},
  };
  json j = BaseJson();
  j["documents"] = json::array();
  for (const auto& [t, tv] : types)
    for (const auto& [s, sv] : statuses) j["documents"].push_back({{"type", t}, {"status", s}});
  auto f = EligibilityFactsFromJson(j);
  ASSERT_TRUE(f.ok()) << f.status().ToString();
  ASSERT_EQ(f->documents.size(), types.size() * statuses.size());
  std::size_t i = 0;
  for (const auto& [t, tv] : types) {
    for (const auto& [s, sv] : statuses) {
      EXPECT_EQ(f->documents[i].type, tv) << t;
      EXPECT_EQ(f->documents[i].status, sv) << s;
      ++i;
    }
  }
}

TEST(EligibilityJson, ErrorsNameTheJsonPathAndNeverThrow) {
  json j = BaseJson();
  j.erase("as_of");
  j["arrived_on"] = true;
  j["documents"][0]["status"] = "done";
  j["documents"].push_back({{"type", "bogus"}, {"status", "pending"}, {"valid_until", "2026-2-1"}});
  Result<EligibilityFacts> f = EligibilityFactsFromJson(j);
  ASSERT_FALSE(f.ok());
  EXPECT_EQ(f.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(FieldCodes(f.status()), (std::vector<std::pair<std::string, std::string>>{
                                        {"arrived_on", "wrong_type"},
                                        {"as_of", "required"},
                                        {"documents[0].status", "invalid_value"},
                                        {"documents[1].type", "invalid_value"},
                                        {"documents[1].valid_until", "invalid_date"},
                                    }));
  for (const json& bad : {json(), json(42), json::array({1, 2}), json("text")}) {
    Result<EligibilityFacts> r = EligibilityFactsFromJson(json());
    EXPECT_NO_THROW(r = EligibilityFactsFromJson(bad));
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(FieldCodes(r.status()),
              (std::vector<std::pair<std::string, std::string>>{{"$", "wrong_type"}}));
  }
  json nested = BaseJson();
  nested["reason"] = json::object({{"a", 1}});
  nested["documents"] = json::array({nullptr, json::array()});
  EXPECT_NO_THROW({
    auto r = EligibilityFactsFromJson(nested);
    EXPECT_EQ(FieldCodes(r.status()), (std::vector<std::pair<std::string, std::string>>{
                                          {"documents[0]", "wrong_type"},
                                          {"documents[1]", "wrong_type"},
                                          {"reason", "wrong_type"},
                                      }));
  });
}

TEST(EligibilityJson, ToJsonShape) {
  EligibilityFacts f = BaseFacts();
  f.arrived_on = 2026y / January / 31;
  json out = ToJson(Evaluate(f));
  EXPECT_EQ(out["floating"], false);
  EXPECT_EQ(
      out["entitlements"],
      (json{{"health_record", false}, {"vaccination_file", false}, {"free_services", false}}));
  ASSERT_TRUE(out["rules"].is_array());
  ASSERT_EQ(out["rules"].size(), 7u);
  const json& resident = out["rules"][1];
  EXPECT_EQ(resident["rule"], "resident_30_days");
  EXPECT_EQ(resident["passed"], false);
  EXPECT_EQ(resident["detail"], "流入现居住地29日，未满30日（2026-01-31到达，2026-03-02起满30日）");
  EXPECT_EQ(resident["detail_en"],
            "arrived here 29 days ago, fewer than 30 (arrived on 2026-01-31; 30 days are reached "
            "on 2026-03-02)");
  EXPECT_EQ(resident["dates"], (json{{"as_of", "2026-03-01"},
                                     {"arrived_on", "2026-01-31"},
                                     {"qualifies_on", "2026-03-02"}}));
  for (const auto& rule : out["rules"]) {
    EXPECT_TRUE(rule["rule"].is_string());
    EXPECT_TRUE(rule["passed"].is_boolean());
    EXPECT_TRUE(rule["detail"].is_string());
    EXPECT_TRUE(rule["detail_en"].is_string());
    EXPECT_TRUE(rule["dates"].is_object());
  }
}

TEST(EligibilityJson, RoundTripThroughTheCliForm) {
  auto f = EligibilityFactsFromJson(BaseJson());
  ASSERT_TRUE(f.ok());
  json out = ToJson(Evaluate(*f));
  EXPECT_EQ(out["floating"], true);
  EXPECT_EQ(out["entitlements"]["free_services"], true);
  EXPECT_EQ(out["entitlements"]["health_record"], true);
  EXPECT_EQ(out["entitlements"]["vaccination_file"], false);
}

// The windows give the same answer as the rules on every day, for many random persons (month
// ends, leap days, missing leaving dates, excluded reasons, same-city 户籍).
TEST(Eligibility, WindowsAgreeWithTheRulesOnEveryDay) {
  std::mt19937 rng(7);
  auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  const Date base = std::chrono::year{2024} / 1 / 31;
  const char* hukou[] = {"430528", "450103", "450122", "110105", "469001"};
  const char* here[] = {"450103", "450107", "110108"};
  for (int n = 0; n < 400; ++n) {
    EligibilityFacts f;
    f.birth_date = AddDays(base, -pick(0, 3000));
    f.arrived_on = AddDays(base, pick(-400, 60));
    if (pick(0, 3) != 0) f.left_hukou_on = AddDays(f.arrived_on, -pick(0, 90));
    f.reason = static_cast<MoveReason>(pick(0, 10));
    f.hukou_division = hukou[pick(0, 4)];
    f.residence_division = here[pick(0, 2)];
    EligibilityWindows w = Windows(f);
    for (int d = -450; d <= 400; d += pick(1, 9)) {
      f.as_of = AddDays(base, d);
      EligibilityResult r = Evaluate(f);
      bool floating = w.floating_from && *w.floating_from <= f.as_of;
      bool health = w.health_record_from && *w.health_record_from <= f.as_of;
      bool file = w.vaccination_file_from && *w.vaccination_file_from <= f.as_of &&
                  f.as_of < w.vaccination_file_until;
      ASSERT_EQ(r.floating, floating) << n << " " << FormatDate(f.as_of);
      ASSERT_EQ(r.entitlements.health_record, health) << n << " " << FormatDate(f.as_of);
      ASSERT_EQ(r.entitlements.vaccination_file, file) << n << " " << FormatDate(f.as_of);
    }
  }
}

TEST(Eligibility, PlacesAreNamedWhenTheCallerGivesNames) {
  EligibilityFacts f = BaseFacts();
  f.hukou_division = "430581";
  f.hukou_place = "湖南省邵阳市武冈市";
  f.residence_place = "南宁市青秀区";
  EligibilityResult r = Evaluate(f);
  const RuleOutcome* city = FindRule(r, kRuleNotSameCity);
  ASSERT_NE(city, nullptr);
  EXPECT_TRUE(city->passed);
  EXPECT_EQ(city->detail_zh, "户籍地与现居住地不在同一地级市：湖南省邵阳市武冈市 → 南宁市青秀区");
  EXPECT_EQ(city->detail_en,
            "the hukou county and the residence are in different prefecture-level cities: "
            "湖南省邵阳市武冈市 → 南宁市青秀区");
  for (const auto& o : r.rules) {
    EXPECT_EQ(o.detail_zh.find("430581"), std::string::npos) << o.detail_zh;
    EXPECT_EQ(o.detail_zh.find("450103"), std::string::npos) << o.detail_zh;
  }
  // Without names the codes are shown; the same city is still decided by the codes.
  f.hukou_place.clear();
  f.hukou_division = "450102";
  city = FindRule(r = Evaluate(f), kRuleNotSameCity);
  EXPECT_FALSE(city->passed);
  EXPECT_NE(city->detail_zh.find("450102 → 南宁市青秀区"), std::string::npos) << city->detail_zh;
}

TEST(Eligibility, EnglishDetailsAreInEnglish) {
  EligibilityFacts f = BaseFacts();
  f.documents = {};
  f.reason = MoveReason::kMarriage;
  for (const auto& o : Evaluate(f).rules) {
    // No Chinese characters or full-width punctuation (UTF-8 lead bytes E3-E9, EF); "→" is E2.
    for (unsigned char c : o.detail_en) {
      EXPECT_FALSE((c >= 0xE3 && c <= 0xE9) || c == 0xEF) << o.rule << ": " << o.detail_en;
    }
  }
}

TEST(Eligibility, EveryRuleAndDateHasALabel) {
  EligibilityFacts f = BaseFacts();
  f.documents.push_back({DocumentType::kOther, DocumentStatus::kApproved, 2026y / May / 1});
  json j = ToJson(Evaluate(f));
  for (const auto& rule : j["rules"]) {
    EXPECT_NE(rule["label"], rule["rule"]);
    EXPECT_NE(rule["label_en"], rule["rule"]);
    ASSERT_EQ(rule["date_list"].size(), rule["dates"].size());
    for (const auto& d : rule["date_list"]) {
      EXPECT_NE(d["label"], d["key"]) << d.dump();
      EXPECT_NE(d["label_en"], d["key"]) << d.dump();
      EXPECT_EQ(rule["dates"][d["key"].get<std::string>()], d["date"]);
    }
  }
  EXPECT_EQ(DateLabel("documents[1].valid_until").zh, "第2份凭证有效期至");
  EXPECT_EQ(DateLabel("qualifies_on").en, "Condition met on");
  EXPECT_EQ(DateLabel("documents[x].valid_until").zh, "documents[x].valid_until");
  EXPECT_EQ(RuleLabel("currently_resident").zh, "目前居住在本市");
}

}  // namespace
}  // namespace jd::registry
