// `jundeng immunization …`: the forecast of one child from JSON on standard input, and the
// commands of the vaccination records (cli/immunization_records_commands.cc).
#include <iostream>

#include "cli/common.h"
#include "immunization/forecast.h"

namespace jd::cli {

void AddImmunizationCommands(CLI::App& cli, http::AppOptions& app_options,
                             const AddDbOptions& add_db, int& exit_code) {
  auto* imm = cli.add_subcommand("immunization", "child immunisation (预防接种)");
  imm->require_subcommand(1);
  auto* forecast = imm->add_subcommand(
      "forecast",
      "read {\"birth_date\",\"as_of\",\"history\":[{\"vaccine\",\"date\"}]} on standard input and "
      "print every dose's status and dates under the national schedule");
  forecast->callback([&exit_code] {
    auto input = ReadJsonStdin();
    if (!input.ok()) {
      exit_code = Fail(input.status());
      return;
    }
    const auto& schedule = immunization::Schedule::Default();
    auto req = immunization::ForecastRequestFromJson(schedule, *input);
    if (!req.ok()) {
      exit_code = Fail(req.status());
      return;
    }
    auto f =
        immunization::ForecastChild(schedule, req->birth, req->history, req->as_of, req->options);
    std::cout << immunization::ForecastToJson(schedule, f, req->as_of, req->options).dump(2)
              << std::endl;
  });
  AddImmunizationRecordCommands(*imm, app_options, add_db, exit_code);
}

}  // namespace jd::cli
