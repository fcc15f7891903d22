// `jundeng surveillance ears`: the EARS C1, C2 and C3 outbreak detectors (disease/ears.h), exactly
// as R's surveillance::earsC computes them, over one series of counts from a CSV file.
//
// Command contract:
//   jundeng surveillance ears --method C1|C2|C3 --input FILE.csv
//                             [--baseline 7] [--alpha A] [--min-sigma 0]
// reads `date,count` rows (header `date,count`, one row per period, oldest first) and prints CSV
// with the header `date,count,upperbound,alarm` and one row per input row. `upperbound` is printed
// as the shortest decimal that reads back as the same double (so it equals R's `%.17g` to the last
// bit); it is empty while the baseline is incomplete (the first 7 rows for C1, 9 for C2, 11 for C3
// with baseline 7) and where earsC's bound is NA (C3 over windows of zero variance), and `alarm`
// is 0 there. alarm = 1 when count > upperbound. Defaults are earsC's: baseline 7, min-sigma 0,
// alpha 0.001 for C1/C2 and 0.025 for C3.
// Bad input (missing or unreadable file, bad header, a bad date or a date not after the row
// before, a count that is not a whole number ≥ 0, an unknown method, bad options) is an error on
// standard error in Chinese and English with exit code 2 and nothing on standard output.
//
//   jundeng surveillance run --as-of YYYY-MM-DD [--db FILE]
// the daily early-warning run (disease/signal_service.h RunDaily) as the system: the moving
// percentile and EARS C1–C3 of every disease × district on the as-of day, and the on-save rules
// caught up over the week's cards. Prints one JSON object {as_of, series, raised, already}. Run it
// once a day (cron) after midnight Beijing time for the day before; running it again raises
// nothing new.
#include <iostream>
#include <memory>

#include "auth/auth_service.h"
#include "cli/common.h"
#include "core/input.h"
#include "disease/count_series.h"
#include "disease/ears.h"
#include "http/app.h"

namespace jd::cli {

namespace {

struct EarsArgs {
  std::string method, input;
  int baseline = 7;
  std::optional<double> alpha;
  double min_sigma = 0;
};

constexpr std::size_t kMaxInputBytes = 256u << 20;

Result<std::string> RunEars(const EarsArgs& a) {
  std::vector<FieldError> errors;
  auto method = disease::EarsMethodFromName(a.method);
  if (!method) {
    errors.push_back(
        {"method", "invalid_value", "--method 应为 C1、C2 或 C3", "--method must be C1, C2 or C3"});
  }
  disease::EarsOptions options{.method = method.value_or(disease::EarsMethod::kC1),
                               .baseline = a.baseline,
                               .min_sigma = a.min_sigma,
                               .alpha = a.alpha};
  if (Status st = disease::ValidateEarsOptions(options); !st.ok()) {
    for (const auto& e : st.field_errors()) errors.push_back(e);
  }
  if (!errors.empty()) return Status::Invalid(std::move(errors));
  auto text = ReadFile(a.input, kMaxInputBytes);
  if (!text.ok()) {
    if (text.status().code() == StatusCode::kTooLarge) {
      return Status::Invalid({{"input", "too_large", "输入文件过大（上限 256 MiB）",
                               "the input file is too large (limit 256 MiB)"}});
    }
    return Status::Invalid({{"input", "unreadable", "无法读取输入文件 " + a.input,
                             "cannot read the input file " + a.input}});
  }
  auto series = disease::ParseCountSeriesCsv(*text);
  if (!series.ok()) return series.status();
  std::vector<std::int64_t> counts;
  counts.reserve(series->size());
  for (const auto& p : *series) counts.push_back(p.count);
  auto points = disease::Ears(std::span<const std::int64_t>(counts), options);
  return disease::WriteEarsCsv(*series, points);
}

}  // namespace

int RunDaily(const http::AppOptions& app_options, const std::string& as_of_text) {
  FieldErrors errors;
  auto as_of = DateParam(as_of_text, "as_of", DateKind::kPastEvent, SystemClock().Today(),
                         Presence::kRequired, errors);
  if (!as_of || !errors.empty()) return Fail(errors.ToStatus());
  auto app = http::OpenApp(app_options);
  if (!app.ok()) return Fail(app.status());
  auto report = (*app)->signals->RunDaily(auth::AuthService::SystemPrincipal(OsUser()), *as_of);
  if (!report.ok()) return Fail(report.status());
  std::cout << nlohmann::json{{"as_of", FormatDate(report->as_of)},
                              {"series", report->series},
                              {"raised", report->raised},
                              {"already", report->already}}
                   .dump()
            << std::endl;
  return 0;
}

void AddSurveillanceCommands(CLI::App& cli, http::AppOptions& app_options,
                             const AddDbOptions& add_db, int& exit_code) {
  auto* surveillance =
      cli.add_subcommand("surveillance", "infectious-disease early warning (outbreak detection)");
  surveillance->require_subcommand(1);
  auto* ears = surveillance->add_subcommand(
      "ears", "EARS C1/C2/C3 bounds and alarms of a date,count series, as R surveillance::earsC");
  auto args = std::make_shared<EarsArgs>();
  ears->add_option("--method", args->method, "C1, C2 or C3")->required();
  ears->add_option("--input", args->input, "CSV file with the header date,count")->required();
  ears->add_option("--baseline", args->baseline, "periods in the reference window (default 7)");
  ears->add_option("--alpha", args->alpha, "default 0.001 for C1/C2, 0.025 for C3");
  ears->add_option("--min-sigma", args->min_sigma, "floor of the window SD (default 0)");
  ears->callback([args, &exit_code] {
    auto out = RunEars(*args);
    if (!out.ok()) {
      exit_code = Fail(out.status());
      return;
    }
    std::cout << *out << std::flush;
  });
  auto* run = surveillance->add_subcommand(
      "run", "the daily early-warning run: moving percentile and EARS per disease and district");
  auto as_of = std::make_shared<std::string>();
  run->add_option("--as-of", *as_of, "the day to judge (YYYY-MM-DD, Beijing time)")->required();
  add_db(run);
  run->callback([as_of, &app_options, &exit_code] { exit_code = RunDaily(app_options, *as_of); });
}

}  // namespace jd::cli
