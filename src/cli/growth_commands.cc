// `jundeng growth zscore`: one child's WHO growth z-scores (child/growth.h) from the command line.
//
// Command contract:
//   jundeng growth zscore --sex M|F --birth YYYY-MM-DD --date YYYY-MM-DD [--weight KG]
//                         [--length CM | --height CM] [--head CM] [--oedema]
// prints one JSON object on one line: {"waz", "laz" | "haz", "wlz" | "whz", "baz", "hcz", "flags"}.
// Age in days = date − birth. The length keys follow the age: laz and wlz under 731 days, haz and
// whz from 731 days (a length measured lying from 731 days, or a height standing before, is
// converted by 0.7 cm first). Numbers are rounded to 2 decimals; null where not computable
// (outside the 0–1856-day standards, a missing or non-positive measurement, oedema for the
// weight-based ones). flags: anthro's names of the implausible values (see child/growth.h).
// Bad input (a date that does not exist, a date before the birth) is an error on standard error
// (Chinese and English) with exit code 2; both --length and --height is a usage error.
#include <iostream>
#include <nlohmann/json.hpp>

#include "child/growth.h"
#include "cli/common.h"
#include "core/dates.h"

namespace jd::cli {

namespace {

struct GrowthArgs {
  std::string sex, birth, date;
  std::optional<double> weight, length, height, head;
  bool oedema = false;
};

Result<child::GrowthMeasurement> MeasurementOf(const GrowthArgs& a) {
  std::vector<FieldError> errors;
  child::GrowthMeasurement m;
  if (a.sex == "M" || a.sex == "m") {
    m.sex = child::Sex::kMale;
  } else if (a.sex == "F" || a.sex == "f") {
    m.sex = child::Sex::kFemale;
  } else {
    errors.push_back(
        {"sex", "invalid_value", "性别应为 M（男）或 F（女）", "--sex must be M or F"});
  }
  auto birth = ParseDate(a.birth);
  auto date = ParseDate(a.date);
  if (!birth) {
    errors.push_back({"birth", "invalid_date", "出生日期应为存在的日期 YYYY-MM-DD",
                      "--birth must be a real date YYYY-MM-DD"});
  }
  if (!date) {
    errors.push_back({"date", "invalid_date", "测量日期应为存在的日期 YYYY-MM-DD",
                      "--date must be a real date YYYY-MM-DD"});
  }
  if (birth && date && *date < *birth) {
    errors.push_back(
        {"date", "before_birth", "测量日期不能早于出生日期", "--date must not be before --birth"});
  }
  if (!errors.empty()) return Status::Invalid(std::move(errors));
  m.age_days = DaysBetween(*birth, *date);
  m.weight_kg = a.weight;
  m.head_cm = a.head;
  m.oedema = a.oedema;
  if (a.length) {
    m.length_height_cm = a.length;
    m.measure = child::LengthMeasure::kRecumbent;
  } else if (a.height) {
    m.length_height_cm = a.height;
    m.measure = child::LengthMeasure::kStanding;
  }
  return m;
}

nlohmann::ordered_json ZScoresToJson(const child::GrowthZScores& r) {
  auto number = [](const std::optional<double>& z) -> nlohmann::ordered_json {
    if (!z) return nullptr;
    return child::RoundZ(*z);
  };
  nlohmann::ordered_json out;
  out["waz"] = number(r.waz);
  out[r.height_based ? "haz" : "laz"] = number(r.lhaz);
  out[r.height_based ? "whz" : "wlz"] = number(r.wlhz);
  out["baz"] = number(r.baz);
  out["hcz"] = number(r.hcz);
  out["flags"] = r.flags;
  return out;
}

}  // namespace

void AddGrowthCommands(CLI::App& cli, int& exit_code) {
  auto* growth = cli.add_subcommand("growth", "child growth (WHO Child Growth Standards)");
  growth->require_subcommand(1);
  auto* zscore = growth->add_subcommand(
      "zscore", "print a child's WHO z-scores (weight, length/height, BMI, head) as JSON");
  auto args = std::make_shared<GrowthArgs>();
  zscore->add_option("--sex", args->sex, "M or F")->required();
  zscore->add_option("--birth", args->birth, "date of birth YYYY-MM-DD")->required();
  zscore->add_option("--date", args->date, "date of the measurement YYYY-MM-DD")->required();
  zscore->add_option("--weight", args->weight, "weight in kg");
  auto* length = zscore->add_option("--length", args->length, "recumbent length in cm");
  auto* height = zscore->add_option("--height", args->height, "standing height in cm");
  length->excludes(height);
  zscore->add_option("--head", args->head, "head circumference in cm");
  zscore->add_flag("--oedema", args->oedema, "bilateral pitting oedema (no weight-based z-score)");
  zscore->callback([args, &exit_code] {
    auto m = MeasurementOf(*args);
    if (!m.ok()) {
      exit_code = Fail(m.status());
      return;
    }
    auto r = child::GrowthStandards::Builtin().Compute(*m);
    std::cout << ZScoresToJson(r).dump() << std::endl;
  });
}

}  // namespace jd::cli
