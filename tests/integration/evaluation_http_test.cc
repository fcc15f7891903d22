// Assessment and funding over the JSON API and the command line, end to end: the real
// `jundeng serve` on a demo city. The finance bureau enters the population figures (by hand or
// from a workbook, every change kept in the history) and reads the funding table; a center sees
// nothing beyond its jurisdiction; bad periods and bad figures are 400 problem+json naming the
// fields.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "immunization/xlsx_writer.h"
#include "integration/api_client.h"
#include "integration/server_process.h"

namespace jd::integration {
namespace {

using nlohmann::json;

constexpr const char* kPassword = "Correct-Horse-42!";

class EvaluationHttpTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    tmp_ = new TempDir();
    server_ = new ServerProcess(tmp_->File("node"));
    server_->Demo(/*persons=*/400, /*seed=*/5);
    for (const auto& u : ReadOrgUnits(server_->db_path())) {
      if (u.level == "district") districts_.push_back(u.code);
      if (u.level == "street" && street_.empty()) street_ = u.code;
    }
    ASSERT_GE(districts_.size(), 2u);
    server_->AddUser("e_city", "commission", "450100", kPassword);
    server_->AddUser("e_center", "center", street_, kPassword);
    server_->AddUser("e_finance", "finance", "450100", kPassword);
    server_->AddUser("e_sysadmin", "sysadmin", "450100", kPassword);
    server_->AddUser("e_auditor", "auditor", "450100", kPassword);
    server_->AddUser("e_dfin", "finance", districts_[0], kPassword);
    ASSERT_TRUE(server_->Start()) << ReadFileBytes(server_->log_path());
    api_ = new ApiClient(*server_, kPassword);
  }

  static void TearDownTestSuite() {
    if (server_ && server_->running()) {
      EXPECT_EQ(server_->Stop(), 0);
    }
    delete api_;
    delete server_;
    delete tmp_;
    api_ = nullptr;
    server_ = nullptr;
    tmp_ = nullptr;
  }

  static std::string ThisYear() { return std::to_string(static_cast<int>(Today().year())); }
  static int LastYear() { return static_cast<int>(Today().year()) - 1; }

  // POST /population-figures/import with a workbook of `rows` (rows[0] the header).
  static ApiReply Import(const std::string& user,
                         const std::vector<std::vector<std::string>>& rows) {
    auto bytes = immunization::WriteXlsx("人口数", rows);
    EXPECT_TRUE(bytes.ok());
    return api_->Call("POST", "/api/v1/population-figures/import", user, bytes.ok() ? *bytes : "",
                      {}, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  }

  // The figure of `org` in GET /population-figures?year=, or null.
  static json FigureOf(const std::string& org, int year) {
    ApiReply r = api_->Get("/api/v1/population-figures?year=" + std::to_string(year), "e_finance");
    for (const auto& f : r.body.value("items", json::array())) {
      if (f.value("org", "") == org) return f;
    }
    return nullptr;
  }

  static std::set<std::string> ErrorFields(const ApiReply& r) {
    std::set<std::string> out;
    for (const auto& e : r.body.value("errors", json::array())) out.insert(e.value("field", ""));
    return out;
  }

  // Every district's 户籍 figure for this year: 100,000 × (its position + 1).
  static json AllFigures() {
    json figures = json::array();
    for (std::size_t i = 0; i < districts_.size(); ++i) {
      figures.push_back({{"org", districts_[i]},
                         {"huji_population", 100000 * static_cast<int>(i + 1)},
                         {"source", "统计年鉴"}});
    }
    return {{"year", std::stoi(ThisYear())}, {"figures", figures}};
  }

  static TempDir* tmp_;
  static ServerProcess* server_;
  static ApiClient* api_;
  static std::vector<std::string> districts_;
  static std::string street_;
};

TempDir* EvaluationHttpTest::tmp_ = nullptr;
ServerProcess* EvaluationHttpTest::server_ = nullptr;
ApiClient* EvaluationHttpTest::api_ = nullptr;
std::vector<std::string> EvaluationHttpTest::districts_;
std::string EvaluationHttpTest::street_;

TEST_F(EvaluationHttpTest, DistrictsAreScoredRankedAndReported) {
  ApiReply r =
      api_->Get("/api/v1/evaluation?period=" + ThisYear() + "&level=district&org=450100", "e_city");
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body.value("level", ""), "district");
  ASSERT_EQ(r.body["units"].size(), districts_.size());
  std::set<std::string> codes;
  int previous_rank = 0;
  double previous_total = 101;
  for (const auto& u : r.body["units"]) {
    codes.insert(u.value("code", ""));
    if (u["rank"].is_null()) continue;
    int rank = u["rank"].get<int>();
    double total = u["total"].get<double>();
    EXPECT_GE(rank, previous_rank);
    EXPECT_LE(total, previous_total);
    EXPECT_GE(total, 0);
    previous_rank = rank;
    previous_total = total;
  }
  EXPECT_EQ(codes, std::set<std::string>(districts_.begin(), districts_.end()));
  const json& bulletin = r.body["bulletin"];
  EXPECT_EQ(bulletin["entries"].size(), districts_.size());
  EXPECT_FALSE(bulletin["best"].empty()) << bulletin.dump();
  EXPECT_NE(bulletin.value("summary_zh", "").find("平均得分"), std::string::npos);
  EXPECT_NE(bulletin["entries"][0].value("text_en", "").find("rank 1"), std::string::npos);

