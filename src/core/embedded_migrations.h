// File: core/embedded_migrations.h
// SQL migrations compiled into the binary (src/storage/migrations/NNNN_name.sql).
#pragma once

#include <string_view>

namespace jd::embedded {
std::string_view migration_0001();
std::string_view migration_0002();
std::string_view migration_0003();
std::string_view migration_0004();
std::string_view migration_0005();
std::string_view migration_0006();
std::string_view migration_0007();
std::string_view migration_0008();
std::string_view migration_0009();
std::string_view migration_0010();
std::string_view migration_0011();
std::string_view migration_0012();
std::string_view migration_0013();
std::string_view migration_0014();
std::string_view migration_0015();
std::string_view migration_0016();
std::string_view migration_0017();
std::string_view migration_0018();
std::string_view migration_0019();
std::string_view migration_0020();
std::string_view migration_0021();
std::string_view migration_0022();
std::string_view migration_0023();
std::string_view migration_0024();
std::string_view migration_0025();
std::string_view migration_0026();
std::string_view migration_0027();
std::string_view migration_0028();
std::string_view migration_0029();
std::string_view migration_0030();
std::string_view migration_0031();
std::string_view migration_0032();
std::string_view migration_0033();
}  // namespace jd::embedded
