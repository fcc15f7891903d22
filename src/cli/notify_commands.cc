// `jundeng notify …`: reminders from the server host — plan a clinic's reminders, drain the
// outbox through a webhook or into a file, configure the gateway `jundeng serve` drains through,
// and set a clinic's address and phone. Run as the system operator (audited as cli:<os user>).
#include <iostream>
#include <memory>

#include "auth/auth_service.h"
#include "cli/common.h"
#include "notify/notify_service.h"

namespace jd::cli {

namespace {

using nlohmann::json;

struct NotifyCliOptions {
  std::string clinic, date, to;
  std::string webhook, file;
  int max_attempts = 5;
  long long retry_base_ms = 60'000;
  long long retry_cap_ms = 6LL * 3600 * 1000;
  int timeout_ms = 10'000;
  int batch = 20;
  bool rotate_secret = false;
  std::string address, phone;
  std::vector<std::string> kinds;  // immunization, antenatal, child_checkup; none: all three
};

Result<std::unique_ptr<http::App>> Open(http::AppOptions app_options) {
  app_options.must_exist = true;
  return http::OpenApp(app_options);
}

Result<Date> DateOption(const std::string& text, const char* name) {
  auto d = ParseDate(text);
  if (!d) {
    return Status::Invalid({{name, "invalid_date", std::string("--") + name + " 应为 YYYY-MM-DD",
                             std::string("--") + name + " must be YYYY-MM-DD"}});
  }
  return *d;
}

notify::GatewayConfig ConfigOf(const NotifyCliOptions& o) {
  notify::GatewayConfig c;
  c.kind = o.webhook.empty() ? "file" : "webhook";
  c.url = o.webhook;
  c.path = o.file;
  c.timeout_ms = o.timeout_ms;
  c.retry.max_attempts = o.max_attempts;
  c.retry.base = std::chrono::milliseconds(o.retry_base_ms);
  c.retry.cap = std::chrono::milliseconds(o.retry_cap_ms);
  return c;
}

int Plan(const http::AppOptions& app_options, const NotifyCliOptions& o) {
  auto from = DateOption(o.date, "date");
  if (!from.ok()) return Fail(from.status());
  Date to = *from;
  if (!o.to.empty()) {
    auto d = DateOption(o.to, "to");
    if (!d.ok()) return Fail(d.status());
    to = *d;
  }
  std::vector<notify::ReminderKind> kinds;
  for (const auto& k : o.kinds) {
    if (auto kind = notify::ParseReminderKind(k)) kinds.push_back(*kind);
  }
  auto app = Open(app_options);
  if (!app.ok()) return Fail(app.status());
  auto report = (*app)->notify->PlanReminders(auth::AuthService::SystemPrincipal(OsUser()),
                                              o.clinic, *from, to, kinds);
  if (!report.ok()) return Fail(report.status());
  std::cout << notify::PlanReportToJson(*report).dump(2) << std::endl;
  return 0;
}

int Drain(const http::AppOptions& app_options, const NotifyCliOptions& o) {
  auto app = Open(app_options);
  if (!app.ok()) return Fail(app.status());
  auto& service = *(*app)->notify;
  auth::Principal system = auth::AuthService::SystemPrincipal(OsUser());
  Result<notify::DrainReport> report = Status::Internal("not run");
  if (o.webhook.empty() && o.file.empty()) {
    report = service.DrainConfigured(system);
  } else {
    auto secret = service.ReceiptSecret();
    if (!secret.ok()) return Fail(secret.status());
    notify::GatewayConfig config = ConfigOf(o);
    auto gateway = notify::NotifyService::MakeGateway(config, *secret);
    if (!gateway.ok()) return Fail(gateway.status());
    notify::DrainOptions options{.retry = config.retry, .batch = o.batch};
    options.lease = notify::LeaseFor(o.batch, std::chrono::milliseconds(config.timeout_ms));
    report = service.Drain(system, **gateway, options);
  }
  if (!report.ok()) return Fail(report.status());
  std::cout << notify::DrainReportToJson(*report).dump(2) << std::endl;
  return 0;
}

int Gateway(const http::AppOptions& app_options, const NotifyCliOptions& o) {
  auto app = Open(app_options);
  if (!app.ok()) return Fail(app.status());
  auto& service = *(*app)->notify;
  auth::Principal system = auth::AuthService::SystemPrincipal(OsUser());
  notify::GatewayConfig config = ConfigOf(o);
  if (Status st = service.SaveGatewayConfig(system, config); !st.ok()) return Fail(st);
  auto secret = service.ReceiptSecret();
  if (!secret.ok()) return Fail(secret.status());
  json out = {{"gateway", notify::GatewayConfigToJson(config)}};
  // The secret is shown only when it is made: the provider signs receipts with it, and webhook
  // requests carry its signature.
  if (secret->empty() || o.rotate_secret) {
    auto fresh = service.RotateReceiptSecret(system);
    if (!fresh.ok()) return Fail(fresh.status());
    out["secret"] = *fresh;
  }
  std::cout << out.dump(2) << std::endl;
  return 0;
}

int Contact(const http::AppOptions& app_options, const NotifyCliOptions& o) {
  auto app = Open(app_options);
  if (!app.ok()) return Fail(app.status());
  auto c = (*app)->notify->PutClinicContact(auth::AuthService::SystemPrincipal(OsUser()), o.clinic,
                                            {{"address", o.address}, {"phone", o.phone}});
  if (!c.ok()) return Fail(c.status());
  std::cout << json{{"org_code", c->org_code}, {"address", c->address}, {"phone", c->phone}}.dump(2)
            << std::endl;
  return 0;
}

void AddGatewayOptions(CLI::App* cmd, NotifyCliOptions& o, bool required) {
  auto* group = cmd->add_option_group("gateway");
  group->add_option("--webhook", o.webhook, "POST each notice as JSON to this http(s) URL");
  group->add_option("--file", o.file, "append each notice as a JSON line to this file");
  if (required) {
    group->require_option(1);
  } else {
    group->require_option(0, 1);
  }
  cmd->add_option("--max-attempts", o.max_attempts, "attempts before a notice fails")
      ->check(CLI::Range(1, 100))
      ->capture_default_str();
  cmd->add_option("--retry-base-ms", o.retry_base_ms,
                  "wait after the first failed attempt; doubled after each further one")
      ->check(CLI::Range(0LL, 86'400'000LL))
      ->capture_default_str();
  cmd->add_option("--retry-cap-ms", o.retry_cap_ms, "the longest wait between attempts")
      ->check(CLI::Range(0LL, 7LL * 86'400'000LL))
      ->capture_default_str();
  cmd->add_option("--timeout-ms", o.timeout_ms, "webhook connect and answer timeout")
      ->check(CLI::Range(100, 600'000))
      ->capture_default_str();
}

}  // namespace

void AddNotifyCommands(CLI::App& cli, http::AppOptions& app_options, const AddDbOptions& add_db,
                       int& exit_code) {
  // Owned by the callbacks, which live as long as the command line parser.
  auto opts = std::make_shared<NotifyCliOptions>();
  NotifyCliOptions& o = *opts;
  auto* notify = cli.add_subcommand(
      "notify", "reminders and alerts (预防接种、孕产妇检查、儿童健康检查通知与危险性预警)");
  notify->require_subcommand(1);

  auto* plan = notify->add_subcommand(
      "plan",
      "enqueue the reminders of a clinic's booked appointments, and of the antenatal contacts and "
      "child check-ups of its centre, on a day (or up to --to)");
  add_db(plan);
  plan->add_option("--clinic", o.clinic, "org unit code of the clinic")->required();
  plan->add_option("--date", o.date, "appointment day YYYY-MM-DD")->required();
  plan->add_option("--to", o.to, "last appointment day (default: --date)");
  plan->add_option("--kind", o.kinds, "immunization, antenatal or child_checkup (default: all)")
      ->check(CLI::IsMember({"immunization", "antenatal", "child_checkup"}));
  plan->callback([&app_options, &exit_code, opts] { exit_code = Plan(app_options, *opts); });

  auto* drain = notify->add_subcommand(
      "drain",
      "send the due sms and web notices through a webhook or into a file (default: the gateway "
      "set with `notify gateway`); prints what happened");
  add_db(drain);
  AddGatewayOptions(drain, o, /*required=*/false);
  drain->add_option("--batch", o.batch, "notices claimed at a time")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str();
  drain->callback([&app_options, &exit_code, opts] { exit_code = Drain(app_options, *opts); });

  auto* gateway = notify->add_subcommand(
      "gateway",
      "set the gateway `jundeng serve` drains through (POST /api/v1/notify/drain); prints the "
      "shared secret of signatures when it is made");
  add_db(gateway);
  AddGatewayOptions(gateway, o, /*required=*/true);
  gateway->add_flag("--rotate-secret", o.rotate_secret, "replace the shared secret");
  gateway->callback([&app_options, &exit_code, opts] { exit_code = Gateway(app_options, *opts); });

  auto* contact =
      notify->add_subcommand("contact", "set a clinic's address and phone, quoted in reminders");
  add_db(contact);
  contact->add_option("--clinic", o.clinic, "org unit code of the clinic")->required();
  contact->add_option("--address", o.address, "address")->required();
  contact->add_option("--phone", o.phone, "phone")->required();
  contact->callback([&app_options, &exit_code, opts] { exit_code = Contact(app_options, *opts); });
}

}  // namespace jd::cli
