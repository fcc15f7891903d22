// `jundeng surveillance ears` end to end: the real binary on series of R's reference outputs
// (tests/data/disease/), compared row by row with surveillance::earsC; and its refusals.
#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "core/csv.h"
#include "core/dates.h"
#include "integration/server_process.h"

namespace jd::integration {
namespace {

using Rows = std::vector<std::vector<std::string>>;

Rows ParseCsv(const std::string& text) {
  Rows rows;
  CsvReader reader(text);
  std::vector<std::string> fields;
  while (reader.Next(fields)) rows.push_back(fields);
  EXPECT_TRUE(reader.status().ok());
  return rows;
}

Rows ReadData(const std::string& name) {
  return ParseCsv(ReadFileBytes(std::string(JD_SOURCE_DIR) + "/tests/data/disease/" + name));
}

class SurveillanceCliTest : public ::testing::Test {
 protected:
  CommandResult Run(const std::vector<std::string>& args) {
    return RunJundeng(args, "", tmp_.path());
  }
  // Writes the full series of `unit` (head + C1's observed column) as date,count with weekly
  // dates from 1990-01-01; returns the file's path.
  std::string WriteSeries(const std::string& dataset_file, const std::string& unit) {
    std::vector<std::string> counts;
    for (const auto& r : ReadData("ears_series_head.csv")) {
      if (r.size() == 4 && r[1] == unit) counts.push_back(r[3]);
    }
    Rows c1 = ReadData(dataset_file + "_C1.csv");
    for (std::size_t i = 1; i < c1.size(); ++i) {
      if (c1[i][2] == unit) counts.push_back(c1[i][7]);
    }
    std::string csv = "date,count\n";
    Date d = *ParseDate("1990-01-01");
    for (const auto& c : counts) {
      csv += FormatDate(d) + "," + c + "\n";
      d = AddDays(d, 7);
    }
    std::string path = tmp_.File(unit + ".csv");
    WriteFileBytes(path, csv);
    return path;
  }
  TempDir tmp_;
};

// Every row the command prints against R: the first `index − 1` rows have no bound, and from
// there on each bound equals R's to 1e-6 (in fact to the last bit) and each alarm is R's.
void ExpectSameAsR(const CommandResult& r, const Rows& reference, const std::string& unit) {
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.err.empty()) << r.err;
  Rows out = ParseCsv(r.out);
  ASSERT_FALSE(out.empty());
  EXPECT_EQ(out[0], (std::vector<std::string>{"date", "count", "upperbound", "alarm"}));
  std::map<std::size_t, const std::vector<std::string>*> by_index;
  for (std::size_t i = 1; i < reference.size(); ++i) {
    if (reference[i][2] == unit) by_index[std::stoul(reference[i][3])] = &reference[i];
  }
  ASSERT_FALSE(by_index.empty());
  EXPECT_EQ(by_index.rbegin()->first, out.size() - 1) << "one output row per input row";
  int exact = 0;
  for (std::size_t index = 1; index < out.size(); ++index) {
    const auto& row = out[index];
    ASSERT_EQ(row.size(), 4u) << index;
    auto it = by_index.find(index);
    if (it == by_index.end()) {
      EXPECT_EQ(row[2], "") << "baseline incomplete at " << index;
      EXPECT_EQ(row[3], "0") << index;
      continue;
    }
    const auto& ref = *it->second;
    EXPECT_EQ(row[1], ref[7]) << index;
    if (ref[8] == "NA") {
      EXPECT_EQ(row[2], "") << index;
      EXPECT_EQ(row[3], "0") << index;
      continue;
    }
    ASSERT_FALSE(row[2].empty()) << index;
    EXPECT_NEAR(std::stod(row[2]), std::stod(ref[8]), 1e-6) << index;
    if (std::stod(row[2]) == std::stod(ref[8])) ++exact;
    EXPECT_EQ(row[3], ref[9]) << index;
  }
  EXPECT_GT(exact, 0);
}

TEST_F(SurveillanceCliTest, EarsMatchesROnSalmonellaAgona) {
  std::string input = WriteSeries("ears_salmonella_agona", "observed1");
  for (const char* method : {"C1", "C2", "C3"}) {
    SCOPED_TRACE(method);
    CommandResult r = Run({"surveillance", "ears", "--method", method, "--input", input});
    ExpectSameAsR(r, ReadData(std::string("ears_salmonella_agona_") + method + ".csv"),
                  "observed1");
  }
}

TEST_F(SurveillanceCliTest, EarsMatchesRWhereTheC3BoundIsNA) {
  // Neukölln's hepatitis A series: many zero weeks, so C3 has NA bounds between defined ones.
  std::string input = WriteSeries("ears_ha_sts", "neuk");
  CommandResult r = Run({"surveillance", "ears", "--method", "C3", "--input", input});
  ExpectSameAsR(r, ReadData("ears_ha_sts_C3.csv"), "neuk");
}

TEST_F(SurveillanceCliTest, EarsRefusesBadInputWithExitCode2) {
  auto refused = [&](const std::vector<std::string>& args, const std::string& needle) {
    CommandResult r = Run(args);
    EXPECT_EQ(r.exit_code, 2) << needle << ": " << r.err;
    EXPECT_TRUE(r.out.empty()) << needle << ": " << r.out;
    EXPECT_NE(r.err.find(needle), std::string::npos) << r.err;
  };
  std::string good = tmp_.File("good.csv");
  WriteFileBytes(good, "date,count\n2024-01-01,3\n");
  refused({"surveillance", "ears", "--method", "C4", "--input", good}, "method");
  refused({"surveillance", "ears", "--method", "C1", "--input", tmp_.File("missing.csv")},
          "无法读取输入文件");
  struct BadFile {
    const char* name;
    const char* content;
    const char* method;
    std::vector<std::string> needles;
  };
  for (const BadFile& bad : std::vector<BadFile>{
           {"header", "day,cases\n2024-01-01,3\n", "C1", {"invalid_header"}},
           {"count",
            "date,count\n2024-01-01,3\n2024-01-02,-1\n2024-01-03,2.5\n",
            "C2",
            {"line 3: count", "line 4: count", "第 3 行"}},
           {"date", "date,count\n2024-02-30,3\n", "C3", {"invalid_date"}},
           {"order", "date,count\n2024-01-08,3\n2024-01-01,3\n", "C3", {"not_increasing"}}}) {
    std::string path = tmp_.File(std::string(bad.name) + ".csv");
    WriteFileBytes(path, bad.content);
    for (const auto& needle : bad.needles) {
      refused({"surveillance", "ears", "--method", bad.method, "--input", path}, needle);
    }
  }
  // Good input too short for a baseline: every row printed, no bound, no alarm.
  CommandResult ok = Run({"surveillance", "ears", "--method", "C1", "--input", good});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_EQ(ok.out, "date,count,upperbound,alarm\n2024-01-01,3,,0\n");
}

}  // namespace
}  // namespace jd::integration