  // A quarter written YYYY-Qn, and the streets of the whole city.
  ApiReply q = api_->Get("/api/v1/evaluation?period=" + ThisYear() + "-Q1&level=street", "e_city");
  ASSERT_EQ(q.status, 200) << q.raw;
  EXPECT_EQ(q.body.value("period", ""), ThisYear() + "Q1");
  EXPECT_EQ(q.body.value("level", ""), "street");
  EXPECT_GT(q.body["units"].size(), districts_.size());

  // Small numbers: every rate carries its Wilson interval around the value; a unit not ranked
  // says why and comes after the ranked ones; each rate has a funnel around the pooled rate.
  ApiReply y = api_->Get("/api/v1/evaluation?period=" + ThisYear() + "&level=street", "e_city");
  ASSERT_EQ(y.status, 200) << y.raw;
  EXPECT_EQ(y.body["small_numbers"].value("insufficient", ""), "shrink");
  int intervals = 0, unranked = 0;
  bool ranked_after_unranked = false;
  for (const auto& u : y.body["units"]) {
    if (u["rank"].is_null()) {
      ++unranked;
      const std::string why = u.value("not_ranked", "");
      EXPECT_TRUE(why == "nothing_applies" ||
                  (why == "mostly_unscored" && u.value("unscored_share", 0.0) > 0.5))
          << u.dump();
    } else {
      ranked_after_unranked = ranked_after_unranked || unranked > 0;
      EXPECT_TRUE(u["not_ranked"].is_null());
    }
    for (const auto& i : u["items"]) {
      if (i["interval95"].is_null()) continue;
      ++intervals;
      EXPECT_LE(i["interval95"].value("low", 2.0), i.value("value", -1.0) + 1e-12) << i.dump();
      EXPECT_GE(i["interval95"].value("high", -1.0), i.value("value", 2.0) - 1e-12) << i.dump();
      if (i.value("outcome", "") == "insufficient") {
        EXPECT_LT(i.value("denominator", 99.0), i.value("min_denominator", 0.0));
      }
    }
  }
  EXPECT_GT(intervals, 0);
  EXPECT_FALSE(ranked_after_unranked);
  ASSERT_FALSE(y.body["funnels"].empty());
  const json& funnel = y.body["funnels"][0];
  EXPECT_GT(funnel.value("overall", -1.0), 0.0);
  ASSERT_GE(funnel["curve"].size(), 40u);
  const json& wide = funnel["curve"][1];
  const json& narrow = funnel["curve"][funnel["curve"].size() - 1];
  EXPECT_GT(wide.value("high998", 0.0) - wide.value("low998", 0.0),
            narrow.value("high998", 0.0) - narrow.value("low998", 0.0));
}

