// The one driver of the worked cases in tests/data/immunization/*.json: each case is a child's
// history, an as-of date and the expected statuses and dates of the doses it is about, with the
// section of the official text it comes from.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>

#include "immunization/forecast.h"

namespace jd::immunization {
namespace {

using nlohmann::json;

struct Case {
  std::string file;
  json body;
};

std::vector<Case> LoadCases() {
  std::vector<Case> out;
  std::filesystem::path dir = std::filesystem::path(JD_SOURCE_DIR) / "tests/data/immunization";
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (e.path().extension() == ".json") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    std::ifstream in(f);
    json arr = json::parse(in, nullptr, false);
    if (arr.is_discarded() || !arr.is_array()) {
      out.push_back({f.filename().string(), json()});
      continue;
    }
    for (auto& c : arr) out.push_back({f.filename().string(), c});
  }
  return out;
}

TEST(ForecastCasesTest, EveryWorkedCaseHolds) {
  const auto& schedule = Schedule::Default();
  auto cases = LoadCases();
  ASSERT_GE(cases.size(), 60u);
  std::set<std::string> names, vaccines_covered;
  int checked_doses = 0;
  for (const auto& c : cases) {
    ASSERT_TRUE(c.body.is_object()) << c.file << " is not a JSON array of cases";
    std::string name = c.body.value("name", "");
    SCOPED_TRACE(c.file + ": " + name);
    EXPECT_TRUE(names.insert(name).second) << "duplicate case name";
    EXPECT_FALSE(c.body.value("cite", "").empty()) << "every case cites its source";
    auto req = ForecastRequestFromJson(schedule, c.body["input"]);
    ASSERT_TRUE(req.ok()) << req.status().message_en();
    for (const auto& h : req->history) vaccines_covered.insert(schedule.info(h.vaccine).code);
    Forecast f = ForecastChild(schedule, req->birth, req->history, req->as_of, req->options);
    json got = ForecastToJson(schedule, f, req->as_of, req->options);
    const json& expect = c.body["expect"];
    for (const auto& want : expect.value("doses", json::array())) {
      const json* found = nullptr;
      for (const auto& d : got["doses"]) {
        if (d["vaccine"] == want["vaccine"] && d["dose"] == want["dose"]) found = &d;
      }
      EXPECT_NE(found, nullptr) << "no dose " << want["vaccine"] << " " << want["dose"];
      if (found == nullptr) continue;
      for (auto it = want.begin(); it != want.end(); ++it) {
        EXPECT_EQ((*found)[it.key()], it.value()) << want["vaccine"] << " " << want["dose"] << "."
                                                  << it.key() << "; got " << found->dump();
      }
      ++checked_doses;
    }
    for (const auto& absent : expect.value("absent", json::array())) {
      for (const auto& d : got["doses"]) {
        EXPECT_FALSE(d["vaccine"] == absent["vaccine"] && d["dose"] == absent["dose"])
            << "dose must not be listed: " << absent.dump();
      }
    }
    if (expect.contains("invalid_records")) {
      std::multiset<std::string> want_invalid, got_invalid;
      for (const auto& r : expect["invalid_records"]) {
        want_invalid.insert(r["vaccine"].get<std::string>() + " " + r["date"].get<std::string>() +
                            " " + r["reason"].get<std::string>());
      }
      for (const auto& r : got["invalid_records"]) {
        got_invalid.insert(r["vaccine"].get<std::string>() + " " + r["date"].get<std::string>() +
                           " " + r["reason"].get<std::string>());
      }
      EXPECT_EQ(got_invalid, want_invalid);
    }
  }
  // The acceptance asks for every programme vaccine among the worked histories.
  for (const char* code : {"HepB", "BCG", "IPV", "bOPV", "DTaP", "DT", "MMR", "JE-L", "JE-I",
                           "MPSV-A", "MPSV-AC", "HepA-L", "HepA-I"}) {
    EXPECT_TRUE(vaccines_covered.count(code)) << "no worked case records " << code;
  }
  EXPECT_GT(checked_doses, 100);
}

}  // namespace
}  // namespace jd::immunization
