#include "core/embedded_migrations.h"
#include "storage/database.h"

namespace jd::storage {

const std::vector<Migration>& Migrations() {
  static const std::vector<Migration> kMigrations = {
      {1, "registry_auth", jd::embedded::migration_0001()},
      {2, "immunization", jd::embedded::migration_0002()},
      {3, "campaigns_checks", jd::embedded::migration_0003()},
      {4, "notify", jd::embedded::migration_0004()},
      {5, "change_events", jd::embedded::migration_0005()},
      {6, "population_figures", jd::embedded::migration_0006()},
      {7, "health_records", jd::embedded::migration_0007()},
      {8, "persons_residence_birth", jd::embedded::migration_0008()},
      {9, "person_search_keys", jd::embedded::migration_0009()},
      {10, "maternal", jd::embedded::migration_0010()},
      {11, "child", jd::embedded::migration_0011()},
      {12, "pmtct", jd::embedded::migration_0012()},
      {13, "preconception", jd::embedded::migration_0013()},
      {14, "referrals", jd::embedded::migration_0014()},
      {15, "newborn_screening", jd::embedded::migration_0015()},
      {16, "premarital", jd::embedded::migration_0016()},
      {17, "linked_guardians", jd::embedded::migration_0017()},
      {18, "population_figure_history", jd::embedded::migration_0018()},
      {19, "single_character_keys", jd::embedded::migration_0019()},
      {20, "disease_cards", jd::embedded::migration_0020()},
      {21, "disease_signals", jd::embedded::migration_0021()},
      {22, "mental", jd::embedded::migration_0022()},
      {23, "hiv_tb_care", jd::embedded::migration_0023()},
      {24, "disease_analysis", jd::embedded::migration_0024()},
      {25, "staff_notices", jd::embedded::migration_0025()},
      {26, "network", jd::embedded::migration_0026()},
      {27, "family_planning", jd::embedded::migration_0027()},
      {28, "education", jd::embedded::migration_0028()},
      {29, "network_events", jd::embedded::migration_0029()},
      {30, "federation", jd::embedded::migration_0030()},
      {31, "aggregate_reports", jd::embedded::migration_0031()},
      {32, "persons_residence_keyset", jd::embedded::migration_0032()},
      {33, "fhir_bulk_exports", jd::embedded::migration_0033()},
  };
  return kMigrations;
}

}  // namespace jd::storage