TEST_F(EvaluationHttpTest, CentersSeeOnlyTheirJurisdiction) {
  ApiReply city = api_->Get("/api/v1/evaluation?period=" + ThisYear() + "&org=450100", "e_center");
  EXPECT_EQ(city.status, 404) << city.raw;
  EXPECT_EQ(city.content_type, "application/problem+json");
  ApiReply funding = api_->Get("/api/v1/funding?year=" + ThisYear() + "&org=450100", "e_center");
  EXPECT_EQ(funding.status, 404) << funding.raw;
  ApiReply figures = api_->Get("/api/v1/population-figures?org=450100", "e_center");
  EXPECT_EQ(figures.status, 404) << figures.raw;
  // A street has no assessed units under it.
  ApiReply own = api_->Get("/api/v1/evaluation?period=" + ThisYear(), "e_center");
  EXPECT_EQ(own.status, 400) << own.raw;
  EXPECT_EQ(ErrorFields(own), std::set<std::string>{"level"});
  EXPECT_EQ(api_->Get("/api/v1/evaluation?period=" + ThisYear(), "e_sysadmin").status, 403);
  EXPECT_EQ(api_->Get("/api/v1/funding?year=" + ThisYear(), "").status, 401);
}

TEST_F(EvaluationHttpTest, BadPeriodsAreProblemsWithTheField) {
  for (const std::string period : {"2026-Q5", "2026-13", "26", "", "2999"}) {
    ApiReply r = api_->Get("/api/v1/evaluation?period=" + period + "&org=450100", "e_city");
    EXPECT_EQ(r.status, 400) << period << " " << r.raw;
    EXPECT_EQ(r.content_type, "application/problem+json");
    EXPECT_EQ(ErrorFields(r), std::set<std::string>{"period"}) << period;
  }
  ApiReply level = api_->Get("/api/v1/evaluation?period=2026&level=village", "e_city");
  EXPECT_EQ(ErrorFields(level), std::set<std::string>{"level"});
  ApiReply year = api_->Get("/api/v1/funding?year=abcd", "e_finance");
  EXPECT_EQ(year.status, 400);
  EXPECT_EQ(ErrorFields(year), std::set<std::string>{"year"});
}

TEST_F(EvaluationHttpTest, BadFiguresAreProblemsWithEveryField) {
  json body = {{"year", 20266},
               {"figures",
                {{{"org", districts_[0]}},
                 {{"org", "450100"}, {"huji_population", 5}},
                 {{"org", districts_[1]}, {"huji_population", -3}}}}};
  ApiReply r = api_->Put("/api/v1/population-figures", "e_sysadmin", body);
  ASSERT_EQ(r.status, 400) << r.raw;
  EXPECT_EQ(r.content_type, "application/problem+json");
  EXPECT_EQ(ErrorFields(r),
            (std::set<std::string>{"year", "figures[0].huji_population", "figures[1].org",
                                   "figures[2].huji_population"}));
  for (const auto& e : r.body["errors"]) {
    EXPECT_FALSE(e.value("message_zh", "").empty());
    EXPECT_FALSE(e.value("message_en", "").empty());
  }
  // A center reads figures but may not set them.
  EXPECT_EQ(api_->Put("/api/v1/population-figures", "e_center", AllFigures()).status, 403);

  // A year after next, a figure that is not a whole number, a negative migrant count: field errors.
  json later = {{"year", std::stoi(ThisYear()) + 2},
                {"figures",
                 {{{"org", districts_[0]}, {"huji_population", "many"}},
                  {{"org", districts_[1]}, {"huji_population", 10}, {"migrant_population", -1}}}}};
  ApiReply bad = api_->Put("/api/v1/population-figures", "e_finance", later);
  ASSERT_EQ(bad.status, 400) << bad.raw;
  EXPECT_EQ(bad.content_type, "application/problem+json");
  EXPECT_EQ(ErrorFields(bad), (std::set<std::string>{"year", "figures[0].huji_population",
                                                     "figures[1].migrant_population"}));
  // The history needs a unit.
  ApiReply no_org = api_->Get("/api/v1/population-figures/history", "e_finance");
  EXPECT_EQ(no_org.status, 400) << no_org.raw;
  EXPECT_EQ(ErrorFields(no_org), std::set<std::string>{"org"});
}

