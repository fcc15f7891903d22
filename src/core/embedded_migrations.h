// File: core/embedded_migrations.h
// SQL migrations compiled into the binary (src/storage/migrations/NNNN_name.sql).
#pragma once

#include <string_view>

namespace jd::embedded {
std::string_view migration_0001();
}  // namespace jd::embedded
