// `jundeng kpi …`: the indicator catalogue and live values from the command line, as the system
// operator (the whole city). `jundeng report`: the statistical report (XLSX/CSV) or the DHIS2
// exchange (dataValueSets JSON / ADX) of a unit, to a file or standard output.
#include <fstream>
#include <iostream>
#include <memory>

#include "auth/auth_service.h"
#include "cli/common.h"
#include "kpi/service.h"

namespace jd::cli {

void AddKpiCommands(CLI::App& cli, http::AppOptions& app_options, const AddDbOptions& add_db,
                    int& exit_code) {
  auto* kpi = cli.add_subcommand("kpi", "statistics: indicators against the targets (统计指标)");
  kpi->require_subcommand(1);

  auto module = std::make_shared<std::string>();
  auto* list = kpi->add_subcommand("list", "the indicator catalogue as JSON");
  add_db(list);
  list->add_option("--module", *module, "only this module's indicators");
  list->callback([&app_options, &exit_code, module] {
    app_options.must_exist = true;
    auto app = http::OpenApp(app_options);
    if (!app.ok()) {
      exit_code = Fail(app.status());
      return;
    }
    auto items = (*app)->kpi->Indicators(auth::AuthService::SystemPrincipal(OsUser()), *module);
    if (!items.ok()) {
      exit_code = Fail(items.status());
      return;
    }
    nlohmann::json out = nlohmann::json::array();
    for (const kpi::Indicator* i : *items) out.push_back(kpi::IndicatorToJson(*i));
    std::cout << nlohmann::json{{"items", out}}.dump(2) << std::endl;
  });

  auto q = std::make_shared<kpi::ValuesQuery>();
  auto* values = kpi->add_subcommand(
      "values", "indicator values of a unit (and the units under it with --children) as JSON");
  add_db(values);
  values->add_option("--codes", q->codes, "comma-separated codes (default: every active one)");
  values->add_option("--org", q->org, "org unit code (default: the city)");
  values->add_option("--period", q->period, "YYYY-MM, YYYYQn or YYYY (default: this month)");
  values->add_flag("--children", q->children, "also the units directly under --org");
  values->add_option("--sex", q->sex, "M or F");
  values->add_option("--age-group", q->age_group, "0-6, 7-17, 18-59 or 60+");
  values->add_option("--hukou-province", q->hukou_province, "two-digit province code");
  values->add_option("--cohort", q->cohort, "birth year (coverage by cohort)");
  values->callback([&app_options, &exit_code, q] {
    app_options.must_exist = true;
    auto app = http::OpenApp(app_options);
    if (!app.ok()) {
      exit_code = Fail(app.status());
      return;
    }
    auto r = (*app)->kpi->Values(auth::AuthService::SystemPrincipal(OsUser()), *q);
    if (!r.ok()) {
      exit_code = Fail(r.status());
      return;
    }
    std::cout << kpi::ValuesToJson(*r).dump(2) << std::endl;
  });

  auto org = std::make_shared<std::string>();
  auto* quality = kpi->add_subcommand(
      "quality", "the data-quality report of a unit and the units directly under it, as JSON");
  add_db(quality);
  quality->add_option("--org", *org, "org unit code (default: the city)");
  quality->callback([&app_options, &exit_code, org] {
    app_options.must_exist = true;
    auto app = http::OpenApp(app_options);
    if (!app.ok()) {
      exit_code = Fail(app.status());
      return;
    }
    auto r = (*app)->kpi->Quality(auth::AuthService::SystemPrincipal(OsUser()), *org);
    if (!r.ok()) {
      exit_code = Fail(r.status());
      return;
    }
    std::cout << kpi::QualityToJson(*r).dump(2) << std::endl;
  });

  // ---- jundeng report
  auto eq = std::make_shared<kpi::ExportQuery>();
  auto out = std::make_shared<std::string>("-");
  auto* report = cli.add_subcommand(
      "report",
      "statistical report of a unit and its units (统计报表: xlsx, csv) or its figures for DHIS2 "
      "(json: dataValueSets, adx)");
  add_db(report);
  report->add_option("--org", eq->org, "org unit code (default: the city)");
  report->add_option("--period", eq->period, "YYYY-MM, YYYYQn or YYYY (default: this month)");
  report->add_option("--codes", eq->codes, "comma-separated codes (default: every active one)");
  report->add_option("--format", eq->format, "xlsx (default), csv, json or adx")
      ->check(CLI::IsMember({"xlsx", "csv", "json", "adx"}));
  report->add_option("--level", eq->level, "json/adx: leaves (default), children or unit");
  report->add_option("--data-set", eq->data_set, "json/adx: the DHIS2 data set (adx: required)");
  report->add_option("--out", *out, "file to write ('-': standard output)")->capture_default_str();
  report->callback([&app_options, &exit_code, eq, out] {
    app_options.must_exist = true;
    auto app = http::OpenApp(app_options);
    if (!app.ok()) {
      exit_code = Fail(app.status());
      return;
    }
    auth::Principal system = auth::AuthService::SystemPrincipal(OsUser());
    bool exchange = eq->format == "json" || eq->format == "adx";
    auto file = exchange ? (*app)->kpi->Exchange(system, *eq) : (*app)->kpi->Report(system, *eq);
    if (!file.ok()) {
      exit_code = Fail(file.status());
      return;
    }
    if (*out == "-") {
      std::cout << file->bytes;
      std::cout.flush();
      return;
    }
    std::ofstream f(*out, std::ios::binary);
    f << file->bytes;
    f.close();
    if (!f) {
      exit_code = Fail(Status::Unavailable("cannot write " + *out, "无法写入文件 " + *out));
      return;
    }
    std::cerr << "wrote " << *out << " (" << file->bytes.size() << " bytes)\n";
  });
}

}  // namespace jd::cli
