#include "http/app.h"

#include <cmath>
#include <filesystem>

namespace jd::http {

std::string DefaultAuditKeyPath(const std::string& db_path) { return db_path + ".audit-key"; }

std::string AuditHeadPath(const std::string& db_path) { return db_path + ".audit-head"; }

Result<std::unique_ptr<App>> OpenApp(const AppOptions& options) {
  auto app = std::make_unique<App>();
  std::string key_path = options.audit_key_path.empty() ? DefaultAuditKeyPath(options.db_path)
                                                        : options.audit_key_path;
  // Only init and demo may create the key; every other command needs the existing one, so a lost
  // key is noticed instead of silently starting an unverifiable chain.
  if (options.create_key) {
    // A new database may go in a folder that does not exist yet (var/ on a fresh checkout).
    std::error_code ec;
    auto dir = std::filesystem::path(key_path).parent_path();
    if (!dir.empty()) std::filesystem::create_directories(dir, ec);
  }
  Result<auth::AuditKey> key =
      options.create_key ? auth::AuditKey::LoadOrCreate(key_path) : auth::AuditKey::Load(key_path);
  if (!key.ok()) return key.status();
  auto db = storage::Database::Open({.path = options.db_path,
                                     .read_connections = options.read_connections,
                                     .writer_cache_mib = options.writer_cache_mib,
                                     .must_exist = options.must_exist});
  if (!db.ok()) return db.status();
  app->db = std::move(db).value();
  app->clock = std::make_unique<SystemClock>();
  // The head file belongs to this database file (a backup gets its own, cli `backup`).
  app->audit = std::make_unique<auth::AuditLog>(*app->db, std::move(key).value(), *app->clock,
                                                AuditHeadPath(options.db_path));
  app->auth = std::make_unique<auth::AuthService>(*app->db, *app->audit, *app->clock);
  app->registry = std::make_unique<registry::RegistryService>(*app->db, *app->audit, *app->clock);
  JD_RETURN_IF_ERROR(app->registry->LoadOrgUnits());
  JD_RETURN_IF_ERROR(app->registry->BackfillSearchKeys());
  app->immunization = std::make_unique<immunization::ImmunizationService>(
      *app->db, *app->audit, *app->clock, *app->registry);
  app->notify =
      std::make_unique<notify::NotifyService>(*app->db, *app->audit, *app->clock, *app->registry);
  app->records = std::make_unique<records::HealthRecordService>(*app->db, *app->audit, *app->clock,
                                                                *app->registry);
  app->maternal = std::make_unique<maternal::MaternalService>(*app->db, *app->audit, *app->clock,
                                                              *app->registry);
  app->referrals = std::make_unique<maternal::ReferralService>(*app->db, *app->audit, *app->clock,
                                                               *app->registry);
  app->child =
      std::make_unique<child::ChildService>(*app->db, *app->audit, *app->clock, *app->registry);
  app->mental =
      std::make_unique<mental::MentalService>(*app->db, *app->audit, *app->clock, *app->registry);
  // A danger alert and its notices to the partner users of the area commit together.
  app->alert_notices = std::make_unique<notify::AlertNotices>(*app->audit, *app->registry);
  app->mental->SetAlertListener(app->alert_notices->Listener());
  app->preconception = std::make_unique<preconception::PreconceptionService>(
      *app->db, *app->audit, *app->clock, *app->registry);
  app->signals =
      std::make_unique<disease::SignalService>(*app->db, *app->audit, *app->clock, *app->registry);
  app->hivtb =
      std::make_unique<disease::HivTbService>(*app->db, *app->audit, *app->clock, *app->registry);
  app->kpi = std::make_unique<kpi::KpiService>(*app->db, *app->clock);
  app->evaluation = std::make_unique<kpi::EvaluationService>(*app->db, *app->audit, *app->clock,
                                                             *app->registry, *app->kpi);
  app->network =
      std::make_unique<network::NetworkService>(*app->db, *app->audit, *app->clock, *app->registry);
  app->education =
      std::make_unique<education::EducationService>(*app->db, *app->audit, *app->clock);
  app->family_planning = std::make_unique<family_planning::FpService>(*app->db, *app->audit,
                                                                      *app->clock, *app->registry);
  auto identity = exchange::LoadIdentityFile(exchange::IdentityPath(options.db_path));
  if (!identity.ok()) return identity.status();
  if (*identity) {
    app->federation =
        std::make_unique<exchange::Federation>(*app->db, *app->audit, *app->clock, *app->registry,
                                               *app->immunization, std::move(**identity));
  }
  app->disease_cards =
      std::make_unique<disease::CardService>(*app->db, *app->audit, *app->clock, *app->registry);
  // A saved card runs the early-warning rules of the save (fixed threshold, work-site cluster).
  app->disease_cards->SetListener(app->signals->Listener());
  // The incidences of the periodic analysis divide by the registry's floating persons
  // (REG_FLOATING) of the area and its units in the month the analysis ends in.
  app->disease_analysis = std::make_unique<disease::AnalysisService>(
      *app->db, *app->audit, *app->clock, *app->registry,
      [kpi = app->kpi.get()](const auth::Principal& who, const std::string& area,
                             Date on) -> Result<std::map<std::string, std::int64_t>> {
        auto values = kpi->Values(who, {.codes = "REG_FLOATING",
                                        .org = area,
                                        .period = FormatDate(on).substr(0, 7),
                                        .children = true});
        if (!values.ok()) return values.status();
        std::map<std::string, std::int64_t> out;
        for (const kpi::IndicatorValue& v : values->values) {
          if (v.numerator_hidden == kpi::IndicatorValue::Hidden::kShown) {
            out[v.org] = std::llround(v.numerator);
          }
        }
        return out;
      });
  return app;
}

void EnableBulkExport(App& app, const std::string& db_path) {
  app.bulk_exports = std::make_unique<exchange::BulkExports>(
      *app.db, *app.registry, *app.immunization, *app.audit, *app.clock, db_path + ".exports");
}

}  // namespace jd::http
