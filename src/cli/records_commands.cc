// `jundeng records show | establish | update`: a person's resident health record (居民健康档案)
// from the command line, with the bodies of the API (GET|POST|PATCH /persons/{id}/health-record).
#include <functional>
#include <iostream>
#include <memory>

#include "auth/auth_service.h"
#include "cli/common.h"
#include "records/service.h"

namespace jd::cli {

namespace {

// Runs `act` with the service as the system operator and prints the record it answers.
int WithRecords(const http::AppOptions& app_options,
                const std::function<Result<records::HealthRecord>(records::HealthRecordService&,
                                                                  const auth::Principal&)>& act) {
  auto app = http::OpenApp(app_options);
  if (!app.ok()) return Fail(app.status());
  auto out = act(*(*app)->records, auth::AuthService::SystemPrincipal(OsUser()));
  if (!out.ok()) return Fail(out.status());
  std::cout << records::RecordToJson(*out, (*app)->registry.get()).dump(2) << std::endl;
  return 0;
}

}  // namespace

void AddRecordsCommands(CLI::App& cli, http::AppOptions& app_options, const AddDbOptions& add_db,
                        int& exit_code) {
  auto* rec = cli.add_subcommand("records", "resident health records (居民健康档案)");
  rec->require_subcommand(1);
  auto person = std::make_shared<std::string>();
  auto version = std::make_shared<int>(0);

  auto* show = rec->add_subcommand("show", "a person's health record, as JSON");
  add_db(show);
  show->add_option("--person", *person, "the person's id")->required();
  show->callback([&app_options, &exit_code, person] {
    app_options.must_exist = true;
    exit_code = WithRecords(app_options, [&](auto& service, const auth::Principal& who) {
      return service.Get(who, *person);
    });
  });

  auto* establish = rec->add_subcommand(
      "establish",
      "establish the health record of an entitled --person from JSON on standard input: "
      "{\"clinic\",\"record_no\"?,\"established_on\"?,\"electronic\"?} (without record_no the next "
      "number of the person's community is given)");
  add_db(establish);
  establish->add_option("--person", *person, "the person's id")->required();
  establish->callback([&app_options, &exit_code, person] {
    app_options.must_exist = true;
    auto body = ReadJsonStdin();
    if (!body.ok()) {
      exit_code = Fail(body.status());
      return;
    }
    exit_code = WithRecords(app_options, [&](auto& service, const auth::Principal& who) {
      return service.Establish(who, *person, *body);
    });
  });

  auto* update = rec->add_subcommand(
      "update",
      "change fields of --person's health record from JSON on standard input (the fields of "
      "establish)");
  add_db(update);
  update->add_option("--person", *person, "the person's id")->required();
  update
      ->add_option("--version", *version,
                   "the version of the record being changed (as `records show` printed it); a "
                   "record changed since is not overwritten")
      ->required()
      ->check(CLI::PositiveNumber);
  update->callback([&app_options, &exit_code, person, version] {
    app_options.must_exist = true;
    auto body = ReadJsonStdin();
    if (!body.ok()) {
      exit_code = Fail(body.status());
      return;
    }
    exit_code = WithRecords(app_options, [&](auto& service, const auth::Principal& who) {
      return service.Update(who, *person, *body, *version);
    });
  });
}

}  // namespace jd::cli
