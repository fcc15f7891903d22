// File: http/app.h
// One city node's services wired together over one database: the audit log, authentication and the
// registry. Shared by `jundeng serve` and the other commands.
#pragma once

#include <memory>
#include <string>

#include "auth/audit_log.h"
#include "auth/auth_service.h"
#include "child/service.h"
#include "core/dates.h"
#include "disease/analysis_service.h"
#include "disease/card_service.h"
#include "disease/hivtb_service.h"
#include "disease/signal_service.h"
#include "education/service.h"
#include "exchange/bulk_export.h"
#include "exchange/federation.h"
#include "family_planning/service.h"
#include "immunization/service.h"
#include "kpi/evaluation_service.h"
#include "kpi/service.h"
#include "maternal/referral_service.h"
#include "maternal/service.h"
#include "mental/service.h"
#include "network/service.h"
#include "notify/alert_notices.h"
#include "notify/notify_service.h"
#include "preconception/service.h"
#include "records/service.h"
#include "registry/registry_service.h"
#include "storage/database.h"

namespace jd::http {

struct AppOptions {
  std::string db_path = "var/jundeng.db";
  // The audit HMAC key lives outside the database; by default beside it as "<db>.audit-key".
  std::string audit_key_path;
  bool must_exist = false;  // serve and the read commands refuse a missing database
  bool create_key = false;  // init and demo create the key; other commands require it
  int read_connections = 4;
  int writer_cache_mib = 256;  // bulk imports ask for more (storage/database.h)
};

struct App {
  std::unique_ptr<storage::Database> db;
  std::unique_ptr<Clock> clock;
  std::unique_ptr<auth::AuditLog> audit;
  std::unique_ptr<auth::AuthService> auth;
  std::unique_ptr<registry::RegistryService> registry;
  std::unique_ptr<immunization::ImmunizationService> immunization;
  std::unique_ptr<notify::NotifyService> notify;
  std::unique_ptr<records::HealthRecordService> records;
  std::unique_ptr<maternal::MaternalService> maternal;
  std::unique_ptr<maternal::ReferralService> referrals;
  std::unique_ptr<preconception::PreconceptionService> preconception;
  std::unique_ptr<child::ChildService> child;
  std::unique_ptr<mental::MentalService> mental;  // severe mental disorders
  // Delivers the mental service's danger alerts through the outbox.
  std::unique_ptr<notify::AlertNotices> alert_notices;
  std::unique_ptr<disease::HivTbService> hivtb;  // HIV care and TB treatment courses
  std::unique_ptr<kpi::KpiService> kpi;          // statistics; its view loads on first use
  // Assessment, funding and population figures over the statistics.
  std::unique_ptr<kpi::EvaluationService> evaluation;
  // Early-warning signals and events; its Listener() is what the case-card service calls.
  std::unique_ptr<disease::SignalService> signals;
  // Infectious-disease case cards; the early-warning listener is set on it at start-up.
  std::unique_ptr<disease::CardService> disease_cards;
  // The periodic analysis of the cards (疫情分析); its migrant counts come from the statistics.
  std::unique_ptr<disease::AnalysisService> disease_analysis;
  // The stored service network and its ten-minute circle.
  std::unique_ptr<network::NetworkService> network;
  // Health-education activities and the norms of the service points.
  std::unique_ptr<education::EducationService> education;
  // Free family-planning services: records, register, rewards.
  std::unique_ptr<family_planning::FpService> family_planning;
  // The federation of city nodes, when this node has joined one (<db>.federation-key exists):
  // moves out to another node are queued here and published by `serve --federation`.
  std::unique_ptr<exchange::Federation> federation;
  // FHIR bulk exports ($export), made by a worker thread: only `serve` starts it
  // (EnableBulkExport), so that a command opening the same database does not take over the server's
  // jobs.
  std::unique_ptr<exchange::BulkExports> bulk_exports;
};

// Starts the bulk export worker of a serving node; its files go to "<db>.exports/".
void EnableBulkExport(App& app, const std::string& db_path);

std::string DefaultAuditKeyPath(const std::string& db_path);
// Where the audit log's end is recorded (auth::AuditHead): "<db>.audit-head", beside the database
// it describes (the key may be elsewhere and serve several copies).
std::string AuditHeadPath(const std::string& db_path);

// Opens the database (applying migrations), loads the audit key and the org-unit tree.
Result<std::unique_ptr<App>> OpenApp(const AppOptions& options);

}  // namespace jd::http
