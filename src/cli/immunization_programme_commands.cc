// `jundeng immunization catch-up | campaign | entry-check | coverage`: the immunisation
// programme's work over many children from the server host (immunization/programme_service.h),
// acting as the system operator and audited as such.
#include <fmt/format.h>

#include <fstream>
#include <iostream>
#include <memory>

#include "auth/auth_service.h"
#include "cli/common.h"
#include "immunization/programme_service.h"

namespace jd::cli {

namespace {

using nlohmann::json;

// Runs `fn` with the programme service over the opened database; returns the exit code.
int WithProgramme(
    const http::AppOptions& app_options,
    const std::function<int(immunization::ProgrammeService&, const auth::Principal&)>& fn) {
  auto app = http::OpenApp(app_options);
  if (!app.ok()) return Fail(app.status());
  immunization::ProgrammeService service(*(*app)->db, *(*app)->audit, *(*app)->clock,
                                         *(*app)->registry, *(*app)->immunization);
  return fn(service, auth::AuthService::SystemPrincipal(OsUser()));
}

int WriteBytes(const std::string& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out || !out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()))) {
    return Fail(Status::Unavailable("cannot write " + path, "无法写入文件 " + path));
  }
  return 0;
}

bool EndsWith(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

struct RoundOptions {
  std::string area, as_of, note, id;
};

struct CampaignOptions {
  std::string name, kind, vaccine, area, start, end, note, id;
  int age_from = 0, age_to = 0;
  bool targets = false;
};

struct CheckOptions {
  std::string file, school, date, format, report, referral;
};

struct CoverageOptions {
  std::string org, cohort, as_of, timely;
};

CLI::App* ImmunizationCommand(CLI::App& cli) {
  if (cli.get_name() == "immunization") return &cli;
  auto found =
      cli.get_subcommands([](const CLI::App* a) { return a->get_name() == "immunization"; });
  return found.empty() ? cli.add_subcommand("immunization", "child immunisation (预防接种)")
                       : found.front();
}

}  // namespace

