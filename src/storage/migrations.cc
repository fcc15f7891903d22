#include "core/embedded_migrations.h"
#include "storage/database.h"

namespace jd::storage {

const std::vector<Migration>& Migrations() {
  static const std::vector<Migration> kMigrations = {
      {1, "registry_auth", jd::embedded::migration_0001()},
  };
  return kMigrations;
}

}  // namespace jd::storage
