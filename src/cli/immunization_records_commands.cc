// `jundeng immunization due`: a clinic's due list (the children due, overdue or needing a skin
// test in a date range, with their guardians' phones) as JSON or as a CSV for calling.
#include <fmt/format.h>

#include <fstream>
#include <functional>
#include <iostream>
#include <memory>

#include "auth/auth_service.h"
#include "cli/common.h"
#include "core/csv.h"
#include "immunization/service.h"
#include "registry/person_rules.h"

namespace jd::cli {

namespace {

struct DueOptions {
  std::string clinic, from, to, status, csv;
};

std::string DoseList(const immunization::Schedule& schedule, const immunization::DueItem& item) {
  std::string out;
  for (const auto& d : item.doses) {
    if (!out.empty()) out += "；";
    out += fmt::format("{}第{}剂（{}）", schedule.info(d.vaccine).name_zh, d.dose,
                       immunization::StatusLabelZh(d.status));
  }
  return out;
}

int Due(const http::AppOptions& app_options, const DueOptions& o) {
  auto app = http::OpenApp(app_options);
  if (!app.ok()) return Fail(app.status());
  auto& service = *(*app)->immunization;
  auto page = service.DueList(auth::AuthService::SystemPrincipal(OsUser()),
                              {.clinic = o.clinic, .from = o.from, .to = o.to, .status = o.status});
  if (!page.ok()) return Fail(page.status());
  const auto& schedule = service.schedule();
  if (o.csv.empty()) {
    nlohmann::json items = nlohmann::json::array();
    for (const auto& item : page->items)
      items.push_back(immunization::DueItemToJson(schedule, item));
    std::cout << nlohmann::json{{"clinic", page->clinic.code},
                                {"from", FormatDate(page->from)},
                                {"to", FormatDate(page->to)},
                                {"total", page->total},
                                {"items", items}}
                     .dump(2)
              << std::endl;
    return 0;
  }
  std::ofstream file;
  std::ostream* out = &std::cout;
  if (o.csv != "-") {
    file.open(o.csv, std::ios::binary | std::ios::trunc);
    if (!file) return Fail(Status::Unavailable("cannot write " + o.csv, "无法写入文件"));
    out = &file;
  }
  CsvWriter w(*out, {.bom = CsvBom::kUtf8});
  // A list: numbers masked and no address. The whole phone is on the call list (`notify`),
  // audited per child.
  w.Row({"姓名", "性别", "出生日期", "月龄", "证件号码", "监护人", "监护人电话", "应种疫苗",
         "最早可种日期", "已预约日期"});
  for (const auto& item : page->items) {
    const auto& c = item.child;
    w.Row({c.name, c.sex == "F" ? "女" : "男", FormatDate(c.birth_date),
           std::to_string(item.age_months), registry::MaskIdNumber(c.id_number), c.guardian_name,
           registry::MaskPhone(c.guardian_phone.empty() ? c.phone : c.guardian_phone),
           DoseList(schedule, item), FormatDate(item.earliest),
           item.next_appointment ? FormatDate(item.next_appointment->date) : ""});
  }
  std::cerr << fmt::format("{} children due at {} from {} to {}", page->total, page->clinic.code,
                           FormatDate(page->from), FormatDate(page->to))
            << std::endl;
  return 0;
}

// Runs `act` with the service as the system operator and prints its JSON answer.
int WithService(const http::AppOptions& app_options,
                const std::function<Result<nlohmann::json>(immunization::ImmunizationService&,
                                                           const auth::Principal&)>& act) {
  auto app = http::OpenApp(app_options);
  if (!app.ok()) return Fail(app.status());
  auto& service = *(*app)->immunization;
  auto out = act(service, auth::AuthService::SystemPrincipal(OsUser()));
  if (!out.ok()) return Fail(out.status());
  std::cout << out->dump(2) << std::endl;
  return 0;
}

}  // namespace

void AddImmunizationRecordCommands(CLI::App& cli, http::AppOptions& app_options,
                                   const AddDbOptions& add_db, int& exit_code) {
  // Under `jundeng immunization`, whether given the root or that command.
  CLI::App* imm = &cli;
  if (cli.get_name() != "immunization") {
    auto found =
        cli.get_subcommands([](const CLI::App* a) { return a->get_name() == "immunization"; });
    imm = found.empty() ? cli.add_subcommand("immunization", "child immunisation (预防接种)")
                        : found.front();
  }
  auto o = std::make_shared<DueOptions>();
  auto* due = imm->add_subcommand(
      "due",
      "the children of a clinic's area due, overdue or needing a skin test from --from to --to "
      "(statuses as of --to), with guardians' phones; JSON, or CSV with --csv");
  add_db(due);
  due->add_option("--clinic", o->clinic, "the clinic's org code")->required();
  due->add_option("--from", o->from, "first day, YYYY-MM-DD")->required();
  due->add_option("--to", o->to, "last day, YYYY-MM-DD")->required();
  due->add_option("--status", o->status, "due,overdue,needs_test (default: all three)");
  due->add_option("--csv", o->csv,
                  "write CSV with Chinese headers (UTF-8 with BOM) to FILE ('-': standard output)");
  due->callback([&app_options, &exit_code, o] {
    app_options.must_exist = true;
    exit_code = Due(app_options, *o);
  });

  // A child's card, and the two writes a desk makes most: issuing the certificate, recording a
  // dose. The bodies are those of the API (POST /persons/{id}/vaccination-file, …/vaccinations).
  auto person = std::make_shared<std::string>();
  auto as_of = std::make_shared<std::string>();
  auto* show = imm->add_subcommand(
      "show", "a child's certificate, doses and every dose's status as of --as-of, as JSON");
  add_db(show);
  show->add_option("--person", *person, "the person's id")->required();
  show->add_option("--as-of", *as_of, "YYYY-MM-DD (default: today)");
  show->callback([&app_options, &exit_code, person, as_of] {
    app_options.must_exist = true;
    exit_code = WithService(
        app_options, [&](auto& service, const auth::Principal& who) -> Result<nlohmann::json> {
          auto view = service.Get(who, *person, *as_of);
          if (!view.ok()) return view.status();
          return immunization::ViewToJson(service.schedule(), *view, nullptr);
        });
  });
  auto* issue = imm->add_subcommand(
      "issue-file",
      "issue the vaccination certificate (接种证) to --person from JSON on standard input: "
      "{\"certificate_no\",\"card_no\",\"issuing_clinic\",\"guardian_name\",…}");
  add_db(issue);
  issue->add_option("--person", *person, "the person's id")->required();
  issue->callback([&app_options, &exit_code, person] {
    app_options.must_exist = true;
    auto body = ReadJsonStdin();
    if (!body.ok()) {
      exit_code = Fail(body.status());
      return;
    }
    exit_code = WithService(
        app_options, [&](auto& service, const auth::Principal& who) -> Result<nlohmann::json> {
          auto file = service.IssueFile(who, *person, *body);
          if (!file.ok()) return file.status();
          return immunization::FileToJson(*file, nullptr);
        });
  });
  auto* record = imm->add_subcommand(
      "record",
      "record a dose for --person from JSON on standard input: {\"vaccine\",\"date\",\"lot\","
      "\"manufacturer\",\"site\",\"route\",\"clinic\",\"vaccinator\",\"source\"}; prints the "
      "record and the child's new statuses");
  add_db(record);
  record->add_option("--person", *person, "the person's id")->required();
  record->callback([&app_options, &exit_code, person] {
    app_options.must_exist = true;
    auto body = ReadJsonStdin();
    if (!body.ok()) {
      exit_code = Fail(body.status());
      return;
    }
    exit_code = WithService(
        app_options, [&](auto& service, const auth::Principal& who) -> Result<nlohmann::json> {
          auto change = service.RecordDose(who, *person, *body);
          if (!change.ok()) return change.status();
          return nlohmann::json{
              {"record", immunization::RecordToJson(service.schedule(), change->record, nullptr)},
              {"immunization",
               immunization::ViewToJson(service.schedule(), change->view, nullptr)}};
        });
  });
}

}  // namespace jd::cli
