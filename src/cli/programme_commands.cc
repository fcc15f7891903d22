// The programme commands a commission runs over the whole city, as the system (audited like the
// API's reads):
//
//   jundeng education norms [--year Y] [--behind] [--db FILE]
// every active centre, station and village clinic of the city measured against the 规范 norms of
// health education for the year (education/service.h AreaNorms: the current year pro-rated by the
// months completed), as CSV on standard output with the header
// `point_id,point_name,org_code,type,norm,required,due,actual,shortfall` and one row per point and
// norm, lines ended by CRLF as RFC 4180 (with --behind only the points with a shortfall). A year
// before 2000 or after this one is a field error (exit 2).
//
//   jundeng family-planning payments --year Y --out FILE.xlsx [--db FILE]
// the year's payment list of the reward and hardship-support rules (family_planning/service.h
// Payments) as the workbook of GET /api/v1/family-planning/payments.xlsx, written to FILE (created
// 0600). Prints one line on standard error with the file and the number of lines. An unwritable
// file: exit 69.
#include <sys/stat.h>

#include <fstream>
#include <iostream>
#include <memory>

#include "auth/auth_service.h"
#include "cli/common.h"
#include "core/csv.h"
#include "http/app.h"

namespace jd::cli {

namespace {

Status CheckYear(int year) {
  const int now = static_cast<int>(SystemClock().Today().year());
  if (year >= 2000 && year <= now) return Status::Ok();
  return Status::Invalid({{"year", "out_of_range", "--year 应在 2000 年至今年之间",
                           "--year must be from 2000 to this year"}});
}

int RunEducationNorms(const http::AppOptions& app_options, int year, bool behind) {
  if (Status st = CheckYear(year); !st.ok()) return Fail(st);
  auto app = http::OpenApp(app_options);
  if (!app.ok()) return Fail(app.status());
  auto area =
      (*app)->education->AreaNorms(auth::AuthService::SystemPrincipal(OsUser()), year, behind);
  if (!area.ok()) return Fail(area.status());
  // Names are the centres' own: a cell that a spreadsheet would take for a formula is defused.
  CsvWriter csv(std::cout);
  csv.Row({"point_id", "point_name", "org_code", "type", "norm", "required", "due", "actual",
           "shortfall"});
  for (const auto& p : area->points) {
    const std::string type = p.type ? std::string(education::PointTypeCode(*p.type)) : "";
    for (const auto& n : p.measure.norms) {
      csv.Row({p.point_id, p.name, p.org_code, type, n.id, std::to_string(n.required),
               std::to_string(n.due), std::to_string(n.actual), std::to_string(n.shortfall)});
    }
  }
  std::cout << std::flush;
  return 0;
}

int RunPayments(const http::AppOptions& app_options, int year, const std::string& out) {
  if (Status st = CheckYear(year); !st.ok()) return Fail(st);
  auto app = http::OpenApp(app_options);
  if (!app.ok()) return Fail(app.status());
  auto list = (*app)->family_planning->Payments(auth::AuthService::SystemPrincipal(OsUser()), year);
  if (!list.ok()) return Fail(list.status());
  auto bytes = family_planning::FpService::PaymentsXlsx(*list);
  if (!bytes.ok()) return Fail(bytes.status());
  const mode_t old_mask = umask(077);
  std::ofstream f(out, std::ios::binary | std::ios::trunc);
  f.write(bytes->data(), static_cast<std::streamsize>(bytes->size()));
  f.close();
  umask(old_mask);
  if (!f) return Fail(Status::Unavailable("cannot write " + out, "无法写入文件 " + out));
  std::cerr << "wrote " << out << " (" << list->lines.size() << " payment lines of " << year
            << ")\n";
  return 0;
}

}  // namespace

void AddProgrammeCommands(CLI::App& cli, http::AppOptions& app_options, const AddDbOptions& add_db,
                          int& exit_code) {
  const int this_year = static_cast<int>(SystemClock().Today().year());
  auto* education = cli.add_subcommand("education", "health education at the service points");
  education->require_subcommand(1);
  auto* norms = education->add_subcommand(
      "norms", "every centre and station of the city against the 规范 norms, as CSV");
  auto year = std::make_shared<int>(this_year);
  auto behind = std::make_shared<bool>(false);
  norms->add_option("--year", *year, "the year (default this year)");
  norms->add_flag("--behind", *behind, "only the points with a shortfall");
  add_db(norms);
  norms->callback([year, behind, &app_options, &exit_code] {
    exit_code = RunEducationNorms(app_options, *year, *behind);
  });

  auto* fp = cli.add_subcommand("family-planning", "free family-planning services");
  fp->require_subcommand(1);
  auto* payments = fp->add_subcommand(
      "payments", "the year's payment list of the reward and hardship rules, as an XLSX workbook");
  auto pay_year = std::make_shared<int>(this_year);
  auto out = std::make_shared<std::string>();
  payments->add_option("--year", *pay_year, "the year (default this year)");
  payments->add_option("--out", *out, "the XLSX file to write")->required();
  add_db(payments);
  payments->callback([pay_year, out, &app_options, &exit_code] {
    exit_code = RunPayments(app_options, *pay_year, *out);
  });
}

}  // namespace jd::cli
