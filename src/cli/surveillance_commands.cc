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
//
//   jundeng surveillance report --period week|month --date YYYY-MM-DD --out FILE.xlsx
//                               [--disease CODE] [--db FILE]
// the periodic analysis of the whole city (disease/analysis_service.h) for the ISO week or the
// calendar month holding the date, as the system: the workbook of GET /api/v1/disease/analysis.xlsx
// written to FILE (created 0600), audited like the API's. Prints one line on standard error with
// the file, the period and the cases counted. A bad period, date or disease is a field error
// (exit 2); an unwritable file exit 69.
#include <sys/stat.h>

#include <fstream>
#include <iostream>
#include <memory>

#include "auth/auth_service.h"
#include "cli/common.h"
#include "core/input.h"
#include "disease/analysis_service.h"
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

struct ReportArgs {
  std::string period, date, disease, out;
};

int RunReport(const http::AppOptions& app_options, const ReportArgs& a) {
  FieldErrors errors;
  auto kind = disease::ParsePeriodKind(a.period);
  if (!kind) {
    errors.Add("period", "invalid_value", "--period 应为 week（周）或 month（月）",
               "--period must be week or month");
  }
  auto date = DateParam(a.date, "date", DateKind::kPastEvent, SystemClock().Today(),
                        Presence::kRequired, errors);
  if (auto e = CheckText(a.disease, FieldKind::kCode, "disease")) errors.Add(*e);
  if (!errors.empty()) return Fail(errors.ToStatus());
  auto app = http::OpenApp(app_options);
  if (!app.ok()) return Fail(app.status());
  auto file = (*app)->disease_analysis->Workbook(auth::AuthService::SystemPrincipal(OsUser()),
                                                 {*kind, *date, a.disease});
  if (!file.ok()) return Fail(file.status());
  const mode_t old_mask = umask(077);
  std::ofstream f(a.out, std::ios::binary | std::ios::trunc);
  f.write(file->bytes.data(), static_cast<std::streamsize>(file->bytes.size()));
  f.close();
  umask(old_mask);
  if (!f) return Fail(Status::Unavailable("cannot write " + a.out, "无法写入文件 " + a.out));
  std::cerr << "wrote " << a.out << " (" << file->file_name << ", " << file->bytes.size()
            << " bytes)\n";
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
  auto* report = surveillance->add_subcommand(
      "report", "the periodic analysis of the city (week or month) as an XLSX workbook");
  auto report_args = std::make_shared<ReportArgs>();
  report->add_option("--period", report_args->period, "week (ISO week) or month")->required();
  report->add_option("--date", report_args->date, "a day of the period (YYYY-MM-DD, Beijing time)")
      ->required();
  report->add_option("--out", report_args->out, "the XLSX file to write")->required();
  report->add_option("--disease", report_args->disease, "one disease only (a catalogue code)");
  add_db(report);
  report->callback([report_args, &app_options, &exit_code] {
    exit_code = RunReport(app_options, *report_args);
  });
}

}  // namespace jd::cli