void AddImmunizationProgrammeCommands(CLI::App& cli, http::AppOptions& app_options,
                                      const AddDbOptions& add_db, int& exit_code) {
  CLI::App* imm = ImmunizationCommand(cli);

  // ---- 查漏补种 ----
  auto* catchup = imm->add_subcommand("catch-up", "查漏补种 rounds: the list and its progress");
  catchup->require_subcommand(1);
  auto r = std::make_shared<RoundOptions>();
  auto* create = catchup->add_subcommand(
      "create",
      "list the children of --area with doses due, overdue or needing a skin test as of --as-of, "
      "with the plan, and keep the list as a round; prints the round as JSON");
  add_db(create);
  create->add_option("--area", r->area, "org code of the area")->required();
  create->add_option("--as-of", r->as_of, "YYYY-MM-DD (default: today)");
  create->add_option("--note", r->note, "a note kept with the round");
  create->callback([&app_options, &exit_code, r] {
    app_options.must_exist = true;
    exit_code = WithProgramme(app_options, [&](auto& service, const auth::Principal& who) {
      json body = {{"area", r->area}};
      if (!r->as_of.empty()) body["as_of"] = r->as_of;
      if (!r->note.empty()) body["note"] = r->note;
      auto d = service.CreateRound(who, body);
      if (!d.ok()) return Fail(d.status());
      auto full = service.GetRound(who, d->round.id, 0, 0);
      if (!full.ok()) return Fail(full.status());
      std::cout << immunization::RoundDetailToJson(service.schedule(), *full).dump(2) << std::endl;
      return 0;
    });
  });
  auto* show = catchup->add_subcommand("show", "a round's progress and children as JSON");
  add_db(show);
  show->add_option("id", r->id, "the round's id")->required();
  show->callback([&app_options, &exit_code, r] {
    app_options.must_exist = true;
    exit_code = WithProgramme(app_options, [&](auto& service, const auth::Principal& who) {
      auto d = service.GetRound(who, r->id, 0, 0);
      if (!d.ok()) return Fail(d.status());
      std::cout << immunization::RoundDetailToJson(service.schedule(), *d).dump(2) << std::endl;
      return 0;
    });
  });

  // ---- 补充免疫 / 应急接种 ----
  auto* campaign =
      imm->add_subcommand("campaign", "supplementary and emergency campaigns (补充免疫, 应急接种)");
  campaign->require_subcommand(1);
  auto c = std::make_shared<CampaignOptions>();
  auto* ccreate = campaign->add_subcommand("create", "create a campaign; prints it as JSON");
  add_db(ccreate);
  ccreate->add_option("--name", c->name, "the campaign's name")->required();
  ccreate->add_option("--kind", c->kind, "supplementary or emergency")->required();
  ccreate->add_option("--vaccine", c->vaccine, "vaccine code, e.g. MMR")->required();
  ccreate->add_option("--age-from-months", c->age_from, "youngest target age, completed months")
      ->required();
  ccreate->add_option("--age-to-months", c->age_to, "oldest target age, completed months")
      ->required();
  ccreate->add_option("--area", c->area, "org code of the area")->required();
  ccreate->add_option("--start", c->start, "first day, YYYY-MM-DD")->required();
  ccreate->add_option("--end", c->end, "last day, YYYY-MM-DD")->required();
  ccreate->add_option("--note", c->note, "a note");
  ccreate->callback([&app_options, &exit_code, c] {
    app_options.must_exist = true;
    exit_code = WithProgramme(app_options, [&](auto& service, const auth::Principal& who) {
      json body = {{"name", c->name},
                   {"kind", c->kind},
                   {"vaccine", c->vaccine},
                   {"age_from_months", c->age_from},
                   {"age_to_months", c->age_to},
                   {"area", c->area},
                   {"start_date", c->start},
                   {"end_date", c->end}};
      if (!c->note.empty()) body["note"] = c->note;
      auto d = service.CreateCampaign(who, body);
      if (!d.ok()) return Fail(d.status());
      std::cout << immunization::CampaignToJson(service.schedule(), *d).dump(2) << std::endl;
      return 0;
    });
  });
  auto* cshow = campaign->add_subcommand("show", "a campaign and its coverage as JSON");
  add_db(cshow);
  cshow->add_option("id", c->id, "the campaign's id")->required();
  cshow->add_flag("--targets", c->targets, "list the target children too");
  cshow->callback([&app_options, &exit_code, c] {
    app_options.must_exist = true;
    exit_code = WithProgramme(app_options, [&](auto& service, const auth::Principal& who) {
      auto d = service.GetCampaign(who, c->id, c->targets, 0, 0);
      if (!d.ok()) return Fail(d.status());
      json j = immunization::CampaignToJson(service.schedule(), *d);
      if (c->targets) {
        j["targets"] = json::array();
        for (const auto& t : d->targets) {
          j["targets"].push_back(immunization::CampaignTargetToJson(t, d->campaign.start));
        }
      }
      std::cout << j.dump(2) << std::endl;
      return 0;
    });
  });

  // ---- 入托入学查验 ----
  auto e = std::make_shared<CheckOptions>();
  auto* check = imm->add_subcommand(
      "entry-check",
      "check a kindergarten or school roster (CSV in UTF-8 or GB18030, or XLSX) against the "
      "registry; prints the result as JSON and writes the report and the referral list (CSV, or "
      "XLSX when the file name ends in .xlsx)");
  add_db(check);
  check->add_option("file", e->file, "the roster")->required()->check(CLI::ExistingFile);
  check->add_option("--school", e->school, "school or kindergarten (default: from the roster)");
  check->add_option("--date", e->date, "check date, YYYY-MM-DD (default: today)");
  check->add_option("--format", e->format, "csv or xlsx (default: from the content)");
  check->add_option("--report", e->report, "write the check report to FILE");
  check->add_option("--referral", e->referral, "write the referral list to FILE");
  check->callback([&app_options, &exit_code, e] {
    app_options.must_exist = true;
    exit_code = WithProgramme(app_options, [&](auto& service, const auth::Principal& who) {
      auto bytes = ReadFile(e->file, 32u << 20);
      if (!bytes.ok()) return Fail(bytes.status());
      std::string name = e->file.substr(e->file.find_last_of('/') + 1);
      auto d = service.RunEntryCheck(
          who, *bytes,
          {.school = e->school, .date = e->date, .format = e->format, .file_name = name});
      if (!d.ok()) return Fail(d.status());
      for (const auto& [path, list] :
           {std::pair{e->report, "report"}, std::pair{e->referral, "referral"}}) {
        if (path.empty()) continue;
        auto f = service.ExportEntryCheck(who, d->check.id, list,
                                          EndsWith(path, ".xlsx") ? "xlsx" : "csv");
        if (!f.ok()) return Fail(f.status());
        if (int rc = WriteBytes(path, f->bytes); rc != 0) return rc;
      }
      std::cout << immunization::EntryCheckDetailToJson(*d).dump(2) << std::endl;
      std::cerr << fmt::format(
                       "{}: {} rows, {} invalid, {} complete, {} need catch-up, {} not "
                       "found",
                       d->check.school, d->check.rows_total, d->check.rows_invalid,
                       d->check.complete, d->check.needs_catch_up, d->check.not_found)
                << std::endl;
      return 0;
    });
  });

  // ---- 接种率 ----
  auto v = std::make_shared<CoverageOptions>();
  auto* coverage = imm->add_subcommand(
      "coverage",
      "coverage, timely coverage and card issuance of the migrant children born in --cohort, "
      "under --org and each of its child units, against the 90% and 95% targets; JSON");
  add_db(coverage);
  coverage->add_option("--org", v->org, "org code")->required();
  coverage->add_option("--cohort", v->cohort, "birth year")->required();
  coverage->add_option("--as-of", v->as_of, "YYYY-MM-DD (default: today)");
  coverage->add_option("--timely", v->timely,
                       "before_completion_age (default), within_30_days or hepb_birth_24h");
  coverage->callback([&app_options, &exit_code, v] {
    app_options.must_exist = true;
    exit_code = WithProgramme(app_options, [&](auto& service, const auth::Principal& who) {
      auto report = service.Coverage(who, v->org, v->cohort, v->as_of, v->timely);
      if (!report.ok()) return Fail(report.status());
      std::cout
          << immunization::CoverageToJson(service.schedule(), service.targets(), *report).dump(2)
          << std::endl;
      return 0;
    });
  });
}

}  // namespace jd::cli
