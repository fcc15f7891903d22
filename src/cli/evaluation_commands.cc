// `jundeng kpi evaluate | funding | population …`: the assessment, the funding table and the
// population figures from the command line, as the system operator (the whole city, audited as
// cli:<os user>).
#include <iostream>
#include <memory>

#include "auth/auth_service.h"
#include "cli/common.h"
#include "kpi/evaluation_service.h"

namespace jd::cli {

namespace {

using nlohmann::json;

// Opens the app and runs `fn` with it and the system principal; failures set `exit_code`.
template <typename Fn>
void WithApp(http::AppOptions& app_options, int& exit_code, Fn fn) {
  app_options.must_exist = true;
  auto app = http::OpenApp(app_options);
  if (!app.ok()) {
    exit_code = Fail(app.status());
    return;
  }
  Status st = fn(**app, auth::AuthService::SystemPrincipal(OsUser()));
  if (!st.ok()) exit_code = Fail(st);
}

void PrintBulletin(const kpi::Evaluation& e, bool zh) {
  const kpi::Bulletin& b = e.bulletin;
  std::cout << (zh ? b.title_zh : b.title_en) << "\n\n"
            << (zh ? b.summary_zh : b.summary_en) << "\n\n";
  for (const auto& entry : b.entries) std::cout << (zh ? entry.text_zh : entry.text_en) << "\n";
  std::cout << std::flush;
}

}  // namespace

void AddEvaluationCommands(CLI::App& cli, http::AppOptions& app_options, const AddDbOptions& add_db,
                           int& exit_code) {
  // Under `jundeng kpi`, which cli/kpi_commands.cc creates.
  CLI::App* kpi = cli.get_subcommand("kpi");

  auto eq = std::make_shared<kpi::EvaluationQuery>();
  auto bulletin = std::make_shared<std::string>();
  auto* evaluate = kpi->add_subcommand(
      "evaluate", "assessment scores, ranks and the bulletin of districts or streets (考核通报)");
  add_db(evaluate);
  evaluate->add_option("--period", eq->period, "YYYY, YYYY-Qn or YYYY-MM")->required();
  evaluate->add_option("--level", eq->level, "district or street (default: the level under --org)");
  evaluate->add_option("--org", eq->org, "org unit code (default: the city)");
  evaluate->add_option("--bulletin", *bulletin, "print the bulletin as text instead of JSON")
      ->check(CLI::IsMember({"zh", "en"}));
  evaluate->callback([&app_options, &exit_code, eq, bulletin] {
    WithApp(app_options, exit_code, [&](http::App& app, const auth::Principal& who) -> Status {
      auto r = app.evaluation->Evaluate(who, *eq);
      if (!r.ok()) return r.status();
      if (bulletin->empty()) {
        std::cout << kpi::EvaluationToJson(*r).dump(2) << std::endl;
      } else {
        PrintBulletin(*r, *bulletin == "zh");
      }
      return Status::Ok();
    });
  });

  auto fq = std::make_shared<kpi::FundingQuery>();
  auto* funding = kpi->add_subcommand(
      "funding", "the funding table: base by resident population, performance share by score");
  add_db(funding);
  funding->add_option("--year", fq->year, "the funding year YYYY")->required();
  funding->add_option("--org", fq->org, "the city (districts) or a district (streets)");
  funding->callback([&app_options, &exit_code, fq] {
    WithApp(app_options, exit_code, [&](http::App& app, const auth::Principal& who) -> Status {
      auto r = app.evaluation->Funding(who, *fq);
      if (!r.ok()) return r.status();
      std::cout << kpi::FundingReportToJson(*r).dump(2) << std::endl;
      return Status::Ok();
    });
  });

  auto* population =
      kpi->add_subcommand("population", "户籍 and migrant population figures per unit and year");
  population->require_subcommand(1);

  struct SetOptions {
    int year = 0;
    std::string org, source;
    long long huji = -1, migrants = -1;
    bool json_stdin = false;
  };
  auto so = std::make_shared<SetOptions>();
  auto* set = population->add_subcommand(
      "set", "set one unit's figures, or many with --json (the PUT body on standard input)");
  add_db(set);
  set->add_option("--year", so->year, "the year YYYY");
  set->add_option("--org", so->org, "a district or street code");
  set->add_option("--huji", so->huji, "户籍 population");
  set->add_option("--migrants", so->migrants,
                  "migrants (default: the registry's count of floating persons)");
  set->add_option("--source", so->source, "where the figures come from");
  set->add_flag("--json", so->json_stdin,
                "read {\"year\":…,\"figures\":[{\"org\",\"huji_population\",…}]} from stdin");
  set->callback([&app_options, &exit_code, so] {
    json body;
    if (so->json_stdin) {
      auto in = ReadJsonStdin();
      if (!in.ok()) {
        exit_code = Fail(in.status());
        return;
      }
      body = std::move(in).value();
    } else {
      json figure = {{"org", so->org}, {"source", so->source}};
      if (so->huji >= 0) figure["huji_population"] = so->huji;
      if (so->migrants >= 0) figure["migrant_population"] = so->migrants;
      body = {{"figures", json::array({figure})}};
      if (so->year != 0) body["year"] = so->year;
    }
    WithApp(app_options, exit_code, [&](http::App& app, const auth::Principal& who) -> Status {
      auto r = app.evaluation->SetPopulationFigures(who, body, "cli");
      if (!r.ok()) return r.status();
      json items = json::array();
      for (const auto& f : *r) items.push_back(kpi::PopulationFigureToJson(f));
      std::cout << json{{"items", items}}.dump(2) << std::endl;
      return Status::Ok();
    });
  });

  auto pq = std::make_shared<kpi::PopulationQuery>();
  auto* list = population->add_subcommand("list", "the figures as JSON");
  add_db(list);
  list->add_option("--year", pq->year, "only this year");
  list->add_option("--org", pq->org, "this unit and the units under it (default: the city)");
  list->callback([&app_options, &exit_code, pq] {
    WithApp(app_options, exit_code, [&](http::App& app, const auth::Principal& who) -> Status {
      auto r = app.evaluation->PopulationFigures(who, *pq);
      if (!r.ok()) return r.status();
      json items = json::array();
      for (const auto& f : *r) items.push_back(kpi::PopulationFigureToJson(f));
      std::cout << json{{"items", items}}.dump(2) << std::endl;
      return Status::Ok();
    });
  });
}

}  // namespace jd::cli
