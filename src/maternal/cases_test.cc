// The one driver of the worked cases in tests/data/maternal/: dating.json (EDD and gestational
// age), antenatal.json (each contact's window and status, and the visits refused) and risk.json
// (every colour's rule and the coexisting purple). Each case cites its source; see SOURCE.md there.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <string>

#include "maternal/antenatal.h"
#include "maternal/pregnancy.h"
#include "maternal/risk.h"

namespace jd::maternal {
namespace {

using nlohmann::json;

json ReadCases(const std::string& name) {
  std::ifstream in(std::string(JD_SOURCE_DIR) + "/tests/data/maternal/" + name);
  EXPECT_TRUE(in.good()) << name;
  json cases = json::parse(in, nullptr, false);
  EXPECT_TRUE(cases.is_array()) << name;
  return cases.is_array() ? cases : json::array();
}

// Runs `check` on every case of `file`, each traced by its name and required to cite its source.
template <typename Check>
void ForEachCase(const std::string& file, Check check) {
  json cases = ReadCases(file);
  ASSERT_GE(cases.size(), 10u);
  for (const auto& c : cases) {
    SCOPED_TRACE(c["name"].get<std::string>());
    ASSERT_TRUE(c.contains("cite"));
    check(c);
  }
}

Date D(const json& j) {
  auto d = ParseDate(j.get<std::string>());
  EXPECT_TRUE(d.has_value()) << j;
  return d.value_or(Date{});
}

std::optional<Date> OptDate(const json& in, const char* key) {
  if (!in.contains(key)) return std::nullopt;
  return D(in[key]);
}

// The field errors of a failed status as [{"field","code"}].
json ErrorsOf(const Status& s) {
  json out = json::array();
  for (const auto& e : s.field_errors()) out.push_back({{"field", e.field}, {"code", e.code}});
  return out;
}

// Dated on `as_of_key`: the day of record (the registration for a schedule case).
Result<Dating> DateCase(const json& in, const char* as_of_key = "as_of") {
  DatingInput d;
  d.lmp = D(in["lmp"]);
  d.ultrasound_date = OptDate(in, "ultrasound_date");
  d.ultrasound_edd = OptDate(in, "ultrasound_edd");
  if (in.contains("ultrasound_ga")) {
    d.ultrasound_ga = ParseGestationalAge(in["ultrasound_ga"].get<std::string>());
    EXPECT_TRUE(d.ultrasound_ga.has_value()) << in;
  }
  if (in.value("rule", "") == "plus_280_days") d.rule = EddRule::kPlus280Days;
  return DatePregnancy(d, D(in[as_of_key]));
}

TEST(MaternalCasesTest, Dating) {
  ForEachCase("dating.json", [](const json& c) {
    const json& in = c["input"];
    const json& expect = c["expect"];
    auto dating = DateCase(in);
    if (expect.contains("errors")) {
      ASSERT_FALSE(dating.ok());
      EXPECT_EQ(ErrorsOf(dating.status()), expect["errors"]);
      return;
    }
    ASSERT_TRUE(dating.ok()) << dating.status().ToString();
    EXPECT_EQ(FormatDate(dating->edd), expect["edd"].get<std::string>());
    if (expect.contains("method")) {
      EXPECT_EQ(DatingMethodCode(dating->method), expect["method"].get<std::string>());
    }
    const json ga_on = expect.value("ga", json::object());
    for (const auto& [date, ga] : ga_on.items()) {
      EXPECT_EQ(FormatGestationalAge(dating->AgeOn(*ParseDate(date))), ga.get<std::string>())
          << date;
    }
    if (expect.contains("early_registration")) {
      EXPECT_EQ(IsEarlyRegistration(*dating, D(in["registered_on"])),
                expect["early_registration"].get<bool>());
    }
  });
}

json StateJson(const ContactState& s) {
  json out = json::object();
  out["status"] = ContactStatusCode(s.status);
  out["window"] = nullptr;
  if (s.window_start) {
    out["window"] = json::array({FormatDate(*s.window_start), FormatDate(*s.window_end)});
  }
  out["overdue_until"] = nullptr;
  if (s.overdue_until) out["overdue_until"] = FormatDate(*s.overdue_until);
  out["done_on"] = nullptr;
  if (s.done_on) out["done_on"] = FormatDate(*s.done_on);
  out["on_time"] = s.on_time;
  return out;
}

TEST(MaternalCasesTest, AntenatalSchedule) {
  ForEachCase("antenatal.json", [](const json& c) {
    const json& in = c["input"];
    const json& expect = c["expect"];
    auto dating = DateCase(in, "registered_on");
    ASSERT_TRUE(dating.ok()) << dating.status().ToString();
    EpisodeDates episode{*dating, D(in["registered_on"]), OptDate(in, "delivered_on"),
                         OptDate(in, "discharged_on"), OptDate(in, "ended_on")};
    if (c.contains("check")) {
      const json& chk = c["check"];
      Status s = CheckVisit(episode, OptDate(chk, "closed_on"),
                            *ParseVisitKind(chk["kind"].get<std::string>()), D(chk["date"]),
                            D(chk["today"]));
      ASSERT_FALSE(s.ok());
      ASSERT_EQ(s.field_errors().size(), 1u);
      EXPECT_EQ(s.field_errors()[0].field, "date");
      EXPECT_EQ(s.field_errors()[0].code, expect["error"].get<std::string>());
      return;
    }
    std::vector<VisitEvent> visits;
    std::int64_t id = 0;
    for (const auto& v : in.value("visits", json::array())) {
      auto kind = ParseVisitKind(v["kind"].get<std::string>());
      ASSERT_TRUE(kind.has_value()) << v;
      // Every visit the case records must be one the service would accept.
      EXPECT_TRUE(CheckVisit(episode, std::nullopt, *kind, D(v["date"]), D(in["as_of"])).ok()) << v;
      visits.push_back({++id, D(v["date"]), *kind});
    }
    CareSchedule got = ComputeCareSchedule(episode, visits, D(in["as_of"]));
    ASSERT_EQ(got.contacts.size(), static_cast<std::size_t>(kContactCount));
    if (expect.contains("early_registration")) {
      EXPECT_EQ(got.early_registration, expect["early_registration"].get<bool>());
    }
    if (expect.contains("antenatal_visits")) {
      EXPECT_EQ(got.antenatal_visits, expect["antenatal_visits"].get<int>());
    }
    const json contacts = expect.value("contacts", json::object());
    for (const auto& [code, want] : contacts.items()) {
      const ContactState* state = nullptr;
      for (const auto& s : got.contacts) {
        if (ContactCode(s.contact) == code) state = &s;
      }
      ASSERT_NE(state, nullptr) << code;
      json have = StateJson(*state);
      for (const auto& [key, value] : want.items()) {
        EXPECT_EQ(have[key], value) << code << "." << key << ": " << have.dump();
      }
    }
    if (expect.contains("extra")) {
      json extra = json::array();
      for (const auto& e : got.extra_visits) {
        extra.push_back({{"date", FormatDate(e.date)}, {"reason", ExtraReasonCode(e.reason)}});
      }
      EXPECT_EQ(extra, expect["extra"]);
    }
  });
}

void CheckRiskCase(const RiskCatalogue& catalogue, const json& in, const json& expect) {
  RiskFacts facts;
  if (in.contains("age_years")) facts.age_years = in["age_years"].get<int>();
  if (in.contains("bmi")) facts.bmi = in["bmi"].get<double>();
  if (in.contains("hb")) facts.haemoglobin_g_l = in["hb"].get<double>();
  if (in.contains("platelets")) facts.platelets_10e9_l = in["platelets"].get<double>();
  facts.hiv_positive = in.value("hiv_positive", false);
  facts.syphilis_positive = in.value("syphilis_positive", false);
  facts.hbsag_positive = in.value("hbsag_positive", false);
  facts.ticked = in.value("ticked", std::vector<std::string>{});
  if (in.contains("colour")) facts.stated_colour = in["colour"].get<std::string>();
  auto got = Assess(catalogue, facts);
  if (expect.contains("errors")) {
    ASSERT_FALSE(got.ok());
    EXPECT_EQ(ErrorsOf(got.status()), expect["errors"]);
    return;
  }
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(got->colour, expect["colour"].get<std::string>());
  if (expect.contains("coexisting")) {
    EXPECT_EQ(json(got->coexisting), expect["coexisting"]);
  }
  if (expect.contains("conditions")) {
    json codes = json::array();
    for (const auto& m : got->conditions) codes.push_back(m.code);
    EXPECT_EQ(codes, expect["conditions"]);
  }
  if (expect.contains("requires")) {
    EXPECT_EQ(json(got->requires_codes), expect["requires"]);
  }
  if (expect.contains("high_risk")) {
    EXPECT_EQ(got->high_risk, expect["high_risk"].get<bool>());
  }
}

TEST(MaternalCasesTest, RiskColours) {
  json cases = ReadCases("risk.json");
  ASSERT_GE(cases.size(), 10u);
  for (const auto& c : cases) {
    SCOPED_TRACE(c["name"].get<std::string>());
    ASSERT_TRUE(c.contains("cite"));
    std::optional<RiskCatalogue> own;
    if (c.contains("catalogue")) {
      auto loaded = RiskCatalogue::Load(c["catalogue"].dump());
      ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
      own = std::move(loaded).value();
    }
    const RiskCatalogue& catalogue = own ? *own : RiskCatalogue::Builtin();
    if (c.contains("cases")) {
      for (const auto& sub : c["cases"]) {
        SCOPED_TRACE(sub["input"].dump());
        CheckRiskCase(catalogue, sub["input"], sub["expect"]);
      }
    } else {
      CheckRiskCase(catalogue, c["input"], c["expect"]);
    }
  }
}

}  // namespace
}  // namespace jd::maternal