TEST_F(EvaluationHttpTest, FinanceSetsFiguresAndEveryChangeIsKept) {
  const int year = LastYear();
  json first = {{"year", year}, {"figures", {{{"org", street_}, {"huji_population", 1000}}}}};
  ApiReply put = api_->Put("/api/v1/population-figures", "e_finance", first);
  ASSERT_EQ(put.status, 200) << put.raw;
  // A change of a year that has figures names the version of the year's list.
  ApiReply list = api_->Get("/api/v1/population-figures?year=" + std::to_string(year), "e_finance");
  ASSERT_EQ(list.status, 200) << list.raw;
  json second = {{"year", year},
                 {"figures",
                  {{{"org", street_},
                    {"huji_population", 1200},
                    {"migrant_population", 30},
                    {"source", "2025年统计年鉴"}}}}};
  ApiReply stale = api_->Put("/api/v1/population-figures", "e_finance", second);
  EXPECT_EQ(stale.status, 428) << stale.raw;
  ApiReply changed = api_->Call("PUT", "/api/v1/population-figures", "e_finance", second.dump(),
                                {{"If-Match", list.body.value("version", "")}});
  ASSERT_EQ(changed.status, 200) << changed.raw;
  EXPECT_EQ(FigureOf(street_, year)["huji_population"], 1200);

  // Newest first: 1000 → 1200 (+30 migrants), then nothing → 1000; who and how.
  ApiReply h = api_->Get(
      "/api/v1/population-figures/history?org=" + street_ + "&year=" + std::to_string(year),
      "e_finance");
  ASSERT_EQ(h.status, 200) << h.raw;
  ASSERT_EQ(h.body["items"].size(), 2u) << h.raw;
  const json& last = h.body["items"][0];
  EXPECT_EQ(last["old"]["huji_population"], 1000);
  EXPECT_TRUE(last["old"]["migrant_population"].is_null());
  EXPECT_EQ(last["new"]["huji_population"], 1200);
  EXPECT_EQ(last["new"]["migrant_population"], 30);
  EXPECT_EQ(last["new"]["source"], "2025年统计年鉴");
  EXPECT_EQ(last.value("changed_by", ""), "e_finance");
  EXPECT_EQ(last.value("via", ""), "set");
  EXPECT_FALSE(last.value("changed_at", "").empty());
  EXPECT_TRUE(h.body["items"][1]["old"].is_null());
  EXPECT_EQ(h.body["items"][1]["new"]["huji_population"], 1000);
  // The commission reads the history (aggregate data); the center of another street does not see
  // a unit outside its own.
  EXPECT_EQ(api_->Get("/api/v1/population-figures/history?org=" + street_, "e_city").status, 200);
  EXPECT_EQ(api_->Get("/api/v1/population-figures/history?org=" + districts_[1], "e_center").status,
            404);

  // Each change is audited with its previous value.
  ApiReply audit = api_->Get("/api/v1/audit?action=population_figures.set&limit=100", "e_auditor");
  ASSERT_EQ(audit.status, 200) << audit.raw;
  bool with_previous = false;
  for (const auto& row : audit.body["items"]) {
    if (row.value("object_id", "") == street_ + "/" + std::to_string(year) &&
        row.value("detail", "").find("\"previous\"") != std::string::npos) {
      with_previous = true;
    }
  }
  EXPECT_TRUE(with_previous) << audit.raw;
}

TEST_F(EvaluationHttpTest, ImportKeepsGoodRowsAndReportsEachBadOne) {
  const std::string year = std::to_string(LastYear());
  const std::string too_late = std::to_string(LastYear() + 3);
  ApiReply r =
      Import("e_finance", {{"单位代码", "单位名称", "年度", "户籍人口", "流动人口", "来源"},
                           {districts_[0], "", year, "500000", "", "年鉴"},      // row 2
                           {districts_[1], "", year, "-5", "", ""},              // row 3
                           {districts_[1], "", too_late, "700", "", ""},         // row 4
                           {"450100", "", year, "900", "", ""},                  // row 5
                           {},                                                   // blank
                           {districts_[1], "", year, "600000", "4000", "年鉴"},  // row 7
                           {districts_[0], "", year, "510000", "", ""}});        // row 8
  ASSERT_EQ(r.status, 200) << r.raw;
  EXPECT_EQ(r.body["rows"], 6);
  EXPECT_EQ(r.body["accepted"], 2);
  EXPECT_EQ(r.body["rejected"], 4);
  std::map<int, std::string> bad;  // row → field
  for (const auto& e : r.body["errors"]) {
    bad[e["row"].get<int>()] = e.value("field", "");
    EXPECT_FALSE(e.value("message_zh", "").empty());
    EXPECT_FALSE(e.value("message_en", "").empty());
  }
  EXPECT_EQ(bad, (std::map<int, std::string>{
                     {3, "huji_population"}, {4, "year"}, {5, "org"}, {8, "org"}}));
  // The good rows are kept, the bad ones not.
  EXPECT_EQ(FigureOf(districts_[0], LastYear())["huji_population"], 500000);
  EXPECT_EQ(FigureOf(districts_[1], LastYear())["migrant_population"], 4000);
  ApiReply h = api_->Get(
      "/api/v1/population-figures/history?org=" + districts_[1] + "&year=" + year, "e_finance");
  ASSERT_EQ(h.body["items"].size(), 1u) << h.raw;
  EXPECT_EQ(h.body["items"][0].value("via", ""), "import");

  // A header without the required columns refuses the file as a whole.
  ApiReply no_header = Import("e_finance", {{"名称", "人数"}, {"甲", "1"}});
  EXPECT_EQ(no_header.status, 400) << no_header.raw;
  EXPECT_EQ(no_header.content_type, "application/problem+json");
  EXPECT_EQ(ErrorFields(no_header), std::set<std::string>{"file"});
  ApiReply not_xlsx =
      api_->Call("POST", "/api/v1/population-figures/import", "e_finance", "a,b", {},
                 "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  EXPECT_EQ(not_xlsx.status, 400) << not_xlsx.raw;

  // The template: a workbook with a row per district and street of the caller's area.
  ApiReply tpl = api_->Get("/api/v1/population-figures/template?year=" + year, "e_finance");
  ASSERT_EQ(tpl.status, 200) << tpl.raw;
  EXPECT_EQ(tpl.content_type, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet");
  EXPECT_TRUE(tpl.raw.size() > 1000 && tpl.raw[0] == 'P' && tpl.raw[1] == 'K');
}

TEST_F(EvaluationHttpTest, FiguresStayWithinTheCallersAreaAndRole) {
  const int year = LastYear() - 1;  // a year without figures yet: no version to name
  // A district's finance bureau sets its own district, not the neighbour's.
  json other = {{"year", year}, {"figures", {{{"org", districts_[1]}, {"huji_population", 5}}}}};
  ApiReply r = api_->Put("/api/v1/population-figures", "e_dfin", other);
  ASSERT_EQ(r.status, 400) << r.raw;
  EXPECT_EQ(r.content_type, "application/problem+json");
  EXPECT_EQ(ErrorFields(r), std::set<std::string>{"figures[0].org"});
  ApiReply imported = Import("e_dfin", {{"单位代码", "年度", "户籍人口"},
                                        {districts_[1], std::to_string(year), "5"},
                                        {districts_[0], std::to_string(year), "123456"}});
  ASSERT_EQ(imported.status, 200) << imported.raw;
  EXPECT_EQ(imported.body["accepted"], 1);
  ASSERT_EQ(imported.body["errors"].size(), 1u);
  EXPECT_EQ(imported.body["errors"][0]["row"], 2);
  EXPECT_EQ(imported.body["errors"][0].value("code", ""), "unknown_org");
  EXPECT_NE(FigureOf(districts_[1], year)["huji_population"], 5);
  EXPECT_EQ(FigureOf(districts_[0], year)["huji_population"], 123456);

  // Roles without the permission are refused (403 problem+json), the import and template too.
  json mine = {{"year", year}, {"figures", {{{"org", districts_[0]}, {"huji_population", 1}}}}};
  for (const char* user : {"e_city", "e_center", "e_auditor"}) {
    ApiReply refused = api_->Put("/api/v1/population-figures", user, mine);
    EXPECT_EQ(refused.status, 403) << user << refused.raw;
    EXPECT_EQ(refused.content_type, "application/problem+json") << user;
    EXPECT_EQ(Import(user, {{"单位代码", "年度", "户籍人口"}, {districts_[0], "2020", "1"}}).status,
              403)
        << user;
    EXPECT_EQ(api_->Get("/api/v1/population-figures/template", user).status, 403) << user;
  }
  EXPECT_EQ(FigureOf(districts_[0], year)["huji_population"], 123456);
}

TEST_F(EvaluationHttpTest, FinanceReadsAFundingTableThatAddsUp) {
  // Without figures for the year: 409, naming every district.
  ApiReply missing = api_->Get("/api/v1/funding?year=" + ThisYear(), "e_finance");
  EXPECT_EQ(missing.status, 409) << missing.raw;
  EXPECT_EQ(missing.content_type, "application/problem+json");
  EXPECT_EQ(ErrorFields(missing).size(), districts_.size()) << missing.raw;
  ApiReply put = api_->Put("/api/v1/population-figures", "e_finance", AllFigures());
  ASSERT_EQ(put.status, 200) << put.raw;
  ASSERT_EQ(put.body["items"].size(), districts_.size());

  ApiReply list = api_->Get("/api/v1/population-figures?year=" + ThisYear(), "e_finance");
  ASSERT_EQ(list.status, 200) << list.raw;
  EXPECT_EQ(list.body["items"].size(), districts_.size());

  ApiReply r = api_->Get("/api/v1/funding?year=" + ThisYear() + "&org=450100", "e_finance");
  ASSERT_EQ(r.status, 200) << r.raw;
  ASSERT_EQ(r.body["rows"].size(), districts_.size());
  long long pool = r.body["pool"]["fen"].get<long long>();
  long long per_capita = r.body["per_capita_standard"]["fen"].get<long long>();
  long long residents = 0, total = 0, base = 0, performance = 0;
  for (const auto& row : r.body["rows"]) {
    long long huji = row["huji_population"].get<long long>();
    long long migrants = row["migrants"].get<long long>();
    EXPECT_EQ(row["resident_population"].get<long long>(), huji + migrants);
    EXPECT_EQ(row.value("migrant_source", ""), "registry");
    EXPECT_EQ(row["standard"]["fen"].get<long long>(), per_capita * (huji + migrants));
    EXPECT_EQ(row["total"]["fen"].get<long long>(),
              row["base"]["fen"].get<long long>() + row["performance"]["fen"].get<long long>());
    residents += huji + migrants;
    total += row["total"]["fen"].get<long long>();
    base += row["base"]["fen"].get<long long>();
    performance += row["performance"]["fen"].get<long long>();
  }
  EXPECT_EQ(pool, per_capita * residents);
  EXPECT_EQ(total, pool);
  EXPECT_EQ(base, r.body["base_pool"]["fen"].get<long long>());
  EXPECT_EQ(performance, r.body["performance_pool"]["fen"].get<long long>());
  EXPECT_EQ(r.body["sums"]["total"]["fen"].get<long long>(), pool);
}

TEST_F(EvaluationHttpTest, CommandLineEvaluatesAndLists) {
  CommandResult bulletin =
      server_->Run({"kpi", "evaluate", "--period", ThisYear(), "--bulletin", "zh"});
  ASSERT_EQ(bulletin.exit_code, 0) << bulletin.err;
  EXPECT_NE(bulletin.out.find("考核通报"), std::string::npos) << bulletin.out;
  EXPECT_NE(bulletin.out.find("第1名"), std::string::npos) << bulletin.out;

  CommandResult set = server_->Run({"kpi", "population", "set", "--year", ThisYear(), "--org",
                                    street_, "--huji", "1234", "--migrants", "56"});
  ASSERT_EQ(set.exit_code, 0) << set.err;
  CommandResult list =
      server_->Run({"kpi", "population", "list", "--org", street_, "--year", ThisYear()});
  ASSERT_EQ(list.exit_code, 0) << list.err;
  json items = json::parse(list.out, nullptr, false);
  ASSERT_FALSE(items.is_discarded()) << list.out;
  ASSERT_EQ(items["items"].size(), 1u);
  EXPECT_EQ(items["items"][0]["huji_population"], 1234);
  EXPECT_EQ(items["items"][0]["migrant_population"], 56);

  CommandResult bad = server_->Run({"kpi", "evaluate", "--period", "2026-Q9"});
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_NE(bad.err.find("period"), std::string::npos) << bad.err;
}

}  // namespace
}  // namespace jd::integration
